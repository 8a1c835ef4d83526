/**
 * Digishare contract of the sandbox (see /work/shared/providers/digishare.md).
 */
import {
	DIGISHARE_BOT_IDS,
	DIGISHARE_CLIENT_ID,
	DIGISHARE_CLIENT_SECRET,
	DIGISHARE_COMPANY_ID,
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_CONVERSATION_STATUS,
	DIGISHARE_PAT,
	DIGISHARE_PERMISSIONS,
	DIGISHARE_PLATFORM_LINK_IDS,
	DIGISHARE_PROFILE,
	DIGISHARE_PROVIDER_INSTANCE_IDS,
	DIGISHARE_THIRD_IDS,
	DIGISHARE_USER_IDS,
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

interface Reply {
	status: number;
	headers: Headers;
	body: any;
	text: string;
}

async function call(
	method: string,
	path: string,
	opts: { json?: unknown; raw?: string; token?: string | null; mount?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	const token = opts.token === undefined ? DIGISHARE_PAT : opts.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	let body: string | undefined;
	if (opts.json !== undefined) {
		headers['content-type'] = headers['content-type'] ?? 'application/json';
		body = JSON.stringify(opts.json);
	} else if (opts.raw !== undefined) body = opts.raw;
	const res = await fetch(`${sb.baseUrl(opts.mount ?? 'digishare')}${path}`, { method, headers, body });
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

const CONV = DIGISHARE_CONVERSATION_IDS;

describe('authentication', () => {
	it('rejects missing and invalid tokens with 401 Unauthenticated.', async () => {
		for (const token of [null, 'nope', '']) {
			const r = await call('GET', '/user/profile', { token });
			expect(r.status).toBe(401);
			expect(r.body).toEqual({ message: 'Unauthenticated.' });
		}
		const basic = await call('GET', '/user/profile', { token: null, headers: { authorization: `Basic ${DIGISHARE_PAT}` } });
		expect(basic.status).toBe(401);
	});

	it('accepts the PAT (scheme case-insensitive) and returns the profile', async () => {
		const r = await call('GET', '/user/profile', { token: null, headers: { authorization: `bearer ${DIGISHARE_PAT}` } });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ ...DIGISHARE_PROFILE });
		expect(Object.keys(r.body).sort()).toEqual(['email', 'id', 'name', 'status']);
	});

	it('requires auth on every host (app ingest and calclytics)', async () => {
		expect((await call('POST', '/event/conversation_message', { mount: 'digishare-app', token: null, json: {} })).status).toBe(401);
		expect((await call('GET', '/conversations/check?third_id=x', { mount: 'digishare-calclytics', token: null })).status).toBe(401);
	});

	it('can revoke the PAT for a test', async () => {
		sb.digishare.pats.delete(DIGISHARE_PAT);
		expect((await call('GET', '/user/profile')).status).toBe(401);
	});
});

describe('OAuth client credentials', () => {
	const creds = { grant_type: 'client_credentials', client_id: DIGISHARE_CLIENT_ID, client_secret: DIGISHARE_CLIENT_SECRET };

	it('issues a Bearer token usable on the API, and counts issued tokens', async () => {
		const r = await call('POST', '/oauth/token', { token: null, json: creds });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ token_type: 'Bearer', expires_in: 31536000, access_token: expect.any(String) });
		expect(r.body.access_token.split('.')).toHaveLength(3);
		expect(sb.digishare.oauthTokensIssued).toBe(1);

		const p = await call('GET', '/user/profile', { token: r.body.access_token });
		expect(p.status).toBe(200);

		const r2 = await call('POST', '/oauth/token', { token: null, json: creds });
		expect(r2.body.access_token).not.toBe(r.body.access_token);
		expect(sb.digishare.oauthTokensIssued).toBe(2);
	});

	it('rejects expired tokens after expireOAuthTokens()', async () => {
		const { body } = await call('POST', '/oauth/token', { token: null, json: creds });
		sb.digishare.expireOAuthTokens();
		const r = await call('GET', '/user/profile', { token: body.access_token });
		expect(r.status).toBe(401);
		expect(r.body).toEqual({ message: 'Unauthenticated.' });
		// the PAT is unaffected
		expect((await call('GET', '/user/profile')).status).toBe(200);
	});

	it('401s wrong credentials and 400s missing fields / bad grant type', async () => {
		const wrong = await call('POST', '/oauth/token', { token: null, json: { ...creds, client_secret: 'x' } });
		expect(wrong.status).toBe(401);
		expect(wrong.body).toMatchObject({ message: 'Client authentication failed', error: 'invalid_client' });

		const missing = await call('POST', '/oauth/token', { token: null, json: { grant_type: 'client_credentials', client_id: DIGISHARE_CLIENT_ID } });
		expect(missing.status).toBe(400);
		expect(missing.body).toMatchObject({ error: 'invalid_request', details: expect.stringContaining('client_secret') });

		const grant = await call('POST', '/oauth/token', { token: null, json: { ...creds, grant_type: 'password' } });
		expect(grant.status).toBe(400);
		expect(grant.body.error).toBe('unsupported_grant_type');
		expect(sb.digishare.oauthTokensIssued).toBe(0);
	});

	it('also accepts a form-encoded token request', async () => {
		const r = await call('POST', '/oauth/token', {
			token: null,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			raw: new URLSearchParams(creds).toString(),
		});
		expect(r.status).toBe(200);
	});
});

