import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { domainRestrictionProperties } from '../nodes/shared/credential-domains';
import { authenticate as apiKeyPlacement } from '../nodes/Omnidesk/auth';

/**
 * Omnidesk live-chat backend integration: the account's API key (permission API_CHAT, and
 * MESSAGE_CREATE for chatbot tickets) and the live-chat tokens. Omnidesk's pages disagree on
 * where the API key goes (query `?apiKey=` vs an `apiKey` header), so that is a setting; by
 * default it is sent both ways.
 */
export class OmnideskApi implements ICredentialType {
	name = 'omnideskApi';

	displayName = 'Omnidesk API';

	icon: Icon = {
		light: 'file:../nodes/Omnidesk/omnidesk.svg',
		dark: 'file:../nodes/Omnidesk/omnidesk.dark.svg',
	};

	documentationUrl = 'https://docs.omnidesk.io/omnidesk/live-chat/chatbot-integration';

	properties: INodeProperties[] = [
		{
			displayName: 'Account URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://account.omnidesk.com',
			description: 'Your Omnidesk account address (the part before /api/v2)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API key with the API_CHAT permission (and MESSAGE_CREATE for chatbot tickets)',
		},
		{
			displayName: 'Send API Key As',
			name: 'keyLocation',
			type: 'options',
			options: [
				{ name: 'Header and Query Parameter', value: 'both' },
				{ name: 'Header (apiKey)', value: 'header' },
				{ name: 'Query Parameter (?apiKey=)', value: 'query' },
			],
			default: 'both',
			description: "Omnidesk's authentication page says query parameter, its API specification says header",
		},
		{
			displayName: 'Chat Account Token',
			name: 'chatAccountToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Live chat token from Settings → Channels → Live chat → Tokens (letters and digits, 10+ characters)',
		},
		{
			displayName: 'Chat Server Token',
			name: 'chatServerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only needed to check agent availability through chat.omnidesk.io',
		},
		{
			displayName: 'Chat Config URL',
			name: 'chatConfigUrl',
			type: 'string',
			default: 'https://chat.omnidesk.io/requestChatConfig',
			description: 'Where Check Agent Availability asks (GET), as in Omnidesk’s integration guide',
		},
		{
			displayName: 'Request Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Multipart Form Data', value: 'multipart' },
				{ name: 'URL-Encoded Form', value: 'urlencoded' },
			],
			default: 'multipart',
			description:
				'How chat calls are encoded. The API specification uses multipart; file uploads are always multipart.',
		},
		// n8n's own "Allowed HTTP Request Domains" pair, declared here so n8n 1.x's public API accepts the credential
		...domainRestrictionProperties,
	];

	authenticate = apiKeyPlacement;

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v2/chat/whitelistedDomainsAndBlacklistedIPs',
			method: 'GET',
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'Omnidesk refused the API key (401): check the key, how it is sent, and the account URL' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Omnidesk accepted the API key but refused access (403): check the key\'s access' } },
		],
	};
}
