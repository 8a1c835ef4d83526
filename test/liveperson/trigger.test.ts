/**
 * LivePerson Trigger: the HTTP answer LivePerson gets and the items the workflow receives, for
 * every signature form, the account check, malformed notifications, each kind of change, the
 * filters, redeliveries (in this process and in n8n's database) and activation.
 *
 * The bodies are the exact bytes LivePerson posts (liveperson.md §6.5: `{kind, body:{sentTs,
 * changes}, type}`), with changes built by the sandbox's LivePerson module (no server is started:
 * the trigger calls nothing), signed here with `livePersonSignature` over those bytes.
 */
import { createHmac } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { LivePersonTrigger } from '../../nodes/LivePerson/LivePersonTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { callWebhook, clearProcessedData, runWebhookMethod, runWebhookWorkflow } from '../harness';
import {
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_AGENTS,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	LIVEPERSON_SECOND_ACCOUNT_ID,
	LIVEPERSON_SECOND_CLIENT_SECRET,
	LivePersonProvider,
	livePersonSignature,
	type LivePersonSignatureAlgorithm,
	type LivePersonSignatureEncoding,
} from '../sandbox';
import { LIVEPERSON_CREDENTIAL_REFERENCE, LIVEPERSON_TRIGGER_TYPE, livePersonCredentialTypes } from './fixtures';

const trigger = new LivePersonTrigger();
/** Fixed: the trigger's process memory of deliveries is per workflow + node ID. */
const TRIGGER_NODE_ID = '6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a41';
const MESSAGING = 'ms.MessagingEventNotification';
const CONVERSATION_CHANGE = 'cqm.ExConversationChangeNotification';
const DUPLICATE_OR_UNSELECTED = 'no selected change, or only duplicates';
const TOKENS_WEBHOOK_SECRET = 'lp_tokens_mode_webhook_secret_7f3a9c';

/** The sandbox's LivePerson module, used only for its webhook builders (nothing listens). */
const lp = new LivePersonProvider();
let conversationId: string;
let consumerLpId: string;

beforeEach(() => {
	lp.reset();
	// Every test starts as a fresh n8n process with an empty database: no delivery seen yet.
	forgetDeliveriesSeenInThisProcess();
	clearProcessedData();
	const conversation = lp.startConversation('digishare:conv-1');
	conversationId = conversation.conversationId;
	consumerLpId = conversation.lpConsumerId;
});

// ---------------------------------------------------------------------------------------------
// Building and posting what LivePerson posts
// ---------------------------------------------------------------------------------------------

/** The raw notification body, serialized once: these are the bytes that get signed and sent. */
function notification(type: string, changes: unknown[], sentTs = 1767225600000): string {
	return JSON.stringify({ kind: 'notification', body: { sentTs, changes }, type });
}

function messages(...changes: unknown[]): string {
	return notification(MESSAGING, changes);
}

/** The agent's text message (next sequence of the conversation). */
function agentText(text: string, options: Parameters<LivePersonProvider['recordAgentMessage']>[2] = {}, conversation = conversationId) {
	return lp.recordAgentMessage(conversation, text, options);
}

/** The conversation's cqm change after the agent (or `reason`) closed it. */
function closedChange(reason = 'AGENT') {
	const conversation = lp.conversation(conversationId)!;
	const ts = conversation.metaDataLastUpdateTs + 1000;
	Object.assign(conversation, { state: 'CLOSE', stage: 'CLOSE', closeReason: reason, closedBy: reason === 'CONSUMER' ? 'consumer' : 'agent', endTs: ts, metaDataLastUpdateTs: ts });
	return lp.conversationChangeOf(conversationId);
}

function appCredential(overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	return {
		accountId: LIVEPERSON_ACCOUNT_ID,
		authMode: 'app',
		clientId: LIVEPERSON_CLIENT_ID,
		clientSecret: LIVEPERSON_CLIENT_SECRET,
		// Never called by the trigger: it only checks deliveries.
		domainApiUrl: 'http://127.0.0.1:9/liveperson',
		...(overrides as ICredentialDataDecryptedObject),
	};
}

