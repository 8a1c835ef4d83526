/**
 * LivePerson Connector API contract of the sandbox (see /work/shared/providers/liveperson.md and
 * seeds/003_*.txt): Domain API, sentinel AppJWT, idp ConsumerJWS, CONVERSATION, SEND, swift, and
 * the webhook client (LivePerson → your endpoint), all over real HTTP.
 */
import * as crypto from 'crypto';
import {
	decodeLivePersonJwt,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_AGENT,
	LIVEPERSON_AGENTS,
	LIVEPERSON_APPJWT_KID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	LIVEPERSON_MESSAGES,
	LIVEPERSON_MOUNTS,
	LIVEPERSON_SECOND_ACCOUNT_ID,
	LIVEPERSON_SECOND_CLIENT_ID,
	LIVEPERSON_SECOND_CLIENT_SECRET,
	LIVEPERSON_SERVICES,
	livePersonBaseURI,
	livePersonConsumerId,
	livePersonSignature,
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

const ACCT = LIVEPERSON_ACCOUNT_ID;

interface Reply {
	status: number;
	headers: Headers;
	body: any;
	text: string;
}

async function reply(res: Response): Promise<Reply> {
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, headers: res.headers, body, text };
}

/** `http://${baseURI}` of a service, as a client would build it from the Domain API */
function host(service: (typeof LIVEPERSON_SERVICES)[number]): string {
	return `http://${livePersonBaseURI(sb.url, service)}`;
}

async function getAppJwt(opts: { clientId?: string; clientSecret?: string; account?: string; inQuery?: boolean } = {}): Promise<Reply> {
	const account = opts.account ?? ACCT;
	const creds = { client_id: opts.clientId ?? LIVEPERSON_CLIENT_ID, client_secret: opts.clientSecret ?? LIVEPERSON_CLIENT_SECRET };
	const url = new URL(`${host('sentinel')}/sentinel/api/account/${account}/app/token?v=1.0&grant_type=client_credentials`);
	if (opts.inQuery) {
		url.searchParams.set('client_id', creds.client_id);
		url.searchParams.set('client_secret', creds.client_secret);
		return reply(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
	}
	return reply(await fetch(url, { method: 'POST', body: new URLSearchParams(creds) }));
}

async function appJwt(): Promise<string> {
	const r = await getAppJwt();
	expect(r.status).toBe(200);
	return r.body.access_token as string;
}

async function getJws(ext: string, token: string | null, account = ACCT, authorization?: string): Promise<Reply> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (authorization !== undefined) headers.authorization = authorization;
	else if (token !== null) headers.authorization = token;
	return reply(
		await fetch(`${host('idp')}/api/account/${account}/consumer?v=1.0`, { method: 'POST', headers, body: JSON.stringify({ ext_consumer_id: ext }) }),
	);
}

interface Tokens {
	app: string;
	jws: string;
}

async function tokensFor(ext: string): Promise<Tokens> {
	const app = await appJwt();
	const r = await getJws(ext, app);
	expect(r.status).toBe(201);
	return { app, jws: r.body.token as string };
}

function convBody(overrides: Record<string, unknown> = {}, sdes?: unknown[]): unknown[] {
	return [
		{ kind: 'req', id: '1', type: 'userprofile.SetUserProfile', body: sdes ? { authenticatedData: { lp_sdes: sdes } } : {} },
		{ kind: 'req', id: '2', type: 'cm.ConsumerRequestConversation', body: { brandId: ACCT, channelType: 'MESSAGING', ...overrides } },
	];
}

interface MsgOpts {
	headers?: Record<string, string>;
	account?: string;
	v?: string | null;
	raw?: string;
}

async function msg(path: '/conversation' | '/conversation/send', t: Partial<Tokens> | null, body: unknown, opts: MsgOpts = {}): Promise<Reply> {
	const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
	if (t?.app !== undefined) headers.authorization = t.app;
	if (t?.jws !== undefined) headers['x-lp-on-behalf'] = t.jws;
	const v = opts.v === undefined ? '?v=3' : opts.v === null ? '' : `?v=${opts.v}`;
	const url = `${host('asyncMessagingEnt')}/api/account/${opts.account ?? ACCT}/messaging/consumer${path}${v}`;
	return reply(await fetch(url, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(body) }));
}

async function openConv(ext: string, overrides: Record<string, unknown> = {}, sdes?: unknown[], opts: MsgOpts = {}): Promise<Tokens & { conversationId: string }> {
	const t = await tokensFor(ext);
	const r = await msg('/conversation', t, convBody(overrides, sdes), opts);
	expect(r.status).toBe(200);
	return { ...t, conversationId: r.body[1].body.conversationId as string };
}

function publish(dialogId: string, event: Record<string, unknown>, id: string | number = '1', extra: Record<string, unknown> = {}): unknown {
	return { kind: 'req', id, type: 'ms.PublishEvent', body: { dialogId, event, ...extra } };
}

function text(dialogId: string, message: string, id = '1'): unknown {
	return publish(dialogId, { type: 'ContentEvent', contentType: 'text/plain', message }, id);
}

function closeReq(conversationId: string): unknown {
	return { kind: 'req', id: 'c1', type: 'cm.UpdateConversationField', body: { conversationId, conversationField: { field: 'ConversationStateField', conversationState: 'CLOSE' } } };
}

function lpErr(errorCode: number): unknown {
	return { kind: 'resp', code: Math.floor(errorCode / 100), body: { title: expect.any(String), details: expect.any(String), errorCode }, type: '.ReqBody$ErrorResp' };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(300), Buffer.from([0, 13, 10, 255, 254])]);

// =====================================================================================

describe('mounts and the Domain API', () => {
	it('mounts every LivePerson host and exposes sandbox.liveperson', () => {
		expect(sb.baseUrl('liveperson')).toBe(`${sb.url}/liveperson`);
		for (const s of LIVEPERSON_SERVICES) expect(sb.baseUrl(LIVEPERSON_MOUNTS[s])).toBe(`${sb.url}/${LIVEPERSON_MOUNTS[s]}`);
		expect(sb.liveperson).toBe(sb.provider('liveperson'));
		expect(livePersonBaseURI(sb.url, 'asyncMessagingEnt')).toBe(`127.0.0.1:${sb.port}/liveperson-msg`);
		expect(sb.liveperson.baseURI(`127.0.0.1:${sb.port}`, 'swift')).toBe(`127.0.0.1:${sb.port}/liveperson-swift`);
	});

	it.each(LIVEPERSON_SERVICES.map((s) => [s]))('single-service form for %s', async (service) => {
		const r = await reply(await fetch(`${sb.baseUrl('liveperson')}/api/account/${ACCT}/service/${service}/baseURI.json?version=1.0`));
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ service, account: ACCT, baseURI: `127.0.0.1:${sb.port}/${LIVEPERSON_MOUNTS[service]}` });
		expect(r.body.baseURI).not.toMatch(/^https?:/);
	});

	it('all-services form and one lookup counted per request', async () => {
		const r = await reply(await fetch(`${sb.baseUrl('liveperson')}/api/account/${ACCT}/service/baseURI.json?version=1.0`));
		expect(r.status).toBe(200);
		expect(r.body.baseURIs).toEqual(LIVEPERSON_SERVICES.map((service) => ({ service, account: ACCT, baseURI: livePersonBaseURI(sb.url, service) })));
		expect(sb.liveperson.domainLookupCount).toBe(1);
		expect(sb.liveperson.domainLookups[0]).toMatchObject({ accountId: ACCT, service: null, status: 200 });
	});

	it('a client using baseURI + documented path reaches every handler', async () => {
		const r = await reply(await fetch(`${sb.baseUrl('liveperson')}/api/account/${ACCT}/service/baseURI.json?version=1.0`));
		const uri = (s: string): string => (r.body.baseURIs as Array<{ service: string; baseURI: string }>).find((x) => x.service === s)!.baseURI;
		const token = await reply(
			await fetch(`http://${uri('sentinel')}/sentinel/api/account/${ACCT}/app/token?v=1.0&grant_type=client_credentials`, {
				method: 'POST',
				body: new URLSearchParams({ client_id: LIVEPERSON_CLIENT_ID, client_secret: LIVEPERSON_CLIENT_SECRET }),
			}),
		);
		expect(token.status).toBe(200);
		const jws = await reply(
			await fetch(`http://${uri('idp')}/api/account/${ACCT}/consumer?v=1.0`, {
				method: 'POST',
				headers: { authorization: token.body.access_token, 'content-type': 'application/json' },
				body: JSON.stringify({ ext_consumer_id: 'via-domain' }),
			}),
		);
		expect(jws.status).toBe(201);
		const conv = await reply(
			await fetch(`http://${uri('asyncMessagingEnt')}/api/account/${ACCT}/messaging/consumer/conversation?v=3`, {
				method: 'POST',
				headers: { authorization: token.body.access_token, 'x-lp-on-behalf': jws.body.token, 'content-type': 'application/json' },
				body: JSON.stringify(convBody()),
			}),
		);
		expect(conv.status).toBe(200);
		expect(sb.requestsFor('liveperson-sentinel')).toHaveLength(1);
		expect(sb.requestsFor('liveperson-idp')).toHaveLength(1);
		expect(sb.requestsFor('liveperson-msg', 'POST', `/api/account/${ACCT}/messaging/consumer/conversation`)).toHaveLength(1);
	});

	it('unknown account 404, unknown / wrong-case service 404, missing version 400', async () => {
		const base = sb.baseUrl('liveperson');
		let r = await reply(await fetch(`${base}/api/account/99999999/service/asyncMessagingEnt/baseURI.json?version=1.0`));
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ message: 'Account not found', account: '99999999' });
		r = await reply(await fetch(`${base}/api/account/99999999/service/baseURI.json?version=1.0`));
		expect(r.status).toBe(404);
		for (const s of ['asyncmessagingent', 'Sentinel', 'nope']) {
			r = await reply(await fetch(`${base}/api/account/${ACCT}/service/${s}/baseURI.json?version=1.0`));
			expect(r.status).toBe(404);
			expect(r.body).toEqual({ message: 'Service not found', account: ACCT, service: s });
		}
		r = await reply(await fetch(`${base}/api/account/${ACCT}/service/idp/baseURI.json`));
		expect(r.status).toBe(400);
		expect(sb.liveperson.domainLookups.map((l) => l.status)).toEqual([404, 404, 404, 404, 404, 400]);
	});

	it('serviceOverrides change or add baseURIs', async () => {
		sb.liveperson.serviceOverrides.set('swift', 'files.example.test');
		sb.liveperson.serviceOverrides.set('mtlsGateway', 'mtls.example.test');
		const base = sb.baseUrl('liveperson');
		let r = await reply(await fetch(`${base}/api/account/${ACCT}/service/swift/baseURI.json?version=1.0`));
		expect(r.body.baseURI).toBe('files.example.test');
		r = await reply(await fetch(`${base}/api/account/${ACCT}/service/mtlsGateway/baseURI.json?version=1.0`));
		expect(r.body).toEqual({ service: 'mtlsGateway', account: ACCT, baseURI: 'mtls.example.test' });
	});

	it('404 / 405 in the LivePerson error envelope', async () => {
		let r = await reply(await fetch(`${sb.baseUrl('liveperson-msg')}/api/account/${ACCT}/messaging/nope`));
		expect(r.status).toBe(404);
		expect(r.body).toEqual(lpErr(40400));
		r = await reply(await fetch(`${host('asyncMessagingEnt')}/api/account/${ACCT}/messaging/consumer/conversation/send?v=3`));
		expect(r.status).toBe(405);
		expect(r.headers.get('allow')).toBe('POST');
		expect(r.body).toEqual(lpErr(40500));
	});
});

