import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { contactIdProperty } from './fields';
import { includeProperty } from './include';

const properties: INodeProperties[] = [contactIdProperty, includeProperty(true)];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = idParameter(this, itemIndex, 'contactId', 'Contact ID', { required: true });
	const include = this.getNodeParameter('include', itemIndex, []) as string[];
	const response = (await digishareRequest.call(this, {
		method: 'GET',
		path: `/thirds/${encodeURIComponent(contactId)}`,
		qs: include.length ? { include: include.join(',') } : undefined,
		itemIndex,
	})) as IDataObject;
	return (response?.data as IDataObject) ?? response;
}
