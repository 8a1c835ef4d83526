/**
 * Piece 4 of `npm run bench`: a real n8n (the cached install, started as test/e2e does) with this
 * package installed as a community package. Webhook acknowledgement latency and sustainable rate of
 * (a) Digishare Trigger → Digishare reply and (b) n8n's Webhook → HTTP Request doing the same reply,
 * against test/sandbox on loopback.
 *
 * Fairness: before every step the bench waits until n8n has finished every execution of the
 * previous one (all replies at the fake API and no execution `running` in n8n's executions API),
 * then lets n8n idle BENCH_IDLE_SECONDS; the workflow that goes first alternates from rate to rate;
 * a workflow that failed a rate is not driven at higher rates (its backlog would only slow the
 * other one). A step passes when ack p99 ≤ 1 s, no request failed and the API got one reply per
 * request; the sustainable rate is the highest rate passed with every lower rate passed too.
 *
 * The setup is exported for ad-hoc investigations (profiles, workflow variants).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT, startSandbox } from '../test/sandbox';
import { emit, log, median, nowMs, p99 } from './lib/stats';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const run = require('../scripts/lib/n8n-run');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureN8n } = require('../scripts/lib/n8n-install');

const RATES = (process.env.BENCH_RATES || '5,8,10,12,15,20').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS || 8);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS || 3);
const DRAIN_TIMEOUT_SECONDS = Number(process.env.BENCH_DRAIN_TIMEOUT_SECONDS || 60);
const P99_LIMIT_MS = 1000;
export const TRIGGER_WEBHOOK_ID = '7d0c2f4e-8b1a-4c3d-9e5f-6a7b8c9d0e11';
export const REPLY_TEXT = 'Thanks for your message, an agent will get back to you shortly.';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StepResult {
	rate: number;
	sent: number;
	errors: number;
	p50Ms: number;
	p99Ms: number;
	ackPerSecond: number;
}

/** Sends `rate × seconds` POSTs at a fixed schedule (open loop) and measures each acknowledgement. */
export async function step(url: string, rate: number, seconds: number, body: (i: number) => string, headers: Record<string, string> = {}): Promise<StepResult> {
	const total = Math.round(rate * seconds);
	const latencies: number[] = [];
	let errors = 0;
	const started = nowMs();
	const pending: Promise<void>[] = [];
	for (let i = 0; i < total; i++) {
		const due = started + (i * 1000) / rate;
		const wait = due - nowMs();
		if (wait > 0) await sleep(wait);
		pending.push(
			(async () => {
				const t0 = nowMs();
				try {
					const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body(i), signal: AbortSignal.timeout(10000) });
					await response.arrayBuffer();
					if (response.status !== 200) errors++;
				} catch {
					errors++;
				}
				latencies.push(nowMs() - t0);
			})(),
		);
	}
	await Promise.all(pending);
	const elapsed = (nowMs() - started) / 1000;
	return { rate, sent: total, errors, p50Ms: median(latencies), p99Ms: p99(latencies), ackPerSecond: (total - errors) / elapsed };
}

/** CPU time (user + system) a process used so far, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
	} catch {
		return NaN;
	}
}

/**
 * The two workflows the rate runs compare: (a) Digishare Trigger → Digishare reply and (b) n8n's
 * Webhook → HTTP Request making the same reply (Header Auth credential).
 */
