/**
 * What the unit suite does not already go through in the fake-server core: 404/405, handler
 * crashes, edge cases of body parsing (malformed JSON, gzip, binary and malformed multipart),
 * fault options, a fixed port, the logger, and a custom provider module plugging in.
 * Digishare's API contract is covered in digishare.test.ts.
 */
import * as zlib from 'zlib';
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	defaultProviders,
	HandlerResult,
	MountDef,
	MultipartBody,
	ProviderModule,
	RequestContext,
	Sandbox,
	startFakeServer,
	startSandbox,
} from './index';

/** A throw-away provider proving that modules plug in without touching the server. */
class EchoProvider implements ProviderModule {
	readonly name = 'echo';
	readonly mounts: MountDef[];
	resets = 0;
	constructor() {
		this.mounts = [
			{
				name: 'echo',
				basePath: '/api/v2',
				routes: [
					{ method: 'POST', path: '/upload', handler: (c) => this.upload(c) },
					{ method: 'GET', path: '/items/:id/sub/:sub', handler: (c) => ({ status: 200, body: { params: c.params } }) },
					{ method: 'GET', path: '/open', public: true, handler: () => ({ status: 200, body: { open: true } }) },
					{
						method: 'GET',
						path: '/boom',
						public: true,
						handler: () => {
							throw new Error('kaboom');
						},
					},
				],
			},
		];
	}
	reset(): void {
		this.resets++;
	}
	authenticate(ctx: RequestContext): HandlerResult | undefined {
		// Omnidesk-style: api key as header or query
		const key = ctx.header('apikey') ?? ctx.queryValue('apiKey');
		return key === 'k1' ? undefined : { status: 401, body: { status: 'error', message: 'bad key' } };
	}
	private upload(c: RequestContext): HandlerResult {
		const mp = c.body as MultipartBody;
		return {
			status: 200,
			body: {
				kind: c.bodyKind,
				fields: mp.fields,
				files: mp.files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, size: f.data.length })),
			},
		};
	}
}

let sb: Sandbox;
let echo: EchoProvider;

