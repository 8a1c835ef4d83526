/**
 * `npm run soak` (issue 21): faults at scale in real queue mode, nothing lost. One cluster
 * (scripts/lib/queue-mode.js: Redis with an append-only file, PostgreSQL, main, two webhook
 * processors, one worker), the package installed, one workflow: Digishare Trigger → Digishare Send
 * answering "Re: <the customer's text>". Customer messages flow at a steady rate, alternately to
 * both webhook processors, each with its own message ID and text; a delivery that is not answered
 * 200 is sent again a second later to the other processor, as a provider behind a load balancer
 * retries (the same message ID: the trigger must not run it twice).
 *
 * While they flow, one fault after the other, with a quiet spell after each:
 *   worker killed    kill -9 of the worker, started again SOAK_DOWN_SECONDS later
 *   webhook restart  webhook-1 stopped (SIGTERM) and started again
 *   Redis restart    Redis stopped and started again (its append-only file kept)
 *   PostgreSQL down  PostgreSQL stopped (fast shutdown) for SOAK_DOWN_SECONDS
 * Then the deliveries stop and the sandbox is watched until every acknowledged message has its reply
 * (or SOAK_DRAIN_SECONDS pass). Every acknowledged message must end in exactly one reply; each
 * fault's window (from its start to the next one) is reported on its own: sent, acknowledged after
 * how many attempts, replies 0 / 1 / more, and n8n's executions by status.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT, startSandbox } from '../test/sandbox';
import { emit, log, nowMs } from './lib/stats';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const run = require('../scripts/lib/n8n-run');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureN8n } = require('../scripts/lib/n8n-install');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startQueueMode } = require('../scripts/lib/queue-mode');

const RATE = Number(process.env.SOAK_RATE || 4);
const QUIET_SECONDS = Number(process.env.SOAK_QUIET_SECONDS || 12);
const DOWN_SECONDS = Number(process.env.SOAK_DOWN_SECONDS || 5);
const DRAIN_SECONDS = Number(process.env.SOAK_DRAIN_SECONDS || 150);
const MAX_ATTEMPTS = Number(process.env.SOAK_MAX_ATTEMPTS || 60);
const WORKER_CONCURRENCY = 5;
const TRIGGER_WEBHOOK_ID = '5a0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivery {
	n: number;
	id: string;
	text: string;
	window: string;
	attempts: number;
	acked: boolean;
	statuses: string[];
}

async function main() {
	const n8n = ensureN8n(process.env.N8N_VERSION || undefined);
	run.assertBuilt();
	const root = run.makeTempDir('livechat-bridge-soak-');
	const sandbox = await startSandbox();
	const tarball = run.packPackage(path.join(root, 'pack'));
	const queue = await startQueueMode({
		n8n,
		tarball,
		root: path.join(root, 'queue'),
		logDir: path.join(root, 'logs'),
		webhookProcessors: 2,
		workerConcurrency: WORKER_CONCURRENCY,
		redisPersist: true,
		env: { N8N_LOG_LEVEL: 'warn', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	});
	const deliveries: Delivery[] = [];
	try {
		const api = new run.N8nClient(queue.mainUrl, { apiKey: queue.apiKey });
		const credential = await api.ok('POST', '/api/v1/credentials', {
			body: { name: 'Digishare soak', type: 'digishareApi', data: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') } },
		});
		const workflow = await api.ok('POST', '/api/v1/workflows', {
			body: {
				name: 'soak: Digishare Trigger → Re: text',
				nodes: [
					{ id: 's1', name: 'Digishare Trigger', type: 'n8n-nodes-livechat-bridge.digishareTrigger', typeVersion: 1.1, position: [0, 0], webhookId: TRIGGER_WEBHOOK_ID, parameters: { events: ['live_chat.new_message'], authentication: 'none' } },
					{
						id: 's2', name: 'Reply', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [260, 0],
						parameters: { resource: 'message', operation: 'send', conversationId: '={{ $json.conversationId }}', messageType: 'text', text: '=Re: {{ $json.chatInput }}' },
						credentials: { digishareApi: { id: credential.id, name: credential.name } },
					},
				],
				connections: { 'Digishare Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			},
		});
		await api.ok('POST', `/api/v1/workflows/${workflow.id}/activate`);
		const urls = (queue.webhookUrls as string[]).map((base) => run.webhookUrl(base, { webhookId: TRIGGER_WEBHOOK_ID }, 'webhook'));
		for (const url of urls) await run.waitForWebhook(url, 'POST');

		// ---- deliveries: a steady rate, each retried until acknowledged ----
		let window = 'baseline';
		let sending = true;
		const inFlight: Promise<void>[] = [];
		const deliver = async (delivery: Delivery) => {
			const body = JSON.stringify({
				event: 'live_chat.new_message',
				data: { id: delivery.id, data: { conversation_id: DIGISHARE_CONVERSATION_IDS.active, body: delivery.text, sender: { model_type: 'third', name: 'Soak' } } },
			});
			while (delivery.attempts < MAX_ATTEMPTS) {
				const url = urls[(delivery.n + delivery.attempts) % urls.length];
				delivery.attempts++;
				try {
					const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10000) });
					await response.arrayBuffer();
					delivery.statuses.push(String(response.status));
					if (response.status === 200) {
						delivery.acked = true;
						return;
					}
				} catch (error) {
					delivery.statuses.push((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
				}
				await sleep(1000);
			}
		};
		const producer = (async () => {
			const started = nowMs();
			for (let n = 0; sending; n++) {
				const due = started + (n * 1000) / RATE;
				if (due > nowMs()) await sleep(due - nowMs());
				const delivery: Delivery = { n, id: `soak${String(n).padStart(8, '0')}`, text: `soak-${n}`, window, attempts: 0, acked: false, statuses: [] };
				deliveries.push(delivery);
				inFlight.push(deliver(delivery));
			}
		})();

		const faults: Array<{ name: string; at: string; ms?: number; note?: string }> = [];
		const fault = async (name: string, act: () => Promise<unknown>) => {
			window = name;
			const t0 = nowMs();
			log(`soak: ${name}`);
			await act();
			faults.push({ name, at: new Date().toISOString(), ms: Math.round(nowMs() - t0) });
			await sleep(QUIET_SECONDS * 1000);
		};
		await sleep(QUIET_SECONDS * 1000);
		await fault('worker killed (kill -9), started again', async () => {
			await queue.kill('worker', 'SIGKILL');
			await sleep(DOWN_SECONDS * 1000);
			await queue.start('worker');
		});
		await fault('webhook processor restarted (SIGTERM, start)', async () => await queue.restartOne('webhook-1'));
		await fault('Redis restarted (append-only file kept)', async () => await queue.restartRedis());
		await fault(`PostgreSQL stopped for ${DOWN_SECONDS} s`, async () => await queue.pausePostgres(DOWN_SECONDS * 1000));
		window = 'after the faults';
		await sleep(QUIET_SECONDS * 1000);
		sending = false;
		await producer;
		await Promise.all(inFlight);

		// ---- replies ----
		const repliesFor = () => {
			const counts = new Map<string, number>();
			for (const request of sandbox.requestsFor('digishare', 'POST', '/messages')) {
				if (request.response.status !== 201) continue;
				const text = String((request.body as { body?: unknown }).body ?? '');
				counts.set(text, (counts.get(text) ?? 0) + 1);
			}
			return counts;
		};
		const drainStarted = nowMs();
		while (nowMs() - drainStarted < DRAIN_SECONDS * 1000) {
			const counts = repliesFor();
			if (deliveries.every((delivery) => !delivery.acked || (counts.get(`Re: ${delivery.text}`) ?? 0) >= 1)) break;
			await sleep(1000);
		}
		await sleep(3000); // a late duplicate would show now
		const counts = repliesFor();
		const executions: Record<string, number> = {};
		let cursor: string | undefined;
		do {
			const page = (await api.ok('GET', `/api/v1/executions?workflowId=${workflow.id}&limit=250${cursor ? `&cursor=${cursor}` : ''}`)) as { data: Array<{ status: string }>; nextCursor?: string };
			for (const execution of page.data) executions[execution.status] = (executions[execution.status] ?? 0) + 1;
			cursor = page.nextCursor;
		} while (cursor);
		const windows = [...new Set(deliveries.map((delivery) => delivery.window))].map((name) => {
			const inWindow = deliveries.filter((delivery) => delivery.window === name);
			const acked = inWindow.filter((delivery) => delivery.acked);
			const replies = (delivery: Delivery) => counts.get(`Re: ${delivery.text}`) ?? 0;
			return {
				window: name,
				sent: inWindow.length,
				acked: acked.length,
				ackedFirstTry: acked.filter((delivery) => delivery.attempts === 1).length,
				retried: acked.filter((delivery) => delivery.attempts > 1).length,
				neverAcked: inWindow.length - acked.length,
				noReply: acked.filter((delivery) => replies(delivery) === 0).map((delivery) => delivery.text),
				oneReply: acked.filter((delivery) => replies(delivery) === 1).length,
				duplicateReplies: acked.filter((delivery) => replies(delivery) > 1).map((delivery) => `${delivery.text} ×${replies(delivery)}`),
				failures: [...new Set(inWindow.flatMap((delivery) => delivery.statuses.filter((status) => status !== '200')))],
			};
		});
		const lost = windows.flatMap((w) => w.noReply);
		const duplicated = windows.flatMap((w) => w.duplicateReplies);
		// What n8n did with each lost message: the status of the execution whose data holds its text.
		const lostExecutions: Record<string, string[]> = {};
		for (const status of Object.keys(executions).filter((status) => status !== 'success')) {
			const page = (await api.ok('GET', `/api/v1/executions?workflowId=${workflow.id}&status=${status}&includeData=true&limit=250`)) as { data: Array<{ id: string; status: string; data?: unknown }> };
			for (const execution of page.data) {
				for (const text of new Set(JSON.stringify(execution.data ?? {}).match(/soak-\d+/g) ?? [])) (lostExecutions[text] ??= []).push(`${execution.id}: ${execution.status}`);
			}
		}
		// n8n runs a queued execution at most once (Bull's maxStalledCount 0): what a killed worker had
		// taken is not run again. Such a loss is n8n's when the execution never finished; anything else is ours.
		const workerWindow = windows.find((w) => w.window.startsWith('worker killed'));
		const explained = lost.filter((text) => (lostExecutions[text] ?? []).some((entry) => !entry.endsWith(': success')));
		const unexplained = lost.filter((text) => !explained.includes(text));
		const result = {
			n8nVersion: n8n.version,
			rate: RATE,
			quietSeconds: QUIET_SECONDS,
			downSeconds: DOWN_SECONDS,
			deliveries: deliveries.length,
			acked: deliveries.filter((delivery) => delivery.acked).length,
			faults,
			windows,
			executions,
			lost,
			lostExecutions: Object.fromEntries(lost.map((text) => [text, lostExecutions[text] ?? []])),
			lostToTheKilledWorker: explained,
			workerConcurrency: WORKER_CONCURRENCY,
			duplicated,
			pass:
				unexplained.length === 0 &&
				explained.length <= WORKER_CONCURRENCY &&
				duplicated.length === 0 &&
				deliveries.every((delivery) => delivery.acked) &&
				workerWindow !== undefined,
		};
		log(`soak: ${JSON.stringify({ ...result, windows: undefined })}`);
		for (const w of windows) log(`soak window: ${JSON.stringify(w)}`);
		emit(result);
	} catch (error) {
		for (const [name, file] of Object.entries(queue.logFiles as Record<string, string>)) {
			if (fs.existsSync(file)) log(`--- ${name} log (last lines) ---\n${run.tail(file, 15)}`);
		}
		throw error;
	} finally {
		await queue.stop();
		await sandbox.close();
		fs.rmSync(root, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
