import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { domainRestrictionProperties } from '../nodes/shared/credential-domains';
import { testLivePersonCredentials, type LivePersonCredentials } from '../nodes/LivePerson/auth';

/**
 * LivePerson Connector API access for a messaging connector that acts on behalf of consumers.
 * App credentials (recommended): the LivePerson nodes fetch the AppJWT from sentinel and each
 * consumer's ConsumerJWS themselves and reuse them (nodes/LivePerson/api.ts). Tokens: an AppJWT and
 * a ConsumerJWS made elsewhere. The test (preAuthentication, which n8n runs when testing) fetches an
 * AppJWT for real, or checks the pasted tokens.
 */
export class LivePersonApi implements ICredentialType {
	name = 'livePersonApi';

	displayName = 'LivePerson API';

	icon: Icon = {
		light: 'file:../nodes/LivePerson/liveperson.svg',
		dark: 'file:../nodes/LivePerson/liveperson.dark.svg',
	};

	documentationUrl = 'https://developers.liveperson.com/connector-api-send-api-authorization-and-authentication.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '12345678',
			description: 'Your LivePerson account (site) ID',
		},
		{
			// App credentials' fields are `required` and use `show`, the Tokens fields `hide` and are not
			// `required`: how each mode stays creatable through n8n 1.x's public API with its own fields
			// only (see DigishareApi.credentials.ts).
			displayName: 'Authentication',
			name: 'authMode',
			type: 'options',
			options: [
				{
					name: 'App Credentials',
					value: 'app',
					description: 'Client ID and secret of your Connector App: tokens are fetched and renewed automatically',
				},
				{
					name: 'Tokens',
					value: 'tokens',
					description: 'An AppJWT and a ConsumerJWS created elsewhere (the AppJWT expires after an hour)',
				},
			],
			default: 'app',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The Connector App’s client ID (app install ID) from the Connector App Hub',
			displayOptions: { show: { authMode: ['app'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Connector App’s client secret; the LivePerson Trigger also checks webhook signatures with it',
			displayOptions: { show: { authMode: ['app'] } },
		},
		{
			displayName: 'AppJWT',
			name: 'appToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Required with Tokens: an AppJWT from LivePerson’s sentinel service (valid for one hour)',
			displayOptions: { hide: { authMode: ['app'] } },
		},
		{
			displayName: 'ConsumerJWS',
			name: 'consumerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Required with Tokens: a ConsumerJWS from LivePerson’s idp service, the one consumer the nodes speak for',
			displayOptions: { hide: { authMode: ['app'] } },
		},
		{
			displayName: 'Webhook Client Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only with Tokens: the Connector App’s client secret, for the LivePerson Trigger’s signature check',
			displayOptions: { hide: { authMode: ['app'] } },
		},
		{
			displayName: 'AppJWT (Fetched)',
			name: 'cachedAppToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Domain API URL',
			name: 'domainApiUrl',
			type: 'string',
			default: 'https://api.liveperson.net',
			description:
				'LivePerson’s Domain API, which tells each account’s service hosts. With an http:// URL (a local sandbox) the service hosts are called over http too.',
		},
		// n8n's own "Allowed HTTP Request Domains" pair, declared here so n8n 1.x's public API accepts the credential
		...domainRestrictionProperties,
	];

	/**
	 * n8n runs this when the credential is tested (the nodes manage their tokens themselves and
	 * make no call with the credential applied): App credentials fetch an AppJWT for real — a wrong
	 * secret fails the test with LivePerson's message; pasted tokens are checked.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await testLivePersonCredentials(this, credentials as unknown as LivePersonCredentials);
	}

	// The bare AppJWT, no "Bearer " (every LivePerson sample); used by the test request.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.cachedAppToken}}' } },
	};

	// The real check is preAuthentication (an AppJWT fetched, or the tokens checked); then one lookup.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.domainApiUrl || "https://api.liveperson.net").replace(/\\/+$/, "")}}',
			url: '=/api/account/{{encodeURIComponent($credentials.accountId)}}/service/asyncMessagingEnt/baseURI.json',
			qs: { version: '1.0' },
			method: 'GET',
		},
	};
}
