import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

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

	/**
	 * n8n calls this before a request while the expirable `sessionToken` is empty, and again
	 * after a 401. In client-credentials mode it fetches a new access token; with a Personal
	 * Access Token there is nothing to fetch.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authMode !== 'clientCredentials') return {};
		const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
		let response: { access_token?: string; message?: string };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/oauth/token`,
				body: {
					grant_type: 'client_credentials',
					client_id: credentials.clientId,
					client_secret: credentials.clientSecret,
				},
				json: true,
			})) as { access_token?: string };
		} catch (error) {
			// Rebuild the error from the status and Digishare's message only: the original
			// carries the request (client secret included).
			const status = (error as { response?: { status?: number } }).response?.status;
			const data = (error as { response?: { data?: { message?: string; error?: string } } }).response?.data;
			const reason = data?.message ?? data?.error ?? (status ? `HTTP ${status}` : 'no response');
			throw new Error(`OAuth token request failed: ${reason}`);
		}
		if (!response.access_token) {
			throw new Error('OAuth token response had no access_token');
		}
		return { sessionToken: response.access_token };
	}

	// A function, not an expression: n8n would run its expression engine on every request.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = credentials.authMode === 'clientCredentials' ? credentials.sessionToken : credentials.accessToken;
		requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${String(token ?? '')}` };
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/user/profile',
			method: 'GET',
		},
	};
}
