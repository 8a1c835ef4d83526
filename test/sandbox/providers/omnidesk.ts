/**
 * Omnidesk live-chat backend fake, following /work/shared/providers/omnidesk.md (referred to as
 * "§n") and its seed page (seeds/004_*.txt, "seed"). Where the docs are silent or contradict
 * each other the chosen behaviour is marked "SANDBOX CHOICE".
 *
 * Mounts:
 *   omnidesk        ''   the account base URL (https://account.omnidesk.com); routes under /api/v2/...
 *   omnidesk-chat   ''   the chat host (https://chat.omnidesk.io); only GET /requestChatConfig (seed)
 *
 * Besides the API it plays Omnidesk calling *your* chatServer hookpoints (§5):
 * `pushToChatServer()` and the `agentReply/agentFile/agentTyping/agentEndSession` helpers
 * make real HTTP POSTs to the chatServer a session registered with notifyUserNewChatMessage.
 *
 * State is public for assertions and restored to the deterministic seed by reset().
 */
import * as crypto from 'crypto';
import * as http from 'http';
import type { BodyKind, FaultDefaults, HandlerResult, MountDef, MultipartBody, MultipartFile, ProviderModule, RecordedRequest, RequestContext } from '../types';
import { postToWebhook, type WebhookAnswer } from '../http-utils';

// =====================================================================================
// Constants (exported for tests)
// =====================================================================================

/** The valid API key (§2), seeded with every permission in OMNIDESK_PERMISSIONS. */
export const OMNIDESK_API_KEY = 'odk_test_4f9a8b7c6d5e4f3a2b1c';
/** The valid live-chat token (alphanumeric, ≥ 10 chars, §2). */
export const OMNIDESK_CHAT_ACCOUNT_TOKEN = 'cat7Hq2Lw9Zx4Kp1';
/** The valid `chatServerToken` of the seed's GET requestChatConfig (never defined by the docs). */
export const OMNIDESK_CHAT_SERVER_TOKEN = 'cst3Vb8Nm1Qr6Ty0';
/** The one seeded brand (Settings → Brands) accepted by POST /api/v2/message/chatbot. */
export const OMNIDESK_BRAND_ID = 3;
/** ticketID of the first ticket after each reset (the seed's example value). */
export const OMNIDESK_FIRST_TICKET_ID = 12312;

/** API-key permissions (§2): chat endpoints need API_CHAT, message endpoints MESSAGE_CREATE. */
export const OMNIDESK_PERMISSIONS = {
	chat: 'API_CHAT',
	messageCreate: 'MESSAGE_CREATE',
} as const;

/** notifyUserNewChatEvent `event` values (§4.3). */
export const OMNIDESK_CHAT_EVENTS = ['startedtyping', 'stoppedtyping', 'expandedchat', 'minimizedchat'] as const;

/** Hookpoints Omnidesk POSTs to under `chatServer` (§5). */
export const OMNIDESK_HOOKPOINTS = ['messageForCustomer', 'uploadForCustomer', 'typingIndicatorForCustomer', 'endSession'] as const;

/** Field patterns of the spec (SPEC-CHAT), as used by the sandbox's validation. */
export const OMNIDESK_PATTERNS = {
	/** notifyUserNewChatMessage (and addAttachment, notifyUserVisited): a leading '+' is allowed */
	chatSessionID: /^\+?[a-zA-Z0-9\-]+$/,
	/** notifyUserNewChatEvent and notifyUserEndChat: no '+' */
	chatSessionIDStrict: /^[a-zA-Z0-9\-]+$/,
	chatServer: /^[a-zA-Z0-9.:/\-]+$/,
	chatAccountToken: /^[a-zA-Z0-9]+$/,
	customerName: /^[a-zA-Z 0-9]+$/,
	phoneNumber: /^\+[0-9]+$/,
	integer: /^[0-9]+$/,
	email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
} as const;

/** The seed's requestChatConfig `config` object (all 22 keys, values verbatim). */
export const OMNIDESK_SEED_CHAT_CONFIG: Readonly<Record<string, string | null>> = Object.freeze({
	chat_logo: 'https://www.omnidesk.nl/img/logo_white.svg',
	header_color: '#18e2ae',
	chat_logo_height: '30',
	chat_logo_width: '100',
	chat_background_color: '#e5e5e5',
	chat_message_customer_color: '#ffffff',
	chat_message_customer_text_color: '#000000',
	chat_message_agent_color: '#18e2ae',
	chat_message_agent_text_color: '#000000',
	chat_textarea_placeholder: 'Type je vraag en druk op enter',
	chat_introduction_html: '',
	label_provide_email_address: 'Please provide your mail address',
	label_provide_phone_number: 'Please provide your phone number',
	placeholder_email_address: 'name@domain.com',
	placeholder_telephone_number: '0612345678',
	start_button_color: '#232541',
	start_chat_instructions: 'Welkom! Typ je vraag, iemand van onze klantenservice komt zo bij je.',
	session_timeout_warning: 'notice: due to inactivity this session will soon close',
	session_timeout_message: 'session closed, refresh window to start a new chat',
	file_uploaded_text: 'File uploaded.',
	agent_typing_text: 'Agent typing..',
	show_survey_after_chat: null,
});

/** Default agent identity used by agentReply() when none is given. */
export const OMNIDESK_AGENT = { name: 'Sandbox Agent', picture: 'https://www.omnidesk.nl/img/agent-sandbox.png' } as const;

