/**
 * The one fake-server core of the tests: `FakeServer` is a real http.Server on 127.0.0.1 that
 * does the transport for every fake — body parsing (JSON, urlencoded, multipart, gzip/deflate/br
 * request encodings), the request log (`RecordedRequest`), programmable faults, streaming and
 * handler crashes. `startFakeServer(handler)` answers every request with one function (a sink, a
 * stand-in API of a test); `Sandbox` routes to the provider modules (providers/*.ts): requests to
 * `/<mount><basePath>/...` go to that mount's route table, e.g. `/digishare/v1/messages`.
 *
 * Only type-level TypeScript is used (no enums/namespaces/parameter properties),
 * so the file can be compiled or type-stripped as-is for a standalone run script.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { copyHeaders, decodeContentEncoding, firstValue, parseBody, parseQuery } from './http-utils';
import { normalizePath, Router } from './router';
import type {
	Fault,
	FaultDefaults,
	FaultSpec,
	HandlerResult,
	MountDef,
	ProviderModule,
	RecordedRequest,
	RequestContext,
	RouteDef,
} from './types';
import { defaultProviders } from './providers';
import type { DigishareProvider } from './providers/digishare';
import type { OmnideskProvider } from './providers/omnidesk';
import type { LiveChatAIProvider } from './providers/livechatai';
import type { LivePersonProvider } from './providers/liveperson';
import type { OpenAIProvider } from './providers/openai';

export interface FakeServerOptions {
	/** bind address; default 127.0.0.1 */
	host?: string;
	/** called with one line per request, e.g. `(l) => console.log(l)` for a standalone run */
	logger?: (line: string) => void;
}

export interface SandboxOptions extends FakeServerOptions {
	/** TCP port; default 0 = random free port */
	port?: number;
	/** provider modules to mount; default `defaultProviders()` (all built-in providers) */
	providers?: ProviderModule[];
}

/** What answers `startFakeServer`'s requests: status defaults to 200, the body (without `raw`/`stream`) to `{}`. */
export type FakeHandler = (ctx: RequestContext) => Partial<HandlerResult> | void | Promise<Partial<HandlerResult> | void>;

/** Where a request goes: its name and path in the log, and what answers it. */
interface Target {
	provider: string;
	path: string;
	baseUrl: string;
	faultDefaults?(status: number, ctx: RequestContext): FaultDefaults | undefined;
	answer(ctx: RequestContext): HandlerResult | Promise<HandlerResult>;
}

interface MountEntry {
	module: ProviderModule;
	mount: MountDef;
	router: Router;
}

function statusText(status: number): string {
	return http.STATUS_CODES[status] ?? 'Error';
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
	if (pattern === undefined) return true;
	if (typeof pattern === 'string') return normalizePath(pattern) === path;
	pattern.lastIndex = 0;
	return pattern.test(path);
}

export class FakeServer {
	readonly server: http.Server;
	readonly host: string;
	/** every request received, in arrival order */
	readonly requests: RecordedRequest[] = [];

	private boundPort = 0;
	private faults: Fault[] = [];
	private faultSeq = 0;
	private requestSeq = 0;
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly logger?: (line: string) => void;
	private readonly handler?: FakeHandler;