describe('POST /messages', () => {
	it('sends a text message: 201 {id, status:"sent"}, stored, last_message updated', async () => {
		const r = await call('POST', '/messages', { json: { body: 'Hello! How can I help you?', conversation_id: CONV.active, send_to_third: true } });
		expect(r.status).toBe(201);
		expect(r.body).toEqual({ id: expect.stringMatching(/^[a-z0-9]{16}$/), status: 'sent' });
		const stored = sb.digishare.messages[sb.digishare.messages.length - 1];
		expect(stored).toMatchObject({ id: r.body.id, conversation_id: CONV.active, type: 'text', body: 'Hello! How can I help you?', send_to_third: true, via: 'messages' });
		expect(sb.digishare.messagesOf(CONV.active).map((m) => m.body)).toEqual(['/info', 'Hello! How can I help you?']);
		expect(sb.digishare.conversations.get(CONV.active)?.last_message).toEqual({ text: 'Hello! How can I help you?' });
	});

	it('accepts 0/1 for send_to_third (Laravel boolean) but not "true"', async () => {
		expect((await call('POST', '/messages', { json: { body: 'x', conversation_id: CONV.active, send_to_third: 0 } })).status).toBe(201);
		const r = await call('POST', '/messages', { json: { body: 'x', conversation_id: CONV.active, send_to_third: 'true' } });
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual({ send_to_third: ['The send to third field must be true or false.'] });
	});

	it('422s missing required fields with Laravel-style body', async () => {
		const r = await call('POST', '/messages', { json: {} });
		expect(r.status).toBe(422);
		expect(r.body).toEqual({
			message: 'The conversation id field is required. (and 2 more errors)',
			errors: {
				conversation_id: ['The conversation id field is required.'],
				send_to_third: ['The send to third field is required.'],
				body: ['The body field is required.'],
			},
		});
	});

	it('enforces the 4096-character text limit and the type enum', async () => {
		const base = { conversation_id: CONV.active, send_to_third: true };
		expect((await call('POST', '/messages', { json: { ...base, body: 'a'.repeat(4096) } })).status).toBe(201);
		const long = await call('POST', '/messages', { json: { ...base, body: 'a'.repeat(4097) } });
		expect(long.status).toBe(422);
		expect(long.body.errors).toEqual({ body: ['The body field must not be greater than 4096 characters.'] });
		const type = await call('POST', '/messages', { json: { ...base, type: 'image', body: 'x' } });
		expect(type.body.errors).toEqual({ type: ['The selected type is invalid.'] });
		const obj = await call('POST', '/messages', { json: { ...base, body: { text: 'x' } } });
		expect(obj.body.errors).toEqual({ body: ['The body field must be a string.'] });
	});

	it('404s an unknown conversation with {message, resource_id}', async () => {
		const r = await call('POST', '/messages', { json: { body: 'x', conversation_id: 'zzzzzzzzzzzzzzzz', send_to_third: true } });
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ message: 'Conversation not found.', resource_id: 'zzzzzzzzzzzzzzzz' });
	});

	it('400s non-JSON content types and malformed JSON', async () => {
		const form = await call('POST', '/messages', {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			raw: `body=x&conversation_id=${CONV.active}&send_to_third=1`,
		});
		expect(form.status).toBe(400);
		expect(form.body).toEqual({ error: 'Unsupported Content-Type', details: expect.stringContaining('application/json') });
		const none = await call('POST', '/messages', { raw: 'hello' });
		expect(none.status).toBe(400);
		const bad = await call('POST', '/messages', { headers: { 'content-type': 'application/json' }, raw: '{"body":' });
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual({ error: 'Malformed JSON', details: expect.any(String) });
		const arr = await call('POST', '/messages', { json: [1, 2] });
		expect(arr.status).toBe(400);
	});

	it('validates location bodies', async () => {
		const base = { conversation_id: CONV.active, send_to_third: true, type: 'location' };
		const ok = await call('POST', '/messages', { json: { ...base, body: { latitude: 33.57, longitude: -7.59, name: 'Office', address: 'Casablanca' } } });
		expect(ok.status).toBe(201);
		expect(sb.digishare.conversations.get(CONV.active)?.last_message).toEqual({ text: 'Office' });
		const bad = await call('POST', '/messages', { json: { ...base, body: { latitude: '33.57', longitude: 200, name: 5 } } });
		expect(bad.status).toBe(422);
		expect(bad.body.errors).toEqual({
			'body.latitude': ['The body.latitude field must be a number.'],
			'body.longitude': ['The body.longitude field must be between -180 and 180.'],
			'body.name': ['The body.name field must be a string.'],
		});
		const notObj = await call('POST', '/messages', { json: { ...base, body: 'here' } });
		expect(notObj.body.errors).toEqual({ body: ['The body field must be an array.'] });
	});

	describe('interactive', () => {
		const base = { conversation_id: CONV.active, send_to_third: true, type: 'interactive' };
		const button = (i: number, title = `Option ${i}`): unknown => ({ type: 'reply', reply: { id: `opt_${i}`, title } });

		it('accepts reply buttons and stores body.body.text as preview', async () => {
			const r = await call('POST', '/messages', {
				json: {
					...base,
					body: { type: 'button', header: { type: 'text', text: 'Menu' }, body: { text: 'Pick one' }, action: { buttons: [button(1), button(2), button(3)] } },
				},
			});
			expect(r.status).toBe(201);
			expect(sb.digishare.conversations.get(CONV.active)?.last_message).toEqual({ text: 'Pick one' });
		});

		it('422s more than 3 buttons, long titles, long header, missing body.text', async () => {
			let r = await call('POST', '/messages', {
				json: { ...base, body: { type: 'button', body: { text: 'Pick' }, action: { buttons: [button(1), button(2), button(3), button(4)] } } },
			});
			expect(r.status).toBe(422);
			expect(r.body.errors).toEqual({ 'body.action.buttons': ['The body.action.buttons field must not have more than 3 items.'] });

			r = await call('POST', '/messages', {
				json: { ...base, body: { type: 'button', header: { type: 'text', text: 'h'.repeat(61) }, body: {}, action: { buttons: [button(1, 'x'.repeat(21))] } } },
			});
			expect(r.body.errors).toEqual({
				'body.body.text': ['The body.body.text field is required.'],
				'body.header.text': ['The body.header.text field must not be greater than 60 characters.'],
				'body.action.buttons.0.reply.title': ['The body.action.buttons.0.reply.title field must not be greater than 20 characters.'],
			});

			r = await call('POST', '/messages', { json: { ...base, body: { type: 'button', body: { text: 'Pick' }, action: { buttons: [] } } } });
			expect(r.body.errors).toEqual({ 'body.action.buttons': ['The body.action.buttons field is required.'] });

			r = await call('POST', '/messages', { json: { ...base, body: { type: 'button', body: { text: 'Pick' }, action: { buttons: [button(1), button(1)] } } } });
			expect(r.body.errors).toEqual({ 'body.action.buttons.1.reply.id': ['The body.action.buttons.1.reply.id field has a duplicate value.'] });

			r = await call('POST', '/messages', { json: { ...base, body: { type: 'carousel', body: { text: 'x' } } } });
			expect(r.body.errors).toEqual({ 'body.type': ['The selected body.type is invalid.'] });
		});

		it('validates list menus (≤10 rows in total, row title ≤24)', async () => {
			const rows = (n: number, from = 0): unknown[] => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, title: `Row ${from + i}`, description: 'd' }));
			const list = (sections: unknown[]): unknown => ({ type: 'list', body: { text: 'Choose' }, action: { button: 'Open', sections } });
			expect((await call('POST', '/messages', { json: { ...base, body: list([{ title: 'A', rows: rows(6) }, { title: 'B', rows: rows(4, 6) }]) } })).status).toBe(201);

			let r = await call('POST', '/messages', { json: { ...base, body: list([{ title: 'A', rows: rows(6) }, { title: 'B', rows: rows(5, 6) }]) } });
			expect(r.status).toBe(422);
			expect(r.body.errors).toEqual({ 'body.action.sections': ['The body.action.sections field must not have more than 10 rows in total.'] });

			r = await call('POST', '/messages', { json: { ...base, body: list([{ title: 'A', rows: [{ id: 'x', title: 'y'.repeat(25) }] }]) } });
			expect(r.body.errors).toEqual({ 'body.action.sections.0.rows.0.title': ['The body.action.sections.0.rows.0.title field must not be greater than 24 characters.'] });

			r = await call('POST', '/messages', { json: { ...base, body: { type: 'list', body: { text: 'Choose' }, action: { sections: [{ rows: rows(1) }] } } } });
			expect(r.body.errors).toEqual({ 'body.action.button': ['The body.action.button field is required.'] });
		});

		it('validates location request messages', async () => {
			const body = (name: string): unknown => ({ type: 'location_request_message', body: { text: 'Share your location' }, action: { name } });
			expect((await call('POST', '/messages', { json: { ...base, body: body('send_location') } })).status).toBe(201);
			const r = await call('POST', '/messages', { json: { ...base, body: body('share') } });
			expect(r.body.errors).toEqual({ 'body.action.name': ['The selected body.action.name is invalid.'] });
		});
	});
});

