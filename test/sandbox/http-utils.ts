/**
 * Body / query / header parsing for the sandbox, Node built-ins only.
 * All parsers are binary safe and never throw from `parseBody` (errors are reported).
 */
import * as http from 'http';
import * as https from 'https';
import * as zlib from 'zlib';
import type { BodyKind, FormBody, HeaderMap, MultipartBody, MultipartFile, QueryParams } from './types';

export interface ContentType {
	/** lower-cased media type, e.g. 'application/json'; '' when absent */
	type: string;
	/** parameters, names lower-cased, values unquoted */
	params: Record<string, string>;
}

/** Split `a; b="c;d"; e` on `;` outside quotes. */
function splitParams(value: string): string[] {
	const out: string[] = [];
	let cur = '';
	let inQuotes = false;
	for (let i = 0; i < value.length; i++) {
		const ch = value[i];
		if (inQuotes && ch === '\\' && i + 1 < value.length) {
			cur += ch + value[i + 1];
			i++;
			continue;
		}
		if (ch === '"') inQuotes = !inQuotes;
		if (ch === ';' && !inQuotes) {
			out.push(cur);
			cur = '';
			continue;
		}
		cur += ch;
	}
	out.push(cur);
	return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

function unquote(value: string): string {
	const v = value.trim();
	if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') {
		return v.slice(1, -1).replace(/\\(.)/g, '$1');
	}
	return v;
}

/**
 * Parse a header value of the form `token; key=value; key2="quoted"`.
 * RFC 5987 `key*=UTF-8''percent-encoded` values are decoded and stored under `key`
 * (taking precedence over a plain `key`).
 */