// =====================================================================================
// State types
// =====================================================================================

export type OmnideskPermission = (typeof OMNIDESK_PERMISSIONS)[keyof typeof OMNIDESK_PERMISSIONS];
export type OmnideskChatEventName = (typeof OMNIDESK_CHAT_EVENTS)[number];
export type OmnideskHookpoint = (typeof OMNIDESK_HOOKPOINTS)[number];
/** Where the API key arrived: `apiKey` header, `?apiKey=` query, both, or nowhere. */
export type OmnideskApiKeyPlacement = 'header' | 'query' | 'both' | 'none';

export interface OmnideskApiKeyUse {
	/** request log `seq` */
	seq: number;
	method: string;
	path: string;
	placement: OmnideskApiKeyPlacement;
	valid: boolean;
}

export interface OmnideskCustomer {
	name: string | null;
	email: string | null;
	phone: string | null;
}

/** A customer message accepted by notifyUserNewChatMessage. */
export interface OmnideskChatMessage {
	messageID: number;
	ticketID: number;
	messageNumber: number | null;
	message: string;
	channelID: number;
	url: string;
	usedPredefinedUserInput: string | null;
	additionalData: string | null;
	externalAddressOverwrite: string | null;
	/** request encoding: 'multipart' (documented) or 'form' (accepted, undocumented) */
	bodyKind: BodyKind;
	apiKeyPlacement: OmnideskApiKeyPlacement;
	/** every text field as received */
	fields: Record<string, string>;
	receivedAt: string;
}

/** A customer file accepted by addAttachment. */
export interface OmnideskAttachment {
	messageID: number;
	ticketID: number;
	sessionId: string;
	/** which body field carried the session id ('sessionID' as in the seed, or 'chatSessionID') */
	sessionField: 'sessionID' | 'chatSessionID';
	chatServer: string;
	filename: string;
	contentType: string;
	/** exact bytes received */
	data: Buffer;
	size: number;
	bodyKind: BodyKind;
	receivedAt: string;
}

/** A customer event (notifyUserNewChatEvent) or visit (notifyUserVisited). */
export interface OmnideskChatEvent {
	sessionId: string;
	/** one of OMNIDESK_CHAT_EVENTS, or 'visited' for notifyUserVisited */
	event: OmnideskChatEventName | 'visited';
	url: string | null;
	chatServer: string;
	/** whether a session with that id existed when the event arrived */
	knownSession: boolean;
	bodyKind: BodyKind;
	receivedAt: string;
}

export interface OmnideskSession {
	sessionId: string;
	ticketID: number;
	/** latest chatServer sent for the session (hookpoint base) */
	chatServer: string;
	channelID: number;
	/** url of the first message */
	url: string;
	customer: OmnideskCustomer;
	messages: OmnideskChatMessage[];
	events: OmnideskChatEvent[];
	attachments: OmnideskAttachment[];
	/** hookpoint calls made for this session by the agent* helpers */
	outbound: OmnideskHookCall[];
	ended: boolean;
	/** 'api' = notifyUserEndChat, 'agent' = agentEndSession() */
	endedBy: 'api' | 'agent' | null;
	/** path that ended it: '/api/v2/message/notifyUserEndChat' (seed) or '/api/v2/chat/notifyUserEndChat' (spec) */
	endedVia: string | null;
	createdAt: string;
}

export interface OmnideskTicket {
	ticketID: number;
	kind: 'chat' | 'chatbot';
	/** chat tickets: the chatSessionID */
	sessionId: string | null;
	/** chatbot tickets */
	from: string | null;
	subject: string | null;
	/** chatbot tickets: the Markdown transcript, verbatim */
	message: string | null;
	brandID: number | null;
	bodyKind: BodyKind;
	createdAt: string;
}

export interface OmnideskBrand {
	id: number;
	name: string;
}

export type OmnideskHookEncoding = 'multipart' | 'form' | 'json';

export interface OmnideskHookFile {
	name: string;
	contentType: string;
	data: Buffer | Uint8Array | string;
	/** multipart field name, default 'file' */
	field?: string;
}

export type OmnideskHookFields = Record<string, string | number | boolean | null | undefined>;

export interface OmnideskPushOptions {
	/** default 'multipart' (SANDBOX CHOICE: Omnidesk's own API is multipart; hookpoint encoding is undocumented) */
	encoding?: OmnideskHookEncoding;
	/** only with encoding 'multipart' */
	file?: OmnideskHookFile;
	/** extra request headers */
	headers?: Record<string, string>;
	/** default `hookTimeoutMs` (10 s) */
	timeoutMs?: number;
}

/** What a hookpoint answered (status, lower-cased headers, JSON body when it says JSON, text). */
export type OmnideskHookResponse = WebhookAnswer;

/** One outgoing hookpoint POST (Omnidesk → chatServer). */
export interface OmnideskHookCall {
	url: string;
	hookpoint: string;
	encoding: OmnideskHookEncoding;
	/** fields as given (before encoding) */
	fields: OmnideskHookFields;
	file: { name: string; contentType: string; size: number; field: string } | null;
	/** session id the helper used (agent* helpers), else null */
	sessionId: string | null;
	/** the exact request body bytes and Content-Type sent */
	contentType: string;
	rawBody: Buffer;
	/** undefined until answered; null on transport error */
	response: OmnideskHookResponse | null | undefined;
	error: string | null;
	sentAt: string;
}