interface DeliverOptions {
	parameters?: IDataObject;
	credential?: ICredentialDataDecryptedObject;
	/** HMAC key (default the client secret) */
	secret?: string;
	algorithm?: LivePersonSignatureAlgorithm;
	encoding?: LivePersonSignatureEncoding;
	/** header overrides; null removes a header */
	headers?: Record<string, string | null>;
	/** sent instead of `raw` (still signed over `raw`) */
	sendInstead?: string | Buffer;
	staticData?: IDataObject;
}

function requestOf(raw: string, options: DeliverOptions) {
	const headers: Record<string, string | null> = {
		'content-type': 'application/json',
		'x-liveperson-signature': livePersonSignature(options.secret ?? LIVEPERSON_CLIENT_SECRET, raw, options.algorithm, options.encoding),
		'x-liveperson-account-id': LIVEPERSON_ACCOUNT_ID,
		'x-liveperson-client-id': LIVEPERSON_CLIENT_ID,
		...options.headers,
	};
	const sent = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null));
	return { method: 'POST', headers: sent, body: options.sendInstead ?? raw };
}

function triggerNode(options: DeliverOptions) {
	return {
		id: TRIGGER_NODE_ID,
		name: 'LivePerson Trigger',
		parameters: (options.parameters ?? {}) as INodeParameters,
		credentials: LIVEPERSON_CREDENTIAL_REFERENCE,
	};
}

async function deliver(raw: string, options: DeliverOptions = {}) {
	return await callWebhook({
		nodeType: trigger,
		credentialTypes: livePersonCredentialTypes,
		credentials: { livePersonApi: { lp1: options.credential ?? appCredential() } },
		node: triggerNode(options),
		staticData: options.staticData,
		request: requestOf(raw, options),
	});
}

/** The same delivery with the workflow behind it: the execution n8n starts, if any. */
async function deliverAndRun(raw: string, options: DeliverOptions = {}) {
	return await runWebhookWorkflow({
		nodeTypes: { [LIVEPERSON_TRIGGER_TYPE]: trigger },
		credentialTypes: livePersonCredentialTypes,
		credentials: { livePersonApi: { lp1: options.credential ?? appCredential() } },
		nodes: [{ ...triggerNode(options), type: LIVEPERSON_TRIGGER_TYPE }],
		staticData: options.staticData,
		request: requestOf(raw, options),
	});
}

const iso = (ms: unknown) => new Date(ms as number).toISOString();
const jsonOf = (result: Awaited<ReturnType<typeof deliver>>) => (result.items?.[0] ?? []).map((item) => item.json);

/** The normalized event of an agent message change, as the workflow must receive it. */
function agentEvent(change: Record<string, unknown>, text: string | null, extra: IDataObject = {}): IDataObject {
	const event: IDataObject = {
		provider: 'liveperson',
		event: `${MESSAGING}.ContentEvent`,
		conversationId,
		messageId: `${conversationId}:${change.sequence as number}`,
		text,
		messageType: 'text',
		sender: { type: 'agent', id: LIVEPERSON_AGENTS.agent.id, name: null },
		createdAt: iso(change.serverTimestamp),
		raw: change,
		consumerId: null,
		sessionId: `liveperson:${conversationId}`,
		...extra,
	};
	// A message (or a file's caption) is the AI Agent's input; other events carry none.
	return ['text', 'file'].includes(String(event.messageType)) ? { ...event, chatInput: text ?? '' } : event;
}

// ---------------------------------------------------------------------------------------------