beforeAll(async () => {
	echo = new EchoProvider();
	sb = await startSandbox({ providers: [...defaultProviders(), echo] });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.reset());

const auth = { authorization: `Bearer ${DIGISHARE_PAT}` };

async function jsonOf(res: Response): Promise<unknown> {
	const text = await res.text();
	return text ? JSON.parse(text) : undefined;
}

describe('mounts and routing', () => {
	it('404s unknown mounts and unknown routes, logging them', async () => {
		let res = await fetch(`${sb.url}/nowhere/v1/x`);
		expect(res.status).toBe(404);
		expect(await jsonOf(res)).toEqual({ message: expect.stringContaining('No sandbox provider') });
		expect(sb.lastRequest()).toMatchObject({ provider: '', path: '/nowhere/v1/x', response: { status: 404 } });

		res = await fetch(`${sb.baseUrl('digishare')}/does/not/exist`, { headers: auth });
		expect(res.status).toBe(404);
		expect(await jsonOf(res)).toEqual({ message: 'The route v1/does/not/exist could not be found.' });

		// under the mount but outside its base path
		res = await fetch(`${sb.url}/digishare/v2/messages`);
		expect(res.status).toBe(404);
		expect(sb.lastRequest('digishare')).toMatchObject({ path: '/v2/messages' });
	});

	it('answers 405 with Allow for a known path and wrong method', async () => {
		const res = await fetch(`${sb.baseUrl('digishare')}/conversations/${DIGISHARE_CONVERSATION_IDS.active}/attach/participants`, {
			method: 'POST',
			headers: auth,
		});
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('PUT');
		expect(await jsonOf(res)).toEqual({ message: expect.stringMatching(/POST method is not supported.*Supported methods: PUT/) });
	});

	it('decodes route params and tolerates a trailing slash', async () => {
		const res = await fetch(`${sb.baseUrl('echo')}/items/a%20b/sub/c%2Fd/?apiKey=k1`);
		expect(res.status).toBe(200);
		expect(await jsonOf(res)).toEqual({ params: { id: 'a b', sub: 'c/d' } });
	});

	it('turns a handler crash into a 500 and keeps serving', async () => {
		const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		const res = await fetch(`${sb.baseUrl('echo')}/boom`);
		expect(res.status).toBe(500);
		expect(await jsonOf(res)).toEqual({ message: 'Sandbox handler error: kaboom' });
		expect(spy).toHaveBeenCalled();
		spy.mockRestore();
		expect((await fetch(`${sb.baseUrl('echo')}/open`)).status).toBe(200);
	});
});

describe('request log', () => {
	it('keeps malformed JSON as text and reports the parse error', async () => {
		await fetch(`${sb.baseUrl('digishare')}/messages`, {
			method: 'POST',
			headers: { ...auth, 'content-type': 'application/json' },
			body: '{"body": ',
		});
		const r = sb.lastRequest();
		expect(r?.bodyKind).toBe('json');
		expect(r?.body).toBe('{"body": ');
		expect(r?.bodyError).toEqual(expect.any(String));
	});

	it('decodes gzip request bodies for parsing but keeps rawBody as received', async () => {
		const json = JSON.stringify({ hello: 'world' });
		const gz = zlib.gzipSync(Buffer.from(json));
		await fetch(`${sb.baseUrl('digishare')}/nothing`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
			body: gz,
		});
		const r = sb.lastRequest();
		expect(r?.body).toEqual({ hello: 'world' });
		expect(r?.rawBody.equals(gz)).toBe(true);
	});

	it('treats other content types as UTF-8 text and an empty body as none', async () => {
		await fetch(`${sb.baseUrl('digishare')}/x`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain ✓' });
		expect(sb.lastRequest()).toMatchObject({ bodyKind: 'text', body: 'plain ✓' });
		await fetch(`${sb.baseUrl('digishare')}/x`, { method: 'POST' });
		expect(sb.lastRequest()).toMatchObject({ bodyKind: 'none', body: undefined });
		expect(sb.lastRequest()?.rawBody.length).toBe(0);
	});
});

describe('multipart parsing', () => {
	const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

	it('parses a hand-built body with binary bytes intact (CR, LF, dashes, NUL, 0xFF)', async () => {
		const boundary = '----sandboxBoundary7MA4YWxkTrZu0gW';
		// a payload that contains CRLF and a near-miss of the delimiter
		const tricky = Buffer.concat([allBytes, Buffer.from(`\r\n--${boundary.slice(0, -1)}\r\n`), allBytes]);
		const body = Buffer.concat([
			Buffer.from(`preamble is ignored\r\n--${boundary}\r\n`),
			Buffer.from('Content-Disposition: form-data; name="chatSessionID"\r\n\r\nsess-1\r\n'),
			Buffer.from(`--${boundary}\r\n`),
			Buffer.from('Content-Disposition: form-data; name="tag"\r\n\r\none\r\n'),
			Buffer.from(`--${boundary}\r\n`),
			Buffer.from('Content-Disposition: form-data; name="tag"\r\n\r\ntwo\r\n'),
			Buffer.from(`--${boundary}\r\n`),
			Buffer.from('Content-Disposition: form-data; name="note"\r\n\r\nmulti\r\nline ✓\r\n'),
			Buffer.from(`--${boundary}\r\n`),
			Buffer.from('Content-Disposition: form-data; name="file"; filename="photo.bin"\r\nContent-Type: image/jpeg\r\n\r\n'),
			tricky,
			Buffer.from(`\r\n--${boundary}\r\n`),
			Buffer.from(`Content-Disposition: form-data; name="file2"; filename="x.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\n`),
			Buffer.from(`\r\n--${boundary}\r\n`),
			Buffer.from('Content-Disposition: form-data; name="empty"; filename=""\r\n\r\n'),
			Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
		]);
		const res = await fetch(`${sb.baseUrl('echo')}/upload?apiKey=k1`, {
			method: 'POST',
			headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` },
			body,
		});
		expect(res.status).toBe(200);

		const r = sb.lastRequest('echo');
		expect(r?.bodyKind).toBe('multipart');
		expect(r?.bodyError).toBeUndefined();
		const mp = r?.body as MultipartBody;
		expect(mp.fields).toEqual({ chatSessionID: 'sess-1', tag: ['one', 'two'], note: 'multi\r\nline ✓' });
		expect(mp.files).toHaveLength(3);
		expect(mp.files[0]).toMatchObject({ field: 'file', filename: 'photo.bin', contentType: 'image/jpeg' });
		expect(mp.files[0].data.equals(tricky)).toBe(true);
		expect(mp.files[1]).toMatchObject({ field: 'file2', filename: '€ rates.txt', contentType: 'application/octet-stream' });
		expect(mp.files[1].data.length).toBe(0);
		expect(mp.files[2]).toMatchObject({ field: 'empty', filename: '' });
		expect(r?.rawBody.equals(body)).toBe(true);
	});

	it('reports malformed multipart instead of crashing', async () => {
		await fetch(`${sb.baseUrl('digishare')}/x`, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=abc' },
			body: '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
		});
		const r = sb.lastRequest();
		expect(r?.bodyKind).toBe('multipart');
		expect(r?.bodyError).toMatch(/unterminated/);
	});
});

describe('faults', () => {
	const profileUrl = (): string => `${sb.baseUrl('digishare')}/user/profile`;

	it('returns a 429 with Retry-After once, then the real response', async () => {
		const f = sb.fault({ provider: 'digishare', method: 'GET', path: '/user/profile', status: 429, headers: { 'Retry-After': '0' } });
		let res = await fetch(profileUrl(), { headers: auth });
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('0');
		expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(res.headers.get('x-ratelimit-limit')).toEqual(expect.any(String));
		expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
		expect(await jsonOf(res)).toEqual({ message: 'Too Many Attempts.' });
		expect(sb.lastRequest()).toMatchObject({ faulted: true, response: { status: 429 } });
		expect(f).toMatchObject({ remaining: 0, hits: 1 });

		res = await fetch(profileUrl(), { headers: auth });
		expect(res.status).toBe(200);
		expect(sb.pendingFaults).toHaveLength(0);
	});

	it('applies a 500 {message, request_id} twice and takes faults in registration order', async () => {
		sb.fault({ provider: 'digishare', path: /^\/thirds/, status: 500, times: 2 });
		sb.fault({ provider: 'digishare', path: /^\/thirds/, status: 503, body: { message: 'custom' } });
		const statuses: number[] = [];
		const bodies: unknown[] = [];
		for (let i = 0; i < 4; i++) {
			const res = await fetch(`${sb.baseUrl('digishare')}/thirds`, { headers: auth });
			statuses.push(res.status);
			bodies.push(await jsonOf(res));
		}
		expect(statuses).toEqual([500, 500, 503, 200]);
		expect(bodies[0]).toEqual({ message: 'Server Error', request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
		expect(bodies[2]).toEqual({ message: 'custom' });
	});

	it('fires before auth and only for the matching provider/method/path', async () => {
		sb.fault({ provider: 'digishare', method: 'POST', path: '/messages', status: 500 });
		// other method / path / provider are untouched
		expect((await fetch(profileUrl(), { headers: auth })).status).toBe(200);
		expect((await fetch(`${sb.baseUrl('echo')}/open`, { method: 'GET' })).status).toBe(200);
		// unauthenticated request still gets the fault
		expect((await fetch(`${sb.baseUrl('digishare')}/messages`, { method: 'POST' })).status).toBe(500);
	});

	it('supports delay-only faults (pass-through), raw bodies, wildcard provider and clearFaults', async () => {
		sb.fault({ provider: 'digishare', delayMs: 5 });
		let res = await fetch(profileUrl(), { headers: auth });
		expect(res.status).toBe(200);
		expect(sb.lastRequest()?.faulted).toBe(true);

		sb.fault({ provider: '*', status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });
		res = await fetch(`${sb.baseUrl('echo')}/open`);
		expect(res.status).toBe(502);
		expect(res.headers.get('content-type')).toBe('text/html');
		expect(await res.text()).toBe('<html>Bad Gateway</html>');

		sb.fault({ provider: 'echo', status: 418, times: Infinity });
		res = await fetch(`${sb.baseUrl('echo')}/open`);
		expect(res.status).toBe(418);
		expect(await jsonOf(res)).toEqual({ message: "I'm a Teapot" });
		expect(sb.pendingFaults).toHaveLength(1);
		sb.clearFaults();
		expect((await fetch(`${sb.baseUrl('echo')}/open`)).status).toBe(200);

		expect(() => sb.fault({ provider: 'digishare' })).toThrow();
	});
});

describe('lifecycle', () => {
	it('starts on a fixed port when asked', async () => {
		const probe = await startFakeServer();
		const port = probe.port;
		await probe.close();
		const fixed = await startSandbox({ port });
		try {
			expect(fixed.port).toBe(port);
			const res = await fetch(`${fixed.baseUrl('digishare')}/user/profile`, { headers: auth });
			expect(res.status).toBe(200);
			// independent state per sandbox
			fixed.digishare.thirds.clear();
			expect(sb.digishare.thirds.size).toBe(37);
		} finally {
			await fixed.close();
		}
	});

	it('writes one log line per request when given a logger', async () => {
		const lines: string[] = [];
		const logged = await startSandbox({ logger: (l) => lines.push(l) });
		try {
			await fetch(`${logged.baseUrl('digishare')}/user/profile`);
			expect(lines).toEqual(['GET /digishare/v1/user/profile -> 401']);
		} finally {
			await logged.close();
		}
	});
});
