/**
 * Valid deliveries of every trigger, as fast-check generators with what the trigger must output
 * for each: used by the fuzz suite (triggers.fuzz.test.ts) and the reliability suite
 * (test/reliability/triggers.test.ts).
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { LIVEPERSON_ACCOUNT_ID, LIVEPERSON_CLIENT_ID, LIVEPERSON_CLIENT_SECRET, livePersonSignature } from '../sandbox';
import { identifier, multipartBody, sessionId, unicodeText } from './generators';

// =============================================================================================
// Digishare
// =============================================================================================

export const id = () => fc.oneof({ weight: 4, arbitrary: identifier() }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) });
export const timestamp = () => fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());

export interface Expected {
	event: string;
	conversationId: string | null;
	messageId: string | null;
	text: string | null;
	messageType: string | null;
	sender: { type: string | null; id: string | null; name: string | null };
	createdAt: string | null;
	sessionId?: string;
	chatInput?: string;
}
export interface Generated {
	payload: IDataObject;
	expected: Expected;
}

export const digishareNewMessage: fc.Arbitrary<Generated> = fc
	.record({ messageId: id(), conversationId: id(), text: unicodeText({ maxLength: 12 }), name: unicodeText({ maxLength: 3 }), createdAt: fc.option(timestamp(), { nil: undefined }), typed: fc.boolean(), withSender: fc.boolean() })
	.map((g) => ({
		payload: {
			event: 'live_chat.new_message',
			data: {
				id: g.messageId,
				data: {
					conversation_id: g.conversationId,
					body: g.text,
					...(g.typed ? { type: 'text' } : {}),
					...(g.withSender ? { sender: { model_type: 'third', name: g.name } } : {}),
					...(g.createdAt ? { created_at: g.createdAt } : {}),
				},
			},
		},
		expected: {
			event: 'live_chat.new_message',
			conversationId: String(g.conversationId),
			messageId: String(g.messageId),
			text: g.text,
			messageType: 'text',
			sender: { type: g.withSender ? 'customer' : null, id: null, name: g.withSender ? g.name : null },
			createdAt: g.createdAt ?? null,
			sessionId: `digishare:${String(g.conversationId)}`,
			chatInput: g.text ?? '',
		},
	}));

export const digishareNewConversation: fc.Arbitrary<Generated> = fc
	.record({ conversationId: id(), thirdId: id(), name: unicodeText({ maxLength: 3 }), createdAt: timestamp() })
	.map((g) => ({
		payload: { event: 'live_chat.new_conversation', data: { id: g.conversationId, data: { created_at: g.createdAt, third: { id: g.thirdId, name: g.name } } } },
		expected: {
			event: 'live_chat.new_conversation',
			conversationId: String(g.conversationId),
			messageId: null,
			text: null,
			messageType: null,
			sender: { type: 'customer', id: String(g.thirdId), name: g.name },
			createdAt: g.createdAt,
			sessionId: `digishare:${String(g.conversationId)}`,
		},
	}));

export const digishareArchived: fc.Arbitrary<Generated> = fc
	.record({ conversationId: id(), by: fc.constantFrom('user', 'system'), byId: identifier(), archivedAt: timestamp() })
	.map((g) => ({
		payload: { event: 'live_chat.conversation_archived', data: { conversation_id: g.conversationId, archived_at: g.archivedAt, archived_by: { type: g.by, id: g.byId } } },
		expected: {
			event: 'live_chat.conversation_archived',
			conversationId: String(g.conversationId),
			messageId: null,
			text: null,
			messageType: null,
			sender: { type: g.by === 'user' ? 'agent' : 'system', id: g.byId, name: null },
			createdAt: g.archivedAt,
			sessionId: `digishare:${String(g.conversationId)}`,
		},
	}));

export const digishareDelivery = fc.oneof(digishareNewMessage, digishareNewConversation, digishareArchived);

// =============================================================================================
// Omnidesk
// =============================================================================================

export const HOOKPOINTS = ['messageForCustomer', 'uploadForCustomer', 'typingIndicatorForCustomer', 'endSession'] as const;
export type Hookpoint = (typeof HOOKPOINTS)[number];
export type Encoding = 'json' | 'form' | 'multipart';

export interface OmnideskDelivery {
	hookpoint: Hookpoint;
	encoding: Encoding;
	fields: Record<string, string>;
	file?: { name: string; type: string; data: Buffer };
	expected: { conversationId: string; text: string | null; messageType: string; name: string | null };
}

export const omnideskDelivery: fc.Arbitrary<OmnideskDelivery> = fc
	.record({
		hookpoint: fc.constantFrom(...HOOKPOINTS),
		encoding: fc.constantFrom<Encoding>('json', 'form', 'multipart'),
		sessionKey: fc.constantFrom('sessionID', 'SessionID', 'sessionid'),
		session: sessionId(),
		name: fc.option(unicodeText({ maxLength: 3 }), { nil: undefined }),
		message: unicodeText({ maxLength: 12 }),
		typing: fc.constantFrom('1', 'true', 'yes', 'on', '0', 'false', '', 'no'),
		fileName: fc.tuple(identifier(1, 12), fc.constantFrom('.pdf', '.png', '.txt', '.json')).map(([n, e]) => n + e),
		fileType: fc.constantFrom('application/pdf', 'image/png', 'text/plain', 'application/octet-stream'),
		fileData: fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((b) => Buffer.from(b)),
	})
	.map((g): OmnideskDelivery => {
		const fields: Record<string, string> = { [g.sessionKey]: g.session, ...(g.name !== undefined ? { name: g.name } : {}) };
		let file: OmnideskDelivery['file'];
		let text: string | null = null;
		let messageType: string;
		if (g.hookpoint === 'messageForCustomer') {
			fields.message = g.message;
			text = g.message;
			messageType = 'text';
		} else if (g.hookpoint === 'uploadForCustomer') {
			if (g.encoding === 'multipart') file = { name: g.fileName, type: g.fileType, data: g.fileData };
			else Object.assign(fields, { file: g.fileData.toString('base64'), fileName: g.fileName });
			text = g.fileName;
			messageType = 'file';
		} else if (g.hookpoint === 'typingIndicatorForCustomer') {
			fields.Typing = g.typing;
			messageType = ['1', 'true', 'yes', 'on'].includes(g.typing) ? 'typing_started' : 'typing_stopped';
		} else {
			messageType = 'session_ended';
		}
		return { hookpoint: g.hookpoint, encoding: g.encoding, fields, file, expected: { conversationId: g.session, text, messageType, name: g.name ?? null } };
	});

export function encode(delivery: OmnideskDelivery): { body: Buffer; contentType: string } {
	if (delivery.encoding === 'json') return { body: Buffer.from(JSON.stringify(delivery.fields)), contentType: 'application/json' };
	if (delivery.encoding === 'form') return { body: Buffer.from(new URLSearchParams(delivery.fields).toString()), contentType: 'application/x-www-form-urlencoded' };
	return multipartBody(delivery.fields, delivery.file);
}

// =============================================================================================
// LivePerson
// =============================================================================================

export const MESSAGING = 'ms.MessagingEventNotification';
export const CONVERSATION_CHANGE = 'cqm.ExConversationChangeNotification';
export const EVENT_CHOICES = ['content', 'richContent', 'acceptStatus', 'chatState', 'conversationChange'] as const;
export type EventChoice = (typeof EVENT_CHOICES)[number];
export const EVENT_OF: Record<EventChoice, string> = {
	content: `${MESSAGING}.ContentEvent`,
	richContent: `${MESSAGING}.RichContentEvent`,
	acceptStatus: `${MESSAGING}.AcceptStatusEvent`,
	chatState: `${MESSAGING}.ChatStateEvent`,
	conversationChange: CONVERSATION_CHANGE,
};

export type Algorithm = 'sha1' | 'sha256';
export type Encoding64 = 'base64' | 'hex' | 'HEX';

export interface LivePersonDelivery {
	raw: string;
	selected: EventChoice[];
	expected: Array<Partial<Expected> & { event: string }>;
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const ms = () => fc.integer({ min: 1, max: 4_102_444_800_000 });

/** One messaging change of a random kind; `keep` says whether the trigger should emit it. */
export const messagingChange = (sequence: number) =>
	fc
		.record({
			kind: fc.constantFrom<EventChoice>('content', 'content', 'richContent', 'acceptStatus', 'chatState'),
			conversationId: fc.uuid(),
			role: fc.constantFrom('ASSIGNED_AGENT', 'ASSIGNED_AGENT', 'MANAGER', 'CONSUMER'),
			audience: fc.constantFrom<string | undefined>(undefined, 'ALL', 'AGENTS_AND_MANAGERS'),
			originatorId: identifier(),
			serverTimestamp: ms(),
			text: unicodeText({ maxLength: 12 }),
			file: fc.boolean(),
			chatState: fc.constantFrom('COMPOSING', 'PAUSE', 'ACTIVE', 'GONE'),
			status: fc.constantFrom('ACCEPT', 'READ'),
		})
		.map((g) => {
			const base = { conversationId: g.conversationId, dialogId: g.conversationId, originatorId: g.originatorId, originatorMetadata: { id: g.originatorId, role: g.role }, serverTimestamp: g.serverTimestamp, ...(g.audience ? { messageAudience: g.audience } : {}) };
			let change: IDataObject;
			let fields: Partial<Expected>;
			if (g.kind === 'content') {
				change = { ...base, sequence, event: g.file ? { type: 'ContentEvent', contentType: 'hosted/file', message: { caption: g.text, relativePath: '/f/x.png', fileType: 'PNG' } } : { type: 'ContentEvent', contentType: 'text/plain', message: g.text } };
				fields = { text: g.text, messageType: g.file ? 'file' : 'text', messageId: `${g.conversationId}:${sequence}` };
			} else if (g.kind === 'richContent') {
				change = { ...base, sequence, event: { type: 'RichContentEvent', content: { type: 'vertical', elements: [{ type: 'text', text: g.text }] } } };
				fields = { text: null, messageType: 'rich_content', messageId: `${g.conversationId}:${sequence}` };
			} else if (g.kind === 'acceptStatus') {
				change = { ...base, sequence, event: { type: 'AcceptStatusEvent', status: g.status, sequenceList: [sequence - 1] } };
				fields = { text: g.status, messageType: 'receipt', messageId: `${g.conversationId}:${sequence}` };
			} else {
				change = { ...base, event: { type: 'ChatStateEvent', chatState: g.chatState } };
				const messageType = g.chatState === 'COMPOSING' ? 'typing_started' : g.chatState === 'PAUSE' ? 'typing_stopped' : `chat_state_${g.chatState.toLowerCase()}`;
				fields = { text: g.chatState, messageType, messageId: null };
			}
			const expected = {
				event: EVENT_OF[g.kind],
				conversationId: g.conversationId,
				createdAt: iso(g.serverTimestamp),
				sender: { type: g.role === 'CONSUMER' ? 'customer' : 'agent', id: g.originatorId, name: null },
				...fields,
			};
			return { kind: g.kind, change, expected, filtered: g.role === 'CONSUMER' || g.audience === 'AGENTS_AND_MANAGERS' };
		});

