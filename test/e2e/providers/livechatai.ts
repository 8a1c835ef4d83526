/**
 * LiveChatAI in a real n8n: its credential test; examples/digishare-livechatai-auto-reply.json
 * driven through the Digishare Trigger's production URL: the AI's answer reaches the customer in
 * the same conversation, and the AI conversation continues across that conversation's messages
 * (the package memory: the conversation key in the workflow's data, and one start per n8n process
 * for messages that arrive together); and examples/livechatai-omnidesk-handoff.json driven by
 * n8n's own polls of the LiveChatAI Trigger (sandbox conversations) and the Omnidesk Trigger's
 * production hookpoint URL: a customer asking for a human reaches Omnidesk with the AI
 * conversation, the agent's reply lands in the same LiveChatAI conversation and is never picked up
 * again, the customer's next message reaches the same Omnidesk chat.
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_HOURS_ANSWER,
	LIVECHATAI_USER_IDS,
	OMNIDESK_API_KEY,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	type RecordedRequest,
	type Sandbox,
} from '../../sandbox';
import { credentialRefusal, deliver, eventually, executions, nodeOutput, waitForExecutions, webhookBase, type ExecutionSummary, type WorkflowFile } from '../context';
import type { ProviderE2E } from '../provider-spec';

let sequence = 0;
function customerSays(text: string, conversationId: string = DIGISHARE_CONVERSATION_IDS.active) {
	return {
		event: 'live_chat.new_message',
		data: {
			id: `e2e-lc-${Date.now()}-${++sequence}`,
			data: { conversation_id: conversationId, body: text, type: 'text', send_to_third: false, system: false, sender: { model_type: 'third', name: 'Adil Chbada' } },
		},
	};
}

const asks = (sandbox: Sandbox): RecordedRequest[] => sandbox.requestsFor('livechatai', 'POST', '/conversations');

async function answered(sandbox: Sandbox, count: number): Promise<RecordedRequest[]> {
	return await eventually(`${count} replies in Digishare`, () => {
		const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
		return replies.length >= count ? replies : undefined;
	});
}

// ---- examples/livechatai-omnidesk-handoff.json

const TRIGGER = 'Customer asks for a human';
const HANDOFF_LOG = 'LiveChatAI conversation handed over to a human.';
/**
 * Poll Times for the handoff example, as a user sets them in the editor (Poll Times → Add Poll
 * Time → Custom, one entry per second below): n8n refuses an entry that fires more than once a
 * minute (n8n 2.x: a seconds field other than one number; 1.x: a `*` in it), each entry is checked
 * on its own, and n8n registers one cron per entry: a poll every 5 s instead of one a minute.
 */
const POLL_SECONDS = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55];
/** A step waits for n8n's next poll (≤ 5 s apart), then for the execution it starts (a worker in queue mode). */
const NEXT_POLL_MS = 45000;

function nodeOf(file: WorkflowFile, name: string) {
	const node = file.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`${file.name} has no node "${name}"`);
	return node;
}

/** The handoff's LiveChatAI conversation, shared by the scenarios (they run in order). */
const handoff: { chatId?: string; sessionId?: string; replySeq?: number } = {};
const sessionOf = (chatId: string) => chatId.replace(/_/g, '-');
const omnideskSends = (sandbox: Sandbox) =>
	sandbox
		.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')
		.map((request) => ({ seq: request.seq, fields: (request.body as { fields: Record<string, string> }).fields }));
/** What the LiveChatAI Trigger emitted in an execution (its output items' events and texts). */
const triggerEvents = (execution: ExecutionSummary) =>
	nodeOutput(execution, TRIGGER).map((item) => ({ event: item.event, conversationId: item.conversationId, text: item.text }));