describe('conversations', () => {
	const create = (json: Record<string, unknown>): Promise<Reply> => call('POST', '/conversations/provider', { json });
	const wa = { provider_instance_id: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp, channel: 'whatsapp' };

	it('422s missing required fields and unknown provider instances', async () => {
		let r = await create({});
		expect(r.status).toBe(422);
		expect(Object.keys(r.body.errors)).toEqual(['provider_instance_id', 'channel', 'recipient_id']);
		r = await create({ provider_instance_id: 'unknown', channel: 'whatsapp', recipient_id: '212600000099' });
		expect(r.body.errors).toEqual({ provider_instance_id: ['The selected provider instance id is invalid.'] });
	});

	it('creates a conversation for a new recipient, auto-creating third and platform link', async () => {
		const thirdsBefore = sb.digishare.thirds.size;
		const r = await create({ ...wa, recipient_id: '+212 699 000 000' });
		expect(r.status).toBe(201);
		expect(r.body).toEqual({ id: expect.stringMatching(/^[a-z0-9]{16}$/), status: 'active', platform_link_id: expect.any(String) });
		const c = sb.digishare.conversations.get(r.body.id);
		expect(c).toMatchObject({ is_active: true, channel: 'whatsapp', recipient_id: '212699000000', status: DIGISHARE_CONVERSATION_STATUS.NEED_AGENT });
		expect(sb.digishare.thirds.size).toBe(thirdsBefore + 1);
		expect(sb.digishare.thirds.get(c?.third_id as string)).toMatchObject({ wa_id: '212699000000', mobile: '+212699000000' });
		expect(sb.digishare.platformLinks.get(r.body.platform_link_id)).toMatchObject({ platform_id: '212699000000' });
	});

	it('archives the active conversation by default, reuses it when archive_active_conversation=false', async () => {
		const reuse = await create({ ...wa, recipient_id: '212600000001', archive_active_conversation: false });
		expect(reuse.status).toBe(200);
		expect(reuse.body).toEqual({ id: CONV.active, status: 'active', platform_link_id: DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp });

		const fresh = await create({ ...wa, recipient_id: '212600000001' });
		expect(fresh.status).toBe(201);
		expect(fresh.body.id).not.toBe(CONV.active);
		expect(sb.digishare.conversations.get(CONV.active)).toMatchObject({ is_active: false, status: DIGISHARE_CONVERSATION_STATUS.ARCHIVED });
	});

	it('reactivates the most recently archived conversation when asked', async () => {
		const r = await create({ ...wa, recipient_id: '212600000001', reactivate_archived_conversation: true });
		expect(r.status).toBe(200);
		expect(r.body.id).toBe(CONV.archived);
		expect(sb.digishare.conversations.get(CONV.archived)?.is_active).toBe(true);
		expect(sb.digishare.conversations.get(CONV.active)?.is_active).toBe(false);
	});

	it('checks conversation existence on the main host and the calclytics host', async () => {
		const q = `?company_id=${DIGISHARE_COMPANY_ID}&api_provider_id=${DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp}&channel=whatsapp&channel_identity=212600000001`;
		const expected = {
			success: true,
			found: true,
			conversation: { id: CONV.active, is_active: true, last_message: { text: '/info' }, created_at: '2025-12-03T12:28:50.000000Z' },
			identity_owner: DIGISHARE_THIRD_IDS[0],
		};
		const main = await call('GET', `/conversations/check${q}`);
		expect(main.status).toBe(200);
		expect(main.body).toEqual(expected);
		const calc = await call('GET', `/conversations/check${q}`, { mount: 'digishare-calclytics' });
		expect(calc.body).toEqual(expected);

		const none = await call('GET', '/conversations/check?channel=whatsapp&channel_identity=212611111111');
		expect(none.body).toEqual({ success: true, found: false, conversation: null, identity_owner: null });

		const byThird = await call('GET', `/conversations/check?third_id=${DIGISHARE_THIRD_IDS[1]}`);
		expect(byThird.body.conversation.id).toBe(CONV.assigned);

		const missing = await call('GET', '/conversations/check?channel=whatsapp');
		expect(missing.status).toBe(422);
		expect(Object.keys(missing.body.errors)).toEqual(['channel_identity']);
	});

	it('accepts agent messages on the app ingest host: 202 {event_id, status, timestamp}', async () => {
		const r = await call('POST', '/event/conversation_message', {
			mount: 'digishare-app',
			json: {
				event_type: 'conversation_message',
				channel: 'whatsapp',
				type: 'text',
				send_to_third: true,
				api_provider_instance_id: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
				recipient_id: '212600000001',
				body: 'Agent says hi',
			},
		});
		expect(r.status).toBe(202);
		expect(r.body).toEqual({ event_id: expect.stringMatching(/^\d+$/), status: 'accepted', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/) });
		expect(sb.digishare.events).toHaveLength(1);
		expect(sb.digishare.events[0]).toMatchObject({ event_id: r.body.event_id, conversation_id: CONV.active });
		expect(sb.digishare.messagesOf(CONV.active).pop()).toMatchObject({ body: 'Agent says hi', via: 'event' });
		expect(sb.lastRequest('digishare-app')?.path).toBe('/event/conversation_message');

		const bad = await call('POST', '/event/conversation_message', { mount: 'digishare-app', json: { event_type: 'other' } });
		expect(bad.status).toBe(422);
		expect(Object.keys(bad.body.errors).sort()).toEqual(['api_provider_instance_id', 'body', 'channel', 'event_type', 'recipient_id']);
	});
});

