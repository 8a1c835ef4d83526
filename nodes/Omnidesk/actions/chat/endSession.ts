import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { checkField } from '../../../shared/validation';
import { omnideskChatCall } from '../../api';
import { resolveChatServer } from '../../memory';
import { sessionId } from '../../schemas';
import { chatServerProperty, sessionIdProperty } from '../common';

/** Omnidesk's guide and its API specification name different paths for this call. */
export const END_SESSION_PATHS = {
	guide: '/api/v2/message/notifyUserEndChat',
	specification: '/api/v2/chat/notifyUserEndChat',
} as const;

const properties: INodeProperties[] = [
	sessionIdProperty,
	chatServerProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Endpoint',
				name: 'endpoint',
				type: 'options',
				options: [
					{
						name: 'Integration Guide (/message/notifyUserEndChat)',
						value: 'guide',
					},
					{
						name: 'API Specification (/chat/notifyUserEndChat)',
						value: 'specification',
					},
				],
				default: 'guide',
				description: 'Omnidesk documents two paths; the integration guide’s is the default',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['endSession'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const chatSessionId = idParameter(this, itemIndex, 'chatSessionId', 'Chat Session ID', { required: true });
	checkField(this, itemIndex, 'Chat Session ID', sessionId, chatSessionId);
	const options = this.getNodeParameter('options', itemIndex, {}) as { endpoint?: keyof typeof END_SESSION_PATHS };
	const response = await omnideskChatCall.call(this, itemIndex, {
		path: END_SESSION_PATHS[options.endpoint ?? 'guide'],
		fields: [
			['chatSessionID', chatSessionId],
			['chatServer', resolveChatServer(this, itemIndex)],
		],
	});
	return { ...response, chatSessionId, ended: true };
}
