import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

interface ServiceEntry {
	service?: string;
	baseURI?: string;
}

function claimsOf(token: string): Record<string, unknown> | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		return JSON.parse(Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
	} catch {
		return undefined;
	}
}

/** LivePerson's own message from a failed token or lookup call — never the request (it holds the secret). */
function refusal(what: string, error: unknown, secret: string): Error {
	const response = (error as { response?: { status?: number; data?: unknown } }).response;
	let data = response?.data;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			// not JSON
		}
	}
	const inner = ((data as { body?: Record<string, unknown> } | undefined)?.body ?? {}) as Record<string, unknown>;
	const parts = [inner.title, inner.details, inner.msg, (data as { message?: unknown } | undefined)?.message].filter(
		(part): part is string => typeof part === 'string' && part !== '',
	);
	const code = inner.errorCode ? ` (errorCode ${String(inner.errorCode)})` : '';
	const reason = parts.length ? `${parts.join(': ')}${code}` : response?.status ? `HTTP ${response.status}` : 'no answer';
	const message = `LivePerson refused ${what}: ${reason}`;
	return new Error(secret.length >= 4 ? message.split(secret).join('[redacted]') : message);
}

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
			required: true,
			description: 'An AppJWT from LivePerson’s sentinel service (valid for one hour)',
			displayOptions: { show: { authMode: ['tokens'] } },
		},
		{
			displayName: 'ConsumerJWS',
			name: 'consumerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A ConsumerJWS from LivePerson’s idp service: the one consumer the nodes speak for',
			displayOptions: { show: { authMode: ['tokens'] } },
		},
		{
			displayName: 'Webhook Client Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only with Tokens: the Connector App’s client secret, for the LivePerson Trigger’s signature check',
			displayOptions: { show: { authMode: ['tokens'] } },
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
	];

	/**
	 * n8n runs this when the credential is tested (the nodes manage their tokens themselves and
	 * make no call with the credential applied). App credentials: the account's service hosts from
	 * the Domain API, then an AppJWT from sentinel (client ID and secret in the form body) — a wrong
	 * secret fails the test with LivePerson's message. Tokens: checks they are JWTs for this account
	 * and the AppJWT has not expired.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const accountId = String(credentials.accountId ?? '').trim();
		if (!accountId) throw new Error('Account ID is empty');
		if (credentials.authMode === 'tokens') {
			const app = claimsOf(String(credentials.appToken ?? ''));
			const consumer = claimsOf(String(credentials.consumerToken ?? ''));
			if (!app) throw new Error('The AppJWT is not a JWT (three base64url parts)');
			if (!consumer) throw new Error('The ConsumerJWS is not a JWS (three base64url parts)');
			if (app.aud !== undefined && String(app.aud) !== accountId) throw new Error(`The AppJWT is for account ${String(app.aud)}, not ${accountId}`);
			if (consumer.account_id !== undefined && String(consumer.account_id) !== accountId) {
				throw new Error(`The ConsumerJWS is for account ${String(consumer.account_id)}, not ${accountId}`);
			}
			if (typeof app.exp === 'number' && app.exp * 1000 <= Date.now()) {
				throw new Error(`The AppJWT expired at ${new Date(app.exp * 1000).toISOString()}: paste a new one, or use App Credentials`);
			}
			return { cachedAppToken: String(credentials.appToken) };
		}
		const secret = String(credentials.clientSecret ?? '');
		const domainApi = String(credentials.domainApiUrl || 'https://api.liveperson.net').replace(/\/+$/, '');
		const account = encodeURIComponent(accountId);
		let services: ServiceEntry[];
		try {
			const lookup = (await this.helpers.httpRequest({
				method: 'GET',
				url: `${domainApi}/api/account/${account}/service/baseURI.json`,
				qs: { version: '1.0' },
				json: true,
			})) as { baseURIs?: ServiceEntry[] };
			services = lookup.baseURIs ?? [];
		} catch (error) {
			throw refusal(`the service lookup for account ${accountId}`, error, secret);
		}
		const sentinel = services.find((entry) => entry.service === 'sentinel')?.baseURI;
		if (!sentinel) throw new Error(`LivePerson's Domain API names no sentinel host for account ${accountId}`);
		const scheme = domainApi.startsWith('http://') ? 'http' : 'https';
		let token: string | undefined;
		try {
			const answer = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${scheme}://${sentinel}/sentinel/api/account/${account}/app/token`,
				qs: { v: '1.0', grant_type: 'client_credentials' },
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ client_id: String(credentials.clientId ?? ''), client_secret: secret }).toString(),
				json: true,
			})) as { access_token?: string };
			token = answer.access_token;
		} catch (error) {
			throw refusal('the Connector App’s client ID and secret', error, secret);
		}
		if (!token) throw new Error('LivePerson answered without an AppJWT');
		return { cachedAppToken: token };
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
