/**
 * Shared types of the provider sandbox.
 *
 * Only type declarations live here (no runtime code), so every other sandbox
 * file can import from it without creating cycles.
 */

export type QueryValue = string | string[];
/** Query string as an object; a key given several times becomes an array (in order). */
export type QueryParams = Record<string, QueryValue>;
/** Request headers, names lower-cased (Node's own normalisation). */
export type HeaderMap = Record<string, string | string[]>;

/** `application/x-www-form-urlencoded` body (flat; repeated keys become arrays, `a[]` keys kept verbatim). */
export type FormBody = Record<string, string | string[]>;

export interface MultipartFile {
	/** form field name (`name=` of Content-Disposition) */
	field: string;
	/** `filename=` (or decoded `filename*=`) of Content-Disposition; may be '' */
	filename: string;
	/** part Content-Type, default `application/octet-stream` */
	contentType: string;
	/** exact bytes of the part, binary safe */
	data: Buffer;
	/** all part headers, names lower-cased */
	headers: Record<string, string>;
}

export interface MultipartBody {
	/** non-file parts decoded as UTF-8; repeated names become arrays */
	fields: Record<string, string | string[]>;
	files: MultipartFile[];
}

/**
 * How the request body was interpreted (decided by the request Content-Type):
 * - `none`: empty body (whatever the Content-Type)
 * - `json`: `application/json` or `*\/*+json`; `body` is the parsed value, or the raw
 *   string when parsing failed (then `bodyError` is set)
 * - `form`: `application/x-www-form-urlencoded` → {@link FormBody}
 * - `multipart`: `multipart/form-data` → {@link MultipartBody} (raw string + `bodyError` if malformed)
 * - `text`: anything else → UTF-8 string
 */
export type BodyKind = 'none' | 'json' | 'form' | 'multipart' | 'text';

export interface RecordedResponse {
	/** HTTP status sent; 0 while pending and for dropped connections */
	status: number;
	/** response headers, names lower-cased */
	headers: Record<string, string>;
	/** JSON value sent (a deep copy), a string/Buffer for raw bodies, undefined for none */
	body: unknown;
}

export interface RecordedRequest {
	/** 1-based arrival number (reset by `sandbox.reset()`) */
	seq: number;
	/** mount name, e.g. 'digishare', 'digishare-app'; '' when the first path segment matched no mount */
	provider: string;
	/** upper-case HTTP method */
	method: string;
	/** path after the mount base, e.g. '/messages' (no query string, no trailing slash) */
	path: string;
	/** original request target (path + query), as received */
	url: string;
	query: QueryParams;
	headers: HeaderMap;
	/** body bytes exactly as received on the wire (before any Content-Encoding decoding) */
	rawBody: Buffer;
	/** parsed body, see {@link BodyKind} */
	body: unknown;
	bodyKind: BodyKind;
	/** parse error for json/multipart bodies (body then holds the raw text) */
	bodyError?: string;
	receivedAt: Date;
	response: RecordedResponse;
	/** a fault matched this request (delay-only faults included) */
	faulted: boolean;
	/** the connection was destroyed by a `drop` fault */
	dropped: boolean;
}

/** What a route handler returns. */
export interface HandlerResult {
	status: number;
	/** JSON-serialised unless `raw` is given; omitted → empty body */
	body?: unknown;
	/** sent verbatim (set a content-type header yourself) */
	raw?: string | Buffer;
	/**
	 * streamed body (takes precedence over `body`/`raw`): every item is written as its own
	 * HTTP chunk (`Transfer-Encoding: chunked`, no Content-Length; set a content-type header
	 * yourself). The log's `response.body` is the concatenated text.
	 */
	stream?: Iterable<string | Buffer> | AsyncIterable<string | Buffer>;
	headers?: Record<string, string>;
}

export interface RequestContext {
	/** mount name */
	provider: string;
	method: string;
	path: string;
	/** `:name` route parameters, URL-decoded */
	params: Record<string, string>;
	query: QueryParams;
	headers: HeaderMap;
	rawBody: Buffer;
	body: unknown;
	bodyKind: BodyKind;
	bodyError?: string;
	/** public base URL of the mount, e.g. http://127.0.0.1:PORT/digishare/v1 */
	baseUrl: string;
	/** the log entry of this request */
	request: RecordedRequest;
	/** first value of a header (case-insensitive) */
	header(name: string): string | undefined;
	/** first value of a query parameter */
	queryValue(name: string): string | undefined;
}

export type RouteHandler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

export interface RouteDef {
	method: string;
	/** pattern relative to the mount base; `:name` segments are parameters, e.g. '/thirds/:id' */
	path: string;
	/** skip `ProviderModule.authenticate` (e.g. the OAuth token endpoint) */
	public?: boolean;
	handler: RouteHandler;
}

/**
 * One URL namespace of a provider: requests to `/<name><basePath>/...` are routed to `routes`.
 * `sandbox.baseUrl(name)` returns `http://127.0.0.1:PORT/<name><basePath>`.
 */
export interface MountDef {
	/** URL prefix and `provider` name in the request log, e.g. 'digishare-app' */
	name: string;
	/** path the real API puts before its routes, e.g. '/v1' or '/api' ('' for none) */
	basePath: string;
	routes: RouteDef[];
}

/** Default body/headers a provider wants on fault responses of a given status. */
export interface FaultDefaults {
	body?: unknown;
	headers?: Record<string, string>;
}

/**
 * A provider module: one per vendor (providers/<vendor>.ts). It owns its state and
 * route tables; the server does transport, parsing, logging, faults and routing.
 */
export interface ProviderModule {
	/** module name, used by `sandbox.provider(name)`, e.g. 'digishare' */
	readonly name: string;
	readonly mounts: ReadonlyArray<MountDef>;
	/** restore seed state (called by `sandbox.reset()`); should mutate containers in place */
	reset(): void;
	/** called for non-public routes after routing; return a result to reject the request */
	authenticate?(ctx: RequestContext, route: RouteDef): HandlerResult | undefined;
	/** body for unknown routes (default `{message}` 404) */
	notFound?(ctx: RequestContext): HandlerResult;
	/** body for a known path with the wrong method (default `{message}` 405 + Allow) */
	methodNotAllowed?(ctx: RequestContext, allowed: string[]): HandlerResult;
	/** defaults merged under a fault's own body/headers */
	faultDefaults?(status: number, ctx: RequestContext): FaultDefaults;
}

export interface FaultSpec {
	/** mount name the fault applies to, e.g. 'digishare' (use '*' for any) */
	provider: string;
	/** HTTP method (case-insensitive); omitted = any */
	method?: string;
	/** exact path after the mount base ('/messages') or a RegExp tested against it; omitted = any */
	path?: string | RegExp;
	/** status to answer with; omit (with `delayMs`) for a delay-only fault that then lets the request through */
	status?: number;
	/** JSON body (string/Buffer sent raw); omitted → provider default for the status */
	body?: unknown;
	/** extra response headers, merged over the provider defaults */
	headers?: Record<string, string>;
	/** how many matching requests it applies to; default 1; `Infinity` = until cleared */
	times?: number;
	/** wait before answering / dropping / passing through */
	delayMs?: number;
	/** destroy the socket instead of answering (client sees a reset / "socket hang up") */
	drop?: boolean;
}

export interface Fault extends FaultSpec {
	readonly id: number;
	/** matches left */
	remaining: number;
	/** matches consumed so far */
	hits: number;
}
