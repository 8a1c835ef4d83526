/**
 * LivePerson's side of the shared transport. The node manages its tokens itself (shared/tokens.ts,
 * per n8n process): the account's service hosts from one Domain API lookup (kept 3 hours), the
 * AppJWT from sentinel (reused until 5 minutes before its `exp`, fetched again once on a 401 with
 * errorCode 40102, and the call retried once), and each consumer's ConsumerJWS from idp (it never
 * expires). Both go out as headers on CONVERSATION and SEND calls — the bare AppJWT as
 * `Authorization`, the ConsumerJWS as `X-LP-ON-BEHALF`; those calls check the 5000-character
 * limit, and a `code` other than OK inside a 200 is an error. (The credential's preAuthentication
 * serves its test only.)
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { invalidParameter } from '../shared/parameters';
import { TokenCache, jwtExpiry } from '../shared/tokens';
import { redact, secretsOf, type ProviderError } from '../shared/errors';
import { apiRequestFull, type ApiResponse, type ProviderApi } from '../shared/transport';

export type LivePersonService = 'asyncMessagingEnt' | 'sentinel' | 'idp' | 'swift';

export interface LivePersonCredentials {
	accountId: string;
	authMode: 'app' | 'tokens';
	clientId?: string;
	clientSecret?: string;
	appToken?: string;
	consumerToken?: string;
	webhookSecret?: string;
	domainApiUrl?: string;
}

const SECRET_FIELDS = ['clientSecret', 'appToken', 'consumerToken', 'webhookSecret', 'cachedAppToken'];

/** What each `errorCode` of LivePerson's 401 answers means for the user (liveperson.md §2.4). */
const ERROR_CODES: Record<string, string> = {
	'40001': 'a parameter is missing (e.g. the account ID, or a claim of the AppJWT)',
	'40102': 'the AppJWT is expired or invalid',
	'40103': 'the ConsumerJWS is invalid (or belongs to another consumer than this conversation)',
	'40104': 'the ConsumerJWS is missing',
	'40105': 'the AppJWT is missing',
};

function errorCodeOf(body: unknown): string | undefined {
	const code = (body as { body?: { errorCode?: unknown } } | undefined)?.body?.errorCode;
	return code === undefined || code === null ? undefined : String(code);
}

/** LivePerson error bodies: `{kind, code, body:{title, details, errorCode}}`, `{reqId, code, body:{msg}}`, or an array of those. */
export function parseLivePersonError(_status: number, body: unknown): ProviderError | undefined {
	const entries = Array.isArray(body) ? body : [body];
	const failed = (entries as IDataObject[]).find((entry) => entry && typeof entry === 'object' && entry.code !== 'OK') ?? entries[0];
	if (!failed || typeof failed !== 'object') return undefined;
	const inner = ((failed as IDataObject).body ?? {}) as IDataObject;
	const errorCode = errorCodeOf(failed);
	const message = [inner.title, inner.details, inner.msg, (failed as IDataObject).message].find(
		(value): value is string => typeof value === 'string' && value !== '',
	);
	if (!message && !errorCode) return undefined;
	const explained = errorCode && ERROR_CODES[errorCode] ? `errorCode ${errorCode}: ${ERROR_CODES[errorCode]}` : undefined;
	return {
		message: message ?? explained ?? `errorCode ${errorCode}`,
		description: explained,
		code: errorCode ?? (typeof (failed as IDataObject).code === 'string' ? ((failed as IDataObject).code as string) : undefined),
	};
}

/** A 200 whose `code` (or any item's, for a batch) is not OK. */
export function errorInLivePersonBody(body: unknown): ProviderError | undefined {
	const entries = Array.isArray(body) ? body : [body];
	const failed = (entries as IDataObject[]).find(
		(entry) =>
			entry &&
			typeof entry === 'object' &&
			((typeof entry.code === 'string' && entry.code !== 'OK') || (typeof entry.code === 'number' && entry.code >= 400)),
	);
	return failed ? parseLivePersonError(200, failed) : undefined;
}

export const livePersonApi: ProviderApi = {
	name: 'LivePerson',
	credentialType: 'livePersonApi',
	// Every call names its host (from the Domain API): no base URL.
	baseUrl: () => '',
	secretFields: SECRET_FIELDS,
	parseError: parseLivePersonError,
	errorInBody: errorInLivePersonBody,
};

/** LivePerson rejects a request JSON longer than this (liveperson.md §8). */
export const MAX_REQUEST_CHARS = 5000;

const hosts = new TokenCache<Record<string, string>>();
const appTokens = new TokenCache<string>(5 * 60 * 1000);
const consumerTokens = new TokenCache<string>();
const HOSTS_TTL_MS = 3 * 60 * 60 * 1000;

/** For tests: a fresh n8n process (no host, AppJWT or ConsumerJWS remembered). */
export function forgetLivePersonTokens(): void {
	hosts.clear();
	appTokens.clear();
	consumerTokens.clear();
}

