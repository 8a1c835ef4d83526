/**
 * Send and Wait for Reply in a real n8n (regular and queue mode, n8n 2.x and 1.x):
 * examples/digishare-order-status.json as a user imports it — a customer's message gets the
 * question, the execution waits, the customer's answer resumes that execution (no new one), the
 * order is looked up at the sandbox's stand-in shop and answered; an answer delivered three times
 * resumes once; two customers waiting at once each get their own answer; n8n restarted while two
 * executions wait: the one whose wait limit passed goes on with the reminder, the other is resumed
 * by its customer's answer after the restart.
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
	type Sandbox,
} from '../../sandbox';
import {
	deliver,
	digishareGot,
	e2eState,
	eventually,
	executions,
	nodeOutput,
	productionUrlsOf,
	editorApi,
	restartN8n,
	type ExecutionSummary,
	type ImportedWorkflow,
	type WorkflowFile,
} from '../context';
import { digishareCustomerMessage } from '../payloads';
import { EVERY_5_SECONDS, NEXT_POLL_MS, credentialRef, nodeMaker, type NodeSketch } from '../workflow-parts';
import type { ProviderE2E } from '../provider-spec';

const TRIGGER = 'Digishare Trigger';
const ASK = 'Ask for the order number';
const A = DIGISHARE_CONVERSATION_IDS.active;
const B = DIGISHARE_CONVERSATION_IDS.assigned;
const C = DIGISHARE_CONVERSATION_IDS.archived;
const QUESTION = 'Hi Adil Chbada! What is your order number? (It looks like A-1001.)';
const REMINDER = 'Still there? Send me your order number any time and I will look it up.';
/** Asking with this text makes the wait limit 30 s (see prepare): due after n8n has restarted. */
const QUIET = 'Quiet customer';

const urlOf = (workflow: ImportedWorkflow) => workflow.webhook(TRIGGER, 'webhook');
const isN8n1Regular = () => e2eState().version.startsWith('1.') && !e2eState().queue;

const says = async (url: string, conversationId: string, text: string, id?: string) =>
	await deliver(url, digishareCustomerMessage(text, conversationId, id));

function messagesTo(sandbox: Sandbox, conversationId: string): string[] {
	return sandbox
		.requestsFor('digishare', 'POST', '/messages')
		.filter((request) => (request.body as { conversation_id?: unknown }).conversation_id === conversationId)
		.map((request) => String((request.body as { body?: unknown }).body));
}

/** The workflow's executions by status, as the editor's list shows them (n8n 1.x's public API leaves out waiting ones). */
async function byStatus(workflowId: string): Promise<Record<string, number>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const listed = await editorApi().ok<{ data: { results: Array<{ id: string; status: string }> } }>('GET', `/rest/executions?filter=${filter}&limit=100`);
	const all = new Map([...(await executions(workflowId)), ...listed.data.results].map((execution) => [String(execution.id), execution.status]));
	const counts: Record<string, number> = {};
	for (const status of all.values()) counts[status] = (counts[status] ?? 0) + 1;
	return counts;
}

