/**
 * LiveChatAI's side of the shared transport: its settings, one call, its two pagination styles, and
 * reading a Send Message answer in whichever format it came.
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { collectPages } from '../shared/pagination';
import type { ApiRequest, ProviderApi, ProviderError } from '../shared/provider-api';
import { apiRequest } from '../shared/transport';
import { LIMITS } from './schemas';

export const DEFAULT_BASE_URL = 'https://app.livechatai.com/api/v2';

/** LiveChatAI error body: `{status: "error", message, code}`. */
export function parseLiveChatAiError(_status: number, body: unknown): ProviderError | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const data = body as IDataObject;
	if (typeof data.message !== 'string' || !data.message) return undefined;
	return { message: data.message, code: typeof data.code === 'string' ? data.code : undefined };
}

export const liveChatAiApi: ProviderApi = {
	name: 'LiveChatAI',
	credentialType: 'liveChatAiApi',
	baseUrl: (credentials) => String(credentials.baseUrl || DEFAULT_BASE_URL),
	secretFields: ['apiKey'],
	parseError: parseLiveChatAiError,
};

/** One LiveChatAI call; the parsed JSON body (an empty object when there is none). */
export async function liveChatAiRequest(
	this: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
	request: ApiRequest,
): Promise<IDataObject> {
	const body = await apiRequest.call(this, liveChatAiApi, request);
	return (body && typeof body === 'object' ? body : {}) as IDataObject;
}

/**
 * Lists with `page` + `limit` and a `pages {hasNext}` block (agents, contacts, data sources).
 * `itemsOf` picks the records out of one page's body.
 */
export async function listByLimit(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	qs: IDataObject,
	limit: number | undefined,
	itemsOf: (body: IDataObject) => IDataObject[],
): Promise<IDataObject[]> {
	const pageSize = limit === undefined ? LIMITS.pageSize : Math.min(limit, LIMITS.pageSize);
	return await collectPages<IDataObject>(async (page) => {
		const body = await liveChatAiRequest.call(ctx, { method: 'GET', path, qs: { ...qs, page, limit: pageSize }, itemIndex });
		const pages = (body.pages ?? (body.data as IDataObject)?.pages) as IDataObject | undefined;
		const hasNext = pages?.hasNext === true || (typeof pages?.totalPages === 'number' && page < (pages.totalPages as number));
		return { items: itemsOf(body), hasMore: hasNext };
	}, limit);
}

/** Lists with `page` + `perPage` and a `meta {totalPages}` block (conversations, views). */
export async function listByPerPage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	qs: IDataObject,
	limit: number | undefined,
	key: string,
): Promise<IDataObject[]> {
	const pageSize = limit === undefined ? LIMITS.pageSize : Math.min(limit, LIMITS.pageSize);
	return await collectPages<IDataObject>(async (page) => {
		const body = await liveChatAiRequest.call(ctx, { method: 'GET', path, qs: { ...qs, page, perPage: pageSize }, itemIndex });
		const data = (body.data as IDataObject) ?? {};
		const meta = (data.meta as IDataObject) ?? {};
		const items = (data[key] as IDataObject[]) ?? [];
		return { items, hasMore: Number(meta.currentPage ?? page) < Number(meta.totalPages ?? 0) };
	}, limit);
}

// Send Message answers. LiveChatAI documents a `streaming` flag but not the streamed wire format. The node always
// returns the whole answer; this reads whatever came back: the JSON envelope, Server-Sent Events
// (`data:` lines with JSON chunks, plain-text chunks, or a final JSON object), or plain text.

const TEXT_KEYS = ['content', 'delta', 'text', 'token', 'chunk'] as const;
const META_KEYS = ['conversationId', 'contactId', 'messageId', 'responseMessageId', 'links'] as const;

export interface Answer extends IDataObject {
	response: string;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Folds one parsed event into the answer being built. */
function absorb(event: IDataObject, chunks: string[], meta: IDataObject): void {
	const inner = isObject(event.data) ? event.data : undefined;
	if (inner) absorb(inner, chunks, meta);
	for (const key of META_KEYS) if (event[key] !== undefined) meta[key] = event[key];
	if (typeof event.response === 'string') meta.response = event.response;
	for (const key of TEXT_KEYS) {
		const value = event[key];
		if (typeof value === 'string') {
			chunks.push(value);
			return;
		}
		if (isObject(value) && typeof value.content === 'string') {
			chunks.push(value.content);
			return;
		}
	}
}

/** The `data:` payloads of a Server-Sent Events body, one string per event. */
export function sseEvents(body: string): string[] {
	const events: string[] = [];
	let current: string[] = [];
	for (const line of body.split(/\r?\n/)) {
		if (line === '') {
			if (current.length) events.push(current.join('\n'));
			current = [];
		} else if (line.startsWith('data:')) {
			current.push(line.slice(5).replace(/^ /, ''));
		}
	}
	if (current.length) events.push(current.join('\n'));
	return events;
}

function looksLikeSse(body: string): boolean {
	return /^(data|event|id|retry):/m.test(body);
}

/** The answer and its IDs from a send-message response in any of the accepted formats. */
export function readAnswer(contentType: string, body: unknown): Answer {
	if (isObject(body)) {
		const data = isObject(body.data) ? body.data : body;
		return { ...data, response: typeof data.response === 'string' ? data.response : '' };
	}
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? '');
	if (contentType.includes('text/event-stream') || looksLikeSse(text)) {
		const chunks: string[] = [];
		const meta: IDataObject = {};
		for (const payload of sseEvents(text)) {
			if (payload.trim() === '[DONE]') continue;
			let parsed: unknown;
			try {
				parsed = JSON.parse(payload);
			} catch {
				parsed = undefined;
			}
			if (isObject(parsed)) absorb(parsed, chunks, meta);
			else if (typeof parsed === 'string') chunks.push(parsed);
			else chunks.push(payload);
		}
		const response = typeof meta.response === 'string' && meta.response ? meta.response : chunks.join('');
		return { ...meta, response };
	}
	return { response: text };
}
