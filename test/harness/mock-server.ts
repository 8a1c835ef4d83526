/**
 * A tiny real HTTP server on 127.0.0.1 (ephemeral port) standing in for a provider API, so
 * nodes' requests really go over the loopback network (no HTTP mocking).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** path + query, as received */
	url: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	rawBody: Buffer;
	/** rawBody as text */
	text: string;
	/** rawBody parsed as JSON when it is JSON, else undefined */
	json?: any;
}

export interface MockReply {
	status?: number;
	headers?: Record<string, string | string[]>;
	/** object → JSON (content-type application/json unless given); string/Buffer → as is */
	body?: unknown;
}

export type MockHandler = (
	req: RecordedRequest,
	res: ServerResponse,
) => MockReply | undefined | void | Promise<MockReply | undefined | void>;

export interface MockServer {
	/** e.g. http://127.0.0.1:43123 (no trailing slash) */
	url: string;
	port: number;
	/** every request received, oldest first */
	requests: RecordedRequest[];
	/** replace the handler */
	setHandler(handler: MockHandler): void;
	close(): Promise<void>;
}

/**
 * Starts a server that records each request and answers with what `handler` returns
 * (default 200 `{}`); a handler may also write to `res` itself. A handler that throws answers
 * 500 with the error message.
 *
 * @example
 * const api = await startMockServer((req) =>
 *   req.path === '/v1/token' ? { body: { token: 'abc' } } : { status: 404, body: { error: 'nope' } });
 * afterAll(() => api.close());
 */
export async function startMockServer(handler: MockHandler = () => ({})): Promise<MockServer> {
	let current = handler;
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void (async () => {
				const rawBody = Buffer.concat(chunks);
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const text = rawBody.toString('utf8');
				let json: unknown;
				try {
					json = text.length ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				const recorded: RecordedRequest = {
					method: req.method ?? 'GET',
					url: req.url ?? '/',
					path: url.pathname,
					query: Object.fromEntries(url.searchParams.entries()),
					headers: req.headers,
					rawBody,
					text,
					json,
				};
				requests.push(recorded);
				try {
					const reply = await current(recorded, res);
					if (res.headersSent || res.writableEnded) return;
					const { status = 200, headers = {}, body = {} } = reply ?? {};
					let payload: string | Buffer;
					const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
					if (Buffer.isBuffer(body) || typeof body === 'string') {
						payload = body;
					} else {
						payload = JSON.stringify(body);
						if (!hasType) headers['content-type'] = 'application/json';
					}
					res.writeHead(status, headers).end(payload);
				} catch (e) {
					if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
					res.end(`mock server handler error: ${(e as Error).message}`);
				}
			})();
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		setHandler: (h) => {
			current = h;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
