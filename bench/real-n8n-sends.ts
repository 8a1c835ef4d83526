/**
 * The action node's send path where users run it: one real n8n (the packed package installed), two
 * workflows with the same Webhook trigger — (c) Webhook → Digishare Message Send and (b) Webhook →
 * HTTP Request 4.2 with an Header Auth credential, making the same POST /messages to the sandbox.
 * Deliveries alternate between the two at a steady rate; each node's own run time is what n8n
 * recorded for it (`executionTime` in the execution's run data), plus the whole execution's time.
 */
import { median, nowMs, p99, emit, log } from './lib/stats';
import { REPLY_TEXT, setup } from './real-n8n';

const ROUNDS = Number(process.env.BENCH_SEND_ROUNDS || 150);
const RATE = Number(process.env.BENCH_SEND_RATE || 5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Execution {
	startedAt: string;
	stoppedAt: string;
	status: string;
	data?: { resultData?: { runData?: Record<string, Array<{ executionTime?: number }>> } };
}

async function main() {
	const bench = await setup({
		builtIn: ['http'],
		extraWorkflows: {
			node: ({ credentials }) => ({
				workflow: {
					name: 'bench: Webhook → Digishare',
					nodes: [
						{ id: 'c1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'c1c1c1c1-0000-4000-8000-000000000001', parameters: { httpMethod: 'POST', path: 'bench-node', responseMode: 'onReceived', options: {} } },
						{
							id: 'c2', name: 'Reply', type: 'n8n-nodes-livechat-bridge.digishare', typeVersion: 1, position: [260, 0],
							parameters: { resource: 'message', operation: 'send', conversationId: '={{ $json.body.data.data.conversation_id }}', messageType: 'text', text: REPLY_TEXT },
							credentials: { digishareApi: credentials.digishareApi },
						},
					],
					connections: { Webhook: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
					settings: { executionOrder: 'v1' },
				},
				url: (base) => `${base}/webhook/bench-node`,
			}),
		},
	});
	try {
		const { urls, body, replies, drain, api, workflowIds } = bench;
		const post = async (url: string) => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
			if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
		};
		// warm-up, then alternate: node, http, node, http … at RATE deliveries per second
		for (const url of [urls.node, urls.http, urls.node, urls.http]) await post(url);
		await drain(replies(), 1);
		const first = replies();
		const started = nowMs();
		for (let i = 0; i < ROUNDS * 2; i++) {
			await post(i % 2 === 0 ? urls.node : urls.http);
			const due = started + ((i + 1) * 1000) / RATE;
			if (due > nowMs()) await sleep(due - nowMs());
		}
		await drain(first + ROUNDS * 2, 1);
		const measure = async (key: 'node' | 'http', nodeName: string) => {
			const executions: Execution[] = [];
			let cursor: string | undefined;
			do {
				const page = (await api.ok('GET', `/api/v1/executions?workflowId=${workflowIds[key]}&includeData=true&limit=100${cursor ? `&cursor=${cursor}` : ''}`)) as {
					data: Execution[];
					nextCursor?: string;
				};
				executions.push(...page.data);
				cursor = page.nextCursor;
			} while (cursor);
			// the newest ROUNDS are the measured ones (the two oldest were the warm-up)
			const measured = executions.filter((execution) => execution.status === 'success').slice(0, ROUNDS);
			const nodeMs = measured.map((execution) => execution.data?.resultData?.runData?.[nodeName]?.[0]?.executionTime ?? NaN).filter(Number.isFinite);
			const totalMs = measured.map((execution) => Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt));
			return { executions: measured.length, nodeMedianMs: median(nodeMs), nodeP99Ms: p99(nodeMs), executionMedianMs: median(totalMs), executionP99Ms: p99(totalMs) };
		};
		const node = await measure('node', 'Reply');
		const http = await measure('http', 'HTTP Request');
		log(`send path in real n8n: ours ${JSON.stringify(node)}, HTTP Request ${JSON.stringify(http)}`);
		emit({
			n8nVersion: bench.n8n.version,
			rounds: ROUNDS,
			rate: RATE,
			node,
			http,
			nodeRatio: node.nodeMedianMs / http.nodeMedianMs,
			executionRatio: node.executionMedianMs / http.executionMedianMs,
		});
	} finally {
		await bench.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
