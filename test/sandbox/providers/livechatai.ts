/**
 * LiveChatAI REST API v2 fake, following /work/shared/providers/livechatai.md (referred to as "§n")
 * and its seed page (seeds/002_*.txt, "seed": POST /conversations). Where the docs are silent the
 * chosen behaviour is marked "SANDBOX CHOICE".
 *
 * Mount:
 *   livechatai   /api/v2   https://app.livechatai.com/api/v2 (= the credential's base URL)
 *
 * Conventions (§3): `Authorization: Bearer <key>`; JSON bodies only; success bodies carry
 * `status:'success'`; every error is `{status:'error', message, code}`.
 *
 * State is public for assertions (agents, conversations, contacts, dataSources, views, sends, …)
 * and restored to the deterministic seed by reset().
 */
import * as crypto from 'crypto';
import * as http from 'http';
import type { FaultDefaults, HandlerResult, MountDef, ProviderModule, RequestContext } from '../types';
import { paced } from '../http-utils';
import { isPlainObject } from '../validation';

// =====================================================================================
// Constants and seed ids (exported for tests)
// =====================================================================================

/** The valid API key, seeded with every permission in LIVECHATAI_PERMISSIONS. */
export const LIVECHATAI_API_KEY = 'lcai_test_9f8e7d6c5b4a39281706';

/**
 * API-key permissions. §2: 403 means "the key lacks some permission", names are not documented.
 * SANDBOX CHOICE: one read and one write permission per resource family.
 */
export const LIVECHATAI_PERMISSIONS = {
	conversationsRead: 'conversations:read',
	conversationsWrite: 'conversations:write',
	contactsRead: 'contacts:read',
	contactsWrite: 'contacts:write',
	agentsRead: 'agents:read',
	dataSourcesRead: 'data-sources:read',
	dataSourcesWrite: 'data-sources:write',
} as const;

/** AI agents ("chatbots"). `support` is the seed's agentId. */
export const LIVECHATAI_AGENT_IDS = {
	/** 'Support Bot', slug 'support-bot', live chat on, en: 22 conversations, 21 contacts, 4 data sources, 2 views */
	support: 'clx1234567890abcdef',
	/** 'Sales Assistant', slug 'sales-assistant', fr: 3 conversations, 2 contacts, 1 data source */
	sales: 'clx2b3c4d5e6f7g8h9i',
	/** 'Legacy FAQ', slug 'legacy-faq', archived, de: nothing */
	legacy: 'clx3c4d5e6f7g8h9i0j',
} as const;

export const LIVECHATAI_AGENT_SLUGS = {
	support: 'support-bot',
	sales: 'sales-assistant',
	legacy: 'legacy-faq',
} as const;

/** Workspace users (human agents) accepted as `userId` of the reply endpoint. */
export const LIVECHATAI_USER_IDS = {
	/** 'Olivia Owner': the user the API key belongs to (`type=your-inbox`) */
	owner: 'clusr1a2b3c4d5e6f7g8',
	/** 'Sam Support' */
	agent: 'clusr9h8g7f6e5d4c3b2',
} as const;

export const LIVECHATAI_SEED_COUNTS = {
	agents: 3,
	users: 2,
	conversations: 25,
	supportConversations: 22,
	salesConversations: 3,
	contacts: 23,
	supportContacts: 21,
	salesContacts: 2,
	dataSources: 5,
	supportDataSources: 4,
	salesDataSources: 1,
	views: 2,
} as const;

/** Ids of the 25 seeded conversations in seed order (= createdAt / lastMessageDate order). */
export const LIVECHATAI_SEED_CONVERSATION_IDS: readonly string[] = Array.from(
	{ length: LIVECHATAI_SEED_COUNTS.conversations },
	(_, i) => `chat_${1234567890 + i}`,
);

/** Ids of the 23 seeded contacts in seed order (0–20 support, 21–22 sales). */
export const LIVECHATAI_SEED_CONTACT_IDS: readonly string[] = Array.from(
	{ length: LIVECHATAI_SEED_COUNTS.contacts },
	(_, i) => `contact_${1234567890 + i}`,
);

/** Named seed conversations (all of the support agent unless noted). */
export const LIVECHATAI_CONVERSATION_IDS = {
	/** the seed's example id; open, AI only, contact `main`; Q "What are your business hours?" */
	main: 'chat_1234567890',
	/** human took over: isAgent, assigned to users.agent, last message a human reply (role 'agent') */
	human: 'chat_1234567891',
	/** isResolved (status=close) */
	resolved: 'chat_1234567892',
	/** integrationType WHATSAPP, starred */
	whatsapp: 'chat_1234567893',
	/** integrationType SLACK, muted */
	slack: 'chat_1234567894',
	/** assigned to users.owner (type=your-inbox) */
	ownerInbox: 'chat_1234567897',
	/** newest seeded conversation of the support agent (second one of contact `main`) */
	latest: 'chat_1234567911',
	/** first conversation of the sales agent */
	sales: 'chat_1234567912',
} as const;

export const LIVECHATAI_CONTACT_IDS = {
	/** support agent, distinctId 'user-001', the seed's example contactId format */
	main: 'contact_1234567890',
	/** sales agent, distinctId 'user-022' */
	sales: 'contact_1234567911',
} as const;

export const LIVECHATAI_DATA_SOURCE_IDS = {
	/** support, WEBSITE https://example.com/page (the seed's cited link) */
	page: 'clds000000000000001',
	/** support, WEBSITE https://example.com/pricing */
	pricing: 'clds000000000000002',
	/** support, TEXT 'Returns policy' */
	returns: 'clds000000000000003',
	/** support, QA 'Do you ship internationally?' */
	shipping: 'clds000000000000004',
	/** sales, PDF 'Sales deck 2025' */
	salesDeck: 'clds000000000000005',
} as const;

export const LIVECHATAI_VIEW_IDS = {
	/** support: status = open */
	open: 'clview00000000000001',
	/** support: integrationType = WHATSAPP */
	whatsapp: 'clview00000000000002',
} as const;

/**
 * Contact attribute keys pre-defined per agent (§5.1, help centre: types string, number, boolean,
 * timestamp). POST /contacts silently drops other keys.
 */
export const LIVECHATAI_ATTRIBUTE_DEFINITIONS: Readonly<Record<string, Readonly<Record<string, LiveChatAIAttributeType>>>> = {
	[LIVECHATAI_AGENT_IDS.support]: { plan: 'string', seats: 'number', vip: 'boolean', signupAt: 'timestamp' },
	[LIVECHATAI_AGENT_IDS.sales]: { company: 'string' },
	[LIVECHATAI_AGENT_IDS.legacy]: {},
};

/**
 * Secret for `userHash` when secure identification is on (the hash algorithm is undocumented).
 * SANDBOX CHOICE: userHash = hex HMAC-SHA256(secret, distinctId), the usual identity-verification scheme.
 */
export const LIVECHATAI_IDENTITY_SECRET = 'lcai_identity_secret_test_0123456789';

/** The seed's answer, returned for any question containing "hours" (both formats). */
export const LIVECHATAI_HOURS_ANSWER = 'Our business hours are Monday to Friday, 9 AM to 6 PM EST.';

export const LIVECHATAI_STREAM_FORMATS = ['json', 'sse', 'sse-text', 'text'] as const;

export const LIVECHATAI_DATA_SOURCE_TYPES = ['WEBSITE', 'TEXT', 'QA', 'PDF', 'DOCX', 'IMAGE'] as const;

/** The userHash the sandbox expects for a distinctId (see LIVECHATAI_IDENTITY_SECRET). */
export function livechatAiUserHash(distinctId: string, secret: string = LIVECHATAI_IDENTITY_SECRET): string {
	return crypto.createHmac('sha256', secret).update(distinctId).digest('hex');
}

// =====================================================================================
// State types
// =====================================================================================