	constructor(opts: FakeServerOptions = {}, handler?: FakeHandler) {
		this.host = opts.host ?? '127.0.0.1';
		this.logger = opts.logger;
		this.handler = handler;
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((err: unknown) => {
				// last-resort guard; handler errors are already turned into 500s in handle()
				if (!res.headersSent) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ message: `Fake server internal error: ${(err as Error).message}` }));
				}
			});
		});
	}

	/** @internal used by startFakeServer / startSandbox */
	listen(port: number): Promise<void> {
		return new Promise((resolve, reject) => {
			const onError = (err: Error): void => reject(err);
			this.server.once('error', onError);
			this.server.listen(port, this.host, () => {
				this.server.off('error', onError);
				this.boundPort = (this.server.address() as AddressInfo).port;
				resolve();
			});
		});
	}

	get port(): number {
		return this.boundPort;
	}

	/** http://127.0.0.1:PORT (no trailing slash) */
	get url(): string {
		return `http://${this.host}:${this.boundPort}`;
	}

	// ---------------------------------------------------------------- request log

	/** Logged requests of one mount ('' for a plain fake server), optionally filtered by method and path (exact string or RegExp). */
	requestsFor(provider: string, method?: string, path?: string | RegExp): RecordedRequest[] {
		return this.requests.filter(
			(r) =>
				r.provider === provider &&
				(method === undefined || r.method === method.toUpperCase()) &&
				pathMatches(path, r.path),
		);
	}

	/** Most recent logged request (of a mount, if given). */
	lastRequest(provider?: string): RecordedRequest | undefined {
		for (let i = this.requests.length - 1; i >= 0; i--) {
			if (provider === undefined || this.requests[i].provider === provider) return this.requests[i];
		}
		return undefined;
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	// ---------------------------------------------------------------- faults

	/**
	 * Queue a fault. Faults are checked in registration order before routing and auth;
	 * the first one with matches left is consumed. Returns the live fault object
	 * (`remaining`, `hits` can be asserted).
	 */
	fault(spec: FaultSpec): Fault {
		if (spec.status === undefined && !spec.drop && spec.delayMs === undefined) {
			throw new Error('fault needs a status, drop: true or delayMs');
		}
		const times = spec.times ?? 1;
		if (!(times > 0)) throw new Error('fault times must be > 0');
		const f: Fault = { ...spec, id: ++this.faultSeq, remaining: times, hits: 0 };
		this.faults.push(f);
		return f;
	}

	/** faults with matches left */
	get pendingFaults(): Fault[] {
		return this.faults.filter((f) => f.remaining > 0);
	}

	clearFaults(): void {
		this.faults = [];
	}

	// ---------------------------------------------------------------- lifecycle

	/** Clear the request log and faults. */
	reset(): void {
		this.clearRequests();
		this.clearFaults();
		this.requestSeq = 0;
	}

	close(): Promise<void> {
		this.timers.forEach((t) => clearTimeout(t));
		this.timers.clear();
		return new Promise((resolve, reject) => {
			this.server.close((err) => (err ? reject(err) : resolve()));
			this.server.closeAllConnections();
		});
	}

	// ---------------------------------------------------------------- routing (Sandbox overrides it)

	/** Where a request for `pathname` goes; a plain fake server answers everything with its handler. */
	protected target(pathname: string): Target {
		const handler = this.handler ?? (() => undefined);
		return {
			provider: '',
			path: normalizePath(pathname),
			baseUrl: this.url,
			answer: async (ctx) => {
				const reply = (await handler(ctx)) ?? {};
				const empty = reply.body === undefined && reply.raw === undefined && reply.stream === undefined;
				return { ...reply, status: reply.status ?? 200, ...(empty ? { body: {} } : {}) };
			},
		};
	}

	// ---------------------------------------------------------------- internals

	private delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.timers.delete(t);
				resolve();
			}, ms);
			this.timers.add(t);
		});
	}

	private readBody(req: http.IncomingMessage): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => resolve(Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}

	private takeFault(record: RecordedRequest): Fault | undefined {
		for (const f of this.faults) {
			if (f.remaining <= 0) continue;
			if (f.provider !== '*' && f.provider !== record.provider) continue;
			if (f.method !== undefined && f.method.toUpperCase() !== record.method) continue;
			if (!pathMatches(f.path, record.path)) continue;
			f.remaining--;
			f.hits++;
			return f;
		}
		return undefined;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const url = req.url ?? '/';
		const parsedUrl = new URL(url, 'http://sandbox.invalid');
		const target = this.target(parsedUrl.pathname);

		const record: RecordedRequest = {
			seq: ++this.requestSeq,
			provider: target.provider,
			method,
			path: target.path,
			url,
			query: parseQuery(parsedUrl.search),
			headers: copyHeaders(req.headers),
			rawBody: Buffer.alloc(0),
			body: undefined,
			bodyKind: 'none',
			receivedAt: new Date(),
			response: { status: 0, headers: {}, body: undefined },
			faulted: false,
			dropped: false,
		};
		this.requests.push(record);

		try {
			record.rawBody = await this.readBody(req);
		} catch {
			return; // client went away
		}
		let decoded = record.rawBody;
		try {
			decoded = decodeContentEncoding(record.rawBody, firstValue(req.headers['content-encoding']));
		} catch (err) {
			record.bodyError = `content-encoding: ${(err as Error).message}`;
		}
		const parsed = parseBody(decoded, firstValue(req.headers['content-type']));
		record.body = parsed.body;
		record.bodyKind = parsed.kind;
		if (parsed.error) record.bodyError = parsed.error;

		const ctx: RequestContext = {
			provider: record.provider,
			method,
			path: record.path,
			params: {},
			query: record.query,
			headers: record.headers,
			rawBody: record.rawBody,
			body: record.body,
			bodyKind: record.bodyKind,
			bodyError: record.bodyError,
			baseUrl: target.baseUrl,
			request: record,
			header: (name) => firstValue(record.headers[name.toLowerCase()]),
			queryValue: (name) => firstValue(record.query[name]),
		};

		// ---- faults (before routing and auth: they emulate the edge/gateway)
		const fault = this.takeFault(record);
		if (fault) {
			record.faulted = true;
			if (fault.delayMs !== undefined && fault.delayMs > 0) await this.delay(fault.delayMs);
			if (fault.drop) {
				record.dropped = true;
				this.log(record, 'DROPPED');
				req.socket.destroy();
				return;
			}
			if (fault.status !== undefined) {
				const defaults = target.faultDefaults?.(fault.status, ctx) ?? {};
				const result: HandlerResult = {
					status: fault.status,
					headers: { ...(defaults.headers ?? {}), ...(fault.headers ?? {}) },
				};
				const body = fault.body !== undefined ? fault.body : (defaults.body ?? { message: statusText(fault.status) });
				if (typeof body === 'string' || Buffer.isBuffer(body)) result.raw = body;
				else result.body = body;
				this.send(res, record, result);
				return;
			}
			// delay-only fault: fall through to normal handling
		}

		let result: HandlerResult;
		try {
			result = await target.answer(ctx);
		} catch (err) {
			// a crash in a fake's handler is a bug of the fake: make it loud but keep serving
			console.error(`[fake server] handler error on ${method} ${url}:`, err);
			result = { status: 500, body: { message: `Sandbox handler error: ${(err as Error).message}` } };
		}
		await this.send(res, record, result);
	}

	private send(res: http.ServerResponse, record: RecordedRequest, result: HandlerResult): void | Promise<void> {
		if (result.stream !== undefined && result.status !== 204 && result.status !== 304) {
			return this.sendStream(res, record, result, result.stream);
		}
		const headers: Record<string, string> = {};
		let payload: Buffer | undefined;
		let recordedBody: unknown;
		const noBody = result.status === 204 || result.status === 304;
		if (!noBody && result.raw !== undefined) {
			payload = Buffer.isBuffer(result.raw) ? result.raw : Buffer.from(result.raw, 'utf8');
			recordedBody = typeof result.raw === 'string' ? result.raw : Buffer.from(result.raw);
			headers['content-type'] = 'text/plain; charset=utf-8';
		} else if (!noBody && result.body !== undefined) {
			const json = JSON.stringify(result.body);
			payload = Buffer.from(json, 'utf8');
			recordedBody = JSON.parse(json);
			headers['content-type'] = 'application/json';
		}
		for (const key of Object.keys(result.headers ?? {})) {
			headers[key.toLowerCase()] = String((result.headers as Record<string, string>)[key]);
		}
		headers['content-length'] = String(payload ? payload.length : 0);
		record.response = { status: result.status, headers: { ...headers }, body: recordedBody };
		this.log(record, String(result.status));
		if (res.destroyed) return;
		res.writeHead(result.status, headers);
		res.end(payload);
	}

	/** chunked response: one HTTP chunk per item of `stream` (stops when the client goes away) */
	private async sendStream(
		res: http.ServerResponse,
		record: RecordedRequest,
		result: HandlerResult,
		stream: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
	): Promise<void> {
		const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
		for (const key of Object.keys(result.headers ?? {})) {
			headers[key.toLowerCase()] = String((result.headers as Record<string, string>)[key]);
		}
		delete headers['content-length'];
		headers['transfer-encoding'] = 'chunked';
		const parts: Buffer[] = [];
		record.response = { status: result.status, headers: { ...headers }, body: '' };
		this.log(record, `${result.status} (stream)`);
		if (res.destroyed) return;
		res.writeHead(result.status, headers);
		try {
			for await (const item of stream) {
				if (res.destroyed) return;
				const buf = Buffer.isBuffer(item) ? item : Buffer.from(item, 'utf8');
				if (buf.length === 0) continue; // an empty chunk would end the chunked body
				parts.push(buf);
				record.response.body = Buffer.concat(parts).toString('utf8');
				res.write(buf);
			}
		} catch (err) {
			// headers are out: all we can do is cut the stream (the client sees an aborted body)
			console.error(`[sandbox] stream error on ${record.method} ${record.url}:`, err);
			res.destroy();
			return;
		}
		if (!res.destroyed) res.end();
	}

	private log(record: RecordedRequest, outcome: string): void {
		if (this.logger) this.logger(`${record.method} ${record.url} -> ${outcome}`);
	}
}

