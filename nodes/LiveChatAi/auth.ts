/** LiveChatAI authentication, used by the credential and the nodes alike: the API key as a Bearer token. */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/** A function, not an expression: n8n would run its expression engine on every request. */
export async function authenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${String(credentials.apiKey ?? '')}` };
	return requestOptions;
}
