/**
 * Send and Wait for Reply where users run it: one real n8n (the packed package installed), the time
 * from a reply's delivery to the resumed execution's next provider call, beside n8n's own Wait node
 * resumed through its resume URL.
 *
 * - ours: Digishare Trigger → Digishare Send and Wait for Reply → Digishare Send ("done: <reply>").
 *   A round: the customer's first message (the question reaches the sandbox: the execution waits),
 *   then the reply is POSTed to the trigger; timed until "done: <reply>" reaches the sandbox.
 * - n8n's: Webhook → Digishare Send (the execution's `$execution.resumeUrl`) → Wait (resume on a
 *   webhook call) → Digishare Send ("done: <reply>"). A round: start it, read the resume URL from
 *   the sandbox, then POST the reply to that URL; timed the same way.
 * Both continue with the same node making the same call; ours adds the trigger's delivery and its
 * POST to n8n's resume URL. Rounds alternate; the first two of each are warm-up.
 */
import { median, nowMs, p99, emit, log } from './lib/stats';
import { setup } from './real-n8n';

const ROUNDS = Number(process.env.BENCH_RESUME_ROUNDS || 30);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	const conversation = '6934k9qq5orl5vrx';
	const bench = await setup({
		builtIn: [],
		extraWorkflows: {
			ours: ({ credentials }) => ({
				workflow: {
					name: 'bench: Send and Wait for Reply',
					nodes: [
						{ id: 'r1', name: 'Digishare Trigger', type: 'n8n-nodes-livechat-bridge.digishareTrigger', typeVersion: 1, position: [0, 0], webhookId: 'r1r1r1r1-0000-4000-8000-000000000001', parameters: { events: ['live_chat.new_message'], authentication: 'none' } },
						{
							id: 'r2', name: 'Ask', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [260, 0], webhookId: 'r1r1r1r1-0000-4000-8000-0000000000a2',
							parameters: { resource: 'message', operation: 'sendAndWait', conversationId: '={{ $json.conversationId }}', message: 'ours: your order number?', waitLimit: 10 },
							credentials: { digishareApi: credentials.digishareApi },
						},
						{
							id: 'r3', name: 'Done', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [520, 0],
							parameters: { resource: 'message', operation: 'send', conversationId: '={{ $json.conversationId }}', messageType: 'text', text: '=done: {{ $json.text }}' },
							credentials: { digishareApi: credentials.digishareApi },
						},
					],
					connections: { 'Digishare Trigger': { main: [[{ node: 'Ask', type: 'main', index: 0 }]] }, Ask: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
					settings: { executionOrder: 'v1' },
				},
				url: (base) => `${base}/webhook/r1r1r1r1-0000-4000-8000-000000000001/webhook`,
			}),
			wait: ({ credentials }) => ({
				workflow: {
					name: "bench: n8n's Wait node",
					nodes: [
						{ id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'w1w1w1w1-0000-4000-8000-000000000001', parameters: { httpMethod: 'POST', path: 'bench-wait', responseMode: 'onReceived', options: {} } },
						{
							id: 'w2', name: 'Ask', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [260, 0],
							parameters: { resource: 'message', operation: 'send', conversationId: conversation, messageType: 'text', text: '={{ $execution.resumeUrl }}' },
							credentials: { digishareApi: credentials.digishareApi },
						},
						{ id: 'w3', name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [520, 0], webhookId: 'w1w1w1w1-0000-4000-8000-0000000000a3', parameters: { resume: 'webhook', httpMethod: 'POST', options: {} } },
						{
							id: 'w4', name: 'Done', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [780, 0],
							parameters: { resource: 'message', operation: 'send', conversationId: conversation, messageType: 'text', text: '=done: {{ $json.body.text }}' },
							credentials: { digishareApi: credentials.digishareApi },
						},
					],
					connections: { Webhook: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] }, Ask: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] }, Wait: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
					settings: { executionOrder: 'v1' },
				},
				url: (base) => `${base}/webhook/bench-wait`,
			}),
		},
	});
	try {
		const { urls, sandbox } = bench;
		const sent = () => sandbox.requestsFor('digishare', 'POST', '/messages').map((request) => String((request.body as { body?: unknown }).body));
		const until = async (what: string, check: () => string | undefined, timeoutMs = 30000) => {
			const deadline = nowMs() + timeoutMs;
			for (;;) {
				const found = check();
				if (found !== undefined) return found;
				if (nowMs() > deadline) throw new Error(`timed out waiting for ${what}`);
				await sleep(2);
			}
		};
		const post = async (url: string, body: unknown) => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
		};
		let seq = 0;
		const message = (text: string) => ({
			event: 'live_chat.new_message',
			data: {
				id: `bench-resume-${++seq}`,
				data: { conversation_id: conversation, body: text, type: 'text', system: false, send_to_third: false, sender: { id: 's1', model_type: 'third', model_id: 't1', name: 'Bench' } },
			},
		});
		const ours: number[] = [];
		const theirs: number[] = [];
		for (let round = 0; round < ROUNDS + 2; round++) {
			// ours
			const before = sent().length;
			await post(urls.ours, message(`start ${round}`));
			await until('the question', () => sent().slice(before).find((text) => text === 'ours: your order number?'));
			await sleep(50); // n8n saves the waiting execution after the node returns
			const reply = `ours-${round}`;
			let started = nowMs();
			await post(urls.ours, message(reply));
			await until(`done: ${reply}`, () => sent().find((text) => text === `done: ${reply}`));
			if (round >= 2) ours.push(nowMs() - started);
			// n8n's Wait node
			const mark = sent().length;
			await post(urls.wait, { start: round });
			const resumeUrl = await until('the resume URL', () => sent().slice(mark).find((text) => text.includes('/webhook-waiting/')));
			await sleep(50);
			const theirsReply = `wait-${round}`;
			started = nowMs();
			await post(resumeUrl, { text: theirsReply });
			await until(`done: ${theirsReply}`, () => sent().find((text) => text === `done: ${theirsReply}`));
			if (round >= 2) theirs.push(nowMs() - started);
		}
		const summary = (values: number[]) => ({ rounds: values.length, medianMs: median(values), p99Ms: p99(values) });
		const result = { n8nVersion: bench.n8n.version, ours: summary(ours), wait: summary(theirs), ratio: median(ours) / median(theirs) };
		log(`reply → resumed execution's next call: ours ${JSON.stringify(result.ours)}, Wait node ${JSON.stringify(result.wait)}`);
		emit(result);
	} finally {
		await bench.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
