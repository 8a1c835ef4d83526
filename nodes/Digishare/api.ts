/** Digishare's side of the shared transport: base URL, secrets, its error bodies, and one call. */
import type { IDataObject } from 'n8n-workflow';
import type { ApiContext, ApiRequest, ProviderApi, ProviderError } from '../shared/provider-api';
import { apiRequest } from '../shared/transport';

export const DEFAULT_BASE_URL = 'https://api.digishare.ma/v1';

function fieldErrors(errors: unknown): string | undefined {
	if (!errors || typeof errors !== 'object') return undefined;
	const lines = Object.entries(errors as Record<string, unknown>).map(([field, messages]) => {
		const text = Array.isArray(messages) ? messages.join(' ') : String(messages);
		return `${field}: ${text}`;
	});
	return lines.length ? lines.join('\n') : undefined;
}

/**
 * Digishare error bodies (docs: error-handling): 400 `{error, details}`, 401/403/429 `{message}`,
 * 404 `{message, resource_id}`, 422 `{message, errors: {field: [..]}}`, 500 `{message, request_id}`.
 */
export function parseDigishareError(status: number, body: unknown): ProviderError | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const data = body as IDataObject;
	const message = typeof data.message === 'string' ? data.message : typeof data.error === 'string' ? data.error : undefined;
	if (!message) return undefined;
	const details = [
		fieldErrors(data.errors),
		typeof data.details === 'string' ? data.details : undefined,
		typeof data.resource_id === 'string' ? `Resource: ${data.resource_id}` : undefined,
		typeof data.request_id === 'string' ? `Request ID: ${data.request_id}` : undefined,
		status === 401 ? 'Check the access token (or client ID/secret) in the Digishare credential.' : undefined,
	].filter((part): part is string => Boolean(part));
	return { message, description: details.length ? details.join('\n') : undefined };
}

export const digishareApi: ProviderApi = {
	name: 'Digishare',
	credentialType: 'digishareApi',
	baseUrl: (credentials) => String(credentials.baseUrl || DEFAULT_BASE_URL),
	secretFields: ['accessToken', 'clientSecret', 'sessionToken'],
	parseError: parseDigishareError,
};

/** One Digishare call with the credential applied (shared/transport.ts: retries, errors, redaction); the parsed body. */
export async function digishareRequest<T = unknown>(this: ApiContext, request: ApiRequest): Promise<T> {
	return (await apiRequest.call(this, digishareApi, request)) as T;
}