/** The provider sandbox: a FakeServer routing `/<mount><basePath>/...` to the provider modules. */
export class Sandbox extends FakeServer {
	private readonly modules = new Map<string, ProviderModule>();
	private readonly mountsByName = new Map<string, MountEntry>();

	constructor(opts: SandboxOptions = {}) {
		super(opts);
		for (const module of opts.providers ?? defaultProviders()) {
			if (this.modules.has(module.name)) throw new Error(`duplicate provider module '${module.name}'`);
			this.modules.set(module.name, module);
			for (const mount of module.mounts) {
				if (this.mountsByName.has(mount.name)) throw new Error(`duplicate mount '${mount.name}'`);
				if (!/^[a-z0-9][a-z0-9-]*$/.test(mount.name)) throw new Error(`invalid mount name '${mount.name}'`);
				this.mountsByName.set(mount.name, { module, mount, router: new Router(mount.routes) });
			}
		}
	}

	/** Base URL of a mount, e.g. baseUrl('digishare') → http://127.0.0.1:PORT/digishare/v1 */
	baseUrl(mountName: string): string {
		const entry = this.mountsByName.get(mountName);
		if (!entry) throw new Error(`unknown sandbox mount '${mountName}' (known: ${this.mountNames().join(', ')})`);
		return `${this.url}/${entry.mount.name}${entry.mount.basePath}`;
	}

