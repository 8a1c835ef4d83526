import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { authenticate as bearerToken, fetchSessionToken } from '../nodes/Digishare/auth';

/**
 * Digishare LiveChat API access: a Personal Access Token, or OAuth 2.0 client credentials
 * (`POST /oauth/token`) whose access token n8n fetches once, keeps in the credential and
 * fetches again only after a 401.
 */
export class DigishareApi implements ICredentialType {
	name = 'digishareApi';

	displayName = 'Digishare API';

	icon: Icon = {
		light: 'file:../nodes/Digishare/digishare.svg',
		dark: 'file:../nodes/Digishare/digishare.dark.svg',
	};

	documentationUrl = 'https://docs.digishare.ma/developer-guides/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication Method',
			name: 'authMode',
			type: 'options',
			options: [
				{
					name: 'Personal Access Token',
					value: 'accessToken',
					description: 'A token created in Digishare under Advanced Settings → API Credentials',
				},
				{
					name: 'OAuth2 Client Credentials',
					value: 'clientCredentials',
					description: 'A client ID and secret from Digishare → Client Applications',
				},
			],
			default: 'accessToken',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Personal Access Token from https://app.digishare.ma/api-credentials (shown once when created)',
			displayOptions: { show: { authMode: ['accessToken'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From https://app.digishare.ma/applications',
			displayOptions: { show: { authMode: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['clientCredentials'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.digishare.ma/v1',
			description:
				'Digishare API base URL. Use https://dev.api.digishare.ma/v1 for the development server, or a local sandbox URL for testing.',
		},
	];

	/** n8n calls this while the expirable `sessionToken` is empty, and again after a 401. */
	preAuthentication = fetchSessionToken;

	authenticate = bearerToken;

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/user/profile',
			method: 'GET',
		},
	};
}
