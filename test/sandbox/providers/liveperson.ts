/**
 * LivePerson Connector API fake (Send API + Webhooks), following /work/shared/providers/liveperson.md
 * (referred to as "§n") and its seed page (seeds/003_*.txt, "seed": the SEND endpoint). Where the
 * docs are silent or contradict each other the chosen behaviour is marked "SANDBOX CHOICE".
 *
 * One mount per LivePerson host, all with basePath '' so that the Domain API's `baseURI` values
 * (`127.0.0.1:PORT/<mount>`, no scheme, §1) work as `http://${baseURI}${documentedPath}`:
 *
 *   liveperson            Domain API / CSDS (api.liveperson.net)   GET /api/account/{a}/service[/{s}]/baseURI.json
 *   liveperson-msg        asyncMessagingEnt                         POST /api/account/{a}/messaging/consumer/conversation[/send]
 *   liveperson-sentinel   sentinel                                  POST /sentinel/api/account/{a}/app/token
 *   liveperson-idp        idp                                       POST /api/account/{a}/consumer
 *   liveperson-swift      swift (file storage)                      PUT|GET /v1/AUTH_async-images/{a}/{file}
 *
 * Besides the API it plays LivePerson calling *your* webhook endpoints (§6): `notify()`,
 * `pushNotification()` and the agentMessage / consumerEcho / closeConversation / conversationChange helpers
 * make real, signed HTTP POSTs (x-liveperson-signature over the exact bytes sent).
 *
 * State is public for assertions and restored to the deterministic seed by reset().
 */
import * as crypto from 'crypto';
import * as http from 'http';
import type { FaultDefaults, HandlerResult, MountDef, ProviderModule, RecordedRequest, RequestContext, RouteDef } from '../types';
import { postToWebhook, type WebhookAnswer } from '../http-utils';
import { isPlainObject } from '../validation';

// =====================================================================================
// Constants (exported for tests)
// =====================================================================================

/** The seeded LivePerson account ("site ID", a numeric string). */
export const LIVEPERSON_ACCOUNT_ID = '31487986';
/** A second seeded account with its own Connector App (for cross-account tests). */
export const LIVEPERSON_SECOND_ACCOUNT_ID = '72650391';

/** The Connector App installed on LIVEPERSON_ACCOUNT_ID (client_credentials, scope msg.consumer). */
export const LIVEPERSON_CLIENT_ID = '8f2d7c1e-4b6a-4e0f-9a3d-5c1b2e7f9a40';
export const LIVEPERSON_CLIENT_SECRET = 'lpsec_test_k4ue2mfh2b3v0ff9c4d6q7s8';
/** The Connector App installed on LIVEPERSON_SECOND_ACCOUNT_ID. */
export const LIVEPERSON_SECOND_CLIENT_ID = '1c9e5a3b-7d2f-4a8e-b6c4-0e9f8d7a6b51';
export const LIVEPERSON_SECOND_CLIENT_SECRET = 'lpsec_test_second_z9x8c7v6b5n4m3l2';

/** Domain API service names (case-sensitive, §1) served by the sandbox. */
export const LIVEPERSON_SERVICES = ['asyncMessagingEnt', 'sentinel', 'idp', 'swift'] as const;
export type LivePersonService = (typeof LIVEPERSON_SERVICES)[number];

/** Sandbox mount per LivePerson host. */
export const LIVEPERSON_MOUNTS = {
	domain: 'liveperson',
	asyncMessagingEnt: 'liveperson-msg',
	sentinel: 'liveperson-sentinel',
	idp: 'liveperson-idp',
	swift: 'liveperson-swift',
} as const;

/** AppJWT lifetime (§2.1: one hour). `sandbox.liveperson.appJwtLifetimeSeconds` is writable. */
export const LIVEPERSON_APPJWT_LIFETIME_SECONDS = 3600;
/** `kid` of the AppJWT header (§2.1: `appjwt-<date>`). */
export const LIVEPERSON_APPJWT_KID = 'appjwt-01-04-24';
/** Swift temp URL lifetime (§5.3: "about a minute"). Writable as `tempUrlLifetimeSeconds`. */
export const LIVEPERSON_TEMP_URL_LIFETIME_SECONDS = 60;
/** §8: a request JSON over 5000 characters gets 400. Writable as `maxRequestChars`. */
export const LIVEPERSON_MAX_REQUEST_CHARS = 5000;
/** §5.1: files ≤ 3 MB, preview < 30 KB. */
export const LIVEPERSON_MAX_FILE_BYTES = 3 * 1024 * 1024;
export const LIVEPERSON_MAX_PREVIEW_CHARS = 30 * 1024;
/** §5.1 (EX): supported hosted-file types. Writable set `allowedFileTypes`. */
export const LIVEPERSON_FILE_TYPES = ['JPG', 'JPEG', 'PNG', 'GIF'] as const;
/** swift container of hosted files (from the docs' relativePath samples). */
export const LIVEPERSON_SWIFT_CONTAINER = 'AUTH_async-images';

/**
 * `errorCode` values (§2.4). 40101 (bad client credentials on sentinel) and 40100 (consumer is not
 * a participant of the conversation) are SANDBOX CHOICES: the table has no code for those cases.
 */
export const LIVEPERSON_ERROR_CODES = {
	missingParameter: 40001,
	badRequest: 40000,
	notParticipant: 40100,
	invalidClient: 40101,
	invalidAppJwt: 40102,
	invalidConsumerJws: 40103,
	missingConsumerJws: 40104,
	missingAppJwt: 40105,
	notFound: 40400,
	methodNotAllowed: 40500,
	tooManyRequests: 42900,
	internalError: 50000,
} as const;

/** Seeded agents (ids have the UUID shape of the webhook samples). */
export const LIVEPERSON_AGENTS = {
	/** human agent, role ASSIGNED_AGENT (the webhook samples' agent id) */
	agent: { id: '29c3019d-fe0b-5200-afe8-737abfeae4b4', name: 'Sandbox Agent', role: 'ASSIGNED_AGENT' },
	/** a LivePerson bot: bots join as agents (§6.5), so role ASSIGNED_AGENT too */
	bot: { id: '5b7e1f0a-3c2d-5e4f-9a8b-1c2d3e4f5a6b', name: 'Sandbox Bot', role: 'ASSIGNED_AGENT' },
	/** a manager writing an internal note */
	manager: { id: 'a4c3b2d1-6e5f-5a7b-8c9d-0e1f2a3b4c5d', name: 'Sandbox Manager', role: 'MANAGER' },
	/** the Controller Bot (system / auto messages) */
	controller: { id: 'c0c0c0c0-1111-5222-8333-444455556666', name: 'Controller Bot', role: 'CONTROLLER' },
} as const;
/** The default agent of the helpers. */
export const LIVEPERSON_AGENT = LIVEPERSON_AGENTS.agent;

/** Webhook event types an app can subscribe to (§6.1). */
export const LIVEPERSON_WEBHOOK_EVENT_TYPES = [
	'ms.MessagingEventNotification.ContentEvent',
	'ms.MessagingEventNotification.RichContentEvent',
	'ms.MessagingEventNotification.AcceptStatusEvent',
	'ms.MessagingEventNotification.ChatStateEvent',
	'cqm.ExConversationChangeNotification',
] as const;
export type LivePersonWebhookEventType = (typeof LIVEPERSON_WEBHOOK_EVENT_TYPES)[number];

export const LIVEPERSON_CHAT_STATES = ['ACTIVE', 'INACTIVE', 'GONE', 'COMPOSING', 'PAUSE'] as const;
export const LIVEPERSON_ACCEPT_STATUSES = ['ACCEPT', 'READ', 'ACCESS', 'NACK', 'ACTION'] as const;
export const LIVEPERSON_TTR = ['NORMAL', 'URGENT', 'PRIORITIZED'] as const;
/** SANDBOX CHOICE: ttr.value (seconds) per ttrDefName (samples only show PRIORITIZED = 600). */
export const LIVEPERSON_TTR_SECONDS: Readonly<Record<string, number>> = Object.freeze({ NORMAL: 3600, URGENT: 1200, PRIORITIZED: 600 });
export const LIVEPERSON_CSAT_STATUSES = ['FILLED', 'PARTIALLY_FILLED', 'SKIPPED'] as const;

/** Exact messages of §8 (and the close answer). */
export const LIVEPERSON_MESSAGES = {
	closed: 'Bad Request, Conversation is close',
	resolved: 'OK Conversation resolved successfully',
} as const;

export type LivePersonChatState = (typeof LIVEPERSON_CHAT_STATES)[number];
export type LivePersonAcceptStatus = (typeof LIVEPERSON_ACCEPT_STATUSES)[number];
export type LivePersonAudience = 'ALL' | 'AGENTS_AND_MANAGERS';
/** Roles seen in LivePerson payloads; other strings are allowed. */
export type LivePersonRole = 'CONSUMER' | 'ASSIGNED_AGENT' | 'AGENT' | 'MANAGER' | 'CONTROLLER' | 'READER' | (string & Record<never, never>);

// =====================================================================================
// Exported helpers
// =====================================================================================

function b64url(data: Buffer | string): string {
	return (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}

/** `lp_consumer_id` of an `ext_consumer_id`: 64 hex chars, stable per account + ext id (also across resets). */
export function livePersonConsumerId(extConsumerId: string, accountId: string = LIVEPERSON_ACCOUNT_ID): string {
	return crypto.createHash('sha256').update(`lp-consumer:${accountId}:${extConsumerId}`, 'utf8').digest('hex');
}

/** Decode a JWT/JWS (no signature check): `{header, payload, signature}`; throws if malformed. */
export function decodeLivePersonJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
	const parts = token.split('.');
	if (parts.length !== 3) throw new Error('not a JWT (expected 3 dot-separated parts)');
	const json = (s: string): Record<string, unknown> => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
	return { header: json(parts[0]), payload: json(parts[1]), signature: parts[2] };
}

export type LivePersonSignatureAlgorithm = 'sha1' | 'sha256';
export type LivePersonSignatureEncoding = 'base64' | 'hex';

/** `x-liveperson-signature` value: `sha1=` + Base64(HMAC-SHA1(secret as UTF-8, raw bytes)) (§6.2), or sha256 / hex variants (§8). */
export function livePersonSignature(
	secret: string,
	raw: Buffer | string,
	algorithm: LivePersonSignatureAlgorithm = 'sha1',
	encoding: LivePersonSignatureEncoding = 'base64',
): string {
	const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
	return `${algorithm}=${crypto.createHmac(algorithm, Buffer.from(secret, 'utf8')).update(bytes).digest(encoding)}`;
}

/** The `baseURI` the Domain API answers for a service: `127.0.0.1:PORT/<mount>` (host + mount, no scheme). */
export function livePersonBaseURI(sandboxUrlOrHost: string, service: LivePersonService): string {
	const host = /^[a-z]+:\/\//i.test(sandboxUrlOrHost) ? new URL(sandboxUrlOrHost).host : sandboxUrlOrHost.replace(/\/.*$/, '');
	return `${host}/${LIVEPERSON_MOUNTS[service]}`;
}

// =====================================================================================
// State types
// =====================================================================================

export interface LivePersonApp {
	clientId: string;
	clientSecret: string;
	accountId: string;
	name: string;
}

export interface LivePersonAppJwt {
	token: string;
	clientId: string;
	accountId: string;
	/** epoch seconds */
	iat: number;
	exp: number;
	/** set by expireAppJwts() */
	revoked: boolean;
}

export interface LivePersonConsumerJws {
	token: string;
	accountId: string;
	extConsumerId: string;
	lpConsumerId: string;
	issuedAt: number;
	/** set by revokeConsumerJws() */
	revoked: boolean;
}

