/**
 * Omnidesk contract of the sandbox (see /work/shared/providers/omnidesk.md and seeds/004_*.txt).
 */
import {
	MultipartBody,
	OMNIDESK_API_KEY,
	OMNIDESK_BRAND_ID,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	OMNIDESK_FIRST_TICKET_ID,
	OMNIDESK_PERMISSIONS,
	OMNIDESK_SEED_CHAT_CONFIG,
	omnideskApiKeyPlacement,
	parseBody,
	Sandbox,
	startSandbox,
	startFakeServer,
	type FakeServer,
	type HeaderMap,
} from './index';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.reset());

type KeyPlacement = 'header' | 'query' | 'both' | 'none';
interface CallOpts {
	encoding?: 'multipart' | 'form' | 'json' | 'text';
	key?: KeyPlacement;
	apiKey?: string;
	method?: string;
	file?: { field?: string; name: string; type: string; data: Buffer };
	mount?: string;
}
interface Reply {
	status: number;
	headers: Headers;
	body: any;
	text: string;
}

async function call(path: string, fields: Record<string, string | number> = {}, opts: CallOpts = {}): Promise<Reply> {
	const key = opts.key ?? 'header';
	const apiKey = opts.apiKey ?? OMNIDESK_API_KEY;
	const headers: Record<string, string> = {};
	const url = new URL(`${sb.baseUrl(opts.mount ?? 'omnidesk')}${path}`);
	if (key === 'header' || key === 'both') headers.apiKey = apiKey;
	if (key === 'query' || key === 'both') url.searchParams.set('apiKey', apiKey);
	const method = opts.method ?? 'POST';
	let body: FormData | URLSearchParams | string | undefined;
	if (method !== 'GET') {
		const encoding = opts.encoding ?? 'multipart';
		if (encoding === 'multipart') {
			const fd = new FormData();
			for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
			if (opts.file) fd.append(opts.file.field ?? 'file', new Blob([opts.file.data], { type: opts.file.type }), opts.file.name);
			body = fd;
		} else if (encoding === 'form') {
			body = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)]));
		} else if (encoding === 'json') {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(fields);
		} else {
			headers['content-type'] = 'text/plain';
			body = Object.values(fields).join('\n');
		}
	}
	const res = await fetch(url, { method, headers, body });
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, headers: res.headers, body: parsed, text };
}

const CHAT_SERVER = 'https://bot.example.com/omnidesk/hooks-4f9a8b';

function msg(overrides: Record<string, string | number | undefined> = {}): Record<string, string | number> {
	const base: Record<string, string | number | undefined> = {
		chatSessionID: 'sess-0001',
		chatServer: CHAT_SERVER,
		chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
		message: 'Hello, I need help',
		channelID: 8,
		url: 'https://www.brand.com/support',
		messageNumber: 1,
		...overrides,
	};
	const out: Record<string, string | number> = {};
	for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v;
	return out;
}

/** parsed JSON body, loosely typed for assertions */
async function json(res: Response): Promise<any> {
	return JSON.parse(await res.text());
}

const NEW_MSG = '/api/v2/chat/notifyUserNewChatMessage';

describe('mounts', () => {
	it('exposes the account base and the chat host', () => {
		expect(sb.baseUrl('omnidesk')).toBe(`${sb.url}/omnidesk`);
		expect(sb.baseUrl('omnidesk-chat')).toBe(`${sb.url}/omnidesk-chat`);
		expect(sb.omnidesk).toBe(sb.provider('omnidesk'));
	});

	it('answers unknown routes 404 and wrong methods 405 in the legacy error shape', async () => {
		let res = await call('/api/v2/chat/nope', {});
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ status: 'error', message: expect.stringContaining('/api/v2/chat/nope') });
		res = await call(NEW_MSG, {}, { method: 'GET' });
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('POST');
		expect(res.body).toMatchObject({ status: 'error' });
	});
});

