/**
 * LiveChatAI contract of the sandbox (see /work/shared/providers/livechatai.md and seeds/002_*.txt).
 */
import { rawPost } from './raw-post';
import {
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_AGENT_SLUGS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_CONTACT_IDS,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_DATA_SOURCE_IDS,
	LIVECHATAI_HOURS_ANSWER,
	LIVECHATAI_PERMISSIONS,
	LIVECHATAI_SEED_CONVERSATION_IDS,
	LIVECHATAI_SEED_COUNTS,
	LIVECHATAI_USER_IDS,
	LIVECHATAI_VIEW_IDS,
	livechatAiUserHash,
	Sandbox,
	startSandbox,
} from './index';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.reset());

const SUPPORT = LIVECHATAI_AGENT_IDS.support;
const SALES = LIVECHATAI_AGENT_IDS.sales;

interface Reply {
	status: number;
	headers: Headers;
	body: any;
	text: string;
}

async function call(
	method: string,
	path: string,
	opts: { json?: unknown; raw?: string; contentType?: string; query?: Record<string, string | number>; key?: string | null } = {},
): Promise<Reply> {
	const url = new URL(`${sb.baseUrl('livechatai')}${path}`);
	for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = {};
	if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? LIVECHATAI_API_KEY}`;
	let body: string | undefined;
	if (opts.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(opts.json);
	} else if (opts.raw !== undefined) {
		headers['content-type'] = opts.contentType ?? 'text/plain';
		body = opts.raw;
	}
	const res = await fetch(url, { method, headers, body });
	const text = await res.text();
	let parsed: unknown = text;
	if ((res.headers.get('content-type') ?? '').includes('application/json')) parsed = text ? JSON.parse(text) : undefined;
	return { status: res.status, headers: res.headers, body: parsed, text };
}

const send = (json: Record<string, unknown>): Promise<Reply> => call('POST', '/conversations', { json });

/** Raw HTTP/1.1 POST over a socket; returns the head and the body's chunk frames as sent. */

/** Read a fetch body piece by piece (what a streaming client sees). */
async function readStream(res: Response): Promise<string[]> {
	const reader = (res.body as ReadableStream<Uint8Array>).getReader();
	const decoder = new TextDecoder();
	const pieces: string[] = [];
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		pieces.push(decoder.decode(value, { stream: true }));
	}
	return pieces;
}

function sseData(text: string): string[] {
	return text
		.split('\n\n')
		.filter((e) => e.trim() !== '')
		.map((e) =>
			e
				.split('\n')
				.filter((l) => l.startsWith('data:'))
				.map((l) => l.slice(l.startsWith('data: ') ? 6 : 5))
				.join('\n'),
		);
}

describe('mount, auth and errors', () => {
	it('mounts at /livechatai/api/v2', () => {
		expect(sb.baseUrl('livechatai')).toBe(`${sb.url}/livechatai/api/v2`);
		expect(sb.livechatai.name).toBe('livechatai');
	});

	it('401 without / with a wrong bearer key, scheme case-insensitive', async () => {
		const expected = { status: 'error', message: 'Invalid API key', code: 'UNAUTHORIZED' };
		let r = await call('GET', '/agents', { key: null });
		expect(r.status).toBe(401);
		expect(r.body).toEqual(expected);
		r = await call('GET', '/agents', { key: 'lcai_test_wrong' });
		expect(r.status).toBe(401);
		expect(r.body).toEqual(expected);
		const res = await fetch(`${sb.baseUrl('livechatai')}/agents`, { headers: { authorization: `bearer ${LIVECHATAI_API_KEY}` } });
		expect(res.status).toBe(200);
		// nothing changed on a rejected write
		r = await call('POST', '/conversations', { key: null, json: { question: 'hi', agentId: SUPPORT } });
		expect(r.status).toBe(401);
		expect(sb.livechatai.sends).toHaveLength(0);
	});

	it('403 when the key lacks the permission', async () => {
		sb.livechatai.permissions.delete(LIVECHATAI_PERMISSIONS.conversationsWrite);
		const r = await send({ question: 'hi', agentId: SUPPORT });
		expect(r.status).toBe(403);
		expect(r.body).toEqual({ status: 'error', message: expect.stringContaining('conversations:write'), code: 'FORBIDDEN' });
		expect((await call('GET', '/conversations', { query: { agentId: SUPPORT } })).status).toBe(200);
		sb.reset();
		expect((await send({ question: 'hi', agentId: SUPPORT })).status).toBe(200);
	});

	it('404 / 405 use the error envelope', async () => {
		let r = await call('GET', '/nope');
		expect(r.status).toBe(404);
		expect(r.body).toMatchObject({ status: 'error', code: 'NOT_FOUND' });
		r = await call('PUT', '/conversations');
		expect(r.status).toBe(405);
		expect(r.body).toMatchObject({ status: 'error', code: 'METHOD_NOT_ALLOWED' });
		expect(r.headers.get('allow')).toBe('POST, GET, HEAD');
	});

	it('400 bodies: non-JSON, malformed JSON, missing fields, bad enums, bad query params', async () => {
		let r = await call('POST', '/conversations', { raw: 'question=hi', contentType: 'application/x-www-form-urlencoded' });
		expect(r.status).toBe(400);
		expect(r.body).toEqual({ status: 'error', message: expect.stringContaining('must be JSON'), code: 'BAD_REQUEST' });
		r = await call('POST', '/conversations', { raw: '{"question":', contentType: 'application/json' });
		expect(r.status).toBe(400);
		expect(r.body).toMatchObject({ status: 'error', code: 'BAD_REQUEST', message: expect.stringContaining('Malformed JSON') });
		r = await call('POST', '/conversations', { raw: '[1]', contentType: 'application/json' });
		expect(r.body).toMatchObject({ code: 'BAD_REQUEST', message: 'Request body must be a JSON object' });

		const cases: Array<[Record<string, unknown>, string]> = [
			[{ agentId: SUPPORT }, 'question: is required'],
			[{ question: 'hi' }, 'agentId: is required'],
			[{ question: 42, agentId: SUPPORT }, 'question: must be a string'],
			[{ question: 'hi', agentId: SUPPORT, messageType: 'VIDEO' }, 'messageType: must be one of TEXT, IMAGE'],
			[{ question: 'hi', agentId: SUPPORT, responseFormat: 'HTML' }, 'responseFormat: must be one of MARKDOWN, PLAIN'],
			[{ question: 'hi', agentId: SUPPORT, integrationType: 'MESSENGER' }, 'integrationType: must be one of WHATSAPP, SLACK'],
			[{ question: 'hi', agentId: SUPPORT, streaming: 'true' }, 'streaming: must be a boolean'],
		];
		for (const [json, message] of cases) {
			r = await send(json);
			expect(r.status).toBe(400);
			expect(r.body).toEqual({ status: 'error', message, code: 'VALIDATION_ERROR' });
		}

		r = await call('GET', '/conversations');
		expect(r.body).toEqual({ status: 'error', message: 'agentId: is required', code: 'VALIDATION_ERROR' });
		for (const perPage of [0, 101, 'x']) {
			r = await call('GET', '/conversations', { query: { agentId: SUPPORT, perPage } });
			expect(r.status).toBe(400);
			expect(r.body).toEqual({ status: 'error', message: 'perPage: must be an integer between 1 and 100', code: 'VALIDATION_ERROR' });
		}
		r = await call('GET', '/conversations', { query: { agentId: SUPPORT, page: 0 } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'page: must be an integer >= 1' });
		r = await call('GET', '/conversations', { query: { agentId: SUPPORT, sort: 'up' } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'sort: must be one of asc, desc' });
		r = await call('GET', '/conversations', { query: { agentId: SUPPORT, startDate: 'yesterday' } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/^startDate: /) });
		r = await call('GET', '/contacts', { query: { agentId: SUPPORT, limit: 101 } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'limit: must be an integer between 1 and 100' });
		r = await call('GET', '/data-sources', { query: { agentId: SUPPORT, source: 'VIDEO' } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/^source: must be one of WEBSITE/) });
		expect(sb.livechatai.sends).toHaveLength(0);
	});

	it('faults: 429 RATE_LIMITED with Retry-After 0, 500 INTERNAL_ERROR, no state change', async () => {
		const f = sb.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', status: 429 });
		let r = await send({ question: 'hi', agentId: SUPPORT });
		expect(r.status).toBe(429);
		expect(r.body).toEqual({ status: 'error', message: 'Too many requests', code: 'RATE_LIMITED' });
		expect(r.headers.get('retry-after')).toBe('0');
		expect(f.hits).toBe(1);
		expect(sb.livechatai.sends).toHaveLength(0);

		sb.fault({ provider: 'livechatai', path: /^\/conversations/, status: 500 });
		r = await call('GET', '/conversations', { query: { agentId: SUPPORT } });
		expect(r.status).toBe(500);
		expect(r.body).toEqual({ status: 'error', message: 'Internal server error', code: 'INTERNAL_ERROR' });
		r = await call('GET', '/conversations', { query: { agentId: SUPPORT } });
		expect(r.status).toBe(200);
		expect(sb.requestsFor('livechatai').map((q) => q.faulted)).toEqual([true, true, false]);
	});
});

describe('POST /conversations (send message)', () => {
	it('answers the seed request with the seed response shape', async () => {
		const seedRequest = {
			question: 'What are your business hours?',
			agentId: 'clx1234567890abcdef',
			conversationId: 'chat_1234567890',
			messageType: 'TEXT',
			streaming: false,
			ip: '192.168.1.1',
			country: 'US',
			responseFormat: 'MARKDOWN',
			integrationType: 'WHATSAPP',
		};
		const r = await send(seedRequest);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/json');
		expect(r.body).toEqual({
			status: 'success',
			message: 'Message sent successfully',
			data: {
				conversationId: 'chat_1234567890',
				contactId: 'contact_1234567890',
				response: 'Our business hours are Monday to Friday, 9 AM to 6 PM EST.',
				messageId: expect.stringMatching(/^msg_/),
				responseMessageId: expect.stringMatching(/^msg_/),
				links: [{ link: 'https://example.com/page', type: 'WEBSITE' }],
			},
		});
		expect(r.body.data.messageId).not.toBe(r.body.data.responseMessageId);
		const msgs = sb.livechatai.messagesOf(LIVECHATAI_CONVERSATION_IDS.main);
		expect(msgs.slice(-2)).toEqual([
			expect.objectContaining({ id: r.body.data.messageId, role: 'user', content: seedRequest.question, type: 'TEXT' }),
			expect.objectContaining({ id: r.body.data.responseMessageId, role: 'assistant', content: LIVECHATAI_HOURS_ANSWER }),
		]);
		expect(sb.livechatai.sends[0]).toMatchObject({ streaming: false, streamFormat: null, newConversation: false, ip: '192.168.1.1' });
		const [req] = sb.requestsFor('livechatai', 'POST', '/conversations');
		expect(req.body).toEqual(seedRequest);
		expect(req.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
	});

	it('starts a new conversation + contact and continues it with conversationId', async () => {
		const before = sb.livechatai.contacts.size;
		const first = await send({ question: 'Hello there', agentId: SUPPORT, integrationType: 'SLACK', country: 'FR' });
		expect(first.status).toBe(200);
		const { conversationId, contactId } = first.body.data;
		expect(conversationId).toMatch(/^chat_\d+$/);
		expect(contactId).toMatch(/^contact_\d+$/);
		expect(LIVECHATAI_SEED_CONVERSATION_IDS).not.toContain(conversationId);
		expect(sb.livechatai.contacts.size).toBe(before + 1);
		expect(sb.livechatai.contacts.get(contactId)).toMatchObject({ agentId: SUPPORT, distinctId: null, country: 'FR' });
		expect(sb.livechatai.conversation(conversationId)).toMatchObject({ integrationType: 'SLACK', isAgent: false });

		const second = await send({ question: 'And another thing', agentId: SUPPORT, conversationId });
		expect(second.body.data).toMatchObject({ conversationId, contactId });
		expect(sb.livechatai.contacts.size).toBe(before + 1);
		expect(sb.livechatai.messagesOf(conversationId).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
		expect(sb.livechatai.sends.map((s) => s.newConversation)).toEqual([true, false]);

		// a reset gives the same ids again (deterministic)
		sb.reset();
		expect((await send({ question: 'Hello there', agentId: SUPPORT })).body.data.conversationId).toBe(conversationId);
	});

	it('404 for an unknown agent or conversation (also one of another agent)', async () => {
		let r = await send({ question: 'hi', agentId: 'clxnope' });
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ status: 'error', message: 'Agent not found', code: 'NOT_FOUND' });
		r = await send({ question: 'hi', agentId: SUPPORT, conversationId: 'chat_0' });
		expect(r.body).toEqual({ status: 'error', message: 'Conversation not found', code: 'NOT_FOUND' });
		r = await send({ question: 'hi', agentId: SUPPORT, conversationId: LIVECHATAI_CONVERSATION_IDS.sales });
		expect(r.status).toBe(404);
	});

	it('MARKDOWN (default) vs PLAIN', async () => {
		const md = await send({ question: 'How much does it cost?', agentId: SUPPORT });
		const plain = await send({ question: 'How much does it cost?', agentId: SUPPORT, responseFormat: 'PLAIN' });
		expect(md.body.data.response).toBe(
			'The **Pro** plan costs **$49/month**, billed annually. See [pricing](https://example.com/pricing).',
		);
		expect(plain.body.data.response).toBe('The Pro plan costs $49/month, billed annually. See pricing (https://example.com/pricing).');
		expect(md.body.data.links).toEqual([{ link: 'https://example.com/pricing', type: 'WEBSITE' }]);

		const echoMd = await send({ question: 'Is it sunny?', agentId: SUPPORT, responseFormat: 'MARKDOWN' });
		const echoPlain = await send({ question: 'Is it sunny?', agentId: SUPPORT, responseFormat: 'PLAIN' });
		expect(echoMd.body.data.response).toBe('You asked: **Is it sunny?**');
		expect(echoPlain.body.data.response).toBe('You asked: Is it sunny?');
		expect(echoPlain.body.data.response).not.toContain('**');
		expect(sb.livechatai.sends.map((s) => s.responseFormat)).toEqual(['MARKDOWN', 'PLAIN', 'MARKDOWN', 'PLAIN']);

		const img = await send({ question: 'https://example.com/a.png', agentId: SUPPORT, messageType: 'IMAGE', responseFormat: 'PLAIN' });
		expect(img.body.data.response).toBe('I received your image: https://example.com/a.png');
		expect(sb.livechatai.messagesOf(img.body.data.conversationId)[0].type).toBe('IMAGE');
	});
});

describe('streaming', () => {
	it("'sse' (default): chunk events, a done event with the ids, [DONE]", async () => {
		expect(sb.livechatai.streamFormat).toBe('sse');
		const res = await fetch(`${sb.baseUrl('livechatai')}/conversations`, {
			method: 'POST',
			headers: { authorization: `Bearer ${LIVECHATAI_API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ question: 'What are your business hours?', agentId: SUPPORT, streaming: true }),
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(res.headers.get('content-length')).toBeNull();
		expect(res.headers.get('transfer-encoding')).toBe('chunked');
		const text = (await readStream(res)).join('');
		const data = sseData(text);
		expect(data[data.length - 1]).toBe('[DONE]');
		const events = data.slice(0, -1).map((d) => JSON.parse(d));
		const chunks = events.filter((e) => e.type === 'chunk');
		expect(chunks.length).toBeGreaterThanOrEqual(3);
		expect(chunks.map((c) => c.content).join('')).toBe(LIVECHATAI_HOURS_ANSWER);
		const done = events[events.length - 1];
		const rec = sb.livechatai.sends[0];
		expect(done).toEqual({
			type: 'done',
			conversationId: rec.conversationId,
			contactId: rec.contactId,
			response: LIVECHATAI_HOURS_ANSWER,
			messageId: rec.messageId,
			responseMessageId: rec.responseMessageId,
			links: [{ link: 'https://example.com/page', type: 'WEBSITE' }],
		});
		expect(rec).toMatchObject({ streaming: true, streamFormat: 'sse', chunks: chunks.map((c) => c.content) });
		// the request log has the whole stream as text
		expect(sb.lastRequest('livechatai')?.response).toMatchObject({ status: 200, body: text });
		// the conversation is stored like a non-streamed one
		expect(sb.livechatai.messagesOf(rec.conversationId).map((m) => m.role)).toEqual(['user', 'assistant']);
	});

	it("'sse' is written as one HTTP chunk per event", async () => {
		const { head, chunks } = await rawPost(sb, 'livechatai', LIVECHATAI_API_KEY, '/conversations', { question: 'What are your business hours?', agentId: SUPPORT, streaming: true });
		expect(head).toMatch(/^HTTP\/1\.1 200/);
		expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
		expect(chunks.length).toBe(sb.livechatai.sends[0].chunks.length + 2);
		expect(chunks.every((c) => c.startsWith('data: ') && c.endsWith('\n\n'))).toBe(true);
		expect(chunks[chunks.length - 1]).toBe('data: [DONE]\n\n');
	});

	it("'sse-text': plain-text data lines then [DONE]", async () => {
		sb.livechatai.streamFormat = 'sse-text';
		const { head, chunks } = await rawPost(sb, 'livechatai', LIVECHATAI_API_KEY, '/conversations', {
			question: 'Is it sunny?',
			agentId: SUPPORT,
			streaming: true,
			responseFormat: 'PLAIN',
		});
		expect(head.toLowerCase()).toContain('content-type: text/event-stream');
		const data = sseData(chunks.join(''));
		expect(data[data.length - 1]).toBe('[DONE]');
		expect(data.slice(0, -1).join('')).toBe('You asked: Is it sunny?');
		expect(data.length - 1).toBeGreaterThanOrEqual(3);
		expect(sb.livechatai.sends[0]).toMatchObject({ streamFormat: 'sse-text', response: 'You asked: Is it sunny?' });
	});

	it("'text': chunked text/plain with the raw answer only", async () => {
		sb.livechatai.streamFormat = 'text';
		const { head, chunks } = await rawPost(sb, 'livechatai', LIVECHATAI_API_KEY, '/conversations', { question: 'What are your business hours?', agentId: SUPPORT, streaming: true });
		expect(head.toLowerCase()).toContain('content-type: text/plain; charset=utf-8');
		expect(head.toLowerCase()).not.toContain('content-length');
		expect(chunks.length).toBeGreaterThanOrEqual(3);
		expect(chunks.join('')).toBe(LIVECHATAI_HOURS_ANSWER);
		expect(sb.livechatai.sends[0]).toMatchObject({ streamFormat: 'text', chunks });

		// what fetch sees
		const res = await fetch(`${sb.baseUrl('livechatai')}/conversations`, {
			method: 'POST',
			headers: { authorization: `Bearer ${LIVECHATAI_API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ question: 'Is it sunny?', agentId: SUPPORT, streaming: true, responseFormat: 'PLAIN' }),
		});
		expect(await res.text()).toBe('You asked: Is it sunny?');
	});

	it("'json': the ordinary JSON body; validation errors stay JSON in every mode", async () => {
		sb.livechatai.streamFormat = 'json';
		const r = await send({ question: 'What are your business hours?', agentId: SUPPORT, streaming: true });
		expect(r.headers.get('content-type')).toBe('application/json');
		expect(r.body).toMatchObject({ status: 'success', message: 'Message sent successfully', data: { response: LIVECHATAI_HOURS_ANSWER } });
		expect(sb.livechatai.sends[0]).toMatchObject({ streaming: true, streamFormat: 'json', chunks: [] });

		sb.livechatai.streamFormat = 'sse';
		const bad = await send({ question: 'hi', agentId: SUPPORT, streaming: true, responseFormat: 'RTF' });
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ code: 'VALIDATION_ERROR' });
		// streaming: false ignores streamFormat
		const plain = await send({ question: 'hi', agentId: SUPPORT, streaming: false });
		expect(plain.body.status).toBe('success');
		expect(sb.livechatai.sends.map((s) => s.streamFormat)).toEqual(['json', null]);
	});
});

describe('POST /conversations/{id}/reply', () => {
	it('posts a human reply and switches the conversation to human mode', async () => {
		const id = LIVECHATAI_CONVERSATION_IDS.main;
		expect(sb.livechatai.conversation(id)).toMatchObject({ isAgent: false, assignedUserId: null });
		const r = await call('POST', `/conversations/${id}/reply`, { json: { message: 'Hi, Sam here!', userId: LIVECHATAI_USER_IDS.agent } });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			status: 'success',
			message: 'Reply sent successfully',
			data: {
				messageId: expect.stringMatching(/^msg_/),
				conversationId: id,
				message: {
					id: r.body.data.messageId,
					text: 'Hi, Sam here!',
					sender: 'AGENT',
					type: 'TEXT',
					createdAt: expect.any(String),
					agent: { id: LIVECHATAI_USER_IDS.agent, name: 'Sam Support', email: 'sam@sandbox.livechatai.test', avatar: expect.stringMatching(/^https:/) },
				},
			},
		});
		expect(sb.livechatai.conversation(id)).toMatchObject({ isAgent: true, assignedUserId: LIVECHATAI_USER_IDS.agent });
		const g = await call('GET', `/conversations/${id}`);
		expect(g.body.data.isAgent).toBe(true);
		expect(g.body.data.messages[g.body.data.messages.length - 1]).toMatchObject({
			id: r.body.data.messageId,
			role: 'agent',
			content: 'Hi, Sam here!',
			agent: { id: LIVECHATAI_USER_IDS.agent },
		});
	});

	it('validates message/userId/messageType; 404 for unknown conversation or user', async () => {
		const path = `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}/reply`;
		let r = await call('POST', path, { json: { userId: LIVECHATAI_USER_IDS.agent } });
		expect(r.body).toEqual({ status: 'error', message: 'message: is required', code: 'VALIDATION_ERROR' });
		r = await call('POST', path, { json: { message: 'x' } });
		expect(r.body).toEqual({ status: 'error', message: 'userId: is required', code: 'VALIDATION_ERROR' });
		r = await call('POST', path, { json: { message: 'x', userId: LIVECHATAI_USER_IDS.agent, messageType: 'AUDIO' } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'messageType: must be one of TEXT, IMAGE' });
		r = await call('POST', path, { json: { message: 'x', userId: 'clusr_unknown' } });
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ status: 'error', message: 'User not found', code: 'NOT_FOUND' });
		r = await call('POST', '/conversations/chat_0/reply', { json: { message: 'x', userId: LIVECHATAI_USER_IDS.agent } });
		expect(r.body).toEqual({ status: 'error', message: 'Conversation not found', code: 'NOT_FOUND' });
	});
});

describe('GET /conversations, /conversations/{id}, /conversations/views', () => {
	it('paginates with perPage/meta, newest lastMessageDate first by default', async () => {
		let r = await call('GET', '/conversations', { query: { agentId: SUPPORT } });
		expect(r.status).toBe(200);
		expect(r.body.data.meta).toEqual({ total: 22, perPage: 20, currentPage: 1, totalPages: 2 });
		expect(r.body.data.conversations).toHaveLength(20);
		expect(r.body.data.conversations[0].id).toBe(LIVECHATAI_CONVERSATION_IDS.latest);
		const first = r.body.data.conversations[0];
		expect(Object.keys(first)).toEqual([
			'id', 'isResolved', 'isStarred', 'isMuted', 'isAgent', 'integrationType', 'contact', 'agent', 'lastMessageDate', 'createdAt', 'updatedAt',
		]);
		expect(first.contact).toEqual({
			id: LIVECHATAI_CONTACT_IDS.main,
			name: 'Alice Martin',
			phone: expect.any(String),
			email: 'alice@example.com',
			distinctId: 'user-001',
			attributes: { plan: 'free', seats: 1 },
		});
		const dates = r.body.data.conversations.map((c: any) => Date.parse(c.lastMessageDate));
		expect(dates).toEqual([...dates].sort((a, b) => b - a));

		r = await call('GET', '/conversations', { query: { agentId: SUPPORT, perPage: 5, page: 5 } });
		expect(r.body.data.meta).toEqual({ total: 22, perPage: 5, currentPage: 5, totalPages: 5 });
		expect(r.body.data.conversations.map((c: any) => c.id)).toEqual([
			LIVECHATAI_SEED_CONVERSATION_IDS[1],
			LIVECHATAI_SEED_CONVERSATION_IDS[0],
		]);
		r = await call('GET', '/conversations', { query: { agentId: SUPPORT, perPage: 5, page: 6 } });
		expect(r.body.data.conversations).toEqual([]);

		r = await call('GET', '/conversations', { query: { agentId: SUPPORT, sort: 'asc', perPage: 2 } });
		expect(r.body.data.conversations.map((c: any) => c.id)).toEqual(LIVECHATAI_SEED_CONVERSATION_IDS.slice(0, 2));

		r = await call('GET', '/conversations', { query: { agentId: SALES } });
		expect(r.body.data.meta.total).toBe(LIVECHATAI_SEED_COUNTS.salesConversations);
		r = await call('GET', '/conversations', { query: { agentId: LIVECHATAI_AGENT_IDS.legacy } });
		expect(r.body.data).toEqual({ conversations: [], meta: { total: 0, perPage: 20, currentPage: 1, totalPages: 0 } });
		r = await call('GET', '/conversations', { query: { agentId: 'clxnope' } });
		expect(r.status).toBe(404);
	});

	it('a new message moves a conversation to the top', async () => {
		await send({ question: 'ping', agentId: SUPPORT, conversationId: LIVECHATAI_CONVERSATION_IDS.main });
		const r = await call('GET', '/conversations', { query: { agentId: SUPPORT, perPage: 1 } });
		expect(r.body.data.conversations[0].id).toBe(LIVECHATAI_CONVERSATION_IDS.main);
	});

	it('filters: type, status, dates, viewId', async () => {
		const ids = async (query: Record<string, string | number>): Promise<string[]> => {
			const r = await call('GET', '/conversations', { query: { agentId: SUPPORT, perPage: 100, sort: 'asc', ...query } });
			expect(r.status).toBe(200);
			return r.body.data.conversations.map((c: any) => c.id);
		};
		const seed = LIVECHATAI_SEED_CONVERSATION_IDS;
		expect(await ids({ type: 'your-inbox' })).toEqual([seed[7], seed[14], seed[21]]);
		expect(await ids({ type: 'unassigned' })).toHaveLength(22 - 4);
		expect(await ids({ type: 'all' })).toHaveLength(22);
		expect(await ids({ status: 'close' })).toEqual([seed[2], seed[7], seed[12], seed[17]]);
		expect(await ids({ status: 'open' })).toHaveLength(18);
		// createdAt: seed i at 2025-03-01T09:00Z + 6 h × i
		const t = (i: number): number => Date.UTC(2025, 2, 1, 9) / 1000 + i * 6 * 3600;
		expect(await ids({ startDate: t(20) })).toEqual([seed[20], seed[21]]);
		expect(await ids({ endDate: t(1) })).toEqual([seed[0], seed[1]]);
		expect(await ids({ startDate: '2025-03-02', endDate: '2025-03-02' })).toEqual([seed[3], seed[4], seed[5], seed[6]]);
		expect(await ids({ viewId: LIVECHATAI_VIEW_IDS.whatsapp })).toEqual([seed[3], seed[7], seed[11], seed[15], seed[19]]);
		expect(await ids({ viewId: LIVECHATAI_VIEW_IDS.open, type: 'your-inbox' })).toEqual([seed[14], seed[21]]);
		const r = await call('GET', '/conversations', { query: { agentId: SUPPORT, viewId: 'clview_nope' } });
		expect(r.body).toEqual({ status: 'error', message: 'View not found', code: 'NOT_FOUND' });
	});

	it('retrieves one conversation with its messages', async () => {
		const r = await call('GET', `/conversations/${LIVECHATAI_CONVERSATION_IDS.human}`);
		expect(r.status).toBe(200);
		expect(r.body.status).toBe('success');
		const d = r.body.data;
		expect(d).toMatchObject({
			id: LIVECHATAI_CONVERSATION_IDS.human,
			contactId: LIVECHATAI_SEED_CONVERSATION_IDS[1].replace('chat_', 'contact_'),
			agentId: SUPPORT,
			isResolved: false,
			isAgent: true,
			isMuted: false,
			isStarred: false,
			integrationType: null,
			agent: { id: LIVECHATAI_USER_IDS.agent, name: 'Sam Support', email: 'sam@sandbox.livechatai.test', avatar: expect.any(String) },
		});
		expect(d.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'agent']);
		expect(d.messages[1]).toEqual({
			id: expect.stringMatching(/^msg_/),
			content: expect.any(String),
			role: 'assistant',
			type: 'TEXT',
			source: [{ id: expect.anything(), type: 'WEBSITE', link: expect.any(String), distance: expect.any(Number) }],
			agent: null,
			createdAt: expect.any(String),
		});
		expect(d.messages[3].agent).toMatchObject({ id: LIVECHATAI_USER_IDS.agent });
		expect(d.lastMessageDate).toBe(d.messages[3].createdAt);

		const main = (await call('GET', `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}`)).body.data;
		expect(main.agent).toBeNull();
		expect(main.messages[1].source[0]).toMatchObject({ id: LIVECHATAI_DATA_SOURCE_IDS.page, link: 'https://example.com/page' });

		const nf = await call('GET', '/conversations/chat_0');
		expect(nf.status).toBe(404);
		expect(nf.body).toEqual({ status: 'error', message: 'Conversation not found', code: 'NOT_FOUND' });
	});

	it('addMessage() (product-side activity) shows up when polling', async () => {
		const m = sb.livechatai.addMessage(LIVECHATAI_CONVERSATION_IDS.resolved, { role: 'user', content: 'still there?' });
		const r = await call('GET', `/conversations/${LIVECHATAI_CONVERSATION_IDS.resolved}`);
		expect(r.body.data.messages.pop()).toMatchObject({ id: m.id, role: 'user', content: 'still there?' });
		expect(r.body.data.lastMessageDate).toBe(m.createdAt);
	});

	it('lists inbox views', async () => {
		let r = await call('GET', '/conversations/views', { query: { agentId: SUPPORT } });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			status: 'success',
			data: {
				views: [
					{ id: LIVECHATAI_VIEW_IDS.open, name: 'Open conversations', query: { combinator: 'and', rules: [{ field: 'status', operator: '=', value: 'open' }] }, createdAt: expect.any(String) },
					{ id: LIVECHATAI_VIEW_IDS.whatsapp, name: 'WhatsApp', query: expect.any(Object), createdAt: expect.any(String) },
				],
				meta: { total: 2, perPage: 20, currentPage: 1, totalPages: 1 },
			},
		});
		r = await call('GET', '/conversations/views', { query: { agentId: SUPPORT, perPage: 1, page: 2 } });
		expect(r.body.data.views.map((v: any) => v.id)).toEqual([LIVECHATAI_VIEW_IDS.whatsapp]);
		expect(r.body.data.meta).toEqual({ total: 2, perPage: 1, currentPage: 2, totalPages: 2 });
		r = await call('GET', '/conversations/views');
		expect(r.body).toEqual({ status: 'error', message: 'agentId: is required', code: 'VALIDATION_ERROR' });
	});
});

describe('contacts', () => {
	it('lists with limit/pages (top-level totalCount, agentId)', async () => {
		let r = await call('GET', '/contacts', { query: { agentId: SUPPORT } });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ status: 'success', agentId: SUPPORT, totalCount: 21 });
		expect(r.body.data).toHaveLength(10);
		expect(r.body.pages).toEqual({ page: 1, perPage: 10, totalPages: 3, hasPrevious: false, hasNext: true, previous: null, next: 2 });
		expect(Object.keys(r.body.data[0])).toEqual(['id', 'distinctId', 'name', 'email', 'phone', 'country', 'createdAt']);
		expect(r.body.data[0]).toMatchObject({ id: LIVECHATAI_CONTACT_IDS.main, distinctId: 'user-001', country: 'US' });

		r = await call('GET', '/contacts', { query: { agentId: SUPPORT, page: 3 } });
		expect(r.body.data).toHaveLength(1);
		expect(r.body.pages).toEqual({ page: 3, perPage: 10, totalPages: 3, hasPrevious: true, hasNext: false, previous: 2, next: null });
		r = await call('GET', '/contacts', { query: { agentId: SALES, limit: 100 } });
		expect(r.body.totalCount).toBe(LIVECHATAI_SEED_COUNTS.salesContacts);
		r = await call('GET', '/contacts');
		expect(r.body).toEqual({ status: 'error', message: 'agentId: is required', code: 'VALIDATION_ERROR' });
	});

	it('creates, then updates by distinctId; drops undefined attributes', async () => {
		let r = await call('POST', '/contacts', {
			json: { agentId: SUPPORT, distinctId: 'crm-42', name: 'Zoe Quinn', email: 'zoe@example.com', attributes: { plan: 'pro', favouriteColour: 'green' } },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ status: 'success', contactId: expect.stringMatching(/^contact_/) });
		const id = r.body.contactId;
		expect(sb.livechatai.contacts.get(id)).toMatchObject({ distinctId: 'crm-42', name: 'Zoe Quinn', attributes: { plan: 'pro' } });
		expect(sb.livechatai.droppedAttributes).toEqual([{ seq: 1, agentId: SUPPORT, contactId: id, keys: ['favouriteColour'] }]);

		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'crm-42', phone: '+15550009999', attributes: { seats: 3 } } });
		expect(r.body).toEqual({ status: 'success', contactId: id });
		expect(sb.livechatai.contacts.get(id)).toMatchObject({
			name: 'Zoe Quinn',
			phone: '+15550009999',
			attributes: { plan: 'pro', seats: 3 },
		});
		expect(sb.livechatai.contactsOf(SUPPORT)).toHaveLength(22);

		// same distinctId, other agent → another contact
		r = await call('POST', '/contacts', { json: { agentId: SALES, distinctId: 'crm-42', attributes: { plan: 'x', company: 'ACME' } } });
		expect(r.body.contactId).not.toBe(id);
		expect(sb.livechatai.contacts.get(r.body.contactId)?.attributes).toEqual({ company: 'ACME' });

		// explicit contactId updates that contact
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'user-001-new', contactId: LIVECHATAI_CONTACT_IDS.main, name: 'Alice M.' } });
		expect(r.body.contactId).toBe(LIVECHATAI_CONTACT_IDS.main);
		expect(sb.livechatai.contacts.get(LIVECHATAI_CONTACT_IDS.main)).toMatchObject({ distinctId: 'user-001-new', name: 'Alice M.' });
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'a', contactId: LIVECHATAI_CONTACT_IDS.sales } });
		expect(r.body).toEqual({ status: 'error', message: 'Contact not found', code: 'NOT_FOUND' });
	});

	it('validation, unknown agent, secure identification (userHash)', async () => {
		let r = await call('POST', '/contacts', { json: { agentId: SUPPORT } });
		expect(r.body).toEqual({ status: 'error', message: 'distinctId: is required', code: 'VALIDATION_ERROR' });
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'x', attributes: ['a'] } });
		expect(r.body).toEqual({ status: 'error', message: 'attributes: must be an object', code: 'VALIDATION_ERROR' });
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'x', email: 'nope' } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'email: must be a valid email address' });
		r = await call('POST', '/contacts', { json: { agentId: 'clxnope', distinctId: 'x' } });
		expect(r.status).toBe(404);

		sb.livechatai.setSecureIdentification(SUPPORT, true);
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'crm-7' } });
		expect(r.body).toEqual({ status: 'error', message: 'userHash: is required when secure identification is enabled', code: 'VALIDATION_ERROR' });
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'crm-7', userHash: 'abc' } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'userHash: does not match distinctId' });
		r = await call('POST', '/contacts', { json: { agentId: SUPPORT, distinctId: 'crm-7', userHash: livechatAiUserHash('crm-7') } });
		expect(r.status).toBe(200);
		// other agents unaffected
		expect((await call('POST', '/contacts', { json: { agentId: SALES, distinctId: 'crm-7' } })).status).toBe(200);
		sb.reset();
		expect(sb.livechatai.agents.get(SUPPORT)?.secureIdentification).toBe(false);
	});
});

describe('agents', () => {
	it('lists with limit/pages and retrieves by id or slug', async () => {
		let r = await call('GET', '/agents');
		expect(r.body).toMatchObject({ status: 'success', totalCount: 3 });
		expect(r.body.pages).toEqual({ page: 1, perPage: 10, totalPages: 1, hasPrevious: false, hasNext: false, previous: null, next: null });
		expect(r.body.data[0]).toEqual({
			id: SUPPORT,
			name: 'Support Bot',
			isLiveChatEnabled: true,
			language: 'en',
			isArchived: false,
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
		});
		r = await call('GET', '/agents', { query: { limit: 2, page: 2 } });
		expect(r.body.data.map((a: any) => a.id)).toEqual([LIVECHATAI_AGENT_IDS.legacy]);
		expect(r.body.pages).toMatchObject({ page: 2, perPage: 2, totalPages: 2, hasPrevious: true, hasNext: false });
		r = await call('GET', '/agents', { query: { limit: 0 } });
		expect(r.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'limit: must be an integer between 1 and 100' });

		r = await call('GET', `/agents/${SALES}`);
		expect(r.body).toEqual({ status: 'success', data: expect.objectContaining({ id: SALES, slug: LIVECHATAI_AGENT_SLUGS.sales, language: 'fr' }) });
		r = await call('GET', `/agents/${LIVECHATAI_AGENT_SLUGS.legacy}`, { query: { isEmbed: 'true' } });
		expect(r.body.data).toMatchObject({ id: LIVECHATAI_AGENT_IDS.legacy, isArchived: true });
		r = await call('GET', '/agents/nope');
		expect(r.body).toEqual({ status: 'error', message: 'Agent not found', code: 'NOT_FOUND' });
	});
});

describe('data sources', () => {
	it('lists with source filter and limit/pages', async () => {
		let r = await call('GET', '/data-sources', { query: { agentId: SUPPORT } });
		expect(r.body).toMatchObject({ status: 'success', data: { agentId: SUPPORT, totalCount: 4 } });
		expect(r.body.data.items[0]).toEqual({
			id: LIVECHATAI_DATA_SOURCE_IDS.page,
			title: 'Contact & opening hours',
			text: LIVECHATAI_HOURS_ANSWER,
			url: 'https://example.com/page',
			source: 'WEBSITE',
			status: 'COMPLETED',
			characterCount: LIVECHATAI_HOURS_ANSWER.length,
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
		});
		r = await call('GET', '/data-sources', { query: { agentId: SUPPORT, limit: 3, page: 2 } });
		expect(r.body.data.items.map((i: any) => i.id)).toEqual([LIVECHATAI_DATA_SOURCE_IDS.shipping]);
		expect(r.body.data.pages).toEqual({ page: 2, perPage: 3, totalPages: 2, hasPrevious: true, hasNext: false, previous: 1, next: null });
		r = await call('GET', '/data-sources', { query: { agentId: SUPPORT, source: 'WEBSITE' } });
		expect(r.body.data.totalCount).toBe(2);
		r = await call('GET', '/data-sources', { query: { agentId: SALES, source: 'ALL' } });
		expect(r.body.data.items.map((i: any) => i.source)).toEqual(['PDF']);
	});

	it('adds text, url, qa and file sources and deletes them', async () => {
		let r = await call('POST', '/data-sources/text', { json: { title: 'Warranty', content: 'Two years.', agentId: SUPPORT } });
		expect(r.body).toEqual({
			status: 'success',
			data: { message: expect.any(String), item: { id: expect.any(String), source: 'TEXT', isGeneratedByAI: false } },
		});
		const textId = r.body.data.item.id;
		r = await call('POST', '/data-sources/url', { json: { url: 'https://example.com/faq', agentId: SUPPORT } });
		expect(r.body.data.item).toMatchObject({ source: 'WEBSITE', isGeneratedByAI: false });
		r = await call('POST', '/data-sources/qa', {
			json: { question: 'Gift wrap?', answer: 'Yes.', agentId: SUPPORT, isGeneratedByAI: true, relatedMessageId: 'msg_1000000002' },
		});
		expect(r.body.data.item).toMatchObject({ source: 'QA', isGeneratedByAI: true });
		expect(sb.livechatai.dataSources.get(r.body.data.item.id)).toMatchObject({ relatedMessageId: 'msg_1000000002', text: 'Q: Gift wrap?\nA: Yes.' });
		r = await call('POST', '/data-sources/file', { json: { title: 'Manual', content: 'Extracted text', agentId: SUPPORT, fileType: 'docx' } });
		expect(r.body.data.item).toMatchObject({ source: 'DOCX' });

		r = await call('GET', '/data-sources', { query: { agentId: SUPPORT, limit: 100 } });
		expect(r.body.data.totalCount).toBe(8);
		expect(r.body.data.items.find((i: any) => i.url === 'https://example.com/faq')).toMatchObject({ status: 'PENDING', text: null });

		r = await call('DELETE', `/data-sources/${textId}`);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ status: 'success', message: 'Data source deleted' });
		expect(sb.livechatai.deletedDataSources).toEqual([textId]);
		r = await call('DELETE', `/data-sources/${textId}`);
		expect(r.body).toEqual({ status: 'error', message: 'Data source not found', code: 'NOT_FOUND' });
		r = await call('GET', '/data-sources', { query: { agentId: SUPPORT, source: 'TEXT' } });
		expect(r.body.data.items.map((i: any) => i.id)).toEqual([LIVECHATAI_DATA_SOURCE_IDS.returns]);
	});

	it('validates data source bodies', async () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['/data-sources/text', { title: 'a', agentId: SUPPORT }, 'content: is required'],
			['/data-sources/url', { url: 'ftp://x', agentId: SUPPORT }, 'url: must be a valid http(s) URL'],
			['/data-sources/url', { url: 'https://x.test' }, 'agentId: is required'],
			['/data-sources/qa', { question: 'q', answer: 'a', agentId: SUPPORT, isGeneratedByAI: 'yes' }, 'isGeneratedByAI: must be a boolean'],
			['/data-sources/file', { title: 't', content: 'c', agentId: SUPPORT }, 'fileType: is required'],
			['/data-sources/file', { title: 't', content: 'c', agentId: SUPPORT, fileType: 'xlsx' }, 'fileType: must be one of pdf, docx, image'],
		];
		for (const [path, json, message] of cases) {
			const r = await call('POST', path, { json });
			expect(r.status).toBe(400);
			expect(r.body).toEqual({ status: 'error', message, code: 'VALIDATION_ERROR' });
		}
		const r = await call('POST', '/data-sources/text', { json: { title: 'a', content: 'b', agentId: 'clxnope' } });
		expect(r.status).toBe(404);
		expect(sb.livechatai.dataSources.size).toBe(LIVECHATAI_SEED_COUNTS.dataSources);
	});
});

describe('seed and reset', () => {
	it('seeds the documented counts and restores them on reset', async () => {
		const p = sb.livechatai;
		expect(p.agents.size).toBe(LIVECHATAI_SEED_COUNTS.agents);
		expect(p.users.size).toBe(LIVECHATAI_SEED_COUNTS.users);
		expect(p.conversations.size).toBe(LIVECHATAI_SEED_COUNTS.conversations);
		expect(p.contacts.size).toBe(LIVECHATAI_SEED_COUNTS.contacts);
		expect(p.dataSources.size).toBe(LIVECHATAI_SEED_COUNTS.dataSources);
		expect(p.views.size).toBe(LIVECHATAI_SEED_COUNTS.views);
		expect(p.conversationsOf(SUPPORT)).toHaveLength(LIVECHATAI_SEED_COUNTS.supportConversations);
		expect(p.contactsOf(SUPPORT)).toHaveLength(LIVECHATAI_SEED_COUNTS.supportContacts);
		await send({ question: 'hi', agentId: SUPPORT });
		p.streamFormat = 'text';
		p.permissions.clear();
		sb.reset();
		expect(p.conversations.size).toBe(LIVECHATAI_SEED_COUNTS.conversations);
		expect(p.sends).toHaveLength(0);
		expect(p.streamFormat).toBe('sse');
		expect(p.permissions.size).toBe(Object.keys(LIVECHATAI_PERMISSIONS).length);
	});
});
