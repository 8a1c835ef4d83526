/**
 * LiveChatAI Trigger (polling) in n8n-core's PollContext (test/harness/poll.ts) against the
 * sandbox's LiveChatAI, whose conversations change between polls. Every assertion is on what a
 * user sees: the items each poll emits, and the requests LiveChatAI got.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { LiveChatAiTrigger } from '../../nodes/LiveChatAi/LiveChatAiTrigger.node';
import { forgetConversationsInThisProcess } from '../../nodes/shared/memory/conversations';
import { forgetOwnMessagesInThisProcess } from '../../nodes/shared/memory/own-messages';
import { createPoller, runWorkflow, START_NODE_TYPE, type Poller } from '../harness';
import {
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_USER_IDS,
	startSandbox,
	type Sandbox,
} from '../sandbox';
import { agentById, LIVECHATAI_TYPE, liveChatAiCredentialTypes, liveChatAiCredentials, liveChatAiNodeTypes } from './fixtures';

const TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.liveChatAiTrigger';
const SUPPORT = LIVECHATAI_AGENT_IDS.support;
const ALL_EVENTS = ['newConversation', 'newCustomerMessage', 'humanRequested', 'conversationClosed'];

let sandbox: Sandbox;
let now: number;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	forgetOwnMessagesInThisProcess();
	forgetConversationsInThisProcess();
	now = Date.UTC(2026, 0, 5, 10, 0, 0);
	sandbox.livechatai.clock = () => now;
});

/** Moves LiveChatAI's clock on (ms). */
const later = (ms = 1000) => {
	now += ms;
};

async function poller(parameters: IDataObject = {}, saved: IDataObject = {}): Promise<Poller> {
	return await createPoller({
		nodeTypes: { [TRIGGER_TYPE]: new LiveChatAiTrigger() },
		credentialTypes: liveChatAiCredentialTypes,
		credentials: liveChatAiCredentials(sandbox),
		node: { name: 'LiveChatAI Trigger', type: TRIGGER_TYPE, parameters: { agentId: agentById(SUPPORT), events: ALL_EVENTS, ...parameters } },
		saved,
	});
}

/** Activates (first poll) and checks it is quiet. */
async function activated(parameters: IDataObject = {}, saved: IDataObject = {}): Promise<Poller> {
	const p = await poller(parameters, saved);
	const first = await p.poll();
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	sandbox.clearRequests();
	return p;
}

const summary = (items: INodeExecutionData[] | null) =>
	(items ?? []).map(({ json }) => [json.event, json.conversationId, json.messageId ?? null, json.text ?? null]);

const requests = () => sandbox.requestsFor('livechatai').map((r) => `${r.method} ${r.path}${r.method === 'GET' && r.path === '/conversations' ? ` page=${r.query.page}` : ''}`);