describe('sentinel AppJWT', () => {
	it('issues a Bearer JWT with the documented header and claims (form body)', async () => {
		const before = Math.floor(Date.now() / 1000);
		const r = await getAppJwt();
		expect(r.status).toBe(200);
		expect(Object.keys(r.body).sort()).toEqual(['access_token', 'token_type']);
		expect(r.body.token_type).toBe('Bearer');
		const { header, payload, signature } = decodeLivePersonJwt(r.body.access_token);
		expect(header).toEqual({ alg: 'RS256', kid: LIVEPERSON_APPJWT_KID });
		expect(payload).toEqual({ aud: ACCT, azp: LIVEPERSON_CLIENT_ID, scope: 'msg.consumer', iss: 'Sentinel', iat: expect.any(Number), exp: expect.any(Number) });
		expect(payload.iat).toBeGreaterThanOrEqual(before);
		expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
		expect(signature).toMatch(/^[A-Za-z0-9_-]{300,}$/);
		const req = sb.lastRequest('liveperson-sentinel')!;
		expect(req.bodyKind).toBe('form');
		expect(req.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
		expect(sb.liveperson.tokenRequests).toEqual([expect.objectContaining({ credentialsIn: 'body', status: 200, clientId: LIVEPERSON_CLIENT_ID })]);
	});

	it('accepts the credentials in the query string (older revision) and counts requests', async () => {
		const r = await getAppJwt({ inQuery: true });
		expect(r.status).toBe(200);
		await getAppJwt();
		await getAppJwt({ clientSecret: 'wrong' });
		expect(sb.liveperson.tokenRequestCount).toBe(3);
		expect(sb.liveperson.appJwtsIssued).toBe(2);
		expect(sb.liveperson.tokenRequests.map((t) => t.credentialsIn)).toEqual(['query', 'body', 'body']);
	});

	it('lifetime is settable', async () => {
		sb.liveperson.appJwtLifetimeSeconds = 120;
		const { payload } = decodeLivePersonJwt((await getAppJwt()).body.access_token);
		expect((payload.exp as number) - (payload.iat as number)).toBe(120);
	});

	it('401 errorCode 40101 for wrong client / secret / account', async () => {
		for (const r of [
			await getAppJwt({ clientSecret: 'nope' }),
			await getAppJwt({ clientId: 'unknown-client' }),
			await getAppJwt({ clientId: LIVEPERSON_SECOND_CLIENT_ID, clientSecret: LIVEPERSON_SECOND_CLIENT_SECRET }),
		]) {
			expect(r.status).toBe(401);
			expect(r.body).toEqual(lpErr(40101));
		}
		const ok = await getAppJwt({ clientId: LIVEPERSON_SECOND_CLIENT_ID, clientSecret: LIVEPERSON_SECOND_CLIENT_SECRET, account: LIVEPERSON_SECOND_ACCOUNT_ID });
		expect(decodeLivePersonJwt(ok.body.access_token).payload.aud).toBe(LIVEPERSON_SECOND_ACCOUNT_ID);
	});

	it('400 for missing parameters, wrong grant type and a JSON body', async () => {
		const url = `${host('sentinel')}/sentinel/api/account/${ACCT}/app/token`;
		const form = new URLSearchParams({ client_id: LIVEPERSON_CLIENT_ID, client_secret: LIVEPERSON_CLIENT_SECRET });
		let r = await reply(await fetch(`${url}?v=1.0`, { method: 'POST', body: form }));
		expect(r.status).toBe(400);
		expect(r.body).toEqual(lpErr(40001));
		expect(r.body.body.details).toContain('grant_type');
		r = await reply(await fetch(`${url}?v=1.0&grant_type=password`, { method: 'POST', body: form }));
		expect(r.status).toBe(400);
		r = await reply(await fetch(`${url}?grant_type=client_credentials`, { method: 'POST', body: form }));
		expect(r.status).toBe(400);
		r = await reply(await fetch(`${url}?v=1.0&grant_type=client_credentials`, { method: 'POST', body: new URLSearchParams({ client_id: LIVEPERSON_CLIENT_ID }) }));
		expect(r.body.body.details).toContain('client_secret');
		r = await reply(
			await fetch(`${url}?v=1.0&grant_type=client_credentials`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ client_id: LIVEPERSON_CLIENT_ID, client_secret: LIVEPERSON_CLIENT_SECRET }),
			}),
		);
		expect(r.status).toBe(400);
		expect(r.body.body.details).toContain('x-www-form-urlencoded');
		expect(sb.liveperson.appJwtsIssued).toBe(0);
	});
});

