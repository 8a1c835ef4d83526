import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { contactBody, contactFieldOptions, contactIdProperty } from './fields';

const properties: INodeProperties[] = [
	contactIdProperty,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields set here change',
		options: contactFieldOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = idParameter(this, itemIndex, 'contactId', 'Contact ID', { required: true });
	const body = contactBody(this, itemIndex, 'updateFields', 'Update Fields');
	const response = (await digishareRequest.call(this, {
		method: 'PATCH',
		path: `/thirds/${encodeURIComponent(contactId)}`,
		body,
		itemIndex,
	})) as IDataObject;
	return (response?.data as IDataObject) ?? response;
}
