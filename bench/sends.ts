/**
 * Pieces 1 and 2 of `npm run bench`: sequential sends in n8n's engine (test/harness, n8n-core's
 * WorkflowExecute over loopback against test/sandbox), our node vs n8n's own HTTP Request node
 * (n8n-nodes-base, typeVersion 4.2) making the same call; then batching; then a per-item
 * breakdown (timers around the execute-context calls + a CPU profile by package).
 * Run by bench/run.js (needs bench/lib/register.js and BENCH_N8N_MODULES).
 */
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_API_KEY,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_USER_IDS,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	OMNIDESK_API_KEY,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	engine,
	startSandbox,
	type AnyNodeType,
	type RecordedRequest,
	type Sandbox,
} from '../test/sandbox';
import { DigishareApi } from '../credentials/DigishareApi.credentials';
import { LiveChatAiApi } from '../credentials/LiveChatAiApi.credentials';
import { LivePersonApi } from '../credentials/LivePersonApi.credentials';
import { OmnideskApi } from '../credentials/OmnideskApi.credentials';
import { Digishare } from '../nodes/Digishare/Digishare.node';
import { LiveChatAi } from '../nodes/LiveChatAi/LiveChatAi.node';
import { LivePerson } from '../nodes/LivePerson/LivePerson.node';
import { Omnidesk } from '../nodes/Omnidesk/Omnidesk.node';
import { retryPolicy } from '../nodes/shared/transport';
import { httpRequestParameters } from './lib/http-request';
import { emit, log, median, nowMs } from './lib/stats';

const { CredentialsStore, START_NODE_TYPE, runWorkflow } = engine();
type CredentialsStore = InstanceType<typeof CredentialsStore>;

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { HttpHeaderAuth } = require('n8n-nodes-base/dist/credentials/HttpHeaderAuth.credentials');