describe('signatures (x-liveperson-signature over the raw bytes)', () => {
	test.each<[LivePersonSignatureAlgorithm, LivePersonSignatureEncoding]>([
		['sha1', 'base64'],
		['sha1', 'hex'],
		['sha256', 'base64'],
		['sha256', 'hex'],
	])('%s= in %s → 200 {"received":true} and the normalized message', async (algorithm, encoding) => {
		const change = agentText('Hello, how can I help?');
		const result = await deliver(messages(change), { algorithm, encoding });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: true });
		expect(jsonOf(result)).toEqual([agentEvent(change, 'Hello, how can I help?')]);
	});

	test('a hex digest in upper case is accepted too', async () => {
		const raw = messages(agentText('Hi'));
		const signature = livePersonSignature(LIVEPERSON_CLIENT_SECRET, raw, 'sha256', 'hex').replace(/=(.+)$/, (_, hex: string) => `=${hex.toUpperCase()}`);
		const result = await deliver(raw, { headers: { 'x-liveperson-signature': signature } });
		expect(result.status).toBe(200);
		expect(result.items?.[0]).toHaveLength(1);
	});

	test('forged with another secret → 403 with the reason, no execution, no secret in the answer', async () => {
		const raw = messages(agentText('Hi'));
		const { webhook, run } = await deliverAndRun(raw, { secret: LIVEPERSON_SECOND_CLIENT_SECRET });
		expect(webhook.status).toBe(403);
		expect(webhook.json).toEqual({ error: 'Wrong signature' });
		expect(webhook.items).toBeUndefined();
		expect(run).toBeUndefined();
		expect(webhook.body).not.toContain(LIVEPERSON_CLIENT_SECRET);
	});

	test('no signature header → 401, no execution', async () => {
		const result = await deliver(messages(agentText('Hi')), { headers: { 'x-liveperson-signature': null } });
		expect(result.status).toBe(401);
		expect(result.json).toEqual({ error: 'Missing signature' });
		expect(result.items).toBeUndefined();
	});

	test('the body altered by one byte after signing → 403, no execution', async () => {
		const raw = messages(agentText('Pay 100 EUR'));
		const altered = raw.replace('Pay 100 EUR', 'Pay 900 EUR');
		expect(Buffer.byteLength(altered)).toBe(Buffer.byteLength(raw));
		const result = await deliver(raw, { sendInstead: altered });
		expect(result.status).toBe(403);
		expect(result.json).toEqual({ error: 'Wrong signature' });
		expect(result.items).toBeUndefined();
	});

	test('emoji and Arabic, signed over the UTF-8 bytes → accepted, the text intact', async () => {
		const text = 'مرحبا، كيف يمكنني مساعدتك؟ 👋🏽 شكراً 🙏';
		const change = agentText(text);
		const raw = messages(change);
		expect(raw).toContain(text); // sent as UTF-8, not as \u escapes
		for (const encoding of ['base64', 'hex'] as const) {
			forgetDeliveriesSeenInThisProcess();
			const result = await deliver(raw, { encoding });
			expect(result.status).toBe(200);
			expect(jsonOf(result)[0]).toMatchObject({ text, raw: change });
		}
	});

	test('a signature over the text as Latin-1 (the classic connector bug) is not what LivePerson sends: 403', async () => {
		const raw = messages(agentText('Ça va? 😀'));
		const latin1 = livePersonSignature(LIVEPERSON_CLIENT_SECRET, Buffer.from(raw, 'latin1'));
		const result = await deliver(raw, { headers: { 'x-liveperson-signature': latin1 } });
		expect(result.status).toBe(403);
	});

	describe('tokens-mode credential: the signature key is its Webhook Client Secret', () => {
		const tokens = (webhookSecret?: string) =>
			({
				accountId: LIVEPERSON_ACCOUNT_ID,
				authMode: 'tokens',
				appToken: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIzMTQ4Nzk4NiJ9.c2ln',
				consumerToken: 'eyJhbGciOiJSUzI1NiJ9.eyJhY2NvdW50X2lkIjoiMzE0ODc5ODYifQ.c2ln',
				...(webhookSecret === undefined ? {} : { webhookSecret }),
			}) as ICredentialDataDecryptedObject;

		test('signed with webhookSecret → accepted', async () => {
			const result = await deliver(messages(agentText('Hi')), { credential: tokens(TOKENS_WEBHOOK_SECRET), secret: TOKENS_WEBHOOK_SECRET, algorithm: 'sha256' });
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ received: true });
			expect(result.items?.[0]).toHaveLength(1);
		});

		test('signed with the app client secret → 403 (not the key in tokens mode)', async () => {
			const result = await deliver(messages(agentText('Hi')), { credential: tokens(TOKENS_WEBHOOK_SECRET) });
			expect(result.status).toBe(403);
			expect(result.json).toEqual({ error: 'Wrong signature' });
			expect(result.items).toBeUndefined();
		});

		test('no webhookSecret in the credential → 403 saying so, never accepted', async () => {
			const result = await deliver(messages(agentText('Hi')), { credential: tokens(), secret: '' });
			expect(result.status).toBe(403);
			expect(result.json).toEqual({ error: 'The trigger has no secret configured in its credential' });
			expect(result.items).toBeUndefined();
		});
	});

	test.each([
		['sha512= (a valid HMAC-SHA512)', (raw: string) => `sha512=${createHmac('sha512', LIVEPERSON_CLIENT_SECRET).update(raw).digest('base64')}`],
		['md5=', () => 'md5=0123456789abcdef0123456789abcdef'],
		['no algorithm prefix (a bare sha1 digest)', (raw: string) => livePersonSignature(LIVEPERSON_CLIENT_SECRET, raw).slice('sha1='.length)],
	])('an unknown algorithm prefix: %s → 403, no execution', async (_, sign) => {
		const raw = messages(agentText('Hi'));
		const result = await deliver(raw, { headers: { 'x-liveperson-signature': sign(raw) } });
		expect(result.status).toBe(403);
		expect(result.json).toEqual({ error: 'Unsupported signature format (expected sha1= or sha256=)' });
		expect(result.items).toBeUndefined();
	});
});

