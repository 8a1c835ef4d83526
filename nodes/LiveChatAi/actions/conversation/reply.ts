import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, requiredString } from '../../../shared/parameters';
import { liveChatAiRequest } from '../../api';
import { recordOwn } from '../../memory';

export const properties: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		description: 'The workspace user (human agent) the reply is sent as',
	},
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		options: [
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Text', value: 'TEXT' },
		],
		default: 'TEXT',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['reply'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', { required: true });
	const response = await liveChatAiRequest.call(this, {
		method: 'POST',
		path: `/conversations/${encodeURIComponent(conversationId)}/reply`,
		body: {
			message: requiredString(this, itemIndex, 'message', 'Message'),
			userId: idParameter(this, itemIndex, 'userId', 'User ID', { required: true }),
			messageType: this.getNodeParameter('messageType', itemIndex, 'TEXT') as string,
		},
		itemIndex,
	});
	const data = (response.data as IDataObject | undefined) ?? response;
	// The LiveChatAI Trigger does not take this reply for a handoff made in LiveChatAI.
	recordOwn(this, [data.messageId as string | undefined, (data.message as IDataObject | undefined)?.id as string | undefined]);
	return data;
}