export const conversationChange = () =>
	fc
		.record({ convId: fc.uuid(), type: fc.constantFrom('UPSERT', 'DELETE'), closed: fc.boolean(), closeReason: fc.constantFrom('AGENT', 'CONSUMER', 'SYSTEM'), ts: ms() })
		.map((g) => ({
			kind: 'conversationChange' as EventChoice,
			change: {
				type: g.type,
				result: { convId: g.convId, conversationDetails: { state: g.closed ? 'CLOSE' : 'OPEN', stage: g.closed ? 'CLOSE' : 'OPEN', ...(g.closed ? { closeReason: g.closeReason } : {}), metaDataLastUpdateTs: g.ts } },
			} as IDataObject,
			expected: {
				event: CONVERSATION_CHANGE,
				conversationId: g.convId,
				messageId: null,
				text: g.closed ? g.closeReason : null,
				messageType: g.closed ? 'conversation_closed' : 'conversation_changed',
				sender: { type: null, id: null, name: null },
				createdAt: iso(g.ts),
			} as Partial<Expected> & { event: string },
			filtered: false,
		}));

/**
 * Notifications with 1–5 changes, for a trigger whose selected events are `selected`
 * (test/e2e/fuzz.e2e.ts: one workflow, all events selected).
 */
export const livePersonDeliveryFor = (selected: fc.Arbitrary<EventChoice[]>): fc.Arbitrary<LivePersonDelivery> => fc
	.record({
		messaging: fc.boolean(),
		count: fc.integer({ min: 1, max: 5 }),
		firstSequence: fc.integer({ min: 0, max: 100_000 }),
		selected,
		sentTs: ms(),
	})
	.chain((g) =>
		fc
			.tuple(...Array.from({ length: g.count }, (_, i) => (g.messaging ? messagingChange(g.firstSequence + i) : conversationChange())))
			.map((changes) => {
				const raw = JSON.stringify({ kind: 'notification', body: { sentTs: g.sentTs, changes: changes.map((c) => c.change) }, type: g.messaging ? MESSAGING : CONVERSATION_CHANGE });
				const expected = changes.filter((c) => !c.filtered && g.selected.includes(c.kind)).map((c) => c.expected);
				return { raw, selected: g.selected, expected };
			}),
	);

