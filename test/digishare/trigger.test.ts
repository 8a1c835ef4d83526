/**
 * Digishare Trigger: the HTTP answer Digishare gets and the items the workflow receives, for every
 * event, filter, authentication mode, duplicate delivery and malformed input.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { DigishareTrigger } from '../../nodes/Digishare/DigishareTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { forgetWebhookCredentials } from '../../nodes/shared/webhook/credentials';
import { callWebhook, runWebhookMethod } from '../harness';
import { credentialTypes } from './fixtures';

const trigger = new DigishareTrigger();

const newConversation = {
	event: 'live_chat.new_conversation',
	data: { id: '6934k9qq5orl5vrx', data: { created_at: '2025-12-03T12:28:50.000000Z', third: { id: 'thd00000000000001', name: 'Adil Chbada' } } },
};

function newMessage(overrides: IDataObject = {}, id = 'msg0000000000001') {
	return {
		event: 'live_chat.new_message',
		data: {
			id,
			data: {
				conversation_id: '6934k9qq5orl5vrx',
				body: '/info',
				sender: { model_type: 'third', name: 'Adil Chbada' },
				...overrides,
			},
		},
	};
}

const archived = {
	event: 'live_chat.conversation_archived',
	data: { conversation_id: '6934k9qq5orl5vrx', archived_at: '2025-12-04T08:00:00Z', archived_by: { type: 'user', id: 'u7k2m9p4q1w8e5r3' } },
};

const SECRET = 'wh-secret-0123456789';

interface DeliverOptions {
	parameters?: IDataObject;
	headers?: Record<string, string>;
	body?: string | Buffer | object;
	staticData?: IDataObject;
	credential?: IDataObject;
	nodeId?: string;
}

const TRIGGER_NODE_ID = '3e0f6d1a-7b2c-4d5e-9f60-1a2b3c4d5e6f';

// Every test starts as a fresh n8n process: no delivery seen yet.
beforeEach(() => forgetDeliveriesSeenInThisProcess());

async function deliver(payload: unknown, options: DeliverOptions = {}) {
	const parameters: IDataObject = { events: ['live_chat.new_conversation', 'live_chat.new_message'], ...options.parameters };
	const usesCredential = parameters.authentication && parameters.authentication !== 'none';
	return await callWebhook({
		nodeType: trigger,
		credentialTypes,
		credentials: usesCredential
			? { digishareWebhookApi: { wh1: { headerName: 'X-Digishare-Secret', username: 'digishare', secret: SECRET, ...options.credential } } }
			: undefined,
		node: {
			id: options.nodeId ?? TRIGGER_NODE_ID,
			name: 'Digishare Trigger',
			parameters: parameters as INodeParameters,
			...(usesCredential ? { credentials: { digishareWebhookApi: { id: 'wh1', name: 'Webhook secret' } } } : {}),
		},
		staticData: options.staticData,
		request: {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...options.headers },
			body: options.body ?? JSON.stringify(payload),
		},
	});
}

describe('events', () => {
	test('seed new conversation → one normalized item', async () => {
		const result = await deliver(newConversation);
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: true });
		expect(result.items).toHaveLength(1);
		expect(result.items![0]).toHaveLength(1);
		expect(result.items![0][0].json).toEqual({
			provider: 'digishare',
			event: 'live_chat.new_conversation',
			conversationId: '6934k9qq5orl5vrx',
			messageId: null,
			text: null,
			messageType: null,
			sender: { type: 'customer', id: 'thd00000000000001', name: 'Adil Chbada' },
			createdAt: '2025-12-03T12:28:50.000000Z',
			raw: newConversation,
			sessionId: 'digishare:6934k9qq5orl5vrx',
		});
	});

	test('seed customer message → normalized text message', async () => {
		const payload = newMessage();
		const result = await deliver(payload);
		expect(result.status).toBe(200);
		expect(result.items![0][0].json).toEqual({
			provider: 'digishare',
			event: 'live_chat.new_message',
			conversationId: '6934k9qq5orl5vrx',
			messageId: 'msg0000000000001',
			text: '/info',
			messageType: 'text',
			sender: { type: 'customer', id: null, name: 'Adil Chbada' },
			createdAt: null,
			raw: payload,
			sessionId: 'digishare:6934k9qq5orl5vrx',
			chatInput: '/info',
		});
	});

	test('Arabic text survives byte for byte', async () => {
		const text = 'أريد التحدث إلى موظف من فضلك';
		const result = await deliver(newMessage({ body: text, created_at: '2025-12-03T12:30:00.000000Z' }));
		expect(result.items![0][0].json.text).toBe(text);
		expect(result.items![0][0].json.createdAt).toBe('2025-12-03T12:30:00.000000Z');
	});

	test('button reply: text is the chosen title, type interactive', async () => {
		const result = await deliver(
			newMessage({ type: 'interactive', body: { type: 'button_reply', button_reply: { id: 'human', title: 'Talk to a human' } } }),
		);
		expect(result.items![0][0].json).toMatchObject({ messageType: 'interactive', text: 'Talk to a human' });
	});

	test('location: text is the place name', async () => {
		const result = await deliver(newMessage({ type: 'location', body: { latitude: 33.57, longitude: -7.59, name: 'Twin Center' } }));
		expect(result.items![0][0].json).toMatchObject({ messageType: 'location', text: 'Twin Center' });
	});

	test('conversation archived, when selected', async () => {
		const result = await deliver(archived, { parameters: { events: ['live_chat.conversation_archived'] } });
		expect(result.status).toBe(200);
		expect(result.items![0][0].json).toMatchObject({
			event: 'live_chat.conversation_archived',
			conversationId: '6934k9qq5orl5vrx',
			createdAt: '2025-12-04T08:00:00Z',
			sender: { type: 'agent', id: 'u7k2m9p4q1w8e5r3', name: null },
		});
	});

	test('contact created, also under its alternative name third_party.contact_created', async () => {
		const parameters = { events: ['third.created'] };
		const a = await deliver({ event: 'third.created', data: { id: 'thd1', name: 'Sara' } }, { parameters });
		const b = await deliver({ event: 'third_party.contact_created', data: { id: 'thd2', name: 'Omar' } }, { parameters });
		expect(a.items![0][0].json).toMatchObject({ event: 'third.created', messageId: 'thd1', conversationId: null });
		expect(b.items![0][0].json).toMatchObject({ event: 'third.created', messageId: 'thd2' });
	});

	test.each([
		['no data at all', { event: 'third.created', data: {} }, 'third.created'],
		['a blank ID', { event: 'third.created', data: { id: '  ', name: 'Sara' } }, 'third.created'],
		['a ticket without ID', { event: 'ticket.updated', data: { status: 'closed' } }, 'ticket.updated'],
	])('a contact or ticket event with %s → 400 naming data.id, no execution', async (_, payload, event) => {
		const result = await deliver(payload, { parameters: { events: [event] } });
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: `Invalid ${event} payload: data.id: is missing (a non-empty contact or ticket ID is required)` });
		expect(result.items).toBeUndefined();
	});

	test('a contact event with its ID nested (data.data.id) passes', async () => {
		const result = await deliver({ event: 'third.updated', data: { data: { id: 'thd9' } } }, { parameters: { events: ['third.updated'] } });
		expect(result.status).toBe(200);
		expect(result.items).toHaveLength(1);
	});

	test('ticket event', async () => {
		const result = await deliver({ event: 'ticket.updated', data: { id: 'tk1', status: 'closed' } }, { parameters: { events: ['ticket.updated'] } });
		expect(result.items![0][0].json).toMatchObject({ event: 'ticket.updated', messageId: 'tk1' });
	});

	test('an event named like an Object property ("constructor") is just an unknown event: 200 not selected', async () => {
		const result = await deliver({ event: 'constructor', data: {} });
		expect(result.json).toEqual({ received: true, skipped: 'event constructor is not selected' });
		expect(result.items).toBeUndefined();
	});

	test('an event that is not selected: 200, no execution', async () => {
		const result = await deliver(archived);
		expect(result.status).toBe(200);
		expect(result.items).toBeUndefined();
		expect(result.json).toEqual({ received: true, skipped: 'event live_chat.conversation_archived is not selected' });
	});
});

describe('filters', () => {
	test.each([
		['an agent message', { sender: { model_type: 'user', name: 'Agent' }, send_to_third: true }],
		['a system message', { sender: { model_type: 'system' } }],
		['a bot message (system: true, no sender)', { system: true, sender: null }],
		['the echo of our own API reply (send_to_third: true)', { sender: null, send_to_third: true }],
		['send_to_third given as 1', { send_to_third: 1 }],
	])('customer messages only (default) skips %s with 200 and no execution', async (_, overrides) => {
		const result = await deliver(newMessage(overrides));
		expect(result.status).toBe(200);
		expect(result.items).toBeUndefined();
		expect(result.json).toEqual({ received: true, skipped: 'not a customer message' });
	});

	test('with the filter off, an agent message goes through as sender type agent', async () => {
		const result = await deliver(newMessage({ sender: { model_type: 'user', model_id: 'u1', name: 'Agent' }, send_to_third: true }), {
			parameters: { customerMessagesOnly: false },
		});
		expect(result.items![0][0].json.sender).toEqual({ type: 'agent', id: 'u1', name: 'Agent' });
	});

	test('explicit customer flags (send_to_third false, system false) pass', async () => {
		const result = await deliver(newMessage({ send_to_third: false, system: false }));
		expect(result.items).toHaveLength(1);
	});

	test('message type filter', async () => {
		const parameters = { messageTypes: ['interactive'] };
		const text = await deliver(newMessage(), { parameters });
		expect(text.items).toBeUndefined();
		expect(text.json).toEqual({ received: true, skipped: 'message type text is not selected' });
		const reply = await deliver(
			newMessage({ type: 'interactive', body: { type: 'button_reply', button_reply: { id: 'a', title: 'A' } } }),
			{ parameters },
		);
		expect(reply.items).toHaveLength(1);
	});
});

describe('authentication', () => {
	const header = { authentication: 'headerAuth' };
	const bearer = { authentication: 'bearerAuth' };
	const basic = { authentication: 'basicAuth' };
	const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

	test.each([
		['header secret', header, { 'x-digishare-secret': SECRET }],
		['bearer token', bearer, { authorization: `Bearer ${SECRET}` }],
		['basic auth', basic, { authorization: basicOf('digishare', SECRET) }],
	])('%s: the right secret starts the workflow', async (_, parameters, headers) => {
		const result = await deliver(newMessage(), { parameters, headers });
		expect(result.status).toBe(200);
		expect(result.items).toHaveLength(1);
	});

	test('the credential is decrypted once per 30 s per process: a secret changed in n8n applies within that time', async () => {
		const first = await deliver(newMessage({}, 'msg-ttl-1'), { parameters: header, headers: { 'x-digishare-secret': SECRET } });
		expect(first.status).toBe(200);
		// the credential now holds another secret; this process still checks the one it read
		const rotated = { credential: { secret: 'rotated-secret-0123456789' } };
		const cached = await deliver(newMessage({}, 'msg-ttl-2'), { parameters: header, headers: { 'x-digishare-secret': SECRET }, ...rotated });
		expect(cached.status).toBe(200);
		forgetWebhookCredentials(); // 30 s later (or another process)
		const old = await deliver(newMessage({}, 'msg-ttl-3'), { parameters: header, headers: { 'x-digishare-secret': SECRET }, ...rotated });
		expect(old.status).toBe(403);
		const fresh = await deliver(newMessage({}, 'msg-ttl-4'), { parameters: header, headers: { 'x-digishare-secret': 'rotated-secret-0123456789' }, ...rotated });
		expect(fresh.status).toBe(200);
	});

	test.each([
		['header secret, header missing', header, {}, 401, 'Missing header X-Digishare-Secret'],
		['header secret, wrong value', header, { 'x-digishare-secret': 'nope' }, 403, 'Wrong value in header X-Digishare-Secret'],
		['bearer, missing', bearer, {}, 401, 'Missing bearer token'],
		['bearer, wrong', bearer, { authorization: 'Bearer nope' }, 403, 'Wrong bearer token'],
		['basic, missing', basic, {}, 401, 'Missing basic authentication'],
		['basic, wrong password', basic, { authorization: basicOf('digishare', 'nope') }, 403, 'Wrong username or password'],
		['basic, wrong user', basic, { authorization: basicOf('someone', SECRET) }, 403, 'Wrong username or password'],
		['header secret, secret as a prefix', header, { 'x-digishare-secret': SECRET.slice(0, -1) }, 403, 'Wrong value in header X-Digishare-Secret'],
	])('%s → %s, no execution, no secret in the answer', async (_, parameters, headers, status, reason) => {
		const result = await deliver(newMessage(), { parameters, headers });
		expect(result.status).toBe(status);
		expect(result.json).toEqual({ error: reason });
		expect(result.items).toBeUndefined();
		expect(result.body).not.toContain(SECRET);
	});

	test('a custom header name from the credential', async () => {
		const result = await deliver(newMessage(), {
			parameters: header,
			credential: { headerName: 'X-My-Hook' },
			headers: { 'x-my-hook': SECRET },
		});
		expect(result.items).toHaveLength(1);
	});

	test('authentication is checked before the payload is validated', async () => {
		const result = await deliver({ event: 'live_chat.new_message' }, { parameters: bearer });
		expect(result.status).toBe(401);
		expect(result.json).toEqual({ error: 'Missing bearer token' });
	});
});

describe('malformed input', () => {
	test('malformed JSON is refused by n8n itself (422 with the parser reason) before the trigger runs', async () => {
		const result = await deliver(undefined, { body: '{"event": "live_chat.new_message", "data": ' });
		expect(result.status).toBe(422);
		expect(result.json).toMatchObject({ code: 422, message: 'Failed to parse request body' });
		expect(typeof result.json.hint).toBe('string');
		expect(result.items).toBeUndefined();
	});

	test('an empty body → 400 with the reason', async () => {
		const result = await deliver(undefined, { body: '' });
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: 'The body must be a JSON object' });
	});

	test('wrong content type → 400 naming it', async () => {
		const result = await deliver(undefined, { body: 'event=live_chat.new_message', headers: { 'content-type': 'text/plain' } });
		expect(result.status).toBe(400);
		expect(result.json).toEqual({
			error: 'Unsupported Content-Type "text/plain": Digishare webhooks must be sent as application/json',
		});
	});

	test.each([
		['a JSON array', [], 'The body must be a JSON object'],
		['no event', { data: {} }, 'Missing "event"'],
		['no data', { event: 'live_chat.new_message' }, 'Missing "data" object'],
		['a new message without data.id', { event: 'live_chat.new_message', data: { data: { body: 'hi' } } }, 'Invalid live_chat.new_message payload: data.id: is missing (a non-empty ID is required)'],
		['a new conversation without data.id', { event: 'live_chat.new_conversation', data: { data: {} } }, 'Invalid live_chat.new_conversation payload: data.id: is missing (a non-empty ID is required)'],
	])('%s → 400 with the reason', async (_, payload, reason) => {
		const result = await deliver(payload);
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ error: reason });
	});
});

describe('redelivery, within one n8n process (webhook time)', () => {
	test('the same message delivered twice starts one execution; another message starts its own', async () => {
		const first = await deliver(newMessage());
		const again = await deliver(newMessage());
		const other = await deliver(newMessage({}, 'msg0000000000002'));
		expect(first.items).toHaveLength(1);
		expect(again.status).toBe(200);
		expect(again.items).toBeUndefined();
		expect(again.json).toEqual({ received: true, skipped: 'duplicate delivery' });
		expect(other.items).toHaveLength(1);
	});

	test('the emitted item carries its delivery key to the execution, beside the normalized event', async () => {
		const first = await deliver(newMessage({}, 'carried-1'));
		const [[item]] = first.items!;
		expect(Object.keys(item).sort()).toEqual(['json', 'livechatBridge']);
		expect(item.livechatBridge).toEqual({ deliveryKey: 'live_chat.new_message:carried-1' });
	});

	test('memory is bounded: after 500 other deliveries the first one is forgotten', async () => {
		await deliver(newMessage({}, 'first'));
		for (let n = 0; n < 499; n++) await deliver(newMessage({}, `m${n}`));
		expect((await deliver(newMessage({}, 'first'))).items).toBeUndefined();
		await deliver(newMessage({}, 'm499'));
		expect((await deliver(newMessage({}, 'first'))).items).toHaveLength(1);
	}, 120000);

	test('another trigger node (another workflow, or a second trigger) keeps its own keys', async () => {
		expect((await deliver(newMessage({}, 'shared-id'))).items).toHaveLength(1);
		expect((await deliver(newMessage({}, 'shared-id'), { nodeId: 'another-trigger-node' })).items).toHaveLength(1);
	});

	test('no static data is written at webhook time (n8n 2.41 would drop it anyway)', async () => {
		const staticData: IDataObject = {};
		await deliver(newMessage({}, 'static-1'), { staticData });
		expect(staticData).toEqual({});
	});

	test('two updates of the same contact are different deliveries', async () => {
		const parameters = { events: ['third.updated'] };
		const a = await deliver({ event: 'third.updated', data: { id: 'thd1', email: 'a@x.io' } }, { parameters });
		const b = await deliver({ event: 'third.updated', data: { id: 'thd1', email: 'b@x.io' } }, { parameters });
		const c = await deliver({ event: 'third.updated', data: { id: 'thd1', email: 'b@x.io' } }, { parameters });
		expect([a.items?.length, b.items?.length, c.items?.length]).toEqual([1, 1, undefined]);
	});
});

describe('lifecycle', () => {
	test('activation needs nothing registered remotely', async () => {
		for (const method of ['checkExists', 'create', 'delete'] as const) {
			const { result } = await runWebhookMethod({ nodeType: trigger, method, node: { parameters: { events: ['live_chat.new_message'] } } });
			expect(result).toBe(true);
		}
	});
});

describe("what n8n's AI Agent reads by default (sessionId, chatInput)", () => {
	test('one session per conversation, and per provider: two conversations never share one', async () => {
		const first = await deliver(newMessage({ conversation_id: 'conv-a', body: 'Hi' }, 'ai-1'));
		const second = await deliver(newMessage({ conversation_id: 'conv-b', body: 'Hello' }, 'ai-2'));
		expect(first.items![0][0].json).toMatchObject({ sessionId: 'digishare:conv-a', chatInput: 'Hi' });
		expect(second.items![0][0].json).toMatchObject({ sessionId: 'digishare:conv-b', chatInput: 'Hello' });
	});

	test('a button reply is the chosen title; an archived conversation keeps its session and has no chatInput', async () => {
		const reply = await deliver(newMessage({ type: 'interactive', body: { button_reply: { id: 'b1', title: 'Track my order' } } }, 'ai-3'));
		expect(reply.items![0][0].json).toMatchObject({ chatInput: 'Track my order', sessionId: 'digishare:6934k9qq5orl5vrx' });
		const archived = await deliver(
			{ event: 'live_chat.conversation_archived', data: { conversation_id: 'conv-a', archived_at: '2025-12-03T13:00:00Z', archived_by: { type: 'user', id: 7 } } },
			{ parameters: { events: ['live_chat.conversation_archived'] } },
		);
		expect(archived.items![0][0].json.sessionId).toBe('digishare:conv-a');
		expect(archived.items![0][0].json).not.toHaveProperty('chatInput');
	});

	test('contact and ticket events belong to no conversation: neither field', async () => {
		const created = await deliver({ event: 'third.created', data: { id: 'thd-1', name: 'Nora' } }, { parameters: { events: ['third.created'] } });
		expect(created.items![0][0].json).not.toHaveProperty('sessionId');
		expect(created.items![0][0].json).not.toHaveProperty('chatInput');
	});
});