// =====================================================================================
// Helpers
// =====================================================================================

function err(status: number, message: string): HandlerResult {
	return { status, body: { status: 'error', message } };
}

function now(): string {
	return new Date().toISOString();
}

/** Where the API key of a logged request was (header `apiKey`, query `apiKey`). */
export function omnideskApiKeyPlacement(req: Pick<RecordedRequest, 'headers' | 'query'>): OmnideskApiKeyPlacement {
	const inHeader = req.headers.apikey !== undefined;
	const inQuery = req.query.apiKey !== undefined;
	if (inHeader && inQuery) return 'both';
	if (inHeader) return 'header';
	if (inQuery) return 'query';
	return 'none';
}

function values(v: string | string[] | undefined): string[] {
	if (v === undefined) return [];
	return Array.isArray(v) ? v : [v];
}

class FieldError extends Error {}

/** Body text fields of a multipart / urlencoded request, validated one at a time. */
class Fields {
	constructor(readonly raw: Record<string, string | string[]>) {}

	/** single value or undefined; repeated field → error */
	get(name: string): string | undefined {
		const v = this.raw[name];
		if (Array.isArray(v)) throw new FieldError(`${name}: must be a single value`);
		return v;
	}

	/** required = present and not '' (a lone space passes: the spec's default for `url` is ' ') */
	required(name: string): string {
		const v = this.get(name);
		if (v === undefined || v === '') throw new FieldError(`${name}: is required`);
		return v;
	}

	/** optional: absent and '' both mean "not given" (SANDBOX CHOICE) */
	optional(name: string): string | undefined {
		const v = this.get(name);
		return v === undefined || v === '' ? undefined : v;
	}

	check(name: string, value: string, rule: { min?: number; pattern?: RegExp; email?: boolean; in?: readonly string[] }): string {
		if (rule.min !== undefined && value.length < rule.min) {
			throw new FieldError(`${name}: must be at least ${rule.min} characters`);
		}
		if (rule.pattern && !rule.pattern.test(value)) {
			throw new FieldError(`${name}: does not match the pattern ${rule.pattern.source}`);
		}
		if (rule.email && !OMNIDESK_PATTERNS.email.test(value)) {
			throw new FieldError(`${name}: must be a valid e-mail address`);
		}
		if (rule.in && !rule.in.includes(value)) {
			throw new FieldError(`${name}: must be one of ${rule.in.join(', ')}`);
		}
		return value;
	}

	integer(name: string, value: string, min?: number): number {
		const t = value.trim();
		if (!OMNIDESK_PATTERNS.integer.test(t)) throw new FieldError(`${name}: must be an integer`);
		const n = Number(t);
		if (min !== undefined && n < min) throw new FieldError(`${name}: must be at least ${min}`);
		return n;
	}

	/** every single-valued field (for storing) */
	flat(): Record<string, string> {
		const out: Record<string, string> = {};
		for (const k of Object.keys(this.raw)) {
			const v = this.raw[k];
			out[k] = Array.isArray(v) ? v[0] : v;
		}
		return out;
	}
}

// =====================================================================================
// Provider module
// =====================================================================================

export class OmnideskProvider implements ProviderModule {
	readonly name = 'omnidesk';
	readonly mounts: MountDef[];

	// ---- state (containers are mutated in place by reset(), so references stay valid)
	/** valid API keys and their permissions; OMNIDESK_API_KEY → {API_CHAT, MESSAGE_CREATE} */
	readonly apiKeys = new Map<string, Set<string>>();
	/** valid chatAccountTokens */
	readonly chatAccountTokens = new Set<string>();
	/** valid chatServerTokens (seed GET requestChatConfig) */
	readonly chatServerTokens = new Set<string>();
	readonly brands = new Map<number, OmnideskBrand>();
	/** live sessions by chatSessionID (ended ones stay until the id is reused) */
	readonly sessions = new Map<string, OmnideskSession>();
	/** ended sessions replaced by a new session with the same chatSessionID */
	readonly archivedSessions: OmnideskSession[] = [];
	readonly tickets = new Map<number, OmnideskTicket>();
	/** every accepted customer event / visit, in order (also for unknown sessions) */
	readonly events: OmnideskChatEvent[] = [];
	/** every outgoing hookpoint POST (pushToChatServer and the agent* helpers) */
	readonly hookCalls: OmnideskHookCall[] = [];
	/** API-key placement of every request on the 'omnidesk' mount that reached authentication */
	readonly apiKeyUses: OmnideskApiKeyUse[] = [];
	/** placement of the latest request's API key (null before any) */
	lastApiKeyPlacement: OmnideskApiKeyPlacement | null = null;
	/** false → requestChatConfig includes {type:'hide_reason_no_agents_available'} (when hideChatWhenNoAgents) */
	agentsAvailable = true;
	/** the token option "Hide chat when there are no agents available" (seed); default on */
	hideChatWhenNoAgents = true;
	/** requestChatConfig `config` (mutable copy of OMNIDESK_SEED_CHAT_CONFIG) */
	readonly chatConfig: Record<string, string | null> = {};
	readonly whitelistedDomains: string[] = [];
	readonly blacklistedIPs: string[] = [];
	/** default timeout of outgoing hookpoint POSTs */
	hookTimeoutMs = 10000;

