/**
 * Redeliveries that reach another n8n process — a second webhook processor, a worker, or n8n after
 * a restart — never produce a second reply: the trigger's first step checks the delivery key in
 * n8n's database (n8n's data-deduplication helpers; the harness keeps that store in memory with
 * n8n's semantics, shared like one database) and ends the execution before the reply node.
 */
import type { IDataObject } from 'n8n-workflow';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { isPackageDataKey } from '../../nodes/shared/memory/static-data';
import { CONVERSATION_MAP_KEY, OWN_MESSAGES_KEY } from '../../nodes/LiveChatAi/memory';
import { CONSUMER_CONVERSATIONS, CONVERSATION_CONSUMERS_KEY } from '../../nodes/LivePerson/memory';
import { CHAT_SERVER_KEY } from '../../nodes/Omnidesk/memory';
import { clearProcessedData, processedCount, runWebhookWorkflow, HARNESS_WORKFLOW_ID } from '../harness';
import { DIGISHARE_CONVERSATION_IDS, startSandbox, type Sandbox } from '../sandbox';
import { DIGISHARE_TRIGGER_TYPE, DIGISHARE_TYPE, credentialTypes, nodeTypes, patCredentials } from '../digishare/fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => {
	sandbox.reset();
	clearProcessedData();
	forgetDeliveriesSeenInThisProcess();
});
afterAll(async () => {
	await sandbox.close();
});

const TRIGGER_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const nodes = [
	{
		id: TRIGGER_ID,
		name: 'Digishare Trigger',
		type: DIGISHARE_TRIGGER_TYPE,
		webhookId: 'f0e1d2c3-b4a5-4968-8776-655443322110',
		parameters: { events: ['live_chat.new_message'] },
	},
	{
		id: 'reply-node',
		name: 'Reply',
		type: DIGISHARE_TYPE,
		parameters: { resource: 'message', operation: 'send', messageType: 'text', text: '=You said: {{ $json.text }}' },
	},
];

const message = (id: string, text: string) =>
	JSON.stringify({
		event: 'live_chat.new_message',
		data: { id, data: { conversation_id: DIGISHARE_CONVERSATION_IDS.active, body: text, sender: { model_type: 'third', name: 'Adil' } } },
	});

function deliver(body: string, options: { queueWorker?: boolean; mode?: 'webhook' | 'manual'; staticData?: IDataObject } = {}) {
	return runWebhookWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: patCredentials(sandbox),
		nodes,
		staticData: options.staticData ?? {},
		queueWorker: options.queueWorker,
		mode: options.mode,
		request: { method: 'POST', headers: { 'content-type': 'application/json' }, body },
	});
}

const replies = () => sandbox.requestsFor('digishare', 'POST', '/messages').map((request) => (request.body as IDataObject).body);

describe.each([
	['the execution in the webhook’s process', false],
	['the execution on a queue-mode worker', true],
])('a redelivery to another n8n process, %s', (_where, queueWorker) => {
	test('is accepted by the webhook (that process never saw it), but its execution ends at the trigger: no second reply', async () => {
		const first = await deliver(message('m-1', 'Where is my order?'), { queueWorker });
		expect(first.run?.status).toBe('success');
		expect(replies()).toEqual(['You said: Where is my order?']);

		forgetDeliveriesSeenInThisProcess(); // the redelivery reaches another webhook processor (or n8n restarted)
		const again = await deliver(message('m-1', 'Where is my order?'), { queueWorker });
		expect({ status: again.webhook.status, body: again.webhook.json }).toEqual({ status: 200, body: { received: true } });
		expect(again.run?.status).toBe('success');
		expect(again.run?.output('Digishare Trigger')).toEqual([]);
		expect(again.run?.executedNodes).toEqual(['Digishare Trigger']);
		expect(again.run?.run.data.resultData.metadata).toEqual({ duplicateDelivery: 'live_chat.new_message:m-1' });
		expect(replies()).toEqual(['You said: Where is my order?']);
	});

	test('a new message on that other process is answered, and the database holds one key per delivery', async () => {
		await deliver(message('m-1', 'First'), { queueWorker });
		forgetDeliveriesSeenInThisProcess();
		const next = await deliver(message('m-2', 'Second'), { queueWorker });
		expect(next.run?.output('Digishare Trigger')).toHaveLength(1);
		expect(replies()).toEqual(['You said: First', 'You said: Second']);
		expect(processedCount(HARNESS_WORKFLOW_ID, TRIGGER_ID)).toBe(2);
	});
});

test('the same process answers a redelivery itself: 200 "duplicate delivery", no execution at all', async () => {
	await deliver(message('m-1', 'Hi'));
	const again = await deliver(message('m-1', 'Hi'));
	expect(again.webhook.json).toEqual({ received: true, skipped: 'duplicate delivery' });
	expect(again.run).toBeUndefined();
	expect(replies()).toEqual(['You said: Hi']);
});

test('test events (the editor’s "Listen for test event") are neither filtered nor recorded', async () => {
	await deliver(message('m-test', 'Testing'), { mode: 'manual' });
	forgetDeliveriesSeenInThisProcess();
	const again = await deliver(message('m-test', 'Testing'), { mode: 'manual' });
	expect(again.run?.output('Digishare Trigger')).toHaveLength(1);
	expect(processedCount(HARNESS_WORKFLOW_ID, TRIGGER_ID)).toBe(0);
	expect(replies()).toEqual(['You said: Testing', 'You said: Testing']);
});

test('the package’s static data rides on the first item to the worker (not the user’s own keys), and is not stored with the trigger’s output', async () => {
	const staticData = { global: { liveChatAiConversations: { 'digishare:conv-1': 'kept' }, myCounter: 41 } };
	const { webhook, run } = await deliver(message('m-carried', 'Hello'), { queueWorker: true, staticData });
	expect(webhook.items![0][0].livechatBridge).toEqual({
		deliveryKey: 'live_chat.new_message:m-carried',
		staticData: { liveChatAiConversations: { 'digishare:conv-1': 'kept' } },
	});
	expect(run?.output('Digishare Trigger').map((item) => item.livechatBridge)).toEqual([{ deliveryKey: 'live_chat.new_message:m-carried' }]);
	expect(replies()).toEqual(['You said: Hello']);
});

test('every key the package keeps in static data is declared in the provider registry (so it travels to workers)', () => {
	const keys = [CHAT_SERVER_KEY, CONVERSATION_MAP_KEY, OWN_MESSAGES_KEY, CONSUMER_CONVERSATIONS.dataKey, CONVERSATION_CONSUMERS_KEY];
	expect(keys.filter((key) => !isPackageDataKey(key))).toEqual([]);
});
