/**
 * The package's memory in real n8n queue mode (main, two webhook processors, a worker at
 * concurrency 5, PostgreSQL): a redelivery that reaches the other webhook processor, or n8n after
 * a restart, produces no second reply; one conversation's messages — at once or one by one, on
 * either processor, before and after a restart — continue one LiveChatAI conversation.
 * The examples are imported with fresh webhook IDs (as n8n's Duplicate gives them), so they never
 * meet the copies other files of this run import.
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
	createCredential,
	deactivate,
	deliver,
	eventually,
	executions,
	importWorkflow,
	loadExample,
	nodeOutput,
	waitForExecutions,
	type ImportedWorkflow,
} from '../e2e/context';
import { digishareCustomerMessage, withFreshWebhookIds } from '../e2e/payloads';
import { activateOnWebhookProcessors, productionUrls, restartN8n, waitForWorkflowWebhooks } from './queue-context';

let sandbox: Sandbox;
let digishare: { id: string; name: string; type: string };
beforeAll(async () => {
	sandbox = await startSandbox();
	digishare = await createCredential('digishareApi', 'Digishare sandbox (queue memory)', {
		authMode: 'accessToken',
		accessToken: DIGISHARE_PAT,
		baseUrl: sandbox.baseUrl('digishare'),
	});
});
afterAll(async () => {
	await sandbox?.close();
});

const repliesTo = (text: string): RecordedRequest[] =>
	sandbox.requestsFor('digishare', 'POST', '/messages').filter((request) => String((request.body as { body?: unknown }).body).includes(text));

describe('redeliveries across webhook processors and restarts (examples/digishare-auto-reply.json)', () => {
	let workflow: ImportedWorkflow;
	let urls: string[];
	const TRIGGER = 'Digishare Trigger';
	const first = digishareCustomerMessage('Where is my parcel?', DIGISHARE_CONVERSATION_IDS.active);

	beforeAll(async () => {
		workflow = await importWorkflow(withFreshWebhookIds(loadExample('digishare-auto-reply.json')), { digishareApi: digishare });
		expect((await activateOnWebhookProcessors(workflow)).active).toBe(true);
		urls = productionUrls(workflow, TRIGGER, 'webhook');
	}, 120000);
	afterAll(async () => {
		if (workflow) await deactivate(workflow.id);
	});

	test('a message delivered to webhook processor 1 is replied to once', async () => {
		const answer = await deliver(urls[0], first);
		expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
		await eventually('the reply', () => repliesTo('Where is my parcel?').length === 1);
		await waitForExecutions(workflow.id, 1);
	});

	test('its redelivery to webhook processor 2 is accepted there, and its execution on the worker ends at the trigger: no second reply', async () => {
		const answer = await deliver(urls[1], first);
		expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
		const list = await waitForExecutions(workflow.id, 2);
		const [redelivery] = list; // newest first
		expect(redelivery.status).toBe('success');
		expect(nodeOutput(redelivery, TRIGGER)).toEqual([]);
		expect(Object.keys(redelivery.data?.resultData.runData ?? {})).toEqual([TRIGGER]);
		expect(repliesTo('Where is my parcel?')).toHaveLength(1);
	});

	test('a redelivery to webhook processor 1, which saw it, is answered "duplicate delivery" and starts nothing', async () => {
		const answer = await deliver(urls[0], first);
		expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true, skipped: 'duplicate delivery' } });
		// A later message goes through; by then an execution of the redelivery would be listed too.
		await deliver(urls[0], digishareCustomerMessage('Marker after the redelivery', DIGISHARE_CONVERSATION_IDS.active));
		await eventually('the marker reply', () => repliesTo('Marker after the redelivery').length === 1);
		expect(await waitForExecutions(workflow.id, 3)).toHaveLength(3);
		expect(repliesTo('Where is my parcel?')).toHaveLength(1);
	});

	test('after a restart of every n8n process, a redelivery to either processor still produces no reply; a new message does', async () => {
		await restartN8n();
		await waitForWorkflowWebhooks(workflow);
		for (const url of urls) {
			const answer = await deliver(url, first);
			expect(answer.status).toBe(200);
		}
		await deliver(urls[1], digishareCustomerMessage('New after the restart', DIGISHARE_CONVERSATION_IDS.active));
		await eventually('the reply to the new message', () => repliesTo('New after the restart').length === 1);
		const list = await waitForExecutions(workflow.id, 6);
		expect(list.filter((execution) => nodeOutput(execution, TRIGGER).length === 0)).toHaveLength(3);
		expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
		expect(repliesTo('Where is my parcel?')).toHaveLength(1);
	}, 240000);
});

describe('one conversation, one LiveChatAI conversation (examples/digishare-livechatai-auto-reply.json)', () => {
	let workflow: ImportedWorkflow;
	let urls: string[];
	const CONVERSATION = DIGISHARE_CONVERSATION_IDS.assigned;
	const asks = () => sandbox.requestsFor('livechatai', 'POST', '/conversations');
	// The sandbox is shared with the redelivery tests above: count this conversation's replies only.
	const answersInDigishare = () =>
		sandbox.requestsFor('digishare', 'POST', '/messages').filter((request) => (request.body as { conversation_id?: string }).conversation_id === CONVERSATION).length;
	const aiConversationOf = (request: RecordedRequest) =>
		(request.response.body as { data?: { conversationId?: string } }).data?.conversationId;
	let aiConversation: string | undefined;

	beforeAll(async () => {
		const liveChatAi = await createCredential('liveChatAiApi', 'LiveChatAI sandbox (queue memory)', {
			apiKey: LIVECHATAI_API_KEY,
			baseUrl: sandbox.baseUrl('livechatai'),
		});
		const file = withFreshWebhookIds(loadExample('digishare-livechatai-auto-reply.json'));
		const ask = file.nodes.find((node) => node.type === 'n8n-nodes-livechat-bridge.liveChatAi');
		if (!ask) throw new Error('the example has no LiveChatAI node');
		ask.parameters.agentId = { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support };
		workflow = await importWorkflow(file, { digishareApi: digishare, liveChatAiApi: liveChatAi });
		expect((await activateOnWebhookProcessors(workflow)).active).toBe(true);
		urls = productionUrls(workflow, 'Customer message', 'webhook');
	}, 120000);
	afterAll(async () => {
		if (workflow) await deactivate(workflow.id);
	});

	test('five messages posted at once, alternately to both webhook processors: one LiveChatAI conversation (one worker)', async () => {
		sandbox.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', delayMs: 300, times: 1 });
		const burst = [1, 2, 3, 4, 5].map((n) => digishareCustomerMessage(`Burst ${n}`, CONVERSATION));
		const answers = await Promise.all(burst.map((message, i) => deliver(urls[i % 2], message)));
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
		await eventually('five AI answers in Digishare', () => asks().length >= 5 && answersInDigishare() >= 5);
		expect(answersInDigishare()).toBe(5);
		const sent = asks().map((request) => (request.body as { conversationId?: string }).conversationId ?? null);
		expect(sent.filter((id) => id === null)).toHaveLength(1);
		aiConversation = aiConversationOf(asks()[sent.indexOf(null)]);
		expect(aiConversation).toEqual(expect.any(String));
		expect(sent.filter((id) => id !== null)).toEqual([aiConversation, aiConversation, aiConversation, aiConversation]);
	});

	test('five more, one after another, alternately to both processors: all continue it', async () => {
		for (const n of [1, 2, 3, 4, 5]) {
			const before = asks().length;
			await deliver(urls[n % 2], digishareCustomerMessage(`One by one ${n}`, CONVERSATION));
			await eventually(`the AI call for message ${n}`, () => asks().length > before);
			await eventually(`the answer to message ${n} in Digishare`, () => answersInDigishare() >= 5 + n);
		}
		const lastFive = asks().slice(-5).map((request) => (request.body as { conversationId?: string }).conversationId);
		expect(lastFive).toEqual([aiConversation, aiConversation, aiConversation, aiConversation, aiConversation]);
	});

	test('after a restart of every n8n process (a new worker knows nothing), the next message still continues it', async () => {
		await waitForExecutions(workflow.id, 10);
		await restartN8n();
		await waitForWorkflowWebhooks(workflow);
		const before = asks().length;
		await deliver(urls[1], digishareCustomerMessage('Back after the restart', CONVERSATION));
		await eventually('the AI call after the restart', () => asks().length > before);
		expect((asks()[before].body as { conversationId?: string }).conversationId).toBe(aiConversation);
		const list = await waitForExecutions(workflow.id, 11);
		expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
		expect((await executions(workflow.id)).length).toBe(11);
	}, 240000);
});
