/**
 * Request body handling of n8n's webhook server (n8n 2.41), mirrored:
 *
 * packages/cli/src/abstract-server.ts registers the webhook routes after only the
 * `rawBodyReader` middleware (packages/cli/src/middlewares/body-parser.ts): it parses the
 * Content-Type header (`req.contentType` without parameters, `req.encoding` = charset,
 * default utf-8) and installs `req.readRawBody()`. Nothing is read yet; `req.body` is
 * undefined.
 *
 * packages/cli/src/webhooks/webhook-helpers.ts `parseRequestBody` then runs BEFORE the node's
 * `webhook()`:
 *  - `multipart/form-data` → formidable → `req.body = { data: fields, files }` (single-element
 *    arrays collapsed); files are removed again after `webhook()` returns;
 *  - node typeVersion > 1 and a content type that is not json / text/plain / urlencoded /
 *    xml → the body is NOT read: `req.body` and `req.rawBody` stay undefined (the node can
 *    call `await req.readRawBody()` itself);
 *  - otherwise `parseBody`: reads the raw body (gunzip/inflate by Content-Encoding) into
 *    `req.rawBody` (a Buffer, always, whatever the content type) and, only if it is not
 *    empty, sets `req.body` by exact content type: `application/json` → jsonParse,
 *    `…/xml`/`…+xml` → xml2js, `application/x-www-form-urlencoded` → node:querystring
 *    (a leading BOM is stripped for json/urlencoded),
 *    `text/plain` → string. Any other type leaves `req.body` undefined.
 *  - A body that fails to parse (e.g. malformed JSON) throws
 *    `UnprocessableRequestError('Failed to parse request body', <parser message>)`: n8n answers
 *    HTTP 422 `{"code":422,"message":"Failed to parse request body","hint":"<message>"}` and the
 *    node's `webhook()` is never called (no execution).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parse as parseQueryString } from 'node:querystring';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

import { parseIncomingMessage } from '@n8n/backend-network';
import { jsonParse, sanitizeXmlName } from 'n8n-workflow';

import type { HarnessRequest } from './express-shim';
import { HARNESS_USER_FOLDER } from './env';

/** n8n's `N8N_PAYLOAD_SIZE_MAX` default (MiB) */
const PAYLOAD_SIZE_MAX_MB = 16;

/** Error carrying the HTTP status n8n answers with (a `ResponseError` in n8n). */
export class HttpResponseError extends Error {
	constructor(
		message: string,
		readonly httpStatusCode: number,
		readonly errorCode: number = httpStatusCode,
		readonly hint?: string,
	) {
		super(message);
	}
}

// xml2js is a dependency of n8n-workflow, with the options n8n's body parser uses
const { Parser: XmlParser } = require('xml2js') as {
	Parser: new (options: object) => { parseStringPromise(xml: string): Promise<unknown> };
};
const XML_PARSER_OPTIONS = {
	async: true,
	normalize: true,
	normalizeTags: true,
	explicitArray: false,
	tagNameProcessors: [sanitizeXmlName],
	attrNameProcessors: [sanitizeXmlName],
};

/**
 * A new xml2js parser for every body. n8n 2.41 keeps ONE parser for all requests, but an xml2js
 * Parser is not reentrant: with `async: true` it keeps the text still to parse on the instance
 * (`this.remaining`) and never removes its 'end'/'error' listeners, so bodies parsed at the same
 * time overwrite each other — every request can get the last body, or never an answer. The harness
 * deliberately does not mirror that (no trigger of this package accepts XML; all answer 400).
 */
async function parseXml(text: string): Promise<unknown> {
	return await new XmlParser(XML_PARSER_OPTIONS).parseStringPromise(text);
}

async function readStream(stream: Readable, limit: number, expectedLength?: number) {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
		size += buf.length;
		if (size > limit) throw new HttpResponseError('request entity too large', 413);
		chunks.push(buf);
	}
	if (expectedLength !== undefined && size !== expectedLength) {
		throw new HttpResponseError('request size did not match content length', 400);
	}
	return Buffer.concat(chunks);
}

/** n8n's `rawBodyReader` middleware */
export function rawBodyReader(req: HarnessRequest) {
	parseIncomingMessage(req);
	req.readRawBody = async () => {
		if (!req.rawBody) {
			let stream: Readable = req;
			let contentLength: number | undefined;
			switch (req.headers['content-encoding']) {
				case 'gzip':
					stream = req.pipe(createGunzip());
					break;
				case 'deflate':
					stream = req.pipe(createInflate());
					break;
				default:
					if (req.headers['content-length'] !== undefined) {
						contentLength = Number(req.headers['content-length']);
					}
			}
			req.rawBody = await readStream(stream, PAYLOAD_SIZE_MAX_MB * 1024 * 1024, contentLength);
			req._body = true;
		}
	};
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** n8n's `parseBody` (packages/cli/src/middlewares/body-parser.ts) */
export async function parseBody(req: HarnessRequest) {
	if (req.contentType?.startsWith('multipart/')) return;
	await req.readRawBody();
	const { rawBody, contentType, encoding } = req;
	if (rawBody?.length) {
		try {
			if (contentType === 'application/json') {
				req.body = jsonParse(stripBom(rawBody.toString(encoding)));
			} else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
				req.body = await parseXml(rawBody.toString(encoding));
			} else if (contentType === 'application/x-www-form-urlencoded') {
				req.body = parseQueryString(stripBom(rawBody.toString(encoding)), undefined, undefined, {
					maxKeys: 1000,
				});
			} else if (contentType === 'text/plain') {
				req.body = rawBody.toString(encoding);
			}
		} catch (error) {
			throw new HttpResponseError('Failed to parse request body', 422, 422, (error as Error).message);
		}
	}
}

function isParsableContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

export interface UploadedFile {
	size: number;
	filepath: string;
	newFilename: string;
	originalFilename: string | null;
	mimetype: string | null;
	mtime: Date;
}

/**
 * Minimal multipart/form-data parser giving the shape n8n's formidable-based parser gives
 * (`{ data: fields, files }`, formidable File-like objects with the content on disk). Not a
 * full formidable: no streaming, no size limits, no nested multipart.
 */
async function parseMultipart(req: HarnessRequest): Promise<{ body: unknown; cleanup: () => Promise<void> }> {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers['content-type']));
	if (!match) throw new HttpResponseError('The submitted form data could not be parsed.', 400);
	const boundary = Buffer.from(`--${match[1] ?? match[2]}`);
	await req.readRawBody();
	const raw = req.rawBody ?? Buffer.alloc(0);
	const dir = join(HARNESS_USER_FOLDER, 'multipart', randomUUID());
	const data: Record<string, string[]> = {};
	const files: Record<string, UploadedFile[]> = {};
	// As formidable 3.5 (n8n 2.41) collects fields: a key counts only as an OWN property, so a
	// field named like an Object.prototype member ("constructor", "toString"…) is a field like any
	// other. (Looking `target[key]` up instead found the inherited function: "prev is not iterable".)
	// A field named "__proto__" is assigned as formidable does, which replaces the prototype of
	// that one map (the field does not show as a key) and never touches Object.prototype.
	const add = <T>(target: Record<string, T[]>, key: string, value: T) => {
		if (Object.prototype.hasOwnProperty.call(target, key)) target[key].push(value);
		else target[key] = [value];
	};
	let pos = raw.indexOf(boundary);
	while (pos !== -1) {
		const start = pos + boundary.length;
		if (raw.subarray(start, start + 2).toString() === '--') break;
		const next = raw.indexOf(boundary, start);
		if (next === -1) break;
		const part = raw.subarray(start + 2, next - 2); // strip CRLF after boundary and before next
		const headerEnd = part.indexOf('\r\n\r\n');
		const headerText = part.subarray(0, headerEnd).toString('utf8');
		const content = part.subarray(headerEnd + 4);
		const headers = Object.fromEntries(
			headerText.split('\r\n').map((line) => {
				const i = line.indexOf(':');
				return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
			}),
		);
		const disposition = headers['content-disposition'] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
		const filenameMatch = /\bfilename="([^"]*)"/i.exec(disposition);
		if (filenameMatch) {
			if (filenameMatch[1] !== '') {
				await mkdir(dir, { recursive: true });
				const newFilename = randomUUID();
				const filepath = join(dir, newFilename);
				await writeFile(filepath, content);
				add(files, name, {
					size: content.length,
					filepath,
					newFilename,
					originalFilename: filenameMatch[1],
					mimetype: headers['content-type'] ?? null,
					mtime: new Date(),
				});
			}
		} else {
			add(data, name, content.toString(req.encoding ?? 'utf8'));
		}
		pos = next;
	}
	// n8n's normalizeFormData: `for…in`, single-element arrays collapsed
	for (const target of [data, files] as Array<Record<string, unknown>>) {
		for (const key in target) {
			const v = target[key];
			if (Array.isArray(v) && v.length === 1) target[key] = v[0];
		}
	}
	// formidable consumes the stream itself: n8n has no `req.rawBody` for multipart requests
	(req as { rawBody?: Buffer }).rawBody = undefined;
	return { body: { data, files }, cleanup: async () => await rm(dir, { recursive: true, force: true }) };
}

/** n8n's `parseRequestBody` (webhook-helpers.ts); returns a cleanup for multipart files. */
export async function parseRequestBody(
	req: HarnessRequest,
	nodeTypeVersion: number,
): Promise<(() => Promise<void>) | undefined> {
	// (typeVersion 1 Webhook/Wait nodes with the `binaryData` option skip parsing — not relevant
	// for community nodes, not mirrored)
	if (req.contentType === 'multipart/form-data') {
		const { body, cleanup } = await parseMultipart(req);
		req.body = body;
		return cleanup;
	}
	if (nodeTypeVersion > 1 && !isParsableContentType(req.contentType)) return undefined;
	await parseBody(req);
	return undefined;
}
