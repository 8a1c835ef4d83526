/**
 * Conversation keys (shared/memory/conversations.ts) through the LiveChatAI node in n8n's engine:
 * messages of one conversation that arrive together start ONE LiveChatAI conversation in an n8n
 * process, the process remembers IDs n8n has not saved yet, and a conversation LiveChatAI no
 * longer has is replaced by a new one instead of failing every later message.
 */
import type { IDataObject } from 'n8n-workflow';
import { forgetConversationsInThisProcess } from '../../nodes/shared/memory/conversations';
import { retryPolicy } from '../../nodes/shared/transport';
import { LIVECHATAI_AGENT_IDS, startSandbox, type Sandbox } from '../sandbox';
import { agentById, runLiveChatAi } from '../livechatai/fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	retryPolicy.backoffMs = [0, 0, 0];
	sandbox = await startSandbox();
});
beforeEach(() => {
	sandbox.reset();
	forgetConversationsInThisProcess();
});
afterAll(async () => {
	await sandbox.close();
});

/** Each execution gets its own copy of the workflow's static data, as n8n loads it when the webhook arrives. */
const ask = (key: string, question: string, staticData: IDataObject = {}) =>
	runLiveChatAi(
		sandbox,
		{ resource: 'conversation', operation: 'sendMessage', agentId: agentById(LIVECHATAI_AGENT_IDS.support), question, conversationKey: key },
		{ staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject },
	);

const sends = () =>
	sandbox.requestsFor('livechatai', 'POST', '/conversations').map((request) => (request.body as IDataObject).conversationId ?? null);

test('five messages of one conversation at once, LiveChatAI slow to answer: one conversation, four continue it', async () => {
	sandbox.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', delayMs: 150, times: 1 });
	const runs = await Promise.all([1, 2, 3, 4, 5].map((n) => ask('digishare:burst', `Message ${n}`)));
	for (const run of runs) expect(run.error).toBeUndefined();
	const ids = runs.map((run) => run.items[0].json.conversationId);
	expect(new Set(ids).size).toBe(1);
	expect(sends().filter((id) => id === null)).toHaveLength(1);
	expect(sends().filter((id) => id === ids[0])).toHaveLength(4);
});

test('messages of different conversations at once each start their own', async () => {
	const runs = await Promise.all(['a', 'b', 'c'].map((key) => ask(`digishare:${key}`, 'Hello')));
	expect(new Set(runs.map((run) => run.items[0].json.conversationId)).size).toBe(3);
	expect(sends()).toEqual([null, null, null]);
});

test('the next message continues the conversation even when n8n did not save the key (an overlapping execution won)', async () => {
	const first = await ask('digishare:lost', 'Hi, I am Adil');
	const second = await ask('digishare:lost', 'What is my name?', {}); // the workflow's saved data lacks the key
	expect(second.items[0].json.conversationId).toBe(first.items[0].json.conversationId);
	expect(sends()).toEqual([null, first.items[0].json.conversationId]);
});

test('a remembered conversation LiveChatAI no longer has: a new one is started, answered and remembered', async () => {
	const staticData = { global: { liveChatAiConversations: { 'digishare:old': 'chat_gone_0001' } } };
	const run = await ask('digishare:old', 'Are you there?', staticData);
	expect(run.error).toBeUndefined();
	const fresh = run.items[0].json.conversationId as string;
	expect(fresh).toMatch(/^chat_2/);
	expect(sends()).toEqual(['chat_gone_0001', null]);
	expect((run.staticData.global as IDataObject).liveChatAiConversations).toEqual({ 'digishare:old': fresh });
	const next = await ask('digishare:old', 'Still there?', { global: { liveChatAiConversations: { 'digishare:old': fresh } } });
	expect(next.items[0].json.conversationId).toBe(fresh);
});

test('any other error is the node’s error, and the key is not forgotten', async () => {
	const staticData = { global: { liveChatAiConversations: { 'digishare:k': 'chat_kept_0001' } } };
	sandbox.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', status: 400, body: { status: 'error', code: 'BAD_REQUEST', message: 'Question too long' } });
	const run = await ask('digishare:k', 'x', staticData);
	expect(run.error?.message).toMatch(/Question too long/);
	expect(sends()).toEqual(['chat_kept_0001']);
});