	private counters = { ticket: OMNIDESK_FIRST_TICKET_ID, message: 1 };

	constructor() {
		const chat = (path: string, handler: (c: RequestContext) => HandlerResult): { method: string; path: string; handler: (c: RequestContext) => HandlerResult } => ({
			method: 'POST',
			path: `/api/v2/chat/${path}`,
			handler,
		});
		const main: MountDef = {
			name: 'omnidesk',
			basePath: '',
			routes: [
				chat('notifyUserNewChatMessage', (c) => this.withFields(c, (f) => this.newChatMessage(c, f))),
				chat('addAttachment', (c) => this.withFields(c, (f, mp) => this.addAttachment(c, f, mp))),
				chat('notifyUserNewChatEvent', (c) => this.withFields(c, (f) => this.newChatEvent(c, f))),
				chat('notifyUserVisited', (c) => this.withFields(c, (f) => this.visited(c, f))),
				// §4.4 path disputed: both exist
				chat('notifyUserEndChat', (c) => this.withFields(c, (f) => this.endChat(c, f))),
				{ method: 'POST', path: '/api/v2/message/notifyUserEndChat', handler: (c) => this.withFields(c, (f) => this.endChat(c, f)) },
				// §4.5 spec variant (the seed variant lives on the omnidesk-chat mount)
				chat('requestChatConfig', (c) => this.withFields(c, (f) => this.chatConfigFromSpec(f))),
				{ method: 'POST', path: '/api/v2/message/chatbot', handler: (c) => this.withFields(c, (f) => this.chatbot(c, f)) },
				{ method: 'GET', path: '/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', handler: () => this.whitelist() },
			],
		};
		// SANDBOX CHOICE: the seed's GET requestChatConfig carries its own tokens and never
		// mentions the API key, so this mount does no API-key check (route is public).
		const chatHost: MountDef = {
			name: 'omnidesk-chat',
			basePath: '',
			routes: [{ method: 'GET', path: '/requestChatConfig', public: true, handler: (c) => this.chatConfigFromSeed(c) }],
		};
		this.mounts = [main, chatHost];
		this.reset();
	}

	// ---------------------------------------------------------------- test helpers

	/** Permissions of OMNIDESK_API_KEY (delete one to provoke 403). */
	get permissions(): Set<string> {
		let p = this.apiKeys.get(OMNIDESK_API_KEY);
		if (!p) {
			p = new Set();
			this.apiKeys.set(OMNIDESK_API_KEY, p);
		}
		return p;
	}

	session(sessionId: string): OmnideskSession | undefined {
		return this.sessions.get(sessionId);
	}

	/** Customer messages of a session, in order ([] if unknown). */
	messagesOf(sessionId: string): OmnideskChatMessage[] {
		return this.sessions.get(sessionId)?.messages ?? [];
	}

	/** The ticket of a session. */
	ticketOf(sessionId: string): OmnideskTicket | undefined {
		const s = this.sessions.get(sessionId);
		return s ? this.tickets.get(s.ticketID) : undefined;
	}

	/** Tickets created by POST /api/v2/message/chatbot, in order. */
	chatbotTickets(): OmnideskTicket[] {
		return Array.from(this.tickets.values()).filter((t) => t.kind === 'chatbot');
	}

	/** The `requestChatConfig` response body for the current state. */
	chatConfigResponse(): Record<string, unknown> {
		const instructions: Array<Record<string, unknown>> = [];
		if (!this.agentsAvailable && this.hideChatWhenNoAgents) instructions.push({ type: 'hide_reason_no_agents_available' });
		instructions.push({ type: 'phoneNumber', key: 'phoneNumber' }, { type: 'show_team', team_profile_pictures: [] });
		return { type: 'result', message: 'start instructions', config: { ...this.chatConfig }, instructions };
	}

	// ---------------------------------------------------------------- hookpoint client (Omnidesk → chatServer)

	/**
	 * POST `fields` (and optionally a file) to `${chatServer}/${hookpoint}` like Omnidesk would.
	 * `chatServer` without a scheme gets `http://` (SANDBOX CHOICE: the docs say "IP / hostname").
	 * Resolves with the chatServer's answer; rejects on transport errors (also logged in hookCalls).
	 */
	pushToChatServer(
		chatServer: string,
		hookpoint: OmnideskHookpoint | string,
		fields: OmnideskHookFields,
		opts: OmnideskPushOptions = {},
	): Promise<OmnideskHookResponse> {
		return this.push(chatServer, hookpoint, fields, opts, null);
	}

	/** Agent reply → `messageForCustomer` {sessionID, message, name, picture} (picture omitted when null). */
	agentReply(
		sessionId: string,
		text: string,
		agent: { name?: string; picture?: string | null } = {},
		opts: OmnideskPushOptions = {},
	): Promise<OmnideskHookResponse> {
		const picture = agent.picture === undefined ? OMNIDESK_AGENT.picture : agent.picture;
		const fields: OmnideskHookFields = { sessionID: sessionId, message: text, name: agent.name ?? OMNIDESK_AGENT.name };
		if (picture !== null) fields.picture = picture;
		return this.push(this.chatServerOf(sessionId), 'messageForCustomer', fields, opts, sessionId);
	}

