import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { digishareRequest } from '../../api';
import { contactBody, contactFieldOptions } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Contact Fields',
		name: 'contactFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Fields of the new contact; Digishare fills the company from the token',
		options: contactFieldOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = contactBody(this, itemIndex, 'contactFields', 'Contact Fields');
	const response = (await digishareRequest.call(this, { method: 'POST', path: '/thirds', body, itemIndex })) as IDataObject;
	return (response?.data as IDataObject) ?? response;
}