describe('account header (x-liveperson-account-id)', () => {
	test('missing → 401, no execution', async () => {
		const { webhook, run } = await deliverAndRun(messages(agentText('Hi')), { headers: { 'x-liveperson-account-id': null } });
		expect(webhook.status).toBe(401);
		expect(webhook.json).toEqual({ error: 'Missing x-liveperson-account-id' });
		expect(webhook.items).toBeUndefined();
		expect(run).toBeUndefined();
	});

	test('another account (correctly signed) → 403, no execution', async () => {
		const { webhook, run } = await deliverAndRun(messages(agentText('Hi')), { headers: { 'x-liveperson-account-id': LIVEPERSON_SECOND_ACCOUNT_ID } });
		expect(webhook.status).toBe(403);
		expect(webhook.json).toEqual({ error: 'The delivery is for another LivePerson account' });
		expect(webhook.items).toBeUndefined();
		expect(run).toBeUndefined();
	});

	test('another Connector App (x-liveperson-client-id, correctly signed) → 403, no execution', async () => {
		const { webhook, run } = await deliverAndRun(messages(agentText('Hi')), { headers: { 'x-liveperson-client-id': 'another-app-client-id' } });
		expect(webhook.status).toBe(403);
		expect(webhook.json).toEqual({ error: 'The delivery is for another Connector App' });
		expect(run).toBeUndefined();
	});
});

describe('malformed notifications', () => {
	test('an unknown notification type → 400 with the reason', async () => {
		const result = await deliver(notification('ms.SomethingElse', [agentText('Hi')]));
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: 'Unknown notification type "ms.SomethingElse"' });
		expect(result.items).toBeUndefined();
	});

	test('no type at all → 400', async () => {
		const result = await deliver(JSON.stringify({ kind: 'notification', body: { changes: [agentText('Hi')] } }));
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: 'Unknown notification type ""' });
	});

	test.each([
		['no body', { kind: 'notification', type: MESSAGING }],
		['no body.changes', { kind: 'notification', type: MESSAGING, body: { sentTs: 1 } }],
		['body.changes not an array', { kind: 'notification', type: CONVERSATION_CHANGE, body: { changes: { 0: {} } } }],
	])('%s → 400 "Missing body.changes"', async (_, payload) => {
		const result = await deliver(JSON.stringify(payload));
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: 'Missing body.changes' });
		expect(result.items).toBeUndefined();
	});

	test('malformed JSON is refused by n8n itself (422) before the trigger runs', async () => {
		const result = await deliver('{"kind":"notification","body":{"changes":[');
		expect(result.status).toBe(422);
		expect(result.json).toMatchObject({ code: 422, message: 'Failed to parse request body' });
		expect(typeof result.json.hint).toBe('string');
		expect(result.items).toBeUndefined();
		expect(result.webhookError).toBeUndefined();
	});

	test('an empty changes[] → 200 skipped, no execution', async () => {
		const result = await deliver(messages());
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: true, skipped: 'no changes' });
		expect(result.items).toBeUndefined();
	});

	test('the signature is checked before the payload is read', async () => {
		const result = await deliver(notification('ms.SomethingElse', []), { headers: { 'x-liveperson-signature': null } });
		expect(result.status).toBe(401);
	});
});

