/**
 * LivePerson authentication, one implementation for the credential's test and the nodes:
 * - the account's service hosts from the Domain API (`service/baseURI.json`);
 * - the AppJWT from sentinel (client credentials of the Connector App);
 * - each consumer's ConsumerJWS from idp (it never expires);
 * - pasted tokens (Tokens mode) checked for their account and expiry.
 * The nodes keep what they fetched in this process's memory (shared/tokens.ts): hosts for 3 hours,
 * the AppJWT until 5 minutes before its `exp`, ConsumerJWS for ever; never in outputs or the database.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { runCredentials } from '../shared/run-credentials';
import { parseBody, redact, secretsOf } from '../shared/errors';
import { parseLivePersonError } from './schemas';
import { TokenCache, jwtClaims, jwtExpiry } from '../shared/tokens';

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

/** The node's LivePerson credential: the run's one read of it (shared/run-credentials.ts). */
export async function livePersonCredentials(ctx: IExecuteFunctions, itemIndex: number): Promise<LivePersonCredentials> {
	return await runCredentials<LivePersonCredentials>(ctx, 'livePersonApi', itemIndex);
}

/** Credential fields whose values never appear in an error or output. */
export const SECRET_FIELDS = ['clientSecret', 'appToken', 'consumerToken', 'webhookSecret', 'cachedAppToken'];

/**
 * One HTTP call of the token flow; resolves with the parsed answer body. The nodes' goes through
 * the shared transport (retries, error mapping), the credential test's through n8n's request helper.
 */
export type AuthCall = (options: IHttpRequestOptions) => Promise<unknown>;

/** The credential's secret values, scrubbed from every message about a token call. */
export function scrubSecrets(credentials: LivePersonCredentials, text: string): string {
	return redact(text, secretsOf(credentials as unknown as IDataObject, SECRET_FIELDS));
}

export function domainApiOf(credentials: LivePersonCredentials): string {
	return String(credentials.domainApiUrl || 'https://api.liveperson.net').replace(/\/+$/, '');
}

/** The URL of `path` on a service host: https, unless the Domain API itself is plain http (a local sandbox). */
export function hostUrl(credentials: LivePersonCredentials, host: string, path: string): string {
	const scheme = domainApiOf(credentials).startsWith('http://') ? 'http' : 'https';
	return `${scheme}://${host.replace(/\/+$/, '')}${path}`;
}

/** The account's service hosts by service name, from the Domain API. */
export async function fetchServiceHosts(call: AuthCall, credentials: LivePersonCredentials): Promise<Record<string, string>> {
	const body = await call({
		method: 'GET',
		url: `${domainApiOf(credentials)}/api/account/${encodeURIComponent(credentials.accountId)}/service/baseURI.json`,
		qs: { version: '1.0' },
	});
	const list = ((body as { baseURIs?: Array<{ service?: string; baseURI?: string }> })?.baseURIs ?? []).filter(
		(entry) => entry.service && entry.baseURI,
	);
	return Object.fromEntries(list.map((entry) => [entry.service as string, entry.baseURI as string]));
}

/** An AppJWT from sentinel for the Connector App's client ID and secret (undefined: the answer had none). */
export async function fetchAppToken(call: AuthCall, credentials: LivePersonCredentials, sentinelHost: string): Promise<string | undefined> {
	const body = await call({
		method: 'POST',
		url: hostUrl(credentials, sentinelHost, `/sentinel/api/account/${encodeURIComponent(credentials.accountId)}/app/token`),
		qs: { v: '1.0', grant_type: 'client_credentials' },
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: credentials.clientId ?? '', client_secret: credentials.clientSecret ?? '' }).toString(),
	});
	const parsed = parseBody(body);
	return (parsed as { access_token?: string } | undefined)?.access_token || undefined;
}

/** Checks pasted tokens (Tokens mode): both are JWTs of this account, and the AppJWT has not expired. Throws what is wrong. */
export function checkPastedTokens(credentials: LivePersonCredentials, now = Date.now()): void {
	const accountId = String(credentials.accountId ?? '').trim();
	const app = jwtClaims(String(credentials.appToken ?? ''));
	const consumer = jwtClaims(String(credentials.consumerToken ?? ''));
	if (!app) throw new Error('The AppJWT is not a JWT (three base64url parts)');
	if (!consumer) throw new Error('The ConsumerJWS is not a JWS (three base64url parts)');
	if (app.aud !== undefined && String(app.aud) !== accountId) throw new Error(`The AppJWT is for account ${String(app.aud)}, not ${accountId}`);
	if (consumer.account_id !== undefined && String(consumer.account_id) !== accountId) {
		throw new Error(`The ConsumerJWS is for account ${String(consumer.account_id)}, not ${accountId}`);
	}
	if (typeof app.exp === 'number' && app.exp * 1000 <= now) {
		throw new Error(`The AppJWT expired at ${new Date(app.exp * 1000).toISOString()}: paste a new one, or use App Credentials`);
	}
}