/** Finished executions of the workflow started by the LiveChatAI Trigger's polls, oldest first. */
async function pollExecutions(workflowId: string): Promise<ExecutionSummary[]> {
	const list = await executions(workflowId);
	return list
		.filter((execution) => execution.status !== 'running' && execution.status !== 'new' && execution.data?.resultData.runData[TRIGGER])
		.reverse();
}
/** Waits until `count` executions started by the trigger's polls have finished; oldest first. */
async function pollExecutionsDone(workflowId: string, count: number): Promise<ExecutionSummary[]> {
	return await eventually(`${count} finished execution(s) started by the LiveChatAI Trigger`, async () => {
		const list = await pollExecutions(workflowId);
		return list.length >= count ? list : undefined;
	});
}
/** A poll of the trigger that read this conversation (GET /conversations/{id}, answered) after request `afterSeq`. */
const readAfter = (sandbox: Sandbox, chatId: string, afterSeq: number) =>
	sandbox.requestsFor('livechatai', 'GET', `/conversations/${chatId}`).find((request) => request.seq > afterSeq && request.response.status === 200);

export const provider: ProviderE2E = {
	name: 'LiveChatAI',
	credentials: [
		{
			key: 'livechatai',
			type: 'liveChatAiApi',
			name: 'LiveChatAI sandbox',
			data: (sandbox) => ({ apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') }),
		},
		{
			key: 'digishare',
			type: 'digishareApi',
			name: 'Digishare sandbox (for the AI auto-reply)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
		{
			key: 'omnidesk',
			type: 'omnideskApi',
			name: 'Omnidesk sandbox (for the LiveChatAI handoff)',
			data: (sandbox) => ({
				baseUrl: sandbox.baseUrl('omnidesk'),
				apiKey: OMNIDESK_API_KEY,
				chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
				chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
				chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
			}),
		},
	],
	credentialTests: [
		{
			title: 'LiveChatAI API with a valid key: OK, after listing agents with the key',
			credential: 'livechatai',
			expect: { status: 'OK' },
			verify: (sandbox) => {
				const [request] = sandbox.requestsFor('livechatai', 'GET', '/agents');
				expect(request?.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
			},
		},
		{
			title: 'LiveChatAI API with a wrong key: Error saying LiveChatAI refused the key (401)',
			credential: {
				type: 'liveChatAiApi',
				name: 'LiveChatAI sandbox (wrong key)',
				data: (sandbox) => ({ apiKey: 'lcai_wrong_000000', baseUrl: sandbox.baseUrl('livechatai') }),
			},
			expect: { status: 'Error', message: credentialRefusal('lcai_wrong_000000', 'LiveChatAI refused the API key (401)') },
		},
	],
	examples: [
		{
			file: 'digishare-livechatai-auto-reply.json',
			credentials: { digishareApi: 'digishare', liveChatAiApi: 'livechatai' },
			// The example asks the user to pick their AI agent; pick the sandbox's.
			prepare: (file) => {
				const ask = file.nodes.find((node) => node.type === 'n8n-nodes-livechat-bridge.liveChatAi');
				if (!ask) throw new Error('the example has no LiveChatAI node');
				ask.parameters.agentId = { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support };
			},
			scenarios: [
				{
					title: "a customer's question is answered by the AI agent in the same Digishare conversation",
					run: async ({ sandbox, workflow }) => {
						const answer = await deliver(workflow.webhook('Customer message', 'webhook'), customerSays('What are your business hours?'));
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
						const [reply] = await answered(sandbox, 1);
						expect(reply.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
						expect(reply.body).toEqual({
							conversation_id: DIGISHARE_CONVERSATION_IDS.active,
							type: 'text',
							body: LIVECHATAI_HOURS_ANSWER,
							send_to_third: true,
						});
						const [ask] = asks(sandbox);
						expect(ask.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
						expect(ask.body).toEqual({
							question: 'What are your business hours?',
							agentId: LIVECHATAI_AGENT_IDS.support,
							responseFormat: 'PLAIN',
							integrationType: 'WHATSAPP',
						});
					},
				},
				{
					title: "the next message of that conversation continues the AI conversation; another Digishare conversation starts its own",
					run: async ({ sandbox, workflow }) => {
						await waitForExecutions(workflow.id, 1);
						const url = workflow.webhook('Customer message', 'webhook');
						await deliver(url, customerSays('And on Saturday?'));
						await answered(sandbox, 2);
						await deliver(url, customerSays('Hello', DIGISHARE_CONVERSATION_IDS.assigned));
						const replies = await answered(sandbox, 3);
						const [first, second, third] = asks(sandbox);
						const aiConversation = (first.response.body as { data: { conversationId: string } }).data.conversationId;
						expect((second.body as { conversationId?: string }).conversationId).toBe(aiConversation);
						expect((third.body as { conversationId?: string }).conversationId).toBeUndefined();
						expect((replies[2].body as { conversation_id: string }).conversation_id).toBe(DIGISHARE_CONVERSATION_IDS.assigned);
					},
				},
				{
					title: 'five messages of a new conversation posted at once start ONE AI conversation (the package memory: one start per n8n process)',
					run: async ({ sandbox, workflow }) => {
						await waitForExecutions(workflow.id, 3);
						const before = asks(sandbox).length;
						sandbox.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', delayMs: 300, times: 1 });
						const url = workflow.webhook('Customer message', 'webhook');
						const burst = [1, 2, 3, 4, 5].map((n) => customerSays(`Burst message ${n}`, DIGISHARE_CONVERSATION_IDS.archived));
						const answers = await Promise.all(burst.map((message) => deliver(url, message)));
						expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
						await answered(sandbox, 8);
						const burstAsks = asks(sandbox).slice(before).map((request) => (request.body as { conversationId?: string }).conversationId ?? null);
						expect(burstAsks).toHaveLength(5);
						const started = burstAsks.filter((id) => id === null);
						expect(started).toHaveLength(1);
						expect(new Set(burstAsks.filter((id) => id !== null)).size).toBe(1);
					},
				},
				{
					title: 'every execution succeeded, one per customer message',
					run: async ({ workflow }) => {
						const list = await waitForExecutions(workflow.id, 8);
						expect(list).toHaveLength(8);
						expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
					},
				},
			],
		},
		{
			file: 'livechatai-omnidesk-handoff.json',
			credentials: { liveChatAiApi: 'livechatai', omnideskApi: 'omnidesk' },
			// The example leaves the agent, the workspace user the replies are sent as and the Poll
			// Times to the user; pick the sandbox's agent and user, and a poll every 5 s (POLL_SECONDS).
			prepare: (file) => {
				const trigger = nodeOf(file, TRIGGER);
				trigger.parameters.agentId = { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support };
				trigger.parameters.pollTimes = { item: POLL_SECONDS.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };
				nodeOf(file, 'Reply in LiveChatAI').parameters.userId = LIVECHATAI_USER_IDS.agent;
			},
			scenarios: [
				{
					title: "n8n's first poll after activation only notes where \"now\" is; a new AI chat is emitted by a later poll as New Customer Message and, the AI handling it, goes nowhere",
					run: async ({ sandbox, workflow }) => {
						// The activation poll has answered: what the sandbox gets from now on is new to the trigger.
						await eventually('the LiveChatAI Trigger\'s first poll (GET /conversations)', () =>
							sandbox.requestsFor('livechatai', 'GET', '/conversations').find((request) => request.query.agentId === LIVECHATAI_AGENT_IDS.support && request.response.status === 200),
						NEXT_POLL_MS);
						expect(await pollExecutions(workflow.id)).toEqual([]);
						const chat = sandbox.livechatai.startConversation(LIVECHATAI_AGENT_IDS.support, { text: 'My parcel never arrived', name: 'Nora Web' });
						handoff.chatId = chat.id;
						handoff.sessionId = sessionOf(chat.id);
						const [first] = await eventually('an execution of the AI chat\'s poll', async () => {
							const list = await pollExecutions(workflow.id);
							return list.length ? list : undefined;
						}, NEXT_POLL_MS);
						expect(triggerEvents(first)).toEqual([{ event: 'newCustomerMessage', conversationId: chat.id, text: 'My parcel never arrived' }]);
						expect(first.status).toBe('success');
						expect(first.data?.resultData.runData['Hand over to Omnidesk']).toBeUndefined();
						expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
					},
				},
				{
					title: "the customer asks for a human: the next poll's Human Requested opens the Omnidesk chat (chatServer: the Omnidesk Trigger's production hookpoint URL) with the whole AI conversation",
					run: async ({ sandbox, workflow }) => {
						const chatId = handoff.chatId!;
						sandbox.livechatai.requestHuman(chatId, 'I want to talk to a person');
						const sent = await eventually('the request and the handoff in Omnidesk', () => {
							const list = omnideskSends(sandbox);
							return list.length >= 2 ? list : undefined;
						}, NEXT_POLL_MS);
						// oldest first: the request message, then the handoff with the chatbot log
						expect(sent.map(({ fields }) => fields)).toEqual([
							expect.objectContaining({
								chatSessionID: handoff.sessionId,
								chatServer: `${webhookBase()}/webhook/${workflow.node('Agent side').webhookId}/hookpoint`,
								message: 'I want to talk to a person',
							}),
							expect.objectContaining({
								chatSessionID: handoff.sessionId,
								message: [
									HANDOFF_LOG,
									'',
									'Customer: My parcel never arrived',
									'AI agent: You asked: **My parcel never arrived**',
									'Customer: I want to talk to a person',
								].join('\n'),
							}),
						]);
						const [handover] = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage');
						expect(handover.headers.apikey).toBe(OMNIDESK_API_KEY);
						const list = await pollExecutionsDone(workflow.id, 2);
						expect(list).toHaveLength(2);
						expect(triggerEvents(list[1]).map(({ event }) => event)).toEqual(['newCustomerMessage', 'humanRequested']);
					},
				},
				{
					title: "the Omnidesk agent's reply, posted as Omnidesk does to {chatServer}/messageForCustomer, arrives as Reply as Human Agent in the same LiveChatAI conversation",
					run: async ({ sandbox }) => {
						const chatId = handoff.chatId!;
						const answer = await sandbox.omnidesk.agentReply(handoff.sessionId!, 'Hello Nora, Eva here. Let me check.', { name: 'Eva' });
						expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'ok' });
						const reply = await eventually('the reply in LiveChatAI', () =>
							sandbox.requestsFor('livechatai', 'POST', `/conversations/${chatId}/reply`).find((request) => request.response.status === 200),
						);
						expect(reply.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
						expect(reply.body).toEqual({ message: 'Hello Nora, Eva here. Let me check.', userId: LIVECHATAI_USER_IDS.agent, messageType: 'TEXT' });
						expect(sandbox.livechatai.messagesOf(chatId).at(-1)).toMatchObject({ role: 'agent', content: 'Hello Nora, Eva here. Let me check.', userId: LIVECHATAI_USER_IDS.agent });
						handoff.replySeq = reply.seq;
					},
				},
				{
					title: "the next poll reads the reply and emits nothing; the customer's follow-up reaches the same Omnidesk chat, and only it",
					run: async ({ sandbox, workflow }) => {
						const chatId = handoff.chatId!;
						// n8n's next poll has read the conversation with the reply in it…
						await eventually('a poll that read the conversation after the reply', () => readAfter(sandbox, chatId, handoff.replySeq!), NEXT_POLL_MS);
						const sentBefore = omnideskSends(sandbox).length;
						// …and a later customer message is the marker: polls run one after the other, so
						// anything the reply had started would show up before the follow-up's effect.
						sandbox.livechatai.customerMessage(chatId, 'Thanks, order 4711');
						await eventually('the follow-up in Omnidesk', () => omnideskSends(sandbox).find(({ fields }) => fields.message === 'Thanks, order 4711'), NEXT_POLL_MS);
						expect(omnideskSends(sandbox).slice(sentBefore).map(({ fields }) => fields)).toEqual([
							expect.objectContaining({ chatSessionID: handoff.sessionId, message: 'Thanks, order 4711' }),
						]);
						const list = await pollExecutionsDone(workflow.id, 3);
						expect(list.map(triggerEvents)).toEqual([
							[expect.objectContaining({ event: 'newCustomerMessage', text: 'My parcel never arrived' })],
							[expect.objectContaining({ event: 'newCustomerMessage' }), expect.objectContaining({ event: 'humanRequested' })],
							[{ event: 'newCustomerMessage', conversationId: chatId, text: 'Thanks, order 4711' }],
						]);
					},
				},
				{
					title: 'every execution of the example succeeded: three polls that emitted, one agent reply',
					run: async ({ workflow }) => {
						const expected = 4;
						const list = await eventually(`${expected} finished executions`, async () => {
							const all = await executions(workflow.id);
							return all.length >= expected && all.every((execution) => execution.status !== 'running' && execution.status !== 'new') ? all : undefined;
						});
						expect(list).toHaveLength(expected);
						expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
					},
				},
			],
		},
	],
};