describe('idp ConsumerJWS', () => {
	it('201 {token} with account_id, ext_consumer_id and a stable 64-hex lp_consumer_id', async () => {
		const app = await appJwt();
		const a = await getJws('wa:+212600000001', app);
		expect(a.status).toBe(201);
		expect(Object.keys(a.body)).toEqual(['token']);
		const p = decodeLivePersonJwt(a.body.token).payload;
		expect(p).toEqual({ account_id: ACCT, ext_consumer_id: 'wa:+212600000001', lp_consumer_id: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(p.lp_consumer_id).toBe(livePersonConsumerId('wa:+212600000001'));
		const b = await getJws('wa:+212600000001', app);
		expect(b.body.token).not.toBe(a.body.token);
		expect(decodeLivePersonJwt(b.body.token).payload.lp_consumer_id).toBe(p.lp_consumer_id);
		const c = await getJws('other', app);
		expect(decodeLivePersonJwt(c.body.token).payload.lp_consumer_id).not.toBe(p.lp_consumer_id);
		expect(sb.liveperson.consumerRequestCount('wa:+212600000001')).toBe(2);
		expect(sb.liveperson.consumerRequestCount('other')).toBe(1);
		expect(sb.liveperson.consumerRequestCount()).toBe(3);
		expect(sb.liveperson.consumerByExtId('wa:+212600000001')).toMatchObject({ lpConsumerId: p.lp_consumer_id });
		sb.reset();
		expect(livePersonConsumerId('wa:+212600000001')).toBe(p.lp_consumer_id);
	});

	it('401 40105 without Authorization, 40102 for an invalid / expired / other-account AppJWT', async () => {
		let r = await getJws('u1', null);
		expect(r.status).toBe(401);
		expect(r.body).toEqual(lpErr(40105));
		r = await getJws('u1', 'not-a-token');
		expect(r.body).toEqual(lpErr(40102));
		const app = await appJwt();
		r = await getJws('u1', app, LIVEPERSON_SECOND_ACCOUNT_ID);
		expect(r.body).toEqual(lpErr(40102));
		expect(sb.liveperson.expireAppJwts()).toBe(1);
		r = await getJws('u1', app);
		expect(r.status).toBe(401);
		expect(r.body).toEqual(lpErr(40102));
		sb.liveperson.appJwtLifetimeSeconds = 0;
		r = await getJws('u1', await appJwt());
		expect(r.body).toEqual(lpErr(40102));
		expect(sb.liveperson.consumerRequestCount('u1')).toBe(0);
		expect(sb.liveperson.authUses.map((u) => [u.scheme, u.valid])).toEqual([
			['none', false],
			['bare', false],
			['bare', false],
			['bare', false],
			['bare', false],
		]);
	});

	it('records bare vs Bearer; Bearer accepted unless acceptBearerPrefix = false', async () => {
		const app = await appJwt();
		expect((await getJws('u1', app)).status).toBe(201);
		expect((await getJws('u1', null, ACCT, `Bearer ${app}`)).status).toBe(201);
		sb.liveperson.acceptBearerPrefix = false;
		const r = await getJws('u1', null, ACCT, `Bearer ${app}`);
		expect(r.body).toEqual(lpErr(40102));
		expect(sb.liveperson.authUses.map((u) => u.scheme)).toEqual(['bare', 'bearer', 'bearer']);
	});

	it('400 for a missing ext_consumer_id, a non-JSON body or a missing v', async () => {
		const app = await appJwt();
		const url = `${host('idp')}/api/account/${ACCT}/consumer`;
		let r = await reply(await fetch(`${url}?v=1.0`, { method: 'POST', headers: { authorization: app, 'content-type': 'application/json' }, body: '{}' }));
		expect(r.status).toBe(400);
		expect(r.body).toEqual(lpErr(40001));
		r = await reply(await fetch(`${url}?v=1.0`, { method: 'POST', headers: { authorization: app }, body: 'ext_consumer_id=x' }));
		expect(r.status).toBe(400);
		r = await reply(await fetch(url, { method: 'POST', headers: { authorization: app, 'content-type': 'application/json' }, body: '{"ext_consumer_id":"x"}' }));
		expect(r.status).toBe(400);
		expect(sb.liveperson.consumerJwsTokens.size).toBe(0);
	});
});

describe('CONVERSATION', () => {
	it('opens a conversation: array answer aligned with the request, SDEs and context recorded', async () => {
		const t = await tokensFor('user-1');
		const sdes = [
			{ type: 'ctmrinfo', info: { socialId: '1234567890', ctype: 'vip', companyBranch: 'Casablanca' } },
			{ type: 'personal', personal: { firstname: 'Adil', lastname: 'Chbada', gender: 'MALE' } },
		];
		const clientProps = JSON.stringify({ type: '.ClientProperties', features: ['AUTO_MESSAGES', 'RICH_CONTENT'] });
		const r = await msg(
			'/conversation',
			t,
			convBody(
				{
					ttrDefName: 'PRIORITIZED',
					skillId: '-1',
					campaignInfo: { campaignId: '2739101812', engagementId: '2739121912' },
					conversationContext: { type: 'SharkContext', lang: 'ar-MA', visitorId: '', sessionId: '', interactionContextId: '2' },
				},
				sdes,
			),
			{ headers: { 'client-properties': clientProps } },
		);
		expect(r.status).toBe(200);
		expect(r.body).toEqual([
			{ reqId: '1', code: 'OK', body: {} },
			{ reqId: '2', code: 'OK', body: { conversationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) } },
		]);
		const conv = sb.liveperson.conversation(r.body[1].body.conversationId)!;
		expect(conv).toMatchObject({
			state: 'OPEN',
			accountId: ACCT,
			brandId: ACCT,
			extConsumerId: 'user-1',
			lpConsumerId: livePersonConsumerId('user-1'),
			ttr: { ttrType: 'PRIORITIZED', value: 600 },
			skillId: '-1',
			campaignInfo: { campaignId: '2739101812', engagementId: '2739121912' },
			conversationContext: { type: 'SharkContext', lang: 'ar-MA' },
			sdes,
			clientProperties: clientProps,
			participants: [{ id: livePersonConsumerId('user-1'), role: 'CONSUMER' }],
			events: [],
			createdVia: 'api',
		});
		expect(sb.liveperson.consumerByExtId('user-1')!.sdes).toEqual(sdes);
		expect(sb.liveperson.consumerByExtId('user-1')!.profileUpdates).toHaveLength(1);
		expect(sb.liveperson.clientPropertiesLog).toEqual([
			expect.objectContaining({ raw: clientProps, parsed: { type: '.ClientProperties', features: ['AUTO_MESSAGES', 'RICH_CONTENT'] }, error: null }),
		]);
		expect(sb.liveperson.openConversationOf('user-1')?.conversationId).toBe(conv.conversationId);
	});

	it('conversation ids are deterministic after reset and the docs-style ids ("1,") are echoed', async () => {
		const first = (await openConv('u')).conversationId;
		sb.reset();
		const t = await tokensFor('u');
		const body = convBody();
		(body[0] as Record<string, unknown>).id = '1,';
		(body[1] as Record<string, unknown>).id = 7;
		const r = await msg('/conversation', t, body);
		expect(r.body.map((x: { reqId: string }) => x.reqId)).toEqual(['1,', '7']);
		expect(r.body[1].body.conversationId).toBe(first);
	});

	it('one open conversation per consumer: 400 BAD_REQUEST "already has open conversation", others unaffected', async () => {
		const a = await openConv('user-1');
		const r = await msg('/conversation', a, convBody());
		expect(r.status).toBe(400);
		expect(r.body[0]).toEqual({ reqId: '1', code: 'OK', body: {} });
		expect(r.body[1]).toEqual({ reqId: '2', code: 'BAD_REQUEST', body: { msg: expect.stringContaining('already has open conversation') } });
		expect(r.body[1].body.msg).toContain(a.conversationId);
		await openConv('user-2');
		// after a close the consumer can open a new one
		expect((await msg('/conversation/send', a, closeReq(a.conversationId))).status).toBe(200);
		const again = await msg('/conversation', a, convBody());
		expect(again.status).toBe(200);
		expect(again.body[1].body.conversationId).not.toBe(a.conversationId);
		expect(sb.liveperson.consumerByExtId('user-1')!.conversationIds).toHaveLength(2);
	});

	it('also counts conversations started by the startConversation helper', async () => {
		const seeded = sb.liveperson.startConversation('user-9');
		const t = await tokensFor('user-9');
		const r = await msg('/conversation', t, convBody());
		expect(r.status).toBe(400);
		expect(r.body[1].body.msg).toContain(seeded.conversationId);
		expect(() => sb.liveperson.startConversation('user-9')).toThrow(/already has open conversation/);
	});

	it('401 for missing / invalid tokens (40105, 40102, 40104, 40103)', async () => {
		const t = await tokensFor('user-1');
		expect((await msg('/conversation', { jws: t.jws }, convBody())).body).toEqual(lpErr(40105));
		expect((await msg('/conversation', { app: 'x.y.z', jws: t.jws }, convBody())).body).toEqual(lpErr(40102));
		expect((await msg('/conversation', { app: t.app }, convBody())).body).toEqual(lpErr(40104));
		expect((await msg('/conversation', { app: t.app, jws: 'bogus' }, convBody())).body).toEqual(lpErr(40103));
		// a JWS of another account is invalid here
		const other = sb.liveperson.issueConsumerJws('user-1', LIVEPERSON_SECOND_ACCOUNT_ID);
		expect((await msg('/conversation', { app: t.app, jws: other }, convBody())).body).toEqual(lpErr(40103));
		sb.liveperson.revokeConsumerJws();
		expect((await msg('/conversation', t, convBody())).body).toEqual(lpErr(40103));
		const fresh = await tokensFor('user-1');
		sb.liveperson.expireAppJwts();
		const r = await msg('/conversation', fresh, convBody());
		expect(r.status).toBe(401);
		expect(r.body).toEqual(lpErr(40102));
		expect(sb.liveperson.conversations.size).toBe(0);
	});

	it('400 for a request JSON over 5000 characters', async () => {
		const t = await tokensFor('user-1');
		const big = convBody({}, [{ type: 'ctmrinfo', info: { companyBranch: 'x'.repeat(5000) } }]);
		const r = await msg('/conversation', t, big);
		expect(r.status).toBe(400);
		expect(r.body).toEqual([
			{ reqId: '1', code: 'BAD_REQUEST', body: { msg: expect.stringContaining('5000 characters') } },
			{ reqId: '2', code: 'BAD_REQUEST', body: { msg: expect.stringContaining('5000 characters') } },
		]);
		expect(sb.liveperson.conversations.size).toBe(0);
		// exactly 5000 is fine
		const body = convBody();
		const len = JSON.stringify(body).length;
		(body[1] as { body: Record<string, unknown> }).body.conversationContext = { type: 'SharkContext', lang: '' };
		const padLen = 5000 - len - JSON.stringify({ conversationContext: { type: 'SharkContext', lang: '' } }).length + 1;
		(body[1] as { body: { conversationContext: Record<string, string> } }).body.conversationContext.lang = 'l'.repeat(padLen);
		expect(JSON.stringify(body).length).toBe(5000);
		expect((await msg('/conversation', t, body)).status).toBe(200);
	});

	it.each<[string, unknown, RegExp]>([
		['not an array', { kind: 'req', id: '1', type: 'cm.ConsumerRequestConversation', body: { brandId: ACCT } }, /JSON array/],
		['no SetUserProfile', [convBody()[1]], /SetUserProfile is mandatory/],
		['wrong order', [convBody()[1], convBody()[0]], /must come before/],
		['no request', [convBody()[0]], /ConsumerRequestConversation is missing/],
		['missing brandId', convBody({ brandId: undefined }), /Brand Id is missing/],
		['foreign brandId', convBody({ brandId: '123' }), /brandId must be the account id/],
		['bad channelType', convBody({ channelType: 'CHAT' }), /channelType/],
		['bad ttrDefName', convBody({ ttrDefName: 'SLOW' }), /ttrDefName/],
		['bad SDE type', convBody({}, [{ type: 'purchase', total: 3 }]), /ctmrinfo or personal/],
		['bad gender', convBody({}, [{ type: 'personal', personal: { gender: 'M' } }]), /gender/],
		['kind missing', [{ id: '1', type: 'userprofile.SetUserProfile', body: {} }, convBody()[1]], /kind must be "req"/],
		['unknown type', [convBody()[0], { kind: 'req', id: '3', type: 'ms.PublishEvent', body: {} }], /unsupported type/],
	])('400 BAD_REQUEST: %s', async (_label, body, msgRe) => {
		const t = await tokensFor('user-1');
		const r = await msg('/conversation', t, body);
		expect(r.status).toBe(400);
		const items = r.body as Array<{ code: string; body: { msg: string } }>;
		expect(items.some((i) => i.code === 'BAD_REQUEST' && msgRe.test(i.body.msg))).toBe(true);
		expect(sb.liveperson.conversations.size).toBe(0);
	});

	it('400 for malformed JSON, a non-JSON content type and a missing v', async () => {
		const t = await tokensFor('user-1');
		expect((await msg('/conversation', t, null, { raw: '[{' })).status).toBe(400);
		expect((await msg('/conversation', t, null, { raw: JSON.stringify(convBody()), headers: { 'content-type': 'text/plain' } })).status).toBe(400);
		const r = await msg('/conversation', t, convBody(), { v: null });
		expect(r.status).toBe(400);
		expect(r.body).toEqual(lpErr(40001));
	});
});

describe('SEND', () => {
	it('text messages get the next per-conversation sequence, exactly the seed response shape', async () => {
		const c = await openConv('user-1');
		const clientProps = '{"type":".ClientProperties","features":["AUTO_MESSAGES"]}';
		let r = await msg('/conversation/send', c, text(c.conversationId, 'Hi from Send Message only - Send a line'), { headers: { 'client-properties': clientProps } });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ reqId: '1', code: 'OK', body: { sequence: 0 } });
		r = await msg('/conversation/send', c, publish(c.conversationId, { type: 'ContentEvent', contentType: 'text/plain', message: 'مرحبا 👋' }, 2, { conversationId: c.conversationId }));
		expect(r.body).toEqual({ reqId: '2', code: 'OK', body: { sequence: 1 } });
		expect(sb.liveperson.consumerTextsOf(c.conversationId)).toEqual(['Hi from Send Message only - Send a line', 'مرحبا 👋']);
		const [e0] = sb.liveperson.eventsOf(c.conversationId);
		expect(e0).toMatchObject({
			sequence: 0,
			originator: 'consumer',
			role: 'CONSUMER',
			originatorId: livePersonConsumerId('user-1'),
			audience: 'ALL',
			via: 'send',
			reqId: '1',
			clientProperties: clientProps,
			serverTimestamp: expect.any(Number),
		});
		expect(sb.liveperson.clientPropertiesLog.map((u) => u.path)).toEqual([`/api/account/${ACCT}/messaging/consumer/conversation/send`]);
	});

	it('consumer and agent events share one sequence; typing has none', async () => {
		sb.liveperson.webhookUrl = 'http://127.0.0.1:9/unused';
		const c = await openConv('user-1');
		await msg('/conversation/send', c, text(c.conversationId, 'one'));
		sb.liveperson.recordAgentMessage(c.conversationId, 'agent says hi');
		const typing = await msg('/conversation/send', c, publish(c.conversationId, { type: 'ChatStateEvent', chatState: 'COMPOSING' }));
		expect(typing.body).toEqual({ reqId: '1', code: 'OK', body: {} });
		const r = await msg('/conversation/send', c, text(c.conversationId, 'two'));
		expect(r.body.body.sequence).toBe(2);
		expect(sb.liveperson.eventsOf(c.conversationId).map((e) => [e.originator, e.sequence])).toEqual([
			['consumer', 0],
			['agent', 1],
			['consumer', null],
			['consumer', 2],
		]);
	});

	it.each(['ACTIVE', 'INACTIVE', 'GONE', 'COMPOSING', 'PAUSE'])('ChatStateEvent %s', async (state) => {
		const c = await openConv('user-1');
		const r = await msg('/conversation/send', c, publish(c.conversationId, { type: 'ChatStateEvent', chatState: state }));
		expect(r.status).toBe(200);
		expect(sb.liveperson.eventsOf(c.conversationId)[0]).toMatchObject({ sequence: null, serverTimestamp: null, event: { type: 'ChatStateEvent', chatState: state } });
	});

	it.each(['ACCEPT', 'READ', 'ACCESS', 'NACK', 'ACTION'])('AcceptStatusEvent %s is recorded on the agent events', async (status) => {
		sb.liveperson.webhookUrl = 'http://127.0.0.1:9/unused';
		const c = await openConv('user-1');
		sb.liveperson.recordAgentMessage(c.conversationId, 'a');
		sb.liveperson.recordAgentMessage(c.conversationId, 'b');
		const r = await msg('/conversation/send', c, publish(c.conversationId, { type: 'AcceptStatusEvent', status, sequenceList: [0, 1] }, 'acc'));
		expect(r.body).toEqual({ reqId: 'acc', code: 'OK', body: { sequence: 2 } });
		expect(sb.liveperson.eventAt(c.conversationId, 0)!.statuses).toEqual([status]);
		expect(sb.liveperson.eventAt(c.conversationId, 1)!.statuses).toEqual([status]);
	});

	it.each<[string, Record<string, unknown>, RegExp]>([
		['bad chatState', { type: 'ChatStateEvent', chatState: 'TYPING' }, /chatState/],
		['bad status', { type: 'AcceptStatusEvent', status: 'SEEN', sequenceList: [0] }, /status must be/],
		['empty sequenceList', { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [] }, /sequenceList/],
		['string sequences', { type: 'AcceptStatusEvent', status: 'READ', sequenceList: ['1'] }, /sequenceList/],
		['empty text', { type: 'ContentEvent', contentType: 'text/plain', message: '' }, /non-empty/],
		['unknown contentType', { type: 'ContentEvent', contentType: 'text/html', message: '<b>x</b>' }, /contentType/],
		['unknown event type', { type: 'RichContentEvent', content: {} }, /unsupported event type/],
		['file without relativePath', { type: 'ContentEvent', contentType: 'hosted/file', message: { fileType: 'PNG' } }, /relativePath/],
		['unissued relativePath', { type: 'ContentEvent', contentType: 'hosted/file', message: { relativePath: '/v1/AUTH_async-images/x/y.PNG', fileType: 'PNG' } }, /unknown relativePath/],
	])('400 BAD_REQUEST: %s', async (_l, event, re) => {
		const c = await openConv('user-1');
		const r = await msg('/conversation/send', c, publish(c.conversationId, event, 'e1'));
		expect(r.status).toBe(400);
		expect(r.body).toEqual({ reqId: 'e1', code: 'BAD_REQUEST', body: { msg: expect.stringMatching(re) } });
		expect(sb.liveperson.eventsOf(c.conversationId)).toHaveLength(0);
	});

	it('close → "OK Conversation resolved successfully"; then sends are refused, CSAT accepted', async () => {
		const c = await openConv('user-1');
		let r = await msg('/conversation/send', c, closeReq(c.conversationId));
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ reqId: 'c1', code: 'OK', body: { msg: LIVEPERSON_MESSAGES.resolved } });
		expect(sb.liveperson.conversation(c.conversationId)).toMatchObject({ state: 'CLOSE', stage: 'CLOSE', closeReason: 'CONSUMER', closedBy: 'consumer', endTs: expect.any(Number) });
		for (const body of [
			text(c.conversationId, 'still there?', '9'),
			publish(c.conversationId, { type: 'ChatStateEvent', chatState: 'COMPOSING' }, '9'),
			{ ...(closeReq(c.conversationId) as object), id: '9' },
		]) {
			r = await msg('/conversation/send', c, body);
			expect(r.status).toBe(400);
			expect(r.body).toEqual({ reqId: '9', code: 'BAD_REQUEST', body: { msg: 'Bad Request, Conversation is close' } });
		}
		const csat = (field: Record<string, unknown>): unknown => ({
			kind: 'req',
			id: 'csat',
			type: 'cm.UpdateConversationField',
			body: { conversationId: c.conversationId, conversationField: { field: 'CSATRate', ...field } },
		});
		r = await msg('/conversation/send', c, csat({ csatRate: 5, csatResolutionConfirmation: true, status: 'FILLED' }));
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ reqId: 'csat', code: 'OK' });
		r = await msg('/conversation/send', c, csat({ status: 'SKIPPED' }));
		expect(r.status).toBe(200);
		for (const bad of [{ csatRate: 6, status: 'FILLED' }, { csatRate: 0, status: 'FILLED' }, { status: 'FILLED' }, { csatRate: 3, status: 'DONE' }, { csatRate: 3, status: 'FILLED', csatResolutionConfirmation: 'yes' }]) {
			expect((await msg('/conversation/send', c, csat(bad))).status).toBe(400);
		}
		expect(sb.liveperson.conversation(c.conversationId)!.csat).toEqual([
			{ csatRate: 5, csatResolutionConfirmation: true, status: 'FILLED', at: expect.any(Number) },
			{ csatRate: null, csatResolutionConfirmation: null, status: 'SKIPPED', at: expect.any(Number) },
		]);
	});

	it('CSAT on an open conversation is refused; a one-element conversationField array closes too', async () => {
		const c = await openConv('user-1');
		let r = await msg('/conversation/send', c, {
			kind: 'req',
			id: 'x',
			type: 'cm.UpdateConversationField',
			body: { conversationId: c.conversationId, conversationField: { field: 'CSATRate', csatRate: 4, status: 'FILLED' } },
		});
		expect(r.status).toBe(400);
		r = await msg('/conversation/send', c, {
			kind: 'req',
			id: 'x',
			type: 'cm.UpdateConversationField',
			body: { conversationId: c.conversationId, conversationField: [{ field: 'ConversationStateField', conversationState: 'CLOSE' }] },
		});
		expect(r.body.body.msg).toBe(LIVEPERSON_MESSAGES.resolved);
	});

	it("401 on another consumer's conversation, 400 on an unknown dialog or a conversationId mismatch", async () => {
		const a = await openConv('user-a');
		const b = await openConv('user-b');
		let r = await msg('/conversation/send', b, text(a.conversationId, 'hijack'));
		expect(r.status).toBe(401);
		expect(r.body).toEqual(lpErr(40100));
		r = await msg('/conversation/send', b, closeReq(a.conversationId));
		expect(r.status).toBe(401);
		r = await msg('/conversation/send', a, text('00000000-0000-4000-8000-000000000000', 'x', 'u'));
		expect(r.status).toBe(400);
		expect(r.body).toEqual({ reqId: 'u', code: 'BAD_REQUEST', body: { msg: 'Bad Request, Dialog not found: 00000000-0000-4000-8000-000000000000' } });
		r = await msg('/conversation/send', a, publish(a.conversationId, { type: 'ContentEvent', contentType: 'text/plain', message: 'x' }, '1', { conversationId: b.conversationId }));
		expect(r.status).toBe(400);
		expect(sb.liveperson.eventsOf(a.conversationId)).toHaveLength(0);
	});

	it('400 for an array body, a request over 5000 characters, a missing id / kind, an unknown type', async () => {
		const c = await openConv('user-1');
		let r = await msg('/conversation/send', c, [text(c.conversationId, 'a')]);
		expect(r.status).toBe(400);
		expect(r.body.body.msg).toMatch(/one request object/);
		r = await msg('/conversation/send', c, text(c.conversationId, 'x'.repeat(5000), 'big'));
		expect(r.status).toBe(400);
		expect(r.body).toEqual({ reqId: 'big', code: 'BAD_REQUEST', body: { msg: expect.stringContaining('5000 characters') } });
		sb.liveperson.maxRequestChars = 10000;
		expect((await msg('/conversation/send', c, text(c.conversationId, 'x'.repeat(5000)))).status).toBe(200);
		r = await msg('/conversation/send', c, { kind: 'req', type: 'ms.PublishEvent', body: {} });
		expect(r.body.body.msg).toMatch(/id is missing/);
		r = await msg('/conversation/send', c, { id: '1', type: 'ms.PublishEvent', body: {} });
		expect(r.body).toEqual({ reqId: '1', code: 'BAD_REQUEST', body: { msg: 'Bad Request, kind must be "req"' } });
		r = await msg('/conversation/send', c, { kind: 'req', id: '1', type: 'ms.Nope', body: {} });
		expect(r.body.body.msg).toMatch(/unsupported type ms.Nope/);
	});

	it('401 with an expired AppJWT (40102), then works after a new token', async () => {
		const c = await openConv('user-1');
		sb.liveperson.expireAppJwts();
		let r = await msg('/conversation/send', c, text(c.conversationId, 'x'));
		expect(r.status).toBe(401);
		expect(r.body.body.errorCode).toBe(40102);
		r = await msg('/conversation/send', { ...c, app: await appJwt() }, text(c.conversationId, 'x'));
		expect(r.body.body.sequence).toBe(0);
	});

	it('one Domain API lookup for many sends is observable', async () => {
		await fetch(`${sb.baseUrl('liveperson')}/api/account/${ACCT}/service/baseURI.json?version=1.0`);
		const c = await openConv('user-1');
		for (let i = 0; i < 20; i++) await msg('/conversation/send', c, text(c.conversationId, `m${i}`, String(i)));
		expect(sb.liveperson.domainLookupCount).toBe(1);
		expect(sb.liveperson.tokenRequestCount).toBe(1);
		expect(sb.liveperson.consumerRequestCount('user-1')).toBe(1);
		expect(sb.liveperson.consumerTextsOf(c.conversationId)).toHaveLength(20);
	});

	it('429 through the fault mechanism, without state change', async () => {
		const c = await openConv('user-1');
		const f = sb.fault({ provider: 'liveperson-msg', path: /\/send$/, status: 429 });
		let r = await msg('/conversation/send', c, text(c.conversationId, 'x'));
		expect(r.status).toBe(429);
		expect(r.body).toEqual(lpErr(42900));
		expect(r.headers.get('retry-after')).toBeNull();
		expect(f).toMatchObject({ hits: 1, remaining: 0 });
		expect(sb.liveperson.eventsOf(c.conversationId)).toHaveLength(0);
		r = await msg('/conversation/send', c, text(c.conversationId, 'x'));
		expect(r.status).toBe(200);
		sb.fault({ provider: 'liveperson-sentinel', status: 503 });
		expect((await getAppJwt()).status).toBe(503);
		sb.fault({ provider: 'liveperson-msg', status: 401 });
		expect((await msg('/conversation/send', c, text(c.conversationId, 'x'))).body).toEqual(lpErr(40102));
	});
});

