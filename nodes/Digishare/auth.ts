/**
 * Digishare authentication, used by the credentials and the nodes alike: a Personal Access Token,
 * or an OAuth 2.0 client-credentials token that n8n fetches through the credential's
 * preAuthentication and keeps in its expirable `sessionToken` (fetched again after a 401); and the
 * webhook credential's check.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/** Bearer token on every request (a function: n8n would run its expression engine for an expression on every request). */
export async function authenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const token = credentials.authMode === 'clientCredentials' ? credentials.sessionToken : credentials.accessToken;
	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${String(token ?? '')}` };
	return requestOptions;
}

/** Rebuilt from the status and Digishare's message only: the original error carries the request (client secret included). */
function refusal(error: unknown): Error {
	const status = (error as { response?: { status?: number } }).response?.status;
	const data = (error as { response?: { data?: { message?: string; error?: string } } }).response?.data;
	const reason = data?.message ?? data?.error ?? (status ? `HTTP ${status}` : 'no response');
	return new Error(`OAuth token request failed: ${reason}`);
}

/** Client credentials: a new access token from `POST /oauth/token`; a Personal Access Token needs nothing. */
export async function fetchSessionToken(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ sessionToken?: string }> {
	if (credentials.authMode !== 'clientCredentials') return {};
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	const response = (await this.helpers
		.httpRequest({
			method: 'POST',
			url: `${baseUrl}/oauth/token`,
			body: {
				grant_type: 'client_credentials',
				client_id: credentials.clientId,
				client_secret: credentials.clientSecret,
			},
			json: true,
		})
		.catch((error: unknown) => Promise.reject(refusal(error)))) as { access_token?: string };
	if (!response.access_token) throw new Error('OAuth token response had no access_token');
	return { sessionToken: response.access_token };
}

/** The Digishare Trigger's test of its webhook credential: a secret, and a header name HTTP allows. */
export async function digishareWebhookSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	if (!String(data.secret ?? '').trim()) return { status: 'Error', message: 'Secret is empty' };
	if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(String(data.headerName ?? ''))) {
		return { status: 'Error', message: 'Header Name is not a valid HTTP header name' };
	}
	return { status: 'OK', message: 'The secret is set; deliveries are checked against it' };
}