export interface LivePersonProfileUpdate {
	/** request log seq (0 for helpers) */
	seq: number;
	/** the SetUserProfile body as received */
	body: Record<string, unknown>;
	/** its `authenticatedData.lp_sdes` ([] if none) */
	sdes: Array<Record<string, unknown>>;
	at: number;
}

export interface LivePersonConsumer {
	lpConsumerId: string;
	extConsumerId: string;
	accountId: string;
	/** latest lp_sdes sent with SetUserProfile */
	sdes: Array<Record<string, unknown>>;
	profileUpdates: LivePersonProfileUpdate[];
	/** every conversation of the consumer, oldest first */
	conversationIds: string[];
}

export interface LivePersonEvent {
	/** per-conversation sequence (shared by consumer and agent events); null for ChatStateEvent */
	sequence: number | null;
	originator: 'consumer' | 'agent';
	originatorId: string;
	role: LivePersonRole;
	audience: LivePersonAudience;
	/** epoch ms; null for ChatStateEvent */
	serverTimestamp: number | null;
	/** the event object (`{type:'ContentEvent', contentType, message}`, …), deep copy */
	event: Record<string, unknown>;
	conversationId: string;
	dialogId: string;
	/** 'send' = came in through SEND; 'helper' = created by an agent or startConversation helper */
	via: 'send' | 'helper';
	/** SEND: the request's id, request-log seq, Client-Properties header */
	reqId: string | null;
	requestSeq: number | null;
	clientProperties: string | null;
	/** SEND: `metadata` of the publish body, if any */
	metadata: unknown;
	/** AcceptStatus values later reported for this event's sequence by the other side, in order */
	statuses: string[];
}

export interface LivePersonParticipant {
	id: string;
	role: LivePersonRole;
}

export interface LivePersonCsat {
	csatRate: number | null;
	csatResolutionConfirmation: boolean | null;
	status: string;
	at: number;
}

export interface LivePersonConversation {
	conversationId: string;
	/** the main dialog id (= conversationId) */
	dialogId: string;
	accountId: string;
	brandId: string;
	lpConsumerId: string;
	extConsumerId: string;
	state: 'OPEN' | 'CLOSE';
	stage: 'OPEN' | 'CLOSE';
	closeReason: string | null;
	closedBy: 'consumer' | 'agent' | null;
	startTs: number;
	endTs: number | null;
	metaDataLastUpdateTs: number;
	channelType: string;
	ttrDefName: string | null;
	ttr: { ttrType: string; value: number };
	skillId: string | null;
	campaignInfo: Record<string, unknown> | null;
	conversationContext: Record<string, unknown> | null;
	/** lp_sdes of the consumer when the conversation was requested */
	sdes: Array<Record<string, unknown>>;
	/** Client-Properties header of the CONVERSATION request (raw string) */
	clientProperties: string | null;
	participants: LivePersonParticipant[];
	events: LivePersonEvent[];
	nextSequence: number;
	csat: LivePersonCsat[];
	/** the cm.ConsumerRequestConversation body as received */
	request: Record<string, unknown> | null;
	createdVia: 'api' | 'helper';
}

export interface LivePersonFile {
	relativePath: string;
	accountId: string;
	/** upper-case, e.g. 'PNG' */
	fileType: string;
	/** fileSize of GenerateURLForUploadFile (null for agent files) */
	declaredSize: number | null;
	/** bytes stored by PUT (or by agentFile); null until uploaded */
	data: Buffer | null;
	contentType: string | null;
	uploadedBy: 'consumer' | 'agent' | null;
	/** successful PUTs / GETs */
	uploads: number;
	downloads: number;
	createdAt: number;
}

export interface LivePersonDomainLookup {
	seq: number;
	accountId: string;
	/** null = the all-services form */
	service: string | null;
	status: number;
}

export interface LivePersonTokenRequest {
	seq: number;
	accountId: string;
	clientId: string | null;
	/** where client_id/client_secret came from */
	credentialsIn: 'body' | 'query' | 'none';
	status: number;
	token: string | null;
}

export interface LivePersonConsumerRequest {
	seq: number;
	accountId: string;
	extConsumerId: string | null;
	status: number;
	token: string | null;
}

export interface LivePersonAuthUse {
	seq: number;
	mount: string;
	path: string;
	/** how the AppJWT was sent in `Authorization` */
	scheme: 'bare' | 'bearer' | 'none';
	valid: boolean;
}

export interface LivePersonClientPropertiesUse {
	seq: number;
	path: string;
	raw: string;
	parsed: unknown;
	error: string | null;
}

/** What the webhook answered (status, lower-cased headers, JSON body when it says JSON, text). */
export type LivePersonWebhookResponse = WebhookAnswer;

export interface LivePersonWebhookCall {
	/** 1-based */
	id: number;
	url: string;
	/** envelope `type` (null when the raw body has none) */
	type: string | null;
	/** the webhook key used to pick the URL, e.g. 'ms.MessagingEventNotification.ContentEvent' */
	eventKey: string | null;
	/** the exact bytes sent */
	rawBody: Buffer;
	/** parsed JSON of rawBody (or the text when not JSON) */
	body: unknown;
	/** request headers sent (names lower-case) */
	headers: Record<string, string>;
	signature: string | null;
	/** id of the call this one re-sends byte for byte */
	redeliveryOf: number | null;
	/** undefined until answered; null on transport error */
	response: LivePersonWebhookResponse | null | undefined;
	error: string | null;
	sentAt: number;
}

/** Options of every webhook POST. */
export interface LivePersonWebhookOptions {
	/** target URL (default: `webhooks[eventKey]` ?? `webhookUrl`) */
	url?: string;
	/** default `signatureAlgorithm` ('sha1') */
	algorithm?: LivePersonSignatureAlgorithm;
	/** default `signatureEncoding` ('base64') */
	encoding?: LivePersonSignatureEncoding;
	/** HMAC key; default the client secret of the app (`clientId`); another value = a forged signature */
	secret?: string;
	/** send this `x-liveperson-signature` verbatim; null = no signature header */
	signature?: string | null;
	/** `x-liveperson-account-id` (default the conversation's account); null = omit. Does not change the signing key. */
	accountId?: string | null;
	/** `x-liveperson-client-id` (default the conversation account's app); null = omit. Does not change the signing key. */
	clientId?: string | null;
	/** extra request headers (e.g. the manifest's custom static headers, §8) */
	headers?: Record<string, string>;
	/** `body.sentTs` (default now) */
	sentTs?: number;
	/** default `webhookTimeoutMs` (10 s) */
	timeoutMs?: number;
}

/** Options of the agent-event helpers. */
export interface LivePersonAgentEventOptions extends LivePersonWebhookOptions {
	/** originator (default LIVEPERSON_AGENT); a seeded agent or any `{id}` */
	agent?: { id: string; role?: LivePersonRole };
	/** originatorMetadata.role (default the agent's role, ASSIGNED_AGENT) */
	role?: LivePersonRole;
	/** messageAudience (default 'ALL') */
	audience?: LivePersonAudience;
	/** older payload shape: only `dialogId`, no `conversationId` and no `messageAudience` (§8) */
	legacy?: boolean;
}

export interface LivePersonAgentFile {
	name: string;
	contentType: string;
	data: Buffer | Uint8Array | string;
	/** default the file name */
	caption?: string;
	/** default from contentType / name extension, e.g. 'PNG' */
	fileType?: string;
	/** `data:image/…;base64,…` preview (omitted by default) */
	preview?: string;
}

export interface LivePersonStartConversationOptions {
	accountId?: string;
	ttrDefName?: string | null;
	skillId?: string | null;
	sdes?: Array<Record<string, unknown>>;
}

// =====================================================================================
// Internal helpers
// =====================================================================================

/** §2.4 error envelope. */
function lpError(status: number, errorCode: number, title: string, details: string): HandlerResult {
	return { status, body: { kind: 'resp', code: status, body: { title, details, errorCode }, type: '.ReqBody$ErrorResp' } };
}