export async function livePersonCredentials(ctx: IExecuteFunctions, itemIndex: number): Promise<LivePersonCredentials> {
	return (await ctx.getCredentials('livePersonApi', itemIndex)) as unknown as LivePersonCredentials;
}

function domainApi(credentials: LivePersonCredentials): string {
	return String(credentials.domainApiUrl || 'https://api.liveperson.net').replace(/\/+$/, '');
}

/** The URL of `path` on one of the account's service hosts. */
export async function serviceUrl(
	ctx: IExecuteFunctions,
	credentials: LivePersonCredentials,
	service: LivePersonService,
	path: string,
	itemIndex = 0,
): Promise<string> {
	const base = domainApi(credentials);
	const account = encodeURIComponent(credentials.accountId);
	const all = await hosts.get(`${base}|${credentials.accountId}`, async () => {
		const response = await apiRequestFull.call(ctx, livePersonApi, {
			method: 'GET',
			url: `${base}/api/account/${account}/service/baseURI.json`,
			qs: { version: '1.0' },
			itemIndex,
			authenticated: false,
		});
		const list = ((response.body as { baseURIs?: Array<{ service?: string; baseURI?: string }> })?.baseURIs ?? []).filter(
			(entry) => entry.service && entry.baseURI,
		);
		return { value: Object.fromEntries(list.map((entry) => [entry.service as string, entry.baseURI as string])), expiresAt: Date.now() + HOSTS_TTL_MS };
	});
	const host = all[service];
	if (!host) {
		throw new NodeApiError(ctx.getNode(), { message: `LivePerson's Domain API names no ${service} host for account ${credentials.accountId}` } as JsonObject, {
			message: `LivePerson: the Domain API names no "${service}" host for account ${credentials.accountId}`,
			description: 'Check the Account ID and the Domain API URL of the credential.',
			itemIndex,
		});
	}
	// The hosts are bare names: https, unless the Domain API itself is plain http (a local sandbox).
	const scheme = base.startsWith('http://') ? 'http' : 'https';
	return `${scheme}://${host.replace(/\/+$/, '')}${path}`;
}

/** A token request refused or failed: LivePerson's message, never the secret or the request. */
function tokenError(ctx: IExecuteFunctions, credentials: LivePersonCredentials, what: string, error: unknown, itemIndex: number): NodeApiError {
	const secrets = secretsOf(credentials as unknown as IDataObject, SECRET_FIELDS);
	const message = redact(`LivePerson: could not get ${what}: ${(error as Error).message ?? String(error)}`, secrets);
	const description = redact(String((error as NodeApiError).description ?? ''), secrets) || undefined;
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { message, description, itemIndex });
}

function appTokenKey(credentials: LivePersonCredentials): string {
	return `${credentials.accountId}|${credentials.clientId}`;
}

/** The AppJWT: the credential's (tokens mode), or fetched from sentinel and reused until 5 minutes before its `exp`. */
export async function appToken(ctx: IExecuteFunctions, credentials: LivePersonCredentials, itemIndex: number): Promise<string> {
	if (credentials.authMode === 'tokens') return String(credentials.appToken ?? '');
	return await appTokens.get(appTokenKey(credentials), async () => {
		const url = await serviceUrl(ctx, credentials, 'sentinel', `/sentinel/api/account/${encodeURIComponent(credentials.accountId)}/app/token`, itemIndex);
		const response = await apiRequestFull
			.call(ctx, livePersonApi, {
				method: 'POST',
				url,
				qs: { v: '1.0', grant_type: 'client_credentials' },
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ client_id: credentials.clientId ?? '', client_secret: credentials.clientSecret ?? '' }).toString(),
				json: false,
				itemIndex,
				authenticated: false,
			})
			.then(
				(ok) => ok,
				(error: unknown) => Promise.reject(tokenError(ctx, credentials, 'an AppJWT from sentinel', error, itemIndex)),
			);
		const token = (response.body as { access_token?: string })?.access_token;
		if (!token) throw tokenError(ctx, credentials, 'an AppJWT from sentinel', new Error('the answer had no access_token'), itemIndex);
		return { value: token, expiresAt: jwtExpiry(token) ?? Date.now() + 60 * 60 * 1000 };
	});
}

/** On a 401 for an expired AppJWT (errorCode 40102, app mode): one new AppJWT, as headers to retry with. */
async function renewedAuthorization(
	ctx: IExecuteFunctions,
	credentials: LivePersonCredentials,
	refused: string,
	answer: ApiResponse,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	if (credentials.authMode !== 'app' || errorCodeOf(parseJson(answer.body)) !== '40102') return undefined;
	appTokens.invalidate(appTokenKey(credentials), refused);
	return { Authorization: await appToken(ctx, credentials, itemIndex) };
}