describe('changes[]: one item per change, normalized', () => {
	test('three agent messages in one notification → three items, in order', async () => {
		const changes = ['One', 'Two', 'Three'].map((text) => agentText(text));
		const result = await deliver(messages(...changes));
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: true });
		expect(result.items).toHaveLength(1);
		expect(jsonOf(result)).toEqual([agentEvent(changes[0], 'One'), agentEvent(changes[1], 'Two'), agentEvent(changes[2], 'Three')]);
		const sequences = changes.map((change) => change.sequence as number);
		expect(sequences).toEqual([sequences[0], sequences[0] + 1, sequences[0] + 2]);
	});

	test('the execution starts with those items (runWebhookWorkflow)', async () => {
		const changes = ['One', 'Two'].map((text) => agentText(text));
		const { webhook, run } = await deliverAndRun(messages(...changes));
		expect(webhook.json).toEqual({ received: true });
		expect(run?.status).toBe('success');
		expect(run!.output('LivePerson Trigger').map((item) => item.json)).toEqual([agentEvent(changes[0], 'One'), agentEvent(changes[1], 'Two')]);
	});

	test('ContentEvent text/plain → messageType text', async () => {
		const change = agentText('Your order has shipped.');
		const [event] = jsonOf(await deliver(messages(change)));
		expect(event).toEqual(agentEvent(change, 'Your order has shipped.'));
	});

	test('ContentEvent hosted/file → messageType file, the caption as text', async () => {
		const message = { caption: 'invoice.png', relativePath: `/v1/AUTH_async-images/${LIVEPERSON_ACCOUNT_ID}/abc_uuid_x.PNG`, fileType: 'PNG' };
		const change = lp.recordAgentEvent(conversationId, { type: 'ContentEvent', contentType: 'hosted/file', message });
		const [event] = jsonOf(await deliver(messages(change)));
		expect(event).toEqual(agentEvent(change, 'invoice.png', { messageType: 'file' }));
	});

	test.each([
		['COMPOSING', 'typing_started'],
		['PAUSE', 'typing_stopped'],
	])('ChatStateEvent %s → %s (no sequence: no messageId, no createdAt)', async (state, messageType) => {
		const change = lp.recordAgentEvent(conversationId, { type: 'ChatStateEvent', chatState: state });
		expect(change.sequence).toBeUndefined();
		const result = await deliver(messages(change), { parameters: { events: ['chatState'] } });
		expect(result.status).toBe(200);
		expect(jsonOf(result)).toEqual([
			{
				provider: 'liveperson',
				event: `${MESSAGING}.ChatStateEvent`,
				conversationId,
				messageId: null,
				text: state,
				messageType,
				sender: { type: 'agent', id: LIVEPERSON_AGENTS.agent.id, name: null },
				createdAt: null,
				raw: change,
				consumerId: null,
				sessionId: `liveperson:${conversationId}`,
			},
		]);
	});

	test('ChatStateEvent is not emitted by the default events (content + conversation changes)', async () => {
		const result = await deliver(messages(lp.recordAgentEvent(conversationId, { type: 'ChatStateEvent', chatState: 'COMPOSING' })));
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
		expect(result.items).toBeUndefined();
	});

	test('AcceptStatusEvent → receipt, the status as text', async () => {
		const change = lp.recordAgentEvent(conversationId, { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [0] });
		const [event] = jsonOf(await deliver(messages(change), { parameters: { events: ['acceptStatus'] } }));
		expect(event).toEqual(agentEvent(change, 'READ', { event: `${MESSAGING}.AcceptStatusEvent`, messageType: 'receipt' }));
	});

	test('RichContentEvent → rich_content, the structure in raw', async () => {
		const content = { type: 'vertical', elements: [{ type: 'text', text: 'Choose one' }, { type: 'button', title: 'Track order' }] };
		const change = lp.recordAgentEvent(conversationId, { type: 'RichContentEvent', content });
		const [event] = jsonOf(await deliver(messages(change), { parameters: { events: ['richContent'] } }));
		expect(event).toEqual(agentEvent(change, null, { event: `${MESSAGING}.RichContentEvent`, messageType: 'rich_content' }));
		expect((event.raw as IDataObject).event).toEqual({ type: 'RichContentEvent', content });
	});

	test('cqm change, state CLOSE and closeReason AGENT → conversation_closed, text AGENT', async () => {
		const change = closedChange('AGENT');
		const result = await deliver(notification(CONVERSATION_CHANGE, [change]));
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: true });
		const details = (change.result as IDataObject).conversationDetails as IDataObject;
		expect(details).toMatchObject({ state: 'CLOSE', stage: 'CLOSE', closeReason: 'AGENT' });
		expect(jsonOf(result)).toEqual([
			{
				provider: 'liveperson',
				event: CONVERSATION_CHANGE,
				conversationId,
				messageId: null,
				text: 'AGENT',
				messageType: 'conversation_closed',
				sender: { type: null, id: null, name: null },
				createdAt: iso(details.metaDataLastUpdateTs),
				raw: change,
				consumerId: null,
				sessionId: `liveperson:${conversationId}`,
			},
		]);
	});

	test('cqm change, state OPEN → conversation_changed, no text', async () => {
		const change = lp.conversationChangeOf(conversationId);
		const [event] = jsonOf(await deliver(notification(CONVERSATION_CHANGE, [change])));
		expect(event).toMatchObject({ event: CONVERSATION_CHANGE, conversationId, messageType: 'conversation_changed', text: null, raw: change });
	});

	test('a legacy message with only dialogId → conversationId = dialogId', async () => {
		const change = agentText('Legacy hello', { legacy: true });
		expect(change.conversationId).toBeUndefined();
		expect(change.messageAudience).toBeUndefined();
		const [event] = jsonOf(await deliver(messages(change)));
		expect(event).toMatchObject({ conversationId: change.dialogId, messageId: `${change.dialogId as string}:${change.sequence as number}`, text: 'Legacy hello' });
	});
});