export function parseHeaderValue(value: string | undefined): ContentType {
	if (!value) return { type: '', params: {} };
	const parts = splitParams(value);
	const type = (parts.shift() ?? '').toLowerCase();
	const params: Record<string, string> = {};
	const extended: Record<string, string> = {};
	for (const part of parts) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const key = part.slice(0, eq).trim().toLowerCase();
		const raw = part.slice(eq + 1);
		if (key.endsWith('*')) {
			const m = /^([^']*)'[^']*'(.*)$/.exec(raw.trim());
			if (m) {
				try {
					extended[key.slice(0, -1)] = decodeURIComponent(m[2]);
				} catch {
					extended[key.slice(0, -1)] = m[2];
				}
			}
			continue;
		}
		params[key] = unquote(raw);
	}
	return { type, params: { ...params, ...extended } };
}

/** Add `value` under `key`, turning repeated keys into arrays. */
function addMulti(target: Record<string, string | string[]>, key: string, value: string): void {
	const existing = target[key];
	if (existing === undefined) target[key] = value;
	else if (Array.isArray(existing)) existing.push(value);
	else target[key] = [existing, value];
}

/** Query string (with or without leading '?') → object; repeated keys → arrays. */
export function parseQuery(search: string): QueryParams {
	const out: QueryParams = {};
	new URLSearchParams(search).forEach((value, key) => addMulti(out, key, value));
	return out;
}

/** `application/x-www-form-urlencoded` → flat object; repeated keys → arrays. */
export function parseUrlEncoded(text: string): FormBody {
	const out: FormBody = {};
	new URLSearchParams(text).forEach((value, key) => addMulti(out, key, value));
	return out;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Binary-safe `multipart/form-data` parser (RFC 7578). Throws on malformed input.
 * A part whose Content-Disposition has a `filename` parameter (even empty) is a file;
 * every other part is a text field decoded as UTF-8.
 */
export function parseMultipart(buf: Buffer, boundary: string): MultipartBody {
	if (!boundary) throw new Error('multipart boundary missing from Content-Type');
	const delimiter = Buffer.from('--' + boundary);
	const nextDelimiter = Buffer.concat([CRLF, delimiter]);
	const fields: Record<string, string | string[]> = {};
	const files: MultipartFile[] = [];

	let pos = buf.indexOf(delimiter);
	if (pos < 0) throw new Error('multipart boundary not found in body');
	for (;;) {
		pos += delimiter.length;
		// close delimiter: "--boundary--"
		if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) break;
		// optional transport padding, then CRLF
		while (buf[pos] === 0x20 || buf[pos] === 0x09) pos++;
		if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) pos += 2;
		else throw new Error('malformed multipart delimiter line');

		const end = buf.indexOf(nextDelimiter, pos);
		if (end < 0) throw new Error('unterminated multipart body (no closing boundary)');
		const part = buf.subarray(pos, end);
		pos = end + CRLF.length;

		let headerText: string;
		let data: Buffer;
		if (part[0] === 0x0d && part[1] === 0x0a) {
			// no part headers at all
			headerText = '';
			data = part.subarray(2);
		} else {
			const headerEnd = part.indexOf(HEADER_END);
			if (headerEnd < 0) throw new Error('multipart part without header terminator');
			headerText = part.subarray(0, headerEnd).toString('utf8');
			data = part.subarray(headerEnd + HEADER_END.length);
		}

		const headers: Record<string, string> = {};
		for (const line of headerText.split('\r\n')) {
			if (!line) continue;
			const colon = line.indexOf(':');
			if (colon < 0) throw new Error(`malformed multipart header line: ${line}`);
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = parseHeaderValue(headers['content-disposition']);
		const name = disposition.params.name ?? '';
		if (disposition.params.filename !== undefined) {
			files.push({
				field: name,
				filename: disposition.params.filename,
				contentType: headers['content-type'] || 'application/octet-stream',
				data: Buffer.from(data), // copy: detach from the request buffer
				headers,
			});
		} else {
			addMulti(fields, name, data.toString('utf8'));
		}
	}
	return { fields, files };
}

/** Decode a request Content-Encoding (gzip, x-gzip, deflate, br); identity/unknown → unchanged. */
export function decodeContentEncoding(raw: Buffer, encoding: string | undefined): Buffer {
	const enc = (encoding ?? '').trim().toLowerCase();
	if (raw.length === 0) return raw;
	if (enc === 'gzip' || enc === 'x-gzip') return zlib.gunzipSync(raw);
	if (enc === 'deflate') return zlib.inflateSync(raw);
	if (enc === 'br') return zlib.brotliDecompressSync(raw);
	return raw;
}

export function isJsonMediaType(type: string): boolean {
	return type === 'application/json' || /^[a-z]+\/[^;]*\+json$/.test(type);
}

export interface ParsedBody {
	kind: BodyKind;
	body: unknown;
	error?: string;
}

/** Interpret a (decoded) body according to the request Content-Type. Never throws. */
export function parseBody(raw: Buffer, contentTypeHeader: string | undefined): ParsedBody {
	if (raw.length === 0) return { kind: 'none', body: undefined };
	const ct = parseHeaderValue(contentTypeHeader);
	if (isJsonMediaType(ct.type)) {
		const text = raw.toString('utf8');
		try {
			return { kind: 'json', body: JSON.parse(text) };
		} catch (err) {
			return { kind: 'json', body: text, error: (err as Error).message };
		}
	}
	if (ct.type === 'application/x-www-form-urlencoded') {
		return { kind: 'form', body: parseUrlEncoded(raw.toString('utf8')) };
	}
	if (ct.type === 'multipart/form-data') {
		try {
			return { kind: 'multipart', body: parseMultipart(raw, ct.params.boundary ?? '') };
		} catch (err) {
			return { kind: 'multipart', body: raw.toString('latin1'), error: (err as Error).message };
		}
	}
	return { kind: 'text', body: raw.toString('utf8') };
}

/** First value of a header or query entry. */
export function firstValue(value: string | string[] | undefined): string | undefined {
	if (Array.isArray(value)) return value[0];
	return value;
}

/** Copy Node's IncomingHttpHeaders, dropping undefined entries. */
export function copyHeaders(headers: Record<string, string | string[] | undefined>): HeaderMap {
	const out: HeaderMap = {};
	for (const key of Object.keys(headers)) {
		const value = headers[key];
		if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.slice() : value;
	}
	return out;
}

/**
 * PHP/Laravel-style expansion of bracketed form keys, so form and multipart
 * fields can be validated like JSON: `users[]=a&users[]=b` → `{users:['a','b']}`,
 * `data[company]=x` → `{data:{company:'x'}}`, `a[0][b]=1` → `{a:[{b:'1'}]}`.
 */
export function expandBracketKeys(flat: Record<string, string | string[]>): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	const assign = (key: string, value: string): void => {
		const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
		if (!m || !m[2]) {
			const existing = root[key];
			root[key] = existing === undefined ? value : ([] as unknown[]).concat(existing, value);
			return;
		}
		const path = [m[1]].concat((m[2].match(/\[[^[\]]*\]/g) ?? []).map((s) => s.slice(1, -1)));
		let node: Record<string, unknown> | unknown[] = root;
		for (let i = 0; i < path.length; i++) {
			const seg = path[i];
			const last = i === path.length - 1;
			const nextSeg = last ? undefined : path[i + 1];
			const makeChild = (): Record<string, unknown> | unknown[] =>
				nextSeg === '' || (nextSeg !== undefined && /^\d+$/.test(nextSeg)) ? [] : {};
			if (Array.isArray(node)) {
				const idx = seg === '' ? node.length : Number(seg);
				if (last) node[idx] = value;
				else {
					if (node[idx] === undefined || typeof node[idx] !== 'object') node[idx] = makeChild();
					node = node[idx] as Record<string, unknown> | unknown[];
				}
			} else {
				if (last) node[seg] = value;
				else {
					if (node[seg] === undefined || typeof node[seg] !== 'object' || node[seg] === null) {
						node[seg] = makeChild();
					}
					node = node[seg] as Record<string, unknown> | unknown[];
				}
			}
		}
	};
	for (const key of Object.keys(flat)) {
		const value = flat[key];
		if (Array.isArray(value)) value.forEach((v) => assign(key, v));
		else assign(key, value);
	}
	return root;
}

/** What a webhook the sandbox posted to answered. */
export interface WebhookAnswer {
	status: number;
	/** response headers, names lower-cased */
	headers: Record<string, string | string[]>;
	/** parsed JSON when the answer says JSON and parses, otherwise the text */
	body: unknown;
	text: string;
}

/**
 * POSTs `body` to `url` the way a provider calls a webhook (no keep-alive: nothing left open after
 * the test) and resolves with the answer; rejects on a network error or after `timeoutMs`.
 */
export function postToWebhook(
	url: string,
	body: Buffer,
	headers: Record<string, string>,
	timeoutMs: number,
	label = 'webhook',
): Promise<WebhookAnswer> {
	return new Promise<WebhookAnswer>((resolve, reject) => {
		const target = new URL(url);
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(
			target,
			{ method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.length) }, timeout: timeoutMs },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown = text;
					if (/json/i.test(String(res.headers['content-type'] ?? ''))) {
						try {
							parsed = JSON.parse(text);
						} catch {
							parsed = text;
						}
					}
					const out: Record<string, string | string[]> = {};
					for (const k of Object.keys(res.headers)) {
						const v = res.headers[k];
						if (v !== undefined) out[k] = v;
					}
					resolve({ status: res.statusCode ?? 0, headers: out, body: parsed, text });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${label} ${url} timed out`)));
		req.on('error', reject);
		req.end(body);
	});
}

const tick = (ms: number): Promise<void> =>
	new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/** yields the pieces with a pause in between, so each is a separate write */
export async function* paced(pieces: string[], delayMs: number): AsyncGenerator<string> {
	for (let i = 0; i < pieces.length; i++) {
		if (i > 0) await tick(delayMs);
		yield pieces[i];
	}
}
