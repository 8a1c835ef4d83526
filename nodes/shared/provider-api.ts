/** What a provider tells the shared transport about itself, and the shapes of a call and its answer. */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

export interface ProviderError {
	/** The provider's own human-readable message. */
	message: string;
	/** Extra detail shown under the message (field errors, request id, ...). */
	description?: string;
	/** Provider error code, if it has one. */
	code?: string;
}

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

/** What a provider tells the shared transport about itself. */
export interface ProviderApi {
	/** Display name used in messages, e.g. "Digishare". */
	name: string;
	/** n8n credential type name, e.g. "digishareApi". */
	credentialType: string;
	/** Base URL (no trailing slash) from the decrypted credential. */
	baseUrl(credentials: IDataObject): string;
	/** Credential fields whose values must never appear in an error or output. */
	secretFields: string[];
	/** Reads the provider's error body. Return undefined to fall back to a generic message. */
	parseError(status: number, body: unknown): ProviderError | undefined;
	/**
	 * For providers that report failures inside a 2xx answer (LivePerson: a `code` other than OK,
	 * per request of a batch): the error in a successful response's parsed body, if any.
	 */
	errorInBody?(body: unknown): ProviderError | undefined;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. "/messages". */
	path?: string;
	/** Absolute URL, for endpoints that live on another host than the base URL. */
	url?: string;
	body?: IDataObject | IDataObject[] | string | Buffer | FormData;
	qs?: IDataObject;
	headers?: IDataObject;
	/** Item the request is made for; errors carry it. */
	itemIndex?: number;
	/** Override the retry-safety of the method (default: every method but POST is idempotent). */
	idempotent?: boolean;
	/** Send/parse JSON (default true). */
	json?: boolean;
	/** Return raw bytes (for downloads). */
	encoding?: IHttpRequestOptions['encoding'];
	/** Milliseconds to wait for an answer (default `retryPolicy.timeoutMs`). */
	timeoutMs?: number;
	/**
	 * False for calls the node authenticates itself (tokens it manages) or that must not get the
	 * credential (pre-signed file URLs). Default true: n8n applies the credential.
	 */
	authenticated?: boolean;
	/**
	 * For tokens the node manages itself: called once on a 401 with the answer; returns the
	 * headers to retry with (e.g. a freshly fetched token), or undefined to fail with the 401.
	 */
	onUnauthorized?(response: ApiResponse): Promise<IDataObject | undefined>;
}

export interface ApiResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
}