	/** Agent file → `uploadForCustomer` {file, sessionID} (always multipart). */
	agentFile(sessionId: string, file: OmnideskHookFile, opts: Omit<OmnideskPushOptions, 'file' | 'encoding'> = {}): Promise<OmnideskHookResponse> {
		return this.push(this.chatServerOf(sessionId), 'uploadForCustomer', { sessionID: sessionId }, { ...opts, encoding: 'multipart', file }, sessionId);
	}

	/**
	 * Agent typing → `typingIndicatorForCustomer` {Typing, SessionID} (capitalised, §5).
	 * A boolean is sent as 'true'/'false' in forms (JSON keeps the boolean); a string is sent verbatim
	 * (to try other encodings such as '1'/'0').
	 */
	agentTyping(sessionId: string, on: boolean | string, opts: OmnideskPushOptions = {}): Promise<OmnideskHookResponse> {
		return this.push(this.chatServerOf(sessionId), 'typingIndicatorForCustomer', { Typing: on, SessionID: sessionId }, opts, sessionId);
	}

	/** Agent pressed stop → `endSession` {sessionID}; marks the session ended (endedBy 'agent'). */
	async agentEndSession(sessionId: string, opts: OmnideskPushOptions = {}): Promise<OmnideskHookResponse> {
		const session = this.sessions.get(sessionId);
		const res = await this.push(this.chatServerOf(sessionId), 'endSession', { sessionID: sessionId }, opts, sessionId);
		if (session && !session.ended) {
			session.ended = true;
			session.endedBy = 'agent';
			session.endedVia = 'endSession';
		}
		return res;
	}

	// ---------------------------------------------------------------- ProviderModule

	reset(): void {
		this.apiKeys.clear();
		this.apiKeys.set(OMNIDESK_API_KEY, new Set<string>([OMNIDESK_PERMISSIONS.chat, OMNIDESK_PERMISSIONS.messageCreate]));
		this.chatAccountTokens.clear();
		this.chatAccountTokens.add(OMNIDESK_CHAT_ACCOUNT_TOKEN);
		this.chatServerTokens.clear();
		this.chatServerTokens.add(OMNIDESK_CHAT_SERVER_TOKEN);
		this.brands.clear();
		this.brands.set(OMNIDESK_BRAND_ID, { id: OMNIDESK_BRAND_ID, name: 'Sandbox Brand' });
		this.sessions.clear();
		this.archivedSessions.length = 0;
		this.tickets.clear();
		this.events.length = 0;
		this.hookCalls.length = 0;
		this.apiKeyUses.length = 0;
		this.lastApiKeyPlacement = null;
		this.agentsAvailable = true;
		this.hideChatWhenNoAgents = true;
		for (const k of Object.keys(this.chatConfig)) delete this.chatConfig[k];
		Object.assign(this.chatConfig, OMNIDESK_SEED_CHAT_CONFIG);
		this.whitelistedDomains.length = 0;
		this.whitelistedDomains.push('www.example.com', 'shop.example.com');
		this.blacklistedIPs.length = 0;
		this.blacklistedIPs.push('203.0.113.66');
		this.hookTimeoutMs = 10000;
		this.counters = { ticket: OMNIDESK_FIRST_TICKET_ID, message: 1 };
	}

	/**
	 * API key in header `apiKey` or query `?apiKey=` (§2: docs disagree, both accepted).
	 * SANDBOX CHOICE: when given in both places, both must be valid keys.
	 * 401 `{status:'error', message:'Invalid API key'}` for missing/wrong (status undocumented; the
	 * legacy docs only show `{status:'error', message}` with 400). Then per-route permission → 403.
	 */
	authenticate(ctx: RequestContext): HandlerResult | undefined {
		const candidates = [...values(ctx.headers.apikey), ...values(ctx.query.apiKey)];
		const placement = omnideskApiKeyPlacement(ctx.request);
		const key = candidates.length > 0 && candidates.every((k) => this.apiKeys.has(k)) ? candidates[0] : undefined;
		this.lastApiKeyPlacement = placement;
		this.apiKeyUses.push({ seq: ctx.request.seq, method: ctx.method, path: ctx.path, placement, valid: key !== undefined });
		if (key === undefined) return err(401, 'Invalid API key');
		const needed = this.permissionFor(ctx.path);
		if (needed && !this.apiKeys.get(key)?.has(needed)) {
			return err(403, `This API key lacks the ${needed} permission`);
		}
		return undefined;
	}

	notFound(ctx: RequestContext): HandlerResult {
		return err(404, `Unknown endpoint ${ctx.method} ${ctx.path}`);
	}

	methodNotAllowed(ctx: RequestContext, allowed: string[]): HandlerResult {
		return err(405, `Method ${ctx.method} not allowed for ${ctx.path}; use ${allowed.join(', ')}`);
	}

	/** SANDBOX CHOICE: fault bodies use the legacy error shape; 429 gets Retry-After 0 so tests never sleep. */
	faultDefaults(status: number): FaultDefaults {
		if (status === 429) return { body: { status: 'error', message: 'Too many requests' }, headers: { 'Retry-After': '0' } };
		if (status === 401) return { body: { status: 'error', message: 'Invalid API key' } };
		if (status === 403) return { body: { status: 'error', message: 'This API key lacks the required permission' } };
		if (status === 500) return { body: { status: 'error', message: 'Internal server error' } };
		return { body: { status: 'error', message: http.STATUS_CODES[status] ?? 'Error' } };
	}