// ---------------------------------------------------------------------------------------------
// What the nodes keep in this process
// ---------------------------------------------------------------------------------------------

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

/** The account's host of `service` (looked up once per 3 hours), or undefined when the Domain API names none. */
export async function serviceHost(call: AuthCall, credentials: LivePersonCredentials, service: LivePersonService): Promise<string | undefined> {
	const all = await hosts.get(`${domainApiOf(credentials)}|${credentials.accountId}`, async () => ({
		value: await fetchServiceHosts(call, credentials),
		expiresAt: Date.now() + HOSTS_TTL_MS,
	}));
	return all[service];
}

/** Tokens belong to one LivePerson environment (its Domain API), account and Connector App. */
function appTokenKey(credentials: LivePersonCredentials): string {
	return `${domainApiOf(credentials)}|${credentials.accountId}|${credentials.clientId}`;
}

/** The AppJWT: the credential's (Tokens mode), or `fetch`ed and reused until 5 minutes before its `exp`. */
export async function cachedAppToken(credentials: LivePersonCredentials, fetch: () => Promise<string>): Promise<string> {
	if (credentials.authMode === 'tokens') return String(credentials.appToken ?? '');
	return await appTokens.get(appTokenKey(credentials), async () => {
		const token = await fetch();
		return { value: token, expiresAt: jwtExpiry(token) ?? Date.now() + 60 * 60 * 1000 };
	});
}

/** Forgets an AppJWT LivePerson refused (unless another call renewed it already). */
export function forgetAppToken(credentials: LivePersonCredentials, refused: string): void {
	appTokens.invalidate(appTokenKey(credentials), refused);
}

/** The ConsumerJWS of `consumerId`: the credential's (Tokens mode), or `fetch`ed once and reused. */
export async function cachedConsumerToken(credentials: LivePersonCredentials, consumerId: string, fetch: () => Promise<string>): Promise<string> {
	if (credentials.authMode === 'tokens') return String(credentials.consumerToken ?? '');
	return await consumerTokens.get(`${appTokenKey(credentials)}|${consumerId}`, async () => ({ value: await fetch() }));
}

/** A ConsumerJWS from idp for `consumerId` (undefined: the answer had none). */
export async function fetchConsumerToken(
	call: AuthCall,
	credentials: LivePersonCredentials,
	idpHost: string,
	appJwt: string,
	consumerId: string,
): Promise<string | undefined> {
	const body = await call({
		method: 'POST',
		url: hostUrl(credentials, idpHost, `/api/account/${encodeURIComponent(credentials.accountId)}/consumer`),
		qs: { v: '1.0' },
		headers: { Authorization: appJwt, 'Content-Type': 'application/json' },
		body: { ext_consumer_id: consumerId },
	});
	return (body as { token?: string } | undefined)?.token || undefined;
}

// ---------------------------------------------------------------------------------------------
// The credential's test
// ---------------------------------------------------------------------------------------------

/** LivePerson's own message from a failed call, never the request. */
function refusal(credentials: LivePersonCredentials, what: string, error: unknown): Error {
	const response = (error as { response?: { status?: number; data?: unknown } }).response;
	const parsed = parseLivePersonError(response?.status ?? 0, parseBody(response?.data));
	const reason = parsed ? `${parsed.message}${parsed.code && parsed.code !== parsed.message ? ` (errorCode ${parsed.code})` : ''}` : response?.status ? `HTTP ${response.status}` : 'no answer';
	return new Error(scrubSecrets(credentials, `LivePerson refused ${what}: ${reason}`));
}

/**
 * The credential test (its preAuthentication): App credentials fetch an AppJWT from sentinel for
 * real; pasted tokens are checked. Returns the AppJWT for the test request's header.
 */
export async function testLivePersonCredentials(
	helper: { helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> } },
	credentials: LivePersonCredentials,
): Promise<{ cachedAppToken: string }> {
	const accountId = String(credentials.accountId ?? '').trim();
	if (!accountId) throw new Error('Account ID is empty');
	if (credentials.authMode === 'tokens') {
		checkPastedTokens(credentials);
		return { cachedAppToken: String(credentials.appToken) };
	}
	const checked = { ...credentials, accountId };
	const call: AuthCall = async (options) => await helper.helpers.httpRequest({ ...options, json: true });
	const services = await fetchServiceHosts(call, checked).catch((error: unknown) =>
		Promise.reject(refusal(checked, `the service lookup for account ${accountId}`, error)),
	);
	if (!services.sentinel) throw new Error(`LivePerson's Domain API names no sentinel host for account ${accountId}`);
	const token = await fetchAppToken(call, checked, services.sentinel).catch((error: unknown) =>
		Promise.reject(refusal(checked, 'the Connector App’s client ID and secret', error)),
	);
	if (!token) throw new Error('LivePerson answered without an AppJWT');
	return { cachedAppToken: token };
}