	mountNames(): string[] {
		return Array.from(this.mountsByName.keys());
	}

	/** A provider module by name (its state and helpers). */
	provider<T extends ProviderModule = ProviderModule>(name: string): T {
		const module = this.modules.get(name);
		if (!module) throw new Error(`provider module '${name}' is not mounted`);
		return module as T;
	}

	/** Digishare state and helpers (thirds, messages, conversations, expireOAuthTokens(), …). */
	get digishare(): DigishareProvider {
		return this.provider<DigishareProvider>('digishare');
	}

	/** Omnidesk state and helpers (sessions, tickets, agentReply(), pushToChatServer(), …). */
	get omnidesk(): OmnideskProvider {
		return this.provider<OmnideskProvider>('omnidesk');
	}

	/** LiveChatAI state and helpers (conversations, contacts, dataSources, streamFormat, addMessage(), …). */
	get livechatai(): LiveChatAIProvider {
		return this.provider<LiveChatAIProvider>('livechatai');
	}

	/**
	 * LivePerson Connector API state and helpers (Domain API, sentinel, idp, messaging, swift;
	 * conversations, tokens, counters, expireAppJwts(), agentMessage(), closeConversation(), …).
	 */
	get liveperson(): LivePersonProvider {
		return this.provider<LivePersonProvider>('liveperson');
	}

	/** OpenAI-compatible chat model (script(), requests, defaultTurn, models, streamChunkDelayMs, …). */
	get openai(): OpenAIProvider {
		return this.provider<OpenAIProvider>('openai');
	}

	/** Clear the request log and faults and restore every provider's seed state. */
	reset(): void {
		super.reset();
		this.modules.forEach((m) => m.reset());
	}

	protected target(pathname: string): Target {
		const segs = pathname.split('/');
		const entry = this.mountsByName.get(segs[1] ?? '');
		if (!entry) {
			const message = `No sandbox provider is mounted at '/${segs[1] ?? ''}'. Known mounts: ${this.mountNames().join(', ')}`;
			return { provider: '', path: normalizePath(pathname), baseUrl: this.url, answer: () => ({ status: 404, body: { message } }) };
		}
		const { module, mount, router } = entry;
		const rest = '/' + segs.slice(2).join('/');
		const underBase = mount.basePath === '' || rest === mount.basePath || rest.startsWith(mount.basePath + '/');
		const path = normalizePath(underBase ? rest.slice(mount.basePath.length) : rest);
		return {
			provider: mount.name,
			path,
			baseUrl: `${this.url}/${mount.name}${mount.basePath}`,
			faultDefaults: (status, ctx) => module.faultDefaults?.(status, ctx),
			answer: async (ctx) => {
				const notFound = (): HandlerResult =>
					module.notFound?.(ctx) ?? { status: 404, body: { message: `Route ${ctx.method} ${pathname} not found.` } };
				if (!underBase) return notFound();
				const match = router.match(ctx.method, path);
				if (match.kind === 'not-found') return notFound();
				if (match.kind === 'method-not-allowed') {
					const result = module.methodNotAllowed?.(ctx, match.allowed) ?? {
						status: 405,
						body: { message: `The ${ctx.method} method is not supported for this route.` },
					};
					result.headers = { allow: match.allowed.join(', '), ...(result.headers ?? {}) };
					return result;
				}
				ctx.params = match.params;
				const route: RouteDef = match.route;
				return (route.public ? undefined : module.authenticate?.(ctx, route)) ?? route.handler(ctx);
			},
		};
	}
}

/** Start a fake server on 127.0.0.1 (random port) answering every request with `handler` (default 200 `{}`). */
export async function startFakeServer(handler?: FakeHandler, opts: FakeServerOptions & { port?: number } = {}): Promise<FakeServer> {
	const server = new FakeServer(opts, handler);
	await server.listen(opts.port ?? 0);
	return server;
}

/** Start a sandbox on 127.0.0.1 (random port unless `opts.port`). */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new Sandbox(opts);
	await sandbox.listen(opts.port ?? 0);
	return sandbox;
}