	// ---------------------------------------------------------------- internals

	/**
	 * Permission per route (§2). SANDBOX CHOICE: the seed's /message/notifyUserEndChat is a chat
	 * operation and needs API_CHAT like its /chat twin; the credential-test endpoint
	 * (whitelistedDomainsAndBlacklistedIPs) needs only a valid key.
	 */
	private permissionFor(path: string): string | undefined {
		if (path === '/api/v2/message/chatbot') return OMNIDESK_PERMISSIONS.messageCreate;
		if (path === '/api/v2/chat/whitelistedDomainsAndBlacklistedIPs') return undefined;
		return OMNIDESK_PERMISSIONS.chat;
	}

	/**
	 * Body gate for every POST: multipart/form-data (spec) or x-www-form-urlencoded (undocumented,
	 * accepted; `bodyKind` is recorded). SANDBOX CHOICE: JSON and other bodies → 400, so tests prove
	 * the node encodes as documented. An empty body counts as no fields.
	 */
	private withFields(ctx: RequestContext, fn: (f: Fields, mp: MultipartBody | null) => HandlerResult): HandlerResult {
		let raw: Record<string, string | string[]>;
		let mp: MultipartBody | null = null;
		if (ctx.bodyKind === 'multipart') {
			if (ctx.bodyError) return err(400, `Malformed multipart/form-data body: ${ctx.bodyError}`);
			mp = ctx.body as MultipartBody;
			raw = mp.fields;
		} else if (ctx.bodyKind === 'form') {
			raw = ctx.body as Record<string, string | string[]>;
		} else if (ctx.bodyKind === 'none') {
			raw = {};
		} else {
			const ct = ctx.header('content-type') ?? 'none';
			return err(400, `Request body must be multipart/form-data (got ${ct})`);
		}
		try {
			return fn(new Fields(raw), mp);
		} catch (e) {
			if (e instanceof FieldError) return err(400, e.message);
			throw e;
		}
	}

	private chatAccountToken(f: Fields): string {
		const token = f.check('chatAccountToken', f.required('chatAccountToken'), { min: 10, pattern: OMNIDESK_PATTERNS.chatAccountToken });
		return token;
	}

	/** format errors are 400; a well-formed but unknown token is 401 (SANDBOX CHOICE) */
	private tokenInvalid(token: string): HandlerResult | undefined {
		return this.chatAccountTokens.has(token) ? undefined : err(401, 'Invalid chat account token');
	}

	private chatServer(f: Fields): string {
		return f.check('chatServer', f.required('chatServer'), { min: 5, pattern: OMNIDESK_PATTERNS.chatServer });
	}

	private newTicket(t: Omit<OmnideskTicket, 'ticketID' | 'createdAt'>): OmnideskTicket {
		const ticket: OmnideskTicket = { ticketID: this.counters.ticket++, createdAt: now(), ...t };
		this.tickets.set(ticket.ticketID, ticket);
		return ticket;
	}

	// §4.1
	private newChatMessage(ctx: RequestContext, f: Fields): HandlerResult {
		const sessionId = f.check('chatSessionID', f.required('chatSessionID'), { pattern: OMNIDESK_PATTERNS.chatSessionID });
		const chatServer = this.chatServer(f);
		const token = this.chatAccountToken(f);
		const message = f.required('message');
		const channelID = f.integer('channelID', f.required('channelID'));
		// APP marks url required; the spec's default is ' ', which is accepted.
		const urlValue = f.get('url');
		if (urlValue === undefined) throw new FieldError('url: is required');
		const messageNumberRaw = f.optional('messageNumber');
		const messageNumber = messageNumberRaw === undefined ? null : f.integer('messageNumber', messageNumberRaw, 1);
		const customerName = f.optional('customerName');
		if (customerName !== undefined) f.check('customerName', customerName, { pattern: OMNIDESK_PATTERNS.customerName });
		const email = f.optional('emailAddress');
		if (email !== undefined) f.check('emailAddress', email, { email: true });
		const phone = f.optional('phoneNumber');
		if (phone !== undefined) f.check('phoneNumber', phone, { pattern: OMNIDESK_PATTERNS.phoneNumber });
		const used = f.optional('usedPredefinedUserInput');
		// SANDBOX CHOICE: "boolean-ish string" = true/false/1/0 (any case)
		if (used !== undefined) f.check('usedPredefinedUserInput', used.toLowerCase(), { in: ['true', 'false', '1', '0'] });
		const additionalData = f.get('additionalData') ?? null;
		const externalAddressOverwrite = f.get('externalAddressOverwrite') ?? null;
		const denied = this.tokenInvalid(token);
		if (denied) return denied;

		let session = this.sessions.get(sessionId);
		if (session && session.ended) {
			// SANDBOX CHOICE: a message for an ended session opens a new session + ticket
			this.archivedSessions.push(session);
			session = undefined;
		}
		if (!session) {
			const ticket = this.newTicket({
				kind: 'chat',
				sessionId,
				from: email ?? phone ?? null,
				subject: null,
				message: null,
				brandID: null,
				bodyKind: ctx.bodyKind,
			});
			session = {
				sessionId,
				ticketID: ticket.ticketID,
				chatServer,
				channelID,
				url: urlValue,
				customer: { name: null, email: null, phone: null },
				messages: [],
				events: [],
				attachments: [],
				outbound: [],
				ended: false,
				endedBy: null,
				endedVia: null,
				createdAt: now(),
			};
			this.sessions.set(sessionId, session);
		}
		// SANDBOX CHOICE: the latest chatServer wins (hookpoints go there)
		session.chatServer = chatServer;
		if (customerName !== undefined) session.customer.name = customerName;
		if (email !== undefined) session.customer.email = email;
		if (phone !== undefined) session.customer.phone = phone;
		session.messages.push({
			messageID: this.counters.message++,
			ticketID: session.ticketID,
			messageNumber,
			message,
			channelID,
			url: urlValue,
			usedPredefinedUserInput: used ?? null,
			additionalData,
			externalAddressOverwrite,
			bodyKind: ctx.bodyKind,
			apiKeyPlacement: omnideskApiKeyPlacement(ctx.request),
			fields: f.flat(),
			receivedAt: now(),
		});
		return { status: 200, body: { type: 'result', message: 'Message sent.', ticketID: session.ticketID } };
	}