describe('API key', () => {
	it.each<[KeyPlacement]>([['header'], ['query'], ['both']])('accepts the key in %s', async (key) => {
		const res = await call('/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', {}, { method: 'GET', key });
		expect(res.status).toBe(200);
		expect(sb.omnidesk.lastApiKeyPlacement).toBe(key);
		const req = sb.lastRequest('omnidesk')!;
		expect(omnideskApiKeyPlacement(req)).toBe(key);
		expect(sb.omnidesk.apiKeyUses).toEqual([
			{ seq: req.seq, method: 'GET', path: '/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', placement: key, valid: true },
		]);
	});

	it('records the placement on stored messages', async () => {
		await call(NEW_MSG, msg(), { key: 'query' });
		expect(sb.omnidesk.messagesOf('sess-0001')[0].apiKeyPlacement).toBe('query');
	});

	it('rejects a missing or wrong key with 401 {status:error}', async () => {
		for (const opts of [{ key: 'none' as const }, { apiKey: 'odk_wrong' }, { key: 'query' as const, apiKey: '' }]) {
			const res = await call('/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', {}, { method: 'GET', ...opts });
			expect(res.status).toBe(401);
			expect(res.body).toEqual({ status: 'error', message: 'Invalid API key' });
		}
		expect(sb.omnidesk.lastApiKeyPlacement).toBe('query');
		expect(sb.omnidesk.apiKeyUses.map((u) => [u.placement, u.valid])).toEqual([
			['none', false],
			['header', false],
			['query', false],
		]);
	});

	it('rejects a wrong key in one place even when the other is right', async () => {
		const url = `${sb.baseUrl('omnidesk')}/api/v2/chat/whitelistedDomainsAndBlacklistedIPs?apiKey=bad`;
		const res = await fetch(url, { headers: { apiKey: OMNIDESK_API_KEY } });
		expect(res.status).toBe(401);
	});

	it('checks the key on every omnidesk route (after routing)', async () => {
		const res = await call(NEW_MSG, msg(), { key: 'none' });
		expect(res.status).toBe(401);
		expect(sb.omnidesk.sessions.size).toBe(0);
	});

	it('enforces per-key permissions with 403', async () => {
		sb.omnidesk.permissions.delete(OMNIDESK_PERMISSIONS.chat);
		let res = await call(NEW_MSG, msg());
		expect(res.status).toBe(403);
		expect(res.body).toEqual({ status: 'error', message: expect.stringContaining('permission') });
		expect((await call('/api/v2/message/notifyUserEndChat', { chatSessionID: 'x', chatServer: CHAT_SERVER })).status).toBe(403);
		// chatbot needs MESSAGE_CREATE only; the credential-test endpoint only a valid key
		res = await call('/api/v2/message/chatbot', { from: 'a@b.nl', subject: 's', message: 'm', brandID: OMNIDESK_BRAND_ID });
		expect(res.status).toBe(200);
		sb.omnidesk.permissions.delete(OMNIDESK_PERMISSIONS.messageCreate);
		res = await call('/api/v2/message/chatbot', { from: 'a@b.nl', subject: 's', message: 'm', brandID: OMNIDESK_BRAND_ID });
		expect(res.status).toBe(403);
		expect(res.body.message).toContain('MESSAGE_CREATE');
		expect((await call('/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', {}, { method: 'GET' })).status).toBe(200);
		sb.reset();
		expect(sb.omnidesk.permissions.has(OMNIDESK_PERMISSIONS.chat)).toBe(true);
	});

	it('supports extra keys with their own permissions', async () => {
		sb.omnidesk.apiKeys.set('odk_readonly_key', new Set());
		expect((await call(NEW_MSG, msg(), { apiKey: 'odk_readonly_key' })).status).toBe(403);
		expect((await call('/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', {}, { method: 'GET', apiKey: 'odk_readonly_key' })).status).toBe(
			200,
		);
	});
});

describe('encoding', () => {
	it('accepts multipart (documented) and urlencoded (undocumented), recording bodyKind', async () => {
		expect((await call(NEW_MSG, msg({ messageNumber: 1 }), { encoding: 'multipart' })).status).toBe(200);
		expect((await call(NEW_MSG, msg({ messageNumber: 2 }), { encoding: 'form' })).status).toBe(200);
		expect(sb.omnidesk.messagesOf('sess-0001').map((m) => m.bodyKind)).toEqual(['multipart', 'form']);
		expect(sb.requestsFor('omnidesk', 'POST', NEW_MSG).map((r) => r.bodyKind)).toEqual(['multipart', 'form']);
	});

	it('rejects JSON and other bodies with 400 naming multipart', async () => {
		for (const encoding of ['json', 'text'] as const) {
			const res = await call(NEW_MSG, msg(), { encoding });
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ status: 'error', message: expect.stringContaining('multipart') });
		}
		expect(sb.omnidesk.sessions.size).toBe(0);
	});

	it('rejects a malformed multipart body', async () => {
		const res = await fetch(`${sb.baseUrl('omnidesk')}${NEW_MSG}`, {
			method: 'POST',
			headers: { apiKey: OMNIDESK_API_KEY, 'content-type': 'multipart/form-data; boundary=xyz' },
			body: 'garbage',
		});
		expect(res.status).toBe(400);
		expect(await json(res)).toEqual({ status: 'error', message: expect.stringContaining('multipart') });
	});
});