function deepCopy<T>(v: T): T {
	return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** deterministic v4-shaped UUID from a label */
function detUuid(label: string): string {
	const h = crypto.createHash('sha256').update(label, 'utf8').digest('hex');
	const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function pad(n: number, w = 2): string {
	return String(n).padStart(w, '0');
}

/** DD-MM-YYYY_HH-mm-ss-SSS (UTC), as in the docs' relativePath samples */
function pathStamp(ms: number): string {
	const d = new Date(ms);
	return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}_${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}-${pad(d.getUTCMilliseconds(), 3)}`;
}

function normFileType(t: string): string {
	return t.trim().toUpperCase();
}

function sameFileType(a: string, b: string): boolean {
	const n = (t: string): string => (normFileType(t) === 'JPG' ? 'JPEG' : normFileType(t));
	return n(a) === n(b);
}

/** magic-byte sniffing; null = unknown format */
function sniffFileType(data: Buffer): string | null {
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG';
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'JPEG';
	if (data.length >= 6 && (data.subarray(0, 6).toString('latin1') === 'GIF87a' || data.subarray(0, 6).toString('latin1') === 'GIF89a')) return 'GIF';
	if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF';
	return null;
}

const MIME_BY_TYPE: Readonly<Record<string, string>> = { PNG: 'image/png', JPG: 'image/jpeg', JPEG: 'image/jpeg', GIF: 'image/gif', PDF: 'application/pdf' };

function fileTypeOf(contentType: string, name: string): string {
	const ct = contentType.toLowerCase().split(';')[0].trim();
	if (ct === 'image/png') return 'PNG';
	if (ct === 'image/jpeg' || ct === 'image/jpg') return 'JPEG';
	if (ct === 'image/gif') return 'GIF';
	if (ct === 'application/pdf') return 'PDF';
	const ext = /\.([a-z0-9]+)$/i.exec(name);
	return ext ? ext[1].toUpperCase() : 'BIN';
}

function isInt(v: unknown): v is number {
	return typeof v === 'number' && Number.isInteger(v);
}

/** string or number id → string; undefined when absent/invalid */
function reqIdOf(v: unknown): string | undefined {
	if (typeof v === 'string') return v;
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	return undefined;
}

class BadRequest extends Error {}

interface AuthInfo {
	appJwt: LivePersonAppJwt;
	consumerJws: LivePersonConsumerJws | null;
}

interface ReqItem {
	reqId: string | undefined;
	type: string;
	body: Record<string, unknown>;
}

// =====================================================================================
// Provider module
// =====================================================================================

export class LivePersonProvider implements ProviderModule {
	readonly name = 'liveperson';
	readonly mounts: MountDef[];

	// ---- state (containers are mutated in place by reset(), so references stay valid)
	/** accounts the Domain API knows */
	readonly accounts = new Set<string>();
	/** Connector Apps by client_id */
	readonly apps = new Map<string, LivePersonApp>();
	/** every AppJWT issued (by token) */
	readonly appJwts = new Map<string, LivePersonAppJwt>();
	/** every ConsumerJWS issued (by token) */
	readonly consumerJwsTokens = new Map<string, LivePersonConsumerJws>();
	/** consumers by lp_consumer_id */
	readonly consumers = new Map<string, LivePersonConsumer>();
	readonly conversations = new Map<string, LivePersonConversation>();
	/** swift objects by relativePath (issued upload URLs and agent files) */
	readonly files = new Map<string, LivePersonFile>();
	/** Domain API requests (both forms) */
	readonly domainLookups: LivePersonDomainLookup[] = [];
	/** sentinel token requests (also failed ones) */
	readonly tokenRequests: LivePersonTokenRequest[] = [];
	/** idp consumer requests (also failed ones) */
	readonly consumerRequests: LivePersonConsumerRequest[] = [];
	/** `Authorization` use on idp / messaging requests */
	readonly authUses: LivePersonAuthUse[] = [];
	/** every `Client-Properties` header received on CONVERSATION / SEND */
	readonly clientPropertiesLog: LivePersonClientPropertiesUse[] = [];
	/** every webhook POST made (helpers, notify, pushNotification, redeliver) */
	readonly webhookCalls: LivePersonWebhookCall[] = [];
	/** per-event-type webhook endpoints (the app manifest's `capabilities.webhooks.<type>.endpoint`) */
	readonly webhooks: Partial<Record<LivePersonWebhookEventType | string, string>> = {};
	/** fallback endpoint for every event type */
	webhookUrl: string | null = null;
	/** baseURI overrides per service name (also adds services, e.g. 'mtlsGateway') */
	readonly serviceOverrides = new Map<string, string>();
	/** allowed `fileType` values of hosted files */
	readonly allowedFileTypes = new Set<string>();

	appJwtLifetimeSeconds = LIVEPERSON_APPJWT_LIFETIME_SECONDS;
	tempUrlLifetimeSeconds = LIVEPERSON_TEMP_URL_LIFETIME_SECONDS;
	maxRequestChars = LIVEPERSON_MAX_REQUEST_CHARS;
	maxFileBytes = LIVEPERSON_MAX_FILE_BYTES;
	/** SANDBOX CHOICE: `Authorization: Bearer <AppJWT>` is accepted too (false → only the bare token) */
	acceptBearerPrefix = true;
	signatureAlgorithm: LivePersonSignatureAlgorithm = 'sha1';
	signatureEncoding: LivePersonSignatureEncoding = 'base64';
	webhookTimeoutMs = 10000;

	private readonly authByRequest = new WeakMap<RecordedRequest, AuthInfo>();
	private readonly swiftKey = crypto.randomBytes(20).toString('hex');
	private counters = { conversation: 0, file: 0 };
	private lastTs = 0;

	constructor() {
		const acct = '/api/account/:accountId';
		const domain: MountDef = {
			name: LIVEPERSON_MOUNTS.domain,
			basePath: '',
			routes: [
				{ method: 'GET', path: `${acct}/service/baseURI.json`, public: true, handler: (c) => this.domainAll(c) },
				{ method: 'GET', path: `${acct}/service/:serviceName/baseURI.json`, public: true, handler: (c) => this.domainOne(c) },
			],
		};
		const msg: MountDef = {
			name: LIVEPERSON_MOUNTS.asyncMessagingEnt,
			basePath: '',
			routes: [
				{ method: 'POST', path: `${acct}/messaging/consumer/conversation`, handler: (c) => this.conversationRoute(c) },
				{ method: 'POST', path: `${acct}/messaging/consumer/conversation/send`, handler: (c) => this.sendRoute(c) },
			],
		};
		const sentinel: MountDef = {
			name: LIVEPERSON_MOUNTS.sentinel,
			basePath: '',
			routes: [{ method: 'POST', path: `/sentinel${acct}/app/token`, public: true, handler: (c) => this.tokenRoute(c) }],
		};
		const idp: MountDef = {
			name: LIVEPERSON_MOUNTS.idp,
			basePath: '',
			routes: [{ method: 'POST', path: `${acct}/consumer`, handler: (c) => this.consumerRoute(c) }],
		};
		const swiftRoute = (method: string): RouteDef => ({
			method,
			path: '/v1/:container/:account/:object',
			public: true,
			handler: (c) => this.swiftRoute(c),
		});
		const swift: MountDef = { name: LIVEPERSON_MOUNTS.swift, basePath: '', routes: [swiftRoute('PUT'), swiftRoute('GET')] };
		this.mounts = [domain, msg, sentinel, idp, swift];
		this.reset();
	}

	// ---------------------------------------------------------------- test helpers

	/** Domain API lookups so far (both forms, failed ones included). */
	get domainLookupCount(): number {
		return this.domainLookups.length;
	}

	/** sentinel token requests so far (failed ones included). */
	get tokenRequestCount(): number {
		return this.tokenRequests.length;
	}

	/** AppJWTs issued over HTTP so far. */
	get appJwtsIssued(): number {
		return this.tokenRequests.filter((t) => t.status === 200).length;
	}

	/** idp consumer requests so far, optionally for one ext_consumer_id (failed ones included). */
	consumerRequestCount(extConsumerId?: string): number {
		return this.consumerRequests.filter((r) => extConsumerId === undefined || r.extConsumerId === extConsumerId).length;
	}

	/** Expire/revoke every AppJWT issued so far: the next call with one gets 401 errorCode 40102. */
	expireAppJwts(): number {
		let n = 0;
		this.appJwts.forEach((t) => {
			if (!t.revoked) n++;
			t.revoked = true;
		});
		return n;
	}

	/** Revoke every ConsumerJWS issued so far (they never expire by themselves, §2.2): next use → 401 40103. */
	revokeConsumerJws(): number {
		let n = 0;
		this.consumerJwsTokens.forEach((t) => {
			if (!t.revoked) n++;
			t.revoked = true;
		});
		return n;
	}

	/** Issue an AppJWT without HTTP (not counted in tokenRequests). */
	issueAppJwt(clientId: string = LIVEPERSON_CLIENT_ID): string {
		const app = this.apps.get(clientId);
		if (!app) throw new Error(`LivePerson sandbox: unknown client_id '${clientId}'`);
		return this.mintAppJwt(app).token;
	}

	/** Issue a ConsumerJWS without HTTP (not counted in consumerRequests). */
	issueConsumerJws(extConsumerId: string, accountId: string = LIVEPERSON_ACCOUNT_ID): string {
		return this.mintConsumerJws(accountId, extConsumerId).token;
	}

	lpConsumerId(extConsumerId: string, accountId: string = LIVEPERSON_ACCOUNT_ID): string {
		return livePersonConsumerId(extConsumerId, accountId);
	}

	consumerByExtId(extConsumerId: string, accountId: string = LIVEPERSON_ACCOUNT_ID): LivePersonConsumer | undefined {
		return this.consumers.get(livePersonConsumerId(extConsumerId, accountId));
	}

	conversation(conversationId: string): LivePersonConversation | undefined {
		return this.conversations.get(conversationId);
	}

	/** The OPEN conversation of a consumer, if any. */
	openConversationOf(extConsumerId: string, accountId: string = LIVEPERSON_ACCOUNT_ID): LivePersonConversation | undefined {
		const c = this.consumerByExtId(extConsumerId, accountId);
		if (!c) return undefined;
		return c.conversationIds.map((id) => this.conversations.get(id)).find((x): x is LivePersonConversation => !!x && x.state === 'OPEN');
	}

	/** All events of a conversation (consumer and agent), in order ([] if unknown). */
	eventsOf(conversationId: string): LivePersonEvent[] {
		return this.conversations.get(conversationId)?.events ?? [];
	}

	/** Consumer events of a conversation (what the connector SENT). */
	consumerEventsOf(conversationId: string): LivePersonEvent[] {
		return this.eventsOf(conversationId).filter((e) => e.originator === 'consumer');
	}

	/** Texts the connector sent (ContentEvent text/plain), in order. */
	consumerTextsOf(conversationId: string): string[] {
		return this.consumerEventsOf(conversationId)
			.filter((e) => e.event.type === 'ContentEvent' && e.event.contentType === 'text/plain')
			.map((e) => String(e.event.message));
	}

	/** The event with a sequence number. */
	eventAt(conversationId: string, sequence: number): LivePersonEvent | undefined {
		return this.eventsOf(conversationId).find((e) => e.sequence === sequence);
	}

	file(relativePath: string): LivePersonFile | undefined {
		return this.files.get(relativePath);
	}

	/**
	 * Create a consumer + OPEN conversation without HTTP (e.g. a conversation the connector did not
	 * start: webhooks are account-wide, §8). Throws if the consumer already has an open conversation.
	 */
	startConversation(extConsumerId: string, opts: LivePersonStartConversationOptions = {}): LivePersonConversation {
		const accountId = opts.accountId ?? LIVEPERSON_ACCOUNT_ID;
		const consumer = this.consumerFor(accountId, extConsumerId);
		if (opts.sdes) consumer.sdes = deepCopy(opts.sdes);
		const open = this.openConversationOf(extConsumerId, accountId);
		if (open) throw new Error(`LivePerson sandbox: consumer '${extConsumerId}' already has open conversation ${open.conversationId}`);
		return this.createConversation(consumer, {
			channelType: 'MESSAGING',
			ttrDefName: opts.ttrDefName ?? null,
			skillId: opts.skillId ?? null,
			campaignInfo: null,
			conversationContext: null,
			clientProperties: null,
			request: null,
			createdVia: 'helper',
		});
	}

	/** The `baseURI` served for a service (needs the sandbox URL or host, e.g. `sandbox.url`). */
	baseURI(sandboxUrlOrHost: string, service: LivePersonService): string {
		return this.serviceOverrides.get(service) ?? livePersonBaseURI(sandboxUrlOrHost, service);
	}

	// ---------------------------------------------------------------- webhook builders (record, no POST)

	/** Record an agent text message (next sequence) and return its `changes[]` entry. */
	recordAgentMessage(conversationId: string, text: string, opts: LivePersonAgentEventOptions = {}): Record<string, unknown> {
		return this.recordAgentEvent(conversationId, { type: 'ContentEvent', message: text, contentType: 'text/plain' }, opts);
	}

	/** Record any agent event (ContentEvent, RichContentEvent, AcceptStatusEvent, ChatStateEvent) and return its change. */
	recordAgentEvent(conversationId: string, event: Record<string, unknown>, opts: LivePersonAgentEventOptions = {}): Record<string, unknown> {
		const conv = this.mustConversation(conversationId);
		const agent = opts.agent ?? LIVEPERSON_AGENT;
		const role = opts.role ?? agent.role ?? 'ASSIGNED_AGENT';
		if (!conv.participants.some((p) => p.id === agent.id)) {
			conv.participants.push({ id: agent.id, role });
			conv.metaDataLastUpdateTs = this.ts();
		}
		const isChatState = event.type === 'ChatStateEvent';
		const ev: LivePersonEvent = {
			sequence: isChatState ? null : conv.nextSequence++,
			originator: 'agent',
			originatorId: agent.id,
			role,
			audience: opts.audience ?? 'ALL',
			serverTimestamp: isChatState ? null : this.ts(),
			event: deepCopy(event),
			conversationId: conv.conversationId,
			dialogId: conv.dialogId,
			via: 'helper',
			reqId: null,
			requestSeq: null,
			clientProperties: null,
			metadata: undefined,
			statuses: [],
		};
		conv.events.push(ev);
		if (event.type === 'AcceptStatusEvent' && Array.isArray(event.sequenceList)) {
			this.applyStatuses(conv, 'consumer', event.sequenceList as number[], String(event.status));
		}
		return this.changeOf(ev, opts.legacy === true);
	}

	/** The `changes[]` entry of a recorded event (e.g. a consumer event for an echo). */
	changeOf(ev: LivePersonEvent, legacy = false): Record<string, unknown> {
		const change: Record<string, unknown> = {};
		if (ev.sequence !== null) change.sequence = ev.sequence;
		change.originatorId = ev.originatorId;
		change.originatorMetadata = { id: ev.originatorId, role: ev.role };
		if (ev.serverTimestamp !== null) change.serverTimestamp = ev.serverTimestamp;
		change.event = deepCopy(ev.event);
		if (!legacy) change.conversationId = ev.conversationId;
		change.dialogId = ev.dialogId;
		if (!legacy) change.messageAudience = ev.audience;
		return change;
	}

	/** The `changes[]` entry of a cqm.ExConversationChangeNotification for the conversation's current state. */
	conversationChangeOf(conversationId: string, type: 'UPSERT' | 'DELETE' = 'UPSERT'): Record<string, unknown> {
		const c = this.mustConversation(conversationId);
		const closed = c.state === 'CLOSE';
		const details: Record<string, unknown> = {
			skillId: c.skillId ?? '-1',
			participants: c.participants.map((p) => ({ ...p })),
			dialogs: [
				{
					dialogId: c.dialogId,
					participants: c.participants.map((p) => p.id),
					dialogType: 'MAIN',
					channelType: c.channelType,
					state: c.state,
					creationTs: c.startTs,
					...(closed ? { endTs: c.endTs, closedBy: c.closedBy === 'consumer' ? 'CONSUMER' : 'AGENT' } : {}),
					metaDataLastUpdateTs: c.metaDataLastUpdateTs,
				},
			],
			brandId: c.brandId,
			state: c.state,
			stage: c.stage,
			...(closed ? { closeReason: c.closeReason, endTs: c.endTs } : {}),
			startTs: c.startTs,
			metaDataLastUpdateTs: c.metaDataLastUpdateTs,
			ttr: { ...c.ttr },
		};
		return {
			type,
			result: {
				convId: c.conversationId,
				effectiveTTR: closed ? -1 : c.startTs + c.ttr.value * 1000,
				conversationDetails: details,
			},
		};
	}

	// ---------------------------------------------------------------- webhook client (LivePerson → your endpoint)

	/** POST a notification `{kind:'notification', body:{sentTs, changes}, type}` with the given changes. */
	notify(type: string, changes: unknown[], opts: LivePersonWebhookOptions = {}): Promise<LivePersonWebhookResponse> {
		const first = changes[0] as Record<string, unknown> | undefined;
		const evType = isPlainObject(first) && isPlainObject(first.event) ? String(first.event.type) : undefined;
		const eventKey = type === 'ms.MessagingEventNotification' && evType ? `${type}.${evType}` : type;
		const envelope = { kind: 'notification', body: { sentTs: opts.sentTs ?? Date.now(), changes }, type };
		return this.post(this.urlFor(eventKey, opts), Buffer.from(JSON.stringify(envelope), 'utf8'), eventKey, opts, this.accountOfChanges(changes));
	}

	/**
	 * POST exactly `body` (a string / Buffer is sent verbatim, an object JSON-serialised) to `url`,
	 * signed over exactly those bytes (UTF-8 for strings).
	 */
	pushNotification(url: string, body: string | Buffer | Record<string, unknown> | unknown[], opts: LivePersonWebhookOptions = {}): Promise<LivePersonWebhookResponse> {
		const raw = Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
		return this.post(opts.url ?? url, raw, null, opts, LIVEPERSON_ACCOUNT_ID);
	}

	/** Re-send an earlier webhook call byte for byte (same headers, same signature). */
	redeliver(call: LivePersonWebhookCall | number, opts: { url?: string; timeoutMs?: number } = {}): Promise<LivePersonWebhookResponse> {
		const original = typeof call === 'number' ? this.webhookCalls.find((c) => c.id === call) : call;
		if (!original) throw new Error(`LivePerson sandbox: unknown webhook call ${String(call)}`);
		return this.send(opts.url ?? original.url, original.rawBody, { ...original.headers }, original.eventKey, original.id, opts.timeoutMs);
	}

	/** Agent text message: ContentEvent text/plain with the next sequence. */
	agentMessage(conversationId: string, text: string, opts: LivePersonAgentEventOptions = {}): Promise<LivePersonWebhookResponse> {
		return this.notify('ms.MessagingEventNotification', [this.recordAgentMessage(conversationId, text, opts)], opts);
	}

	/** Several agent messages in ONE notification (one change each). */
	agentMessages(conversationId: string, texts: string[], opts: LivePersonAgentEventOptions = {}): Promise<LivePersonWebhookResponse> {
		const changes = texts.map((t) => this.recordAgentMessage(conversationId, t, opts));
		return this.notify('ms.MessagingEventNotification', changes, opts);
	}

	/** Agent file: stored in swift (download it with GenerateURLForDownloadFile), sent as ContentEvent hosted/file. */
	agentFile(conversationId: string, file: LivePersonAgentFile, opts: LivePersonAgentEventOptions = {}): Promise<LivePersonWebhookResponse> {
		const conv = this.mustConversation(conversationId);
		const fileType = normFileType(file.fileType ?? fileTypeOf(file.contentType, file.name));
		const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
		const f = this.newFile(conv.accountId, fileType, null);
		f.data = data;
		f.contentType = file.contentType;
		f.uploadedBy = 'agent';
		f.uploads = 1;
		const message: Record<string, unknown> = { caption: file.caption ?? file.name, relativePath: f.relativePath, fileType };
		if (file.preview !== undefined) message.preview = file.preview;
		const change = this.recordAgentEvent(conversationId, { type: 'ContentEvent', message, contentType: 'hosted/file' }, opts);
		return this.notify('ms.MessagingEventNotification', [change], opts);
	}

	/** Agent structured content (RichContentEvent; schema not in the Connector docs, `content` verbatim). */
	agentRichContent(conversationId: string, content: Record<string, unknown>, opts: LivePersonAgentEventOptions = {}): Promise<LivePersonWebhookResponse> {
		const change = this.recordAgentEvent(conversationId, { type: 'RichContentEvent', content }, opts);
		return this.notify('ms.MessagingEventNotification', [change], opts);
	}

	/** Agent typing state: ChatStateEvent, no sequence and no serverTimestamp. */
	agentTyping(conversationId: string, state: LivePersonChatState | string = 'COMPOSING', opts: LivePersonAgentEventOptions = {}): Promise<LivePersonWebhookResponse> {
		const change = this.recordAgentEvent(conversationId, { type: 'ChatStateEvent', chatState: state }, opts);
		return this.notify('ms.MessagingEventNotification', [change], opts);
	}

	/** Agent acknowledges consumer messages: AcceptStatusEvent (gets a sequence, as in the samples). */
	agentAccept(
		conversationId: string,
		status: LivePersonAcceptStatus | string,
		sequenceList: number[],
		opts: LivePersonAgentEventOptions = {},
	): Promise<LivePersonWebhookResponse> {
		const change = this.recordAgentEvent(conversationId, { type: 'AcceptStatusEvent', status, sequenceList: sequenceList.slice() }, opts);
		return this.notify('ms.MessagingEventNotification', [change], opts);
	}

	/**
	 * What LivePerson posts back for an event the connector SENT (role CONSUMER, originatorId =
	 * lp_consumer_id). Default: the latest consumer event with a sequence; `sequence` picks another.
	 */
	consumerEcho(conversationId: string, opts: LivePersonWebhookOptions & { sequence?: number; legacy?: boolean } = {}): Promise<LivePersonWebhookResponse> {
		const events = this.consumerEventsOf(conversationId);
		const ev =
			opts.sequence !== undefined
				? events.find((e) => e.sequence === opts.sequence)
				: events
						.slice()
						.reverse()
						.find((e) => e.sequence !== null);
		if (!ev) throw new Error(`LivePerson sandbox: no consumer event ${opts.sequence ?? ''} in conversation ${conversationId}`);
		return this.notify('ms.MessagingEventNotification', [this.changeOf(ev, opts.legacy === true)], opts);
	}

	/** The agent (or system) closes: marks the conversation CLOSE and posts the cqm UPSERT. */
	closeConversation(conversationId: string, closeReason = 'AGENT', opts: LivePersonWebhookOptions = {}): Promise<LivePersonWebhookResponse> {
		const conv = this.mustConversation(conversationId);
		if (conv.state !== 'CLOSE') this.close(conv, closeReason, closeReason === 'CONSUMER' ? 'consumer' : 'agent');
		return this.notify('cqm.ExConversationChangeNotification', [this.conversationChangeOf(conversationId)], opts);
	}

	/**
	 * Post the conversation's current state (OPEN after creation / assignment). `agent` adds that
	 * participant first (e.g. "agent assigned"); `type` 'DELETE' for a delete entry.
	 */
	conversationChange(
		conversationId: string,
		opts: LivePersonWebhookOptions & { agent?: { id: string; role?: LivePersonRole }; type?: 'UPSERT' | 'DELETE' } = {},
	): Promise<LivePersonWebhookResponse> {
		const conv = this.mustConversation(conversationId);
		if (opts.agent && !conv.participants.some((p) => p.id === opts.agent?.id)) {
			conv.participants.push({ id: opts.agent.id, role: opts.agent.role ?? 'ASSIGNED_AGENT' });
			conv.metaDataLastUpdateTs = this.ts();
		}
		return this.notify(
			'cqm.ExConversationChangeNotification',
			[this.conversationChangeOf(conversationId, opts.type ?? 'UPSERT')],
			opts,
		);
	}

	// ---------------------------------------------------------------- ProviderModule

	reset(): void {
		this.accounts.clear();
		this.accounts.add(LIVEPERSON_ACCOUNT_ID);
		this.accounts.add(LIVEPERSON_SECOND_ACCOUNT_ID);
		this.apps.clear();
		this.apps.set(LIVEPERSON_CLIENT_ID, {
			clientId: LIVEPERSON_CLIENT_ID,
			clientSecret: LIVEPERSON_CLIENT_SECRET,
			accountId: LIVEPERSON_ACCOUNT_ID,
			name: 'n8n Sandbox Connector',
		});
		this.apps.set(LIVEPERSON_SECOND_CLIENT_ID, {
			clientId: LIVEPERSON_SECOND_CLIENT_ID,
			clientSecret: LIVEPERSON_SECOND_CLIENT_SECRET,
			accountId: LIVEPERSON_SECOND_ACCOUNT_ID,
			name: 'n8n Sandbox Connector (second account)',
		});
		this.appJwts.clear();
		this.consumerJwsTokens.clear();
		this.consumers.clear();
		this.conversations.clear();
		this.files.clear();
		this.domainLookups.length = 0;
		this.tokenRequests.length = 0;
		this.consumerRequests.length = 0;
		this.authUses.length = 0;
		this.clientPropertiesLog.length = 0;
		this.webhookCalls.length = 0;
		for (const k of Object.keys(this.webhooks)) delete this.webhooks[k];
		this.webhookUrl = null;
		this.serviceOverrides.clear();
		this.allowedFileTypes.clear();
		LIVEPERSON_FILE_TYPES.forEach((t) => this.allowedFileTypes.add(t));
		this.appJwtLifetimeSeconds = LIVEPERSON_APPJWT_LIFETIME_SECONDS;
		this.tempUrlLifetimeSeconds = LIVEPERSON_TEMP_URL_LIFETIME_SECONDS;
		this.maxRequestChars = LIVEPERSON_MAX_REQUEST_CHARS;
		this.maxFileBytes = LIVEPERSON_MAX_FILE_BYTES;
		this.acceptBearerPrefix = true;
		this.signatureAlgorithm = 'sha1';
		this.signatureEncoding = 'base64';
		this.webhookTimeoutMs = 10000;
		this.counters = { conversation: 0, file: 0 };
	}

	/**
	 * idp: `Authorization` = AppJWT. Messaging: AppJWT + `X-LP-ON-BEHALF` = ConsumerJWS.
	 * Order: 40105 (no Authorization) → 40102 (bad/expired AppJWT or other account) → 40104 (no
	 * X-LP-ON-BEHALF) → 40103 (bad ConsumerJWS or other account). Titles/details from §2.4.
	 */
	authenticate(ctx: RequestContext): HandlerResult | undefined {
		const accountId = ctx.params.accountId;
		const raw = (ctx.header('authorization') ?? '').trim();
		const bearer = /^bearer\s+/i.test(raw);
		const scheme: LivePersonAuthUse['scheme'] = raw === '' ? 'none' : bearer ? 'bearer' : 'bare';
		const use: LivePersonAuthUse = { seq: ctx.request.seq, mount: ctx.provider, path: ctx.path, scheme, valid: false };
		this.authUses.push(use);
		if (raw === '') return lpError(401, LIVEPERSON_ERROR_CODES.missingAppJwt, 'AppJWT is missing', 'AUTHORIZATION header not present');
		const token = bearer ? raw.replace(/^bearer\s+/i, '') : raw;
		const app = this.appJwts.get(token);
		const invalidApp = lpError(401, LIVEPERSON_ERROR_CODES.invalidAppJwt, 'Invalid AppJWT', 'AppJWT is expired or invalid');
		if ((bearer && !this.acceptBearerPrefix) || !app || app.revoked || app.exp * 1000 <= Date.now() || app.accountId !== accountId) return invalidApp;
		use.valid = true;
		if (ctx.provider === LIVEPERSON_MOUNTS.idp) {
			this.authByRequest.set(ctx.request, { appJwt: app, consumerJws: null });
			return undefined;
		}
		const jwsRaw = (ctx.header('x-lp-on-behalf') ?? '').trim();
		if (jwsRaw === '') return lpError(401, LIVEPERSON_ERROR_CODES.missingConsumerJws, 'ConsumerJWS is missing', 'X_ON_BEHALF_HEADER not present');
		const jws = this.consumerJwsTokens.get(jwsRaw);
		if (!jws || jws.revoked || jws.accountId !== accountId) {
			return lpError(401, LIVEPERSON_ERROR_CODES.invalidConsumerJws, 'Invalid ConsumerJWS', 'ConsumerJWS is invalid');
		}
		this.authByRequest.set(ctx.request, { appJwt: app, consumerJws: jws });
		return undefined;
	}

	/** SANDBOX CHOICE: 404/405 use the §2.4 envelope (swift: plain text, as object storage answers). */
	notFound(ctx: RequestContext): HandlerResult {
		if (ctx.provider === LIVEPERSON_MOUNTS.swift) {
			const hint = ctx.request.url.includes('//v1/') ? ' (relativePath already starts with "/": do not add another)' : '';
			return { status: 404, raw: `404 Not Found: ${ctx.path}${hint}`, headers: { 'content-type': 'text/plain; charset=utf-8' } };
		}
		return lpError(404, LIVEPERSON_ERROR_CODES.notFound, 'Not Found', `Unknown resource ${ctx.method} ${ctx.path}`);
	}

	methodNotAllowed(ctx: RequestContext, allowed: string[]): HandlerResult {
		return lpError(405, LIVEPERSON_ERROR_CODES.methodNotAllowed, 'Method Not Allowed', `${ctx.method} not allowed for ${ctx.path}; use ${allowed.join(', ')}`);
	}

	/**
	 * SANDBOX CHOICE: fault bodies use the §2.4 envelope. 429 has no Retry-After (none is documented,
	 * §8: "wait at least 1 s"); add one per fault if a test needs it. 401 = the expired-AppJWT body.
	 */
	faultDefaults(status: number): FaultDefaults {
		if (status === 401) return { body: lpError(401, LIVEPERSON_ERROR_CODES.invalidAppJwt, 'Invalid AppJWT', 'AppJWT is expired or invalid').body };
		if (status === 429) return { body: lpError(429, LIVEPERSON_ERROR_CODES.tooManyRequests, 'Too Many Requests', 'Request rate limit exceeded').body };
		if (status >= 500) return { body: lpError(status, status * 100, http.STATUS_CODES[status] ?? 'Server Error', 'Internal server error').body };
		return { body: lpError(status, status * 100, http.STATUS_CODES[status] ?? 'Error', http.STATUS_CODES[status] ?? 'Error').body };
	}

	// ---------------------------------------------------------------- Domain API (§1)

	/**
	 * SANDBOX CHOICE: `version=1.0` is required (400 otherwise); unknown account → 404
	 * `{message:'Account not found', account}`; unknown service (names case-sensitive) → 404
	 * `{message:'Service not found', account, service}`. No auth (the docs list 401 but no scheme).
	 */
	private domainCheck(ctx: RequestContext, service: string | null): HandlerResult | undefined {
		const accountId = ctx.params.accountId;
		const lookup: LivePersonDomainLookup = { seq: ctx.request.seq, accountId, service, status: 200 };
		this.domainLookups.push(lookup);
		let res: HandlerResult | undefined;
		if (ctx.queryValue('version') !== '1.0') {
			res = { status: 400, body: { message: 'Missing or unsupported version parameter (use version=1.0)', account: accountId } };
		} else if (!this.accounts.has(accountId)) {
			res = { status: 404, body: { message: 'Account not found', account: accountId } };
		} else if (service !== null && !this.serviceOverrides.has(service) && !(LIVEPERSON_SERVICES as readonly string[]).includes(service)) {
			res = { status: 404, body: { message: 'Service not found', account: accountId, service } };
		}
		if (res) lookup.status = res.status;
		return res;
	}

	private serviceList(ctx: RequestContext): Array<{ service: string; account: string; baseURI: string }> {
		const host = new URL(ctx.baseUrl).host;
		const names: string[] = [...LIVEPERSON_SERVICES];
		this.serviceOverrides.forEach((_v, k) => {
			if (!names.includes(k)) names.push(k);
		});
		return names.map((service) => ({
			service,
			account: ctx.params.accountId,
			baseURI: this.serviceOverrides.get(service) ?? livePersonBaseURI(host, service as LivePersonService),
		}));
	}

	private domainAll(ctx: RequestContext): HandlerResult {
		return this.domainCheck(ctx, null) ?? { status: 200, body: { baseURIs: this.serviceList(ctx) } };
	}

	private domainOne(ctx: RequestContext): HandlerResult {
		const service = ctx.params.serviceName;
		const denied = this.domainCheck(ctx, service);
		if (denied) return denied;
		const entry = this.serviceList(ctx).find((s) => s.service === service);
		return { status: 200, body: entry };
	}

	// ---------------------------------------------------------------- sentinel AppJWT (§2.1)

	private tokenRoute(ctx: RequestContext): HandlerResult {
		const accountId = ctx.params.accountId;
		const form = ctx.bodyKind === 'form' ? (ctx.body as Record<string, string | string[]>) : {};
		const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
		const bodyId = one(form.client_id);
		const queryId = ctx.queryValue('client_id');
		const credentialsIn: LivePersonTokenRequest['credentialsIn'] = bodyId !== undefined ? 'body' : queryId !== undefined ? 'query' : 'none';
		const clientId = credentialsIn === 'body' ? bodyId : queryId;
		const clientSecret = credentialsIn === 'body' ? one(form.client_secret) : ctx.queryValue('client_secret');
		const record: LivePersonTokenRequest = { seq: ctx.request.seq, accountId, clientId: clientId ?? null, credentialsIn, status: 200, token: null };
		this.tokenRequests.push(record);
		const done = (r: HandlerResult): HandlerResult => {
			record.status = r.status;
			return r;
		};
		const missing = (what: string): HandlerResult => done(lpError(400, LIVEPERSON_ERROR_CODES.missingParameter, 'Missing parameter', what));

		// SANDBOX CHOICE: a non-empty body must be x-www-form-urlencoded ("always", §2.1) → else 400
		if (ctx.bodyKind !== 'none' && ctx.bodyKind !== 'form') {
			return done(lpError(400, LIVEPERSON_ERROR_CODES.badRequest, 'Bad Request', 'Content-Type must be application/x-www-form-urlencoded'));
		}
		if (ctx.queryValue('v') !== '1.0') return missing('v=1.0 query parameter is missing');
		// documented in the query; SANDBOX CHOICE: also accepted as a form field
		const grant = ctx.queryValue('grant_type') ?? one(form.grant_type);
		if (grant === undefined) return missing('grant_type is missing');
		if (grant !== 'client_credentials') {
			return done(lpError(400, LIVEPERSON_ERROR_CODES.badRequest, 'Unsupported grant type', `grant_type '${grant}' is not supported (use client_credentials)`));
		}
		if (!clientId) return missing('client_id is missing');
		if (!clientSecret) return missing('client_secret is missing');
		const app = this.apps.get(clientId);
		// SANDBOX CHOICE: wrong id/secret, or an app of another account → 401 errorCode 40101
		if (!app || app.clientSecret !== clientSecret || app.accountId !== accountId) {
			return done(lpError(401, LIVEPERSON_ERROR_CODES.invalidClient, 'Invalid client credentials', 'client_id or client_secret is invalid for this account'));
		}
		const jwt = this.mintAppJwt(app);
		record.token = jwt.token;
		// standard OAuth 2.0 answer without expires_in (§8: read exp from the JWT)
		return done({ status: 200, body: { access_token: jwt.token, token_type: 'Bearer' } });
	}

	private mintAppJwt(app: LivePersonApp): LivePersonAppJwt {
		const iat = Math.floor(Date.now() / 1000);
		const exp = iat + this.appJwtLifetimeSeconds;
		const header = { alg: 'RS256', kid: LIVEPERSON_APPJWT_KID };
		const payload = { aud: app.accountId, azp: app.clientId, scope: 'msg.consumer', iss: 'Sentinel', exp, iat };
		// fake RS256 signature (256 random bytes) — also makes every token unique
		const token = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${b64url(crypto.randomBytes(256))}`;
		const jwt: LivePersonAppJwt = { token, clientId: app.clientId, accountId: app.accountId, iat, exp, revoked: false };
		this.appJwts.set(token, jwt);
		return jwt;
	}

	// ---------------------------------------------------------------- idp ConsumerJWS (§2.2)

	private consumerRoute(ctx: RequestContext): HandlerResult {
		const accountId = ctx.params.accountId;
		const body = ctx.body;
		const ext = isPlainObject(body) && typeof body.ext_consumer_id === 'string' ? body.ext_consumer_id : null;
		const record: LivePersonConsumerRequest = { seq: ctx.request.seq, accountId, extConsumerId: ext, status: 201, token: null };
		this.consumerRequests.push(record);
		const done = (r: HandlerResult): HandlerResult => {
			record.status = r.status;
			return r;
		};
		if (ctx.queryValue('v') !== '1.0') return done(lpError(400, LIVEPERSON_ERROR_CODES.missingParameter, 'Missing parameter', 'v=1.0 query parameter is missing'));
		if (ctx.bodyKind !== 'json' || ctx.bodyError || !isPlainObject(body)) {
			return done(lpError(400, LIVEPERSON_ERROR_CODES.badRequest, 'Bad Request', 'Body must be a JSON object {ext_consumer_id}'));
		}
		// SANDBOX CHOICE: ext_consumer_id must be a non-empty string
		if (ext === null || ext.trim() === '') return done(lpError(400, LIVEPERSON_ERROR_CODES.missingParameter, 'Missing parameter', 'ext_consumer_id is missing'));
		const jws = this.mintConsumerJws(accountId, ext);
		record.token = jws.token;
		return done({ status: 201, body: { token: jws.token } });
	}

	private mintConsumerJws(accountId: string, extConsumerId: string): LivePersonConsumerJws {
		const consumer = this.consumerFor(accountId, extConsumerId);
		const header = { alg: 'RS256', typ: 'JWT' };
		const payload = { account_id: accountId, ext_consumer_id: extConsumerId, lp_consumer_id: consumer.lpConsumerId };
		const token = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${b64url(crypto.randomBytes(256))}`;
		const jws: LivePersonConsumerJws = { token, accountId, extConsumerId, lpConsumerId: consumer.lpConsumerId, issuedAt: Date.now(), revoked: false };
		this.consumerJwsTokens.set(token, jws);
		return jws;
	}

	private consumerFor(accountId: string, extConsumerId: string): LivePersonConsumer {
		const id = livePersonConsumerId(extConsumerId, accountId);
		let c = this.consumers.get(id);
		if (!c) {
			c = { lpConsumerId: id, extConsumerId, accountId, sdes: [], profileUpdates: [], conversationIds: [] };
			this.consumers.set(id, c);
		}
		return c;
	}

	// ---------------------------------------------------------------- messaging: shared

	/** v=3, JSON body, size limit; returns the parsed body or an error result */
	private messagingGate(ctx: RequestContext, badBody: (msg: string, parsed: unknown) => HandlerResult): { value: unknown } | HandlerResult {
		this.recordClientProperties(ctx);
		// SANDBOX CHOICE: v must be 3 (the only documented version)
		if (ctx.queryValue('v') !== '3') return lpError(400, LIVEPERSON_ERROR_CODES.missingParameter, 'Missing parameter', 'v=3 query parameter is missing or unsupported');
		if (ctx.bodyKind !== 'json') return badBody('Bad Request, Content-Type must be application/json', undefined);
		if (ctx.bodyError) return badBody('Bad Request, malformed JSON', undefined);
		// §8: request JSON over 5000 characters → 400. SANDBOX CHOICE: characters = UTF-16 code units
		// of the JSON text as sent (Java String length); the size check runs after auth.
		const text = ctx.header('content-encoding') ? JSON.stringify(ctx.body) : ctx.rawBody.toString('utf8');
		if (text.length > this.maxRequestChars) {
			return badBody(`Bad Request, request exceeds the maximum length of ${this.maxRequestChars} characters (got ${text.length})`, ctx.body);
		}
		return { value: ctx.body };
	}

	private recordClientProperties(ctx: RequestContext): void {
		const raw = ctx.header('client-properties');
		if (raw === undefined) return;
		let parsed: unknown = null;
		let error: string | null = null;
		try {
			parsed = JSON.parse(raw);
		} catch (e) {
			error = (e as Error).message;
		}
		// SANDBOX CHOICE: an unparsable Client-Properties header is recorded, not rejected
		this.clientPropertiesLog.push({ seq: ctx.request.seq, path: ctx.path, raw, parsed, error });
	}

	/** `{kind:'req', id, type, body}` (§3). SANDBOX CHOICE: kind must be "req", id a string or number, body an object. */
	private parseItem(v: unknown): ReqItem {
		if (!isPlainObject(v)) throw new BadRequest('Bad Request, request must be a JSON object');
		const reqId = reqIdOf(v.id);
		if (v.kind !== 'req') throw Object.assign(new BadRequest('Bad Request, kind must be "req"'), { reqId });
		if (reqId === undefined) throw Object.assign(new BadRequest('Bad Request, id is missing'), { reqId });
		if (typeof v.type !== 'string' || v.type === '') throw Object.assign(new BadRequest('Bad Request, type is missing'), { reqId });
		if (!isPlainObject(v.body)) throw Object.assign(new BadRequest('Bad Request, body must be an object'), { reqId });
		return { reqId, type: v.type, body: v.body };
	}

	// ---------------------------------------------------------------- CONVERSATION (§4)

	/**
	 * Body: a JSON array [userprofile.SetUserProfile, cm.ConsumerRequestConversation] (order
	 * matters). Answer: an array aligned with the request, `{reqId, code, body}` per item.
	 * SANDBOX CHOICE: any invalid item → HTTP 400 with that item `{code:'BAD_REQUEST', body:{msg}}`
	 * and the others `OK` (a valid SetUserProfile is applied even when the conversation is refused).
	 */
	private conversationRoute(ctx: RequestContext): HandlerResult {
		const auth = this.authByRequest.get(ctx.request);
		if (!auth?.consumerJws) throw new Error('LivePerson sandbox: authentication state missing');
		const whole = (msg: string, parsed: unknown): HandlerResult => {
			const items = Array.isArray(parsed) ? parsed : [parsed];
			return { status: 400, body: items.map((it) => ({ reqId: isPlainObject(it) ? (reqIdOf(it.id) ?? null) : null, code: 'BAD_REQUEST', body: { msg } })) };
		};
		const gate = this.messagingGate(ctx, whole);
		if ('status' in gate) return gate;
		const arr = gate.value;
		if (!Array.isArray(arr)) return whole('Bad Request, CONVERSATION expects a JSON array of requests', arr);

		const consumer = this.consumerFor(auth.consumerJws.accountId, auth.consumerJws.extConsumerId);
		const accountId = ctx.params.accountId;
		const answers: Array<{ reqId: string | null; code: string; body: Record<string, unknown> }> = [];
		let failed = false;
		let profileSeen = false;
		let requestSeen = false;
		const pendingProfile: Array<() => void> = [];
		let conversationRequest: { index: number; item: ReqItem } | null = null;
		for (let i = 0; i < arr.length; i++) {
			try {
				const item = this.parseItem(arr[i]);
				answers.push({ reqId: item.reqId ?? null, code: 'OK', body: {} });
				if (item.type === 'userprofile.SetUserProfile') {
					if (requestSeen) throw Object.assign(new BadRequest('Bad Request, userprofile.SetUserProfile must come before cm.ConsumerRequestConversation'), { reqId: item.reqId });
					const sdes = this.validateProfile(item.body, item.reqId);
					profileSeen = true;
					pendingProfile.push(() => {
						consumer.sdes = deepCopy(sdes);
						consumer.profileUpdates.push({ seq: ctx.request.seq, body: deepCopy(item.body), sdes: deepCopy(sdes), at: Date.now() });
					});
				} else if (item.type === 'cm.ConsumerRequestConversation') {
					if (requestSeen) throw Object.assign(new BadRequest('Bad Request, only one cm.ConsumerRequestConversation per request'), { reqId: item.reqId });
					requestSeen = true;
					// SANDBOX CHOICE: SetUserProfile is mandatory (§4: "mandatory, body may be {}")
					if (!profileSeen) throw Object.assign(new BadRequest('Bad Request, userprofile.SetUserProfile is mandatory and must come first'), { reqId: item.reqId });
					this.validateConversationRequest(item.body, accountId, item.reqId);
					conversationRequest = { index: i, item };
				} else {
					throw Object.assign(new BadRequest(`Bad Request, unsupported type ${item.type} in CONVERSATION`), { reqId: item.reqId });
				}
			} catch (e) {
				if (!(e instanceof BadRequest)) throw e;
				failed = true;
				const reqId = (e as BadRequest & { reqId?: string }).reqId ?? (isPlainObject(arr[i]) ? reqIdOf((arr[i] as Record<string, unknown>).id) : undefined);
				answers[i] = { reqId: reqId ?? null, code: 'BAD_REQUEST', body: { msg: e.message } };
			}
		}
		if (!requestSeen && !failed) {
			failed = true;
			answers.push({ reqId: null, code: 'BAD_REQUEST', body: { msg: 'Bad Request, cm.ConsumerRequestConversation is missing' } });
		}
		if (failed) return { status: 400, body: answers };
		pendingProfile.forEach((f) => f());

		const req = conversationRequest as unknown as { index: number; item: ReqItem };
		const open = this.openConversationOf(consumer.extConsumerId, consumer.accountId);
		if (open) {
			// §8: HTTP 400, item {code:'BAD_REQUEST', body:{msg:'… already has open conversation …'}}
			answers[req.index] = {
				reqId: req.item.reqId ?? null,
				code: 'BAD_REQUEST',
				body: { msg: `Bad Request, consumer ${consumer.lpConsumerId} already has open conversation ${open.conversationId}` },
			};
			return { status: 400, body: answers };
		}
		const b = req.item.body;
		const conv = this.createConversation(consumer, {
			channelType: typeof b.channelType === 'string' ? b.channelType : 'MESSAGING',
			ttrDefName: typeof b.ttrDefName === 'string' ? b.ttrDefName : null,
			skillId: b.skillId === undefined || b.skillId === null ? null : String(b.skillId),
			campaignInfo: isPlainObject(b.campaignInfo) ? deepCopy(b.campaignInfo) : null,
			conversationContext: isPlainObject(b.conversationContext) ? deepCopy(b.conversationContext) : null,
			clientProperties: ctx.header('client-properties') ?? null,
			request: deepCopy(b),
			createdVia: 'api',
		});
		answers[req.index] = { reqId: req.item.reqId ?? null, code: 'OK', body: { conversationId: conv.conversationId } };
		return { status: 200, body: answers };
	}

	private validateProfile(body: Record<string, unknown>, reqId: string | undefined): Array<Record<string, unknown>> {
		const fail = (msg: string): never => {
			throw Object.assign(new BadRequest(`Bad Request, ${msg}`), { reqId });
		};
		if (body.authenticatedData === undefined) return [];
		if (!isPlainObject(body.authenticatedData)) fail('authenticatedData must be an object');
		const ad = body.authenticatedData as Record<string, unknown>;
		if (ad.lp_sdes === undefined) return [];
		if (!Array.isArray(ad.lp_sdes)) fail('authenticatedData.lp_sdes must be an array');
		const sdes = ad.lp_sdes as unknown[];
		sdes.forEach((sde, i) => {
			if (!isPlainObject(sde)) return fail(`lp_sdes[${i}] must be an object`);
			// §4: only ctmrinfo and personal are accepted for sending
			if (sde.type !== 'ctmrinfo' && sde.type !== 'personal') return fail(`lp_sdes[${i}].type must be ctmrinfo or personal`);
			if (sde.type === 'ctmrinfo' && sde.info !== undefined && !isPlainObject(sde.info)) return fail(`lp_sdes[${i}].info must be an object`);
			if (sde.type === 'personal') {
				if (sde.personal !== undefined && !isPlainObject(sde.personal)) return fail(`lp_sdes[${i}].personal must be an object`);
				const g = isPlainObject(sde.personal) ? sde.personal.gender : undefined;
				if (g !== undefined && g !== 'MALE' && g !== 'FEMALE' && g !== 'OTHER') return fail(`lp_sdes[${i}].personal.gender must be MALE, FEMALE or OTHER`);
			}
			return undefined;
		});
		return sdes as Array<Record<string, unknown>>;
	}

	private validateConversationRequest(b: Record<string, unknown>, accountId: string, reqId: string | undefined): void {
		const fail = (msg: string): never => {
			throw Object.assign(new BadRequest(msg), { reqId });
		};
		// §2.4 40001 "Brand Id is missing"; SANDBOX CHOICE: sent as the item's BAD_REQUEST msg
		if (b.brandId === undefined || b.brandId === null || b.brandId === '') fail('Bad Request, Brand Id is missing');
		if (String(b.brandId) !== accountId) fail(`Bad Request, brandId must be the account id ${accountId}`);
		// channelType optional (EX) but if given it must be MESSAGING
		if (b.channelType !== undefined && b.channelType !== 'MESSAGING') fail('Bad Request, channelType must be MESSAGING');
		if (b.ttrDefName !== undefined && b.ttrDefName !== null && !(LIVEPERSON_TTR as readonly unknown[]).includes(b.ttrDefName)) {
			fail('Bad Request, ttrDefName must be NORMAL, URGENT, PRIORITIZED or null');
		}
		if (b.skillId !== undefined && b.skillId !== null && typeof b.skillId !== 'string') fail('Bad Request, skillId must be a string');
		if (b.campaignInfo !== undefined) {
			if (!isPlainObject(b.campaignInfo)) fail('Bad Request, campaignInfo must be an object');
			const ci = b.campaignInfo as Record<string, unknown>;
			for (const k of ['campaignId', 'engagementId']) {
				if (ci[k] !== undefined && typeof ci[k] !== 'string' && typeof ci[k] !== 'number') fail(`Bad Request, campaignInfo.${k} must be a string`);
			}
		}
		if (b.conversationContext !== undefined) {
			if (!isPlainObject(b.conversationContext)) fail('Bad Request, conversationContext must be an object');
			const cc = b.conversationContext as Record<string, unknown>;
			for (const k of ['type', 'lang', 'visitorId', 'sessionId', 'interactionContextId']) {
				if (cc[k] !== undefined && typeof cc[k] !== 'string') fail(`Bad Request, conversationContext.${k} must be a string`);
			}
		}
	}

	private createConversation(
		consumer: LivePersonConsumer,
		o: Pick<LivePersonConversation, 'channelType' | 'ttrDefName' | 'skillId' | 'campaignInfo' | 'conversationContext' | 'clientProperties' | 'request' | 'createdVia'>,
	): LivePersonConversation {
		const id = detUuid(`liveperson:conversation:${++this.counters.conversation}`);
		const ts = this.ts();
		const ttrType = o.ttrDefName ?? 'NORMAL';
		const conv: LivePersonConversation = {
			conversationId: id,
			dialogId: id,
			accountId: consumer.accountId,
			brandId: consumer.accountId,
			lpConsumerId: consumer.lpConsumerId,
			extConsumerId: consumer.extConsumerId,
			state: 'OPEN',
			stage: 'OPEN',
			closeReason: null,
			closedBy: null,
			startTs: ts,
			endTs: null,
			metaDataLastUpdateTs: ts,
			ttr: { ttrType, value: LIVEPERSON_TTR_SECONDS[ttrType] ?? 3600 },
			sdes: deepCopy(consumer.sdes),
			participants: [{ id: consumer.lpConsumerId, role: 'CONSUMER' }],
			events: [],
			nextSequence: 0,
			csat: [],
			...o,
		};
		this.conversations.set(id, conv);
		consumer.conversationIds.push(id);
		return conv;
	}

	// ---------------------------------------------------------------- SEND (§5, seed)

	/**
	 * One request object. Errors: HTTP 400 `{reqId, code:'BAD_REQUEST', body:{msg}}` (closed
	 * conversation: exactly `Bad Request, Conversation is close`, §8); a conversation of another
	 * consumer → 401 (§2.4 envelope, errorCode 40100 — SANDBOX CHOICE).
	 */
	private sendRoute(ctx: RequestContext): HandlerResult {
		const auth = this.authByRequest.get(ctx.request);
		if (!auth?.consumerJws) throw new Error('LivePerson sandbox: authentication state missing');
		const jws = auth.consumerJws;
		const bad = (reqId: string | undefined, msg: string): HandlerResult => ({
			status: 400,
			body: reqId === undefined ? { code: 'BAD_REQUEST', body: { msg } } : { reqId, code: 'BAD_REQUEST', body: { msg } },
		});
		const gate = this.messagingGate(ctx, (msg, parsed) => bad(isPlainObject(parsed) ? reqIdOf(parsed.id) : undefined, msg));
		if ('status' in gate) return gate;
		// SANDBOX CHOICE: SEND is not a batch endpoint (seed) → an array is 400
		if (Array.isArray(gate.value)) return bad(undefined, 'Bad Request, SEND accepts one request object (use CONVERSATION for batches)');
		let item: ReqItem;
		try {
			item = this.parseItem(gate.value);
		} catch (e) {
			if (e instanceof BadRequest) return bad((e as BadRequest & { reqId?: string }).reqId, e.message);
			throw e;
		}
		const reqId = item.reqId as string;
		const ok = (body: Record<string, unknown>): HandlerResult => ({ status: 200, body: { reqId, code: 'OK', body } });
		try {
			switch (item.type) {
				case 'ms.PublishEvent':
					return this.publish(ctx, jws, item, ok, bad);
				case 'cm.UpdateConversationField':
					return this.updateField(jws, item, ok, bad);
				case 'ms.GenerateURLForUploadFile':
					return this.uploadUrl(ctx.params.accountId, item, ok, bad);
				case 'ms.GenerateURLForDownloadFile':
					return this.downloadUrl(ctx.params.accountId, item, ok, bad);
				default:
					return bad(reqId, `Bad Request, unsupported type ${item.type}`);
			}
		} catch (e) {
			if (e instanceof BadRequest) return bad(reqId, e.message);
			throw e;
		}
	}

	/** conversation lookup + ownership; SANDBOX CHOICE: unknown dialog → 400 `Bad Request, Dialog not found` */
	private ownConversation(jws: LivePersonConsumerJws, id: unknown, what: string): LivePersonConversation | HandlerResult {
		if (typeof id !== 'string' || id === '') throw new BadRequest(`Bad Request, ${what} is missing`);
		const conv = this.conversations.get(id);
		if (!conv || conv.accountId !== jws.accountId) throw new BadRequest(`Bad Request, Dialog not found: ${id}`);
		if (conv.lpConsumerId !== jws.lpConsumerId) {
			return lpError(401, LIVEPERSON_ERROR_CODES.notParticipant, 'Unauthorized', 'Consumer is not a participant of this conversation');
		}
		return conv;
	}

	private publish(
		ctx: RequestContext,
		jws: LivePersonConsumerJws,
		item: ReqItem,
		ok: (b: Record<string, unknown>) => HandlerResult,
		bad: (r: string | undefined, m: string) => HandlerResult,
	): HandlerResult {
		const b = item.body;
		const found = this.ownConversation(jws, b.dialogId, 'dialogId');
		if ('status' in found) return found;
		const conv = found;
		// §8: conversationId may be given beside dialogId (equal for the main dialog)
		if (b.conversationId !== undefined && b.conversationId !== conv.conversationId) {
			throw new BadRequest('Bad Request, conversationId does not match dialogId');
		}
		if (conv.state === 'CLOSE') return bad(item.reqId, LIVEPERSON_MESSAGES.closed);
		if (!isPlainObject(b.event)) throw new BadRequest('Bad Request, event is missing');
		const event = b.event;
		let statusUpdate: { list: number[]; status: string } | null = null;
		switch (event.type) {
			case 'ContentEvent':
				this.validateContent(conv, event);
				break;
			case 'ChatStateEvent':
				if (!(LIVEPERSON_CHAT_STATES as readonly unknown[]).includes(event.chatState)) {
					throw new BadRequest(`Bad Request, chatState must be one of ${LIVEPERSON_CHAT_STATES.join(', ')}`);
				}
				break;
			case 'AcceptStatusEvent': {
				if (!(LIVEPERSON_ACCEPT_STATUSES as readonly unknown[]).includes(event.status)) {
					throw new BadRequest(`Bad Request, status must be one of ${LIVEPERSON_ACCEPT_STATUSES.join(', ')}`);
				}
				const list = event.sequenceList;
				if (!Array.isArray(list) || list.length === 0 || !list.every((n) => isInt(n) && n >= 0)) {
					throw new BadRequest('Bad Request, sequenceList must be a non-empty array of integers');
				}
				statusUpdate = { list: list as number[], status: String(event.status) };
				break;
			}
			default:
				throw new BadRequest(`Bad Request, unsupported event type ${String(event.type)}`);
		}
		const isChatState = event.type === 'ChatStateEvent';
		const ev: LivePersonEvent = {
			sequence: isChatState ? null : conv.nextSequence++,
			originator: 'consumer',
			originatorId: conv.lpConsumerId,
			role: 'CONSUMER',
			audience: 'ALL',
			serverTimestamp: isChatState ? null : this.ts(),
			event: deepCopy(event),
			conversationId: conv.conversationId,
			dialogId: conv.dialogId,
			via: 'send',
			reqId: item.reqId ?? null,
			requestSeq: ctx.request.seq,
			clientProperties: ctx.header('client-properties') ?? null,
			metadata: deepCopy(b.metadata),
			statuses: [],
		};
		conv.events.push(ev);
		if (statusUpdate) this.applyStatuses(conv, 'agent', statusUpdate.list, statusUpdate.status);
		// SANDBOX CHOICE: chat states are not persisted and get no sequence → body {}
		return ok(ev.sequence === null ? {} : { sequence: ev.sequence });
	}

	private validateContent(conv: LivePersonConversation, event: Record<string, unknown>): void {
		if (event.contentType === 'text/plain') {
			// SANDBOX CHOICE: a non-empty string (no other text limit is documented besides the 5000-char request)
			if (typeof event.message !== 'string' || event.message === '') throw new BadRequest('Bad Request, message must be a non-empty string');
			return;
		}
		if (event.contentType !== 'hosted/file') throw new BadRequest(`Bad Request, unsupported contentType ${String(event.contentType)}`);
		const m = event.message;
		if (!isPlainObject(m)) throw new BadRequest('Bad Request, hosted/file message must be an object {caption?, relativePath, fileType, preview?}');
		if (typeof m.relativePath !== 'string' || m.relativePath === '') throw new BadRequest('Bad Request, relativePath is missing');
		if (typeof m.fileType !== 'string' || m.fileType === '') throw new BadRequest('Bad Request, fileType is missing');
		if (m.caption !== undefined && typeof m.caption !== 'string') throw new BadRequest('Bad Request, caption must be a string');
		if (m.preview !== undefined) {
			if (typeof m.preview !== 'string' || !/^data:image\/[a-z0-9.+-]+;base64,/i.test(m.preview)) {
				throw new BadRequest('Bad Request, preview must be a data:image/…;base64,… URL');
			}
			if (m.preview.length >= LIVEPERSON_MAX_PREVIEW_CHARS) throw new BadRequest('Bad Request, preview must be under 30KB');
		}
		const f = this.files.get(m.relativePath);
		if (!f || f.accountId !== conv.accountId) throw new BadRequest('Bad Request, unknown relativePath (request it with ms.GenerateURLForUploadFile)');
		if (!f.data) throw new BadRequest('Bad Request, the file was not uploaded to swift');
		if (!sameFileType(m.fileType, f.fileType)) throw new BadRequest(`Bad Request, fileType ${m.fileType} does not match the uploaded file (${f.fileType})`);
		// §8: fileType must match the file; EX: 400 = "check your file size and that it is not corrupted"
		const sniffed = sniffFileType(f.data);
		const known = ['PNG', 'JPG', 'JPEG', 'GIF', 'PDF'].includes(normFileType(m.fileType));
		if (known && (sniffed === null || !sameFileType(sniffed, m.fileType))) {
			throw new BadRequest(`Bad Request, the file is corrupted or not a ${normFileType(m.fileType)} file`);
		}
	}

	private applyStatuses(conv: LivePersonConversation, target: 'consumer' | 'agent', list: number[], status: string): void {
		for (const seq of list) {
			const ev = conv.events.find((e) => e.sequence === seq && e.originator === target);
			if (ev) ev.statuses.push(status);
		}
	}

	private updateField(
		jws: LivePersonConsumerJws,
		item: ReqItem,
		ok: (b: Record<string, unknown>) => HandlerResult,
		bad: (r: string | undefined, m: string) => HandlerResult,
	): HandlerResult {
		const b = item.body;
		const found = this.ownConversation(jws, b.conversationId, 'conversationId');
		if ('status' in found) return found;
		const conv = found;
		// SANDBOX CHOICE: an object (Connector docs) or a one-element array (other LivePerson samples, §5.2)
		let field = b.conversationField;
		if (Array.isArray(field) && field.length === 1) field = field[0];
		if (!isPlainObject(field)) throw new BadRequest('Bad Request, conversationField must be an object');
		if (field.field === 'ConversationStateField') {
			if (field.conversationState !== 'CLOSE') throw new BadRequest('Bad Request, conversationState must be CLOSE');
			if (conv.state === 'CLOSE') return bad(item.reqId, LIVEPERSON_MESSAGES.closed);
			this.close(conv, 'CONSUMER', 'consumer');
			return ok({ msg: LIVEPERSON_MESSAGES.resolved });
		}
		if (field.field === 'CSATRate') {
			// §8: CSAT goes to the closed conversation. SANDBOX CHOICE: on an open one → 400
			if (conv.state !== 'CLOSE') return bad(item.reqId, 'Bad Request, CSAT can only be sent for a closed conversation');
			const status = field.status;
			if (!(LIVEPERSON_CSAT_STATUSES as readonly unknown[]).includes(status)) throw new BadRequest('Bad Request, status must be FILLED, PARTIALLY_FILLED or SKIPPED');
			const rate = field.csatRate;
			// SANDBOX CHOICE: FILLED needs csatRate; otherwise optional; always an integer 1–5 when given
			if ((status === 'FILLED' || rate !== undefined) && !(isInt(rate) && rate >= 1 && rate <= 5)) {
				throw new BadRequest('Bad Request, csatRate must be an integer 1-5');
			}
			const conf = field.csatResolutionConfirmation;
			if (conf !== undefined && typeof conf !== 'boolean') throw new BadRequest('Bad Request, csatResolutionConfirmation must be a boolean');
			conv.csat.push({ csatRate: isInt(rate) ? rate : null, csatResolutionConfirmation: typeof conf === 'boolean' ? conf : null, status: String(status), at: Date.now() });
			// SANDBOX CHOICE: the success msg is undocumented
			return ok({ msg: 'OK CSAT submitted successfully' });
		}
		throw new BadRequest(`Bad Request, unsupported conversationField.field ${String(field.field)}`);
	}

	private close(conv: LivePersonConversation, closeReason: string, by: 'consumer' | 'agent'): void {
		const ts = this.ts();
		conv.state = 'CLOSE';
		conv.stage = 'CLOSE';
		conv.closeReason = closeReason;
		conv.closedBy = by;
		conv.endTs = ts;
		conv.metaDataLastUpdateTs = ts;
	}

	// ---------------------------------------------------------------- file sharing (§5.3)

	private newFile(accountId: string, fileType: string, declaredSize: number | null): LivePersonFile {
		const n = ++this.counters.file;
		const at = Date.now();
		const hash = crypto.createHash('sha256').update(`liveperson:file:${accountId}:${n}`).digest('hex');
		const relativePath = `/v1/${LIVEPERSON_SWIFT_CONTAINER}/${accountId}/${hash}_uuid_${detUuid(`liveperson:file-uuid:${n}`)}_${pathStamp(at)}.${fileType}`;
		const f: LivePersonFile = { relativePath, accountId, fileType, declaredSize, data: null, contentType: null, uploadedBy: null, uploads: 0, downloads: 0, createdAt: at };
		this.files.set(relativePath, f);
		return f;
	}

	/** Swift temp URL signature: HMAC-SHA1(key, `${METHOD}\n${expires}\n${path}`) hex (OpenStack tempurl). */
	private tempUrlSig(method: string, expires: string, path: string): string {
		return crypto.createHmac('sha1', this.swiftKey).update(`${method}\n${expires}\n${path}`).digest('hex');
	}

	private tempUrl(method: string, relativePath: string): { temp_url_sig: string; temp_url_expires: string } {
		const expires = String(Math.floor(Date.now() / 1000) + this.tempUrlLifetimeSeconds);
		return { temp_url_sig: this.tempUrlSig(method, expires, relativePath), temp_url_expires: expires };
	}

	private uploadUrl(accountId: string, item: ReqItem, ok: (b: Record<string, unknown>) => HandlerResult, bad: (r: string | undefined, m: string) => HandlerResult): HandlerResult {
		const b = item.body;
		// the docs send fileSize as a string ("1000"); numbers are accepted too
		const size = typeof b.fileSize === 'number' ? b.fileSize : typeof b.fileSize === 'string' && /^\d+$/.test(b.fileSize) ? Number(b.fileSize) : NaN;
		if (!(Number.isInteger(size) && size > 0)) return bad(item.reqId, 'Bad Request, fileSize must be a positive integer');
		if (size > this.maxFileBytes) return bad(item.reqId, `Bad Request, fileSize exceeds the maximum of ${this.maxFileBytes} bytes`);
		if (typeof b.fileType !== 'string' || b.fileType === '') return bad(item.reqId, 'Bad Request, fileType is missing');
		// SANDBOX CHOICE: fileType case-insensitive, stored upper-case
		const fileType = normFileType(b.fileType);
		if (!this.allowedFileTypes.has(fileType)) return bad(item.reqId, `Bad Request, fileType ${fileType} is not supported (${Array.from(this.allowedFileTypes).join(', ')})`);
		const f = this.newFile(accountId, fileType, size);
		return ok({ relativePath: f.relativePath, queryParams: this.tempUrl('PUT', f.relativePath) });
	}

	private downloadUrl(accountId: string, item: ReqItem, ok: (b: Record<string, unknown>) => HandlerResult, bad: (r: string | undefined, m: string) => HandlerResult): HandlerResult {
		const p = item.body.relativePath;
		if (typeof p !== 'string' || p === '') return bad(item.reqId, 'Bad Request, relativePath is missing');
		const f = this.files.get(p);
		// SANDBOX CHOICE: unknown or never-uploaded file → 400
		if (!f || f.accountId !== accountId || !f.data) return bad(item.reqId, 'Bad Request, file not found');
		return ok({ relativePath: f.relativePath, queryParams: this.tempUrl('GET', f.relativePath) });
	}

	/**
	 * PUT stores the raw bytes → 201 (empty body); GET/HEAD returns them. No auth headers; the temp URL
	 * (signature over method + expires + path) is the credential. Bad/expired → 401 text
	 * `401 Unauthorized: Temp URL invalid` (SANDBOX CHOICE wording). Upload > maxFileBytes → 413.
	 */
	private swiftRoute(ctx: RequestContext): HandlerResult {
		const path = ctx.request.url.split('?')[0];
		const sig = ctx.queryValue('temp_url_sig');
		const expires = ctx.queryValue('temp_url_expires');
		const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
		const text = (status: number, msg: string): HandlerResult => ({ status, raw: msg, headers: { 'content-type': 'text/plain; charset=utf-8' } });
		const relativePath = path.slice(`/${LIVEPERSON_MOUNTS.swift}`.length);
		const expected = sig && expires ? this.tempUrlSig(method, expires, relativePath) : '';
		const validSig =
			!!sig && sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected)) && /^\d+$/.test(expires ?? '') && Number(expires) * 1000 > Date.now();
		if (!validSig) return text(401, '401 Unauthorized: Temp URL invalid');
		const f = this.files.get(relativePath);
		if (!f) return text(404, '404 Not Found');
		if (method === 'PUT') {
			if (ctx.rawBody.length > this.maxFileBytes) return text(413, '413 Request Entity Too Large');
			f.data = Buffer.from(ctx.rawBody);
			f.contentType = ctx.header('content-type') ?? null;
			f.uploadedBy = 'consumer';
			f.uploads++;
			return { status: 201, raw: '', headers: { 'content-type': 'text/html; charset=UTF-8', etag: crypto.createHash('md5').update(f.data).digest('hex') } };
		}
		if (!f.data) return text(404, '404 Not Found');
		f.downloads++;
		return {
			status: 200,
			raw: f.data,
			headers: {
				'content-type': f.contentType ?? MIME_BY_TYPE[f.fileType] ?? 'application/octet-stream',
				etag: crypto.createHash('md5').update(f.data).digest('hex'),
			},
		};
	}

	// ---------------------------------------------------------------- webhook transport

	/** strictly increasing epoch ms (dedupe keys: sequence / metaDataLastUpdateTs) */
	private ts(): number {
		this.lastTs = Math.max(Date.now(), this.lastTs + 1);
		return this.lastTs;
	}

	private mustConversation(conversationId: string): LivePersonConversation {
		const c = this.conversations.get(conversationId);
		if (!c) throw new Error(`LivePerson sandbox: unknown conversation '${conversationId}'`);
		return c;
	}

	private accountOfChanges(changes: unknown[]): string {
		for (const ch of changes) {
			if (!isPlainObject(ch)) continue;
			const id = typeof ch.conversationId === 'string' ? ch.conversationId : typeof ch.dialogId === 'string' ? ch.dialogId : undefined;
			const convId = id ?? (isPlainObject(ch.result) && typeof ch.result.convId === 'string' ? ch.result.convId : undefined);
			const conv = convId ? this.conversations.get(convId) : undefined;
			if (conv) return conv.accountId;
		}
		return LIVEPERSON_ACCOUNT_ID;
	}

	private urlFor(eventKey: string, opts: LivePersonWebhookOptions): string {
		const url = opts.url ?? this.webhooks[eventKey] ?? this.webhookUrl;
		if (!url) throw new Error(`LivePerson sandbox: no webhook endpoint for ${eventKey} (set webhookUrl or webhooks['${eventKey}'])`);
		return url;
	}

	/**
	 * Sign and POST. The real sender is the app installed on `account` (the conversation's): its
	 * client secret is the HMAC key and its ids fill the headers. `accountId` / `clientId` options
	 * only change the headers (a mismatching but correctly signed delivery); `secret` changes the key.
	 */
	private post(url: string, raw: Buffer, eventKey: string | null, opts: LivePersonWebhookOptions, account: string): Promise<LivePersonWebhookResponse> {
		const app = Array.from(this.apps.values()).find((a) => a.accountId === account);
		const accountId = opts.accountId === undefined ? account : opts.accountId;
		const clientId = opts.clientId === undefined ? (app?.clientId ?? LIVEPERSON_CLIENT_ID) : opts.clientId;
		const secret = opts.secret ?? app?.clientSecret ?? LIVEPERSON_CLIENT_SECRET;
		const signature =
			opts.signature === undefined ? livePersonSignature(secret, raw, opts.algorithm ?? this.signatureAlgorithm, opts.encoding ?? this.signatureEncoding) : opts.signature;
		const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'LivePerson-Webhooks-Sandbox/1.0' };
		if (accountId !== null) headers['x-liveperson-account-id'] = accountId;
		if (clientId !== null) headers['x-liveperson-client-id'] = clientId;
		if (signature !== null) headers['x-liveperson-signature'] = signature;
		for (const k of Object.keys(opts.headers ?? {})) headers[k.toLowerCase()] = (opts.headers as Record<string, string>)[k];
		return this.send(url, raw, headers, eventKey, null, opts.timeoutMs);
	}

	private send(
		url: string,
		raw: Buffer,
		headers: Record<string, string>,
		eventKey: string | null,
		redeliveryOf: number | null,
		timeoutMs: number | undefined,
	): Promise<LivePersonWebhookResponse> {
		let parsed: unknown = raw.toString('utf8');
		try {
			parsed = JSON.parse(parsed as string);
		} catch {
			/* not JSON: keep the text */
		}
		const call: LivePersonWebhookCall = {
			id: this.webhookCalls.length + 1,
			url,
			type: isPlainObject(parsed) && typeof parsed.type === 'string' ? parsed.type : null,
			eventKey,
			rawBody: Buffer.from(raw),
			body: parsed,
			headers: { ...headers },
			signature: headers['x-liveperson-signature'] ?? null,
			redeliveryOf,
			response: undefined,
			error: null,
			sentAt: Date.now(),
		};
		this.webhookCalls.push(call);
		return postToWebhook(url, raw, headers, timeoutMs ?? this.webhookTimeoutMs).then(
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