	// §4.2
	private addAttachment(ctx: RequestContext, f: Fields, mp: MultipartBody | null): HandlerResult {
		const chatServer = this.chatServer(f);
		const token = this.chatAccountToken(f);
		// seed: `sessionID`; SANDBOX CHOICE: `chatSessionID` accepted too (sessionID wins if both)
		const sessionField: 'sessionID' | 'chatSessionID' = f.optional('sessionID') !== undefined || f.optional('chatSessionID') === undefined ? 'sessionID' : 'chatSessionID';
		const sessionId = f.check(sessionField, f.required(sessionField), { pattern: OMNIDESK_PATTERNS.chatSessionID });
		const files = (mp?.files ?? []).filter((x: MultipartFile) => x.field === 'file');
		if (files.length === 0) throw new FieldError('file: is required (a multipart file part named "file")');
		if (files.length > 1) throw new FieldError('file: must be a single file');
		const denied = this.tokenInvalid(token);
		if (denied) return denied;
		const session = this.sessions.get(sessionId);
		// SANDBOX CHOICE: unknown / ended sessions are 400
		if (!session) return err(400, 'Unknown session');
		if (session.ended) return err(400, 'Session ended');
		const file = files[0];
		const attachment: OmnideskAttachment = {
			messageID: this.counters.message++,
			ticketID: session.ticketID,
			sessionId,
			sessionField,
			chatServer,
			filename: file.filename,
			contentType: file.contentType,
			data: Buffer.from(file.data),
			size: file.data.length,
			bodyKind: ctx.bodyKind,
			receivedAt: now(),
		};
		session.attachments.push(attachment);
		// the seed shows PHP-array syntax; the sandbox answers JSON
		return {
			status: 200,
			body: { type: 'result', message: 'Attachment uploaded.', ticketID: session.ticketID, messageID: attachment.messageID },
		};
	}

	private recordEvent(ctx: RequestContext, sessionId: string, chatServer: string, event: OmnideskChatEvent['event'], url: string | null): void {
		const session = this.sessions.get(sessionId);
		const ev: OmnideskChatEvent = { sessionId, event, url, chatServer, knownSession: !!session, bodyKind: ctx.bodyKind, receivedAt: now() };
		this.events.push(ev);
		if (session) session.events.push(ev);
	}

	// §4.3 — SANDBOX CHOICE: events for unknown sessions are accepted (e.g. expandedchat before the first message)
	private newChatEvent(ctx: RequestContext, f: Fields): HandlerResult {
		const chatServer = this.chatServer(f);
		const sessionId = f.check('chatSessionID', f.required('chatSessionID'), { pattern: OMNIDESK_PATTERNS.chatSessionIDStrict });
		const event = f.check('event', f.required('event'), { in: OMNIDESK_CHAT_EVENTS }) as OmnideskChatEventName;
		this.recordEvent(ctx, sessionId, chatServer, event, null);
		return { status: 200, body: { type: 'result', message: 'Event sent.' } };
	}

	// §4.7 — SANDBOX CHOICE: pattern with optional '+', unknown sessions accepted, message 'Visit registered.'
	private visited(ctx: RequestContext, f: Fields): HandlerResult {
		const chatServer = this.chatServer(f);
		const sessionId = f.check('chatSessionID', f.required('chatSessionID'), { pattern: OMNIDESK_PATTERNS.chatSessionID });
		const url = f.required('url');
		this.recordEvent(ctx, sessionId, chatServer, 'visited', url);
		return { status: 200, body: { type: 'result', message: 'Visit registered.' } };
	}

	// §4.4 — both paths. SANDBOX CHOICE: spec pattern (no '+') on both; unknown session → 400;
	// ending an ended session again → 200 (idempotent).
	private endChat(ctx: RequestContext, f: Fields): HandlerResult {
		const sessionId = f.check('chatSessionID', f.required('chatSessionID'), { pattern: OMNIDESK_PATTERNS.chatSessionIDStrict });
		this.chatServer(f);
		const session = this.sessions.get(sessionId);
		if (!session) return err(400, 'Unknown session');
		if (!session.ended) {
			session.ended = true;
			session.endedBy = 'api';
			session.endedVia = ctx.path;
		}
		return { status: 200, body: { type: 'result', message: 'Session ended.' } };
	}