describe('notifyUserNewChatMessage', () => {
	it('creates a session and ticket on the first message and reuses them after', async () => {
		let res = await call(NEW_MSG, msg({ customerName: 'Jan de Vries 2', emailAddress: 'jan@example.nl', phoneNumber: '+31612345678' }));
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ type: 'result', message: 'Message sent.', ticketID: OMNIDESK_FIRST_TICKET_ID });
		res = await call(NEW_MSG, msg({ message: 'second', messageNumber: 2 }));
		expect(res.body.ticketID).toBe(OMNIDESK_FIRST_TICKET_ID);
		res = await call(NEW_MSG, msg({ chatSessionID: 'sess-0002', message: 'other' }));
		expect(res.body.ticketID).toBe(OMNIDESK_FIRST_TICKET_ID + 1);

		const s = sb.omnidesk.sessions.get('sess-0001')!;
		expect(s).toMatchObject({
			ticketID: OMNIDESK_FIRST_TICKET_ID,
			chatServer: CHAT_SERVER,
			channelID: 8,
			ended: false,
			customer: { name: 'Jan de Vries 2', email: 'jan@example.nl', phone: '+31612345678' },
		});
		expect(s.messages.map((m) => [m.messageNumber, m.message])).toEqual([
			[1, 'Hello, I need help'],
			[2, 'second'],
		]);
		expect(s.messages[0].fields).toMatchObject({ chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN, channelID: '8' });
		expect(sb.omnidesk.tickets.size).toBe(2);
		expect(sb.omnidesk.ticketOf('sess-0001')).toMatchObject({ kind: 'chat', sessionId: 'sess-0001', from: 'jan@example.nl' });
	});

	it('accepts the documented edge values', async () => {
		const res = await call(
			NEW_MSG,
			msg({
				chatSessionID: '+31612345678',
				chatServer: 'http://10.0.0.5:8080/hooks',
				channelID: '8',
				url: ' ',
				messageNumber: undefined,
				usedPredefinedUserInput: 'false',
				additionalData: ' ',
				externalAddressOverwrite: ' ',
				customerName: '',
			}),
		);
		expect(res.status).toBe(200);
		const m = sb.omnidesk.messagesOf('+31612345678')[0];
		expect(m).toMatchObject({ url: ' ', messageNumber: null, channelID: 8, usedPredefinedUserInput: 'false', additionalData: ' ' });
		expect(sb.omnidesk.sessions.get('+31612345678')!.customer.name).toBeNull();
	});

	it.each<[string, Record<string, string | number | undefined>, string]>([
		['chatSessionID missing', { chatSessionID: undefined }, 'chatSessionID: is required'],
		['chatSessionID with _', { chatSessionID: 'sess_1' }, 'chatSessionID: does not match'],
		['chatSessionID with inner +', { chatSessionID: 'a+b' }, 'chatSessionID: does not match'],
		['chatServer missing', { chatServer: undefined }, 'chatServer: is required'],
		['chatServer short', { chatServer: 'a.b' }, 'chatServer: must be at least 5 characters'],
		['chatServer with query', { chatServer: 'https://x.example/h?k=1' }, 'chatServer: does not match'],
		['chatServer with _', { chatServer: 'https://my_host.example' }, 'chatServer: does not match'],
		['token missing', { chatAccountToken: undefined }, 'chatAccountToken: is required'],
		['token short', { chatAccountToken: 'abc123' }, 'chatAccountToken: must be at least 10 characters'],
		['token non-alnum', { chatAccountToken: 'cat7Hq2Lw9-Zx4' }, 'chatAccountToken: does not match'],
		['message missing', { message: undefined }, 'message: is required'],
		['message empty', { message: '' }, 'message: is required'],
		['channelID missing', { channelID: undefined }, 'channelID: is required'],
		['channelID text', { channelID: 'live' }, 'channelID: must be an integer'],
		['url missing', { url: undefined }, 'url: is required'],
		['messageNumber 0', { messageNumber: 0 }, 'messageNumber: must be at least 1'],
		['messageNumber text', { messageNumber: 'one' }, 'messageNumber: must be an integer'],
		['customerName accent', { customerName: 'José' }, 'customerName: does not match'],
		['emailAddress', { emailAddress: 'not-an-email' }, 'emailAddress: must be a valid e-mail address'],
		['phoneNumber without +', { phoneNumber: '0612345678' }, 'phoneNumber: does not match'],
		['phoneNumber with space', { phoneNumber: '+31 612345678' }, 'phoneNumber: does not match'],
		['usedPredefinedUserInput', { usedPredefinedUserInput: 'maybe' }, 'usedPredefinedUserInput: must be one of'],
	])('400 for %s', async (_name, overrides, message) => {
		const res = await call(NEW_MSG, msg(overrides));
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ status: 'error', message: expect.stringContaining(message) });
		expect(sb.omnidesk.sessions.size).toBe(0);
	});

	it('rejects a well-formed but unknown chatAccountToken with 401', async () => {
		const res = await call(NEW_MSG, msg({ chatAccountToken: 'abcdefghij0123' }));
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ status: 'error', message: 'Invalid chat account token' });
	});

	it('rejects a repeated field', async () => {
		const fd = new FormData();
		for (const [k, v] of Object.entries(msg())) fd.append(k, String(v));
		fd.append('message', 'again');
		const res = await fetch(`${sb.baseUrl('omnidesk')}${NEW_MSG}`, { method: 'POST', headers: { apiKey: OMNIDESK_API_KEY }, body: fd });
		expect(res.status).toBe(400);
		expect(await json(res)).toEqual({ status: 'error', message: 'message: must be a single value' });
	});

	it('uses the latest chatServer and opens a new ticket after the session ended', async () => {
		await call(NEW_MSG, msg());
		await call(NEW_MSG, msg({ chatServer: 'https://other.example.com/h', messageNumber: 2 }));
		expect(sb.omnidesk.sessions.get('sess-0001')!.chatServer).toBe('https://other.example.com/h');
		await call('/api/v2/chat/notifyUserEndChat', { chatSessionID: 'sess-0001', chatServer: CHAT_SERVER });
		const res = await call(NEW_MSG, msg({ messageNumber: 1 }));
		expect(res.body.ticketID).toBe(OMNIDESK_FIRST_TICKET_ID + 1);
		expect(sb.omnidesk.archivedSessions.map((s) => s.ticketID)).toEqual([OMNIDESK_FIRST_TICKET_ID]);
		expect(sb.omnidesk.sessions.get('sess-0001')).toMatchObject({ ended: false, ticketID: OMNIDESK_FIRST_TICKET_ID + 1 });
	});
});

