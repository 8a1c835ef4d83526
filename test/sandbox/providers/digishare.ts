/**
 * Digishare LiveChat fake, following /work/shared/providers/digishare.md (referred to as "§n").
 * Where the docs are silent the chosen behaviour is marked "SANDBOX CHOICE".
 *
 * Mounts:
 *   digishare             /v1   main REST API (api.digishare.ma/v1)
 *   digishare-app         /v1   "send on conversation" ingest (api-app.digishare.ma/v1), §4.4
 *   digishare-calclytics  /api  conversation check on the calclytics host, §1 / §4.3
 *
 * State is public for assertions (thirds, conversations, messages, platformLinks, oauthTokens, …)
 * and is restored to the deterministic seed by reset().
 */
import * as crypto from 'crypto';
import { expandBracketKeys, isJsonMediaType, parseHeaderValue } from '../http-utils';
import type { FaultDefaults, HandlerResult, MountDef, ProviderModule, RequestContext } from '../types';
import { isBlank, isPlainObject, messages, toBoolean, Validator } from '../validation';

// =====================================================================================
// Constants and seed ids (exported for tests)
// =====================================================================================

/** A valid Personal Access Token (§2). */
export const DIGISHARE_PAT = 'ds_pat_test_0123456789';
/** The valid OAuth client-credentials pair (§2). */
export const DIGISHARE_CLIENT_ID = 'ds_client_test_0123';
export const DIGISHARE_CLIENT_SECRET = 'ds_secret_test_s3cr3tValue0123456789';
/** `expires_in` reported by /oauth/token (docs sample: 1 year). */
export const DIGISHARE_OAUTH_EXPIRES_IN = 31536000;

export const DIGISHARE_COMPANY_ID = 'c7m2p4n9y3k5q8r1';

/** The user every token maps to (GET /user/profile). */
export const DIGISHARE_PROFILE = {
	id: 'u7k2m9p4q1w8e5r3',
	name: 'Sandbox Agent',
	email: 'agent@sandbox.digishare.test',
	status: 'active',
} as const;

/** Agents (users) of the company; `agent` is the profile user. */
export const DIGISHARE_USER_IDS = {
	agent: 'u7k2m9p4q1w8e5r3',
	agent2: 'h3n8b2v6c4x9z1l5',
	supervisor: 'm5n6b7v8c9x0z1a2',
} as const;

export const DIGISHARE_BOT_IDS = {
	main: 'b0t7x3k9m2p5q8w4',
	faq: 'b0t2f4a6q8z1x3c5',
} as const;

/** API provider (channel account) instances, used as provider_instance_id / api_provider_id. */
export const DIGISHARE_PROVIDER_INSTANCE_IDS = {
	whatsapp: 'p4w8h2a6t9s3a1p7',
	webchat: 'p9w3e1b5c7h2a4t6',
} as const;

export const DIGISHARE_PLATFORM_LINK_IDS = {
	/** Third #0 (Adil Chbada) on WhatsApp 212600000001 */
	adilWhatsapp: 'l1n6k2w8a4p9s3d7',
	/** Third #1 (Sara …) on webchat */
	saraWebchat: 'l5n3k7w1e9b2c6h8',
} as const;

export const DIGISHARE_CONVERSATION_IDS = {
	/** active WhatsApp conversation of Third #0, bot-handled, no agent (id from the seed doc) */
	active: '6934k9qq5orl5vrx',
	/** active webchat conversation of Third #1 handled by user `agent` */
	assigned: 'q8w3e5r7t9y2u4i6',
	/** archived (older) WhatsApp conversation of Third #0 */
	archived: 'a1r2c3h4v5d6x7z8',
} as const;

/**
 * Conversation `status` integers. The docs only say "status: int";
 * SANDBOX CHOICE (inference): 1 waiting for agent, 2 assigned to a human, 3 bot, 4 archived.
 */
export const DIGISHARE_CONVERSATION_STATUS = {
	NEED_AGENT: 1,
	ASSIGNED: 2,
	BOT: 3,
	ARCHIVED: 4,
} as const;

export const DIGISHARE_SEED_THIRD_COUNT = 37;

export const DIGISHARE_PERMISSIONS = {
	attach: 'attach.chat.room.participants',
	detach: 'detach.chat.room.participants',
} as const;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Deterministic 16-char lowercase alphanumeric id ("encoded id", §1). */
export function digishareId(seed: string): string {
	const digest = crypto.createHash('sha256').update(seed).digest();
	let out = '';
	for (let i = 0; i < 16; i++) out += ALPHABET[digest[i] % 36];
	return out;
}

/** Ids of the 37 seeded thirds, in seed (= created_at) order. Third #0 is "Adil Chbada". */
export const DIGISHARE_THIRD_IDS: readonly string[] = Array.from({ length: DIGISHARE_SEED_THIRD_COUNT }, (_, i) =>
	digishareId(`digishare:third:${i}`),
);

// =====================================================================================
// State types
// =====================================================================================

export interface DigishareThird {
	id: string;
	company_id: string;
	name: string | null;
	first_name: string | null;
	last_name: string | null;
	email: string | null;
	mobile: string | null;
	phone: string | null;
	wa_id: string | null;
	address: string | null;
	address_2: string | null;
	lang: string | null;
	gender: string | null;
	birthday: string | null;
	is_company: boolean;
	premium: boolean;
	verified: boolean;
	status: boolean;
	source_id: string | number | null;
	country_id: string | number | null;
	state_id: string | number | null;
	city_id: string | number | null;
	parent_id: string | number | null;
	tags: string[];
	group_type_id: Array<string | number>;
	ext_ref: string | null;
	data: Record<string, unknown>;
	created_at: string;
	updated_at: string;
	/** soft delete marker (never serialised) */
	deleted_at: string | null;
}

export interface DigisharePlatformLink {
	id: string;
	third_id: string;
	channel: string;
	/** phone / WhatsApp id / session id; phone-like ids stored without '+' */
	platform_id: string;
}

export interface DigishareConversation {
	id: string;
	company_id: string;
	code: string;
	status: number;
	is_active: boolean;
	human_intervention: number;
	unreadCount: number;
	provider_instance_id: string;
	channel: string;
	recipient_id: string;
	third_id: string;
	platform_link_id: string;
	users: string[];
	bots: string[];
	handler_id: string | null;
	need_agent: boolean;
	bot_active: boolean;
	created_at: string;
	archived_at: string | null;
	last_message: { text: string } | null;
}

export interface DigishareMessage {
	id: string;
	conversation_id: string;
	type: string;
	body: unknown;
	send_to_third: boolean;
	system: boolean;
	status: string;
	sender: { model_type: 'third' | 'user' | 'system'; model_id: string | null };
	/** how it got here: seed data, POST /messages or the app ingest event */
	via: 'seed' | 'messages' | 'event';
	created_at: string;
}

export interface DigishareOAuthToken {
	access_token: string;
	client_id: string;
	issued_at: string;
	expires_at: number;
	expired: boolean;
}

export interface DigishareIngestEvent {
	event_id: string;
	status: 'accepted';
	timestamp: string;
	conversation_id: string;
	message_id: string;
	payload: Record<string, unknown>;
}

export interface DigishareParticipants {
	users: string[];
	bots: string[];
	handler_id: string | null;
	need_agent: boolean;
	bot_active: boolean;
}

// =====================================================================================
// Helpers
// =====================================================================================