/** Waits until the workflow's executions are exactly these, by status. */
async function executionsAre(workflowId: string, expected: Record<string, number>): Promise<void> {
	const sorted = (counts: Record<string, number>) => JSON.stringify(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
	let last: Record<string, number> = {};
	try {
		await eventually(`executions ${JSON.stringify(expected)}`, async () => {
			last = await byStatus(workflowId);
			return sorted(last) === sorted(expected);
		});
	} catch (error) {
		(error as Error).message += ` (last seen: ${JSON.stringify(last)})`;
		throw error;
	}
}

/** The execution whose Ask node asked in this conversation, once it has finished. */
async function finishedIn(workflowId: string, conversationId: string, text: string): Promise<ExecutionSummary> {
	return await eventually(`a finished execution answered by "${text}" in ${conversationId}`, async () =>
		(await executions(workflowId)).find(
			(execution) =>
				execution.status === 'success' && nodeOutput(execution, ASK).some((item) => item.conversationId === conversationId && item.text === text),
		),
	);
}


/**
 * A Digishare customer handed to a human in another provider, as one linear workflow: Digishare
 * Trigger → <provider> Send and Wait for Reply → the agent's answer back to the customer; the
 * provider's trigger, alone in the same workflow, receives the agent's messages and resumes.
 */
function handOverWorkflow(name: string, agentTrigger: NodeSketch, sendAndWait: NodeSketch): WorkflowFile {
	const node = nodeMaker('e5a10000-0000-4000-8000-');
	const answer =
		"={{ $json.replied ? 'Agent: ' + $json.text : ($json.ended ? 'The agent has closed this chat.' : 'No agent is free right now.') }}";
	return {
		name,
		nodes: [
			node({ name: TRIGGER, type: 'n8n-nodes-livechat-bridge.digishareTrigger', parameters: { events: ['live_chat.new_message'] }, webhookId: 'e5a10000-1111-4aaa-8bbb-000000000001' }, 1),
			node(sendAndWait, 2),
			node(
				{
					name: 'Answer the customer',
					type: 'n8n-nodes-livechat-bridge.digishare',
					parameters: { resource: 'message', operation: 'send', conversationId: `={{ $('${TRIGGER}').item.json.conversationId }}`, messageType: 'text', text: answer },
					credentials: credentialRef('digishareApi'),
				},
				3,
			),
			node(agentTrigger, 4),
		],
		connections: {
			[TRIGGER]: { main: [[{ node: sendAndWait.name, type: 'main', index: 0 }]] },
			[sendAndWait.name]: { main: [[{ node: 'Answer the customer', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowFile;
}

const LIVEPERSON_TEXT = 'Customer asks: Can I change my delivery address?';

/**
 * n8n 2.x's human-review tool made from the Digishare node (`digishareHitlTool`) gating the AI
 * Agent's hand-over tool: the approval question goes into the customer's conversation, the
 * customer's answer (through the Digishare Trigger) approves or declines the tool call.
 */
function humanReviewWorkflow(): WorkflowFile {
	const node = nodeMaker('e5a10000-0000-4000-8000-0000000005');
	return {
		name: 'Human review in the chat',
		nodes: [
			node({ name: TRIGGER, type: 'n8n-nodes-livechat-bridge.digishareTrigger', parameters: { events: ['live_chat.new_message'] }, webhookId: 'e5a10000-5555-4aaa-8bbb-000000000005' }, 1),
			node({ name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3, parameters: { options: {} } }, 2),
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
			node(
				{
					name: 'Hand over to a human',
					type: 'n8n-nodes-livechat-bridge.omnideskTool',
					parameters: {
						toolDescription: 'Hands this chat to a human agent in Omnidesk, with a summary of the conversation.',
						resource: 'chat',
						operation: 'sendMessage',
						chatSessionId: `={{ $('${TRIGGER}').item.json.conversationId }}`,
						message: "={{ $fromAI('summary', 'A short summary for the agent', 'string') }}",
					},
					credentials: credentialRef('omnideskApi'),
				},
				4,
			),
			node(
				{
					name: 'Ask the customer first',
					type: 'n8n-nodes-livechat-bridge.digishareHitlTool',
					webhookId: 'e5a10000-5555-4aaa-8bbb-0000000000a5',
					parameters: {
						message: 'May I hand you over to a colleague? Answer yes or no.',
						conversationId: `={{ $('${TRIGGER}').item.json.conversationId }}`,
						waitLimit: 10,
					},
					credentials: credentialRef('digishareApi'),
				},
				5,
			),
			node(
				{
					name: 'Reply',
					type: 'n8n-nodes-livechat-bridge.digishare',
					parameters: { resource: 'message', operation: 'send', conversationId: `={{ $('${TRIGGER}').item.json.conversationId }}`, messageType: 'text', text: '={{ $json.output }}' },
					credentials: credentialRef('digishareApi'),
				},
				6,
			),
			// Where the hand-over's chatServer comes from (and the agent's replies would arrive).
			node({ name: 'Agent side', type: 'n8n-nodes-livechat-bridge.omnideskTrigger', parameters: {}, webhookId: 'e5a10000-5555-4aaa-8bbb-000000000006' }, 7),
		],
		connections: {
			[TRIGGER]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Hand over to a human': { ai_tool: [[{ node: 'Ask the customer first', type: 'ai_tool', index: 0 }]] },
			'Ask the customer first': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'AI Agent': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowFile;
}


/** LiveChatAI Trigger → Send and Wait for Reply (as a human agent) → Reply as Human Agent. */
function liveChatAiWorkflow(): WorkflowFile {
	const node = nodeMaker('e5a10000-0000-4000-8000-0000000004', { credentials: credentialRef('liveChatAiApi') });
	return {
		name: 'LiveChatAI send and wait',
		nodes: [
			node(
				{
					name: 'LiveChatAI Trigger',
					type: 'n8n-nodes-livechat-bridge.liveChatAiTrigger',
					parameters: { agentId: { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support }, events: ['newCustomerMessage'], pollTimes: EVERY_5_SECONDS, filters: {}, options: {} },
				},
				1,
			),
			node(
				{
					name: 'Ask which order',
					type: 'n8n-nodes-livechat-bridge.liveChatAi',
					webhookId: 'e5a10000-4444-4aaa-8bbb-0000000000a4',
					parameters: {
						resource: 'conversation',
						operation: 'sendAndWait',
						conversationId: '={{ $json.conversationId }}',
						message: 'Which order is it about?',
						userId: LIVECHATAI_USER_IDS.agent,
						messageType: 'TEXT',
						waitLimit: 10,
					},
				},
				2,
			),
			node(
				{
					name: 'Confirm',
					type: 'n8n-nodes-livechat-bridge.liveChatAi',
					parameters: {
						resource: 'conversation',
						operation: 'reply',
						conversationId: "={{ $('LiveChatAI Trigger').item.json.conversationId }}",
						message: '=Thanks, noted: {{ $json.text }}',
						userId: LIVECHATAI_USER_IDS.agent,
						messageType: 'TEXT',
					},
				},
				3,
			),
		],
		connections: {
			'LiveChatAI Trigger': { main: [[{ node: 'Ask which order', type: 'main', index: 0 }]] },
			'Ask which order': { main: [[{ node: 'Confirm', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowFile;
}

export const provider: ProviderE2E = {
	name: 'Send and Wait for Reply',
	credentials: [
		{
			key: 'pat',
			type: 'digishareApi',
			name: 'Digishare sandbox (send and wait)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
		{
			key: 'omnidesk',
			type: 'omnideskApi',
			name: 'Omnidesk sandbox (send and wait)',
			data: (sandbox) => ({ baseUrl: sandbox.baseUrl('omnidesk'), apiKey: OMNIDESK_API_KEY, chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN, chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN }),
		},
		{
			key: 'liveperson',
			type: 'livePersonApi',
			name: 'LivePerson sandbox (send and wait)',
			data: (sandbox) => ({ accountId: LIVEPERSON_ACCOUNT_ID, authMode: 'app', clientId: LIVEPERSON_CLIENT_ID, clientSecret: LIVEPERSON_CLIENT_SECRET, domainApiUrl: sandbox.baseUrl('liveperson') }),
		},
		{ key: 'livechatai', type: 'liveChatAiApi', name: 'LiveChatAI sandbox (send and wait)', data: (sandbox) => ({ apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') }) },
		{ key: 'openai', type: 'openAiApi', name: 'OpenAI sandbox (send and wait)', data: (sandbox) => ({ apiKey: OPENAI_API_KEY, url: sandbox.baseUrl('openai') }) },
	],
	credentialTests: [],
	examples: [
		{
			file: 'digishare-order-status.json',
			credentials: { digishareApi: 'pat' },
			prepare: (file, sandbox) => {
				// What a user sets: the shop's address. And, for this test only, a 30 s wait limit for
				// one customer (n8n's wait tracker looks for waits due within 70 s once a minute and
				// when it starts).
				const lookUp = file.nodes.find((node) => node.name === 'Look up the order');
				if (!lookUp) throw new Error('no Look up the order node');
				lookUp.parameters.url = `=${sandbox.baseUrl('shop')}/orders/{{ encodeURIComponent($json.text.trim()) }}`;
				const ask = file.nodes.find((node) => node.name === ASK);
				if (!ask) throw new Error(`no ${ASK} node`);
				ask.parameters.waitLimit = `={{ $json.text === '${QUIET}' ? 0.5 : 10 }}`;
			},
			scenarios: [
				{
					title: "a customer's message gets the question in its conversation and the execution waits",
					run: async ({ sandbox, workflow }) => {
						const answer = await says(urlOf(workflow), A, 'Hi, where is my order?');
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
						const asked = await digishareGot(sandbox, QUESTION, A);
						expect(asked.body).toEqual({ conversation_id: A, type: 'text', body: QUESTION, send_to_third: true });
						await executionsAre(workflow.id, { waiting: 1 });
					},
				},
				{
					title: "the customer's answer resumes that execution (no new one): the order is looked up at the shop and its status answered",
					run: async ({ sandbox, workflow }) => {
						const answer = await says(urlOf(workflow), A, 'a-1001');
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true, resumed: true } });
						await digishareGot(sandbox, 'Order A-1001 is shipped, expected on 2026-12-08.', A);
						expect(sandbox.requestsFor('shop', 'GET').map((request) => request.path)).toEqual(['/orders/a-1001']);
						await executionsAre(workflow.id, { success: 1 });
						const [execution] = await executions(workflow.id);
						expect(nodeOutput(execution, ASK)).toEqual([
							expect.objectContaining({
								provider: 'digishare',
								event: 'live_chat.new_message',
								conversationId: A,
								text: 'a-1001',
								chatInput: 'a-1001',
								sessionId: `digishare:${A}`,
								sender: expect.objectContaining({ type: 'customer' }),
								replied: true,
							}),
						]);
						expect(messagesTo(sandbox, A)).toEqual([QUESTION, 'Order A-1001 is shipped, expected on 2026-12-08.']);
					},
				},
				{
					title: 'an answer delivered three times resumes once and starts nothing (an unknown order gets its own answer)',
					run: async ({ sandbox, workflow }) => {
						sandbox.reset();
						await says(urlOf(workflow), A, 'Order status please');
						await digishareGot(sandbox, QUESTION, A);
						await executionsAre(workflow.id, { success: 1, waiting: 1 });
						const copy = digishareCustomerMessage('Z-9', A, `redelivered-${Date.now()}`);
						const answers = await Promise.all([1, 2, 3].map(async () => await deliver(urlOf(workflow), copy)));
						expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
						expect(answers.filter((answer) => (answer.json as { resumed?: unknown }).resumed === true)).toHaveLength(1);
						await digishareGot(sandbox, 'I could not find order "Z-9". Please check the number and write again.', A);
						await executionsAre(workflow.id, { success: 2 });
						expect(messagesTo(sandbox, A)).toEqual([QUESTION, 'I could not find order "Z-9". Please check the number and write again.']);
					},
				},
				{
					title: 'two customers waiting at once each get the answer to their own order',
					run: async ({ sandbox, workflow }) => {
						sandbox.reset();
						// In queue mode the answers reach different webhook processors.
						const [first, second = first] = productionUrlsOf(workflow, TRIGGER, 'webhook');
						await Promise.all([says(first, A, 'Hello'), says(second, B, 'Hello')]);
						await digishareGot(sandbox, QUESTION, A);
						await digishareGot(sandbox, QUESTION, B);
						await eventually('both executions waiting', async () => (await byStatus(workflow.id)).waiting === 2);
						await says(second, B, 'A-1002');
						await says(first, A, 'A-1003');
						await digishareGot(sandbox, 'Order A-1002 is being packed, expected on 2026-12-10.', B);
						await digishareGot(sandbox, 'Order A-1003 is delivered.', A);
						await finishedIn(workflow.id, B, 'A-1002');
						await finishedIn(workflow.id, A, 'A-1003');
						expect(messagesTo(sandbox, A)).toEqual([QUESTION, 'Order A-1003 is delivered.']);
						expect(messagesTo(sandbox, B)).toEqual([QUESTION, 'Order A-1002 is being packed, expected on 2026-12-10.']);
						expect((await byStatus(workflow.id)).waiting).toBeUndefined();
					},
				},
				{
					title: 'n8n restarted while two executions wait: the one whose wait limit passes sends the reminder, the other is resumed by its answer',
					run: async ({ sandbox, workflow }) => {
						sandbox.reset();
						await says(urlOf(workflow), C, QUIET);
						await says(urlOf(workflow), B, 'Where is my parcel?');
						await digishareGot(sandbox, QUESTION, C);
						await digishareGot(sandbox, QUESTION, B);
						await eventually('both executions waiting', async () => (await byStatus(workflow.id)).waiting === 2);
						await restartN8n();
						// n8n 1.x in regular mode may lose a wait across a restart (README limits): its crash
						// recovery can mark waits crashed, and its wait tracker resumes a timed-out execution
						// with the static data it started with, whose save can drop a later wait. A lost wait is
						// nobody waiting: the reply starts the workflow anew — the customer is never left alone.
						if (isN8n1Regular()) {
							await eventually(`the reminder in ${C}, or its wait crashed`, async () => messagesTo(sandbox, C).includes(REMINDER) || (await byStatus(workflow.id)).crashed, 90000);
							const answer = await eventually('the reply after the restart', async () => {
								const reply = await says(urlOf(workflow), B, 'A-1001');
								return reply.status === 200 ? reply : undefined;
							});
							if ((answer.json as { resumed?: boolean }).resumed) {
								await digishareGot(sandbox, 'Order A-1001 is shipped, expected on 2026-12-08.', B);
							} else {
								expect(answer.json).toEqual({ received: true });
								await eventually(`the question again in ${B}`, () => messagesTo(sandbox, B).filter((text) => text === QUESTION).length === 2);
							}
							return;
						}
						// n8n's wait tracker, started again, resumes the wait when its limit passes.
						try {
							await eventually(`the reminder in ${C}`, () => messagesTo(sandbox, C).includes(REMINDER), 90000);
						} catch (error) {
							(error as Error).message += ` executions: ${JSON.stringify(await byStatus(workflow.id))}`;
							throw error;
						}
						// The reminder reaches the sandbox a moment before n8n saves the execution as finished.
						const timedOut = await eventually('the timed-out execution finished', async () =>
							(await executions(workflow.id)).find(
								(execution) => execution.status === 'success' && nodeOutput(execution, 'Send a reminder').length > 0,
							),
						);
						expect(nodeOutput(timedOut, ASK)).toEqual([
							expect.objectContaining({ provider: 'digishare', event: 'noReply', conversationId: C, sessionId: `digishare:${C}`, replied: false, timedOut: true }),
						]);
						// The trigger's own output is left as it was.
						expect(nodeOutput(timedOut, TRIGGER)).toEqual([expect.objectContaining({ conversationId: C, text: QUIET })]);
						expect(nodeOutput(timedOut, TRIGGER)[0]).not.toHaveProperty('replied');
						const answer = await eventually('the answer after the restart resumes', async () => {
							const reply = await says(urlOf(workflow), B, 'A-1001');
							return reply.status === 200 ? reply : undefined;
						});
						expect(answer.json).toEqual({ received: true, resumed: true });
						await digishareGot(sandbox, 'Order A-1001 is shipped, expected on 2026-12-08.', B);
						await finishedIn(workflow.id, B, 'A-1001');
						expect(messagesTo(sandbox, C)).toEqual([QUESTION, REMINDER]);
						expect(messagesTo(sandbox, B)).toEqual([QUESTION, 'Order A-1001 is shipped, expected on 2026-12-08.']);
						expect((await byStatus(workflow.id)).waiting).toBeUndefined();
					},
				},
			],
		},
		{
			file: 'Digishare Trigger → Omnidesk Send and Wait for Reply → Digishare (Omnidesk Trigger resumes)',
			workflow: () =>
				handOverWorkflow(
					'Omnidesk send and wait',
					{ name: 'Agent side', type: 'n8n-nodes-livechat-bridge.omnideskTrigger', parameters: {}, webhookId: 'e5a10000-2222-4aaa-8bbb-000000000002' },
					{
						name: 'Ask an agent',
						type: 'n8n-nodes-livechat-bridge.omnidesk',
						parameters: { resource: 'chat', operation: 'sendAndWait', chatSessionId: '={{ $json.conversationId }}', message: '={{ $json.text }}', waitLimit: 10 },
						credentials: credentialRef('omnideskApi'),
						webhookId: 'e5a10000-2222-4aaa-8bbb-0000000000a2',
					},
				),
			credentials: { digishareApi: 'pat', omnideskApi: 'omnidesk' },
			scenarios: [
				{
					title: "the customer's message goes to Omnidesk and the execution waits; the agent's reply (Omnidesk still gets \"ok\") resumes it and reaches the customer",
					run: async ({ sandbox, workflow }) => {
						await says(urlOf(workflow), A, 'I want to talk to a person');
						const handover = await eventually('Omnidesk notifyUserNewChatMessage', () => sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')[0]);
						expect((handover.body as { fields: Record<string, string> }).fields).toMatchObject({ chatSessionID: A, message: 'I want to talk to a person' });
						await executionsAre(workflow.id, { waiting: 1 });
						const reply = await sandbox.omnidesk.agentReply(A, 'Hello, Eva here', { name: 'Eva' });
						expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'ok' });
						await digishareGot(sandbox, 'Agent: Hello, Eva here', A);
						await executionsAre(workflow.id, { success: 1 });
						const [execution] = await executions(workflow.id);
						expect(nodeOutput(execution, 'Ask an agent')).toEqual([
							expect.objectContaining({ provider: 'omnidesk', event: 'messageForCustomer', conversationId: A, text: 'Hello, Eva here', sessionId: `omnidesk:${A}`, replied: true }),
						]);
					},
				},
				{
					title: 'End Session from the agent ends the next wait (ended: true)',
					run: async ({ sandbox, workflow }) => {
						await says(urlOf(workflow), A, 'Are you still there?');
						await executionsAre(workflow.id, { success: 1, waiting: 1 });
						const ended = await sandbox.omnidesk.agentEndSession(A);
						expect(ended.status).toBe(200);
						await digishareGot(sandbox, 'The agent has closed this chat.', A);
						await executionsAre(workflow.id, { success: 2 });
					},
				},
			],
		},
		{
			file: 'Digishare Trigger → LivePerson Send and Wait for Reply → Digishare (LivePerson Trigger resumes)',
			workflow: () =>
				handOverWorkflow(
					'LivePerson send and wait',
					{
						name: 'Agent side',
						type: 'n8n-nodes-livechat-bridge.livePersonTrigger',
						parameters: { events: ['content', 'conversationChange'], onlyOwnConversations: true },
						credentials: credentialRef('livePersonApi'),
						webhookId: 'e5a10000-3333-4aaa-8bbb-000000000003',
					},
					{
						name: 'Ask an agent',
						type: 'n8n-nodes-livechat-bridge.livePerson',
						parameters: { resource: 'message', operation: 'sendAndWait', consumerId: '=digishare:{{ $json.conversationId }}', message: `=Customer asks: {{ $json.text }}`, conversationId: '', waitLimit: 10 },
						credentials: credentialRef('livePersonApi'),
						webhookId: 'e5a10000-3333-4aaa-8bbb-0000000000a3',
					},
				),
			credentials: { digishareApi: 'pat', livePersonApi: 'liveperson' },
			scenarios: [
				{
					title: "the consumer's text opens a LivePerson conversation and the execution waits; the agent's next message resumes it and reaches the customer; the consumer's own echo does not",
					run: async ({ sandbox, workflow }) => {
						sandbox.liveperson.webhookUrl = workflow.webhook('Agent side', 'webhook');
						await says(urlOf(workflow), A, 'Can I change my delivery address?');
						const conversation = await eventually('the LivePerson conversation', () => sandbox.liveperson.openConversationOf(`digishare:${A}`));
						await executionsAre(workflow.id, { waiting: 1 });
						expect(sandbox.requests.some((request) => request.provider.startsWith('liveperson') && JSON.stringify(request.body ?? '').includes(LIVEPERSON_TEXT))).toBe(true);
						await sandbox.liveperson.consumerEcho(conversation.conversationId);
						const reply = await sandbox.liveperson.agentMessage(conversation.conversationId, 'Yes, send me the new address');
						expect(reply.status).toBe(200);
						await digishareGot(sandbox, 'Agent: Yes, send me the new address', A);
						await executionsAre(workflow.id, { success: 1 });
						const [execution] = await executions(workflow.id);
						expect(nodeOutput(execution, 'Ask an agent')).toEqual([
							expect.objectContaining({
								provider: 'liveperson',
								conversationId: conversation.conversationId,
								text: 'Yes, send me the new address',
								sessionId: `liveperson:${conversation.conversationId}`,
								replied: true,
							}),
						]);
					},
				},
				{
					title: 'the agent closing the conversation ends the next wait (ended: true)',
					run: async ({ sandbox, workflow }) => {
						await says(urlOf(workflow), A, 'One more question');
						const conversation = await eventually('the LivePerson conversation', () => sandbox.liveperson.openConversationOf(`digishare:${A}`));
						await executionsAre(workflow.id, { success: 1, waiting: 1 });
						await sandbox.liveperson.closeConversation(conversation.conversationId);
						await digishareGot(sandbox, 'The agent has closed this chat.', A);
						await executionsAre(workflow.id, { success: 2 });
					},
				},
			],
		},
		{
			file: 'LiveChatAI Trigger → LiveChatAI Send and Wait for Reply → Reply as Human Agent (the poll resumes)',
			workflow: liveChatAiWorkflow,
			credentials: { liveChatAiApi: 'livechatai' },
			// README "Send and Wait for Reply": the poll runs on main and does not see waits begun on workers.
			skip: () => (e2eState().queue ? 'queue mode: the LiveChatAI Trigger polls on main, which does not see waits begun on a worker (README limits)' : undefined),
			scenarios: [
				{
					title: "a customer's message gets the agent's question and the execution waits; the customer's next message, found by the poll, resumes it",
					run: async ({ sandbox, workflow }) => {
						await eventually("the trigger's first poll", () => sandbox.requestsFor('livechatai', 'GET', '/conversations').find((request) => request.response.status === 200), NEXT_POLL_MS);
						const chat = sandbox.livechatai.startConversation(LIVECHATAI_AGENT_IDS.support, { text: 'I have a problem with an order', name: 'Nora Web' });
						const agentSaid = (text: string) =>
							eventually(`LiveChatAI agent message "${text}"`, () => sandbox.livechatai.messagesOf(chat.id).find((message) => message.role === 'agent' && message.content === text), NEXT_POLL_MS);
						await agentSaid('Which order is it about?');
						await executionsAre(workflow.id, { waiting: 1 });
						sandbox.livechatai.customerMessage(chat.id, 'Order A-1001');
						await agentSaid('Thanks, noted: Order A-1001');
						await executionsAre(workflow.id, { success: 1 });
						const [execution] = await executions(workflow.id);
						expect(nodeOutput(execution, 'Ask which order')).toEqual([
							expect.objectContaining({ provider: 'livechatai', event: 'newCustomerMessage', conversationId: chat.id, text: 'Order A-1001', replied: true }),
						]);
					},
				},
			],
		},
		{
			file: "n8n 2.x's human-review tool from the Digishare node gating the AI Agent's hand-over (the customer approves in the chat)",
			workflow: humanReviewWorkflow,
			credentials: { digishareApi: 'pat', omnideskApi: 'omnidesk', openAiApi: 'openai' },
			skip: () => (e2eState().version.startsWith('1.') ? 'n8n 1.x generates no human-review tool' : undefined),
			scenarios: [
				{
					title: "the model's hand-over waits for the customer: the question goes into the conversation, \"yes\" runs the tool, the agent's answer reaches the customer",
					run: async ({ sandbox, workflow }) => {
						const summary = 'Adil asks for a person about order 1234.';
						// The gated tool as the model sees it: its own arguments under `toolParameters`.
						sandbox.openai.script(
							(request) => {
								const tool = request.tools.find((candidate) => /hand/i.test(candidate.name))!;
								expect(JSON.stringify(tool.parameters)).toContain('toolParameters');
								return { toolCall: { name: tool.name, arguments: { toolParameters: { summary } } } };
							},
							{ reply: 'A colleague will answer you here in a moment.' },
						);
						await says(urlOf(workflow), A, 'I want to talk to a person');
						await digishareGot(sandbox, 'May I hand you over to a colleague? Answer yes or no.', A);
						expect(sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')).toHaveLength(0);
						await executionsAre(workflow.id, { waiting: 1 });
						const answer = await says(urlOf(workflow), A, 'yes');
						expect(answer.json).toEqual({ received: true, resumed: true });
						const handover = await eventually('Omnidesk notifyUserNewChatMessage', () => sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')[0]);
						expect((handover.body as { fields: Record<string, string> }).fields).toMatchObject({ chatSessionID: A, message: summary });
						await digishareGot(sandbox, 'A colleague will answer you here in a moment.', A);
						await executionsAre(workflow.id, { success: 1 });
					},
				},
				{
					title: 'any other answer declines: the tool does not run and the model gets the answer as the customer\'s feedback',
					run: async ({ sandbox, workflow }) => {
						let feedback = '';
						sandbox.openai.script(
							(request) => {
								const tool = request.tools.find((candidate) => /hand/i.test(candidate.name))!;
								return { toolCall: { name: tool.name, arguments: { toolParameters: { summary: 'Adil asks again.' } } } };
							},
							(request) => {
								feedback = request.messages.filter((message) => message.role === 'tool').pop()?.content ?? '';
								return { reply: 'Fine, I stay with you. How can I help?' };
							},
						);
						await says(urlOf(workflow), A, 'Can I talk to someone?');
						await executionsAre(workflow.id, { success: 1, waiting: 1 });
						expect((await says(urlOf(workflow), A, 'No, not now')).json).toEqual({ received: true, resumed: true });
						await digishareGot(sandbox, 'Fine, I stay with you. How can I help?', A);
						expect(feedback).toContain('No, not now');
						expect(sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')).toHaveLength(1);
						await executionsAre(workflow.id, { success: 2 });
					},
				},
			],
		},
],
};