describe('addAttachment', () => {
	const bytes = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256));
	const attach = (fields: Record<string, string>, opts: CallOpts = {}): Promise<Reply> =>
		call(
			'/api/v2/chat/addAttachment',
			{ chatServer: CHAT_SERVER, chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN, ...fields },
			{ file: { name: 'scan 1.pdf', type: 'application/pdf', data: bytes }, ...opts },
		);

	it('stores the exact bytes, filename and type (field sessionID as in the seed)', async () => {
		await call(NEW_MSG, msg());
		const res = await attach({ sessionID: 'sess-0001' });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ type: 'result', message: 'Attachment uploaded.', ticketID: OMNIDESK_FIRST_TICKET_ID, messageID: 2 });
		const [a] = sb.omnidesk.sessions.get('sess-0001')!.attachments;
		expect(a).toMatchObject({ filename: 'scan 1.pdf', contentType: 'application/pdf', size: 1024, sessionField: 'sessionID', messageID: 2 });
		expect(Buffer.compare(a.data, bytes)).toBe(0);
	});

	it('also accepts chatSessionID', async () => {
		await call(NEW_MSG, msg());
		expect((await attach({ chatSessionID: 'sess-0001' })).status).toBe(200);
		expect(sb.omnidesk.sessions.get('sess-0001')!.attachments[0].sessionField).toBe('chatSessionID');
	});

	it('rejects unknown sessions, missing files, bad tokens and non-multipart bodies', async () => {
		let res = await attach({ sessionID: 'nope-1' });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ status: 'error', message: 'Unknown session' });
		await call(NEW_MSG, msg());
		res = await attach({ sessionID: 'sess-0001' }, { file: undefined });
		expect(res.body).toEqual({ status: 'error', message: expect.stringMatching(/^file: is required/) });
		res = await attach({ sessionID: 'sess-0001' }, { file: { field: 'upload', name: 'a.txt', type: 'text/plain', data: bytes } });
		expect(res.status).toBe(400);
		res = await attach({ sessionID: 'sess-0001' }, { encoding: 'form' });
		expect(res.status).toBe(400);
		expect(res.body.message).toMatch(/^file: is required/);
		res = await attach({});
		expect(res.body).toEqual({ status: 'error', message: 'sessionID: is required' });
		res = await attach({ sessionID: 'sess-0001', chatAccountToken: 'abcdefghij0123' });
		expect(res.status).toBe(401);
		await call('/api/v2/chat/notifyUserEndChat', { chatSessionID: 'sess-0001', chatServer: CHAT_SERVER });
		res = await attach({ sessionID: 'sess-0001' });
		expect(res.body).toEqual({ status: 'error', message: 'Session ended' });
		expect(sb.omnidesk.sessions.get('sess-0001')!.attachments).toHaveLength(0);
	});
});