test('the first poll after activation only notes "now": one list call, nothing emitted, no history', async () => {
	const p = await poller();
	const first = await p.poll();
	expect(first.items).toBeNull();
	const calls = sandbox.requestsFor('livechatai');
	expect(calls).toHaveLength(1);
	expect(calls[0]).toMatchObject({ method: 'GET', path: '/conversations', query: { agentId: SUPPORT, sort: 'desc', page: '1', perPage: '100' } });
	expect(calls[0].headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
	// and the next poll, nothing having happened, is one list call again, quiet
	sandbox.clearRequests();
	expect((await p.poll()).items).toBeNull();
	expect(requests()).toEqual(['GET /conversations page=1']);
});

test('a customer message: emitted once as a normalized chat event, details fetched for that conversation only', async () => {
	const p = await activated();
	later();
	const message = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'Is my order shipped?');
	later();
	sandbox.livechatai.aiAnswer(LIVECHATAI_CONVERSATION_IDS.main);

	const { items } = await p.poll();
	expect(requests()).toEqual(['GET /conversations page=1', `GET /conversations/${LIVECHATAI_CONVERSATION_IDS.main}`]);
	expect(items).toHaveLength(1);
	expect(items![0].json).toMatchObject({
		provider: 'livechatai',
		event: 'newCustomerMessage',
		conversationId: LIVECHATAI_CONVERSATION_IDS.main,
		messageId: message.id,
		text: 'Is my order shipped?',
		messageType: 'TEXT',
		sender: { type: 'customer', id: 'contact_1234567890', name: 'Alice Martin' },
		createdAt: message.createdAt,
		contact: { id: 'contact_1234567890', name: 'Alice Martin', email: 'alice@example.com', distinctId: 'user-001' },
		// what n8n's AI Agent and its memory read by default
		sessionId: `livechatai:${LIVECHATAI_CONVERSATION_IDS.main}`,
		chatInput: 'Is my order shipped?',
	});
	const raw = items![0].json.raw as IDataObject;
	expect((raw.message as IDataObject).id).toBe(message.id);
	expect(((raw.conversation as IDataObject).messages as IDataObject[]).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

	sandbox.clearRequests();
	expect((await p.poll()).items).toBeNull();
	expect(requests()).toEqual(['GET /conversations page=1']);
});

test('a new conversation, a handoff, a human reply and a close: each event once, oldest first, across polls', async () => {
	const p = await activated();
	later();
	const chat = sandbox.livechatai.startConversation(SUPPORT, { text: 'Hello, I need help', integrationType: 'WHATSAPP', name: 'Zoe Web' });
	const first = sandbox.livechatai.messagesOf(chat.id)[0];
	later();
	const second = sandbox.livechatai.customerMessage(chat.id, 'My invoice is wrong');

	let result = await p.poll();
	expect(summary(result.items)).toEqual([
		['newConversation', chat.id, first.id, 'Hello, I need help'],
		['newCustomerMessage', chat.id, first.id, 'Hello, I need help'],
		['newCustomerMessage', chat.id, second.id, 'My invoice is wrong'],
	]);
	expect(result.items![0].json.contact).toMatchObject({ name: 'Zoe Web' });

	// the customer asks for a human: the request and the handoff
	later();
	sandbox.livechatai.requestHuman(chat.id, 'I want to talk to a person');
	result = await p.poll();
	expect(summary(result.items)).toEqual([
		['newCustomerMessage', chat.id, expect.any(String), 'I want to talk to a person'],
		['humanRequested', chat.id, expect.any(String), 'I want to talk to a person'],
	]);
	const handoff = result.items![1].json;
	// a handoff carries the customer's request as the AI Agent's input, in the conversation's session
	expect(handoff).toMatchObject({ sessionId: `livechatai:${chat.id}`, chatInput: 'I want to talk to a person' });
	expect(result.items![0].json.chatInput).toBe('I want to talk to a person');
	expect((handoff.raw as IDataObject).conversation).toMatchObject({ id: chat.id, isAgent: true, integrationType: 'WHATSAPP' });
	expect(((handoff.raw as IDataObject).conversation as IDataObject).messages).toHaveLength(4);

	// a human answers in LiveChatAI's inbox: not a customer message, not a new handoff
	later();
	sandbox.livechatai.humanReply(chat.id, 'Hi, Sam here');
	expect((await p.poll()).items).toBeNull();

	// closed in the product (lastMessageDate unchanged): seen from the list, no details needed
	later();
	sandbox.livechatai.closeConversation(chat.id);
	sandbox.clearRequests();
	result = await p.poll();
	expect(summary(result.items)).toEqual([['conversationClosed', chat.id, null, null]]);
	expect(result.items![0].json).toMatchObject({ sessionId: `livechatai:${chat.id}` });
	expect(result.items![0].json).not.toHaveProperty('chatInput');
	expect(requests()).toEqual(['GET /conversations page=1']);
	expect((await p.poll()).items).toBeNull();
});

test('a handoff without a message (isAgent turns true on an existing conversation) is one Human Requested with the history', async () => {
	const p = await activated({ events: ['humanRequested'] });
	later();
	sandbox.livechatai.requestHuman(LIVECHATAI_CONVERSATION_IDS.main);
	const { items } = await p.poll();
	expect(summary(items)).toEqual([['humanRequested', LIVECHATAI_CONVERSATION_IDS.main, 'msg_1000000001', 'What are your business hours?']]);
	expect(((items![0].json.raw as IDataObject).conversation as IDataObject).messages).toHaveLength(2);
	expect((await p.poll()).items).toBeNull();
});

test('a burst bigger than one page: every conversation once, none lost at the page boundary, all with the same timestamp', async () => {
	const p = await activated({ events: ['newConversation'] });
	later();
	// 130 conversations in the same millisecond (LiveChatAI sorts equal dates by ID)
	const started = Array.from({ length: 130 }, (_, i) => sandbox.livechatai.startConversation(SUPPORT, { text: `burst ${i}`, answer: false }).id);
	const { items } = await p.poll();
	expect(items!.map(({ json }) => json.conversationId).sort()).toEqual([...started].sort());
	const lists = sandbox.requestsFor('livechatai', 'GET', '/conversations');
	expect(lists.map((r) => r.query.page)).toEqual(['1', '2']);
	expect(sandbox.requestsFor('livechatai', 'GET', /^\/conversations\/chat_/)).toHaveLength(130);

	sandbox.clearRequests();
	expect((await p.poll()).items).toBeNull();
	// the two pages are still "recent" (same time as the cursor), but nothing changed: no details
	expect(sandbox.requestsFor('livechatai', 'GET', /^\/conversations\/chat_/)).toHaveLength(0);
});

test('equal timestamps and late writes across polls: nothing missed, nothing twice', async () => {
	const p = await activated({ events: ['newCustomerMessage'] });
	later();
	const a = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'A at t');
	expect(summary((await p.poll()).items)).toEqual([['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.main, a.id, 'A at t']]);

	// another conversation gets a message with exactly the same timestamp, after that poll
	const b = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.whatsapp, 'B at t');
	// and one written with a clock 2 minutes behind (skew between LiveChatAI's servers)
	const c = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.slack, 'C 2 min earlier', new Date(now - 120_000).toISOString());
	expect(summary((await p.poll()).items)).toEqual([
		['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.slack, c.id, 'C 2 min earlier'],
		['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.whatsapp, b.id, 'B at t'],
	]);

	// the same conversation again in the same millisecond as its last message: seen with its next message (late, not lost)
	const d = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'D at t too');
	expect((await p.poll()).items).toBeNull();
	later();
	const e = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'E later');
	expect(summary((await p.poll()).items)).toEqual([
		['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.main, d.id, 'D at t too'],
		['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.main, e.id, 'E later'],
	]);
	expect((await p.poll()).items).toBeNull();
});

test('n8n restarts after polls that emitted nothing (their state was never saved): the window is repeated, nothing twice', async () => {
	const saved: IDataObject = {};
	const p = await activated({ events: ['newCustomerMessage'] }, saved);
	later();
	const m1 = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'one');
	const r1 = await p.poll();
	expect(summary(r1.items)).toEqual([['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.main, m1.id, 'one']]);
	expect(r1.saved).toBe(true);
	// an AI answer only: nothing emitted, so n8n saves nothing
	later();
	sandbox.livechatai.aiAnswer(LIVECHATAI_CONVERSATION_IDS.main);
	const r2 = await p.poll();
	expect(r2).toMatchObject({ items: null, saved: false });
	p.restart();
	expect((await p.poll()).items).toBeNull();
	later();
	const m2 = sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'two');
	expect(summary((await p.poll()).items)).toEqual([['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.main, m2.id, 'two']]);
});

test('messages this workflow’s LiveChatAI node sent are skipped (Send Message, Reply as Human), in this process and after a restart', async () => {
	const saved: IDataObject = {};
	const p = await activated({}, saved);
	const runAction = async (parameters: IDataObject) =>
		await runWorkflow({
			nodeTypes: liveChatAiNodeTypes,
			credentialTypes: liveChatAiCredentialTypes,
			credentials: liveChatAiCredentials(sandbox),
			nodes: [{ type: START_NODE_TYPE }, { name: 'LiveChatAI', type: LIVECHATAI_TYPE, parameters: parameters as INodeParameters }],
			staticData: saved,
			mode: 'trigger',
		});
	later();
	const sent = await runAction({ resource: 'conversation', operation: 'sendMessage', agentId: agentById(SUPPORT), question: 'Relayed from Digishare' });
	expect(sent.error).toBeUndefined();
	const conversationId = sent.output('LiveChatAI')[0].json.conversationId as string;
	later();
	const replied = await runAction({ resource: 'conversation', operation: 'reply', conversationId: LIVECHATAI_CONVERSATION_IDS.main, message: 'From Omnidesk', userId: LIVECHATAI_USER_IDS.owner });
	expect(replied.error).toBeUndefined();
	// the reply turned main to a human (isAgent) — not a handoff the customer asked for
	expect(sandbox.livechatai.conversation(LIVECHATAI_CONVERSATION_IDS.main)!.isAgent).toBe(true);
	expect((await p.poll()).items).toBeNull();

	// a real customer still comes through
	later();
	const real = sandbox.livechatai.customerMessage(conversationId, 'A real follow-up');
	expect(summary((await p.poll()).items)).toEqual([['newCustomerMessage', conversationId, real.id, 'A real follow-up']]);

	// another process (n8n restarted; or main after the workers saved): the IDs come from the workflow's saved data
	forgetOwnMessagesInThisProcess();
	p.restart();
	later();
	await runAction({ resource: 'conversation', operation: 'sendMessage', agentId: agentById(SUPPORT), question: 'Relayed again', conversationId });
	forgetOwnMessagesInThisProcess();
	p.restart();
	expect((await p.poll()).items).toBeNull();
});

test('Include Own Messages: what the node sent is emitted too', async () => {
	const p = await activated({ events: ['newConversation', 'newCustomerMessage'], options: { includeOwnMessages: true } });
	later();
	const sent = await runWorkflow({
		nodeTypes: liveChatAiNodeTypes,
		credentialTypes: liveChatAiCredentialTypes,
		credentials: liveChatAiCredentials(sandbox),
		nodes: [{ type: START_NODE_TYPE }, { name: 'LiveChatAI', type: LIVECHATAI_TYPE, parameters: { resource: 'conversation', operation: 'sendMessage', agentId: agentById(SUPPORT), question: 'Mine' } }],
	});
	const { messageId, conversationId } = sent.output('LiveChatAI')[0].json;
	expect(summary((await p.poll()).items)).toEqual([
		['newConversation', conversationId, messageId, 'Mine'],
		['newCustomerMessage', conversationId, messageId, 'Mine'],
	]);
});

test('filters: channel (integration type) on the client, inbox as LiveChatAI’s `type`', async () => {
	const p = await activated({ events: ['newConversation'], filters: { channels: ['WHATSAPP'], inbox: 'unassigned' } });
	later();
	const web = sandbox.livechatai.startConversation(SUPPORT, { text: 'web' });
	const wa = sandbox.livechatai.startConversation(SUPPORT, { text: 'wa', integrationType: 'WHATSAPP' });
	const { items } = await p.poll();
	expect(summary(items)).toEqual([['newConversation', wa.id, expect.any(String), 'wa']]);
	expect(web.id).not.toBe(wa.id);
	for (const r of sandbox.requestsFor('livechatai', 'GET', '/conversations')) expect(r.query.type).toBe('unassigned');
});

test('"Fetch Test Event" shows the latest real event and changes nothing: the first real poll is still quiet', async () => {
	const saved: IDataObject = {};
	const p = await poller({ events: ['newCustomerMessage'] }, saved);
	const test1 = await p.fetchTestEvent();
	// the newest support conversation is `latest`, its last customer message the seed question
	expect(summary(test1.items)).toEqual([['newCustomerMessage', LIVECHATAI_CONVERSATION_IDS.latest, expect.any(String), expect.any(String)]]);
	expect(saved).toEqual({});
	expect((await p.poll()).items).toBeNull();
});

test('errors name LiveChatAI’s message, never the API key', async () => {
	const p = await poller();
	sandbox.livechatai.apiKeys.clear();
	const { error } = await p.poll();
	expect(error?.message).toBe('LiveChatAI: Invalid API key');
	expect(JSON.stringify(error)).not.toContain(LIVECHATAI_API_KEY);
	const noAgent = await poller({ agentId: agentById('') });
	expect((await noAgent.poll()).error?.message).toMatch(/^Agent: /);
});
