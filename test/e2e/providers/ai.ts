/**
 * n8n's AI Agent conversing through the package's triggers, in a real n8n (regular and queue mode,
 * n8n 2.x and 1.x, the AI nodes as each version ships them), against the sandbox's OpenAI-compatible
 * model: every trigger type → AI Agent with its defaults (prompt from `chatInput`, memory session
 * from `sessionId`) → a reply the provider sandbox receives; two turns of one conversation (the
 * second model request carries the first), a second conversation that does not; a tool call that
 * reaches the provider with the model's arguments and whose result goes back to the model.
 * examples/digishare-ai-agent.json and examples/liveperson-agent-assist.json run as users import
 * them; the Omnidesk and LiveChatAI triggers run in workflows made here.
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_USER_IDS,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	OMNIDESK_API_KEY,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	OPENAI_API_KEY,
	type OpenAIChatRequest,
	type Sandbox,
} from '../../sandbox';
import { deliver, digishareGot, e2eState, eventually, executions, type WorkflowFile } from '../context';
import { digishareCustomerMessage } from '../payloads';
import { EVERY_5_SECONDS, NEXT_POLL_MS, credentialRef, nodeMaker, type NodeSketch } from '../workflow-parts';
import type { ProviderE2E } from '../provider-spec';

const CONVERSATION_A = DIGISHARE_CONVERSATION_IDS.active;
const CONVERSATION_B = DIGISHARE_CONVERSATION_IDS.assigned;

const customerSays = (conversationId: string, text: string) => digishareCustomerMessage(text, conversationId);

/** The model request whose last user message is `text`. */
async function modelAsked(sandbox: Sandbox, text: string): Promise<OpenAIChatRequest> {
	return await eventually(`a model request ending with the user message "${text}"`, () =>
		sandbox.openai.chatRequests().find((request) => {
			const users = request.messages.filter((message) => message.role === 'user');
			return users.length > 0 && users[users.length - 1].content === text;
		}),
	);
}

/** The conversation a model request carried: user and assistant texts, in order. */
const turns = (request: OpenAIChatRequest) =>
	request.messages.filter((message) => message.role === 'user' || (message.role === 'assistant' && message.content)).map((message) => `${message.role}: ${message.content}`);

const isQueueMode = () => e2eState().queue === true;

/**
 * The choice the examples leave to queue-mode users (README, AI agents): n8n's simple memory lives
 * in one process, so with workers the memory node becomes n8n's Postgres Chat Memory on the
 * installation's PostgreSQL — with its defaults, the same `sessionId`.
 */
function memoryForThisMode(file: WorkflowFile): void {
	if (!isQueueMode()) return;
	const memory = file.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.memoryBufferWindow');
	if (!memory) throw new Error(`${file.name} has no simple memory node`);
	memory.type = '@n8n/n8n-nodes-langchain.memoryPostgresChat';
	memory.typeVersion = 1.3;
	memory.parameters = {};
	memory.credentials = { postgres: { id: 'postgresCredential', name: 'Postgres' } };
}

// ---------------------------------------------------------------------------------------------
// Workflows made here: the Omnidesk and LiveChatAI triggers → AI Agent with its defaults → reply
// ---------------------------------------------------------------------------------------------



