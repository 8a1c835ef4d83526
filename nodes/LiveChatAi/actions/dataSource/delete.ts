import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { liveChatAiRequest } from '../../api';

const properties: INodeProperties[] = [
	{
		displayName: 'Data Source ID',
		name: 'dataSourceId',
		type: 'string',
		required: true,
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['dataSource'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = idParameter(this, itemIndex, 'dataSourceId', 'Data Source ID', { required: true });
	await liveChatAiRequest.call(this, { method: 'DELETE', path: `/data-sources/${encodeURIComponent(id)}`, itemIndex });
	return { id, deleted: true };
}
