/**
 * What a failed provider call looks like to the user: the provider's own message and code in a
 * NodeApiError, the HTTP status, the item, never a secret (every secret value of the credential
 * is scrubbed from every text). Also reads answers: JSON parsing, and 2xx answers that are no
 * API answer (cut-short JSON, an HTML page).
 */
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { ApiContext, ApiResponse, ProviderApi, ProviderError } from './provider-api';

/** Network failures after which an idempotent call may be tried again. */
export const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'EPIPE',
	'ECONNABORTED',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const REDACTED = '[redacted]';
export const NOT_RETRIED = 'Not retried automatically: the request may already have been processed (check before running it again).';

/** Replaces every occurrence of each secret in `text`. Secrets shorter than 4 chars are ignored. */
export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		out = out.split(secret).join(REDACTED);
	}
	return out;
}

/** Collects the secret values of a decrypted credential (and Basic/Bearer forms of them). */
export function secretsOf(credentials: IDataObject | undefined, fields: string[]): string[] {
	if (!credentials) return [];
	const secrets: string[] = [];
	for (const field of fields) {
		const value = credentials[field];
		if (typeof value === 'string' && value !== '') secrets.push(value);
	}
	return secrets;
}

export function headerValue(headers: ApiResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export function contentTypeOf(headers: ApiResponse['headers']): string {
	return (headerValue(headers, 'content-type') ?? '').toLowerCase();
}

/**
 * A 2xx answer that should have been JSON but is not: truncated JSON, or an HTML page (a proxy's
 * or a login page) where the API answers. Plain text answers stay allowed.
 */
export function unreadableAnswer(response: ApiResponse, parsed: unknown): string | undefined {
	if (typeof parsed !== 'string') return undefined;
	const text = parsed.trim();
	if (text === '') return undefined;
	const contentType = contentTypeOf(response.headers);
	if (/[/+]json\b/.test(contentType) || text.startsWith('{') || text.startsWith('[')) return 'is not valid JSON (cut short?)';
	if (contentType.includes('html') || /^<(!doctype|html)/i.test(text)) return 'is an HTML page, not an API answer';
	return undefined;
}

export function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			try {
				return JSON.parse(trimmed);
			} catch {
				return body;
			}
		}
	}
	return body;
}

export function describeStatus(status: number): string {
	if (status === 401) return 'Authentication failed';
	if (status === 403) return 'Permission denied';
	if (status === 404) return 'Not found';
	if (status === 422) return 'Validation failed';
	if (status === 429) return 'Rate limit reached';
	if (status >= 500) return 'Server error';
	return `Request failed with status ${status}`;
}

/** Pulls a status/headers/body out of whatever n8n threw for a failed request. */
export function responseOfError(error: unknown): ApiResponse | undefined {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const response = (candidate as { response?: { status?: number; headers?: ApiResponse['headers']; data?: unknown } })
			?.response;
		if (response && typeof response.status === 'number') {
			return { statusCode: response.status, headers: response.headers ?? {}, body: response.data };
		}
	}
	return undefined;
}

export function networkCodeOfError(error: unknown): string | undefined {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return code;
	}
	return undefined;
}

export function providerErrorFor(api: ProviderApi, response: ApiResponse): ProviderError {
	const body = parseBody(response.body);
	const parsed = api.parseError(response.statusCode, body);
	const fallback = describeStatus(response.statusCode);
	if (parsed?.message) return parsed;
	const description = typeof body === 'string' && body.trim() !== '' ? body.slice(0, 500) : undefined;
	return { message: fallback, description };
}

/**
 * Builds the NodeApiError a user sees for a failed provider call: the provider's message,
 * the HTTP code, the item index, and nothing secret.
 */
export function apiError(
	ctx: ApiContext,
	api: ProviderApi,
	response: ApiResponse,
	secrets: string[],
	itemIndex?: number,
	known?: ProviderError,
): NodeApiError {
	const problem = known ?? providerErrorFor(api, response);
	const message = redact(`${api.name}: ${problem.message}`, secrets);
	const descriptionParts = [problem.description, problem.code ? `Code: ${problem.code}` : undefined].filter(
		(part): part is string => Boolean(part),
	);
	const description = descriptionParts.length ? redact(descriptionParts.join('\n'), secrets) : undefined;
	const errorBody: JsonObject = {
		message,
		httpCode: String(response.statusCode),
		...(problem.code ? { code: problem.code } : {}),
		...(description ? { description } : {}),
	};
	return new NodeApiError(ctx.getNode(), errorBody, {
		message,
		description,
		httpCode: String(response.statusCode),
		itemIndex,
	});
}

/**
 * The error for a call that got no HTTP answer: a network failure (the code goes in the
 * description — n8n rewrites messages that contain codes), or a failure before sending, such as
 * a token request refused by the provider (its own message is kept).
 */
export function requestFailure(
	ctx: ApiContext,
	api: ProviderApi,
	error: unknown,
	networkCode: string | undefined,
	idempotent: boolean,
	secrets: string[],
	itemIndex?: number,
): NodeApiError {
	const reason = redact((error as Error)?.message ?? String(error), secrets);
	if (networkCode) {
		const description = `${networkCode}: ${reason}${idempotent ? '' : `\n${NOT_RETRIED}`}`;
		return new NodeApiError(ctx.getNode(), { message: `Could not reach ${api.name}`, description } as JsonObject, {
			message: `Could not reach ${api.name}`,
			description,
			itemIndex,
		});
	}
	const message = `${api.name}: ${reason}`;
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { message, itemIndex });
}
