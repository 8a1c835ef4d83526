/**
 * The webhook kit every trigger of this package uses: body parsing with a 400 + reason on
 * malformed input, timing-safe secret and signature checks, the HTTP answers, and the one
 * normalized chat-event shape. What triggers remember (redeliveries) is in memory/.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { carry } from './memory/carried';

/** Which side of the conversation produced an event. */
export type ChatSenderType = 'customer' | 'agent' | 'bot' | 'system';

/** One shape for every inbound chat event, whatever the provider. */
export interface ChatEvent {
	provider: string;
	event: string;
	conversationId: string | null;
	messageId: string | null;
	text: string | null;
	messageType: string | null;
	sender: { type: ChatSenderType | null; id: string | null; name: string | null };
	createdAt: string | null;
	raw: IDataObject;
	/** LiveChatAI: the conversation's contact as LiveChatAI lists it. */
	contact?: { id: string | null; name: string | null; email: string | null; phone: string | null; distinctId: string | null } | null;
	/** LivePerson: the Consumer ID this workflow's LivePerson node opened the conversation for. */
	consumerId?: string | null;
}

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

// ---------------------------------------------------------------------------------------------
// Comparison and signatures
// ---------------------------------------------------------------------------------------------

/**
 * Constant-time string comparison. Both sides are hashed first so neither the content nor the
 * length of the expected secret leaks through timing.
 */
export function safeEqual(received: string | undefined | null, expected: string): boolean {
	if (typeof received !== 'string' || expected === '') return false;
	const a = createHmac('sha256', 'livechat-bridge').update(received).digest();
	const b = createHmac('sha256', 'livechat-bridge').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** HMAC of a raw body, e.g. for signed webhooks; `encoding` as the provider sends it. */
export function hmac(
	algorithm: 'sha1' | 'sha256' | 'sha512',
	secret: string,
	payload: Buffer | string,
	encoding: 'hex' | 'base64' = 'hex',
): string {
	return createHmac(algorithm, secret).update(payload).digest(encoding);
}

/**
 * Checks a signature header of the form `<algorithm>=<HMAC of the raw body>` (e.g. LivePerson's
 * `sha1=…` / `sha256=…`), the HMAC in base64 or hex, keyed with `secret` as UTF-8, compared in
 * constant time. Returns undefined when it matches, else whether it was missing or wrong.
 */
export function checkBodySignature(
	header: string | undefined,
	rawBody: Buffer,
	secret: string,
	algorithms: Array<'sha1' | 'sha256' | 'sha512'>,
): { missing: boolean; reason: string } | undefined {
	if (!header) return { missing: true, reason: 'Missing signature' };
	const match = /^([a-z0-9]+)=(.+)$/i.exec(header.trim());
	const algorithm = match?.[1].toLowerCase() as 'sha1' | 'sha256' | 'sha512' | undefined;
	if (!match || !algorithm || !algorithms.includes(algorithm)) return { missing: false, reason: `Unsupported signature format (expected ${algorithms.map((a) => `${a}=`).join(' or ')})` };
	if (secret === '') return { missing: false, reason: 'The trigger has no secret configured in its credential' };
	const received = match[2];
	// Both encodings are checked, so which one the sender uses does not show in the timing.
	const base64Ok = safeEqual(received, hmac(algorithm, secret, rawBody, 'base64'));
	const hexOk = safeEqual(received.toLowerCase(), hmac(algorithm, secret, rawBody, 'hex'));
	return base64Ok || hexOk ? undefined : { missing: false, reason: 'Wrong signature' };
}

function firstHeader(headers: ParsedRequest['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export type StaticSecretMode = 'none' | 'headerAuth' | 'basicAuth' | 'bearerAuth';

export interface StaticSecret {
	headerName?: string;
	secret?: string;
	username?: string;
}

/**
 * Checks the static secret a provider sends with each delivery. Returns undefined when it
 * matches, or the reason it does not (never the expected value).
 */
export function checkStaticSecret(
	headers: ParsedRequest['headers'],
	mode: StaticSecretMode,
	expected: StaticSecret,
): string | undefined {
	if (mode === 'none') return undefined;
	const secret = expected.secret ?? '';
	if (secret === '') return 'The trigger has no secret configured in its credential';
	if (mode === 'headerAuth') {
		const name = (expected.headerName ?? '').trim();
		if (!name) return 'The trigger has no header name configured in its credential';
		const received = firstHeader(headers, name);
		if (received === undefined) return `Missing header ${name}`;
		return safeEqual(received, secret) ? undefined : `Wrong value in header ${name}`;
	}
	const authorization = firstHeader(headers, 'authorization') ?? '';
	if (mode === 'bearerAuth') {
		const match = /^Bearer\s+(.+)$/i.exec(authorization);
		if (!match) return 'Missing bearer token';
		return safeEqual(match[1].trim(), secret) ? undefined : 'Wrong bearer token';
	}
	const match = /^Basic\s+(.+)$/i.exec(authorization);
	if (!match) return 'Missing basic authentication';
	const decoded = Buffer.from(match[1].trim(), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
	const password = colon >= 0 ? decoded.slice(colon + 1) : '';
	// Evaluate both comparisons so a wrong user takes as long as a wrong password.
	const userOk = safeEqual(user, expected.username ?? '');
	const passwordOk = safeEqual(password, secret);
	return userOk && passwordOk ? undefined : 'Wrong username or password';
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

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

/** A field by name, ignoring case (providers mix `sessionID` and `SessionID`). */
export function field(fields: IDataObject, name: string): unknown {
	if (name in fields) return fields[name];
	const lower = name.toLowerCase();
	const key = Object.keys(fields).find((candidate) => candidate.toLowerCase() === lower);
	return key === undefined ? undefined : fields[key];
}

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

/**
 * `webhookMethods` of a trigger whose provider has no API to register webhooks (the user enters
 * the URL in the provider's UI or manifest): activation has nothing to create or delete remotely.
 */
export const nothingToRegister = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/**
 * Answers the HTTP request now, exactly: a string goes out as text/plain, anything else as
 * JSON. Return `{ noWebhookResponse: true, workflowData }` after it to still start a run.
 */
export function answer(ctx: IWebhookFunctions, status: number, body: string | IDataObject): void {
	const res = ctx.getResponseObject();
	if (typeof body === 'string') {
		res.status(status);
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.end(body);
	} else {
		res.status(status).json(body);
	}
}

/** Answers the HTTP request now with a status and a JSON reason; starts no execution. */
export function reject(ctx: IWebhookFunctions, status: number, reason: string): IWebhookResponseData {
	answer(ctx, status, { error: reason });
	return { noWebhookResponse: true };
}

/** Acknowledges a delivery the user filtered out (or a duplicate): 200, no execution. */
export function acknowledge(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, skipped: reason } };
}

/**
 * Starts one execution with the given events, one item each, and answers `{"received":true}`
 * (the trigger's webhook description must set `responseData: ''` for n8n to send it). The items
 * carry the delivery key and the workflow's static data to the execution (memory/carried.ts).
 */
export function emit(
	ctx: IWebhookFunctions,
	events: ChatEvent[],
	deliveryKeys?: string | Array<string | undefined>,
): IWebhookResponseData {
	const items = events.map((event) => ({ json: event as unknown as IDataObject }));
	return { webhookResponse: { received: true }, workflowData: [carry(ctx, items, deliveryKeys)] };
}

// ---------------------------------------------------------------------------------------------
// Small readers for untyped payloads
// ---------------------------------------------------------------------------------------------

export function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

export function asString(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}
