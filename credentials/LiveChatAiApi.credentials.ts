import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { domainRestrictionProperties } from '../nodes/shared/credential-domains';
import { authenticate as bearerApiKey } from '../nodes/LiveChatAi/auth';

/** LiveChatAI API v2: an API key from the dashboard, sent as a Bearer token. */
export class LiveChatAiApi implements ICredentialType {
	name = 'liveChatAiApi';

	displayName = 'LiveChatAI API';

	icon: Icon = {
		light: 'file:../nodes/LiveChatAi/livechatai.svg',
		dark: 'file:../nodes/LiveChatAi/livechatai.dark.svg',
	};

	documentationUrl = 'https://api.livechatai.com/api-reference-v2/introduction';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Created in the LiveChatAI dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.livechatai.com/api/v2',
			description: 'LiveChatAI API v2 base URL; change it only for a sandbox',
		},
		// n8n's own "Allowed HTTP Request Domains" pair, declared here so n8n 1.x's public API accepts the credential
		...domainRestrictionProperties,
	];

	authenticate = bearerApiKey;

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/agents',
			qs: { page: 1, limit: 1 },
			method: 'GET',
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'LiveChatAI refused the API key (401): check the key and the Base URL' } },
			{ type: 'responseCode', properties: { value: 403, message: 'LiveChatAI accepted the API key but refused to list agents (403): check the key\'s access' } },
		],
	};
}