describe('notifyUserNewChatEvent and notifyUserVisited', () => {
	it('records each documented event', async () => {
		await call(NEW_MSG, msg());
		for (const event of ['startedtyping', 'stoppedtyping', 'expandedchat', 'minimizedchat']) {
			const res = await call('/api/v2/chat/notifyUserNewChatEvent', { chatServer: CHAT_SERVER, chatSessionID: 'sess-0001', event });
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ type: 'result', message: 'Event sent.' });
		}
		expect(sb.omnidesk.sessions.get('sess-0001')!.events.map((e) => e.event)).toEqual([
			'startedtyping',
			'stoppedtyping',
			'expandedchat',
			'minimizedchat',
		]);
	});

	it('accepts events before the first message (recorded as unknown session)', async () => {
		const res = await call('/api/v2/chat/notifyUserNewChatEvent', { chatServer: CHAT_SERVER, chatSessionID: 'early-1', event: 'expandedchat' });
		expect(res.status).toBe(200);
		expect(sb.omnidesk.events).toEqual([expect.objectContaining({ sessionId: 'early-1', knownSession: false })]);
	});

	it.each<[Record<string, string>, string]>([
		[{ chatSessionID: 'sess-1', event: 'typing' }, 'event: must be one of startedtyping, stoppedtyping, expandedchat, minimizedchat'],
		[{ chatSessionID: '+31612345678', event: 'startedtyping' }, 'chatSessionID: does not match'],
		[{ chatSessionID: 'sess-1' }, 'event: is required'],
		[{ event: 'startedtyping' }, 'chatSessionID: is required'],
	])('400 for %j', async (fields, message) => {
		const res = await call('/api/v2/chat/notifyUserNewChatEvent', { chatServer: CHAT_SERVER, ...fields });
		expect(res.status).toBe(400);
		expect(res.body.message).toContain(message);
	});

	it('records visits', async () => {
		await call(NEW_MSG, msg());
		const res = await call('/api/v2/chat/notifyUserVisited', { chatServer: CHAT_SERVER, chatSessionID: 'sess-0001', url: 'https://www.brand.com/p/2' });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ type: 'result' });
		expect(sb.omnidesk.sessions.get('sess-0001')!.events).toEqual([expect.objectContaining({ event: 'visited', url: 'https://www.brand.com/p/2' })]);
		expect((await call('/api/v2/chat/notifyUserVisited', { chatServer: CHAT_SERVER, chatSessionID: 'sess-0001' })).body.message).toBe(
			'url: is required',
		);
	});
});

describe('end session (both paths)', () => {
	it.each([['/api/v2/message/notifyUserEndChat'], ['/api/v2/chat/notifyUserEndChat']])('%s ends the session', async (path) => {
		await call(NEW_MSG, msg());
		let res = await call(path, { chatSessionID: 'sess-0001', chatServer: CHAT_SERVER });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ type: 'result', message: 'Session ended.' });
		expect(sb.omnidesk.sessions.get('sess-0001')).toMatchObject({ ended: true, endedBy: 'api', endedVia: path });
		// idempotent
		res = await call(path, { chatSessionID: 'sess-0001', chatServer: CHAT_SERVER });
		expect(res.status).toBe(200);
	});

	it('validates and rejects unknown sessions', async () => {
		let res = await call('/api/v2/message/notifyUserEndChat', { chatSessionID: 'sess-0001' });
		expect(res.body).toEqual({ status: 'error', message: 'chatServer: is required' });
		res = await call('/api/v2/chat/notifyUserEndChat', { chatSessionID: 'sess-0001', chatServer: CHAT_SERVER });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ status: 'error', message: 'Unknown session' });
		res = await call('/api/v2/chat/notifyUserEndChat', { chatSessionID: '+3161', chatServer: CHAT_SERVER });
		expect(res.body.message).toMatch(/^chatSessionID: does not match/);
	});
});

