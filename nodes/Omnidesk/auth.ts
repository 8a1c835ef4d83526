/**
 * Omnidesk authentication, used by the credential and the nodes alike: the account's API key,
 * sent as an `apiKey` header, a `?apiKey=` query parameter, or both (Omnidesk's pages disagree on
 * where it goes). The chat account token travels in the chat calls' form (api.ts).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

export async function authenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const placement = (credentials.keyLocation as string) || 'both';
	const apiKey = String(credentials.apiKey ?? '');
	if (placement !== 'query') requestOptions.headers = { ...(requestOptions.headers ?? {}), apiKey };
	if (placement !== 'header') requestOptions.qs = { ...(requestOptions.qs ?? {}), apiKey };
	return requestOptions;
}