describe('participants', () => {
	const url = (id: string, rest: string): string => `/conversations/${id}${rest}`;

	it('attaches users/bots with a handler and returns the Conversation resource', async () => {
		const r = await call('PUT', url(CONV.active, '/attach/participants'), {
			json: { users: [DIGISHARE_USER_IDS.agent, DIGISHARE_USER_IDS.agent2], bots: [DIGISHARE_BOT_IDS.faq], handler_id: DIGISHARE_USER_IDS.agent2 },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			data: {
				object: 'Conversation',
				id: CONV.active,
				company_id: DIGISHARE_COMPANY_ID,
				code: expect.stringMatching(/^CONV-\d+$/),
				status: DIGISHARE_CONVERSATION_STATUS.ASSIGNED,
				human_intervention: 1,
				unreadCount: 1,
			},
		});
		expect(sb.digishare.participantsOf(CONV.active)).toEqual({
			users: [DIGISHARE_USER_IDS.agent, DIGISHARE_USER_IDS.agent2],
			bots: [DIGISHARE_BOT_IDS.main, DIGISHARE_BOT_IDS.faq],
			handler_id: DIGISHARE_USER_IDS.agent2,
			need_agent: false,
			bot_active: true,
		});
		// idempotent
		const again = await call('PUT', url(CONV.active, '/attach/participants'), { json: { users: [DIGISHARE_USER_IDS.agent] } });
		expect(again.status).toBe(200);
		expect(sb.digishare.participants.get(CONV.active)?.users).toHaveLength(2);
	});

	it('422s: none of users/bots, handler not in users, unknown user id', async () => {
		let r = await call('PUT', url(CONV.active, '/attach/participants'), { json: {} });
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual({
			users: ['The users field is required when bots is not present.'],
			bots: ['The bots field is required when users is not present.'],
		});
		r = await call('PUT', url(CONV.active, '/attach/participants'), { json: { users: [DIGISHARE_USER_IDS.agent], handler_id: DIGISHARE_USER_IDS.agent2 } });
		expect(r.body.errors).toEqual({ handler_id: ['The handler id field must exist in users.*.'] });
		r = await call('PUT', url(CONV.active, '/attach/participants'), { json: { users: ['nobody'] } });
		expect(r.body.errors).toEqual({ 'users.0': ['The selected users.0 is invalid.'] });
	});

	it('404s unknown conversations, 405s POST on the PUT route, 403s without permission', async () => {
		const nf = await call('PUT', url('unknownconv0000', '/attach/participants'), { json: { users: [DIGISHARE_USER_IDS.agent] } });
		expect(nf.status).toBe(404);
		expect(nf.body).toEqual({ message: 'Conversation not found.', resource_id: 'unknownconv0000' });
		expect((await call('POST', url(CONV.active, '/attach/participants'), { json: { users: [DIGISHARE_USER_IDS.agent] } })).status).toBe(405);
		sb.digishare.permissions.delete(DIGISHARE_PERMISSIONS.attach);
		const forbidden = await call('PUT', url(CONV.active, '/attach/participants'), { json: { users: [DIGISHARE_USER_IDS.agent] } });
		expect(forbidden.status).toBe(403);
		expect(forbidden.body).toEqual({ message: 'This action is unauthorized.' });
	});

	it('detaches participants (unknown ids ignored) and recomputes need_agent', async () => {
		const r = await call('PUT', url(CONV.assigned, '/detach/participants'), { json: { users: [DIGISHARE_USER_IDS.agent, 'ghost'] } });
		expect(r.status).toBe(200);
		expect(r.body.data.human_intervention).toBe(0);
		expect(sb.digishare.participantsOf(CONV.assigned)).toEqual({ users: [], bots: [], handler_id: null, need_agent: true, bot_active: false });
	});

	it('handles single-user attach/detach and handler change', async () => {
		let r = await call('POST', url(CONV.active, `/users/${DIGISHARE_USER_IDS.agent2}?set_as_handler=1`));
		expect(r.status).toBe(200);
		expect(sb.digishare.participantsOf(CONV.active)).toMatchObject({ users: [DIGISHARE_USER_IDS.agent2], handler_id: DIGISHARE_USER_IDS.agent2 });

		r = await call('PUT', url(CONV.active, `/handler/${DIGISHARE_USER_IDS.supervisor}`));
		expect(r.status).toBe(200);
		expect(sb.digishare.participantsOf(CONV.active)).toMatchObject({
			users: [DIGISHARE_USER_IDS.agent2, DIGISHARE_USER_IDS.supervisor],
			handler_id: DIGISHARE_USER_IDS.supervisor,
		});

		r = await call('DELETE', url(CONV.active, `/users/${DIGISHARE_USER_IDS.supervisor}`));
		expect(r.status).toBe(200);
		expect(sb.digishare.participantsOf(CONV.active)).toMatchObject({ users: [DIGISHARE_USER_IDS.agent2], handler_id: null });

		expect((await call('POST', url(CONV.active, '/users/nobody'))).status).toBe(404);
		expect((await call('PUT', url(CONV.active, `/users/${DIGISHARE_USER_IDS.agent}`))).status).toBe(405);
	});
});

