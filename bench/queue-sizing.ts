/**
 * Piece 6 of `npm run bench` (issue 21): sizing in real queue mode. For each expression-engine
 * setting of n8n 2.x — the default, `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`, a larger
 * `N8N_EXPRESSION_ENGINE_POOL_SIZE`, `N8N_EXPRESSION_ENGINE=legacy` — one queue-mode cluster (Redis,
 * PostgreSQL, main, ONE webhook processor, ONE worker; scripts/lib/queue-mode.js) runs
 * (a) Digishare Trigger → Digishare reply and (b) n8n's Webhook → HTTP Request making the same
 * reply, at rising delivery rates (open loop, BENCH_QUEUE_STEP_SECONDS per step, the workflows
 * alternating which goes first).
 *
 * A step passes when every delivery was answered 200 with the answer's p99 ≤ 1 s and every
 * delivery's reply reached the sandbox within BENCH_QUEUE_DRAIN_SECONDS after the step. The
 * sustainable rate is the highest rate passed with every lower one passed too; with one webhook
 * processor and one worker it is the rate of the pair. The CPU each process spent per delivery
 * (from /proc) says which of the two saturates first and what one more of it adds.
 */
import * as path from 'node:path';
import { DIGISHARE_PAT, startSandbox } from '../test/sandbox';
import { emit, log, nowMs } from './lib/stats';
import { benchWorkflows, cpuMs, customerMessages, step, TRIGGER_WEBHOOK_ID } from './real-n8n';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const run = require('../scripts/lib/n8n-run');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureN8n } = require('../scripts/lib/n8n-install');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startQueueMode } = require('../scripts/lib/queue-mode');

