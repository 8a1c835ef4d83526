/**
 * The package's memory in one real n8n process (SQLite), across an n8n restart: a redelivery after
 * the restart produces no second reply (n8n's database has the key; the restarted process does
 * not), and the next message of a conversation continues its LiveChatAI conversation (the key
 * saved in the workflow's data; the restarted process remembers nothing itself). The queue-mode
 * suite (test/e2e-queue/memory.e2e.ts) runs the same cases over two webhook processors and a worker.
 * The examples are imported with fresh webhook IDs, so they never meet providers.e2e.ts's copies.
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	startSandbox,
	type RecordedRequest,
	type Sandbox,
} from '../sandbox';
import {
	activate,
	createCredential,
	deactivate,
	deliver,
	eventually,
	importWorkflow,
	loadExample,
	nodeOutput,
	restartN8n,
	waitForExecutions,
	waitForWebhook,
	type ImportedWorkflow,
} from './context';
import { digishareCustomerMessage, withFreshWebhookIds } from './payloads';

let sandbox: Sandbox;
let autoReply: ImportedWorkflow;
let aiReply: ImportedWorkflow;
const CUSTOMER = 'Customer message';
const first = digishareCustomerMessage('Where is my parcel?', DIGISHARE_CONVERSATION_IDS.active);

const repliesTo = (text: string): RecordedRequest[] =>
	sandbox.requestsFor('digishare', 'POST', '/messages').filter((request) => String((request.body as { body?: unknown }).body).includes(text));
const asks = () => sandbox.requestsFor('livechatai', 'POST', '/conversations');

beforeAll(async () => {
	sandbox = await startSandbox();
	const digishare = await createCredential('digishareApi', 'Digishare sandbox (memory)', {
		authMode: 'accessToken',
		accessToken: DIGISHARE_PAT,
		baseUrl: sandbox.baseUrl('digishare'),
	});
	const liveChatAi = await createCredential('liveChatAiApi', 'LiveChatAI sandbox (memory)', {
		apiKey: LIVECHATAI_API_KEY,
		baseUrl: sandbox.baseUrl('livechatai'),
	});
	autoReply = await importWorkflow(withFreshWebhookIds(loadExample('digishare-auto-reply.json')), { digishareApi: digishare });
	const file = withFreshWebhookIds(loadExample('digishare-livechatai-auto-reply.json'));
	const ask = file.nodes.find((node) => node.type === 'n8n-nodes-livechat-bridge.liveChatAi');
	if (!ask) throw new Error('the example has no LiveChatAI node');
	ask.parameters.agentId = { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support };
	aiReply = await importWorkflow(file, { digishareApi: digishare, liveChatAiApi: liveChatAi });
	expect((await activate(autoReply)).active).toBe(true);
	expect((await activate(aiReply)).active).toBe(true);
}, 180000);
afterAll(async () => {
	for (const workflow of [autoReply, aiReply]) if (workflow) await deactivate(workflow.id);
	await sandbox?.close();
});

test('before the restart: a message is replied to once, its redelivery is answered "duplicate delivery"; an AI conversation starts', async () => {
	const url = autoReply.webhook('Digishare Trigger', 'webhook');
	expect((await deliver(url, first)).json).toEqual({ received: true });
	await eventually('the reply', () => repliesTo('Where is my parcel?').length === 1);
	expect((await deliver(url, first)).json).toEqual({ received: true, skipped: 'duplicate delivery' });

	await deliver(aiReply.webhook(CUSTOMER, 'webhook'), digishareCustomerMessage('Hi, I am Adil', DIGISHARE_CONVERSATION_IDS.assigned));
	await eventually('the AI call', () => asks().length === 1);
	await waitForExecutions(autoReply.id, 1);
	await waitForExecutions(aiReply.id, 1);
});

test('after an n8n restart: the redelivery starts an execution that ends at the trigger (no reply), and the AI conversation continues', async () => {
	await restartN8n();
	for (const workflow of [autoReply, aiReply]) {
		const node = workflow.file.nodes.find((candidate) => candidate.webhookId)!;
		await waitForWebhook(workflow.webhook(node.name, 'webhook'));
	}

	const answer = await deliver(autoReply.webhook('Digishare Trigger', 'webhook'), first);
	expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
	const [redelivery] = await waitForExecutions(autoReply.id, 2);
	expect(redelivery.status).toBe('success');
	expect(nodeOutput(redelivery, 'Digishare Trigger')).toEqual([]);
	expect(repliesTo('Where is my parcel?')).toHaveLength(1);

	await deliver(aiReply.webhook(CUSTOMER, 'webhook'), digishareCustomerMessage('What is my name?', DIGISHARE_CONVERSATION_IDS.assigned));
	await eventually('the second AI call', () => asks().length === 2);
	const started = (asks()[0].response.body as { data: { conversationId: string } }).data.conversationId;
	expect((asks()[1].body as { conversationId?: string }).conversationId).toBe(started);
	const list = await waitForExecutions(aiReply.id, 2);
	expect(list.map((execution) => execution.status)).toEqual(['success', 'success']);
}, 240000);