export type LiveChatAIAttributeType = 'string' | 'number' | 'boolean' | 'timestamp';
export type LiveChatAIStreamFormat = (typeof LIVECHATAI_STREAM_FORMATS)[number];
export type LiveChatAIDataSourceType = (typeof LIVECHATAI_DATA_SOURCE_TYPES)[number];
export type LiveChatAIResponseFormat = 'MARKDOWN' | 'PLAIN';
export type LiveChatAIMessageType = 'TEXT' | 'IMAGE';
/**
 * Message roles. The docs only show `user`. SANDBOX CHOICE: `assistant` for AI answers (the
 * common LLM convention) and `agent` for human-agent replies (whose reply response says
 * `sender:'AGENT'`; `agent` is that value lower-cased, like `user`).
 */
export type LiveChatAIRole = 'user' | 'assistant' | 'agent';

export interface LiveChatAIAgent {
	id: string;
	slug: string;
	name: string;
	isLiveChatEnabled: boolean;
	language: string;
	isArchived: boolean;
	createdAt: string;
	updatedAt: string;
	/** secure identification (POST /contacts then needs a valid userHash); not serialised */
	secureIdentification: boolean;
}

export interface LiveChatAIUser {
	id: string;
	name: string;
	email: string;
	avatar: string;
}

export interface LiveChatAILink {
	link: string;
	type: string;
}

export interface LiveChatAISource {
	id: string | null;
	type: string;
	link: string;
	distance: number;
}

export interface LiveChatAIMessage {
	id: string;
	conversationId: string;
	content: string;
	role: LiveChatAIRole;
	type: LiveChatAIMessageType;
	/** retrieval sources (AI answers only) */
	source: LiveChatAISource[];
	/** human author (role 'agent') */
	userId: string | null;
	createdAt: string;
}

export interface LiveChatAIConversation {
	id: string;
	agentId: string;
	contactId: string;
	isResolved: boolean;
	isStarred: boolean;
	isMuted: boolean;
	/** a human agent took over (set by a reply) */
	isAgent: boolean;
	integrationType: string | null;
	/** assigned human (workspace user) */
	assignedUserId: string | null;
	/**
	 * AIHelped | AIDidNotHelp | TalkToAgent (a list filter in the docs, no documented response field:
	 * not serialised). Set by requestHuman().
	 */
	resolution?: string | null;
	ip: string | null;
	country: string | null;
	lastMessageDate: string;
	createdAt: string;
	updatedAt: string;
	messages: LiveChatAIMessage[];
}

export interface LiveChatAIContact {
	id: string;
	agentId: string;
	/** null for anonymous contacts created by POST /conversations */
	distinctId: string | null;
	name: string | null;
	email: string | null;
	phone: string | null;
	country: string | null;
	ip: string | null;
	attributes: Record<string, unknown>;
	createdAt: string;
	updatedAt: string;
}

export interface LiveChatAIDataSource {
	id: string;
	agentId: string;
	title: string;
	text: string | null;
	url: string | null;
	source: LiveChatAIDataSourceType;
	status: string;
	characterCount: number;
	isGeneratedByAI: boolean;
	relatedMessageId: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface LiveChatAIViewRule {
	field: string;
	operator: string;
	value: unknown;
}

export interface LiveChatAIView {
	id: string;
	agentId: string;
	name: string;
	query: { combinator: 'and' | 'or'; rules: LiveChatAIViewRule[] };
	createdAt: string;
}

/** One POST /conversations call that got through validation. */
export interface LiveChatAISendRecord {
	/** request log `seq` */
	seq: number;
	agentId: string;
	conversationId: string;
	contactId: string;
	newConversation: boolean;
	question: string;
	messageType: LiveChatAIMessageType;
	responseFormat: LiveChatAIResponseFormat;
	streaming: boolean;
	/** variant served for `streaming: true` (the streamFormat at that moment), null when not streaming */
	streamFormat: LiveChatAIStreamFormat | null;
	/** answer pieces as streamed (one per chunk event / write); [] when not streaming or 'json' */
	chunks: string[];
	response: string;
	messageId: string;
	responseMessageId: string;
	links: LiveChatAILink[];
	ip: string | null;
	country: string | null;
	integrationType: string | null;
}

/** Attribute keys POST /contacts dropped because the agent does not define them. */
export interface LiveChatAIDroppedAttributes {
	seq: number;
	agentId: string;
	contactId: string;
	keys: string[];
}

// =====================================================================================
// Helpers
// =====================================================================================

class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code: string,
	) {
		super(message);
	}
}

function errorResult(status: number, message: string, code: string, headers?: Record<string, string>): HandlerResult {
	return { status, body: { status: 'error', message, code }, headers };
}