const ITEMS = Number(process.env.BENCH_ITEMS || 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const BATCH_ITEMS = 200;
const BATCH_DELAY_MS = 20;
const HTTP_TYPE = 'n8n-nodes-base.httpRequest';
const HTTP_VERSION = 4.2;

interface Case {
	name: string;
	mount: string;
	sendPath: string | RegExp;
	type: string;
	nodeType: AnyNodeType;
	credentialTypes: unknown[];
	credentials: Record<string, Record<string, IDataObject>>;
	parameters: IDataObject;
	store: CredentialsStore;
	staticData: IDataObject;
	/** Auth header that goes into the HTTP Request node's Header Auth credential. */
	authHeader: string;
}

function cases(sandbox: Sandbox): Case[] {
	const chatServer = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';
	return [
		{
			name: 'Digishare Message → Send (text)',
			mount: 'digishare',
			sendPath: '/messages',
			type: 'n8n-nodes-livechat-bridge.digishare',
			nodeType: new Digishare(),
			credentialTypes: [new DigishareApi()],
			credentials: { digishareApi: { c1: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') } } },
			parameters: { resource: 'message', operation: 'send', conversationId: DIGISHARE_CONVERSATION_IDS.active, messageType: 'text', text: 'Hello! How can I help you?' },
			store: new CredentialsStore(),
			staticData: {},
			authHeader: 'authorization',
		},
		{
			name: 'Omnidesk Chat → Send Customer Message',
			mount: 'omnidesk',
			sendPath: '/api/v2/chat/notifyUserNewChatMessage',
			type: 'n8n-nodes-livechat-bridge.omnidesk',
			nodeType: new Omnidesk(),
			credentialTypes: [new OmnideskApi()],
			credentials: {
				omnideskApi: {
					c1: {
						baseUrl: sandbox.baseUrl('omnidesk'),
						apiKey: OMNIDESK_API_KEY,
						chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
						chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
						chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
					},
				},
			},
			parameters: { resource: 'chat', operation: 'sendMessage', chatSessionId: 'sess-1001', message: 'I want to talk to a human', chatServer },
			store: new CredentialsStore(),
			staticData: {},
			authHeader: 'apikey',
		},
		{
			name: 'LiveChatAI Conversation → Reply',
			mount: 'livechatai',
			sendPath: `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}/reply`,
			type: 'n8n-nodes-livechat-bridge.liveChatAi',
			nodeType: new LiveChatAi(),
			credentialTypes: [new LiveChatAiApi()],
			credentials: { liveChatAiApi: { c1: { apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') } } },
			parameters: {
				resource: 'conversation',
				operation: 'reply',
				conversationId: LIVECHATAI_CONVERSATION_IDS.main,
				message: 'Hi, Sam from support here',
				userId: LIVECHATAI_USER_IDS.agent,
				messageType: 'TEXT',
			},
			store: new CredentialsStore(),
			staticData: {},
			authHeader: 'authorization',
		},
		{
			name: 'LivePerson Message → Send Text',
			mount: 'liveperson-msg',
			sendPath: /\/conversation\/send$/,
			type: 'n8n-nodes-livechat-bridge.livePerson',
			nodeType: new LivePerson(),
			credentialTypes: [new LivePersonApi()],
			credentials: {
				livePersonApi: {
					c1: {
						accountId: LIVEPERSON_ACCOUNT_ID,
						authMode: 'app',
						clientId: LIVEPERSON_CLIENT_ID,
						clientSecret: LIVEPERSON_CLIENT_SECRET,
						domainApiUrl: sandbox.baseUrl('liveperson'),
					},
				},
			},
			parameters: { resource: 'message', operation: 'sendText', consumerId: 'bench:consumer-1', text: 'Hi, I need a human' },
			store: new CredentialsStore(),
			staticData: {},
			authHeader: 'authorization',
		},
	];
}

function items(n: number): INodeExecutionData[] {
	return Array.from({ length: n }, (_, i) => ({ json: { i } }));
}

async function runOurs(c: Case, n: number, extra: IDataObject = {}) {
	const result = await runWorkflow({
		nodeTypes: { [c.type]: c.nodeType },
		credentialTypes: c.credentialTypes as never,
		credentials: c.credentials as never,
		credentialsStore: c.store,
		staticData: c.staticData,
		mode: 'trigger',
		nodes: [{ type: START_NODE_TYPE }, { name: 'Ours', type: c.type, parameters: { ...c.parameters, ...extra } as never }],
		triggerItems: items(n),
	});
	if (result.error) throw new Error(`${c.name}: ${result.error.message}`);
	const out = result.output('Ours');
	if (out.length !== n) throw new Error(`${c.name}: ${out.length} items out of ${n}`);
	return result;
}

/** HTTP Request (4.2) parameters reproducing one recorded request of our node, and its Header Auth credential. */
function httpRequestFor(sandbox: Sandbox, c: Case, request: RecordedRequest) {
	const parameters = httpRequestParameters(sandbox.url, request, c.authHeader) as IDataObject;
	const auth = String(request.headers[c.authHeader]);
	return { parameters, credential: { name: request.headers[c.authHeader] === undefined ? 'x' : c.authHeader, value: auth } };
}

const httpNodeType = new HttpRequest();
async function runHttp(spec: ReturnType<typeof httpRequestFor>, n: number, options: IDataObject = {}) {
	const result = await runWorkflow({
		nodeTypes: { [HTTP_TYPE]: httpNodeType },
		credentialTypes: [new HttpHeaderAuth()],
		credentials: { httpHeaderAuth: { h1: spec.credential } } as never,
		mode: 'trigger',
		nodes: [
			{ type: START_NODE_TYPE },
			{ name: 'HTTP Request', type: HTTP_TYPE, typeVersion: HTTP_VERSION, credentials: { httpHeaderAuth: { id: 'h1', name: 'Header Auth' } }, parameters: { ...spec.parameters, options } as never },
		],
		triggerItems: items(n),
	});
	if (result.error) throw new Error(`HTTP Request: ${result.error.message}`);
	const out = result.output('HTTP Request');
	if (out.length !== n) throw new Error(`HTTP Request: ${out.length} items out of ${n}`);
	return result;
}

function sendsOf(sandbox: Sandbox, c: Case): RecordedRequest[] {
	return sandbox.requestsFor(c.mount, 'POST', c.sendPath);
}

/** A, B, A, B… `rounds` times after one warm-up pair; returns every round's ms/item. */
async function interleaved(rounds: number, n: number, a: () => Promise<unknown>, b: () => Promise<unknown>, between: () => void) {
	const times = { a: [] as number[], b: [] as number[] };
	for (let round = -1; round < rounds; round++) {
		for (const [key, fn] of [['a', a], ['b', b]] as const) {
			between();
			if (global.gc) global.gc();
			const started = nowMs();
			await fn();
			const ms = (nowMs() - started) / n;
			if (round >= 0) times[key].push(ms);
		}
	}
	return times;
}

// ---------- per-item breakdown ----------
interface Timer { count: number; ms: number }
const timers: Record<string, Timer> = {};
let timing = false;
function time<T>(name: string, fn: () => T): T {
	if (!timing) return fn();
	const t = (timers[name] ??= { count: 0, ms: 0 });
	const started = nowMs();
	const value = fn();
	if (value && typeof (value as { then?: unknown }).then === 'function') {
		return (value as unknown as Promise<unknown>).finally(() => {
			t.count++;
			t.ms += nowMs() - started;
		}) as T;
	}
	t.count++;
	t.ms += nowMs() - started;
	return value;
}

/** Wraps n8n-core's execute-context methods and request helpers with timers (assignment-defined fields). */
function instrumentExecuteContext() {
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const core = require('n8n-core');
	const ExecuteContext = core.ExecuteContext;
	const base = Object.getPrototypeOf(ExecuteContext.prototype); // BaseExecuteContext
	const root = Object.getPrototypeOf(base); // NodeExecutionContext
	const getParameter = root._getNodeParameter;
	root._getNodeParameter = function (this: unknown, ...args: unknown[]) {
		return time('getNodeParameter', () => getParameter.apply(this, args));
	};
	const getCredentials = base.getCredentials;
	base.getCredentials = function (this: unknown, ...args: unknown[]) {
		return time('getCredentials', () => getCredentials.apply(this, args));
	};
	const wrapped = new WeakMap<object, IDataObject>();
	Object.defineProperty(ExecuteContext.prototype, 'helpers', {
		configurable: true,
		get(this: object) {
			return wrapped.get(this);
		},
		set(this: object, helpers: Record<string, unknown>) {
			const copy: IDataObject = {};
			for (const [name, fn] of Object.entries(helpers)) {
				copy[name] =
					typeof fn === 'function' && /request|http/i.test(name)
						? function (this: unknown, ...args: unknown[]) {
								return time(`helpers.${name}`, () => (fn as (...a: unknown[]) => unknown).apply(this, args));
							}
						: (fn as never);
			}
			wrapped.set(this, copy);
		},
	});
}

async function profileCategories(run: () => Promise<unknown>, n: number) {
	const session = new inspector.Session();
	session.connect();
	const post = (method: string, params?: object) =>
		new Promise<any>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 100 });
	await post('Profiler.start');
	const started = nowMs();
	await run();
	const wall = nowMs() - started;
	const { profile } = await post('Profiler.stop');
	session.disconnect();
	const repo = path.resolve(__dirname, '..');
	const byId = new Map<number, any>(profile.nodes.map((node: any) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const urlOf = (node: any): string => node.callFrame.url || '';
	const selfCategory = (node: any) => {
		const url = urlOf(node);
		const fn: string = node.callFrame.functionName;
		if (!url) return fn === '(idle)' ? 'idle' : fn === '(program)' ? '(program)' : fn === '(garbage collector)' ? 'GC' : `V8 ${fn || '(anonymous)'}`;
		if (url.startsWith('node:')) return 'Node.js core (http, net, streams)';
		if (url.includes(`${repo}/nodes/`)) return 'our node code (nodes/)';
		if (url.includes(`${repo}/credentials/`)) return 'our credential code';
		if (url.includes(`${repo}/test/harness/`)) return 'harness (test/harness)';
		if (url.includes(`${repo}/bench/`)) return 'bench';
		const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
		if (match) return match[match.length - 1].replace('node_modules/', '');
		return 'other';
	};
	/** Inclusive owner of a sample: the sandbox (fake API, same process) if any frame is in test/sandbox. */
	const owner = (id: number) => {
		let nodeOnStack = false;
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const url = urlOf(byId.get(cur));
			if (url.includes(`${repo}/test/sandbox/`)) return 'sandbox';
			if (url.includes(`${repo}/nodes/`) || url.includes('/n8n-nodes-base/')) nodeOnStack = true;
		}
		return nodeOnStack ? 'node' : 'engine';
	};
	const self: Record<string, number> = {};
	const inclusive: Record<string, number> = { sandbox: 0, node: 0, engine: 0 };
	const deltas: number[] = profile.timeDeltas;
	let total = 0;
	const callers: Record<string, number> = {};
	profile.samples.forEach((id: number, index: number) => {
		const us = deltas[index] ?? 0;
		total += us;
		const who = owner(id);
		inclusive[who] += us;
		if (who === 'sandbox') return;
		const key = selfCategory(byId.get(id));
		self[key] = (self[key] ?? 0) + us;
		if (key === 'luxon' || key === 'n8n-workflow') {
			// who asked n8n-workflow (expressions, data proxy) for this work: first frame outside it
			for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
				const frame = byId.get(cur);
				const url = urlOf(frame);
				if (!url || url.includes('/luxon/') || url.includes('/n8n-workflow/')) continue;
				const where = `${frame.callFrame.functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(`file://${repo}/`, '')}:${frame.callFrame.lineNumber + 1}`;
				callers[where] = (callers[where] ?? 0) + us;
				break;
			}
		}
	});
	// the sampled span runs longer than the wall clock measured around run(); report sampled time scaled to wall
	const scale = (wall * 1000) / (total || 1);
	const perItem = (us: number) => (us * scale) / n;
	const rows = Object.entries(self)
		.map(([name, us]) => ({ name, usPerItem: perItem(us) }))
		.sort((a, b) => b.usPerItem - a.usPerItem)
		.slice(0, 12);
	return {
		wallUsPerItem: (wall * 1000) / n,
		sampledUsPerItem: perItem(total),
		sandboxUsPerItem: perItem(inclusive.sandbox),
		insideNodeUsPerItem: perItem(inclusive.node),
		engineAndIdleUsPerItem: perItem(inclusive.engine),
		rows,
		n8nWorkflowCallers: Object.entries(callers)
			.map(([name, us]) => ({ name, usPerItem: perItem(us) }))
			.sort((a, b) => b.usPerItem - a.usPerItem)
			.slice(0, 6),
	};
}

async function main() {
	retryPolicy.backoffMs = [0, 0, 0];
	const sandbox = await startSandbox();
	const result: IDataObject = { items: ITEMS, rounds: ROUNDS };
	try {
		// ---------- 1. sequential sends ----------
		const sends: IDataObject[] = [];
		const specs = new Map<string, ReturnType<typeof httpRequestFor>>();
		for (const c of cases(sandbox)) {
			sandbox.clearRequests();
			await runOurs(c, 2); // warm-up; LivePerson: tokens + conversation remembered from here on
			const recorded = sendsOf(sandbox, c);
			const sample = recorded[recorded.length - 1];
			if (!sample) throw new Error(`${c.name}: no send request recorded`);
			const spec = httpRequestFor(sandbox, c, sample);
			specs.set(c.name, spec);
			sandbox.clearRequests();
			await runHttp(spec, 2);
			const httpSample = sendsOf(sandbox, c).pop()!;
			if (httpSample.response.status >= 300) throw new Error(`${c.name}: HTTP Request replay answered ${httpSample.response.status} ${JSON.stringify(httpSample.response.body)}`);
			let requestsPerRun = { ours: 0, http: 0 };
			const times = await interleaved(
				ROUNDS,
				ITEMS,
				async () => {
					sandbox.clearRequests();
					await runOurs(c, ITEMS);
					requestsPerRun.ours = sandbox.requests.length;
				},
				async () => {
					sandbox.clearRequests();
					await runHttp(spec, ITEMS);
					requestsPerRun.http = sandbox.requests.length;
				},
				() => undefined,
			);
			const ours = median(times.a);
			const http = median(times.b);
			log(`${c.name}: ours ${ours.toFixed(3)} ms/item, HTTP Request ${http.toFixed(3)} ms/item (requests per run ${requestsPerRun.ours}/${requestsPerRun.http})`);
			sends.push({ name: c.name, oursMsPerItem: ours, httpMsPerItem: http, ratio: ours / http, oursRounds: times.a, httpRounds: times.b, requestsPerRun });
		}
		result.sends = sends;

		// ---------- 2. batching ----------
		const digishare = cases(sandbox)[0];
		const hasBatching = (new Digishare().description.properties ?? []).some((p) => p.name === 'batching');
		const spec = specs.get(digishare.name)!;
		sandbox.clearFaults();
		const delay = () => {
			sandbox.clearFaults();
			sandbox.clearRequests();
			sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', delayMs: BATCH_DELAY_MS, times: Infinity });
		};
		const run = async (fn: () => Promise<unknown>) => {
			delay();
			const started = nowMs();
			await fn();
			return (nowMs() - started) / BATCH_ITEMS;
		};
		const batchRounds = Math.max(3, Math.min(ROUNDS, 5));
		const rows: Record<string, number[]> = { sequential: [], batched: [], httpDefault: [], httpBatched: [] };
		for (let round = 0; round < batchRounds; round++) {
			rows.sequential.push(await run(() => runOurs(digishare, BATCH_ITEMS)));
			if (hasBatching) rows.batched.push(await run(() => runOurs(digishare, BATCH_ITEMS, { batching: { batchSize: 10, batchInterval: 0 } })));
			rows.httpDefault.push(await run(() => runHttp(spec, BATCH_ITEMS)));
			rows.httpBatched.push(await run(() => runHttp(spec, BATCH_ITEMS, { batching: { batch: { batchSize: 10, batchInterval: 0 } } })));
		}
		sandbox.clearFaults();
		result.batching = {
			items: BATCH_ITEMS,
			delayMs: BATCH_DELAY_MS,
			hasBatching,
			sequentialMsPerItem: median(rows.sequential),
			batchedMsPerItem: hasBatching ? median(rows.batched) : null,
			httpDefaultMsPerItem: median(rows.httpDefault),
			httpBatchedMsPerItem: median(rows.httpBatched),
		};
		log(`batching: ${JSON.stringify(result.batching)}`);

		// ---------- breakdown: timers and CPU profile, Digishare vs HTTP Request ----------
		instrumentExecuteContext();
		const breakdown: IDataObject = {};
		for (const c of cases(sandbox)) {
			const s = specs.get(c.name)!;
			const one: IDataObject = {};
			for (const [label, fn] of [
				['ours', () => runOurs(c, ITEMS)],
				['http', () => runHttp(s, ITEMS)],
			] as const) {
				for (const key of Object.keys(timers)) delete timers[key];
				sandbox.clearRequests();
				timing = true;
				const started = nowMs();
				await fn();
				const wall = nowMs() - started;
				timing = false;
				const perItem: IDataObject = { wallUs: (wall * 1000) / ITEMS };
				for (const [name, t] of Object.entries(timers)) perItem[name] = { callsPerItem: t.count / ITEMS, us: (t.ms * 1000) / ITEMS };
				one[label] = perItem;
			}
			breakdown[c.name] = one;
		}
		const d = cases(sandbox)[0];
		const ds = specs.get(d.name)!;
		breakdown.profileDigishare = await profileCategories(() => runOurs(d, ITEMS), ITEMS);
		breakdown.profileHttpRequest = await profileCategories(() => runHttp(ds, ITEMS), ITEMS);
		result.breakdown = breakdown;
	} finally {
		await sandbox.close();
	}
	emit(result);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