export function benchWorkflows(digishareUrl: string, credentials: Record<string, { id: string; name: string }>) {
	const ours = {
		name: 'bench: Digishare Trigger → Digishare',
		nodes: [
			{ id: 'a1', name: 'Digishare Trigger', type: 'n8n-nodes-livechat-bridge.digishareTrigger', typeVersion: 1.1, position: [0, 0], webhookId: TRIGGER_WEBHOOK_ID, parameters: { events: ['live_chat.new_message'], authentication: 'none' } },
			{
				id: 'a2', name: 'Reply', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [260, 0],
				parameters: { resource: 'message', operation: 'send', conversationId: '={{ $json.conversationId }}', messageType: 'text', text: REPLY_TEXT },
				credentials: { digishareApi: credentials.digishareApi },
			},
		],
		connections: { 'Digishare Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const theirs = {
		name: 'bench: Webhook → HTTP Request',
		nodes: [
			{ id: 'b1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'b1b1b1b1-0000-4000-8000-000000000001', parameters: { httpMethod: 'POST', path: 'bench-http', responseMode: 'onReceived', options: {} } },
			{
				id: 'b2', name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [260, 0],
				parameters: {
					method: 'POST', url: `${digishareUrl}/messages`, authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth',
					sendBody: true, contentType: 'json', specifyBody: 'json',
					jsonBody: `={{ JSON.stringify({ conversation_id: $json.body.data.data.conversation_id, type: 'text', body: ${JSON.stringify(REPLY_TEXT)}, send_to_third: true }) }}`,
					options: {},
				},
				credentials: { httpHeaderAuth: credentials.httpHeaderAuth },
			},
		],
		connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return { ours, theirs };
}

/** Digishare `live_chat.new_message` bodies, each with its own message ID (`<prefix><n>`). */
export function customerMessages(prefix: string): () => string {
	let seq = 0;
	return () =>
		JSON.stringify({
			event: 'live_chat.new_message',
			data: { id: `${prefix}${(seq++).toString().padStart(14, '0')}`, data: { conversation_id: DIGISHARE_CONVERSATION_IDS.active, body: 'hello', sender: { model_type: 'third', name: 'Bench' } } },
		});
}

export interface BenchSetup {
	n8n: any;
	instance: any;
	api: any;
	sandbox: Awaited<ReturnType<typeof startSandbox>>;
	urls: Record<string, string>;
	workflowIds: Record<string, string>;
	credentials: Record<string, { id: string; name: string }>;
	body: (i?: number) => string;
	replies: () => number;
	/** Waits until `expectedReplies` replies reached the API and n8n runs no execution, then idles. */
	drain: (expectedReplies: number, idleSeconds?: number) => Promise<{ drained: boolean; drainMs: number }>;
	logFile: string;
	close: () => Promise<void>;
}

export interface SetupOptions {
	/** NODE_OPTIONS for the n8n process (e.g. `--cpu-prof`, `--inspect=127.0.0.1:0`). */
	nodeOptions?: string;
	/** Extra environment for n8n. */
	env?: Record<string, string>;
	/** Called with the installed package's folder before n8n starts (patched copies). */
	patchInstalled?: (dir: string) => void;
	/** Extra workflows: key → (context) → workflow; its webhook URL is `urls[key]` when `path` is given. */
	extraWorkflows?: Record<string, (ctx: { sandboxUrl: string; credentials: Record<string, { id: string; name: string }> }) => { workflow: any; url: (base: string) => string }>;
	/** Which of the built-in workflows to create (default both). */
	builtIn?: Array<'ours' | 'http'>;
	/** More credentials to create: key → type and data (given the sandbox). */
	extraCredentials?: Record<string, { type: string; data: (sandbox: BenchSetup['sandbox']) => Record<string, unknown> }>;
}

export async function setup(options: SetupOptions = {}): Promise<BenchSetup> {
	const n8n = ensureN8n(process.env.N8N_VERSION || undefined);
	run.assertBuilt();
	const sandbox = await startSandbox();
	const root = run.makeTempDir('livechat-bridge-bench-');
	const logFile = path.join(root, 'n8n.log');
	let instance: any;
	const close = async () => {
		if (instance) await instance.stop();
		await sandbox.close();
		fs.rmSync(root, { recursive: true, force: true });
	};
	try {
		const tarball = run.packPackage(path.join(root, 'pack'));
		const userFolder = path.join(root, 'user');
		const installed = run.installPackage(userFolder, tarball);
		options.patchInstalled?.(installed);
		const env: Record<string, string> = { N8N_LOG_LEVEL: 'warn', ...(options.env ?? {}) };
		if (options.nodeOptions) env.NODE_OPTIONS = options.nodeOptions;
		instance = await run.startN8n({ n8n, userFolder, logFile, env });
		await run.waitReady(instance, { describeFailure: () => `\n${run.tail(logFile)}` });
		const session = await run.ownerSession(instance.url);
		const apiKey = await run.createApiKey(session);
		const api = new run.N8nClient(instance.url, { apiKey });
		const digishare = await api.ok('POST', '/api/v1/credentials', {
			body: { name: 'Digishare bench', type: 'digishareApi', data: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') } },
		});
		const header = await api.ok('POST', '/api/v1/credentials', {
			body: { name: 'Header bench', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${DIGISHARE_PAT}` } },
		});
		const credentials: Record<string, { id: string; name: string }> = {
			digishareApi: { id: digishare.id, name: digishare.name },
			httpHeaderAuth: { id: header.id, name: header.name },
		};
		for (const [key, { type, data }] of Object.entries(options.extraCredentials ?? {})) {
			const created = await api.ok('POST', '/api/v1/credentials', { body: { name: `${key} bench`, type, data: data(sandbox) } });
			credentials[key] = { id: created.id, name: created.name };
		}
		const { ours, theirs } = benchWorkflows(sandbox.baseUrl('digishare'), credentials);
		const urls: Record<string, string> = {};
		const workflowIds: Record<string, string> = {};
		const builtIn = options.builtIn ?? ['ours', 'http'];
		const toCreate: Array<[string, any, string]> = [];
		if (builtIn.includes('ours')) toCreate.push(['ours', ours, run.webhookUrl(instance.url, { webhookId: TRIGGER_WEBHOOK_ID }, 'webhook')]);
		if (builtIn.includes('http')) toCreate.push(['http', theirs, `${instance.url}/webhook/bench-http`]);
		for (const [key, make] of Object.entries(options.extraWorkflows ?? {})) {
			const { workflow, url } = make({ sandboxUrl: sandbox.baseUrl('digishare'), credentials });
			toCreate.push([key, workflow, url(instance.url)]);
		}
		for (const [key, workflow, url] of toCreate) {
			const created = await api.ok('POST', '/api/v1/workflows', { body: workflow });
			await api.ok('POST', `/api/v1/workflows/${created.id}/activate`);
			workflowIds[key] = created.id;
			urls[key] = url;
		}
		for (const url of Object.values(urls)) await run.waitForWebhook(url, 'POST');
		const body = customerMessages('bm');
		const replies = () => sandbox.requestsFor('digishare', 'POST', '/messages').length;
		const running = async (): Promise<number> => {
			const response = await api.request('GET', '/api/v1/executions?status=running&limit=250');
			return response.status === 200 ? (response.json?.data?.length ?? 0) : 0;
		};
		const drain = async (expectedReplies: number, idleSeconds = IDLE_SECONDS) => {
			const started = nowMs();
			const deadline = started + DRAIN_TIMEOUT_SECONDS * 1000;
			let drained = false;
			while (nowMs() < deadline) {
				if (replies() >= expectedReplies && (await running()) === 0) {
					drained = true;
					break;
				}
				await sleep(200);
			}
			const drainMs = nowMs() - started;
			await sleep(idleSeconds * 1000);
			return { drained, drainMs };
		};
		return { n8n, instance, api, sandbox, urls, workflowIds, credentials, body, replies, drain, logFile, close };
	} catch (error) {
		if (fs.existsSync(logFile)) log(`n8n log tail:\n${run.tail(logFile)}`);
		await close();
		throw error;
	}
}

async function main() {
	const bench = await setup();
	try {
		const { urls, body, replies, drain, instance } = bench;
		// warm-up: both workflows, then wait for n8n to finish them
		for (const url of Object.values(urls)) {
			const before = replies();
			const warm = await step(url, 5, 2, body);
			await drain(before + warm.sent, 1);
		}
		const steps: Record<string, unknown>[] = [];
		const failedAt: Record<string, number | undefined> = {};
		for (const [index, rate] of RATES.entries()) {
			const order = index % 2 === 0 ? ['ours', 'http'] : ['http', 'ours'];
			for (const key of order) {
				if (failedAt[key] !== undefined) continue;
				const before = replies();
				const cpuBefore = cpuMs(instance.pid);
				const result = await step(urls[key], rate, STEP_SECONDS, body);
				const { drained, drainMs } = await drain(before + result.sent, 0);
				const cpu = cpuMs(instance.pid) - cpuBefore;
				const got = replies() - before;
				const pass = result.p99Ms <= P99_LIMIT_MS && result.errors === 0 && got === result.sent && drained;
				const row = { workflow: key, ...result, replies: got, drainMs: Math.round(drainMs), n8nCpuMsPerRequest: cpu / result.sent, pass };
				log(`real n8n ${JSON.stringify(row)}`);
				steps.push(row);
				if (!pass) failedAt[key] = rate;
				await sleep(IDLE_SECONDS * 1000);
			}
			if (failedAt.ours !== undefined && failedAt.http !== undefined) break;
		}
		const sustainable = (key: string) => {
			const passed = RATES.filter((rate) => failedAt[key] === undefined || rate < (failedAt[key] as number));
			return passed.length ? Math.max(...passed) : 0;
		};
		const oursRate = sustainable('ours');
		const httpRate = sustainable('http');
		emit({
			n8nVersion: bench.n8n.version,
			nodeVersion: bench.n8n.node.version,
			stepSeconds: STEP_SECONDS,
			idleSeconds: IDLE_SECONDS,
			rates: RATES,
			criterion: `ack p99 ≤ ${P99_LIMIT_MS} ms, no errors, replies == sent, all executions finished within ${DRAIN_TIMEOUT_SECONDS} s`,
			steps,
			firstFailedRate: { ours: failedAt.ours ?? null, http: failedAt.http ?? null },
			sustainable: { ours: oursRate, http: httpRate, untilTop: { ours: failedAt.ours === undefined, http: failedAt.http === undefined } },
			ratio: httpRate ? oursRate / httpRate : null,
		});
	} finally {
		await bench.close();
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