/** Laravel timestamp format: 2025-12-03T12:28:50.000000Z */
function laravelTime(d: Date = new Date()): string {
	return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** ISO-8601 with nanoseconds (§4.4 sample). */
function nanoTime(): string {
	const ns = String(process.hrtime()[1] % 1000000).padStart(6, '0');
	return new Date().toISOString().replace(/\.(\d{3})Z$/, `.$1${ns}Z`);
}

/** Compare channel identities: phone-like ids match with or without '+', spaces, dashes. */
function normalizeIdentity(id: string): string {
	const compact = id.replace(/[\s\-().]/g, '');
	return /^\+?\d+$/.test(compact) ? compact.replace(/^\+/, '') : id.trim();
}

/**
 * §4.6 "Phones are normalised to E.164". SANDBOX CHOICE: strip separators, 00 → +,
 * national 0XXXXXXXXX → +212 (Morocco, Digishare's home market), bare digits → '+' prefix.
 * Returns undefined when the result is not + followed by 8..15 digits.
 */
export function normalizePhone(raw: string): string | undefined {
	let p = raw.replace(/[\s\-().]/g, '');
	if (p.startsWith('00')) p = '+' + p.slice(2);
	else if (/^0\d{9}$/.test(p)) p = '+212' + p.slice(1);
	else if (/^\d+$/.test(p)) p = '+' + p;
	return /^\+\d{8,15}$/.test(p) ? p : undefined;
}

function clone<T>(v: T): T {
	return JSON.parse(JSON.stringify(v)) as T;
}

const FIRST_NAMES = [
	'Adil', 'Sara', 'Youssef', 'Fatima', 'Omar', 'Imane', 'Karim', 'Nadia', 'Hamza', 'Salma',
	'Mehdi', 'Khadija', 'Anas', 'Laila', 'Rachid', 'Meryem', 'Amine', 'Hiba', 'Tarik', 'Zineb',
	'Ayoub', 'Soukaina', 'Bilal', 'Asmae', 'Hicham', 'Ikram', 'Reda', 'Ghita', 'Ilyas', 'Dounia',
	'Walid', 'Nora', 'Samir', 'Rim', 'Jawad', 'Houda', 'Marouane',
];
const LAST_NAMES = ['Chbada', 'Benali', 'El Amrani', 'Tazi', 'Alaoui', 'Bennani', 'Idrissi', 'Berrada', 'Lahlou', 'Fassi'];
const LANGS = ['fr', 'ar', 'en'];
const GENDERS = ['male', 'female', 'other'];

const THIRD_ORDERABLE = ['id', 'name', 'first_name', 'last_name', 'email', 'created_at', 'updated_at'];
const CUSTOM_FILTER_OPERATORS = ['=', '>', '<', '>=', '<=', '!='];

type Input = Record<string, unknown>;
type InputResult = { ok: true; data: Input } | { ok: false; result: HandlerResult };

function badRequest(error: string, details: string | null): HandlerResult {
	return { status: 400, body: { error, details } };
}

// =====================================================================================
// Provider module
// =====================================================================================

export class DigishareProvider implements ProviderModule {
	readonly name = 'digishare';
	readonly mounts: MountDef[];

	// ---- state (containers are mutated in place by reset(), so references stay valid)
	readonly thirds = new Map<string, DigishareThird>();
	readonly conversations = new Map<string, DigishareConversation>();
	readonly messages: DigishareMessage[] = [];
	readonly platformLinks = new Map<string, DigisharePlatformLink>();
	readonly oauthTokens = new Map<string, DigishareOAuthToken>();
	/** accepted POST /event/conversation_message events (digishare-app) */
	readonly events: DigishareIngestEvent[] = [];
	/** valid PATs (seeded with DIGISHARE_PAT; tests may add/remove) */
	readonly pats = new Set<string>();
	/** permissions of the token's user; delete one to provoke 403 on participant routes */
	readonly permissions = new Set<string>();
	/** company users (agents) known to exist */
	readonly users = new Set<string>();
	readonly bots = new Set<string>();
	readonly providerInstances = new Map<string, { id: string; channel: string }>();
	/** lifetime of newly issued OAuth tokens, seconds (reported as expires_in) */
	oauthExpiresIn = DIGISHARE_OAUTH_EXPIRES_IN;

	private counters = { third: 0, conversation: 0, message: 0, link: 0, event: 0, code: 0 };

	constructor() {
		const main: MountDef = {
			name: 'digishare',
			basePath: '/v1',
			routes: [
				{ method: 'POST', path: '/oauth/token', public: true, handler: (c) => this.oauthToken(c) },
				{ method: 'GET', path: '/user/profile', handler: () => ({ status: 200, body: { ...DIGISHARE_PROFILE } }) },
				{ method: 'POST', path: '/messages', handler: (c) => this.sendMessage(c) },
				{ method: 'POST', path: '/conversations/provider', handler: (c) => this.createConversation(c) },
				{ method: 'GET', path: '/conversations/check', handler: (c) => this.checkConversation(c) },
				{ method: 'PUT', path: '/conversations/:id/attach/participants', handler: (c) => this.attachParticipants(c) },
				{ method: 'PUT', path: '/conversations/:id/detach/participants', handler: (c) => this.detachParticipants(c) },
				{ method: 'PUT', path: '/conversations/:id/handler/:userId', handler: (c) => this.setHandler(c) },
				{ method: 'POST', path: '/conversations/:id/users/:userId', handler: (c) => this.attachUser(c) },
				{ method: 'DELETE', path: '/conversations/:id/users/:userId', handler: (c) => this.detachUser(c) },
				{ method: 'GET', path: '/thirds', handler: (c) => this.listThirds(c) },
				{ method: 'POST', path: '/thirds', handler: (c) => this.createThird(c) },
				{ method: 'GET', path: '/thirds/:id', handler: (c) => this.showThird(c) },
				{ method: 'PATCH', path: '/thirds/:id', handler: (c) => this.updateThird(c) },
				{ method: 'DELETE', path: '/thirds/:id', handler: (c) => this.deleteThird(c) },
			],
		};
		const app: MountDef = {
			name: 'digishare-app',
			basePath: '/v1',
			routes: [{ method: 'POST', path: '/event/conversation_message', handler: (c) => this.ingestEvent(c) }],
		};
		// §1: the check endpoint's host is contradictory; it exists on both hosts here.
		const calclytics: MountDef = {
			name: 'digishare-calclytics',
			basePath: '/api',
			routes: [{ method: 'GET', path: '/conversations/check', handler: (c) => this.checkConversation(c) }],
		};
		this.mounts = [main, app, calclytics];
		this.reset();
	}

	// ---------------------------------------------------------------- test helpers

	/** Mark every issued OAuth token expired: the next call with one gets 401. */
	expireOAuthTokens(): void {
		this.oauthTokens.forEach((t) => {
			t.expired = true;
		});
	}

	/** Number of tokens issued by POST /oauth/token since the last reset. */
	get oauthTokensIssued(): number {
		return this.oauthTokens.size;
	}

	/** Participants of every conversation (fresh snapshot). */
	get participants(): Map<string, DigishareParticipants> {
		const out = new Map<string, DigishareParticipants>();
		this.conversations.forEach((c) => out.set(c.id, this.participantsOf(c.id) as DigishareParticipants));
		return out;
	}

	participantsOf(conversationId: string): DigishareParticipants | undefined {
		const c = this.conversations.get(conversationId);
		if (!c) return undefined;
		return {
			users: c.users.slice(),
			bots: c.bots.slice(),
			handler_id: c.handler_id,
			need_agent: c.need_agent,
			bot_active: c.bot_active,
		};
	}

	/** Messages of one conversation, in order. */
	messagesOf(conversationId: string): DigishareMessage[] {
		return this.messages.filter((m) => m.conversation_id === conversationId);
	}

	/** Non-deleted thirds in seed/creation order. */
	activeThirds(): DigishareThird[] {
		return Array.from(this.thirds.values()).filter((t) => t.deleted_at === null);
	}

	/** Public JSON shape of a third (as returned by the API). */
	serializeThird(t: DigishareThird): Record<string, unknown> {
		const out = clone(t) as unknown as Record<string, unknown>;
		delete out.deleted_at;
		return out;
	}

	/** Conversation resource as returned by the participant routes (§4.5). */
	serializeConversation(c: DigishareConversation): Record<string, unknown> {
		return {
			object: 'Conversation',
			id: c.id,
			company_id: c.company_id,
			code: c.code,
			status: c.status,
			human_intervention: c.human_intervention,
			unreadCount: c.unreadCount,
		};
	}

	// ---------------------------------------------------------------- ProviderModule

	reset(): void {
		this.thirds.clear();
		this.conversations.clear();
		this.messages.length = 0;
		this.platformLinks.clear();
		this.oauthTokens.clear();
		this.events.length = 0;
		this.pats.clear();
		this.pats.add(DIGISHARE_PAT);
		this.permissions.clear();
		this.permissions.add(DIGISHARE_PERMISSIONS.attach);
		this.permissions.add(DIGISHARE_PERMISSIONS.detach);
		this.users.clear();
		Object.values(DIGISHARE_USER_IDS).forEach((id) => this.users.add(id));
		this.bots.clear();
		Object.values(DIGISHARE_BOT_IDS).forEach((id) => this.bots.add(id));
		this.providerInstances.clear();
		this.providerInstances.set(DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp, {
			id: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
		});
		this.providerInstances.set(DIGISHARE_PROVIDER_INSTANCE_IDS.webchat, {
			id: DIGISHARE_PROVIDER_INSTANCE_IDS.webchat,
			channel: 'webchat',
		});
		this.oauthExpiresIn = DIGISHARE_OAUTH_EXPIRES_IN;
		this.counters = { third: 0, conversation: 0, message: 0, link: 0, event: 0, code: 100 };
		this.seed();
	}

	authenticate(ctx: RequestContext): HandlerResult | undefined {
		const unauthenticated: HandlerResult = { status: 401, body: { message: 'Unauthenticated.' } };
		const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.header('authorization') ?? '');
		if (!m) return unauthenticated;
		const token = m[1];
		if (this.pats.has(token)) return undefined;
		const oauth = this.oauthTokens.get(token);
		if (oauth && !oauth.expired && Date.now() < oauth.expires_at) return undefined;
		return unauthenticated;
	}

	/** Laravel's NotFoundHttpException message. */
	notFound(ctx: RequestContext): HandlerResult {
		const mount = this.mounts.find((m) => m.name === ctx.provider);
		const route = `${(mount?.basePath ?? '').replace(/^\//, '')}${ctx.path}`.replace(/^\//, '');
		return { status: 404, body: { message: `The route ${route} could not be found.` } };
	}

	/** Laravel's MethodNotAllowedHttpException message (docs: body "not specified"). */
	methodNotAllowed(ctx: RequestContext, allowed: string[]): HandlerResult {
		const mount = this.mounts.find((m) => m.name === ctx.provider);
		const route = `${(mount?.basePath ?? '').replace(/^\//, '')}${ctx.path}`.replace(/^\//, '');
		return {
			status: 405,
			body: {
				message: `The ${ctx.method} method is not supported for route ${route}. Supported methods: ${allowed.join(', ')}.`,
			},
		};
	}

	/** §3.1 fault bodies: 429 `{message}` + rate-limit headers, 500 `{message, request_id}`. */
	faultDefaults(status: number): FaultDefaults {
		if (status === 429) {
			return {
				body: { message: 'Too Many Attempts.' },
				headers: {
					// SANDBOX CHOICE: Retry-After 0 by default so tests never sleep; override per fault
					'Retry-After': '0',
					'X-RateLimit-Limit': '60',
					'X-RateLimit-Remaining': '0',
					'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000)),
				},
			};
		}
		if (status === 500) return { body: { message: 'Server Error', request_id: crypto.randomUUID() } };
		if (status === 401) return { body: { message: 'Unauthenticated.' } };
		if (status === 403) return { body: { message: 'This action is unauthorized.' } };
		if (status === 404) return { body: { message: 'Resource not found.', resource_id: null } };
		if (status === 400) return { body: { error: 'Bad Request', details: null } };
		return {};
	}

	// ---------------------------------------------------------------- seed

	private seed(): void {
		const base = Date.UTC(2025, 0, 1, 9, 0, 0);
		for (let i = 0; i < DIGISHARE_SEED_THIRD_COUNT; i++) {
			const first = FIRST_NAMES[i];
			const last = LAST_NAMES[i % LAST_NAMES.length];
			const n = String(i + 1).padStart(2, '0');
			const created = laravelTime(new Date(base + i * 86400000));
			this.thirds.set(DIGISHARE_THIRD_IDS[i], {
				id: DIGISHARE_THIRD_IDS[i],
				company_id: DIGISHARE_COMPANY_ID,
				name: `${first} ${last}`,
				first_name: first,
				last_name: last,
				// every 10th third has no e-mail
				email: i % 10 === 9 ? null : `${first}.${last.replace(/\s+/g, '')}@example.com`.toLowerCase(),
				mobile: `+2126000000${n}`,
				phone: i % 3 === 0 ? `+2125220000${n}` : null,
				wa_id: `2126000000${n}`,
				address: null,
				address_2: null,
				lang: LANGS[i % LANGS.length],
				gender: GENDERS[i % 2],
				birthday: null,
				is_company: false,
				premium: i % 5 === 0,
				verified: i % 2 === 0,
				status: true,
				source_id: null,
				country_id: null,
				state_id: null,
				city_id: null,
				parent_id: null,
				tags: i % 4 === 0 ? ['vip'] : [],
				group_type_id: [],
				ext_ref: `EXT-${String(i + 1).padStart(4, '0')}`,
				data: { custom_fields: { loyalty_points: i * 10 } },
				created_at: created,
				updated_at: created,
				deleted_at: null,
			});
		}
		this.counters.third = DIGISHARE_SEED_THIRD_COUNT;

		const [adil, sara] = DIGISHARE_THIRD_IDS;
		this.platformLinks.set(DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp, {
			id: DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp,
			third_id: adil,
			channel: 'whatsapp',
			platform_id: '212600000001',
		});
		this.platformLinks.set(DIGISHARE_PLATFORM_LINK_IDS.saraWebchat, {
			id: DIGISHARE_PLATFORM_LINK_IDS.saraWebchat,
			third_id: sara,
			channel: 'webchat',
			platform_id: 'webchat-session-0002',
		});

		const mk = (
			id: string,
			link: string,
			instance: string,
			opts: Partial<DigishareConversation>,
		): DigishareConversation => {
			const l = this.platformLinks.get(link) as DigisharePlatformLink;
			const c: DigishareConversation = {
				id,
				company_id: DIGISHARE_COMPANY_ID,
				code: `CONV-${String(++this.counters.code).padStart(6, '0')}`,
				status: 0,
				is_active: true,
				human_intervention: 0,
				unreadCount: 0,
				provider_instance_id: instance,
				channel: l.channel,
				recipient_id: l.platform_id,
				third_id: l.third_id,
				platform_link_id: l.id,
				users: [],
				bots: [],
				handler_id: null,
				need_agent: true,
				bot_active: false,
				created_at: laravelTime(),
				archived_at: null,
				last_message: null,
				...opts,
			};
			this.recompute(c);
			this.conversations.set(id, c);
			return c;
		};
		mk(DIGISHARE_CONVERSATION_IDS.archived, DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp, DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp, {
			is_active: false,
			created_at: '2025-11-20T10:00:00.000000Z',
			archived_at: '2025-11-21T10:00:00.000000Z',
			users: [DIGISHARE_USER_IDS.agent2],
			handler_id: DIGISHARE_USER_IDS.agent2,
		});
		mk(DIGISHARE_CONVERSATION_IDS.active, DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp, DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp, {
			created_at: '2025-12-03T12:28:50.000000Z',
			bots: [DIGISHARE_BOT_IDS.main],
			unreadCount: 1,
		});
		mk(DIGISHARE_CONVERSATION_IDS.assigned, DIGISHARE_PLATFORM_LINK_IDS.saraWebchat, DIGISHARE_PROVIDER_INSTANCE_IDS.webchat, {
			created_at: '2025-12-04T08:15:00.000000Z',
			users: [DIGISHARE_USER_IDS.agent],
			handler_id: DIGISHARE_USER_IDS.agent,
		});

		const inbound = (conversationId: string, body: string, at: string): void => {
			const c = this.conversations.get(conversationId) as DigishareConversation;
			this.storeMessage(c, {
				type: 'text',
				body,
				send_to_third: false,
				system: false,
				sender: { model_type: 'third', model_id: c.third_id },
				via: 'seed',
				created_at: at,
			});
		};
		inbound(DIGISHARE_CONVERSATION_IDS.archived, 'Merci, bonne journée', '2025-11-20T10:05:00.000000Z');
		inbound(DIGISHARE_CONVERSATION_IDS.active, '/info', '2025-12-03T12:28:51.000000Z');
		inbound(DIGISHARE_CONVERSATION_IDS.assigned, 'Hello, I need help with my order', '2025-12-04T08:15:05.000000Z');
	}

	// ---------------------------------------------------------------- shared internals

	/**
	 * Read the request body as an object.
	 * - jsonOnly: Content-Type must be application/json (docs-declared JSON endpoints);
	 *   anything else → 400 {error, details}.
	 * - otherwise (SANDBOX CHOICE, like Laravel) form-urlencoded and multipart are also
	 *   accepted, with `a[]`/`a[b]` keys expanded PHP-style.
	 * Empty body → {} (validation then reports the required fields).
	 */
	private input(ctx: RequestContext, jsonOnly: boolean): InputResult {
		const ct = parseHeaderValue(ctx.header('content-type')).type;
		if (ctx.bodyError && ctx.bodyKind === 'json') {
			return { ok: false, result: badRequest('Malformed JSON', ctx.bodyError) };
		}
		if (ctx.bodyError) return { ok: false, result: badRequest('Malformed request body', ctx.bodyError) };
		if (jsonOnly && !isJsonMediaType(ct)) {
			return {
				ok: false,
				result: badRequest('Unsupported Content-Type', `Expected application/json, got ${ct || 'no Content-Type'}`),
			};
		}
		switch (ctx.bodyKind) {
			case 'none':
				return { ok: true, data: {} };
			case 'json':
				if (!isPlainObject(ctx.body)) {
					return { ok: false, result: badRequest('Invalid JSON payload', 'The request body must be a JSON object.') };
				}
				return { ok: true, data: ctx.body };
			case 'form':
				return { ok: true, data: expandBracketKeys(ctx.body as Record<string, string | string[]>) };
			case 'multipart':
				return {
					ok: true,
					data: expandBracketKeys((ctx.body as { fields: Record<string, string | string[]> }).fields),
				};
			default:
				return {
					ok: false,
					result: badRequest('Unsupported Content-Type', `Expected application/json, got ${ct || 'no Content-Type'}`),
				};
		}
	}

	private conversationNotFound(id: string): HandlerResult {
		return { status: 404, body: { message: 'Conversation not found.', resource_id: id } };
	}

	private thirdNotFound(id: string): HandlerResult {
		return { status: 404, body: { message: 'Third not found.', resource_id: id } };
	}

	/** §4.5 derived flags. need_agent ⇔ no human user; status per DIGISHARE_CONVERSATION_STATUS. */
	private recompute(c: DigishareConversation): void {
		c.bot_active = c.bots.length > 0;
		c.need_agent = c.users.length === 0;
		c.human_intervention = c.users.length > 0 ? 1 : 0;
		if (c.handler_id !== null && !c.users.includes(c.handler_id)) c.handler_id = null;
		if (!c.is_active) c.status = DIGISHARE_CONVERSATION_STATUS.ARCHIVED;
		else if (c.users.length > 0) c.status = DIGISHARE_CONVERSATION_STATUS.ASSIGNED;
		else if (c.bot_active) c.status = DIGISHARE_CONVERSATION_STATUS.BOT;
		else c.status = DIGISHARE_CONVERSATION_STATUS.NEED_AGENT;
	}

	private previewText(type: string, body: unknown): string {
		if (typeof body === 'string') return body;
		if (isPlainObject(body)) {
			if (type === 'location') return typeof body.name === 'string' ? body.name : `${body.latitude},${body.longitude}`;
			const inner = body.body;
			if (isPlainObject(inner) && typeof inner.text === 'string') return inner.text;
		}
		return JSON.stringify(body);
	}

	private storeMessage(
		c: DigishareConversation,
		m: Omit<DigishareMessage, 'id' | 'conversation_id' | 'status'>,
	): DigishareMessage {
		const message: DigishareMessage = {
			id: digishareId(`digishare:message:${++this.counters.message}`),
			conversation_id: c.id,
			status: 'sent',
			...m,
		};
		this.messages.push(message);
		c.last_message = { text: this.previewText(m.type, m.body) };
		return message;
	}

	private newConversation(link: DigisharePlatformLink, providerInstanceId: string): DigishareConversation {
		const c: DigishareConversation = {
			id: digishareId(`digishare:conversation:${++this.counters.conversation}`),
			company_id: DIGISHARE_COMPANY_ID,
			code: `CONV-${String(++this.counters.code).padStart(6, '0')}`,
			status: 0,
			is_active: true,
			human_intervention: 0,
			unreadCount: 0,
			provider_instance_id: providerInstanceId,
			channel: link.channel,
			recipient_id: link.platform_id,
			third_id: link.third_id,
			platform_link_id: link.id,
			users: [],
			bots: [],
			handler_id: null,
			need_agent: true,
			bot_active: false,
			created_at: laravelTime(),
			archived_at: null,
			last_message: null,
		};
		this.recompute(c);
		this.conversations.set(c.id, c);
		return c;
	}

	private archive(c: DigishareConversation): void {
		c.is_active = false;
		c.archived_at = laravelTime();
		this.recompute(c);
	}

	/** §4.2 "resolve PlatformLink (auto-creates a minimal Third + PlatformLink when missing)". */
	private resolvePlatformLink(channel: string, recipientId: string, thirdId?: string): DigisharePlatformLink {
		const wanted = normalizeIdentity(recipientId);
		for (const link of Array.from(this.platformLinks.values())) {
			if (link.channel === channel && normalizeIdentity(link.platform_id) === wanted) return link;
		}
		let third: DigishareThird | undefined;
		if (thirdId) third = this.thirds.get(thirdId);
		if (!third && channel === 'whatsapp') {
			// SANDBOX CHOICE: reuse an existing third whose wa_id is this number
			third = this.activeThirds().find((t) => t.wa_id !== null && normalizeIdentity(t.wa_id) === wanted);
		}
		if (!third || third.deleted_at !== null) third = this.insertThird({}, { minimalFor: { channel, recipientId: wanted } });
		const link: DigisharePlatformLink = {
			id: digishareId(`digishare:link:${++this.counters.link}`),
			third_id: third.id,
			channel,
			platform_id: wanted,
		};
		this.platformLinks.set(link.id, link);
		return link;
	}

	// ---------------------------------------------------------------- /oauth/token (§2)

	private oauthToken(ctx: RequestContext): HandlerResult {
		// SANDBOX CHOICE: JSON (documented) and form bodies accepted; client credentials
		// only in the body (HTTP Basic client auth is not documented, so not accepted).
		const input = this.input(ctx, false);
		if (!input.ok) return input.result;
		const d = input.data;
		const oauthError = (status: number, error: string, description: string): HandlerResult => ({
			// {error, details} is Digishare's documented 400 shape; error_description/message are
			// what Passport (Laravel's OAuth server) adds, so OAuth clients can read it too.
			status,
			body: { error, details: description, error_description: description, message: description },
		});
		for (const key of ['grant_type', 'client_id', 'client_secret']) {
			if (isBlank(d[key]) || typeof d[key] !== 'string') {
				return oauthError(400, 'invalid_request', `The request is missing a required parameter: ${key}.`);
			}
		}
		if (d.grant_type !== 'client_credentials') {
			return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
		}
		if (d.client_id !== DIGISHARE_CLIENT_ID || d.client_secret !== DIGISHARE_CLIENT_SECRET) {
			// 401 like Passport's invalid_client; `message` satisfies the §3.1 401 shape
			return oauthError(401, 'invalid_client', 'Client authentication failed');
		}
		const now = Math.floor(Date.now() / 1000);
		const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
		const accessToken = [
			b64({ typ: 'JWT', alg: 'RS256' }),
			b64({ aud: DIGISHARE_CLIENT_ID, jti: crypto.randomBytes(20).toString('hex'), iat: now, nbf: now, exp: now + this.oauthExpiresIn, sub: '', scopes: [] }),
			crypto.randomBytes(64).toString('base64url'),
		].join('.');
		this.oauthTokens.set(accessToken, {
			access_token: accessToken,
			client_id: DIGISHARE_CLIENT_ID,
			issued_at: new Date().toISOString(),
			expires_at: Date.now() + this.oauthExpiresIn * 1000,
			expired: false,
		});
		return { status: 200, body: { token_type: 'Bearer', expires_in: this.oauthExpiresIn, access_token: accessToken } };
	}

	// ---------------------------------------------------------------- POST /messages (§4.1)

	private sendMessage(ctx: RequestContext): HandlerResult {
		const input = this.input(ctx, true);
		if (!input.ok) return input.result;
		const d = input.data;
		const v = new Validator();
		const conversationId = v.string('conversation_id', d.conversation_id, { required: true });
		const sendToThird = v.boolean('send_to_third', d.send_to_third, { required: true });
		// SANDBOX CHOICE: type defaults to 'text' (docs: default undocumented; seed example omits it)
		const type = d.type === undefined || d.type === null ? 'text' : v.string('type', d.type, { in: ['text', 'location', 'interactive'] });
		if (type === 'text') v.string('body', d.body, { required: true, max: 4096 });
		else if (type === 'location') this.validateLocation(v, d.body);
		else if (type === 'interactive') this.validateInteractive(v, d.body);
		else v.present('body', d.body, true);
		if (!v.ok) return v.toResult();

		// existence is checked after validation (422 first, then 404), as the brief specifies
		const c = this.conversations.get(conversationId as string);
		if (!c) return this.conversationNotFound(conversationId as string);
		// SANDBOX CHOICE: sending into an archived conversation is allowed (docs silent)
		const m = this.storeMessage(c, {
			type: type as string,
			body: clone(d.body),
			send_to_third: sendToThird as boolean,
			system: false,
			sender: { model_type: 'user', model_id: DIGISHARE_PROFILE.id },
			via: 'messages',
			created_at: laravelTime(),
		});
		return { status: 201, body: { id: m.id, status: 'sent' } };
	}

	private validateLocation(v: Validator, body: unknown): void {
		const b = v.object('body', body, { required: true });
		if (!b) return;
		// docs type latitude/longitude as number: strict (a stringified coordinate is a node bug)
		v.number('body.latitude', b.latitude, { required: true, strict: true, min: -90, max: 90, between: true });
		v.number('body.longitude', b.longitude, { required: true, strict: true, min: -180, max: 180, between: true });
		// SANDBOX CHOICE: name/address optional (WhatsApp treats them optional) but must be strings
		v.string('body.name', b.name, { nullable: true });
		v.string('body.address', b.address, { nullable: true });
	}

	private validateInteractive(v: Validator, body: unknown): void {
		const b = v.object('body', body, { required: true });
		if (!b) return;
		const kind = v.string('body.type', b.type, { required: true, in: ['button', 'list', 'location_request_message'] });
		const inner = v.object('body.body', b.body, { required: true });
		if (inner) v.string('body.body.text', inner.text, { required: true });
		if (b.header !== undefined && b.header !== null) {
			const header = v.object('body.header', b.header);
			if (header) {
				v.string('body.header.type', header.type, { required: true, in: ['text'] });
				v.string('body.header.text', header.text, { required: true, max: 60 });
			}
		}
		if (!kind) return;
		const action = v.object('body.action', b.action, { required: true });
		if (!action) return;

		if (kind === 'button') {
			const buttons = v.array('body.action.buttons', action.buttons, { required: true, min: 1, max: 3 });
			if (!buttons) return;
			const seen = new Set<string>();
			buttons.forEach((btn, i) => {
				const p = `body.action.buttons.${i}`;
				const o = v.object(p, btn, { required: true });
				if (!o) return;
				v.string(`${p}.type`, o.type, { required: true, in: ['reply'] });
				const reply = v.object(`${p}.reply`, o.reply, { required: true });
				if (!reply) return;
				const id = v.string(`${p}.reply.id`, reply.id, { required: true });
				// SANDBOX CHOICE: duplicate reply ids rejected (WhatsApp requires unique ids)
				if (typeof id === 'string') {
					if (seen.has(id)) v.add(`${p}.reply.id`, messages.distinct(`${p}.reply.id`));
					seen.add(id);
				}
				v.string(`${p}.reply.title`, reply.title, { required: true, max: 20 });
			});
		} else if (kind === 'list') {
			v.string('body.action.button', action.button, { required: true });
			const sections = v.array('body.action.sections', action.sections, { required: true, min: 1 });
			if (!sections) return;
			let totalRows = 0;
			sections.forEach((section, si) => {
				const p = `body.action.sections.${si}`;
				const s = v.object(p, section, { required: true });
				if (!s) return;
				v.string(`${p}.title`, s.title, { nullable: true });
				const rows = v.array(`${p}.rows`, s.rows, { required: true, min: 1 });
				if (!rows) return;
				totalRows += rows.length;
				rows.forEach((row, ri) => {
					const rp = `${p}.rows.${ri}`;
					const r = v.object(rp, row, { required: true });
					if (!r) return;
					v.string(`${rp}.id`, r.id, { required: true });
					v.string(`${rp}.title`, r.title, { required: true, max: 24 });
					v.string(`${rp}.description`, r.description, { nullable: true });
				});
			});
			if (totalRows > 10) {
				v.add('body.action.sections', 'The body.action.sections field must not have more than 10 rows in total.');
			}
		} else if (kind === 'location_request_message') {
			v.string('body.action.name', action.name, { required: true, in: ['send_location'] });
		}
	}

	// ---------------------------------------------------------------- conversations (§4.2, §4.3)

	private createConversation(ctx: RequestContext): HandlerResult {
		const input = this.input(ctx, false);
		if (!input.ok) return input.result;
		const d = input.data;
		const v = new Validator();
		const instanceId = v.string('provider_instance_id', d.provider_instance_id, { required: true });
		// §4.2 provider_instance_id is "validated first": unknown → 422 exists
		if (typeof instanceId === 'string' && !this.providerInstances.has(instanceId)) {
			v.add('provider_instance_id', messages.exists('provider_instance_id'));
		}
		const channel = v.string('channel', d.channel, { required: true });
		const recipientId = v.string('recipient_id', typeof d.recipient_id === 'number' ? String(d.recipient_id) : d.recipient_id, {
			required: true,
		});
		const linkId = v.string('platform_link_id', d.platform_link_id, { nullable: true });
		if (typeof linkId === 'string' && !this.platformLinks.has(linkId)) v.add('platform_link_id', messages.exists('platform_link_id'));
		const thirdId = v.string('third_id', d.third_id, { nullable: true });
		if (typeof thirdId === 'string' && !this.thirds.has(thirdId)) v.add('third_id', messages.exists('third_id'));
		const archiveActive = v.boolean('archive_active_conversation', d.archive_active_conversation) ?? true;
		const reactivate = v.boolean('reactivate_archived_conversation', d.reactivate_archived_conversation) ?? false;
		if (!v.ok) return v.toResult();

		const link =
			typeof linkId === 'string'
				? (this.platformLinks.get(linkId) as DigisharePlatformLink)
				: this.resolvePlatformLink(channel as string, recipientId as string, thirdId ?? undefined);
		const ofLink = Array.from(this.conversations.values()).filter((c) => c.platform_link_id === link.id);
		const active = ofLink.find((c) => c.is_active);
		const previouslyArchived = ofLink
			.filter((c) => !c.is_active)
			.sort((x, y) => (x.archived_at ?? '').localeCompare(y.archived_at ?? ''))
			.pop();
		const reply = (c: DigishareConversation, status: number): HandlerResult => ({
			status,
			body: { id: c.id, status: 'active', platform_link_id: link.id },
		});

		// SANDBOX CHOICE: with archive_active_conversation=false an existing active conversation
		// is reused as-is (the "or reuse" of the endpoint title); 200 for reuse/reactivation, 201 for new.
		if (active && !archiveActive) return reply(active, 200);
		if (active) this.archive(active);
		if (reactivate && previouslyArchived) {
			// "most recently archived" = archived before this request (not the one just archived)
			previouslyArchived.is_active = true;
			previouslyArchived.archived_at = null;
			this.recompute(previouslyArchived);
			return reply(previouslyArchived, 200);
		}
		return reply(this.newConversation(link, instanceId as string), 201);
	}

	private checkConversation(ctx: RequestContext): HandlerResult {
		const q = (k: string): string | undefined => {
			const val = ctx.queryValue(k);
			return val === undefined || val === '' ? undefined : val;
		};
		const companyId = q('company_id');
		const apiProviderId = q('api_provider_id');
		const channel = q('channel');
		const thirdId = q('third_id');
		const identity = q('channel_identity');
		const linkId = q('platform_link_id');
		// SANDBOX CHOICE: docs mark nothing required; at least one identifying param is needed
		if (!thirdId && !identity && !linkId) {
			const v = new Validator();
			v.add('channel_identity', messages.requiredWithoutAll('channel_identity', ['third_id', 'platform_link_id']));
			return v.toResult();
		}
		const notFound: HandlerResult = {
			status: 200,
			body: { success: true, found: false, conversation: null, identity_owner: null },
		};
		// another company's id: the token cannot see it
		if (companyId && companyId !== DIGISHARE_COMPANY_ID) return notFound;
		const wanted = identity ? normalizeIdentity(identity) : undefined;
		const candidates = Array.from(this.conversations.values())
			.filter(
				(c) =>
					(!apiProviderId || c.provider_instance_id === apiProviderId) &&
					(!channel || c.channel === channel) &&
					(!thirdId || c.third_id === thirdId) &&
					(!wanted || normalizeIdentity(c.recipient_id) === wanted) &&
					(!linkId || c.platform_link_id === linkId),
			)
			.sort((x, y) => x.created_at.localeCompare(y.created_at));
		// SANDBOX CHOICE: identity_owner = id of the Third owning the channel identity (inference)
		let owner: string | null = null;
		if (linkId) owner = this.platformLinks.get(linkId)?.third_id ?? null;
		else if (wanted) {
			const link = Array.from(this.platformLinks.values()).find(
				(l) => normalizeIdentity(l.platform_id) === wanted && (!channel || l.channel === channel),
			);
			owner = link?.third_id ?? null;
		} else if (thirdId && this.thirds.has(thirdId)) owner = thirdId;
		const found = candidates.filter((c) => c.is_active).pop() ?? candidates.pop();
		if (!found) return { status: 200, body: { success: true, found: false, conversation: null, identity_owner: owner } };
		return {
			status: 200,
			body: {
				success: true,
				found: true,
				conversation: {
					id: found.id,
					is_active: found.is_active,
					last_message: found.last_message ? { text: found.last_message.text } : null,
					created_at: found.created_at,
				},
				identity_owner: owner ?? found.third_id,
			},
		};
	}

	// ---------------------------------------------------------------- participants (§4.5)

	private conversationResult(c: DigishareConversation): HandlerResult {
		return { status: 200, body: { data: this.serializeConversation(c) } };
	}

	private forbidden(): HandlerResult {
		return { status: 403, body: { message: 'This action is unauthorized.' } };
	}

	/** validate an optional array of known ids (users or bots) */
	private idList(v: Validator, field: string, value: unknown, known: Set<string>, checkExists: boolean): string[] | undefined {
		const arr = v.array(field, value, { nullable: true });
		if (!arr) return undefined;
		const out: string[] = [];
		arr.forEach((item, i) => {
			const id = v.string(`${field}.${i}`, item, { required: true });
			if (typeof id !== 'string') return;
			if (checkExists && !known.has(id)) v.add(`${field}.${i}`, messages.exists(`${field}.${i}`));
			else out.push(id);
		});
		return out;
	}

	private applyAttach(c: DigishareConversation, users: string[], bots: string[], handlerId?: string): void {
		const hadHandler = c.handler_id !== null;
		const addedUsers = users.filter((u) => !c.users.includes(u));
		addedUsers.forEach((u) => c.users.push(u));
		bots.filter((b) => !c.bots.includes(b)).forEach((b) => c.bots.push(b));
		if (handlerId) c.handler_id = handlerId;
		// "On a handler-less conversation, adding a user ... if no bot is active, assigns that user."
		else if (!hadHandler && addedUsers.length > 0 && c.bots.length === 0) c.handler_id = addedUsers[0];
		this.recompute(c);
	}

	private applyDetach(c: DigishareConversation, users: string[], bots: string[]): void {
		c.users = c.users.filter((u) => !users.includes(u));
		c.bots = c.bots.filter((b) => !bots.includes(b));
		// SANDBOX CHOICE: removing the handler leaves the conversation without handler
		this.recompute(c);
	}

	private attachParticipants(ctx: RequestContext): HandlerResult {
		// 404 before 422 (route-model binding precedes validation)
		const c = this.conversations.get(ctx.params.id);
		if (!c) return this.conversationNotFound(ctx.params.id);
		if (!this.permissions.has(DIGISHARE_PERMISSIONS.attach)) return this.forbidden();
		const input = this.input(ctx, false);
		if (!input.ok) return input.result;
		const d = input.data;
		const v = new Validator();
		if (isBlank(d.users) && isBlank(d.bots)) {
			v.add('users', messages.requiredWithout('users', ['bots']));
			v.add('bots', messages.requiredWithout('bots', ['users']));
			return v.toResult();
		}
		const users = this.idList(v, 'users', d.users, this.users, true) ?? [];
		const bots = this.idList(v, 'bots', d.bots, this.bots, true) ?? [];
		const handlerId = v.string('handler_id', d.handler_id, { nullable: true });
		if (typeof handlerId === 'string' && !users.includes(handlerId) && !v.has('users')) {
			v.add('handler_id', messages.inArray('handler_id', 'users.*'));
		}
		if (!v.ok) return v.toResult();
		this.applyAttach(c, users, bots, handlerId ?? undefined);
		return this.conversationResult(c);
	}

	private detachParticipants(ctx: RequestContext): HandlerResult {
		const c = this.conversations.get(ctx.params.id);
		if (!c) return this.conversationNotFound(ctx.params.id);
		if (!this.permissions.has(DIGISHARE_PERMISSIONS.detach) && !c.users.includes(DIGISHARE_PROFILE.id)) return this.forbidden();
		const input = this.input(ctx, false);
		if (!input.ok) return input.result;
		const d = input.data;
		const v = new Validator();
		// SANDBOX CHOICE: at least one of users/bots, like attach (docs: both optional)
		if (isBlank(d.users) && isBlank(d.bots)) {
			v.add('users', messages.requiredWithout('users', ['bots']));
			v.add('bots', messages.requiredWithout('bots', ['users']));
			return v.toResult();
		}
		// "unknown IDs ignored" → no existence check
		const users = this.idList(v, 'users', d.users, this.users, false) ?? [];
		const bots = this.idList(v, 'bots', d.bots, this.bots, false) ?? [];
		if (!v.ok) return v.toResult();
		this.applyDetach(c, users, bots);
		return this.conversationResult(c);
	}

	private setHandler(ctx: RequestContext): HandlerResult {
		const c = this.conversations.get(ctx.params.id);
		if (!c) return this.conversationNotFound(ctx.params.id);
		if (!this.permissions.has(DIGISHARE_PERMISSIONS.attach)) return this.forbidden();
		const userId = ctx.params.userId;
		if (!this.users.has(userId)) return { status: 404, body: { message: 'User not found.', resource_id: userId } };
		this.applyAttach(c, [userId], [], userId);
		return this.conversationResult(c);
	}

	private attachUser(ctx: RequestContext): HandlerResult {
		const c = this.conversations.get(ctx.params.id);
		if (!c) return this.conversationNotFound(ctx.params.id);
		if (!this.permissions.has(DIGISHARE_PERMISSIONS.attach)) return this.forbidden();
		const userId = ctx.params.userId;
		if (!this.users.has(userId)) return { status: 404, body: { message: 'User not found.', resource_id: userId } };
		const raw = ctx.queryValue('set_as_handler');
		const asHandler = raw === 'true' || toBoolean(raw) === true;
		this.applyAttach(c, [userId], [], asHandler ? userId : undefined);
		return this.conversationResult(c);
	}

	private detachUser(ctx: RequestContext): HandlerResult {
		const c = this.conversations.get(ctx.params.id);
		if (!c) return this.conversationNotFound(ctx.params.id);
		const userId = ctx.params.userId;
		// detach permission, or being a participant (an agent can remove itself to leave)
		if (!this.permissions.has(DIGISHARE_PERMISSIONS.detach) && !c.users.includes(DIGISHARE_PROFILE.id)) {
			return this.forbidden();
		}
		// SANDBOX CHOICE: detaching a non-participant is a no-op 200 (idempotent like attach)
		this.applyDetach(c, [userId], []);
		return this.conversationResult(c);
	}

	// ---------------------------------------------------------------- app ingest (§4.4)

	private ingestEvent(ctx: RequestContext): HandlerResult {
		const input = this.input(ctx, true);
		if (!input.ok) return input.result;
		const d = input.data;
		const v = new Validator();
		v.string('event_type', d.event_type, { required: true, in: ['conversation_message'] });
		const channel = v.string('channel', d.channel, { required: true });
		// SANDBOX CHOICE: type optional (default text); only text bodies on this endpoint
		const type = d.type === undefined || d.type === null ? 'text' : v.string('type', d.type, { in: ['text'] });
		// SANDBOX CHOICE: send_to_third optional, default true
		const sendToThird = v.boolean('send_to_third', d.send_to_third) ?? true;
		const instanceId = v.string('api_provider_instance_id', d.api_provider_instance_id, { required: true });
		if (typeof instanceId === 'string' && !this.providerInstances.has(instanceId)) {
			v.add('api_provider_instance_id', messages.exists('api_provider_instance_id'));
		}
		const recipientId = v.string('recipient_id', typeof d.recipient_id === 'number' ? String(d.recipient_id) : d.recipient_id, { required: true });
		v.string('body', d.body, { required: true, max: 4096 });
		const conversationId = v.string('conversation_id', d.conversation_id, { nullable: true });
		if (typeof conversationId === 'string' && !this.conversations.has(conversationId)) {
			v.add('conversation_id', messages.exists('conversation_id'));
		}
		if (!v.ok) return v.toResult();

		// Processing is asynchronous in production; the sandbox applies it immediately:
		// the given conversation, else the contact's active one, else a new one.
		let c: DigishareConversation;
		if (typeof conversationId === 'string') c = this.conversations.get(conversationId) as DigishareConversation;
		else {
			const link = this.resolvePlatformLink(channel as string, recipientId as string);
			c =
				Array.from(this.conversations.values()).find((x) => x.platform_link_id === link.id && x.is_active) ??
				this.newConversation(link, instanceId as string);
		}
		const m = this.storeMessage(c, {
			type: type as string,
			body: d.body,
			send_to_third: sendToThird,
			system: false,
			sender: { model_type: 'user', model_id: DIGISHARE_PROFILE.id },
			via: 'event',
			created_at: laravelTime(),
		});
		const event: DigishareIngestEvent = {
			event_id: String(1733230000000000 + ++this.counters.event),
			status: 'accepted',
			timestamp: nanoTime(),
			conversation_id: c.id,
			message_id: m.id,
			payload: clone(d),
		};
		this.events.push(event);
		return { status: 202, body: { event_id: event.event_id, status: 'accepted', timestamp: event.timestamp } };
	}

	// ---------------------------------------------------------------- thirds (§4.6)

	private listThirds(ctx: RequestContext): HandlerResult {
		const v = new Validator();
		const page = v.number('page', ctx.queryValue('page'), { integer: true, min: 1 }) ?? 1;
		const limit = v.number('limit', ctx.queryValue('limit'), { integer: true, min: 1, max: 100 }) ?? 15;
		const orderBy = v.string('orderBy', ctx.queryValue('orderBy'), { in: THIRD_ORDERABLE });
		const sortedBy = v.string('sortedBy', ctx.queryValue('sortedBy')?.toLowerCase(), { in: ['asc', 'desc'] }) ?? 'asc';
		let filters: Array<{ key: string; operator: string; value: unknown }> = [];
		const rawFilters = ctx.queryValue('custom_filters');
		if (rawFilters !== undefined && rawFilters !== '') {
			try {
				const parsed: unknown = JSON.parse(rawFilters);
				if (!isPlainObject(parsed)) throw new Error('not an object');
				filters = Object.keys(parsed).map((key) => {
					const f = parsed[key];
					if (!isPlainObject(f) || !CUSTOM_FILTER_OPERATORS.includes(String(f.operator))) {
						v.add(`custom_filters.${key}.operator`, messages.in(`custom_filters.${key}.operator`));
						return { key, operator: '=', value: undefined };
					}
					return { key, operator: String(f.operator), value: f.value };
				});
			} catch {
				v.add('custom_filters', messages.json('custom_filters'));
			}
		}
		if (!v.ok) return v.toResult();

		let rows = this.activeThirds();
		const search = (ctx.queryValue('search') ?? '').trim().toLowerCase();
		if (search) {
			rows = rows.filter((t) =>
				[t.name, t.first_name, t.last_name, t.email, t.phone, t.mobile, t.wa_id].some(
					(f) => typeof f === 'string' && f.toLowerCase().includes(search),
				),
			);
		}
		for (const f of filters) {
			rows = rows.filter((t) => {
				const cf = isPlainObject(t.data.custom_fields) ? t.data.custom_fields : {};
				const actual = cf[f.key];
				if (actual === undefined) return false;
				const num = typeof actual === 'number' && !isNaN(Number(f.value));
				const x = num ? (actual as number) : String(actual);
				const y = num ? Number(f.value) : String(f.value);
				switch (f.operator) {
					case '=': return x === y;
					case '!=': return x !== y;
					case '>': return x > y;
					case '<': return x < y;
					case '>=': return x >= y;
					default: return x <= y;
				}
			});
		}
		if (orderBy) {
			const key = orderBy as keyof DigishareThird;
			rows = rows.slice().sort((x, y) => String(x[key] ?? '').localeCompare(String(y[key] ?? '')));
			if (sortedBy === 'desc') rows.reverse();
		} else if (sortedBy === 'desc') {
			rows = rows.slice().reverse();
		}
		// include=tags,groups,source: accepted and ignored (tags are always present)
		const total = rows.length;
		const totalPages = Math.max(1, Math.ceil(total / limit));
		const pageRows = rows.slice((page - 1) * limit, page * limit);
		return {
			status: 200,
			body: {
				data: pageRows.map((t) => this.serializeThird(t)),
				meta: {
					pagination: { total, count: pageRows.length, per_page: limit, current_page: page, total_pages: totalPages },
				},
			},
		};
	}

	private showThird(ctx: RequestContext): HandlerResult {
		const t = this.thirds.get(ctx.params.id);
		if (!t || t.deleted_at !== null) return this.thirdNotFound(ctx.params.id);
		return { status: 200, body: { data: this.serializeThird(t) } };
	}

	private createThird(ctx: RequestContext): HandlerResult {
		const input = this.input(ctx, false);
		if (!input.ok) return input.result;
		const v = new Validator();
		const fields = this.validateThird(v, input.data, undefined);
		if (!v.ok) return v.toResult();
		const t = this.insertThird(fields, {});
		return { status: 201, body: { id: t.id, status: 'created' } };
	}

	private updateThird(ctx: RequestContext): HandlerResult {
		const t = this.thirds.get(ctx.params.id);
		if (!t || t.deleted_at !== null) return this.thirdNotFound(ctx.params.id);
		const input = this.input(ctx, false);
		if (!input.ok) return input.result;
		const v = new Validator();
		const fields = this.validateThird(v, input.data, t.id);
		if (!v.ok) return v.toResult();
		const target = t as unknown as Record<string, unknown>;
		for (const key of Object.keys(fields)) {
			const value = (fields as Record<string, unknown>)[key];
			if (key === 'data' && isPlainObject(value)) {
				// SANDBOX CHOICE: `data` is shallow-merged (custom_fields merged too); group_type_id replaces (§4.6)
				const merged: Record<string, unknown> = { ...t.data, ...value };
				if (isPlainObject(t.data.custom_fields) && isPlainObject(value.custom_fields)) {
					merged.custom_fields = { ...t.data.custom_fields, ...value.custom_fields };
				}
				t.data = merged;
			} else {
				target[key] = value;
			}
		}
		t.updated_at = laravelTime();
		return { status: 200, body: { data: this.serializeThird(t) } };
	}

	private deleteThird(ctx: RequestContext): HandlerResult {
		const t = this.thirds.get(ctx.params.id);
		if (!t || t.deleted_at !== null) return this.thirdNotFound(ctx.params.id);
		t.deleted_at = laravelTime(); // soft delete (§4.6)
		return { status: 204 };
	}

	/**
	 * Validate Third fields (§4.6). `selfId` given = PATCH (partial, uniqueness ignores self).
	 * Unknown keys are dropped like Laravel's validated(). Returns the normalised fields.
	 */
	private validateThird(v: Validator, d: Input, selfId: string | undefined): Partial<DigishareThird> {
		const out: Record<string, unknown> = {};
		const has = (k: string): boolean => d[k] !== undefined;
		for (const k of ['first_name', 'last_name', 'name', 'address', 'address_2']) {
			if (has(k)) {
				const s = v.string(k, d[k], { nullable: true, max: 255 });
				if (s !== undefined) out[k] = s;
			}
		}
		if (has('email')) {
			const s = v.string('email', d.email, { nullable: true, max: 255, email: true });
			if (s !== undefined) out.email = s === null ? null : s.toLowerCase();
		}
		for (const k of ['mobile', 'phone']) {
			if (!has(k)) continue;
			const s = v.string(k, typeof d[k] === 'number' ? String(d[k]) : d[k], { nullable: true });
			if (typeof s === 'string') {
				const e164 = normalizePhone(s);
				if (e164) out[k] = e164;
				else v.add(k, messages.format(k));
			} else if (s === null) out[k] = null;
		}
		if (has('wa_id')) {
			// SANDBOX CHOICE: WhatsApp ids are 6..15 digits; a leading '+' is stripped
			const s = v.string('wa_id', typeof d.wa_id === 'number' ? String(d.wa_id) : d.wa_id, { nullable: true });
			if (typeof s === 'string') {
				const w = s.replace(/[\s-]/g, '').replace(/^\+/, '');
				if (!/^\d{6,15}$/.test(w)) v.add('wa_id', messages.format('wa_id'));
				else if (this.activeThirds().some((t) => t.id !== selfId && t.wa_id === w)) v.add('wa_id', messages.unique('wa_id'));
				else out.wa_id = w;
			} else if (s === null) out.wa_id = null;
		}
		if (has('ext_ref')) {
			const s = v.string('ext_ref', typeof d.ext_ref === 'number' ? String(d.ext_ref) : d.ext_ref, { nullable: true, max: 255 });
			if (typeof s === 'string' && this.activeThirds().some((t) => t.id !== selfId && t.ext_ref === s)) {
				v.add('ext_ref', messages.unique('ext_ref'));
			} else if (s !== undefined) out.ext_ref = s;
		}
		if (has('lang')) {
			const s = v.string('lang', d.lang, { nullable: true, in: ['en', 'fr', 'ar'] });
			if (s !== undefined) out.lang = s;
		}
		if (has('gender')) {
			const s = v.string('gender', d.gender, { nullable: true, in: ['male', 'female', 'other'] });
			if (s !== undefined) out.gender = s;
		}
		if (has('birthday')) {
			const s = v.string('birthday', d.birthday, { nullable: true, date: true });
			if (s !== undefined) out.birthday = s;
		}
		for (const k of ['is_company', 'premium', 'verified', 'status']) {
			if (!has(k)) continue;
			const b = v.boolean(k, d[k]);
			if (b !== undefined) out[k] = b;
		}
		for (const k of ['source_id', 'country_id', 'state_id', 'city_id', 'parent_id']) {
			if (!has(k)) continue;
			const val = d[k];
			if (val === null || typeof val === 'string' || (typeof val === 'number' && Number.isInteger(val))) out[k] = val;
			else v.add(k, messages.string(k));
		}
		if (has('tags')) {
			const arr = v.array('tags', d.tags, { nullable: true });
			if (arr === null) out.tags = [];
			else if (arr) {
				arr.forEach((tag, i) => v.string(`tags.${i}`, tag, { required: true, max: 255 }));
				out.tags = arr.slice();
			}
		}
		if (has('group_type_id')) {
			const arr = v.array('group_type_id', d.group_type_id, { nullable: true });
			if (arr === null) out.group_type_id = [];
			else if (arr) {
				arr.forEach((g, i) => {
					if (typeof g !== 'string' && !(typeof g === 'number' && Number.isInteger(g))) {
						v.add(`group_type_id.${i}`, messages.integer(`group_type_id.${i}`));
					}
				});
				out.group_type_id = arr.slice(); // replaces all groups (§4.6)
			}
		}
		if (has('data')) {
			const o = v.object('data', d.data, { nullable: true });
			if (o === null) out.data = {};
			else if (o) out.data = clone(o);
		}
		if (selfId === undefined) {
			// SANDBOX CHOICE: a new Third needs at least one identifying field (docs list none as required)
			const ident = ['name', 'first_name', 'last_name', 'email', 'mobile', 'phone', 'wa_id'];
			if (ident.every((k) => isBlank(d[k]))) v.add('name', messages.requiredWithoutAll('name', ident.slice(1)));
		}
		return out as Partial<DigishareThird>;
	}

	private insertThird(
		fields: Partial<DigishareThird>,
		opts: { minimalFor?: { channel: string; recipientId: string } },
	): DigishareThird {
		const now = laravelTime();
		const t: DigishareThird = {
			id: digishareId(`digishare:third:${this.counters.third++}`),
			company_id: DIGISHARE_COMPANY_ID,
			name: null,
			first_name: null,
			last_name: null,
			email: null,
			mobile: null,
			phone: null,
			wa_id: null,
			address: null,
			address_2: null,
			lang: null,
			gender: null,
			birthday: null,
			is_company: false,
			premium: false,
			verified: false,
			status: true,
			source_id: null,
			country_id: null,
			state_id: null,
			city_id: null,
			parent_id: null,
			tags: [],
			group_type_id: [],
			ext_ref: null,
			data: {},
			created_at: now,
			updated_at: now,
			deleted_at: null,
			...fields,
		};
		if (t.name === null && (t.first_name || t.last_name)) t.name = [t.first_name, t.last_name].filter(Boolean).join(' ');
		if (opts.minimalFor) {
			const { channel, recipientId } = opts.minimalFor;
			if (/^\d+$/.test(recipientId) && (channel === 'whatsapp' || channel === 'sms')) {
				t.mobile = '+' + recipientId;
				if (channel === 'whatsapp') t.wa_id = recipientId;
			}
		}
		this.thirds.set(t.id, t);
		return t;
	}
}
