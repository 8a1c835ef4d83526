import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { runCredentials } from '../../../shared/run-credentials';
import { apiRequest } from '../../../shared/transport';
import { checkField } from '../../../shared/validation';
import { omnideskApi, omnideskChatCall } from '../../api';
import { resolveChatServer } from '../../memory';
import { chatAccountToken } from '../../schemas';
import { chatServerProperty } from '../common';

const NO_AGENTS = 'hide_reason_no_agents_available';

const properties: INodeProperties[] = [
	{
		displayName:
			'Omnidesk reports "no agents available" only when the chat token has "Hide chat when there are no agents available" enabled (Settings → Channels → Live chat → Tokens); otherwise this always says agents are available.',
		name: 'availabilityNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'options',
		options: [
			{
				name: 'Integration Guide (GET Chat Config URL)',
				value: 'guide',
				description: 'GET chat.omnidesk.io/requestChatConfig with the chat account and chat server tokens',
			},
			{
				name: 'API Specification (POST /api/v2/chat/requestChatConfig)',
				value: 'specification',
				description: 'POST to your account with the chat server and chat account token',
			},
		],
		default: 'guide',
	},
	{ ...chatServerProperty, displayOptions: { show: { endpoint: ['specification'] } } },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['checkAvailability'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const endpoint = this.getNodeParameter('endpoint', itemIndex, 'guide') as string;
	let response: IDataObject;
	if (endpoint === 'specification') {
		response = await omnideskChatCall.call(this, itemIndex, {
			path: '/api/v2/chat/requestChatConfig',
			withChatAccountToken: true,
			fields: [['chatServer', resolveChatServer(this, itemIndex)]],
		});
	} else {
		const credentials = await runCredentials(this, 'omnideskApi', itemIndex);
		const token = String(credentials.chatAccountToken ?? '');
		checkField(this, itemIndex, 'Chat Account Token', chatAccountToken, token);
		response = (await apiRequest.call(this, omnideskApi, {
			method: 'GET',
			url: String(credentials.chatConfigUrl || 'https://chat.omnidesk.io/requestChatConfig'),
			qs: { chatAccountToken: token, chatServerToken: String(credentials.chatServerToken ?? '') },
			itemIndex,
		})) as IDataObject;
	}
	const instructions = Array.isArray(response.instructions) ? (response.instructions as IDataObject[]) : [];
	return {
		agentsAvailable: !instructions.some((instruction) => instruction?.type === NO_AGENTS),
		instructions,
		config: (response.config as IDataObject) ?? {},
	};
}
