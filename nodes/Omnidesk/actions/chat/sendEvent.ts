import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { checkField } from '../../../shared/validation';
import { omnideskChatCall } from '../../api';
import { resolveChatServer } from '../../memory';
import { sessionId } from '../../schemas';
import { chatServerProperty, sessionIdProperty } from '../common';

const properties: INodeProperties[] = [
	sessionIdProperty,
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		options: [
			{ name: 'Chat Expanded', value: 'expandedchat' },
			{ name: 'Chat Minimized', value: 'minimizedchat' },
			{ name: 'Started Typing', value: 'startedtyping' },
			{ name: 'Stopped Typing', value: 'stoppedtyping' },
		],
		default: 'startedtyping',
		description: 'What the customer did; the agent sees it in the chat',
	},
	chatServerProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['sendEvent'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const chatSessionId = idParameter(this, itemIndex, 'chatSessionId', 'Chat Session ID', { required: true });
	checkField(this, itemIndex, 'Chat Session ID', sessionId, chatSessionId);
	const event = this.getNodeParameter('event', itemIndex) as string;
	const response = await omnideskChatCall.call(this, itemIndex, {
		path: '/api/v2/chat/notifyUserNewChatEvent',
		fields: [
			['chatServer', resolveChatServer(this, itemIndex)],
			['chatSessionID', chatSessionId],
			['event', event],
		],
	});
	return { ...response, chatSessionId, event };
}