describe('thirds', () => {
	it('paginates 37 seeded thirds (default limit 15)', async () => {
		const p1 = await call('GET', '/thirds');
		expect(p1.status).toBe(200);
		expect(p1.body.data).toHaveLength(15);
		expect(p1.body.meta.pagination).toEqual({ total: 37, count: 15, per_page: 15, current_page: 1, total_pages: 3 });
		expect(p1.body.data[0]).toMatchObject({ id: DIGISHARE_THIRD_IDS[0], name: 'Adil Chbada', company_id: DIGISHARE_COMPANY_ID });
		expect(p1.body.data[0]).not.toHaveProperty('deleted_at');

		const p3 = await call('GET', '/thirds?page=3');
		expect(p3.body.meta.pagination).toEqual({ total: 37, count: 7, per_page: 15, current_page: 3, total_pages: 3 });
		const p4 = await call('GET', '/thirds?page=4');
		expect(p4.body.data).toEqual([]);

		const all = await call('GET', '/thirds?limit=100');
		expect(all.body.data.map((t: { id: string }) => t.id)).toEqual(DIGISHARE_THIRD_IDS);
	});

	it('422s limit over 100 and bad page / sort params', async () => {
		const r = await call('GET', '/thirds?limit=101');
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual({ limit: ['The limit field must not be greater than 100.'] });
		const p = await call('GET', '/thirds?page=0&sortedBy=up&orderBy=password');
		expect(Object.keys(p.body.errors)).toEqual(['page', 'orderBy', 'sortedBy']);
	});

	it('searches name/email/phone and orders', async () => {
		const byName = await call('GET', '/thirds?search=chbada');
		expect(byName.body.data.map((t: { name: string }) => t.name)).toEqual(['Adil Chbada', 'Mehdi Chbada', 'Ayoub Chbada', 'Walid Chbada']);
		const byPhone = await call('GET', '/thirds?search=600000012');
		expect(byPhone.body.data).toHaveLength(1);
		const byEmail = await call('GET', '/thirds?search=sara.benali@');
		expect(byEmail.body.data[0].id).toBe(DIGISHARE_THIRD_IDS[1]);
		const desc = await call('GET', '/thirds?orderBy=created_at&sortedBy=desc&limit=1');
		expect(desc.body.data[0].id).toBe(DIGISHARE_THIRD_IDS[36]);
		const cf = await call('GET', `/thirds?limit=100&custom_filters=${encodeURIComponent(JSON.stringify({ loyalty_points: { operator: '>=', value: 300 } }))}`);
		expect(cf.body.meta.pagination.total).toBe(7);
	});

	it('shows one third or 404s', async () => {
		const r = await call('GET', `/thirds/${DIGISHARE_THIRD_IDS[2]}`);
		expect(r.status).toBe(200);
		expect(r.body.data).toMatchObject({ id: DIGISHARE_THIRD_IDS[2], first_name: 'Youssef' });
		const nf = await call('GET', '/thirds/doesnotexist0000');
		expect(nf.status).toBe(404);
		expect(nf.body).toEqual({ message: 'Third not found.', resource_id: 'doesnotexist0000' });
	});

	it('creates a third: 201 {id, status:"created"}, phones normalised to E.164', async () => {
		const r = await call('POST', '/thirds', {
			json: { first_name: 'Nouveau', last_name: 'Client', email: 'New@Example.com', mobile: '0612345678', wa_id: '+212612345678', lang: 'fr', gender: 'female', birthday: '1990-02-28', tags: ['lead'], ignored_field: 1 },
		});
		expect(r.status).toBe(201);
		expect(r.body).toEqual({ id: expect.stringMatching(/^[a-z0-9]{16}$/), status: 'created' });
		expect(sb.digishare.thirds.get(r.body.id)).toMatchObject({
			name: 'Nouveau Client',
			email: 'new@example.com',
			mobile: '+212612345678',
			wa_id: '212612345678',
			company_id: DIGISHARE_COMPANY_ID,
			tags: ['lead'],
		});
		expect(sb.digishare.thirds.get(r.body.id)).not.toHaveProperty('ignored_field');
	});

	it('422s duplicates and invalid formats', async () => {
		const r = await call('POST', '/thirds', {
			json: { name: 'X', wa_id: '212600000001', ext_ref: 'EXT-0002', email: 'not-an-email', lang: 'de', gender: 'x', birthday: '1990-02-30', premium: 'yes' },
		});
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual({
			email: ['The email field must be a valid email address.'],
			wa_id: ['The wa id has already been taken.'],
			ext_ref: ['The ext ref has already been taken.'],
			lang: ['The selected lang is invalid.'],
			gender: ['The selected gender is invalid.'],
			birthday: ['The birthday field must match the format Y-m-d.'],
			premium: ['The premium field must be true or false.'],
		});
		expect(r.body.message).toBe('The email field must be a valid email address. (and 6 more errors)');
		const empty = await call('POST', '/thirds', { json: {} });
		expect(Object.keys(empty.body.errors)).toEqual(['name']);
	});

	it('patches partially (200 {data}) and deletes (204, no body, then 404)', async () => {
		const id = DIGISHARE_THIRD_IDS[3];
		const p = await call('PATCH', `/thirds/${id}`, { json: { lang: 'en', group_type_id: [7], data: { custom_fields: { vip: true } } } });
		expect(p.status).toBe(200);
		expect(p.body.data).toMatchObject({ id, first_name: 'Fatima', lang: 'en', group_type_id: [7], data: { custom_fields: { loyalty_points: 30, vip: true } } });
		// uniqueness ignores the third itself
		expect((await call('PATCH', `/thirds/${id}`, { json: { wa_id: '212600000004' } })).status).toBe(200);
		expect((await call('PATCH', `/thirds/${id}`, { json: { wa_id: '212600000005' } })).status).toBe(422);

		const d = await call('DELETE', `/thirds/${id}`);
		expect(d.status).toBe(204);
		expect(d.text).toBe('');
		expect(sb.digishare.thirds.get(id)?.deleted_at).toEqual(expect.any(String));
		expect((await call('GET', `/thirds/${id}`)).status).toBe(404);
		expect((await call('DELETE', `/thirds/${id}`)).status).toBe(404);
		expect((await call('GET', '/thirds')).body.meta.pagination.total).toBe(36);
		expect((await call('PUT', `/thirds/${id}`, { json: {} })).status).toBe(405);
	});
});

describe('provider fault defaults', () => {
	it('429 carries Digishare rate-limit headers; custom Retry-After overrides', async () => {
		sb.fault({ provider: 'digishare', path: '/messages', status: 429, headers: { 'Retry-After': '3' } });
		const r = await call('POST', '/messages', { json: { body: 'x', conversation_id: CONV.active, send_to_third: true } });
		expect(r.status).toBe(429);
		expect(r.body).toEqual({ message: 'Too Many Attempts.' });
		expect(r.headers.get('retry-after')).toBe('3');
		expect(r.headers.get('x-ratelimit-limit')).toBe('60');
		expect(sb.digishare.messagesOf(CONV.active)).toHaveLength(1); // nothing stored
	});
});