describe('file sharing (swift)', () => {
	async function uploadUrl(c: Tokens, fileType = 'PNG', fileSize: number | string = PNG.length): Promise<Reply> {
		return msg('/conversation/send', c, { kind: 'req', id: 3, type: 'ms.GenerateURLForUploadFile', body: { fileSize, fileType } });
	}
	const swiftUrl = (relativePath: string, q: { temp_url_sig: string; temp_url_expires: string }): string =>
		`${host('swift')}${relativePath}?temp_url_sig=${q.temp_url_sig}&temp_url_expires=${q.temp_url_expires}`;

	it('upload URL → PUT → publish hosted/file → download URL → GET, byte-identical', async () => {
		const c = await openConv('user-1');
		const up = await uploadUrl(c, 'PNG', String(PNG.length));
		expect(up.status).toBe(200);
		expect(up.body).toEqual({
			reqId: '3',
			code: 'OK',
			body: {
				relativePath: expect.stringMatching(new RegExp(`^/v1/AUTH_async-images/${ACCT}/[0-9a-f]{64}_uuid_[0-9a-f-]{36}_\\d{2}-\\d{2}-\\d{4}_\\d{2}-\\d{2}-\\d{2}-\\d{3}\\.PNG$`)),
				queryParams: { temp_url_sig: expect.stringMatching(/^[0-9a-f]{40}$/), temp_url_expires: expect.stringMatching(/^\d+$/) },
			},
		});
		const { relativePath, queryParams } = up.body.body;
		expect(Number(queryParams.temp_url_expires) - Date.now() / 1000).toBeLessThanOrEqual(61);
		const put = await fetch(swiftUrl(relativePath, queryParams), { method: 'PUT', body: PNG, headers: { 'content-type': 'image/png' } });
		expect(put.status).toBe(201);
		const putReq = sb.lastRequest('liveperson-swift')!;
		expect(putReq.headers.authorization).toBeUndefined();
		expect(Buffer.compare(sb.liveperson.file(relativePath)!.data!, PNG)).toBe(0);

		const pub = await msg(
			'/conversation/send',
			c,
			publish(c.conversationId, { type: 'ContentEvent', contentType: 'hosted/file', message: { caption: 'label', relativePath, fileType: 'PNG', preview: 'data:image/png;base64,AAAA' } }),
		);
		expect(pub.body).toEqual({ reqId: '1', code: 'OK', body: { sequence: 0 } });

		const down = await msg('/conversation/send', c, { kind: 'req', id: '4', type: 'ms.GenerateURLForDownloadFile', body: { relativePath } });
		expect(down.body).toEqual({
			reqId: '4',
			code: 'OK',
			body: { relativePath, queryParams: { temp_url_sig: expect.stringMatching(/^[0-9a-f]{40}$/), temp_url_expires: expect.any(String) } },
		});
		const get = await fetch(swiftUrl(relativePath, down.body.body.queryParams));
		expect(get.status).toBe(200);
		expect(get.headers.get('content-type')).toBe('image/png');
		expect(Buffer.compare(Buffer.from(await get.arrayBuffer()), PNG)).toBe(0);
		expect(sb.liveperson.file(relativePath)).toMatchObject({ uploads: 1, downloads: 1, uploadedBy: 'consumer', fileType: 'PNG' });
	});

	it('401 for a wrong / expired signature, the PUT signature on GET, and no signature', async () => {
		const c = await openConv('user-1');
		const { relativePath, queryParams } = (await uploadUrl(c)).body.body;
		let res = await fetch(swiftUrl(relativePath, { ...queryParams, temp_url_sig: '0'.repeat(40) }), { method: 'PUT', body: PNG });
		expect(res.status).toBe(401);
		expect(await res.text()).toContain('Temp URL invalid');
		res = await fetch(`${host('swift')}${relativePath}`, { method: 'PUT', body: PNG });
		expect(res.status).toBe(401);
		res = await fetch(swiftUrl(relativePath, { ...queryParams, temp_url_expires: String(Number(queryParams.temp_url_expires) + 1) }), { method: 'PUT', body: PNG });
		expect(res.status).toBe(401);
		expect((await fetch(swiftUrl(relativePath, queryParams), { method: 'PUT', body: PNG })).status).toBe(201);
		// a PUT URL does not allow GET
		expect((await fetch(swiftUrl(relativePath, queryParams))).status).toBe(401);
		sb.liveperson.tempUrlLifetimeSeconds = -1;
		const expired = (await uploadUrl(c)).body.body;
		expect((await fetch(swiftUrl(expired.relativePath, expired.queryParams), { method: 'PUT', body: PNG })).status).toBe(401);
		// the docs' "https://{swift}/{relativePath}" doubles the slash: 404 with a hint
		res = await fetch(`${host('swift')}/${relativePath}?temp_url_sig=${queryParams.temp_url_sig}&temp_url_expires=${queryParams.temp_url_expires}`, { method: 'PUT', body: PNG });
		expect(res.status).toBe(404);
		expect(await res.text()).toContain('already starts with "/"');
	});

	it('upload URL validation: fileSize, fileType, 3 MB; publish needs the upload and a matching type', async () => {
		const c = await openConv('user-1');
		expect((await uploadUrl(c, 'PNG', 0)).status).toBe(400);
		expect((await uploadUrl(c, 'PNG', 'big')).status).toBe(400);
		expect((await uploadUrl(c, 'PNG', 3 * 1024 * 1024 + 1)).body.body.msg).toMatch(/maximum/);
		expect((await uploadUrl(c, 'PDF')).body.body.msg).toMatch(/not supported/);
		expect((await uploadUrl(c, 'jpeg')).body.body.relativePath).toMatch(/\.JPEG$/);
		const { relativePath, queryParams } = (await uploadUrl(c, 'PNG')).body.body;
		const pub = (fileType: string): Promise<Reply> =>
			msg('/conversation/send', c, publish(c.conversationId, { type: 'ContentEvent', contentType: 'hosted/file', message: { relativePath, fileType } }));
		expect((await pub('PNG')).body.body.msg).toMatch(/not uploaded/);
		await fetch(swiftUrl(relativePath, queryParams), { method: 'PUT', body: Buffer.from('not a png at all') });
		expect((await pub('PNG')).body.body.msg).toMatch(/corrupted or not a PNG/);
		await fetch(swiftUrl(relativePath, queryParams), { method: 'PUT', body: PNG });
		expect((await pub('JPEG')).body.body.msg).toMatch(/does not match/);
		expect((await pub('PNG')).status).toBe(200);
		const dl = await msg('/conversation/send', c, { kind: 'req', id: '4', type: 'ms.GenerateURLForDownloadFile', body: { relativePath: '/v1/AUTH_async-images/x/none.PNG' } });
		expect(dl.status).toBe(400);
		const big = await msg(
			'/conversation/send',
			c,
			publish(c.conversationId, { type: 'ContentEvent', contentType: 'hosted/file', message: { relativePath, fileType: 'PNG', preview: 'not-a-data-url' } }),
		);
		expect(big.body.body.msg).toMatch(/preview/);
		sb.liveperson.maxFileBytes = 100;
		expect((await fetch(swiftUrl(relativePath, queryParams), { method: 'PUT', body: PNG })).status).toBe(413);
	});

	it('agentFile pre-uploads to swift: the connector downloads it byte-identically', async () => {
		const hits: Buffer[] = [];
		const server = await startFakeServer((req) => {
			hits.push(req.rawBody);
			return { raw: '' };
		});
		try {
			sb.liveperson.webhookUrl = `${server.url}/lp`;
			const c = await openConv('user-1');
			const res = await sb.liveperson.agentFile(c.conversationId, { name: 'invoice.png', contentType: 'image/png', data: PNG });
			expect(res.status).toBe(200);
			const change = JSON.parse(hits[0].toString('utf8')).body.changes[0];
			expect(change.event).toEqual({
				type: 'ContentEvent',
				contentType: 'hosted/file',
				message: { caption: 'invoice.png', relativePath: expect.stringMatching(/^\/v1\/AUTH_async-images\/.*\.PNG$/), fileType: 'PNG' },
			});
			const down = await msg('/conversation/send', c, { kind: 'req', id: '4', type: 'ms.GenerateURLForDownloadFile', body: { relativePath: change.event.message.relativePath } });
			const get = await fetch(`${host('swift')}${down.body.body.relativePath}?temp_url_sig=${down.body.body.queryParams.temp_url_sig}&temp_url_expires=${down.body.body.queryParams.temp_url_expires}`);
			expect(Buffer.compare(Buffer.from(await get.arrayBuffer()), PNG)).toBe(0);
			expect(sb.liveperson.file(change.event.message.relativePath)!.uploadedBy).toBe('agent');
		} finally {
			await server.close();
		}
	});
});