function agentWorkflow(name: string, trigger: NodeSketch, reply: NodeSketch): WorkflowFile {
	const node = nodeMaker('d9c30000-0000-4000-8000-');
	return {
		name,
		nodes: [
			node(trigger, 1),
			// Every parameter at its default: the prompt is `chatInput`, the memory's session `sessionId`.
			node({ name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3 }, 2),
			node(
				{
					name: 'OpenAI Chat Model',
					type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
					typeVersion: 1.2,
					parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: {} },
					credentials: credentialRef('openAiApi'),
				},
				3,
			),
			node({ name: 'Simple Memory', type: '@n8n/n8n-nodes-langchain.memoryBufferWindow', typeVersion: 1.3 }, 4),
			node(reply, 5),
		],
		connections: {
			[trigger.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Simple Memory': { ai_memory: [[{ node: 'AI Agent', type: 'ai_memory', index: 0 }]] },
			'AI Agent': { main: [[{ node: reply.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowFile;
}


const liveChatAiState: { chatId?: string } = {};

// ---------------------------------------------------------------------------------------------

export const provider: ProviderE2E = {
	name: 'AI agents',
	credentials: [
		{ key: 'openai', type: 'openAiApi', name: 'OpenAI sandbox', data: (sandbox) => ({ apiKey: OPENAI_API_KEY, url: sandbox.baseUrl('openai') }) },
		{ key: 'digishare', type: 'digishareApi', name: 'Digishare sandbox (AI)', data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }) },
		{
			key: 'omnidesk',
			type: 'omnideskApi',
			name: 'Omnidesk sandbox (AI)',
			data: (sandbox) => ({ baseUrl: sandbox.baseUrl('omnidesk'), apiKey: OMNIDESK_API_KEY, chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN, chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN }),
		},
		{
			key: 'liveperson',
			type: 'livePersonApi',
			name: 'LivePerson sandbox (AI)',
			data: (sandbox) => ({ accountId: LIVEPERSON_ACCOUNT_ID, authMode: 'app', clientId: LIVEPERSON_CLIENT_ID, clientSecret: LIVEPERSON_CLIENT_SECRET, domainApiUrl: sandbox.baseUrl('liveperson') }),
		},
		{ key: 'livechatai', type: 'liveChatAiApi', name: 'LiveChatAI sandbox (AI)', data: (sandbox) => ({ apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') }) },
		{
			key: 'postgres',
			type: 'postgres',
			name: 'Postgres (chat memory)',
			// Used in queue mode only; elsewhere a placeholder no node uses.
			data: () => {
				const pg = e2eState().postgres ?? { host: '127.0.0.1', port: 5432, database: 'n8n', user: 'n8n', password: 'unused' };
				return { host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: pg.password, ssl: 'disable' };
			},
		},
	],
	credentialTests: [
		{ title: 'OpenAI credential with the sandbox Base URL: OK', credential: 'openai', expect: { status: 'OK' } },
		{
			title: 'OpenAI credential with a wrong key: refused',
			credential: { type: 'openAiApi', name: 'OpenAI wrong key', data: (sandbox) => ({ apiKey: 'sk-wrong', url: sandbox.baseUrl('openai') }) },
			expect: { status: 'Error' },
		},
	],
	examples: [
		{
			file: 'digishare-ai-agent.json',
			credentials: { digishareApi: 'digishare', openAiApi: 'openai', omnideskApi: 'omnidesk', postgres: 'postgres' },
			prepare: (file) => memoryForThisMode(file),
			scenarios: [
				{
					title: "a customer's message → the AI Agent with its defaults (prompt = chatInput) → its answer in the same Digishare conversation; the model is offered the hand-over tool",
					run: async ({ sandbox, workflow }) => {
						const answer = await deliver(workflow.webhook('Customer message', 'webhook'), customerSays(CONVERSATION_A, 'Do you ship to Belgium?'));
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
						const request = await modelAsked(sandbox, 'Do you ship to Belgium?');
						expect(request.messages[0]).toMatchObject({ role: 'system' });
						expect(request.messages[0].content).toContain('customer service assistant');
						const tool = request.tools.find((candidate) => /hand/i.test(candidate.name));
						expect(tool?.description).toMatch(/^Hands this chat to a human agent in Omnidesk/);
						expect(JSON.stringify(tool?.parameters)).toContain('summary');
						const reply = await digishareGot(sandbox, 'You said: Do you ship to Belgium?', CONVERSATION_A);
						expect(reply.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
					},
				},
				{
					title: "the second turn of that conversation: the model request carries the first turn (memory keyed by sessionId)",
					run: async ({ sandbox, workflow }) => {
						await deliver(workflow.webhook('Customer message', 'webhook'), customerSays(CONVERSATION_A, 'And to Luxembourg?'));
						const request = await modelAsked(sandbox, 'And to Luxembourg?');
						expect(turns(request)).toEqual(['user: Do you ship to Belgium?', 'assistant: You said: Do you ship to Belgium?', 'user: And to Luxembourg?']);
						await digishareGot(sandbox, 'You said: And to Luxembourg?', CONVERSATION_A);
					},
				},
				{
					title: 'another conversation has its own memory: its model request carries nothing of the first',
					run: async ({ sandbox, workflow }) => {
						await deliver(workflow.webhook('Customer message', 'webhook'), customerSays(CONVERSATION_B, 'Hello, is anyone there?'));
						const request = await modelAsked(sandbox, 'Hello, is anyone there?');
						expect(turns(request)).toEqual(['user: Hello, is anyone there?']);
						await digishareGot(sandbox, 'You said: Hello, is anyone there?', CONVERSATION_B);
					},
				},
				{
					title: 'a tool call the node refuses (an empty summary) comes back to the model as the tool\'s answer, naming the field; the model answers the customer',
					run: async ({ sandbox, workflow }) => {
						const handOver = (request: OpenAIChatRequest) => request.tools.find((tool) => /hand/i.test(tool.name))!.name;
						sandbox.openai.script(
							(request) => ({ toolCall: { name: handOver(request), arguments: { summary: '' } } }),
							(request) => {
								const result = request.messages.filter((message) => message.role === 'tool').pop()?.content ?? '';
								return { reply: /Message/.test(result) && /error/i.test(result) ? 'The hand-over needs a summary: trying again later.' : `Unexpected tool result: ${result}` };
							},
						);
						await deliver(workflow.webhook('Customer message', 'webhook'), customerSays(CONVERSATION_B, 'Get me a person'));
						await digishareGot(sandbox, 'The hand-over needs a summary: trying again later.', CONVERSATION_B);
						expect(sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')).toHaveLength(0);
					},
				},
				{
					title: "the model calls the hand-over tool: Omnidesk gets the model's summary for this conversation (chatServer: this workflow's Omnidesk Trigger), the tool's result goes back to the model, its answer reaches the customer",
					run: async ({ sandbox, workflow }) => {
						const summary = 'Adil wants to return order 1234 and asks for a person.';
						sandbox.openai.script(
							(request) => ({ toolCall: { name: request.tools.find((tool) => /hand/i.test(tool.name))!.name, arguments: { summary } } }),
							{ reply: 'A colleague will answer you here in a moment.' },
						);
						await deliver(workflow.webhook('Customer message', 'webhook'), customerSays(CONVERSATION_A, 'I want to talk to a person'));
						const handover = await eventually('Omnidesk POST notifyUserNewChatMessage', () =>
							sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')[0],
						);
						expect((handover.body as { fields: Record<string, string> }).fields).toMatchObject({
							chatSessionID: CONVERSATION_A,
							message: summary,
							chatServer: expect.stringMatching(new RegExp(`/webhook/${workflow.node('Agent side').webhookId}/hookpoint$`)),
						});
						await digishareGot(sandbox, 'A colleague will answer you here in a moment.', CONVERSATION_A);
						const [, afterTool] = sandbox.openai.chatRequests().slice(-2);
						const result = afterTool.messages.find((message) => message.role === 'tool');
						expect(result?.content).toBeTruthy();
						expect(sandbox.openai.pending).toBe(0);
					},
				},
				{
					title: "the human agent's reply in Omnidesk reaches the customer",
					run: async ({ sandbox }) => {
						const answer = await sandbox.omnidesk.agentReply(CONVERSATION_A, 'Hello Adil, Eva here. Which item is it?', { name: 'Eva' });
						expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'ok' });
						await digishareGot(sandbox, 'Eva: Hello Adil, Eva here. Which item is it?', CONVERSATION_A);
					},
				},
				{
					title: 'every execution succeeded',
					run: async ({ workflow }) => {
						// five customer messages and the agent's reply
						const list = await eventually('6 finished executions', async () => {
							const all = await executions(workflow.id);
							return all.length >= 6 && all.every((execution) => execution.status !== 'running' && execution.status !== 'new') ? all : undefined;
						});
						expect(list.map((execution) => execution.status)).toEqual(['success', 'success', 'success', 'success', 'success', 'success']);
					},
				},
			],
		},
		{
			file: 'liveperson-agent-assist.json',
			credentials: { digishareApi: 'digishare', openAiApi: 'openai', livePersonApi: 'liveperson', postgres: 'postgres' },
			prepare: (file) => memoryForThisMode(file),
			scenarios: [
				{
					title: "the LivePerson agent's note → the AI Agent with its defaults (prompt = chatInput) → the reply the Digishare customer gets; a second note carries the first (session liveperson:<conversation>)",
					run: async ({ sandbox, workflow }) => {
						sandbox.liveperson.webhookUrl = workflow.webhook('Agent writes', 'webhook');
						await deliver(workflow.webhook('Customer message', 'webhook'), customerSays(CONVERSATION_A, 'My refund has not arrived'));
						const conversation = await eventually('the LivePerson conversation of the customer', () => sandbox.liveperson.openConversationOf(`digishare:${CONVERSATION_A}`));
						// The trigger passes only conversations an execution remembered (saved when it ends).
						await eventually('the hand-over execution finished', async () => {
							const list = await executions(workflow.id);
							return list.length === 1 && list[0].status === 'success';
						});
						sandbox.openai.script({ reply: 'Good news: your refund is approved and reaches you in 3 to 5 days.' });
						const first = await sandbox.liveperson.agentMessage(conversation.conversationId, 'refund ok, 3-5 days');
						expect(first.status).toBe(200);
						const request = await modelAsked(sandbox, 'refund ok, 3-5 days');
						expect(request.messages[0].content).toContain('You write the messages a customer receives');
						await digishareGot(sandbox, 'Good news: your refund is approved and reaches you in 3 to 5 days.', CONVERSATION_A);
						await sandbox.liveperson.agentMessage(conversation.conversationId, 'anything else?');
						const second = await modelAsked(sandbox, 'anything else?');
						expect(turns(second)).toEqual([
							'user: refund ok, 3-5 days',
							'assistant: Good news: your refund is approved and reaches you in 3 to 5 days.',
							'user: anything else?',
						]);
						await digishareGot(sandbox, 'You said: anything else?', CONVERSATION_A);
					},
				},
			],
		},
		{
			file: 'Omnidesk Trigger → AI Agent (defaults) → Digishare',
			workflow: () =>
				agentWorkflow(
					'Omnidesk Trigger → AI Agent',
					{ name: 'Omnidesk Trigger', type: 'n8n-nodes-livechat-bridge.omnideskTrigger', parameters: { hookpoints: ['messageForCustomer'] }, webhookId: 'd9c30000-7777-4aaa-8bbb-000000000001' },
					{
						name: 'Reply',
						type: 'n8n-nodes-livechat-bridge.digishare',
						parameters: { resource: 'message', operation: 'send', conversationId: "={{ $('Omnidesk Trigger').item.json.conversationId }}", messageType: 'text', text: '={{ $json.output }}' },
						credentials: credentialRef('digishareApi'),
					},
				),
			credentials: { digishareApi: 'digishare', openAiApi: 'openai', postgres: 'postgres' },
			prepare: (file) => memoryForThisMode(file),
			scenarios: [
				{
					title: "an Omnidesk agent's messages in two sessions: each answered in its conversation, the second turn of a session carries its first, the other session nothing",
					run: async ({ sandbox, workflow }) => {
						const chatServer = workflow.webhook('Omnidesk Trigger', 'hookpoint/messageForCustomer').replace(/\/messageForCustomer$/, '');
						const say = async (session: string, text: string) => {
							const answer = await sandbox.omnidesk.pushToChatServer(chatServer, 'messageForCustomer', { sessionID: session, message: text, name: 'Eva' }, { encoding: 'multipart' });
							expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'ok' });
						};
						await say(CONVERSATION_A, 'Hello from Omnidesk');
						await digishareGot(sandbox, 'You said: Hello from Omnidesk', CONVERSATION_A);
						await say(CONVERSATION_A, 'Second line');
						expect(turns(await modelAsked(sandbox, 'Second line'))).toEqual(['user: Hello from Omnidesk', 'assistant: You said: Hello from Omnidesk', 'user: Second line']);
						await say(CONVERSATION_B, 'Other chat');
						expect(turns(await modelAsked(sandbox, 'Other chat'))).toEqual(['user: Other chat']);
						await digishareGot(sandbox, 'You said: Other chat', CONVERSATION_B);
					},
				},
			],
		},
		{
			file: 'LiveChatAI Trigger → AI Agent (defaults) → Reply as Human Agent',
			workflow: () =>
				agentWorkflow(
					'LiveChatAI Trigger → AI Agent',
					{
						name: 'LiveChatAI Trigger',
						type: 'n8n-nodes-livechat-bridge.liveChatAiTrigger',
						parameters: { agentId: { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support }, events: ['newCustomerMessage'], pollTimes: EVERY_5_SECONDS, filters: {}, options: {} },
						credentials: credentialRef('liveChatAiApi'),
					},
					{
						name: 'Reply',
						type: 'n8n-nodes-livechat-bridge.liveChatAi',
						parameters: {
							resource: 'conversation',
							operation: 'reply',
							conversationId: "={{ $('LiveChatAI Trigger').item.json.conversationId }}",
							message: '={{ $json.output }}',
							userId: LIVECHATAI_USER_IDS.agent,
							messageType: 'TEXT',
						},
						credentials: credentialRef('liveChatAiApi'),
					},
				),
			credentials: { liveChatAiApi: 'livechatai', openAiApi: 'openai', postgres: 'postgres' },
			prepare: (file) => memoryForThisMode(file),
			scenarios: [
				{
					title: "a LiveChatAI customer's two messages, emitted by n8n's polls: each answered as a human reply in the conversation, the second model request carries the first turn",
					run: async ({ sandbox }) => {
						await eventually("the trigger's first poll", () => sandbox.requestsFor('livechatai', 'GET', '/conversations').find((request) => request.response.status === 200), NEXT_POLL_MS);
						const chat = sandbox.livechatai.startConversation(LIVECHATAI_AGENT_IDS.support, { text: 'Where is my parcel?', name: 'Nora Web' });
						liveChatAiState.chatId = chat.id;
						const replied = (text: string) =>
							eventually(`LiveChatAI reply "${text}"`, () => sandbox.livechatai.messagesOf(chat.id).find((message) => message.role === 'agent' && message.content === text), NEXT_POLL_MS);
						await replied('You said: Where is my parcel?');
						sandbox.livechatai.customerMessage(chat.id, 'It was due on Monday');
						const second = await modelAsked(sandbox, 'It was due on Monday');
						expect(turns(second)).toEqual(['user: Where is my parcel?', 'assistant: You said: Where is my parcel?', 'user: It was due on Monday']);
						await replied('You said: It was due on Monday');
					},
				},
			],
		},
	],
};
