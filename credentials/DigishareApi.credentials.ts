import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { domainRestrictionProperties } from '../nodes/shared/credential-domains';
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

	// The fields of the default mode are `required` and shown with `show`; the other mode's with `hide`
	// and not `required`: n8n 1.x's public API turns every `show` on one field into one if/then/else
	// requiring (or forbidding) all of them whatever mode they belong to, and every `required` field
	// without `show` into a field required in every mode. So each mode can be created through
	// `POST /api/v1/credentials` with its own fields only, on 1.x and 2.x (issue 22).
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
			description: 'Required with OAuth2 Client Credentials. From https://app.digishare.ma/applications.',
			displayOptions: { hide: { authMode: ['accessToken'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Required with OAuth2 Client Credentials',
			displayOptions: { hide: { authMode: ['accessToken'] } },
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
		// n8n's own "Allowed HTTP Request Domains" pair, declared here so n8n 1.x's public API accepts the credential
		...domainRestrictionProperties,
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
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'Digishare refused the credential (401): check the access token (or the client ID and secret) and the Base URL' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Digishare accepted the credential but refused access to the user profile (403): check the token\'s permissions' } },
		],
	};
}
