import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { liveChatAiRequest } from '../../api';

const properties: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		required: true,
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', { required: true });
	const response = await liveChatAiRequest.call(this, {
		method: 'GET',
		path: `/conversations/${encodeURIComponent(conversationId)}`,
		itemIndex,
	});
	return (response.data as IDataObject) ?? response;
}
