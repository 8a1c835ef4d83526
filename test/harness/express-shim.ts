/**
 * express is not installed in this package, so the webhook server decorates node's own
 * IncomingMessage / ServerResponse with the parts of the express 5 API that nodes use
 * (n8n hands nodes express `req`/`res` objects: `this.getRequestObject()`,
 * `this.getResponseObject()`). Bodies are written exactly as express would for the common
 * cases; ETag generation and content negotiation are not implemented.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

// n8n 2.41's webhook server is express 5.1 with `app.set('query parser', 'extended')`, which is
// `qs.parse(query, { allowPrototypes: true })`. qs is installed as a dependency of n8n's deps.
const qs = require('qs') as { parse(str: string, options?: object): Record<string, unknown> };

/**
 * n8n-workflow augments node's IncomingMessage with what n8n's rawBodyReader adds:
 * `contentType`, `encoding`, `contentDisposition`, `rawBody`, `readRawBody()`, `_body`.
 */
export interface HarnessRequest extends IncomingMessage {
	body?: unknown;
	query: Record<string, unknown>;
	params: Record<string, string>;
	path: string;
	originalUrl: string;
	baseUrl: string;
	protocol: string;
	secure: boolean;
	hostname: string;
	ip?: string;
	cookies?: Record<string, string>;
	get(name: string): string | string[] | undefined;
	header(name: string): string | string[] | undefined;
}

export interface HarnessResponse extends ServerResponse {
	req: HarnessRequest;
	locals: Record<string, unknown>;
	status(code: number): this;
	sendStatus(code: number): this;
	set(field: string | Record<string, string | string[]>, value?: string | string[]): this;
	header(field: string | Record<string, string | string[]>, value?: string | string[]): this;
	get(field: string): string | number | string[] | undefined;
	append(field: string, value: string | string[]): this;
	type(type: string): this;
	contentType(type: string): this;
	location(url: string): this;
	redirect(statusOrUrl: number | string, url?: string): void;
	json(body?: unknown): this;
	send(body?: unknown): this;
}

const SHORT_TYPES: Record<string, string> = {
	json: 'application/json',
	html: 'text/html',
	text: 'text/plain',
	txt: 'text/plain',
	xml: 'application/xml',
	bin: 'application/octet-stream',
	js: 'application/javascript',
	css: 'text/css',
	form: 'application/x-www-form-urlencoded',
	urlencoded: 'application/x-www-form-urlencoded',
};

/** express (mime-types `contentType`) appends a utf-8 charset to textual types. */
function withCharset(value: string): string {
	if (/;\s*charset=/i.test(value)) return value;
	const type = value.split(';')[0].trim().toLowerCase();
	if (
		type.startsWith('text/') ||
		type === 'application/json' ||
		type === 'application/javascript' ||
		type.endsWith('+json')
	) {
		return `${value}; charset=utf-8`;
	}
	return value;
}

export function decorateRequest(req: IncomingMessage, routePrefixLength: number): HarnessRequest {
	const r = req as HarnessRequest;
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	r.originalUrl = req.url ?? '/';
	r.path = url.pathname;
	r.baseUrl = url.pathname.slice(0, routePrefixLength);
	r.query = qs.parse(url.search.replace(/^\?/, ''), { allowPrototypes: true }) as HarnessRequest['query'];
	r.params = {};
	r.protocol = 'http';
	r.secure = false;
	r.hostname = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
	r.ip = req.socket.remoteAddress;
	r.get = r.header = (name: string) => {
		const lc = name.toLowerCase();
		if (lc === 'referer' || lc === 'referrer') return req.headers.referer ?? req.headers.referrer;
		return req.headers[lc];
	};
	return r;
}

export function decorateResponse(res: ServerResponse, req: HarnessRequest): HarnessResponse {
	const r = res as HarnessResponse;
	r.req = req;
	r.locals = {};
	r.status = function (code) {
		this.statusCode = code;
		return this;
	};
	r.set = r.header = function (field, value) {
		if (typeof field === 'object') {
			for (const [k, v] of Object.entries(field)) this.set(k, v);
			return this;
		}
		let v: string | string[] = Array.isArray(value) ? value.map(String) : String(value);
		if (field.toLowerCase() === 'content-type' && typeof v === 'string') v = withCharset(v);
		this.setHeader(field, v);
		return this;
	};
	r.get = function (field) {
		return this.getHeader(field);
	};
	r.append = function (field, value) {
		const prev = this.getHeader(field);
		const add = Array.isArray(value) ? value : [value];
		const next = prev === undefined ? add : [...(Array.isArray(prev) ? prev : [String(prev)]), ...add];
		this.setHeader(field, next.length === 1 ? next[0] : next);
		return this;
	};
	r.type = r.contentType = function (type) {
		const ct = type.includes('/') ? type : (SHORT_TYPES[type.replace(/^\./, '')] ?? 'application/octet-stream');
		return this.set('Content-Type', ct);
	};
	r.location = function (url) {
		this.setHeader('Location', encodeURI(url));
		return this;
	};
	r.redirect = function (statusOrUrl, url) {
		const status = typeof statusOrUrl === 'number' ? statusOrUrl : 302;
		const target = typeof statusOrUrl === 'number' ? (url as string) : statusOrUrl;
		this.location(target);
		this.statusCode = status;
		this.set('Content-Type', 'text/plain');
		this.end(`${STATUS_CODES[status]}. Redirecting to ${target}`);
	};
	r.sendStatus = function (code) {
		this.statusCode = code;
		this.type('txt');
		return this.send(STATUS_CODES[code] ?? String(code));
	};
	r.json = function (body) {
		const text = JSON.stringify(body);
		if (!this.getHeader('Content-Type')) this.set('Content-Type', 'application/json');
		return this.send(text ?? '');
	};
	r.send = function (body) {
		let chunk: string | Buffer;
		if (body === undefined || body === null) {
			chunk = '';
		} else if (typeof body === 'string') {
			if (!this.getHeader('Content-Type')) this.set('Content-Type', 'text/html');
			chunk = body;
		} else if (Buffer.isBuffer(body)) {
			if (!this.getHeader('Content-Type')) this.set('Content-Type', 'application/octet-stream');
			chunk = body;
		} else if (typeof body === 'object' || typeof body === 'boolean' || typeof body === 'number') {
			return this.json(body);
		} else {
			chunk = String(body);
		}
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
		if (this.statusCode === 204 || this.statusCode === 304) {
			this.removeHeader('Content-Type');
			this.removeHeader('Content-Length');
			this.removeHeader('Transfer-Encoding');
			this.end();
			return this;
		}
		this.setHeader('Content-Length', buffer.length);
		if (req.method === 'HEAD') this.end();
		else this.end(buffer);
		return this;
	};
	return r;
}
