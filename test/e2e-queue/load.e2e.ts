/**
 * Issue 21, CI-sized: load in real queue mode. examples/digishare-auto-reply.json (Digishare
 * Trigger → reply quoting the customer) side by side with n8n's own Webhook → HTTP Request making
 * the same kind of reply, customer messages sent at fixed rates (open loop: a message does not
 * wait for the previous answer), alternately to both webhook processors. Nothing may be lost or
 * repeated under load: every message answered 200 and replied to exactly once, one successful
 * execution each. The answer times are printed for the record, never asserted (they belong to
 * `npm run bench`, section 6, which also finds the rate where each pair stops keeping up).
 */
import { DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT, startSandbox, type Sandbox } from '../sandbox';
import { createCredential, deactivate, eventually, importWorkflow, loadExample, waitForExecutions, waitForWebhook, type ImportedWorkflow, type WorkflowFile } from '../e2e/context';
import { digishareCustomerMessage } from '../e2e/payloads';
import { activateOnWebhookProcessors, productionUrls, queueState } from './queue-context';

const RATES = [5, 10];
const SECONDS_PER_RATE = 4;
const TRIGGER = 'Digishare Trigger';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** n8n's own pair: Webhook → HTTP Request posting "Re: <text>" into the conversation. */
function builtInPair(digishareUrl: string): WorkflowFile {
	return {
		name: 'Load: Webhook → HTTP Request',
		nodes: [
			{ id: 'l1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'e1f2a3b4-0000-4000-8000-0000000010ad', parameters: { httpMethod: 'POST', path: 'queue-load-builtin', responseMode: 'onReceived', options: {} } },
			{
				id: 'l2', name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [260, 0],
				parameters: {
					method: 'POST', url: `${digishareUrl}/messages`, authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth',
					sendBody: true, contentType: 'json', specifyBody: 'json',
					jsonBody: "={{ JSON.stringify({ conversation_id: $json.body.data.data.conversation_id, type: 'text', body: 'Re: \"' + $json.body.data.data.body + '\"', send_to_third: true }) }}",
					options: {},
				},
				credentials: { httpHeaderAuth: { id: '', name: '' } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowFile;
}

interface Sent {
	text: string;
	status: number;
	ms: number;
}

/** `rate` messages a second for `seconds`, alternately to `urls`, without waiting for answers. */
async function sendAtRate(urls: string[], rate: number, seconds: number, label: string): Promise<Sent[]> {
	const total = rate * seconds;
	const started = Date.now();
	const pending: Array<Promise<Sent>> = [];
	for (let i = 0; i < total; i++) {
		const due = started + (i * 1000) / rate;
		if (due > Date.now()) await sleep(due - Date.now());
		const text = `${label} at ${rate}/s #${i} ${Date.now()}`;
		const body = digishareCustomerMessage(text, DIGISHARE_CONVERSATION_IDS.active, `load${Date.now()}${i}${rate}${label.length}`);
		pending.push(
			(async () => {
				const t0 = Date.now();
				const response = await fetch(urls[i % urls.length], { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined);
				await response?.arrayBuffer();
				return { text, status: response?.status ?? 0, ms: Date.now() - t0 };
			})(),
		);
	}
	return await Promise.all(pending);
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))];

describe('load in queue mode: nothing lost or repeated at fixed rates', () => {
	let sandbox: Sandbox;
	const workflows: ImportedWorkflow[] = [];
	let urls: Record<'ours' | 'builtIn', string[]>;

	beforeAll(async () => {
		sandbox = await startSandbox();
		const digishare = await createCredential('digishareApi', 'Digishare sandbox (load)', { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') });
		const header = await createCredential('httpHeaderAuth', 'Header Auth (load)', { name: 'Authorization', value: `Bearer ${DIGISHARE_PAT}` });
		const ours = await importWorkflow(loadExample('digishare-auto-reply.json'), { digishareApi: digishare });
		const builtIn = await importWorkflow(builtInPair(sandbox.baseUrl('digishare')), { httpHeaderAuth: header });
		workflows.push(ours, builtIn);
		for (const workflow of workflows) expect((await activateOnWebhookProcessors(workflow)).active).toBe(true);
		// n8n's Webhook node lives at /webhook/<path> on each webhook processor
		const builtInUrls = queueState().webhookUrls.map((base) => `${base}/webhook/queue-load-builtin`);
		for (const url of builtInUrls) await waitForWebhook(url, 'POST');
		urls = { ours: productionUrls(ours, TRIGGER, 'webhook'), builtIn: builtInUrls };
	}, 240000);
	afterAll(async () => {
		for (const workflow of workflows) await deactivate(workflow.id);
		await sandbox?.close();
	});

	const replyCount = (text: string) => sandbox.requestsFor('digishare', 'POST', '/messages').filter((request) => String((request.body as { body?: unknown }).body).includes(`"${text}"`)).length;

	test.each(RATES)('%i messages/s to each pair: every message answered 200 and replied to exactly once, one successful execution each', async (rate) => {
		const report: string[] = [];
		const sentBy: Record<string, Sent[]> = {};
		for (const key of rate === RATES[0] ? (['ours', 'builtIn'] as const) : (['builtIn', 'ours'] as const)) {
			sentBy[key] = await sendAtRate(urls[key], rate, SECONDS_PER_RATE, key);
			const ms = sentBy[key].map((sent) => sent.ms);
			report.push(`${key}: ${sentBy[key].length} messages, answer p50 ${quantile(ms, 0.5)} ms, p99 ${quantile(ms, 0.99)} ms`);
		}
		process.stdout.write(`[queue load ${rate}/s] ${report.join('; ')}\n`);
		for (const [key, sent] of Object.entries(sentBy)) {
			expect({ key, statuses: [...new Set(sent.map((one) => one.status))] }).toEqual({ key, statuses: [200] });
			await eventually(`${key}: a reply to each of ${sent.length} messages`, () => sent.every((one) => replyCount(one.text) > 0), 90000);
			await sleep(1000); // a repeated reply would arrive now
			expect(sent.map((one) => ({ text: one.text, replies: replyCount(one.text) }))).toEqual(sent.map((one) => ({ text: one.text, replies: 1 })));
		}
		// every message so far (this rate and the ones before) ran once, successfully, for each pair
		const sentSoFar = RATES.filter((r) => r <= rate).reduce((sum, r) => sum + r * SECONDS_PER_RATE, 0);
		for (const workflow of workflows) {
			const executions = await waitForExecutions(workflow.id, sentSoFar);
			expect({ workflow: workflow.file.name, executions: executions.length, failed: executions.filter((execution) => execution.status !== 'success').length }).toEqual({ workflow: workflow.file.name, executions: sentSoFar, failed: 0 });
		}
	}, 300000);
});