describe('requestChatConfig', () => {
	const configKeys = Object.keys(OMNIDESK_SEED_CHAT_CONFIG);

	it('seed variant: GET on the chat host with chatAccountToken + chatServerToken, agents available', async () => {
		const url = `${sb.baseUrl('omnidesk-chat')}/requestChatConfig?chatAccountToken=${OMNIDESK_CHAT_ACCOUNT_TOKEN}&chatServerToken=${OMNIDESK_CHAT_SERVER_TOKEN}`;
		const res = await fetch(url);
		expect(res.status).toBe(200);
		const body = await json(res);
		expect(body).toEqual({
			type: 'result',
			message: 'start instructions',
			config: { ...OMNIDESK_SEED_CHAT_CONFIG },
			instructions: [
				{ type: 'phoneNumber', key: 'phoneNumber' },
				{ type: 'show_team', team_profile_pictures: [] },
			],
		});
		expect(Object.keys(body.config)).toEqual(configKeys);
		expect(configKeys).toHaveLength(22);
	});

	it('seed variant: no agents → hide_reason_no_agents_available', async () => {
		sb.omnidesk.agentsAvailable = false;
		const url = `${sb.baseUrl('omnidesk-chat')}/requestChatConfig?chatAccountToken=${OMNIDESK_CHAT_ACCOUNT_TOKEN}&chatServerToken=${OMNIDESK_CHAT_SERVER_TOKEN}`;
		const body = await json(await fetch(url));
		expect(body.instructions[0]).toEqual({ type: 'hide_reason_no_agents_available' });
		sb.omnidesk.hideChatWhenNoAgents = false;
		const again = await json(await fetch(url));
		expect(again.instructions.map((i: { type: string }) => i.type)).not.toContain('hide_reason_no_agents_available');
	});

	it('seed variant: token errors', async () => {
		const base = `${sb.baseUrl('omnidesk-chat')}/requestChatConfig`;
		let res = await fetch(`${base}?chatServerToken=${OMNIDESK_CHAT_SERVER_TOKEN}`);
		expect(res.status).toBe(400);
		expect(await json(res)).toEqual({ status: 'error', message: 'chatAccountToken: is required' });
		res = await fetch(`${base}?chatAccountToken=${OMNIDESK_CHAT_ACCOUNT_TOKEN}`);
		expect((await json(res)).message).toBe('chatServerToken: is required');
		res = await fetch(`${base}?chatAccountToken=${OMNIDESK_CHAT_ACCOUNT_TOKEN}&chatServerToken=wrong`);
		expect(res.status).toBe(401);
		expect(await json(res)).toEqual({ status: 'error', message: 'Invalid chat server token' });
		res = await fetch(`${base}?chatAccountToken=abcdefghij0123&chatServerToken=${OMNIDESK_CHAT_SERVER_TOKEN}`);
		expect(res.status).toBe(401);
		expect((await fetch(base, { method: 'POST' })).status).toBe(405);
	});

	it('spec variant: POST multipart on the account base, with and without agents', async () => {
		const fields = { chatServer: CHAT_SERVER, chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN };
		let res = await call('/api/v2/chat/requestChatConfig', fields);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ type: 'result', message: 'start instructions', config: { ...OMNIDESK_SEED_CHAT_CONFIG } });
		expect(res.body.instructions.map((i: { type: string }) => i.type)).toEqual(['phoneNumber', 'show_team']);
		sb.omnidesk.agentsAvailable = false;
		res = await call('/api/v2/chat/requestChatConfig', fields);
		expect(res.body.instructions.map((i: { type: string }) => i.type)).toEqual(['hide_reason_no_agents_available', 'phoneNumber', 'show_team']);
		res = await call('/api/v2/chat/requestChatConfig', { chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN });
		expect(res.body).toEqual({ status: 'error', message: 'chatServer: is required' });
		res = await call('/api/v2/chat/requestChatConfig', fields, { key: 'none' });
		expect(res.status).toBe(401);
		res = await call('/api/v2/chat/requestChatConfig', fields, { encoding: 'json' });
		expect(res.status).toBe(400);
	});
});

describe('chatbot ticket', () => {
	const transcript = '**Bot:** Hi!\n**Customer:** I want a _refund_\n\n- item 1\n- item 2';

	it('creates a ticket with the Markdown verbatim', async () => {
		const res = await call('/api/v2/message/chatbot', { from: '+31612345678', subject: 'Bot chat', message: transcript, brandID: String(OMNIDESK_BRAND_ID) });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ result: 'success', message: 'Chatbot ticket created.' });
		// (fetch's FormData turns \n into \r\n in multipart text fields; the sandbox stores what arrived)
		expect(sb.omnidesk.chatbotTickets()).toEqual([
			expect.objectContaining({ kind: 'chatbot', from: '+31612345678', subject: 'Bot chat', message: transcript.replace(/\n/g, '\r\n'), brandID: OMNIDESK_BRAND_ID }),
		]);
		await call('/api/v2/message/chatbot', { from: 'a@b.nl', subject: 'Form', message: transcript, brandID: OMNIDESK_BRAND_ID }, { encoding: 'form' });
		expect(sb.omnidesk.chatbotTickets()[1]).toMatchObject({ message: transcript, bodyKind: 'form', ticketID: OMNIDESK_FIRST_TICKET_ID + 1 });
	});

	it.each<[Record<string, string>, string]>([
		[{ from: '' }, 'from: is required'],
		[{ subject: '' }, 'subject: is required'],
		[{ message: '' }, 'message: is required'],
		[{ brandID: '' }, 'brandID: is required'],
		[{ brandID: 'main' }, 'brandID: must be an integer'],
		[{ brandID: '99' }, 'brandID: unknown brand 99'],
	])('400 for %j', async (override, message) => {
		const res = await call('/api/v2/message/chatbot', { from: 'a@b.nl', subject: 's', message: 'm', brandID: OMNIDESK_BRAND_ID, ...override });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ status: 'error', message });
		expect(sb.omnidesk.tickets.size).toBe(0);
	});
});

describe('whitelistedDomainsAndBlacklistedIPs', () => {
	it('returns the lists (credential test endpoint)', async () => {
		const res = await call('/api/v2/chat/whitelistedDomainsAndBlacklistedIPs', {}, { method: 'GET' });
		expect(res.body).toEqual({ type: 'result', whitelistedDomains: ['www.example.com', 'shop.example.com'], blacklistedIPs: ['203.0.113.66'] });
	});
});