/** Notifications for a random selection of events (at least one). */
export const livePersonDelivery: fc.Arbitrary<LivePersonDelivery> = livePersonDeliveryFor(fc.subarray([...EVENT_CHOICES], { minLength: 1 }));

export function sign(raw: string | Buffer, algorithm: Algorithm, encoding: Encoding64, secret = LIVEPERSON_CLIENT_SECRET): string {
	const signature = livePersonSignature(secret, raw, algorithm, encoding === 'HEX' ? 'hex' : encoding);
	return encoding === 'HEX' ? `${algorithm}=${signature.slice(algorithm.length + 1).toUpperCase()}` : signature;
}

export const signing = fc.tuple(fc.constantFrom<Algorithm>('sha1', 'sha256'), fc.constantFrom<Encoding64>('base64', 'hex', 'HEX'));

/** Request headers: a Content-Type (none for `null`) and `extra`. */
export function headersWith(contentType: string | null, extra: Record<string, string> = {}): Record<string, string> {
	return { ...(contentType === null ? {} : { 'content-type': contentType }), ...extra };
}

/** The headers LivePerson sends: the signature (none for `null`), the account and the Connector App's client ID. */
export const livePersonHeaders = (contentType: string | null, signature: string | null, extra: Record<string, string> = {}) =>
	headersWith(contentType, {
		...(signature === null ? {} : { 'x-liveperson-signature': signature }),
		'x-liveperson-account-id': LIVEPERSON_ACCOUNT_ID,
		'x-liveperson-client-id': LIVEPERSON_CLIENT_ID,
		...extra,
	});

