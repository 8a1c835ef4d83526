import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { conversationToChange } from './participants';

const properties: INodeProperties[] = [
	conversationToChange,
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		description: 'The agent who becomes the handler; attached to the conversation if not yet a participant',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['setHandler'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', { required: true });
	const userId = idParameter(this, itemIndex, 'userId', 'User ID', { required: true });
	const response = (await digishareRequest.call(this, {
		method: 'PUT',
		path: `/conversations/${encodeURIComponent(conversationId)}/handler/${encodeURIComponent(userId)}`,
		itemIndex,
	})) as IDataObject;
	return (response?.data as IDataObject) ?? response;
}