// =====================================================================================
// Webhooks (LivePerson → your endpoint)
// =====================================================================================

interface Hit {
	url: string;
	headers: HeaderMap;
	raw: Buffer;
}

/** independent verification: HMAC over the RECEIVED raw bytes */
function verify(hit: Hit, secret = LIVEPERSON_CLIENT_SECRET): boolean {
	const sig = String(hit.headers['x-liveperson-signature'] ?? '');
	const m = /^(sha1|sha256)=(.+)$/.exec(sig);
	if (!m) return false;
	const mac = crypto.createHmac(m[1], Buffer.from(secret, 'utf8')).update(hit.raw);
	const expected = /^[0-9a-f]+$/.test(m[2]) && m[2].length === (m[1] === 'sha1' ? 40 : 64) ? mac.digest('hex') : mac.digest('base64');
	return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(m[2].length === expected.length ? m[2] : expected.replace(/./g, '!')));
}

describe('webhook client', () => {
	let server: FakeServer;
	let base: string;
	const hits: Hit[] = [];
	const statusFor: Record<string, number> = {};

	beforeAll(async () => {
		server = await startFakeServer(({ request }) => {
			hits.push({ url: request.url, headers: request.headers, raw: request.rawBody });
			return { status: statusFor[request.url] ?? 200, body: { received: true } };
		});
		base = server.url;
	});
	afterAll(() => server.close());
	beforeEach(() => {
		hits.length = 0;
		for (const k of Object.keys(statusFor)) delete statusFor[k];
		sb.liveperson.webhookUrl = `${base}/hooks/lp`;
	});
	const json = (h: Hit): any => JSON.parse(h.raw.toString('utf8'));

	it('agentMessage posts exactly the LivePerson envelope and headers', async () => {
		const c = await openConv('user-1');
		await msg('/conversation/send', c, text(c.conversationId, 'hello'));
		const res = await sb.liveperson.agentMessage(c.conversationId, 'Hello from the Agent\n');
		expect(res).toMatchObject({ status: 200, body: { received: true } });
		expect(hits).toHaveLength(1);
		const h = hits[0];
		expect(h.url).toBe('/hooks/lp');
		expect(h.headers['content-type']).toBe('application/json');
		expect(h.headers['x-liveperson-account-id']).toBe(ACCT);
		expect(h.headers['x-liveperson-client-id']).toBe(LIVEPERSON_CLIENT_ID);
		expect(h.headers['x-liveperson-signature']).toMatch(/^sha1=[A-Za-z0-9+/]+=*$/);
		expect(verify(h)).toBe(true);
		const body = json(h);
		expect(Object.keys(body)).toEqual(['kind', 'body', 'type']);
		expect(body).toEqual({
			kind: 'notification',
			body: {
				sentTs: expect.any(Number),
				changes: [
					{
						sequence: 1,
						originatorId: LIVEPERSON_AGENT.id,
						originatorMetadata: { id: LIVEPERSON_AGENT.id, role: 'ASSIGNED_AGENT' },
						serverTimestamp: expect.any(Number),
						event: { type: 'ContentEvent', message: 'Hello from the Agent\n', contentType: 'text/plain' },
						conversationId: c.conversationId,
						dialogId: c.conversationId,
						messageAudience: 'ALL',
					},
				],
			},
			type: 'ms.MessagingEventNotification',
		});
		expect(sb.liveperson.eventAt(c.conversationId, 1)).toMatchObject({ originator: 'agent', role: 'ASSIGNED_AGENT', audience: 'ALL', via: 'helper' });
		expect(sb.liveperson.conversation(c.conversationId)!.participants).toContainEqual({ id: LIVEPERSON_AGENT.id, role: 'ASSIGNED_AGENT' });
		const call = sb.liveperson.webhookCalls[0];
		expect(call).toMatchObject({ id: 1, type: 'ms.MessagingEventNotification', eventKey: 'ms.MessagingEventNotification.ContentEvent', redeliveryOf: null });
		expect(Buffer.compare(call.rawBody, h.raw)).toBe(0);
		expect(call.response).toMatchObject({ status: 200 });
	});

	const texts = ['plain ascii', 'emoji 👋🏽🚀 and ZWJ 👩‍💻', 'عربي: مرحبا، كيف يمكنني مساعدتك؟', 'mixed «guillemets» — ünïcödé \u2028 line sep'];
	const variants: Array<['sha1' | 'sha256', 'base64' | 'hex']> = [
		['sha1', 'base64'],
		['sha1', 'hex'],
		['sha256', 'base64'],
		['sha256', 'hex'],
	];
	it.each(variants)('signature %s / %s over the raw UTF-8 bytes (emoji, Arabic)', async (algorithm, encoding) => {
		const c = await openConv('user-1');
		for (const t of texts) await sb.liveperson.agentMessage(c.conversationId, t, { algorithm, encoding });
		sb.liveperson.signatureAlgorithm = algorithm;
		sb.liveperson.signatureEncoding = encoding;
		await sb.liveperson.agentMessage(c.conversationId, texts[2]);
		expect(hits).toHaveLength(texts.length + 1);
		hits.forEach((h, i) => {
			const sig = String(h.headers['x-liveperson-signature']);
			expect(sig.startsWith(`${algorithm}=`)).toBe(true);
			const value = sig.slice(algorithm.length + 1);
			const digest = crypto.createHmac(algorithm, Buffer.from(LIVEPERSON_CLIENT_SECRET, 'utf8')).update(h.raw).digest(encoding);
			expect(value).toBe(digest);
			expect(verify(h)).toBe(true);
			expect(json(h).body.changes[0].event.message).toBe(i < texts.length ? texts[i] : texts[2]);
		});
		// an ASCII/latin1 re-encoding of the text would NOT verify (the §8 pitfall)
		const arabic = hits[2];
		const wrong = crypto.createHmac(algorithm, LIVEPERSON_CLIENT_SECRET).update(Buffer.from(arabic.raw.toString('utf8'), 'latin1')).digest(encoding);
		expect(String(arabic.headers['x-liveperson-signature'])).not.toBe(`${algorithm}=${wrong}`);
	});

	it('forged, missing and explicit signatures; wrong account / client headers; extra headers', async () => {
		const c = await openConv('user-1');
		await sb.liveperson.agentMessage(c.conversationId, 'forged', { secret: 'not-the-secret' });
		await sb.liveperson.agentMessage(c.conversationId, 'unsigned', { signature: null });
		await sb.liveperson.agentMessage(c.conversationId, 'verbatim', { signature: 'sha1=AAAA' });
		await sb.liveperson.agentMessage(c.conversationId, 'other account', { accountId: LIVEPERSON_SECOND_ACCOUNT_ID, clientId: 'someone-else' });
		await sb.liveperson.agentMessage(c.conversationId, 'no account', { accountId: null, clientId: null, headers: { 'X-Custom-Secret': 'static-123' } });
		expect(verify(hits[0])).toBe(false);
		expect(verify(hits[0], 'not-the-secret')).toBe(true);
		expect(hits[1].headers['x-liveperson-signature']).toBeUndefined();
		expect(hits[2].headers['x-liveperson-signature']).toBe('sha1=AAAA');
		expect(hits[3].headers['x-liveperson-account-id']).toBe(LIVEPERSON_SECOND_ACCOUNT_ID);
		expect(hits[3].headers['x-liveperson-client-id']).toBe('someone-else');
		expect(verify(hits[3])).toBe(true); // headers changed, still signed by the real app
		expect(hits[4].headers['x-liveperson-account-id']).toBeUndefined();
		expect(hits[4].headers['x-liveperson-client-id']).toBeUndefined();
		expect(hits[4].headers['x-custom-secret']).toBe('static-123');
		expect(sb.liveperson.webhookCalls.map((w) => w.signature)).toEqual([expect.any(String), null, 'sha1=AAAA', expect.any(String), expect.any(String)]);
	});

	it('several changes in one notification; audience, role, agent and legacy options', async () => {
		const c = await openConv('user-1');
		await sb.liveperson.agentMessages(c.conversationId, ['one', 'two', 'three']);
		expect(hits).toHaveLength(1);
		expect(json(hits[0]).body.changes.map((ch: { sequence: number; event: { message: string } }) => [ch.sequence, ch.event.message])).toEqual([
			[0, 'one'],
			[1, 'two'],
			[2, 'three'],
		]);
		await sb.liveperson.agentMessage(c.conversationId, 'internal note', { audience: 'AGENTS_AND_MANAGERS', agent: LIVEPERSON_AGENTS.manager });
		await sb.liveperson.agentMessage(c.conversationId, 'bot text', { agent: LIVEPERSON_AGENTS.bot });
		await sb.liveperson.agentMessage(c.conversationId, 'controller', { role: 'CONTROLLER' });
		await sb.liveperson.agentMessage(c.conversationId, 'old shape', { legacy: true });
		const ch = hits.slice(1).map((h) => json(h).body.changes[0]);
		expect(ch[0]).toMatchObject({ messageAudience: 'AGENTS_AND_MANAGERS', originatorMetadata: { id: LIVEPERSON_AGENTS.manager.id, role: 'MANAGER' } });
		expect(ch[1]).toMatchObject({ originatorId: LIVEPERSON_AGENTS.bot.id, originatorMetadata: { role: 'ASSIGNED_AGENT' } });
		expect(ch[2].originatorMetadata.role).toBe('CONTROLLER');
		expect(ch[3]).not.toHaveProperty('conversationId');
		expect(ch[3]).not.toHaveProperty('messageAudience');
		expect(ch[3].dialogId).toBe(c.conversationId);
		// a hand-built multi-change notification (builders record, notify posts)
		const changes = [sb.liveperson.recordAgentMessage(c.conversationId, 'x'), sb.liveperson.recordAgentEvent(c.conversationId, { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [0] })];
		await sb.liveperson.notify('ms.MessagingEventNotification', changes);
		expect(json(hits[5]).body.changes.map((x: { sequence: number }) => x.sequence)).toEqual([7, 8]);
	});

	it('per-event-type endpoints (manifest capabilities.webhooks)', async () => {
		const c = await openConv('user-1');
		sb.liveperson.webhookUrl = null;
		Object.assign(sb.liveperson.webhooks, {
			'ms.MessagingEventNotification.ContentEvent': `${base}/content`,
			'ms.MessagingEventNotification.ChatStateEvent': `${base}/chatstate`,
			'ms.MessagingEventNotification.AcceptStatusEvent': `${base}/accept`,
			'ms.MessagingEventNotification.RichContentEvent': `${base}/rich`,
			'cqm.ExConversationChangeNotification': `${base}/conv`,
		});
		await sb.liveperson.agentMessage(c.conversationId, 'hi');
		await sb.liveperson.agentTyping(c.conversationId, 'COMPOSING');
		await sb.liveperson.agentAccept(c.conversationId, 'READ', [0]);
		await sb.liveperson.agentRichContent(c.conversationId, { type: 'vertical', elements: [] });
		await sb.liveperson.conversationChange(c.conversationId);
		expect(hits.map((h) => h.url)).toEqual(['/content', '/chatstate', '/accept', '/rich', '/conv']);
		delete sb.liveperson.webhooks['ms.MessagingEventNotification.ContentEvent'];
		expect(() => sb.liveperson.agentMessage(c.conversationId, 'nowhere')).toThrow(/no webhook endpoint/);
	});

	it('agentTyping has no sequence / serverTimestamp; agentAccept marks consumer messages; consumerEcho is role CONSUMER', async () => {
		const c = await openConv('user-1');
		await msg('/conversation/send', c, text(c.conversationId, 'I need help 🙏'));
		await sb.liveperson.agentTyping(c.conversationId, 'COMPOSING');
		await sb.liveperson.agentAccept(c.conversationId, 'READ', [0]);
		await sb.liveperson.consumerEcho(c.conversationId);
		const [typing, accept, echo] = hits.map((h) => json(h).body.changes[0]);
		expect(typing).toEqual({
			originatorId: LIVEPERSON_AGENT.id,
			originatorMetadata: { id: LIVEPERSON_AGENT.id, role: 'ASSIGNED_AGENT' },
			event: { type: 'ChatStateEvent', chatState: 'COMPOSING' },
			conversationId: c.conversationId,
			dialogId: c.conversationId,
			messageAudience: 'ALL',
		});
		expect(accept).toMatchObject({ sequence: 1, serverTimestamp: expect.any(Number), event: { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [0] } });
		expect(sb.liveperson.eventAt(c.conversationId, 0)!.statuses).toEqual(['READ']);
		const lp = livePersonConsumerId('user-1');
		expect(echo).toEqual({
			sequence: 0,
			originatorId: lp,
			originatorMetadata: { id: lp, role: 'CONSUMER' },
			serverTimestamp: sb.liveperson.eventAt(c.conversationId, 0)!.serverTimestamp,
			event: { type: 'ContentEvent', contentType: 'text/plain', message: 'I need help 🙏' },
			conversationId: c.conversationId,
			dialogId: c.conversationId,
			messageAudience: 'ALL',
		});
		expect(sb.liveperson.eventsOf(c.conversationId)).toHaveLength(3); // echo adds no event
		await sb.liveperson.consumerEcho(c.conversationId, { sequence: 0, legacy: true });
		expect(json(hits[3]).body.changes[0]).not.toHaveProperty('conversationId');
		expect(() => sb.liveperson.consumerEcho(c.conversationId, { sequence: 42 })).toThrow(/no consumer event/);
	});

	it('conversationChange (OPEN, agent assigned) and closeConversation (CLOSE) payloads', async () => {
		const c = await openConv('user-1', { ttrDefName: 'PRIORITIZED', skillId: '2736637412' });
		await sb.liveperson.conversationChange(c.conversationId);
		await sb.liveperson.conversationChange(c.conversationId, { agent: LIVEPERSON_AGENT });
		const res = await sb.liveperson.closeConversation(c.conversationId, 'AGENT');
		expect(res.status).toBe(200);
		const [open, assigned, closed] = hits.map((h) => json(h));
		expect(open.type).toBe('cqm.ExConversationChangeNotification');
		expect(sb.liveperson.webhookCalls[0].eventKey).toBe('cqm.ExConversationChangeNotification');
		const lp = livePersonConsumerId('user-1');
		expect(open.body.changes[0]).toEqual({
			type: 'UPSERT',
			result: {
				convId: c.conversationId,
				effectiveTTR: expect.any(Number),
				conversationDetails: expect.objectContaining({
					participants: [{ id: lp, role: 'CONSUMER' }],
					brandId: ACCT,
					state: 'OPEN',
					stage: 'OPEN',
					skillId: '2736637412',
					startTs: expect.any(Number),
					metaDataLastUpdateTs: expect.any(Number),
					ttr: { ttrType: 'PRIORITIZED', value: 600 },
				}),
			},
		});
		expect(open.body.changes[0].result.conversationDetails).not.toHaveProperty('closeReason');
		const ad = assigned.body.changes[0].result.conversationDetails;
		expect(ad.participants).toEqual([
			{ id: lp, role: 'CONSUMER' },
			{ id: LIVEPERSON_AGENT.id, role: 'ASSIGNED_AGENT' },
		]);
		const cd = closed.body.changes[0].result.conversationDetails;
		expect(cd).toMatchObject({ state: 'CLOSE', stage: 'CLOSE', closeReason: 'AGENT', brandId: ACCT, participants: ad.participants, ttr: { ttrType: 'PRIORITIZED', value: 600 } });
		expect(cd.metaDataLastUpdateTs).toBeGreaterThan(ad.metaDataLastUpdateTs);
		expect(ad.metaDataLastUpdateTs).toBeGreaterThan(open.body.changes[0].result.conversationDetails.metaDataLastUpdateTs);
		expect(sb.liveperson.conversation(c.conversationId)).toMatchObject({ state: 'CLOSE', closeReason: 'AGENT', closedBy: 'agent' });
		// and the connector's next SEND is refused
		const r = await msg('/conversation/send', c, text(c.conversationId, 'hello?'));
		expect(r.body).toEqual({ reqId: '1', code: 'BAD_REQUEST', body: { msg: 'Bad Request, Conversation is close' } });
		await sb.liveperson.conversationChange(c.conversationId, { type: 'DELETE' });
		expect(json(hits[3]).body.changes[0].type).toBe('DELETE');
	});

	it('pushNotification signs exactly the bytes it sends (string, Buffer, object)', async () => {
		const raw = '{"kind":"notification","body":{"changes":[{"event":{"type":"ContentEvent","message":"سلام 😀"}}]},"type":"ms.MessagingEventNotification"}  ';
		await sb.liveperson.pushNotification(`${base}/raw`, raw);
		await sb.liveperson.pushNotification(`${base}/raw`, Buffer.from('not json at all ✓', 'utf8'), { algorithm: 'sha256', encoding: 'hex' });
		await sb.liveperson.pushNotification(`${base}/raw`, { kind: 'notification', type: 'x', body: { changes: [] } });
		expect(hits[0].raw.toString('utf8')).toBe(raw);
		expect(hits[0].headers['x-liveperson-signature']).toBe(livePersonSignature(LIVEPERSON_CLIENT_SECRET, Buffer.from(raw, 'utf8')));
		expect(hits[1].headers['x-liveperson-signature']).toBe(livePersonSignature(LIVEPERSON_CLIENT_SECRET, hits[1].raw, 'sha256', 'hex'));
		hits.forEach((h) => expect(verify(h)).toBe(true));
		expect(sb.liveperson.webhookCalls.map((w) => w.type)).toEqual(['ms.MessagingEventNotification', null, 'x']);
	});

	it('redeliver re-sends a notification byte for byte (same signature)', async () => {
		const c = await openConv('user-1');
		statusFor['/hooks/lp'] = 503;
		const first = await sb.liveperson.agentMessage(c.conversationId, 'retry me ✨');
		expect(first.status).toBe(503);
		statusFor['/hooks/lp'] = 200;
		const again = await sb.liveperson.redeliver(sb.liveperson.webhookCalls[0]);
		expect(again.status).toBe(200);
		await sb.liveperson.redeliver(1);
		expect(hits).toHaveLength(3);
		expect(Buffer.compare(hits[0].raw, hits[1].raw)).toBe(0);
		expect(Buffer.compare(hits[0].raw, hits[2].raw)).toBe(0);
		expect(hits[1].headers['x-liveperson-signature']).toBe(hits[0].headers['x-liveperson-signature']);
		expect(sb.liveperson.webhookCalls.map((w) => [w.id, w.redeliveryOf, w.response?.status])).toEqual([
			[1, null, 503],
			[2, 1, 200],
			[3, 1, 200],
		]);
		// the event was recorded once
		expect(sb.liveperson.eventsOf(c.conversationId)).toHaveLength(1);
		expect(() => sb.liveperson.redeliver(99)).toThrow(/unknown webhook call/);
	});

	it('second-account conversations are signed with that app and carry its headers', async () => {
		const conv = sb.liveperson.startConversation('other-user', { accountId: LIVEPERSON_SECOND_ACCOUNT_ID });
		await sb.liveperson.agentMessage(conv.conversationId, 'hi');
		expect(hits[0].headers['x-liveperson-account-id']).toBe(LIVEPERSON_SECOND_ACCOUNT_ID);
		expect(hits[0].headers['x-liveperson-client-id']).toBe(LIVEPERSON_SECOND_CLIENT_ID);
		expect(verify(hits[0], LIVEPERSON_SECOND_CLIENT_SECRET)).toBe(true);
		expect(verify(hits[0])).toBe(false);
	});

	it('transport errors reject and are logged; unknown conversations throw', async () => {
		const tmp = await startFakeServer();
		const port = tmp.port;
		await tmp.close();
		const c = await openConv('user-1');
		await expect(sb.liveperson.agentMessage(c.conversationId, 'x', { url: `http://127.0.0.1:${port}/gone` })).rejects.toThrow();
		expect(sb.liveperson.webhookCalls.at(-1)).toMatchObject({ response: null, error: expect.any(String) });
		expect(() => sb.liveperson.agentMessage('nope', 'x')).toThrow(/unknown conversation/);
	});
});

describe('reset', () => {
	it('restores seed state in place', async () => {
		const conversations = sb.liveperson.conversations;
		const c = await openConv('user-1');
		sb.liveperson.webhooks['cqm.ExConversationChangeNotification'] = 'http://127.0.0.1:9/x';
		sb.liveperson.appJwtLifetimeSeconds = 5;
		sb.liveperson.acceptBearerPrefix = false;
		sb.liveperson.apps.clear();
		sb.reset();
		expect(sb.liveperson.conversations).toBe(conversations);
		expect(conversations.size).toBe(0);
		expect(sb.liveperson.appJwts.size).toBe(0);
		expect(sb.liveperson.tokenRequestCount).toBe(0);
		expect(sb.liveperson.webhooks).toEqual({});
		expect(sb.liveperson.webhookUrl).toBeNull();
		expect(sb.liveperson.appJwtLifetimeSeconds).toBe(3600);
		expect(sb.liveperson.acceptBearerPrefix).toBe(true);
		expect(sb.liveperson.apps.get(LIVEPERSON_CLIENT_ID)?.clientSecret).toBe(LIVEPERSON_CLIENT_SECRET);
		expect((await openConv('user-1')).conversationId).toBe(c.conversationId);
	});
});