describe('filters', () => {
	test('only unselected events → 200 {"received":true,"skipped":…}, no execution', async () => {
		const { webhook, run } = await deliverAndRun(messages(agentText('Hi')), { parameters: { events: ['conversationChange'] } });
		expect(webhook.status).toBe(200);
		expect(webhook.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
		expect(webhook.items).toBeUndefined();
		expect(run).toBeUndefined();
	});

	test('a notification mixing a selected and an unselected change → only the selected one', async () => {
		const typing = lp.recordAgentEvent(conversationId, { type: 'ChatStateEvent', chatState: 'COMPOSING' });
		const text = agentText('Here you go');
		expect(jsonOf(await deliver(messages(typing, text))).map((event) => event.messageType)).toEqual(['text']);
	});

	describe('consumer echoes (originatorMetadata.role CONSUMER)', () => {
		const echo = () => agentText('what the connector sent', { agent: { id: consumerLpId }, role: 'CONSUMER' });

		test('skipped by default: 200, no execution', async () => {
			const result = await deliver(messages(echo()));
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
			expect(result.items).toBeUndefined();
		});

		test('emitted with skipConsumerEvents: false, as sender type customer', async () => {
			const change = echo();
			const [event] = jsonOf(await deliver(messages(change), { parameters: { skipConsumerEvents: false } }));
			expect(event).toEqual(agentEvent(change, 'what the connector sent', { sender: { type: 'customer', id: consumerLpId, name: null } }));
		});

		test('a manager, a bot and the Controller Bot are not echoes', async () => {
			const changes = [
				agentText('manager', { agent: LIVEPERSON_AGENTS.manager }),
				agentText('bot', { agent: LIVEPERSON_AGENTS.bot }),
				agentText('controller', { agent: LIVEPERSON_AGENTS.controller }),
			];
			const events = jsonOf(await deliver(messages(...changes)));
			expect(events.map((event) => [event.text, (event.sender as IDataObject).type])).toEqual([
				['manager', 'agent'],
				['bot', 'agent'],
				['controller', 'system'],
			]);
		});
	});

	describe('internal notes (messageAudience AGENTS_AND_MANAGERS)', () => {
		const note = () => agentText('internal: VIP customer', { agent: LIVEPERSON_AGENTS.manager, audience: 'AGENTS_AND_MANAGERS' });

		test('skipped by default, beside a message for the customer that passes', async () => {
			const forCustomer = agentText('Hello!');
			const result = await deliver(messages(note(), forCustomer));
			expect(jsonOf(result)).toEqual([agentEvent(forCustomer, 'Hello!')]);
		});

		test('alone: 200, no execution', async () => {
			const result = await deliver(messages(note()));
			expect(result.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
			expect(result.items).toBeUndefined();
		});

		test('emitted with skipInternalNotes: false', async () => {
			const change = note();
			const [event] = jsonOf(await deliver(messages(change), { parameters: { skipInternalNotes: false } }));
			expect(event).toMatchObject({ text: 'internal: VIP customer', raw: { messageAudience: 'AGENTS_AND_MANAGERS' } });
		});
	});

	describe('onlyOwnConversations (the workflow’s livePersonConsumers)', () => {
		let otherConversation: string;
		beforeEach(() => {
			otherConversation = lp.startConversation('someone-else').conversationId;
		});
		const ownData = () => ({ global: { livePersonConsumers: { [conversationId]: 'digishare:conv-1' } } });

		test('a conversation the workflow did not open → skipped, no execution', async () => {
			const { webhook, run } = await deliverAndRun(messages(agentText('Not yours', {}, otherConversation)), {
				parameters: { onlyOwnConversations: true },
				staticData: ownData(),
			});
			expect(webhook.status).toBe(200);
			expect(webhook.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
			expect(run).toBeUndefined();
		});

		test('its own conversation passes and carries the consumerId; in a mixed notification only that one', async () => {
			const own = agentText('Yours');
			const result = await deliver(messages(agentText('Not yours', {}, otherConversation), own), {
				parameters: { onlyOwnConversations: true },
				staticData: ownData(),
			});
			expect(jsonOf(result)).toEqual([agentEvent(own, 'Yours', { consumerId: 'digishare:conv-1' })]);
		});

		test('its own conversation closed → conversation_closed with the consumerId', async () => {
			const [event] = jsonOf(
				await deliver(notification(CONVERSATION_CHANGE, [closedChange('CONSUMER')]), { parameters: { onlyOwnConversations: true }, staticData: ownData() }),
			);
			expect(event).toMatchObject({ conversationId, messageType: 'conversation_closed', text: 'CONSUMER', consumerId: 'digishare:conv-1' });
		});

		test('off (default): every conversation passes; consumerId set where known, null elsewhere', async () => {
			const events = jsonOf(await deliver(messages(agentText('A', {}, otherConversation), agentText('B')), { staticData: ownData() }));
			expect(events.map((event) => [event.text, event.consumerId])).toEqual([
				['A', null],
				['B', 'digishare:conv-1'],
			]);
		});

		test('no livePersonConsumers at all → everything skipped', async () => {
			const result = await deliver(messages(agentText('Hi')), { parameters: { onlyOwnConversations: true } });
			expect(result.items).toBeUndefined();
		});
	});
});

describe('redelivery', () => {
	test('the same notification posted twice → the second is answered skipped, no items', async () => {
		const raw = messages(agentText('Only once'));
		const first = await deliver(raw);
		const again = await deliver(raw);
		expect(first.items?.[0]).toHaveLength(1);
		expect(again.status).toBe(200);
		expect(again.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
		expect(again.items).toBeUndefined();
	});

	test('a retry with a new sentTs (other bytes, same change) is still a duplicate', async () => {
		const change = agentText('Only once');
		await deliver(notification(MESSAGING, [change], 1));
		const retry = await deliver(notification(MESSAGING, [change], 2));
		expect(retry.items).toBeUndefined();
	});

	test('two changes, one seen before → one item, the new one', async () => {
		const seen = agentText('first');
		await deliver(messages(seen));
		const fresh = agentText('second');
		const result = await deliver(messages(seen, fresh));
		expect(result.json).toEqual({ received: true });
		expect(jsonOf(result)).toEqual([agentEvent(fresh, 'second')]);
	});

	test('chat-state changes (no sequence) are not deduplicated', async () => {
		const raw = messages(lp.recordAgentEvent(conversationId, { type: 'ChatStateEvent', chatState: 'COMPOSING' }));
		const parameters = { events: ['chatState'] };
		const first = await deliver(raw, { parameters });
		const again = await deliver(raw, { parameters });
		expect(first.items?.[0]).toHaveLength(1);
		expect(again.items?.[0]).toHaveLength(1);
	});

	test('conversation changes dedupe by convId + metaDataLastUpdateTs', async () => {
		const open = lp.conversationChangeOf(conversationId);
		const first = await deliver(notification(CONVERSATION_CHANGE, [open]));
		const again = await deliver(notification(CONVERSATION_CHANGE, [open], 99));
		const closed = await deliver(notification(CONVERSATION_CHANGE, [closedChange()]));
		expect(first.items?.[0]).toHaveLength(1);
		expect(again.items).toBeUndefined();
		expect(again.json).toEqual({ received: true, skipped: DUPLICATE_OR_UNSELECTED });
		expect(jsonOf(closed).map((event) => event.messageType)).toEqual(['conversation_closed']);
	});

	test('the same sequence in another conversation is another message', async () => {
		const other = lp.startConversation('someone-else').conversationId;
		const a = agentText('A');
		const b = agentText('B', {}, other);
		expect(a.sequence).toBe(b.sequence);
		expect((await deliver(messages(a))).items?.[0]).toHaveLength(1);
		expect((await deliver(messages(b))).items?.[0]).toHaveLength(1);
	});

	test('a redelivery to another n8n process (memory empty) starts an execution that stops at its first step', async () => {
		const raw = messages(agentText('Only once'));
		const first = await deliverAndRun(raw);
		expect(first.run!.output('LivePerson Trigger')).toHaveLength(1);
		forgetDeliveriesSeenInThisProcess();
		const elsewhere = await deliverAndRun(raw);
		expect(elsewhere.webhook.json).toEqual({ received: true });
		expect(elsewhere.run?.status).toBe('success');
		expect(elsewhere.run!.output('LivePerson Trigger')).toEqual([]);
	});
});

describe('carried to the execution', () => {
	test('each item has the hidden livechatBridge property with its own deliveryKey; the static data rides on the first item only', async () => {
		const a = agentText('A');
		const b = agentText('B');
		const typing = lp.recordAgentEvent(conversationId, { type: 'ChatStateEvent', chatState: 'COMPOSING' });
		const staticData = { global: { livePersonConsumers: { [conversationId]: 'digishare:conv-1' } } };
		const result = await deliver(messages(a, typing, b), { parameters: { events: ['content', 'chatState'] }, staticData });
		const items = result.items![0];
		expect(items.map((item) => Object.keys(item).sort())).toEqual([
			['json', 'livechatBridge'],
			['json', 'livechatBridge'],
			['json', 'livechatBridge'],
		]);
		expect(items.map((item) => item.livechatBridge)).toEqual([
			{ deliveryKey: `message:${conversationId}:${a.sequence as number}`, staticData: staticData.global },
			{},
			{ deliveryKey: `message:${conversationId}:${b.sequence as number}` },
		]);
	});

	test('a conversation change is keyed by convId + metaDataLastUpdateTs + change type', async () => {
		const change = lp.conversationChangeOf(conversationId);
		const ts = ((change.result as IDataObject).conversationDetails as IDataObject).metaDataLastUpdateTs as number;
		const [item] = (await deliver(notification(CONVERSATION_CHANGE, [change]))).items![0];
		expect(item.livechatBridge).toEqual({ deliveryKey: `conversation:${conversationId}:${ts}:UPSERT` });
	});
});

describe('activation', () => {
	test('create, checkExists and delete all return true: nothing is registered at LivePerson', async () => {
		for (const method of ['create', 'checkExists', 'delete'] as const) {
			const { result } = await runWebhookMethod({ nodeType: trigger, method, node: { id: TRIGGER_NODE_ID, parameters: {} } });
			expect(result).toBe(true);
		}
	});
});