	// §4.5 spec variant: POST multipart chatServer + chatAccountToken
	private chatConfigFromSpec(f: Fields): HandlerResult {
		this.chatServer(f);
		const token = this.chatAccountToken(f);
		return this.tokenInvalid(token) ?? { status: 200, body: this.chatConfigResponse() };
	}

	// §4.5 seed variant: GET chat host with query chatAccountToken + chatServerToken
	private chatConfigFromSeed(ctx: RequestContext): HandlerResult {
		const q = new Fields(ctx.query);
		try {
			const token = this.chatAccountToken(q);
			const serverToken = q.required('chatServerToken');
			const denied = this.tokenInvalid(token);
			if (denied) return denied;
			if (!this.chatServerTokens.has(serverToken)) return err(401, 'Invalid chat server token');
		} catch (e) {
			if (e instanceof FieldError) return err(400, e.message);
			throw e;
		}
		return { status: 200, body: this.chatConfigResponse() };
	}

	// §4.6
	private chatbot(ctx: RequestContext, f: Fields): HandlerResult {
		const from = f.required('from');
		const subject = f.required('subject');
		const message = f.required('message');
		const brandRaw = f.required('brandID');
		const brandID = f.integer('brandID', brandRaw);
		if (!this.brands.has(brandID)) throw new FieldError(`brandID: unknown brand ${brandID}`);
		this.newTicket({ kind: 'chatbot', sessionId: null, from, subject, message, brandID, bodyKind: ctx.bodyKind });
		return { status: 200, body: { result: 'success', message: 'Chatbot ticket created.' } };
	}

	// §4.7 (credential test endpoint)
	private whitelist(): HandlerResult {
		return {
			status: 200,
			body: { type: 'result', whitelistedDomains: this.whitelistedDomains.slice(), blacklistedIPs: this.blacklistedIPs.slice() },
		};
	}

	// ---------------------------------------------------------------- hookpoint transport

	private chatServerOf(sessionId: string): string {
		const s = this.sessions.get(sessionId);
		if (!s) throw new Error(`Omnidesk sandbox: unknown session '${sessionId}' (send notifyUserNewChatMessage first)`);
		return s.chatServer;
	}

	private encode(fields: OmnideskHookFields, encoding: OmnideskHookEncoding, file: OmnideskHookFile | undefined): { contentType: string; body: Buffer } {
		const entries = Object.keys(fields)
			.filter((k) => fields[k] !== undefined && fields[k] !== null)
			.map((k) => [k, fields[k]] as [string, string | number | boolean]);
		if (file && encoding !== 'multipart') throw new Error('Omnidesk sandbox: a file can only be pushed with encoding multipart');
		if (encoding === 'json') {
			return { contentType: 'application/json', body: Buffer.from(JSON.stringify(Object.fromEntries(entries)), 'utf8') };
		}
		if (encoding === 'form') {
			const p = new URLSearchParams();
			entries.forEach(([k, v]) => p.append(k, String(v)));
			return { contentType: 'application/x-www-form-urlencoded', body: Buffer.from(p.toString(), 'utf8') };
		}
		const boundary = `----OmnideskSandbox${crypto.randomBytes(12).toString('hex')}`;
		const esc = (s: string): string => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
		const parts: Buffer[] = [];
		for (const [k, v] of entries) {
			parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${esc(k)}"\r\n\r\n${String(v)}\r\n`, 'utf8'));
		}
		if (file) {
			const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
			parts.push(
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${esc(file.field ?? 'file')}"; filename="${esc(file.name)}"\r\n` +
						`Content-Type: ${file.contentType}\r\n\r\n`,
					'utf8',
				),
				data,
				Buffer.from('\r\n', 'utf8'),
			);
		}
		parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
		return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
	}

	private push(
		chatServer: string,
		hookpoint: string,
		fields: OmnideskHookFields,
		opts: OmnideskPushOptions,
		sessionId: string | null,
	): Promise<OmnideskHookResponse> {
		const encoding = opts.encoding ?? 'multipart';
		const base = (/^[a-z][a-z0-9+.-]*:\/\//i.test(chatServer) ? chatServer : `http://${chatServer}`).replace(/\/+$/, '');
		const url = `${base}/${hookpoint.replace(/^\/+/, '')}`;
		const { contentType, body } = this.encode(fields, encoding, opts.file);
		const call: OmnideskHookCall = {
			url,
			hookpoint,
			encoding,
			fields: { ...fields },
			file: opts.file
				? {
						name: opts.file.name,
						contentType: opts.file.contentType,
						size: typeof opts.file.data === 'string' ? Buffer.byteLength(opts.file.data) : opts.file.data.length,
						field: opts.file.field ?? 'file',
					}
				: null,
			sessionId,
			contentType,
			rawBody: body,
			response: undefined,
			error: null,
			sentAt: now(),
		};
		this.hookCalls.push(call);
		if (sessionId) this.sessions.get(sessionId)?.outbound.push(call);

		const headers = { 'content-type': contentType, 'user-agent': 'Omnidesk-Sandbox/1.0', ...(opts.headers ?? {}) };
		return postToWebhook(url, body, headers, opts.timeoutMs ?? this.hookTimeoutMs, 'hookpoint').then(
			(answer) => {
				call.response = answer;
				return answer;
			},
			(e: Error) => {
				call.response = null;
				call.error = e.message;
				throw e;
			},
		);
	}
}
