/**
 * The one HTTP transport every action node of this package uses.
 *
 * - Authentication is always applied by n8n (`httpRequestWithAuthentication`), from the
 *   credential type's own `authenticate` / `preAuthentication`, so token refresh after a 401
 *   works the way it does for n8n's built-in nodes.
 * - Retry policy: 429 is retried for every method (the provider did not process the call),
 *   honouring `Retry-After` up to a cap; 502/503/504 and dropped connections are retried only
 *   for idempotent methods (GET/PUT/DELETE/PATCH), because a retried POST may send a chat
 *   message twice (no provider documents an idempotency key).
 * - Error mapping: the provider's error body becomes a `NodeApiError` whose message is the
 *   provider's own message, with field errors and codes in the description.
 * - Redaction: every secret value of the credential is scrubbed from every error text.
 *
 * Reading answers and building errors: errors.ts; paged lists: pagination.ts.
 */
import type { ICredentialsDecrypted, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import {
	NOT_RETRIED,
	apiError,
	contentTypeOf,
	headerValue,
	networkCodeOfError,
	parseBody,
	providerErrorFor,
	requestFailure,
	responseOfError,
	secretsOf,
	unreadableAnswer,
} from './errors';
import { asDecrypted, runCredentials } from './run-credentials';
import type { ApiContext, ApiRequest, ApiResponse, ProviderApi } from './provider-api';


/** Transport tunables; tests and a future options UI can lower them. */
export const retryPolicy = {
	/** Attempts in all, first one included. */
	maxAttempts: 4,
	/** A Retry-After larger than this is not waited for: the error is raised at once. */
	maxRetryAfterSeconds: 60,
	/** Back-off before retrying an idempotent request after a 5xx / dropped connection. */
	backoffMs: [250, 750, 1500],
	/** A call without an answer after this long fails (a hung provider never hangs a workflow). */
	timeoutMs: 120_000,
	/** How the transport waits between attempts (tests record the waits instead of sleeping). */
	wait: (ms: number): Promise<void> => sleep(ms),
};

/**
 * A 429 pauses every call of the same node run (the items of a batch share one wait for the
 * provider's Retry-After instead of each waiting on its own): the pause under way, by context.
 */
const pauses = new WeakMap<object, Promise<void>>();

/** Waits `ms` once for all calls of this node run; a call that finds a pause under way joins it. */
async function pauseAll(ctx: object, ms: number): Promise<void> {
	const running = pauses.get(ctx);
	if (running) return await running;
	const pause = retryPolicy.wait(ms).finally(() => {
		if (pauses.get(ctx) === pause) pauses.delete(ctx);
	});
	pauses.set(ctx, pause);
	await pause;
}

const RETRYABLE_SERVER_STATUSES = new Set([502, 503, 504]);


/** Seconds to wait according to a Retry-After header (delta-seconds or HTTP date). */
export function retryAfterSeconds(headers: ApiResponse['headers'], now = Date.now()): number | undefined {
	const raw = headerValue(headers, 'retry-after');
	if (raw === undefined || raw === '') return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(raw);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * One HTTP exchange: with the credential applied by n8n — from the run's one read of it
 * (run-credentials.ts), which n8n's helper takes instead of reading it again — or, for calls the node
 * authenticates itself (tokens it manages) and pre-signed URLs (no `credential`), as it is.
 */
async function send(
	ctx: ApiContext,
	api: ProviderApi,
	options: IHttpRequestOptions,
	credential: ICredentialsDecrypted | undefined,
): Promise<{ statusCode: number; headers: ApiResponse['headers']; body: unknown }> {
	const raw = credential
		? await ctx.helpers.httpRequestWithAuthentication.call(ctx, api.credentialType, options, { credentialsDecrypted: credential })
		: await ctx.helpers.httpRequest(options);
	return raw as { statusCode: number; headers: ApiResponse['headers']; body: unknown };
}

/**
 * Performs one provider call with authentication, retries and error mapping.
 * Returns the full response (status, headers, parsed body).
 */
export async function apiRequestFull<T = unknown>(
	this: ApiContext,
	api: ProviderApi,
	request: ApiRequest,
): Promise<ApiResponse<T>> {
	// The run's one read (run-credentials.ts): the base URL, and the secrets to scrub from errors.
	const decrypted = await runCredentials(this, api.credentialType, request.itemIndex ?? 0);
	const credential = request.authenticated === false ? undefined : asDecrypted(this, api.credentialType, decrypted);
	const credentials = decrypted as IDataObject;
	const secrets = secretsOf(credentials, api.secretFields);
	const url = request.url ?? `${api.baseUrl(credentials).replace(/\/+$/, '')}${request.path ?? ''}`;
	const idempotent = request.idempotent ?? request.method !== 'POST';
	const json = request.json ?? true;
	let headers = request.headers;
	let reauthenticated = false;

	for (let attempt = 1; ; attempt++) {
		// another item of this node run was told to wait (429): wait with it
		const paused = pauses.get(this);
		if (paused) await paused;
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			qs: request.qs,
			headers,
			body: request.body as IHttpRequestOptions['body'],
			json,
			encoding: request.encoding,
			timeout: request.timeoutMs ?? retryPolicy.timeoutMs,
			returnFullResponse: true,
			// 401 still throws so n8n can refresh an expirable token and retry once.
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		};
		if (options.body === undefined) delete options.body;
		if (options.qs === undefined) delete options.qs;
		if (options.headers === undefined) delete options.headers;
		if (options.encoding === undefined) delete options.encoding;

		let response: ApiResponse;
		try {
			const raw = await send(this, api, options, credential);
			response = { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: raw.body };
		} catch (error) {
			const fromError = responseOfError(error);
			if (fromError) {
				response = fromError;
			} else {
				const code = networkCodeOfError(error);
				if (code && idempotent && attempt < retryPolicy.maxAttempts) {
					await retryPolicy.wait(retryPolicy.backoffMs[attempt - 1] ?? 1500);
					continue;
				}
				throw requestFailure(this, api, error, code, idempotent, secrets, request.itemIndex);
			}
		}

		const status = response.statusCode;
		if (status >= 200 && status < 300) {
			// Bytes asked for stay bytes (a download); anything else is parsed when it is JSON.
			const body = request.encoding === 'arraybuffer' ? response.body : parseBody(response.body);
			const unreadable = request.encoding !== 'arraybuffer' ? unreadableAnswer(response, body) : undefined;
			if (unreadable) {
				throw apiError(this, api, response, secrets, request.itemIndex, {
					message: `The answer ${unreadable}`,
					description: [
						`HTTP ${status}${contentTypeOf(response.headers) ? `, ${contentTypeOf(response.headers)}` : ''}: ${String(body).slice(0, 200)}`,
						idempotent ? undefined : NOT_RETRIED,
					]
						.filter(Boolean)
						.join('\n'),
				});
			}
			const inBody = api.errorInBody?.(body);
			if (inBody) throw apiError(this, api, { ...response, body }, secrets, request.itemIndex, inBody);
			return { ...response, body: body as T };
		}
		if (status === 401 && request.onUnauthorized && !reauthenticated) {
			reauthenticated = true;
			const retryHeaders = await request.onUnauthorized(response);
			if (retryHeaders) {
				headers = { ...(headers ?? {}), ...retryHeaders };
				attempt--;
				continue;
			}
		}
		if (status === 429) {
			const asked = retryAfterSeconds(response.headers);
			const wait = asked ?? attempt;
			if (attempt < retryPolicy.maxAttempts && wait <= retryPolicy.maxRetryAfterSeconds) {
				await pauseAll(this, wait * 1000);
				continue;
			}
			const problem = providerErrorFor(api, response);
			const why =
				wait > retryPolicy.maxRetryAfterSeconds
					? `${api.name} asked to wait ${wait} s (Retry-After), longer than the ${retryPolicy.maxRetryAfterSeconds} s this node waits: run it again later.`
					: `Still rate limited after ${attempt} attempts: lower the rate (batching) or run it again later.`;
			throw apiError(this, api, response, secrets, request.itemIndex, {
				...problem,
				description: [problem.description, why].filter(Boolean).join('\n'),
			});
		}
		if (RETRYABLE_SERVER_STATUSES.has(status) && idempotent && attempt < retryPolicy.maxAttempts) {
			await retryPolicy.wait(retryPolicy.backoffMs[attempt - 1] ?? 1500);
			continue;
		}
		if (status >= 500 && !idempotent) {
			const problem = providerErrorFor(api, response);
			throw apiError(this, api, response, secrets, request.itemIndex, {
				...problem,
				description: [problem.description, NOT_RETRIED].filter(Boolean).join('\n'),
			});
		}
		throw apiError(this, api, response, secrets, request.itemIndex);
	}
}

/** Performs one provider call and returns its parsed body. */
export async function apiRequest<T = unknown>(this: ApiContext, api: ProviderApi, request: ApiRequest): Promise<T> {
	const response = await apiRequestFull.call(this, api, request);
	return response.body as T;
}