/** Indexes of ASCII letters outside escape sequences (`\n`, `\u00e9`): changing one keeps the JSON valid. */
export function letterPositions(raw: string): number[] {
	const positions: number[] = [];
	for (let i = 0; i < raw.length; i++) {
		if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 5 : 1;
		else if (/[a-zA-Z]/.test(raw[i])) positions.push(i);
	}
	return positions;
}

export type Attack = 'forged' | 'missing' | 'empty' | 'wrongAlgorithm' | 'alteredByte' | 'wrongSecret' | 'otherBody' | 'truncated';
export const ATTACKS: Attack[] = ['forged', 'missing', 'empty', 'wrongAlgorithm', 'alteredByte', 'wrongSecret', 'otherBody', 'truncated'];

/**
 * A valid notification with a forged, missing, wrong-algorithm or otherwise wrong signature (or
 * one letter of the body changed after signing): what is posted, and the status the trigger must
 * answer (401 without a signature, 403 for a wrong one).
 */
export function signatureAttack(
	delivery: LivePersonDelivery,
	[algorithm, encoding]: [Algorithm, Encoding64],
	how: Attack,
	n: number,
	forgedBytes: Uint8Array,
): { body: string | Buffer; signature: string | null; status: 401 | 403 } {
	let body: string | Buffer = delivery.raw;
	let signature: string | null = sign(delivery.raw, algorithm, encoding);
	if (how === 'forged') signature = `${algorithm}=${Buffer.from(forgedBytes).toString(encoding === 'base64' ? 'base64' : 'hex')}`;
	else if (how === 'missing') signature = null;
	else if (how === 'empty') signature = '';
	else if (how === 'wrongAlgorithm') signature = `${n % 2 ? 'sha512' : 'md5'}=${livePersonSignature(LIVEPERSON_CLIENT_SECRET, delivery.raw, algorithm).split('=').slice(1).join('=')}`;
	else if (how === 'wrongSecret') signature = sign(delivery.raw, algorithm, encoding, `${LIVEPERSON_CLIENT_SECRET}x`);
	else if (how === 'otherBody') signature = sign(`${delivery.raw} `, algorithm, encoding);
	else if (how === 'truncated') signature = signature.slice(0, signature.length - 1 - (n % 8));
	else {
		// One letter changed (letters only occur inside strings and keys: still valid JSON).
		const letters = letterPositions(delivery.raw);
		const at = letters[n % letters.length];
		const replacement = delivery.raw[at] === 'q' ? 'z' : 'q';
		body = Buffer.from(delivery.raw.slice(0, at) + replacement + delivery.raw.slice(at + 1), 'utf8');
	}
	return { body, signature, status: how === 'missing' || how === 'empty' ? 401 : 403 };
}

/** Arbitraries for signatureAttack's arguments after the delivery: signing, attack, n, forged bytes. */
export const attackArguments = [signing, fc.constantFrom<Attack>(...ATTACKS), fc.nat(), fc.uint8Array({ minLength: 20, maxLength: 32 })] as const;
