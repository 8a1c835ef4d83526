/**
 * Reading a webhook delivery: headers, raw bytes and body, parsed per encoding. Malformed input
 * gets a status and a reason for the sender.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { asObject } from '../readers';

export interface ParsedRequest {
	headers: Record<string, string | string[] | undefined>;
	contentType: string;
	rawBody: Buffer;
	body: unknown;
	query: IDataObject;
}

export type ParseResult =
	| { ok: true; request: ParsedRequest }
	/** `wrongType`: refused for its Content-Type alone, before anything of the body was read. */
	| { ok: false; status: number; reason: string; wrongType?: boolean };

export function firstHeader(headers: ParsedRequest['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function mediaType(contentType: string): string {
	return contentType.split(';')[0].trim().toLowerCase();
}

export function isJsonMediaType(contentType: string): boolean {
	const type = mediaType(contentType);
	return type === 'application/json' || type.endsWith('+json');
}

/** Reads the request n8n hands the trigger: headers, raw bytes (when n8n kept them), parsed body. */
export function readRequest(ctx: IWebhookFunctions): ParsedRequest {
	const req = ctx.getRequestObject() as unknown as {
		headers: ParsedRequest['headers'];
		rawBody?: Buffer;
		body?: unknown;
		query?: IDataObject;
	};
	const headers = req.headers ?? {};
	const contentType = firstHeader(headers, 'content-type') ?? '';
	let rawBody: Buffer;
	if (Buffer.isBuffer(req.rawBody)) rawBody = req.rawBody;
	else if (typeof req.body === 'string') rawBody = Buffer.from(req.body, 'utf8');
	else rawBody = Buffer.alloc(0);
	return { headers, contentType, rawBody, body: req.body, query: req.query ?? {} };
}

/**
 * Parses a JSON webhook delivery. Malformed input gets a reason for the sender; the raw bytes
 * are parsed when present so the node never depends on how n8n pre-parsed the body.
 */
export function parseJsonRequest(ctx: IWebhookFunctions, providerName: string): ParseResult {
	const request = readRequest(ctx);
	if (!isJsonMediaType(request.contentType)) {
		return {
			ok: false,
			status: 400,
			wrongType: true,
			reason: `Unsupported Content-Type "${mediaType(request.contentType) || '(none)'}": ${providerName} webhooks must be sent as application/json`,
		};
	}
	let body: unknown = request.body;
	if (request.rawBody.length > 0) {
		try {
			body = JSON.parse(request.rawBody.toString('utf8'));
		} catch (error) {
			return { ok: false, status: 400, reason: `Malformed JSON body: ${(error as Error).message}` };
		}
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, status: 400, reason: 'The body must be a JSON object' };
	}
	return { ok: true, request: { ...request, body } };
}

/** An uploaded file as n8n's webhook server hands it over (formidable's file object). */
export interface UploadedFile {
	filepath: string;
	originalFilename?: string | null;
	mimetype?: string | null;
	size?: number;
}

export interface FieldsRequest {
	/** Body fields, whatever the encoding (JSON object, url-encoded form, or multipart fields). */
	fields: IDataObject;
	/** Multipart file parts by field name. */
	files: Record<string, UploadedFile>;
	encoding: 'json' | 'form' | 'multipart';
}

export type FieldsResult = { ok: true; request: FieldsRequest } | { ok: false; status: number; reason: string };

/**
 * Reads a delivery whose encoding the provider leaves open: JSON, url-encoded form or
 * multipart (n8n parses all three before the trigger runs; multipart arrives as
 * `{data, files}` with the files on disk).
 */
export function parseFieldsRequest(ctx: IWebhookFunctions): FieldsResult {
	const request = readRequest(ctx);
	const type = mediaType(request.contentType);
	const body = asObject(request.body);
	if (type === 'multipart/form-data') {
		const files: Record<string, UploadedFile> = {};
		for (const [name, value] of Object.entries(asObject(body?.files) ?? {})) {
			const file = Array.isArray(value) ? value[0] : value;
			if (file && typeof (file as UploadedFile).filepath === 'string') files[name] = file as UploadedFile;
		}
		return { ok: true, request: { fields: asObject(body?.data) ?? {}, files, encoding: 'multipart' } };
	}
	if (type === 'application/x-www-form-urlencoded') {
		return { ok: true, request: { fields: body ?? {}, files: {}, encoding: 'form' } };
	}
	if (isJsonMediaType(type) || type === 'text/plain' || type === '') {
		if (body) return { ok: true, request: { fields: body, files: {}, encoding: 'json' } };
		const text = request.rawBody.toString('utf8').trim();
		if (text === '') return { ok: true, request: { fields: {}, files: {}, encoding: 'json' } };
		try {
			const parsed = asObject(JSON.parse(text));
			if (parsed) return { ok: true, request: { fields: parsed, files: {}, encoding: 'json' } };
		} catch (error) {
			return { ok: false, status: 400, reason: `Malformed JSON body: ${(error as Error).message}` };
		}
		return { ok: false, status: 400, reason: 'The body must be a JSON object' };
	}
	return {
		ok: false,
		status: 400,
		reason: `Unsupported Content-Type "${type}": send JSON, a url-encoded form or multipart/form-data`,
	};
}
