/** LiveChatAI's side of the shared transport, its two pagination styles, and the agent picker. */
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';
import { idParameter } from '../shared/parameters';
import type { ProviderError } from '../shared/errors';
import { collectPages } from '../shared/pagination';
import { apiRequest, type ApiRequest, type ProviderApi } from '../shared/transport';

export const DEFAULT_BASE_URL = 'https://app.livechatai.com/api/v2';

/** Workflow static data (global) key: IDs of messages this workflow's LiveChatAI node sent (the trigger skips them). */
export const OWN_MESSAGES_KEY = 'liveChatAiOwnMessages';

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
	this: IExecuteFunctions | ILoadOptionsFunctions,
	request: ApiRequest,
): Promise<IDataObject> {
	const body = await apiRequest.call(this, liveChatAiApi, request);
	return (body && typeof body === 'object' ? body : {}) as IDataObject;
}

/** Largest page LiveChatAI serves (docs: perPage / limit 1–100). */
export const MAX_PAGE_SIZE = 100;

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
	const pageSize = limit === undefined ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE);
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
	const pageSize = limit === undefined ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE);
	return await collectPages<IDataObject>(async (page) => {
		const body = await liveChatAiRequest.call(ctx, { method: 'GET', path, qs: { ...qs, page, perPage: pageSize }, itemIndex });
		const data = (body.data as IDataObject) ?? {};
		const meta = (data.meta as IDataObject) ?? {};
		const items = (data[key] as IDataObject[]) ?? [];
		return { items, hasMore: Number(meta.currentPage ?? page) < Number(meta.totalPages ?? 0) };
	}, limit);
}

/** Agent picker: from a list loaded from the account, or by ID. */
export const agentIdProperty: INodeProperties = {
	displayName: 'Agent',
	name: 'agentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The LiveChatAI AI agent',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchAgents', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'clx1234567890abcdef',
		},
	],
};

/** The chosen agent's ID (from the list or typed); the error names the field when there is none. */
export function agentIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(ctx, itemIndex, 'agentId', 'Agent', { required: true, extractValue: true });
}

/** listSearch method: agents of the account, filtered by name, 100 per page. */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const body = await liveChatAiRequest.call(this, { method: 'GET', path: '/agents', qs: { page, limit: MAX_PAGE_SIZE } });
	const agents = ((body.data as IDataObject[]) ?? []).filter(
		(agent) => !filter || String(agent.name ?? '').toLowerCase().includes(filter.toLowerCase()),
	);
	const pages = body.pages as IDataObject | undefined;
	return {
		results: agents.map((agent) => ({ name: String(agent.name ?? agent.id), value: String(agent.id) })),
		paginationToken: pages?.hasNext ? String(page + 1) : undefined,
	};
}

/** LiveChatAI's inboxes (the list's `type`), for the Get Many filter and the trigger's. */
export const INBOX_OPTIONS = [
	{ name: 'All', value: 'all' },
	{ name: 'Unassigned', value: 'unassigned' },
	{ name: 'Your Inbox', value: 'your-inbox', description: 'Assigned to the user the API key belongs to' },
];