function codeFor(status: number): string {
	switch (status) {
		case 400: return 'BAD_REQUEST';
		case 401: return 'UNAUTHORIZED';
		case 403: return 'FORBIDDEN';
		case 404: return 'NOT_FOUND';
		case 405: return 'METHOD_NOT_ALLOWED';
		case 429: return 'RATE_LIMITED';
		case 500: return 'INTERNAL_ERROR';
		default: return (http.STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
	}
}

const invalid = (field: string, problem: string): ApiError => new ApiError(400, `${field}: ${problem}`, 'VALIDATION_ERROR');
const notFound = (what: string): ApiError => new ApiError(404, `${what} not found`, 'NOT_FOUND');

type Input = Record<string, unknown>;

function isMissing(v: unknown): boolean {
	return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function reqString(d: Input, name: string): string {
	const v = d[name];
	if (isMissing(v)) throw invalid(name, 'is required');
	if (typeof v !== 'string') throw invalid(name, 'must be a string');
	return v;
}

/** undefined = absent; null kept (clears a field where that makes sense) */
function optString(d: Input, name: string): string | null | undefined {
	const v = d[name];
	if (v === undefined || v === null) return v as undefined | null;
	if (typeof v !== 'string') throw invalid(name, 'must be a string');
	return v;
}

function optEnum<T extends string>(d: Input, name: string, allowed: readonly T[]): T | undefined {
	const v = d[name];
	if (v === undefined || v === null) return undefined;
	// SANDBOX CHOICE: enums are case-sensitive, exactly as documented
	if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
		throw invalid(name, `must be one of ${allowed.join(', ')}`);
	}
	return v as T;
}

function optBoolean(d: Input, name: string): boolean | undefined {
	const v = d[name];
	if (v === undefined || v === null) return undefined;
	// SANDBOX CHOICE: JSON booleans only ("true" as a string is rejected)
	if (typeof v !== 'boolean') throw invalid(name, 'must be a boolean');
	return v;
}

function queryString(ctx: RequestContext, name: string, required: boolean): string | undefined {
	const v = ctx.queryValue(name);
	if (v === undefined || v.trim() === '') {
		if (required) throw invalid(name, 'is required');
		return undefined;
	}
	return v;
}

function queryEnum<T extends string>(ctx: RequestContext, name: string, allowed: readonly T[]): T | undefined {
	const v = queryString(ctx, name, false);
	if (v === undefined) return undefined;
	if (!(allowed as readonly string[]).includes(v)) throw invalid(name, `must be one of ${allowed.join(', ')}`);
	return v as T;
}

function queryInt(ctx: RequestContext, name: string, def: number, min: number, max?: number): number {
	const v = queryString(ctx, name, false);
	if (v === undefined) return def;
	const t = v.trim();
	const range = max === undefined ? `must be an integer >= ${min}` : `must be an integer between ${min} and ${max}`;
	if (!/^-?\d+$/.test(t)) throw invalid(name, range);
	const n = Number(t);
	if (n < min || (max !== undefined && n > max)) throw invalid(name, range);
	return n;
}

/**
 * `startDate`/`endDate` (§4.3): Unix seconds or an ISO-8601 date/time → epoch ms.
 * SANDBOX CHOICE: all-digit values are always seconds; a date-only endDate covers that whole UTC day.
 */
function queryDate(ctx: RequestContext, name: string, endOfDay: boolean): number | undefined {
	const v = queryString(ctx, name, false);
	if (v === undefined) return undefined;
	const t = v.trim();
	if (/^\d+$/.test(t)) return Number(t) * 1000;
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
	const ms = Date.parse(dateOnly ? `${t}T00:00:00.000Z` : t);
	if (isNaN(ms)) throw invalid(name, 'must be a Unix timestamp (seconds) or an ISO-8601 date');
	return dateOnly && endOfDay ? ms + 86400000 - 1 : ms;
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function clone<T>(v: T): T {
	return JSON.parse(JSON.stringify(v)) as T;
}

/** `pages` object of the limit-style lists (§3). */
function pagesOf(page: number, perPage: number, total: number): Record<string, unknown> {
	const totalPages = Math.ceil(total / perPage);
	return {
		page,
		perPage,
		totalPages,
		hasPrevious: page > 1,
		hasNext: page < totalPages,
		previous: page > 1 ? page - 1 : null,
		next: page < totalPages ? page + 1 : null,
	};
}

/**
 * The deterministic "AI" (docs: the answer depends on the agent's knowledge; here on the question):
 * - contains "hours" → LIVECHATAI_HOURS_ANSWER (the seed's text, identical in both formats)
 * - contains "price"/"pricing"/"cost" → pricing answer with **bold** and a [link](…) in MARKDOWN
 * - messageType IMAGE → "I received your **image**: <question>"
 * - otherwise → "You asked: **<question>**"
 * PLAIN never contains Markdown (`**`, `[..](..)`). Every answer cites exactly one WEBSITE link
 * (SANDBOX CHOICE).
 */
export function livechatAiAnswer(
	question: string,
	format: LiveChatAIResponseFormat = 'MARKDOWN',
	messageType: LiveChatAIMessageType = 'TEXT',
): { text: string; links: LiveChatAILink[] } {
	const md = format === 'MARKDOWN';
	const b = (s: string): string => (md ? `**${s}**` : s);
	const page = { link: 'https://example.com/page', type: 'WEBSITE' };
	if (messageType === 'IMAGE') return { text: `I received your ${b('image')}: ${question}`, links: [page] };
	if (/hours/i.test(question)) return { text: LIVECHATAI_HOURS_ANSWER, links: [page] };
	if (/price|pricing|cost/i.test(question)) {
		const url = 'https://example.com/pricing';
		const see = md ? `[pricing](${url})` : `pricing (${url})`;
		return { text: `The ${b('Pro')} plan costs ${b('$49/month')}, billed annually. See ${see}.`, links: [{ link: url, type: 'WEBSITE' }] };
	}
	return { text: `You asked: ${b(question)}`, links: [page] };
}

/** Split an answer into 1–4 pieces at word boundaries; joining them gives the answer back. */
export function livechatAiChunks(text: string): string[] {
	const words = text.split(/(?<=\s)(?=\S)/).filter((w) => w !== '');
	if (words.length === 0) return [text];
	const n = Math.min(words.length, 4);
	const size = Math.ceil(words.length / n);
	const out: string[] = [];
	for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
	return out;
}


// ---- seed material
const CONTACT_NAMES = [
	'Alice Martin', 'Bob Smith', 'Chloe Dubois', 'David Miller', 'Emma Wilson', 'Farid Haddad', 'Grace Lee',
	'Hugo Bernard', 'Isla Brown', 'Jonas Weber', 'Kenji Sato', 'Laura Rossi', 'Mateo Garcia', 'Nina Petrova',
	'Oscar Silva', 'Priya Patel', 'Quentin Moreau', 'Rosa Lopez', 'Samuel Cohen', 'Tara Nolan', 'Umar Khan',
	'Valerie Roux', 'Walter Schmidt',
];
const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'MA'];
const QUESTIONS = [
	'What are your business hours?',
	'Can I talk to a human?',
	'How much does the Pro plan cost?',
	'Do you ship internationally?',
	'How do I reset my password?',
	'Can I change my billing email?',
	'Where is my order?',
];
const SEED_T0 = Date.UTC(2025, 2, 1, 9, 0, 0); // 2025-03-01T09:00:00Z

// =====================================================================================
// Provider module
// =====================================================================================

export class LiveChatAIProvider implements ProviderModule {
	readonly name = 'livechatai';
	readonly mounts: MountDef[];

	// ---- state (containers are mutated in place by reset(), so references stay valid)
	/** valid API keys → permissions; LIVECHATAI_API_KEY has all of LIVECHATAI_PERMISSIONS */
	readonly apiKeys = new Map<string, Set<string>>();
	readonly agents = new Map<string, LiveChatAIAgent>();
	readonly users = new Map<string, LiveChatAIUser>();
	readonly conversations = new Map<string, LiveChatAIConversation>();
	readonly contacts = new Map<string, LiveChatAIContact>();
	readonly dataSources = new Map<string, LiveChatAIDataSource>();
	readonly views = new Map<string, LiveChatAIView>();
	/** agentId → attribute key → type (copy of LIVECHATAI_ATTRIBUTE_DEFINITIONS; editable) */
	readonly attributeDefinitions = new Map<string, Record<string, LiveChatAIAttributeType>>();
	/** every POST /conversations that passed validation (incl. the stream variant served) */
	readonly sends: LiveChatAISendRecord[] = [];
	/** attribute keys POST /contacts dropped */
	readonly droppedAttributes: LiveChatAIDroppedAttributes[] = [];
	/** ids of data sources removed by DELETE /data-sources/{id} */
	readonly deletedDataSources: string[] = [];
	/**
	 * What `streaming: true` returns (the real wire format is undocumented, §8.5):
	 * 'json' = the normal JSON body; 'sse' (default) = text/event-stream with JSON events;
	 * 'sse-text' = text/event-stream with plain-text data lines; 'text' = chunked text/plain.
	 */
	streamFormat: LiveChatAIStreamFormat = 'sse';
	/** pause between streamed writes (0 = next event-loop turn) */
	streamChunkDelayMs = 0;
	/** the workspace user the API key belongs to (`type=your-inbox`) */
	apiKeyUserId: string = LIVECHATAI_USER_IDS.owner;

	/**
	 * The provider's clock (epoch ms) for every timestamp it writes. Polling tests set it to drive
	 * time (equal timestamps, out-of-order writes); reset() restores Date.now.
	 */
	clock: () => number = Date.now;

	private counters = { conversation: 0, contact: 0, message: 0, dataSource: 0 };

	private nowIso(): string {
		return new Date(this.clock()).toISOString();
	}

	constructor() {
		const P = LIVECHATAI_PERMISSIONS;
		const r = (
			method: string,
			path: string,
			permission: string,
			handler: (c: RequestContext) => HandlerResult,
		): { method: string; path: string; handler: (c: RequestContext) => HandlerResult } => ({
			method,
			path,
			handler: (c) => this.guard(c, permission, handler),
		});
		this.mounts = [
			{
				name: 'livechatai',
				basePath: '/api/v2',
				routes: [
					r('POST', '/conversations', P.conversationsWrite, (c) => this.sendMessage(c)),
					r('GET', '/conversations', P.conversationsRead, (c) => this.listConversations(c)),
					// before /conversations/:id (first match wins)
					r('GET', '/conversations/views', P.conversationsRead, (c) => this.listViews(c)),
					r('GET', '/conversations/:id', P.conversationsRead, (c) => this.getConversation(c)),
					r('POST', '/conversations/:id/reply', P.conversationsWrite, (c) => this.reply(c)),
					r('POST', '/contacts', P.contactsWrite, (c) => this.upsertContact(c)),
					r('GET', '/contacts', P.contactsRead, (c) => this.listContacts(c)),
					r('GET', '/agents', P.agentsRead, (c) => this.listAgents(c)),
					r('GET', '/agents/:id', P.agentsRead, (c) => this.getAgent(c)),
					r('GET', '/data-sources', P.dataSourcesRead, (c) => this.listDataSources(c)),
					r('POST', '/data-sources/text', P.dataSourcesWrite, (c) => this.addText(c)),
					r('POST', '/data-sources/url', P.dataSourcesWrite, (c) => this.addUrl(c)),
					r('POST', '/data-sources/qa', P.dataSourcesWrite, (c) => this.addQa(c)),
					r('POST', '/data-sources/file', P.dataSourcesWrite, (c) => this.addFile(c)),
					r('DELETE', '/data-sources/:id', P.dataSourcesWrite, (c) => this.deleteDataSource(c)),
				],
			},
		];
		this.reset();
	}

	// ---------------------------------------------------------------- test helpers

	/** Permissions of LIVECHATAI_API_KEY (delete one to provoke 403). */
	get permissions(): Set<string> {
		let p = this.apiKeys.get(LIVECHATAI_API_KEY);
		if (!p) {
			p = new Set();
			this.apiKeys.set(LIVECHATAI_API_KEY, p);
		}
		return p;
	}

	conversation(id: string): LiveChatAIConversation | undefined {
		return this.conversations.get(id);
	}

	/** Messages of a conversation in order ([] if unknown). */
	messagesOf(conversationId: string): LiveChatAIMessage[] {
		return this.conversations.get(conversationId)?.messages ?? [];
	}

	conversationsOf(agentId: string): LiveChatAIConversation[] {
		return Array.from(this.conversations.values()).filter((c) => c.agentId === agentId);
	}

	contactsOf(agentId: string): LiveChatAIContact[] {
		return Array.from(this.contacts.values()).filter((c) => c.agentId === agentId);
	}

	contactByDistinctId(agentId: string, distinctId: string): LiveChatAIContact | undefined {
		return this.contactsOf(agentId).find((c) => c.distinctId === distinctId);
	}

	dataSourcesOf(agentId: string): LiveChatAIDataSource[] {
		return Array.from(this.dataSources.values()).filter((d) => d.agentId === agentId);
	}

	/** Turn secure identification on/off for an agent (POST /contacts then needs userHash). */
	setSecureIdentification(agentId: string, on: boolean): void {
		const a = this.agents.get(agentId);
		if (!a) throw new Error(`unknown LiveChatAI agent ${agentId}`);
		a.secureIdentification = on;
	}

	/**
	 * Append a message as if it happened in the product (end user typing in the widget, the AI
	 * answering, a human replying in the inbox) — for polling-trigger tests. Updates
	 * lastMessageDate/updatedAt; role 'agent' marks the conversation isAgent and assigns the user.
	 */
	addMessage(
		conversationId: string,
		msg: { role: LiveChatAIRole; content: string; type?: LiveChatAIMessageType; userId?: string; createdAt?: string },
	): LiveChatAIMessage {
		const c = this.conversations.get(conversationId);
		if (!c) throw new Error(`unknown LiveChatAI conversation ${conversationId}`);
		const userId = msg.role === 'agent' ? (msg.userId ?? LIVECHATAI_USER_IDS.agent) : null;
		const m = this.pushMessage(c, {
			role: msg.role,
			content: msg.content,
			type: msg.type ?? 'TEXT',
			source: [],
			userId,
			createdAt: msg.createdAt ?? this.nowIso(),
		});
		if (userId) {
			c.isAgent = true;
			c.assignedUserId = c.assignedUserId ?? userId;
		}
		return m;
	}

	// ---- conversations that change over time (polling-trigger tests): product-side activity

	/**
	 * A conversation started in the product (the widget, WhatsApp…): a new anonymous contact (or
	 * `contactId`), the end user's first message, and the AI's answer unless `answer: false`.
	 */
	startConversation(
		agentId: string,
		opts: { text: string; integrationType?: string | null; contactId?: string; name?: string; answer?: boolean | string; createdAt?: string },
	): LiveChatAIConversation {
		this.agentOr404(agentId);
		const now = opts.createdAt ?? this.nowIso();
		let contactId = opts.contactId;
		if (!contactId) {
			contactId = `contact_${2000000000 + ++this.counters.contact}`;
			this.contacts.set(contactId, {
				id: contactId,
				agentId,
				distinctId: null,
				name: opts.name ?? null,
				email: null,
				phone: null,
				country: null,
				ip: null,
				attributes: {},
				createdAt: now,
				updatedAt: now,
			});
		}
		const c: LiveChatAIConversation = {
			id: `chat_${2000000000 + ++this.counters.conversation}`,
			agentId,
			contactId,
			isResolved: false,
			isStarred: false,
			isMuted: false,
			isAgent: false,
			integrationType: opts.integrationType ?? null,
			assignedUserId: null,
			ip: null,
			country: null,
			lastMessageDate: now,
			createdAt: now,
			updatedAt: now,
			messages: [],
		};
		this.conversations.set(c.id, c);
		this.addMessage(c.id, { role: 'user', content: opts.text, createdAt: now });
		if (opts.answer !== false) this.aiAnswer(c.id, typeof opts.answer === 'string' ? opts.answer : undefined, now);
		return c;
	}

	/** The end user writes (role `user`). */
	customerMessage(conversationId: string, text: string, createdAt?: string): LiveChatAIMessage {
		return this.addMessage(conversationId, { role: 'user', content: text, createdAt });
	}

	/** The AI answers (role `assistant`), by default what livechatAiAnswer() says to the last user message. */
	aiAnswer(conversationId: string, text?: string, createdAt?: string): LiveChatAIMessage {
		const last = [...this.messagesOf(conversationId)].reverse().find((m) => m.role === 'user');
		return this.addMessage(conversationId, { role: 'assistant', content: text ?? livechatAiAnswer(last?.content ?? '').text, createdAt });
	}

	/**
	 * The end user asks for a human and LiveChatAI hands the chat over (resolution TalkToAgent):
	 * `isAgent` becomes true, nobody assigned yet. With `text`, the request is a message of the
	 * end user (lastMessageDate moves); without, only the flag changes (updatedAt moves).
	 */
	requestHuman(conversationId: string, text?: string): LiveChatAIConversation {
		const c = this.conversations.get(conversationId);
		if (!c) throw new Error(`unknown LiveChatAI conversation ${conversationId}`);
		if (text !== undefined) this.customerMessage(conversationId, text);
		c.isAgent = true;
		c.resolution = 'TalkToAgent';
		c.updatedAt = this.nowIso();
		return c;
	}

	/** A human agent answers in LiveChatAI's inbox (role `agent`, assigns the user). */
	humanReply(conversationId: string, text: string, userId: string = LIVECHATAI_USER_IDS.agent): LiveChatAIMessage {
		return this.addMessage(conversationId, { role: 'agent', content: text, userId });
	}

	/** The conversation is resolved in the product (isResolved; lastMessageDate unchanged). */
	closeConversation(conversationId: string): LiveChatAIConversation {
		const c = this.conversations.get(conversationId);
		if (!c) throw new Error(`unknown LiveChatAI conversation ${conversationId}`);
		c.isResolved = true;
		c.updatedAt = this.nowIso();
		return c;
	}

	/** GET /conversations/{id} `data` */
	serializeConversation(c: LiveChatAIConversation): Record<string, unknown> {
		return {
			id: c.id,
			contactId: c.contactId,
			agentId: c.agentId,
			isResolved: c.isResolved,
			isAgent: c.isAgent,
			isMuted: c.isMuted,
			isStarred: c.isStarred,
			integrationType: c.integrationType,
			lastMessageDate: c.lastMessageDate,
			createdAt: c.createdAt,
			updatedAt: c.updatedAt,
			agent: this.userObject(c.assignedUserId),
			messages: c.messages.map((m) => ({
				id: m.id,
				content: m.content,
				role: m.role,
				type: m.type,
				source: clone(m.source),
				agent: this.userObject(m.userId),
				createdAt: m.createdAt,
			})),
		};
	}

	/** GET /conversations `data.conversations[]` item */
	serializeConversationListItem(c: LiveChatAIConversation): Record<string, unknown> {
		const contact = this.contacts.get(c.contactId);
		return {
			id: c.id,
			isResolved: c.isResolved,
			isStarred: c.isStarred,
			isMuted: c.isMuted,
			isAgent: c.isAgent,
			integrationType: c.integrationType,
			contact: contact
				? {
						id: contact.id,
						name: contact.name,
						phone: contact.phone,
						email: contact.email,
						distinctId: contact.distinctId,
						attributes: clone(contact.attributes),
					}
				: null,
			agent: this.userObject(c.assignedUserId),
			lastMessageDate: c.lastMessageDate,
			createdAt: c.createdAt,
			updatedAt: c.updatedAt,
		};
	}

	/** Public agent shape (list item; retrieve adds `slug`). */
	serializeAgent(a: LiveChatAIAgent, withSlug = false): Record<string, unknown> {
		const out: Record<string, unknown> = { id: a.id, name: a.name };
		if (withSlug) out.slug = a.slug;
		Object.assign(out, {
			isLiveChatEnabled: a.isLiveChatEnabled,
			language: a.language,
			isArchived: a.isArchived,
			createdAt: a.createdAt,
			updatedAt: a.updatedAt,
		});
		return out;
	}

	serializeDataSource(d: LiveChatAIDataSource): Record<string, unknown> {
		return {
			id: d.id,
			title: d.title,
			text: d.text,
			url: d.url,
			source: d.source,
			status: d.status,
			characterCount: d.characterCount,
			createdAt: d.createdAt,
			updatedAt: d.updatedAt,
		};
	}

	// ---------------------------------------------------------------- ProviderModule

	reset(): void {
		this.apiKeys.clear();
		this.apiKeys.set(LIVECHATAI_API_KEY, new Set<string>(Object.values(LIVECHATAI_PERMISSIONS)));
		this.streamFormat = 'sse';
		this.streamChunkDelayMs = 0;
		this.clock = Date.now;
		this.apiKeyUserId = LIVECHATAI_USER_IDS.owner;
		this.sends.length = 0;
		this.droppedAttributes.length = 0;
		this.deletedDataSources.length = 0;
		this.counters = { conversation: 0, contact: 0, message: 0, dataSource: 0 };

		this.users.clear();
		this.users.set(LIVECHATAI_USER_IDS.owner, {
			id: LIVECHATAI_USER_IDS.owner,
			name: 'Olivia Owner',
			email: 'olivia@sandbox.livechatai.test',
			avatar: 'https://cdn.sandbox.livechatai.test/avatars/olivia.png',
		});
		this.users.set(LIVECHATAI_USER_IDS.agent, {
			id: LIVECHATAI_USER_IDS.agent,
			name: 'Sam Support',
			email: 'sam@sandbox.livechatai.test',
			avatar: 'https://cdn.sandbox.livechatai.test/avatars/sam.png',
		});

		this.agents.clear();
		const agent = (key: keyof typeof LIVECHATAI_AGENT_IDS, name: string, live: boolean, language: string, archived: boolean, day: number): void => {
			this.agents.set(LIVECHATAI_AGENT_IDS[key], {
				id: LIVECHATAI_AGENT_IDS[key],
				slug: LIVECHATAI_AGENT_SLUGS[key],
				name,
				isLiveChatEnabled: live,
				language,
				isArchived: archived,
				createdAt: iso(Date.UTC(2025, 0, day, 10)),
				updatedAt: iso(Date.UTC(2025, 1, day, 12)),
				secureIdentification: false,
			});
		};
		agent('support', 'Support Bot', true, 'en', false, 15);
		agent('sales', 'Sales Assistant', false, 'fr', false, 20);
		agent('legacy', 'Legacy FAQ', false, 'de', true, 25);

		this.attributeDefinitions.clear();
		for (const id of Object.keys(LIVECHATAI_ATTRIBUTE_DEFINITIONS)) {
			this.attributeDefinitions.set(id, { ...LIVECHATAI_ATTRIBUTE_DEFINITIONS[id] });
		}

		// ---- contacts: 0–20 support, 21–22 sales
		this.contacts.clear();
		LIVECHATAI_SEED_CONTACT_IDS.forEach((id, i) => {
			const name = CONTACT_NAMES[i];
			const at = iso(SEED_T0 - 86400000 + i * 3600000);
			const support = i <= 20;
			this.contacts.set(id, {
				id,
				agentId: support ? LIVECHATAI_AGENT_IDS.support : LIVECHATAI_AGENT_IDS.sales,
				distinctId: `user-${String(i + 1).padStart(3, '0')}`,
				name,
				email: i % 6 === 5 ? null : `${name.split(' ')[0].toLowerCase()}@example.com`,
				phone: i % 4 === 3 ? null : `+1555000${String(i + 1).padStart(4, '0')}`,
				country: COUNTRIES[i % COUNTRIES.length],
				ip: `198.51.100.${i + 1}`,
				attributes: support ? { plan: i % 2 === 0 ? 'free' : 'pro', seats: i + 1 } : { company: `Company ${i}` },
				createdAt: at,
				updatedAt: at,
			});
		});

		// ---- data sources
		this.dataSources.clear();
		const ds = (
			id: string,
			agentId: string,
			source: LiveChatAIDataSourceType,
			title: string,
			text: string | null,
			url: string | null,
			day: number,
		): void => {
			this.dataSources.set(id, {
				id,
				agentId,
				title,
				text,
				url,
				source,
				status: 'COMPLETED',
				characterCount: text?.length ?? 0,
				isGeneratedByAI: false,
				relatedMessageId: null,
				createdAt: iso(Date.UTC(2025, 1, day, 8)),
				updatedAt: iso(Date.UTC(2025, 1, day, 8)),
			});
		};
		const S = LIVECHATAI_AGENT_IDS.support;
		ds(LIVECHATAI_DATA_SOURCE_IDS.page, S, 'WEBSITE', 'Contact & opening hours', LIVECHATAI_HOURS_ANSWER, 'https://example.com/page', 1);
		ds(LIVECHATAI_DATA_SOURCE_IDS.pricing, S, 'WEBSITE', 'Pricing', 'Pro plan: $49/month, billed annually.', 'https://example.com/pricing', 2);
		ds(LIVECHATAI_DATA_SOURCE_IDS.returns, S, 'TEXT', 'Returns policy', 'Items can be returned within 30 days of delivery.', null, 3);
		ds(LIVECHATAI_DATA_SOURCE_IDS.shipping, S, 'QA', 'Do you ship internationally?', 'Q: Do you ship internationally?\nA: Yes, we ship to over 40 countries.', null, 4);
		ds(LIVECHATAI_DATA_SOURCE_IDS.salesDeck, LIVECHATAI_AGENT_IDS.sales, 'PDF', 'Sales deck 2025', 'Enterprise plans start at 20 seats.', null, 5);

		// ---- views (support agent)
		this.views.clear();
		this.views.set(LIVECHATAI_VIEW_IDS.open, {
			id: LIVECHATAI_VIEW_IDS.open,
			agentId: S,
			name: 'Open conversations',
			query: { combinator: 'and', rules: [{ field: 'status', operator: '=', value: 'open' }] },
			createdAt: iso(Date.UTC(2025, 1, 10, 9)),
		});
		this.views.set(LIVECHATAI_VIEW_IDS.whatsapp, {
			id: LIVECHATAI_VIEW_IDS.whatsapp,
			agentId: S,
			name: 'WhatsApp',
			query: { combinator: 'and', rules: [{ field: 'integrationType', operator: '=', value: 'WHATSAPP' }] },
			createdAt: iso(Date.UTC(2025, 1, 11, 9)),
		});

		// ---- conversations: 0–21 support, 22–24 sales; 6 h apart, so seed order = date order
		this.conversations.clear();
		let seedMsg = 0;
		LIVECHATAI_SEED_CONVERSATION_IDS.forEach((id, i) => {
			const support = i <= 21;
			const agentId = support ? S : LIVECHATAI_AGENT_IDS.sales;
			const contactIdx = support ? (i === 21 ? 0 : i) : i === 23 ? 22 : 21;
			const t0 = SEED_T0 + i * 6 * 3600000;
			const assignedUserId = i === 1 ? LIVECHATAI_USER_IDS.agent : i > 0 && i % 7 === 0 ? LIVECHATAI_USER_IDS.owner : null;
			const c: LiveChatAIConversation = {
				id,
				agentId,
				contactId: LIVECHATAI_SEED_CONTACT_IDS[contactIdx],
				isResolved: i % 5 === 2,
				isStarred: i % 6 === 3,
				isMuted: i % 8 === 4,
				isAgent: assignedUserId !== null,
				integrationType: i % 4 === 3 ? 'WHATSAPP' : i % 8 === 4 ? 'SLACK' : null,
				assignedUserId,
				ip: null,
				country: COUNTRIES[contactIdx % COUNTRIES.length],
				lastMessageDate: iso(t0),
				createdAt: iso(t0),
				updatedAt: iso(t0),
				messages: [],
			};
			const question = QUESTIONS[i % QUESTIONS.length];
			const add = (role: LiveChatAIRole, content: string, offsetS: number, userId: string | null, source: LiveChatAISource[]): void => {
				const m: LiveChatAIMessage = {
					id: `msg_${1000000001 + seedMsg++}`,
					conversationId: id,
					content,
					role,
					type: 'TEXT',
					source,
					userId,
					createdAt: iso(t0 + offsetS * 1000),
				};
				c.messages.push(m);
				c.lastMessageDate = c.updatedAt = m.createdAt;
			};
			const answer = livechatAiAnswer(question, 'MARKDOWN');
			add('user', question, 60, null, []);
			add('assistant', answer.text, 65, null, this.sourcesFor(agentId, answer.links));
			if (assignedUserId) {
				add('user', 'I would like to talk to a person, please.', 120, null, []);
				add('agent', `Hi, this is ${this.users.get(assignedUserId)?.name}. How can I help?`, 300, assignedUserId, []);
			}
			this.conversations.set(id, c);
		});
	}

	/**
	 * `Authorization: Bearer <key>` (scheme case-insensitive). Missing/unknown → 401
	 * {status:'error', message:'Invalid API key', code:'UNAUTHORIZED'}. The per-route permission
	 * check (403) happens in guard(), after routing.
	 */
	authenticate(ctx: RequestContext): HandlerResult | undefined {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.header('authorization') ?? '');
		if (!m || !this.apiKeys.has(m[1])) return errorResult(401, 'Invalid API key', 'UNAUTHORIZED');
		return undefined;
	}

	notFound(ctx: RequestContext): HandlerResult {
		return errorResult(404, `Route ${ctx.method} ${ctx.path} not found`, 'NOT_FOUND');
	}

	methodNotAllowed(ctx: RequestContext, allowed: string[]): HandlerResult {
		return errorResult(405, `Method ${ctx.method} not allowed for ${ctx.path}; use ${allowed.join(', ')}`, 'METHOD_NOT_ALLOWED');
	}

	/** Fault bodies use the error envelope; 429 adds Retry-After: 0 so tests never sleep. */
	faultDefaults(status: number): FaultDefaults {
		const message: Record<number, string> = {
			400: 'Bad request',
			401: 'Invalid API key',
			403: 'Insufficient permissions',
			404: 'Not found',
			429: 'Too many requests',
			500: 'Internal server error',
		};
		const body = { status: 'error', message: message[status] ?? http.STATUS_CODES[status] ?? 'Error', code: codeFor(status) };
		return status === 429 ? { body, headers: { 'Retry-After': '0' } } : { body };
	}

	// ---------------------------------------------------------------- internals

	/** permission check, then the handler; ApiError → error envelope */
	private guard(ctx: RequestContext, permission: string, fn: (c: RequestContext) => HandlerResult): HandlerResult {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.header('authorization') ?? '');
		const perms = m ? this.apiKeys.get(m[1]) : undefined;
		if (!perms || !perms.has(permission)) {
			return errorResult(403, `This API key lacks the '${permission}' permission`, 'FORBIDDEN');
		}
		try {
			return fn(ctx);
		} catch (e) {
			if (e instanceof ApiError) return errorResult(e.status, e.message, e.code);
			throw e;
		}
	}

	/**
	 * JSON body gate (§3: endpoints declare application/json; the introduction's form-encoding claim
	 * is not honoured — SANDBOX CHOICE). Empty body = {} (then required fields fail validation).
	 */
	private json(ctx: RequestContext): Input {
		if (ctx.bodyKind === 'none') return {};
		if (ctx.bodyKind !== 'json') {
			throw new ApiError(400, `Request body must be JSON (got ${ctx.header('content-type') ?? 'no Content-Type'})`, 'BAD_REQUEST');
		}
		if (ctx.bodyError) throw new ApiError(400, `Malformed JSON body: ${ctx.bodyError}`, 'BAD_REQUEST');
		if (!isPlainObject(ctx.body)) throw new ApiError(400, 'Request body must be a JSON object', 'BAD_REQUEST');
		return ctx.body;
	}

	private agentOr404(agentId: string): LiveChatAIAgent {
		const a = this.agents.get(agentId);
		if (!a) throw notFound('Agent');
		return a;
	}

	private userObject(userId: string | null): Record<string, unknown> | null {
		if (!userId) return null;
		const u = this.users.get(userId);
		return u ? { id: u.id, name: u.name, email: u.email, avatar: u.avatar } : { id: userId, name: null, email: null, avatar: null };
	}

	private sourcesFor(agentId: string, links: LiveChatAILink[]): LiveChatAISource[] {
		return links.map((l) => ({
			id: this.dataSourcesOf(agentId).find((d) => d.url === l.link)?.id ?? null,
			type: l.type,
			link: l.link,
			distance: 0.12,
		}));
	}

	private nextMessageId(): string {
		return `msg_${2000000001 + this.counters.message++}`;
	}

	private pushMessage(c: LiveChatAIConversation, m: Omit<LiveChatAIMessage, 'id' | 'conversationId'>): LiveChatAIMessage {
		const msg: LiveChatAIMessage = { id: this.nextMessageId(), conversationId: c.id, ...m };
		c.messages.push(msg);
		c.lastMessageDate = msg.createdAt;
		c.updatedAt = msg.createdAt;
		return msg;
	}

	// ---------------------------------------------------------------- §4.1 send message (seed)

	private sendMessage(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const question = reqString(d, 'question');
		const agentId = reqString(d, 'agentId');
		const conversationId = optString(d, 'conversationId') ?? undefined;
		const messageType = optEnum(d, 'messageType', ['TEXT', 'IMAGE'] as const) ?? 'TEXT';
		const streaming = optBoolean(d, 'streaming') ?? false;
		const ip = optString(d, 'ip') ?? null;
		const country = optString(d, 'country') ?? null;
		const responseFormat = optEnum(d, 'responseFormat', ['MARKDOWN', 'PLAIN'] as const) ?? 'MARKDOWN';
		const integrationType = optEnum(d, 'integrationType', ['WHATSAPP', 'SLACK'] as const) ?? null;
		this.agentOr404(agentId);

		let c: LiveChatAIConversation;
		let isNew = false;
		const now = this.nowIso();
		if (conversationId !== undefined && conversationId !== '') {
			const existing = this.conversations.get(conversationId);
			// SANDBOX CHOICE: a conversation of another agent is "not found" for this agent
			if (!existing || existing.agentId !== agentId) throw notFound('Conversation');
			c = existing;
			// SANDBOX CHOICE: a new user message re-opens a resolved conversation; the AI keeps
			// answering even when a human took over (isAgent) — the docs don't say.
			c.isResolved = false;
		} else {
			// new conversation + anonymous contact (distinctId null) — SANDBOX CHOICE
			isNew = true;
			const n = ++this.counters.conversation;
			const contactId = `contact_${2000000000 + ++this.counters.contact}`;
			this.contacts.set(contactId, {
				id: contactId,
				agentId,
				distinctId: null,
				name: null,
				email: null,
				phone: null,
				country,
				ip,
				attributes: {},
				createdAt: now,
				updatedAt: now,
			});
			c = {
				id: `chat_${2000000000 + n}`,
				agentId,
				contactId,
				isResolved: false,
				isStarred: false,
				isMuted: false,
				isAgent: false,
				// SANDBOX CHOICE: integrationType/ip/country are taken when the conversation starts
				integrationType,
				assignedUserId: null,
				ip,
				country,
				lastMessageDate: now,
				createdAt: now,
				updatedAt: now,
				messages: [],
			};
			this.conversations.set(c.id, c);
		}

		const answer = livechatAiAnswer(question, responseFormat, messageType);
		const userMsg = this.pushMessage(c, { content: question, role: 'user', type: messageType, source: [], userId: null, createdAt: now });
		const aiMsg = this.pushMessage(c, {
			content: answer.text,
			role: 'assistant',
			type: 'TEXT',
			source: this.sourcesFor(agentId, answer.links),
			userId: null,
			createdAt: this.nowIso(),
		});
		const data = {
			conversationId: c.id,
			contactId: c.contactId,
			response: answer.text,
			messageId: userMsg.id,
			responseMessageId: aiMsg.id,
			links: answer.links,
		};
		const format = streaming ? this.streamFormat : null;
		const chunks = format && format !== 'json' ? livechatAiChunks(answer.text) : [];
		this.sends.push({
			seq: ctx.request.seq,
			agentId,
			conversationId: c.id,
			contactId: c.contactId,
			newConversation: isNew,
			question,
			messageType,
			responseFormat,
			streaming,
			streamFormat: format,
			chunks,
			response: answer.text,
			messageId: userMsg.id,
			responseMessageId: aiMsg.id,
			links: clone(answer.links),
			ip,
			country,
			integrationType: c.integrationType,
		});

		if (format === null || format === 'json') {
			return { status: 200, body: { status: 'success', message: 'Message sent successfully', data } };
		}
		if (format === 'text') {
			// raw answer text only (no ids), in several writes
			return {
				status: 200,
				headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' },
				stream: paced(chunks, this.streamChunkDelayMs),
			};
		}
		// SANDBOX CHOICE (format undocumented), modelled on common SSE APIs (OpenAI-style `data:` lines
		// and a `[DONE]` sentinel): one event per write.
		const events =
			format === 'sse'
				? [
						...chunks.map((content) => `data: ${JSON.stringify({ type: 'chunk', content })}\n\n`),
						`data: ${JSON.stringify({ type: 'done', ...data })}\n\n`,
						'data: [DONE]\n\n',
					]
				: [
						// 'sse-text': plain-text data lines (a newline inside a piece = a further data: line)
						...chunks.map((piece) => piece.split('\n').map((line) => `data: ${line}`).join('\n') + '\n\n'),
						'data: [DONE]\n\n',
					];
		return {
			status: 200,
			headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
			stream: paced(events, this.streamChunkDelayMs),
		};
	}

	// ---------------------------------------------------------------- §4.2 reply as human

	private reply(ctx: RequestContext): HandlerResult {
		const c = this.conversations.get(ctx.params.id);
		if (!c) throw notFound('Conversation');
		const d = this.json(ctx);
		const text = reqString(d, 'message');
		const userId = reqString(d, 'userId');
		const type = optEnum(d, 'messageType', ['TEXT', 'IMAGE'] as const) ?? 'TEXT';
		// SANDBOX CHOICE: an unknown workspace user is 404 NOT_FOUND (like unknown agents)
		if (!this.users.has(userId)) throw notFound('User');
		const m = this.pushMessage(c, { content: text, role: 'agent', type, source: [], userId, createdAt: this.nowIso() });
		// "posting a reply changes the conversation status" (§4.2) — SANDBOX CHOICE: human mode on,
		// replying user assigned if nobody is, conversation (re)opened.
		c.isAgent = true;
		c.assignedUserId = c.assignedUserId ?? userId;
		c.isResolved = false;
		return {
			status: 200,
			body: {
				status: 'success',
				message: 'Reply sent successfully',
				data: {
					messageId: m.id,
					conversationId: c.id,
					message: { id: m.id, text: m.content, sender: 'AGENT', type: m.type, createdAt: m.createdAt, agent: this.userObject(userId) },
				},
			},
		};
	}

	// ---------------------------------------------------------------- §4.3 list / §4.4 retrieve / §4.5 views

	private listConversations(ctx: RequestContext): HandlerResult {
		const agentId = queryString(ctx, 'agentId', true) as string;
		const page = queryInt(ctx, 'page', 1, 1);
		const perPage = queryInt(ctx, 'perPage', 20, 1, 100);
		const type = queryEnum(ctx, 'type', ['unassigned', 'your-inbox', 'all'] as const) ?? 'all';
		const sort = queryEnum(ctx, 'sort', ['asc', 'desc'] as const) ?? 'desc';
		const status = queryEnum(ctx, 'status', ['open', 'close'] as const);
		const start = queryDate(ctx, 'startDate', false);
		const end = queryDate(ctx, 'endDate', true);
		const viewId = queryString(ctx, 'viewId', false);
		this.agentOr404(agentId);
		let view: LiveChatAIView | undefined;
		if (viewId !== undefined) {
			view = this.views.get(viewId);
			if (!view || view.agentId !== agentId) throw notFound('View');
		}

		let rows = this.conversationsOf(agentId);
		if (type === 'unassigned') rows = rows.filter((c) => c.assignedUserId === null);
		else if (type === 'your-inbox') rows = rows.filter((c) => c.assignedUserId === this.apiKeyUserId);
		if (status) rows = rows.filter((c) => c.isResolved === (status === 'close'));
		// SANDBOX CHOICE: the date range applies to createdAt, both ends inclusive
		if (start !== undefined) rows = rows.filter((c) => Date.parse(c.createdAt) >= start);
		if (end !== undefined) rows = rows.filter((c) => Date.parse(c.createdAt) <= end);
		if (view) {
			const v = view;
			rows = rows.filter((c) => this.matchesView(c, v));
		}
		rows = rows.slice().sort((a, b) => {
			const diff = Date.parse(a.lastMessageDate) - Date.parse(b.lastMessageDate) || a.id.localeCompare(b.id);
			return sort === 'asc' ? diff : -diff;
		});
		const total = rows.length;
		return {
			status: 200,
			body: {
				status: 'success',
				data: {
					conversations: rows.slice((page - 1) * perPage, page * perPage).map((c) => this.serializeConversationListItem(c)),
					// SANDBOX CHOICE: totalPages = ceil(total / perPage) (0 when empty)
					meta: { total, perPage, currentPage: page, totalPages: Math.ceil(total / perPage) },
				},
			},
		};
	}

	/** view rules: field status (open|close) or any conversation property; operators = and != */
	private matchesView(c: LiveChatAIConversation, view: LiveChatAIView): boolean {
		const test = (r: LiveChatAIViewRule): boolean => {
			const actual = r.field === 'status' ? (c.isResolved ? 'close' : 'open') : (c as unknown as Record<string, unknown>)[r.field];
			return r.operator === '!=' ? actual !== r.value : actual === r.value;
		};
		return view.query.combinator === 'or' ? view.query.rules.some(test) : view.query.rules.every(test);
	}

	private getConversation(ctx: RequestContext): HandlerResult {
		const c = this.conversations.get(ctx.params.id);
		if (!c) throw notFound('Conversation');
		return { status: 200, body: { status: 'success', data: this.serializeConversation(c) } };
	}

	private listViews(ctx: RequestContext): HandlerResult {
		const agentId = queryString(ctx, 'agentId', true) as string;
		const page = queryInt(ctx, 'page', 1, 1);
		const perPage = queryInt(ctx, 'perPage', 20, 1, 100);
		this.agentOr404(agentId);
		// SANDBOX CHOICE: the name-search parameter's name is not visible in the docs; `search` and `name` both work
		const search = (ctx.queryValue('search') ?? ctx.queryValue('name') ?? '').trim().toLowerCase();
		const rows = Array.from(this.views.values()).filter(
			(v) => v.agentId === agentId && (!search || v.name.toLowerCase().includes(search)),
		);
		const total = rows.length;
		return {
			status: 200,
			body: {
				status: 'success',
				data: {
					views: rows
						.slice((page - 1) * perPage, page * perPage)
						.map((v) => ({ id: v.id, name: v.name, query: clone(v.query), createdAt: v.createdAt })),
					meta: { total, perPage, currentPage: page, totalPages: Math.ceil(total / perPage) },
				},
			},
		};
	}

	// ---------------------------------------------------------------- §5 contacts

	private upsertContact(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const agentId = reqString(d, 'agentId');
		const distinctId = reqString(d, 'distinctId');
		const contactId = optString(d, 'contactId') ?? undefined;
		const userHash = optString(d, 'userHash') ?? undefined;
		const name = optString(d, 'name');
		const email = optString(d, 'email');
		const phone = optString(d, 'phone');
		// SANDBOX CHOICE: a loose e-mail format check (the docs define none)
		if (typeof email === 'string' && email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
			throw invalid('email', 'must be a valid email address');
		}
		const attributes = d.attributes;
		if (attributes !== undefined && attributes !== null && !isPlainObject(attributes)) throw invalid('attributes', 'must be an object');
		const agent = this.agentOr404(agentId);
		// userHash is required only while the agent has secure identification on (§5.1);
		// SANDBOX CHOICE: it must equal livechatAiUserHash(distinctId) (HMAC-SHA256, hex).
		if (agent.secureIdentification) {
			if (userHash === undefined || userHash === '') throw invalid('userHash', 'is required when secure identification is enabled');
			if (userHash !== livechatAiUserHash(distinctId)) throw invalid('userHash', 'does not match distinctId');
		}

		let contact: LiveChatAIContact | undefined;
		if (contactId !== undefined && contactId !== '') {
			contact = this.contacts.get(contactId);
			if (!contact || contact.agentId !== agentId) throw notFound('Contact');
		} else {
			// same distinctId for the same agent = the same contact (identify semantics)
			contact = this.contactByDistinctId(agentId, distinctId);
		}
		const now = this.nowIso();
		if (!contact) {
			const id = `contact_${2000000000 + ++this.counters.contact}`;
			contact = {
				id,
				agentId,
				distinctId,
				name: null,
				email: null,
				phone: null,
				country: null,
				ip: null,
				attributes: {},
				createdAt: now,
				updatedAt: now,
			};
			this.contacts.set(id, contact);
		}
		// SANDBOX CHOICE: with contactId the contact takes the given distinctId; absent fields are
		// left unchanged, null clears; attributes are merged key by key.
		contact.distinctId = distinctId;
		if (name !== undefined) contact.name = name;
		if (email !== undefined) contact.email = email;
		if (phone !== undefined) contact.phone = phone;
		if (isPlainObject(attributes)) {
			const defined = this.attributeDefinitions.get(agentId) ?? {};
			const dropped: string[] = [];
			for (const key of Object.keys(attributes)) {
				if (Object.prototype.hasOwnProperty.call(defined, key)) contact.attributes[key] = clone(attributes[key]);
				else dropped.push(key); // silently dropped (§5.1), recorded for assertions
			}
			if (dropped.length > 0) this.droppedAttributes.push({ seq: ctx.request.seq, agentId, contactId: contact.id, keys: dropped });
		}
		contact.updatedAt = now;
		return { status: 200, body: { status: 'success', contactId: contact.id } };
	}

	private listContacts(ctx: RequestContext): HandlerResult {
		const agentId = queryString(ctx, 'agentId', true) as string;
		const page = queryInt(ctx, 'page', 1, 1);
		const limit = queryInt(ctx, 'limit', 10, 1, 100);
		this.agentOr404(agentId);
		// SANDBOX CHOICE: creation order (oldest first), new contacts at the end
		const rows = this.contactsOf(agentId);
		return {
			status: 200,
			body: {
				status: 'success',
				agentId,
				data: rows.slice((page - 1) * limit, page * limit).map((c) => ({
					id: c.id,
					distinctId: c.distinctId,
					name: c.name,
					email: c.email,
					phone: c.phone,
					country: c.country,
					createdAt: c.createdAt,
				})),
				totalCount: rows.length,
				pages: pagesOf(page, limit, rows.length),
			},
		};
	}

	// ---------------------------------------------------------------- §6 agents

	private listAgents(ctx: RequestContext): HandlerResult {
		const page = queryInt(ctx, 'page', 1, 1);
		const limit = queryInt(ctx, 'limit', 10, 1, 100);
		const rows = Array.from(this.agents.values());
		return {
			status: 200,
			body: {
				status: 'success',
				data: rows.slice((page - 1) * limit, page * limit).map((a) => this.serializeAgent(a)),
				totalCount: rows.length,
				pages: pagesOf(page, limit, rows.length),
			},
		};
	}

	/**
	 * GET /agents/{idOrSlug}. SANDBOX CHOICE (body not shown in the docs): `{status, data: agent}`
	 * with the list fields plus `slug`; `isEmbed` is accepted and ignored (it only enables caching).
	 */
	private getAgent(ctx: RequestContext): HandlerResult {
		const key = ctx.params.id;
		const a = this.agents.get(key) ?? Array.from(this.agents.values()).find((x) => x.slug === key);
		if (!a) throw notFound('Agent');
		return { status: 200, body: { status: 'success', data: this.serializeAgent(a, true) } };
	}

	// ---------------------------------------------------------------- §6 data sources

	private listDataSources(ctx: RequestContext): HandlerResult {
		const agentId = queryString(ctx, 'agentId', true) as string;
		const source = queryEnum(ctx, 'source', [...LIVECHATAI_DATA_SOURCE_TYPES, 'ALL'] as const) ?? 'ALL';
		const page = queryInt(ctx, 'page', 1, 1);
		const limit = queryInt(ctx, 'limit', 10, 1, 100);
		this.agentOr404(agentId);
		const rows = this.dataSourcesOf(agentId).filter((d) => source === 'ALL' || d.source === source);
		return {
			status: 200,
			body: {
				status: 'success',
				data: {
					agentId,
					items: rows.slice((page - 1) * limit, page * limit).map((d) => this.serializeDataSource(d)),
					totalCount: rows.length,
					pages: pagesOf(page, limit, rows.length),
				},
			},
		};
	}

	private createDataSource(
		fields: Pick<LiveChatAIDataSource, 'agentId' | 'title' | 'text' | 'url' | 'source' | 'status'> &
			Partial<Pick<LiveChatAIDataSource, 'isGeneratedByAI' | 'relatedMessageId'>>,
		message: string,
	): HandlerResult {
		this.agentOr404(fields.agentId);
		const now = this.nowIso();
		const d: LiveChatAIDataSource = {
			id: `clds${String(900000000000001 + this.counters.dataSource++)}`,
			characterCount: fields.text?.length ?? 0,
			isGeneratedByAI: false,
			relatedMessageId: null,
			createdAt: now,
			updatedAt: now,
			...fields,
		};
		this.dataSources.set(d.id, d);
		return { status: 200, body: { status: 'success', data: { message, item: { id: d.id, source: d.source, isGeneratedByAI: d.isGeneratedByAI } } } };
	}

	private addText(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const title = reqString(d, 'title');
		const content = reqString(d, 'content');
		const agentId = reqString(d, 'agentId');
		return this.createDataSource({ agentId, title, text: content, url: null, source: 'TEXT', status: 'COMPLETED' }, 'Text data source created successfully');
	}

	private addUrl(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const url = reqString(d, 'url');
		const agentId = reqString(d, 'agentId');
		if (!/^https?:\/\/[^\s/]+/i.test(url)) throw invalid('url', 'must be a valid http(s) URL');
		// SANDBOX CHOICE: crawling is not simulated — title = the URL, status PENDING, no text yet
		return this.createDataSource({ agentId, title: url, text: null, url, source: 'WEBSITE', status: 'PENDING' }, 'URL data source created successfully');
	}

	private addQa(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const question = reqString(d, 'question');
		const answer = reqString(d, 'answer');
		const agentId = reqString(d, 'agentId');
		const isGeneratedByAI = optBoolean(d, 'isGeneratedByAI') ?? false;
		// SANDBOX CHOICE: relatedMessageId is stored as given (not checked against messages)
		const relatedMessageId = optString(d, 'relatedMessageId') ?? null;
		return this.createDataSource(
			{ agentId, title: question, text: `Q: ${question}\nA: ${answer}`, url: null, source: 'QA', status: 'COMPLETED', isGeneratedByAI, relatedMessageId },
			'Q&A data source created successfully',
		);
	}

	private addFile(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const title = reqString(d, 'title');
		const content = reqString(d, 'content');
		const agentId = reqString(d, 'agentId');
		if (isMissing(d.fileType)) throw invalid('fileType', 'is required');
		const fileType = optEnum(d, 'fileType', ['pdf', 'docx', 'image'] as const) as 'pdf' | 'docx' | 'image';
		const source = fileType.toUpperCase() as LiveChatAIDataSourceType;
		return this.createDataSource({ agentId, title, text: content, url: null, source, status: 'COMPLETED' }, 'File data source created successfully');
	}

	/** SANDBOX CHOICE (undocumented in the stored reference): 200 {status, message:'Data source deleted'}; 404 unknown. */
	private deleteDataSource(ctx: RequestContext): HandlerResult {
		const id = ctx.params.id;
		if (!this.dataSources.delete(id)) throw notFound('Data source');
		this.deletedDataSources.push(id);
		return { status: 200, body: { status: 'success', message: 'Data source deleted' } };
	}
}