describe('faults on omnidesk mounts', () => {
	it('429 with the legacy body and Retry-After 0, without state change', async () => {
		const f = sb.fault({ provider: 'omnidesk', path: NEW_MSG, status: 429 });
		let res = await call(NEW_MSG, msg());
		expect(res.status).toBe(429);
		expect(res.body).toEqual({ status: 'error', message: 'Too many requests' });
		expect(res.headers.get('retry-after')).toBe('0');
		expect(f).toMatchObject({ hits: 1, remaining: 0 });
		expect(sb.omnidesk.sessions.size).toBe(0);
		res = await call(NEW_MSG, msg());
		expect(res.status).toBe(200);
	});

	it('500 on the chat host and dropped connections', async () => {
		sb.fault({ provider: 'omnidesk-chat', status: 500 });
		const res = await fetch(`${sb.baseUrl('omnidesk-chat')}/requestChatConfig`);
		expect(res.status).toBe(500);
		expect(await json(res)).toEqual({ status: 'error', message: 'Internal server error' });
		sb.fault({ provider: 'omnidesk', drop: true });
		await expect(call(NEW_MSG, msg())).rejects.toThrow();
		expect(sb.lastRequest('omnidesk')).toMatchObject({ dropped: true });
	});
});

// =====================================================================================
// Hookpoint client
// =====================================================================================

interface Hit {
	method: string;
	url: string;
	headers: HeaderMap;
	raw: Buffer;
}