const RATES = (process.env.BENCH_QUEUE_RATES || '5,10,20,40,60').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_QUEUE_STEP_SECONDS || 8);
const DRAIN_SECONDS = Number(process.env.BENCH_QUEUE_DRAIN_SECONDS || 30);
const WORKER_CONCURRENCY = Number(process.env.BENCH_QUEUE_WORKER_CONCURRENCY || 10);
const POOL_SIZE = process.env.BENCH_QUEUE_POOL_SIZE || '4';
const P99_LIMIT_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ALL_SETTINGS: Array<{ name: string; env: Record<string, string> }> = [
	{ name: 'default (vm engine, pool 1)', env: {} },
	{ name: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
	{ name: `N8N_EXPRESSION_ENGINE_POOL_SIZE=${POOL_SIZE}`, env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: POOL_SIZE } },
	{ name: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
];
const SETTINGS = ALL_SETTINGS.filter((setting) => !process.env.BENCH_QUEUE_SETTINGS || process.env.BENCH_QUEUE_SETTINGS.split(',').some((wanted) => setting.name.includes(wanted)));

async function measureSetting(n8n: unknown, tarball: string, root: string, setting: { name: string; env: Record<string, string> }) {
	const sandbox = await startSandbox();
	const queue = await startQueueMode({
		n8n,
		tarball,
		root: path.join(root, 'queue'),
		logDir: path.join(root, 'logs'),
		webhookProcessors: 1,
		workerConcurrency: WORKER_CONCURRENCY,
		env: { N8N_LOG_LEVEL: 'warn', ...setting.env },
	});
	try {
		const api = new run.N8nClient(queue.mainUrl, { apiKey: queue.apiKey });
		const digishare = await api.ok('POST', '/api/v1/credentials', {
			body: { name: 'Digishare bench', type: 'digishareApi', data: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') } },
		});
		const header = await api.ok('POST', '/api/v1/credentials', {
			body: { name: 'Header bench', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${DIGISHARE_PAT}` } },
		});
		const { ours, theirs } = benchWorkflows(sandbox.baseUrl('digishare'), {
			digishareApi: { id: digishare.id, name: digishare.name },
			httpHeaderAuth: { id: header.id, name: header.name },
		});
		const webhookBase = queue.webhookUrls[0];
		const urls: Record<string, string> = {
			ours: run.webhookUrl(webhookBase, { webhookId: TRIGGER_WEBHOOK_ID }, 'webhook'),
			http: `${webhookBase}/webhook/bench-http`,
		};
		for (const workflow of [ours, theirs]) {
			const created = await api.ok('POST', '/api/v1/workflows', { body: workflow });
			await api.ok('POST', `/api/v1/workflows/${created.id}/activate`);
		}
		for (const url of Object.values(urls)) await run.waitForWebhook(url, 'POST');
		const body = customerMessages('qs');
		const replies = () => sandbox.requestsFor('digishare', 'POST', '/messages').length;
		const drain = async (expected: number) => {
			const started = nowMs();
			while (replies() < expected && nowMs() - started < DRAIN_SECONDS * 1000) await sleep(100);
			return { drained: replies() >= expected, drainMs: Math.round(nowMs() - started) };
		};
		const pids = () => queue.processes as Record<string, { pid: number }>;
		// warm-up
		for (const url of Object.values(urls)) {
			const before = replies();
			const warm = await step(url, 5, 2, body);
			await drain(before + warm.sent);
		}
		await sleep(2000);
		const steps: Array<Record<string, unknown>> = [];
		const failedAt: Record<string, number | undefined> = {};
		for (const [index, rate] of RATES.entries()) {
			for (const key of index % 2 === 0 ? ['ours', 'http'] : ['http', 'ours']) {
				if (failedAt[key] !== undefined) continue;
				const before = replies();
				const cpuBefore = { webhook: cpuMs(pids()['webhook-1'].pid), worker: cpuMs(pids().worker.pid) };
				const result = await step(urls[key], rate, STEP_SECONDS, body);
				const { drained, drainMs } = await drain(before + result.sent);
				const got = replies() - before;
				const cpu = { webhook: cpuMs(pids()['webhook-1'].pid) - cpuBefore.webhook, worker: cpuMs(pids().worker.pid) - cpuBefore.worker };
				const pass = result.errors === 0 && result.p99Ms <= P99_LIMIT_MS && got === result.sent && drained;
				const row = {
					workflow: key,
					...result,
					replies: got,
					drainMs,
					webhookCpuMsPerDelivery: cpu.webhook / result.sent,
					workerCpuMsPerDelivery: cpu.worker / result.sent,
					pass,
				};
				log(`queue sizing [${setting.name}] ${JSON.stringify(row)}`);
				steps.push(row);
				if (!pass) failedAt[key] = rate;
				await sleep(2000);
			}
			if (failedAt.ours !== undefined && failedAt.http !== undefined) break;
		}
		const sustainable = (key: string) => {
			const passed = RATES.filter((rate) => failedAt[key] === undefined || rate < (failedAt[key] as number));
			return { rate: passed.length ? Math.max(...passed) : 0, failedAt: failedAt[key] ?? null };
		};
		return { setting: setting.name, env: setting.env, steps, ours: sustainable('ours'), http: sustainable('http') };
	} finally {
		await queue.stop();
		await sandbox.close();
	}
}

async function main() {
	const n8n = ensureN8n(process.env.N8N_VERSION || undefined);
	run.assertBuilt();
	const root = run.makeTempDir('livechat-bridge-queue-sizing-');
	const tarball = run.packPackage(path.join(root, 'pack'));
	const results = [];
	for (const [index, setting] of SETTINGS.entries()) {
		results.push(await measureSetting(n8n, tarball, path.join(root, `setting-${index}`), setting));
	}
	emit({ n8nVersion: n8n.version, rates: RATES, stepSeconds: STEP_SECONDS, drainSeconds: DRAIN_SECONDS, workerConcurrency: WORKER_CONCURRENCY, criterion: `every delivery answered 200, answer p99 ≤ ${P99_LIMIT_MS} ms, every reply at the API within ${DRAIN_SECONDS} s`, settings: results });
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