function parseJson(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** The ConsumerJWS for `consumerId`: the credential's (tokens mode), or fetched from idp once and reused (it never expires). */
export async function consumerToken(
	ctx: IExecuteFunctions,
	credentials: LivePersonCredentials,
	consumerId: string,
	itemIndex: number,
): Promise<string> {
	if (credentials.authMode === 'tokens') return String(credentials.consumerToken ?? '');
	if (!consumerId) throw invalidParameter(ctx, itemIndex, 'Consumer ID', 'is required (your stable ID for the end user)');
	return await consumerTokens.get(`${credentials.accountId}|${credentials.clientId}|${consumerId}`, async () => {
		const url = await serviceUrl(ctx, credentials, 'idp', `/api/account/${encodeURIComponent(credentials.accountId)}/consumer`, itemIndex);
		const authorization = await appToken(ctx, credentials, itemIndex);
		const response = await apiRequestFull
			.call(ctx, livePersonApi, {
				method: 'POST',
				url,
				qs: { v: '1.0' },
				headers: { Authorization: authorization, 'Content-Type': 'application/json' },
				body: { ext_consumer_id: consumerId },
				itemIndex,
				authenticated: false,
				onUnauthorized: async (answer) => await renewedAuthorization(ctx, credentials, authorization, answer, itemIndex),
			})
			.then(
			(ok) => ok,
			(error: unknown) => Promise.reject(tokenError(ctx, credentials, `a ConsumerJWS for "${consumerId}" from idp`, error, itemIndex)),
		);
		const token = (response.body as { token?: string })?.token;
		if (!token) throw tokenError(ctx, credentials, `a ConsumerJWS for "${consumerId}"`, new Error('the answer had no token'), itemIndex);
		return { value: token };
	});
}

export interface MessagingCall {
	consumerId: string;
	/** `conversation` (CONVERSATION, a batch array) or `send` (SEND, one object). */
	endpoint: 'conversation' | 'send';
	body: IDataObject | IDataObject[];
	/** Client-Properties features, e.g. AUTO_MESSAGES. */
	features?: string[];
	itemIndex: number;
	/** The parameter that makes the request long, for the size error (default "Message"). */
	field?: string;
}

/** One CONVERSATION or SEND call on behalf of a consumer, with both tokens. Returns the parsed body. */
export async function messagingCall(ctx: IExecuteFunctions, call: MessagingCall): Promise<unknown> {
	const credentials = await livePersonCredentials(ctx, call.itemIndex);
	const json = JSON.stringify(call.body);
	if (json.length > MAX_REQUEST_CHARS) {
		throw invalidParameter(ctx, call.itemIndex, call.field ?? 'Message', `makes the request ${json.length} characters long; LivePerson accepts at most ${MAX_REQUEST_CHARS} characters`);
	}
	const path = `/api/account/${encodeURIComponent(credentials.accountId)}/messaging/consumer/conversation${call.endpoint === 'send' ? '/send' : ''}`;
	const url = await serviceUrl(ctx, credentials, 'asyncMessagingEnt', path, call.itemIndex);
	const authorization = await appToken(ctx, credentials, call.itemIndex);
	const headers: IDataObject = {
		Authorization: authorization,
		'X-LP-ON-BEHALF': await consumerToken(ctx, credentials, call.consumerId, call.itemIndex),
		'Content-Type': 'application/json',
	};
	if (call.features?.length) headers['Client-Properties'] = JSON.stringify({ type: '.ClientProperties', features: call.features });
	const response = await apiRequestFull.call(ctx, livePersonApi, {
		method: 'POST',
		url,
		qs: { v: '3' },
		headers,
		body: json,
		json: false,
		itemIndex: call.itemIndex,
		authenticated: false,
		onUnauthorized: async (answer) => await renewedAuthorization(ctx, credentials, authorization, answer, call.itemIndex),
	});
	return response.body;
}

/** A raw PUT/GET on the swift file store (temp-URL signed, no auth headers). */
export async function swiftCall(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: { method: 'PUT' | 'GET'; relativePath: string; queryParams: IDataObject; body?: Buffer; contentType?: string },
): Promise<ApiResponse<Buffer>> {
	const credentials = await livePersonCredentials(ctx, itemIndex);
	const url = await serviceUrl(ctx, credentials, 'swift', request.relativePath, itemIndex);
	const options: Parameters<typeof apiRequestFull>[1] = {
		method: request.method,
		url,
		qs: request.queryParams,
		itemIndex,
		json: false,
		// A pre-signed temp URL: LivePerson's own clients send no auth headers to swift.
		authenticated: false,
		...(request.body ? { body: request.body, headers: { 'Content-Type': request.contentType ?? 'application/octet-stream' } } : {}),
		...(request.method === 'GET' ? { encoding: 'arraybuffer' as IHttpRequestOptions['encoding'] } : {}),
	};
	return (await apiRequestFull.call(ctx, livePersonApi, options)) as ApiResponse<Buffer>;
}