describe('hookpoint client (Omnidesk → chatServer)', () => {
	let server: FakeServer;
	let hookBase: string;
	const hits: Hit[] = [];

	beforeAll(async () => {
		server = await startFakeServer(({ request }) => {
			hits.push({ method: request.method, url: request.url, headers: request.headers, raw: request.rawBody });
			return request.url.endsWith('/endSession')
				? { raw: '{"message":"ok"}', headers: { 'content-type': 'application/json' } }
				: { raw: 'ok', headers: { 'content-type': 'text/plain' } };
		});
		hookBase = `${server.url}/hooks/k7Qp2Wx9`;
	});
	afterAll(() => server.close());
	beforeEach(() => {
		hits.length = 0;
	});

	const parsed = (h: Hit): { kind: string; body: any } => {
		const p = parseBody(h.raw, h.headers['content-type'] as string | undefined);
		return { kind: p.kind, body: p.body };
	};

	it('pushToChatServer posts multipart, form and JSON exactly', async () => {
		const fields = { sessionID: 'sess-0001', message: 'Hi there, ünïcode & = ?', name: 'Anna', picture: 'https://x.example/a.png' };
		const r1 = await sb.omnidesk.pushToChatServer(hookBase, 'messageForCustomer', fields, { encoding: 'multipart' });
		expect(r1).toMatchObject({ status: 200, body: 'ok', text: 'ok' });
		await sb.omnidesk.pushToChatServer(`${hookBase}/`, 'messageForCustomer', fields, { encoding: 'form' });
		await sb.omnidesk.pushToChatServer(hookBase, 'messageForCustomer', fields, { encoding: 'json' });
		expect(hits.map((h) => `${h.method} ${h.url}`)).toEqual(Array(3).fill('POST /hooks/k7Qp2Wx9/messageForCustomer'));
		expect(parsed(hits[0])).toEqual({ kind: 'multipart', body: { fields, files: [] } });
		expect(parsed(hits[1])).toEqual({ kind: 'form', body: fields });
		expect(parsed(hits[2])).toEqual({ kind: 'json', body: fields });
		expect(sb.omnidesk.hookCalls.map((c) => [c.encoding, c.response?.status])).toEqual([
			['multipart', 200],
			['form', 200],
			['json', 200],
		]);
		expect(Buffer.compare(sb.omnidesk.hookCalls[1].rawBody, hits[1].raw)).toBe(0);
	});

	it('agent helpers use the chatServer of the session', async () => {
		await call(NEW_MSG, msg({ chatServer: hookBase }));
		await sb.omnidesk.agentReply('sess-0001', 'How can I help?', { name: 'Anna', picture: 'https://x.example/a.png' });
		const file = Buffer.from([0, 1, 2, 255, 254, 13, 10, 45, 45]);
		await sb.omnidesk.agentFile('sess-0001', { name: 'label.png', contentType: 'image/png', data: file });
		await sb.omnidesk.agentTyping('sess-0001', true);
		await sb.omnidesk.agentTyping('sess-0001', false, { encoding: 'json' });
		const end = await sb.omnidesk.agentEndSession('sess-0001');

		expect(hits.map((h) => h.url)).toEqual([
			'/hooks/k7Qp2Wx9/messageForCustomer',
			'/hooks/k7Qp2Wx9/uploadForCustomer',
			'/hooks/k7Qp2Wx9/typingIndicatorForCustomer',
			'/hooks/k7Qp2Wx9/typingIndicatorForCustomer',
			'/hooks/k7Qp2Wx9/endSession',
		]);
		expect(parsed(hits[0]).body.fields).toEqual({ sessionID: 'sess-0001', message: 'How can I help?', name: 'Anna', picture: 'https://x.example/a.png' });
		const upload = parsed(hits[1]).body as MultipartBody;
		expect(upload.fields).toEqual({ sessionID: 'sess-0001' });
		expect(upload.files).toHaveLength(1);
		expect(upload.files[0]).toMatchObject({ field: 'file', filename: 'label.png', contentType: 'image/png' });
		expect(Buffer.compare(upload.files[0].data, file)).toBe(0);
		expect(parsed(hits[2]).body.fields).toEqual({ Typing: 'true', SessionID: 'sess-0001' });
		expect(parsed(hits[3])).toEqual({ kind: 'json', body: { Typing: false, SessionID: 'sess-0001' } });
		expect(parsed(hits[4]).body.fields).toEqual({ sessionID: 'sess-0001' });
		expect(end).toMatchObject({ status: 200, body: { message: 'ok' } });

		const s = sb.omnidesk.sessions.get('sess-0001')!;
		expect(s).toMatchObject({ ended: true, endedBy: 'agent' });
		expect(s.outbound.map((c) => c.hookpoint)).toEqual([
			'messageForCustomer',
			'uploadForCustomer',
			'typingIndicatorForCustomer',
			'typingIndicatorForCustomer',
			'endSession',
		]);
	});

	it('default agent identity, picture omitted on request, string typing values verbatim', async () => {
		await call(NEW_MSG, msg({ chatServer: hookBase }));
		await sb.omnidesk.agentReply('sess-0001', 'a');
		await sb.omnidesk.agentReply('sess-0001', 'b', { name: 'Bo', picture: null }, { encoding: 'form' });
		await sb.omnidesk.agentTyping('sess-0001', '0', { encoding: 'form' });
		expect(parsed(hits[0]).body.fields).toMatchObject({ name: 'Sandbox Agent', picture: expect.any(String) });
		expect(parsed(hits[1]).body).toEqual({ sessionID: 'sess-0001', message: 'b', name: 'Bo' });
		expect(parsed(hits[2]).body).toEqual({ Typing: '0', SessionID: 'sess-0001' });
	});

	it('adds http:// to a scheme-less chatServer', async () => {
		const noScheme = hookBase.replace(/^http:\/\//, '');
		await call(NEW_MSG, msg({ chatServer: noScheme }));
		await sb.omnidesk.agentReply('sess-0001', 'x');
		expect(hits[0].url).toBe('/hooks/k7Qp2Wx9/messageForCustomer');
		expect(sb.omnidesk.hookCalls[0].url).toBe(`${hookBase}/messageForCustomer`);
	});

	it('errors: unknown session, file without multipart, unreachable chatServer', async () => {
		expect(() => sb.omnidesk.agentReply('nope', 'x')).toThrow(/unknown session/);
		expect(() =>
			sb.omnidesk.pushToChatServer(hookBase, 'uploadForCustomer', { sessionID: 's' }, { encoding: 'form', file: { name: 'a', contentType: 'text/plain', data: 'x' } }),
		).toThrow(/multipart/);
		// a port nobody listens on: bind and close one
		const tmp = await startFakeServer();
		const port = tmp.port;
		await tmp.close();
		await expect(sb.omnidesk.pushToChatServer(`http://127.0.0.1:${port}`, 'endSession', { sessionID: 's' })).rejects.toThrow();
		expect(sb.omnidesk.hookCalls.at(-1)).toMatchObject({ response: null, error: expect.any(String) });
	});
});

describe('reset', () => {
	it('restores seed state in place', async () => {
		const sessions = sb.omnidesk.sessions;
		await call(NEW_MSG, msg());
		sb.omnidesk.agentsAvailable = false;
		sb.omnidesk.chatConfig.header_color = '#000000';
		sb.omnidesk.brands.clear();
		sb.reset();
		expect(sb.omnidesk.sessions).toBe(sessions);
		expect(sessions.size).toBe(0);
		expect(sb.omnidesk.tickets.size).toBe(0);
		expect(sb.omnidesk.agentsAvailable).toBe(true);
		expect(sb.omnidesk.chatConfig).toEqual(OMNIDESK_SEED_CHAT_CONFIG);
		expect(sb.omnidesk.brands.has(OMNIDESK_BRAND_ID)).toBe(true);
		expect(sb.omnidesk.lastApiKeyPlacement).toBeNull();
		expect((await call(NEW_MSG, msg())).body.ticketID).toBe(OMNIDESK_FIRST_TICKET_ID);
	});
});
