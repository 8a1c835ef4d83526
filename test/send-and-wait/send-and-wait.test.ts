/**
 * Send and Wait for Reply in n8n's engine, every provider: the node sends, registers its wait
 * (signed resume URL, conversation, limit) and puts the execution to wait; the trigger that
 * receives the reply posts it to n8n's waiting endpoint (a stand-in that runs the waiting node's
 * `webhook()`, fixtures.ts), which returns the reply as the node's output. Redeliveries, other
 * conversations, the waiting side's own messages, refused and failed resumes, and the trigger's
 * first step (queue mode: a wait this worker knows that the webhook did not see).
 */
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import { PROVIDERS, type ProviderEntry } from '../../nodes/providers';
import { DigishareTrigger } from '../../nodes/Digishare/DigishareTrigger.node';
import { LiveChatAiTrigger } from '../../nodes/LiveChatAi/LiveChatAiTrigger.node';
import { LivePersonTrigger } from '../../nodes/LivePerson/LivePersonTrigger.node';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { forgetWaitsInThisProcess, type Wait } from '../../nodes/shared/memory/waits';
import { isApproval } from '../../nodes/shared/send-and-wait';
import { answerKind } from '../../nodes/shared/webhook/resume';
import { callWebhook, createPoller, runSingleNode, runWorkflow, START_NODE_TYPE } from '../harness';
import {
	DIGISHARE_CONVERSATION_IDS,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_USER_IDS,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	livePersonSignature,
	startSandbox,
	type RecordedRequest,
	type Sandbox,
} from '../sandbox';
import { DIGISHARE_TYPE, credentialTypes as digishareCredentialTypes, nodeTypes as digishareNodeTypes, patCredentials } from '../digishare/fixtures';
import { agentById, LIVECHATAI_TYPE, liveChatAiCredentialTypes, liveChatAiCredentials, liveChatAiNodeTypes } from '../livechatai/fixtures';
import {
	freshProcess,
	LIVEPERSON_CREDENTIAL_REFERENCE,
	LIVEPERSON_TYPE,
	livePersonCredentialData,
	livePersonCredentialTypes,
	livePersonCredentials,
	livePersonNodeTypes,
} from '../liveperson/fixtures';
import { OMNIDESK_TYPE, omnideskCredentialTypes, omnideskCredentials, omnideskNodeTypes } from '../omnidesk/fixtures';
import { startWaitingEndpoint, type WaitingEndpoint } from './fixtures';

const A: string = DIGISHARE_CONVERSATION_IDS.active;
const B: string = DIGISHARE_CONVERSATION_IDS.assigned;
const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';
const NODE_ID = 'a7c1e2d3-0000-4000-8000-00000000wait';

let sandbox: Sandbox;
let n8n: WaitingEndpoint;
beforeAll(async () => {
	sandbox = await startSandbox();
	n8n = await startWaitingEndpoint();
});
afterAll(async () => {
	await sandbox.close();
	await n8n.close();
});
beforeEach(() => {
	sandbox.reset();
	n8n.server.clearRequests();
	n8n.refusals.length = 0;
	n8n.results.length = 0;
	forgetWaitsInThisProcess();
	forgetDeliveriesSeenInThisProcess();
	freshProcess();
});

/** The waits under a provider's key of the workflow's global static data (as the harness keeps it). */
function waitsOf(staticData: IDataObject, key: string): Record<string, Wait> {
	return ((staticData.global as IDataObject | undefined)?.[key] ?? undefined) as Record<string, Wait>;
}

interface ProviderCase {
	provider: ProviderEntry;
	nodeTypes: Record<string, INodeType>;
	type: string;
	run: (parameters: IDataObject, options: { staticData: IDataObject; items?: INodeExecutionData[] }) => ReturnType<typeof runSingleNode>;
	parameters: IDataObject;
	/** The provider requests of the send. */
	sent: () => RecordedRequest[];
	/** The conversation the wait is for (after the send). */
	conversation: (sent: RecordedRequest[]) => string;
}

function runner(nodeTypes: Record<string, INodeType>, type: string, node: { credentials: Record<string, { id: string; name: string }> }, credentialTypes: unknown[], credentials: () => unknown) {
	return async (parameters: IDataObject, options: { staticData: IDataObject; items?: INodeExecutionData[] }) =>
		await runWorkflow({
			nodeTypes,
			credentialTypes: credentialTypes as never,
			credentials: credentials() as never,
			nodes: [
				{ name: 'Start', type: START_NODE_TYPE },
				{ id: NODE_ID, name: 'Wait for reply', type, parameters: parameters as INodeParameters, credentials: node.credentials },
			],
			triggerItems: options.items ?? [{ json: {} }],
			staticData: options.staticData,
			mode: 'webhook',
			instanceBaseUrl: n8n.url,
		}).then((result) => Object.assign(result, { items: result.output('Wait for reply') }));
}

const CASES: ProviderCase[] = [
	{
		provider: PROVIDERS.digishare,
		nodeTypes: digishareNodeTypes,
		type: DIGISHARE_TYPE,
		run: runner(digishareNodeTypes, DIGISHARE_TYPE, { credentials: { digishareApi: { id: 'cred1', name: 'Digishare account' } } }, digishareCredentialTypes, () => patCredentials(sandbox)),
		parameters: { resource: 'message', operation: 'sendAndWait', conversationId: A, message: 'What is your order number?', waitLimit: 5 },
		sent: () => sandbox.requestsFor('digishare', 'POST', '/messages'),
		conversation: () => A,
	},
	{
		provider: PROVIDERS.omnidesk,
		nodeTypes: omnideskNodeTypes,
		type: OMNIDESK_TYPE,
		run: runner(omnideskNodeTypes, OMNIDESK_TYPE, { credentials: { omnideskApi: { id: 'od1', name: 'Omnidesk account' } } }, omnideskCredentialTypes, () => omnideskCredentials(sandbox)),
		parameters: { resource: 'chat', operation: 'sendAndWait', chatSessionId: 'sess-1001', message: 'I need a human', chatServer: CHAT_SERVER, waitLimit: 5 },
		sent: () => sandbox.requests.filter((request) => request.path.endsWith('/notifyUserNewChatMessage')),
		conversation: () => 'sess-1001',
	},
	{
		provider: PROVIDERS.livePerson,
		nodeTypes: livePersonNodeTypes,
		type: LIVEPERSON_TYPE,
		run: runner(livePersonNodeTypes, LIVEPERSON_TYPE, { credentials: LIVEPERSON_CREDENTIAL_REFERENCE }, livePersonCredentialTypes, () => livePersonCredentials(sandbox)),
		parameters: { resource: 'message', operation: 'sendAndWait', consumerId: 'wait:1', message: 'Where is my parcel?', conversationId: '', waitLimit: 5 },
		sent: () => sandbox.requests.filter((request) => request.provider.startsWith('liveperson') && /send/.test(request.path)),
		conversation: (sent) => {
			const publish = sent.map((request) => request.body as IDataObject).find((body) => (body.body as IDataObject | undefined)?.dialogId);
			return String((publish?.body as IDataObject).dialogId);
		},
	},
	{
		provider: PROVIDERS.liveChatAi,
		nodeTypes: liveChatAiNodeTypes,
		type: LIVECHATAI_TYPE,
		run: runner(liveChatAiNodeTypes, LIVECHATAI_TYPE, { credentials: { liveChatAiApi: { id: 'lc1', name: 'LiveChatAI account' } } }, liveChatAiCredentialTypes, () => liveChatAiCredentials(sandbox)),
		parameters: {
			resource: 'conversation',
			operation: 'sendAndWait',
			conversationId: LIVECHATAI_CONVERSATION_IDS.main,
			message: 'Could you send me your order number?',
			userId: LIVECHATAI_USER_IDS.agent,
			messageType: 'TEXT',
			waitLimit: 5,
		},
		sent: () => sandbox.requestsFor('livechatai', 'POST', `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}/reply`),
		conversation: () => LIVECHATAI_CONVERSATION_IDS.main,
	},
];

describe.each(CASES.map((c) => [c.provider.displayName, c] as const))('%s → Send and Wait for Reply', (_name, c) => {
	test('sends once, registers the wait with n8n\'s signed resume URL and puts the execution to wait', async () => {
		const staticData: IDataObject = {};
		const before = Date.now();
		const result = await c.run(c.parameters, { staticData, items: [{ json: { first: true } }, { json: { second: true } }] });
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('waiting');
		// one execution waits once: the first item only
		const sent = c.sent();
		expect(sent).toHaveLength(1);
		const conversation = c.conversation(sent);
		const waitTill = new Date(result.run.waitTill as Date).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 5 * 60_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 5 * 60_000);

		const waits = waitsOf(staticData, c.provider.memory.waits);
		expect(Object.keys(waits)).toEqual([conversation]);
		const wait = waits[conversation];
		const url = new URL(wait.url);
		expect(`${url.origin}${url.pathname}`).toBe(`${n8n.url}/webhook-waiting/${wait.executionId}/${NODE_ID}`);
		expect(url.searchParams.get('conversation')).toBe(conversation);
		expect(url.searchParams.get('wait')).toBe(wait.id);
		expect(url.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(wait).toMatchObject({ replies: 'text', until: waitTill });

		// What the workflow goes on with when the limit passes: the "no reply" item, as the
		// waiting node's input (n8n passes a timed-out waiting node through).
		const noReply = { provider: c.provider.id, event: 'noReply', conversationId: conversation, sessionId: `${c.provider.id}:${conversation}`, replied: false, timedOut: true };
		expect(result.items.map((item) => item.json)).toEqual([expect.objectContaining(noReply)]);
		const waiting = result.run.data.executionData?.nodeExecutionStack[0];
		expect(waiting?.node.name).toBe('Wait for reply');
		expect(waiting?.data.main[0]?.map((item) => item.json)).toEqual([expect.objectContaining(noReply)]);
		// the items the node before it output are left alone
		expect(result.output('Start').map((item) => item.json)).toEqual([{ first: true }, { second: true }]);
	});

	test('a failed send fails the node and leaves no wait', async () => {
		sandbox.fault({ provider: '*', method: 'POST', status: 500, times: Infinity });
		const staticData: IDataObject = {};
		const result = await c.run(c.parameters, { staticData });
		expect(result.status).not.toBe('waiting');
		expect(result.error).toBeDefined();
		expect(waitsOf(staticData, c.provider.memory.waits)).toBeUndefined();
	});

	test('Wait Limit 0 waits with no limit; a negative one is refused naming the field', async () => {
		const staticData: IDataObject = {};
		const result = await c.run({ ...c.parameters, waitLimit: 0 }, { staticData });
		expect(result.status).toBe('waiting');
		expect(new Date(result.run.waitTill as Date).toISOString()).toBe('3000-01-01T00:00:00.000Z');
		expect(Object.values(waitsOf(staticData, c.provider.memory.waits))).toEqual([expect.objectContaining({ until: null })]);
		const refused = await c.run({ ...c.parameters, waitLimit: -1 }, { staticData: {} });
		expect(refused.error?.message).toContain('Wait Limit');
	});
});

test("as an AI Agent's tool the operation refuses (a tool call cannot pause the agent), telling the model why", async () => {
	const toolType = 'n8n-nodes-livechat-bridge.digishareTool';
	const result = await runner({ [toolType]: digishareNodeTypes[DIGISHARE_TYPE] }, toolType, { credentials: { digishareApi: { id: 'cred1', name: 'Digishare account' } } }, digishareCredentialTypes, () => patCredentials(sandbox))(
		CASES[0].parameters,
		{ staticData: {} },
	);
	expect(result.status).not.toBe('waiting');
	expect(result.items.map((item) => item.json.error)).toEqual([expect.stringContaining("cannot run as an AI Agent's tool")]);
	expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(0);
});

// ---------------------------------------------------------------- the trigger's side

const digishareTrigger = new DigishareTrigger();
const TRIGGER_ID = '3e0f6d1a-7b2c-4d5e-9f60-1a2b3c4d5e6f';

async function digishareWaits(conversation = A, parameters: IDataObject = {}): Promise<{ staticData: IDataObject; wait: Wait }> {
	const staticData: IDataObject = {};
	const result = await CASES[0].run({ ...CASES[0].parameters, conversationId: conversation, ...parameters }, { staticData });
	expect(result.status).toBe('waiting');
	n8n.waitingNode = digishareNodeTypes[DIGISHARE_TYPE];
	return { staticData, wait: waitsOf(staticData, 'digishareWaits')[conversation] };
}

let messageSequence = 0;
function customerMessage(text: string | null, conversation = A, overrides: IDataObject = {}, id = `m${++messageSequence}`) {
	return {
		event: 'live_chat.new_message',
		data: {
			id,
			data: {
				conversation_id: conversation,
				body: text,
				type: text === null ? 'location' : 'text',
				system: false,
				send_to_third: false,
				sender: { id: 'snd0001', model_type: 'third', model_id: 'ejymmg0jz3930liv', name: 'Adil Chbada' },
				created_at: '2026-12-04T10:00:00.000Z',
				...overrides,
			},
		},
	};
}

async function toDigishareTrigger(payload: unknown, staticData: IDataObject, parameters: IDataObject = {}, mode: 'webhook' | 'manual' = 'webhook') {
	return await callWebhook({
		nodeType: digishareTrigger,
		node: { id: TRIGGER_ID, name: 'Digishare Trigger', parameters: { events: ['live_chat.new_message', 'live_chat.conversation_archived'], ...parameters } as INodeParameters },
		staticData,
		mode,
		request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
	});
}

describe('Digishare Trigger → the waiting execution', () => {
	test("the customer's reply resumes it through n8n's signed URL: the reply is the node's output, no execution starts", async () => {
		const { staticData, wait } = await digishareWaits();
		forgetWaitsInThisProcess(); // as on another process: only n8n's saved copy
		const answer = await toDigishareTrigger(customerMessage('A-1001'), staticData);
		expect({ status: answer.status, body: answer.json, items: answer.items }).toEqual({ status: 200, body: { received: true, resumed: true }, items: undefined });
		const [resume] = n8n.resumes();
		expect(resume.url).toBe(wait.url.slice(n8n.url.length));
		expect(resume.body).toMatchObject({ livechatBridge: { wait: wait.id, kind: 'reply', event: { conversationId: A, text: 'A-1001' } } });
		const [resumed] = n8n.results;
		expect(resumed.json).toEqual({ resumed: true, wait: wait.id });
		expect(resumed.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ provider: 'digishare', event: 'live_chat.new_message', conversationId: A, text: 'A-1001', chatInput: 'A-1001', sessionId: `digishare:${A}`, replied: true }),
		]);
	});

	test('a redelivered reply, and a second message after it, resume nothing more: the copy is a duplicate, the new message starts the workflow', async () => {
		const { staticData } = await digishareWaits();
		const reply = customerMessage('A-1001');
		expect((await toDigishareTrigger(reply, staticData)).json).toEqual({ received: true, resumed: true });
		const copy = await toDigishareTrigger(reply, staticData);
		expect(copy.json).toEqual({ received: true, skipped: 'duplicate delivery' });
		const next = await toDigishareTrigger(customerMessage('Thanks!'), staticData);
		expect(next.json).toEqual({ received: true });
		expect(next.items?.[0].map((item) => item.json.text)).toEqual(['Thanks!']);
		expect(n8n.resumes()).toHaveLength(1);
	});

	test('two conversations waiting at once: each reply resumes its own wait', async () => {
		const first = await digishareWaits(A);
		const second = await digishareWaits(B);
		const staticData = { global: { digishareWaits: { ...waitsOf(first.staticData, 'digishareWaits'), ...waitsOf(second.staticData, 'digishareWaits') } } };
		forgetWaitsInThisProcess();
		await toDigishareTrigger(customerMessage('for B', B), staticData);
		await toDigishareTrigger(customerMessage('for A', A), staticData);
		expect(n8n.resumes().map((request) => [new URL(request.url, n8n.url).searchParams.get('wait'), (request.body as IDataObject).livechatBridge])).toEqual([
			[second.wait.id, expect.objectContaining({ event: expect.objectContaining({ conversationId: B, text: 'for B' }) })],
			[first.wait.id, expect.objectContaining({ event: expect.objectContaining({ conversationId: A, text: 'for A' }) })],
		]);
		expect(n8n.results.map((result) => result.status)).toEqual([200, 200]);
	});

	test('what does not answer the wait starts the workflow as before: another conversation, the waiting side (an agent), a message without text, a test event', async () => {
		const { staticData } = await digishareWaits();
		const other = await toDigishareTrigger(customerMessage('hello', B), staticData);
		expect(other.items?.[0]).toHaveLength(1);
		const agent = await toDigishareTrigger(
			customerMessage('Agent here', A, { send_to_third: true, sender: { id: 'snd0002', model_type: 'user', model_id: 'u7k2m9p4q1w8e5r3', name: 'Agent' } }),
			staticData,
			{ customerMessagesOnly: false },
		);
		expect(agent.items?.[0]).toHaveLength(1);
		const location = await toDigishareTrigger(customerMessage(null, A, { body: { latitude: 1, longitude: 2 } }), staticData);
		expect(location.items?.[0]).toHaveLength(1);
		const test = await toDigishareTrigger(customerMessage('from the editor'), staticData, {}, 'manual');
		expect(test.items?.[0]).toHaveLength(1);
		expect(n8n.resumes()).toHaveLength(0);
	});

	test('Replies That Count → Any Message: a location resumes; the conversation archived ends the wait (ended: true)', async () => {
		const { staticData } = await digishareWaits(A, { repliesThatCount: 'any' });
		expect((await toDigishareTrigger(customerMessage(null, A, { body: { latitude: 1, longitude: 2 } }), staticData)).json).toEqual({ received: true, resumed: true });
		expect(n8n.results[0].items?.[0][0].json).toMatchObject({ messageType: 'location', replied: true });

		const second = await digishareWaits(B);
		const archived = { event: 'live_chat.conversation_archived', data: { conversation_id: B, archived_at: '2026-12-04T10:00:00Z', archived_by: { type: 'user', id: 'u7k2m9p4q1w8e5r3' } } };
		expect((await toDigishareTrigger(archived, second.staticData)).json).toEqual({ received: true, resumed: true });
		expect(n8n.results[1].items?.[0][0].json).toMatchObject({ event: 'live_chat.conversation_archived', conversationId: B, replied: false, ended: true });
	});

	test('Awaited Replies → Resume It and Start This Workflow Too: resumed and started', async () => {
		const { staticData } = await digishareWaits();
		const answer = await toDigishareTrigger(customerMessage('A-1001'), staticData, { awaitedReplies: 'resumeAndStart' });
		expect(n8n.resumes()).toHaveLength(1);
		expect(answer.json).toEqual({ received: true });
		expect(answer.items?.[0].map((item) => item.json.text)).toEqual(['A-1001']);
	});

	test("n8n still running the execution that is about to wait (409): tried again until it waits", async () => {
		const { staticData } = await digishareWaits();
		n8n.refusals.push('running', 'running');
		expect((await toDigishareTrigger(customerMessage('A-1001'), staticData)).json).toEqual({ received: true, resumed: true });
		expect(n8n.resumes()).toHaveLength(3);
	});

	test('a wait n8n has finished (its "no action required" page) starts the workflow; an n8n that cannot be reached (5xx) too, and the next reply tries again', async () => {
		const finished = await digishareWaits();
		n8n.refusals.push('finished');
		const late = await toDigishareTrigger(customerMessage('late'), finished.staticData);
		expect(late.items?.[0].map((item) => item.json.text)).toEqual(['late']);

		const second = await digishareWaits(B);
		n8n.refusals.push('drop');
		const lost = await toDigishareTrigger(customerMessage('first try', B), second.staticData);
		expect(lost.items?.[0].map((item) => item.json.text)).toEqual(['first try']);
		expect((await toDigishareTrigger(customerMessage('second try', B), second.staticData)).json).toEqual({ received: true, resumed: true });
	});

	test('a reply that arrives while the send is still under way resumes once the execution waits', async () => {
		n8n.waitingNode = digishareNodeTypes[DIGISHARE_TYPE];
		const staticData: IDataObject = {};
		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', delayMs: 300 });
		let waiting = false;
		const run = CASES[0].run(CASES[0].parameters, { staticData }).then((result) => {
			waiting = result.status === 'waiting';
			return result;
		});
		await new Promise<void>((resolve) => {
			const check = () => (sandbox.requestsFor('digishare', 'POST', '/messages').length ? resolve() : setImmediate(check));
			check();
		});
		// the send is under way: the reply reaches the trigger (this process knows the wait, n8n has not saved it)
		const answer = await toDigishareTrigger(customerMessage('quick answer'), {});
		expect(waiting).toBe(true);
		expect(answer.json).toEqual({ received: true, resumed: true });
		expect((await run).status).toBe('waiting');
		expect(n8n.resumes()).toHaveLength(1);
		expect(n8n.results[0].items?.[0][0].json).toMatchObject({ text: 'quick answer', replied: true });
	});

	test('a wait past its limit is nobody waiting', async () => {
		const { staticData, wait } = await digishareWaits();
		waitsOf(staticData, 'digishareWaits')[A] = { ...wait, until: Date.now() - 1 };
		forgetWaitsInThisProcess();
		expect((await toDigishareTrigger(customerMessage('too late'), staticData)).items?.[0]).toHaveLength(1);
		expect(n8n.resumes()).toHaveLength(0);
	});

	test("the trigger's first step resumes a wait this process knows that the webhook did not see (queue mode: n8n's save of it overwritten)", async () => {
		// The webhook, on another process, saw no wait: the execution starts with the reply…
		const delivery = await toDigishareTrigger(customerMessage('A-1002'), {});
		expect(delivery.items?.[0]).toHaveLength(1);
		// …on the process (worker) that began the wait, whose first step resumes it and goes no further.
		await digishareWaits();
		const run = await runWorkflow({
			nodeTypes: { 'n8n-nodes-livechat-bridge.digishareTrigger': digishareTrigger },
			nodes: [{ name: 'Digishare Trigger', type: 'n8n-nodes-livechat-bridge.digishareTrigger', parameters: { events: ['live_chat.new_message'] } }],
			triggerItems: delivery.items?.[0],
			mode: 'webhook',
		});
		expect(run.error).toBeUndefined();
		expect(run.output('Digishare Trigger')).toEqual([]);
		expect(n8n.resumes()).toHaveLength(1);
		expect(n8n.results[0].items?.[0][0].json).toMatchObject({ text: 'A-1002', replied: true });
	});

	test("the trigger's first step leaves alone what the webhook already took to a wait", async () => {
		const { staticData } = await digishareWaits();
		n8n.refusals.push('finished');
		const delivery = await toDigishareTrigger(customerMessage('late'), staticData);
		expect(n8n.resumes()).toHaveLength(1);
		const run = await runWorkflow({
			nodeTypes: { 'n8n-nodes-livechat-bridge.digishareTrigger': digishareTrigger },
			nodes: [{ name: 'Digishare Trigger', type: 'n8n-nodes-livechat-bridge.digishareTrigger', parameters: { events: ['live_chat.new_message'] } }],
			// as n8n stores them with the execution
			triggerItems: JSON.parse(JSON.stringify(delivery.items?.[0])) as INodeExecutionData[],
			mode: 'webhook',
		});
		expect(run.output('Digishare Trigger').map((item) => item.json.text)).toEqual(['late']);
		expect(n8n.resumes()).toHaveLength(1);
	});
});

describe('the waiting node on resume (its webhook(), after n8n checked the signature)', () => {
	const resume = async (query: IDataObject, body: unknown, type = 'n8n-nodes-livechat-bridge.digishare') =>
		await callWebhook({
			nodeType: digishareNodeTypes[DIGISHARE_TYPE],
			node: { id: NODE_ID, name: 'Ask', type, parameters: { resource: 'message', operation: 'sendAndWait' } },
			request: { method: 'POST', path: NODE_ID, query: query as Record<string, string>, body: body as object },
		});
	const event = { provider: 'digishare', event: 'live_chat.new_message', conversationId: A, text: 'yes' };

	test('a reply for another conversation or wait is refused (403) and leaves the execution waiting', async () => {
		const other = await resume({ conversation: B, wait: 'w1' }, { livechatBridge: { wait: 'w1', kind: 'reply', event } });
		expect({ status: other.status, json: other.json, items: other.items }).toEqual({ status: 403, json: { error: 'This reply is for another conversation or wait' }, items: undefined });
		const stale = await resume({ conversation: A, wait: 'w2' }, { livechatBridge: { wait: 'w1', kind: 'reply', event } });
		expect(stale.status).toBe(403);
	});

	test('a body that is not a reply is refused (400)', async () => {
		const bad = await resume({ conversation: A, wait: 'w1' }, { hello: 'world' });
		expect({ status: bad.status, json: bad.json }).toEqual({ status: 400, json: { error: 'Not a reply: the body must be what a Livechat Bridge trigger posts' } });
	});

	test("as n8n's human-review tool (…HitlTool) the reply says whether it approves", async () => {
		expect(isApproval('Yes!')).toBe(true);
		expect(isApproval('نعم')).toBe(true);
		expect(isApproval('no, wait')).toBe(false);
		const approved = await resume({ conversation: A, wait: 'w1' }, { livechatBridge: { wait: 'w1', kind: 'reply', event } }, 'n8n-nodes-livechat-bridge.digishareHitlTool');
		expect(approved.items?.[0][0].json).toMatchObject({ approved: true, text: 'yes' });
		const denied = await resume(
			{ conversation: A, wait: 'w1' },
			{ livechatBridge: { wait: 'w1', kind: 'reply', event: { ...event, text: 'No, ask me first', chatInput: 'No, ask me first' } } },
			'n8n-nodes-livechat-bridge.digishareHitlTool',
		);
		expect(denied.items?.[0][0].json).toMatchObject({ approved: false, chatInput: 'No, ask me first' });
	});
});

describe('Omnidesk Trigger → the waiting execution', () => {
	const trigger = new OmnideskTrigger();
	const WEBHOOK_ID = '5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90';
	const post = async (hookpoint: string, fields: IDataObject, staticData: IDataObject) =>
		await callWebhook({
			nodeType: trigger,
			node: { name: 'Omnidesk Trigger', webhookId: WEBHOOK_ID, parameters: {} },
			staticData,
			request: { method: 'POST', path: `${WEBHOOK_ID}/hookpoint/${hookpoint}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) },
		});

	async function omnideskWaits(): Promise<IDataObject> {
		const staticData: IDataObject = {};
		expect((await CASES[1].run(CASES[1].parameters, { staticData })).status).toBe('waiting');
		n8n.waitingNode = omnideskNodeTypes[OMNIDESK_TYPE];
		return staticData;
	}

	test("the agent's message resumes it (Omnidesk still gets its \"ok\"); typing does not; End Session ends the next wait", async () => {
		const staticData = await omnideskWaits();
		const typing = await post('typingIndicatorForCustomer', { Typing: true, SessionID: 'sess-1001' }, staticData);
		expect(typing.items?.[0]).toHaveLength(1);
		const reply = await post('messageForCustomer', { sessionID: 'sess-1001', message: 'Hi, Eva here', name: 'Eva' }, staticData);
		expect({ status: reply.status, body: reply.body, items: reply.items }).toEqual({ status: 200, body: 'ok', items: undefined });
		expect(n8n.results[0].items?.[0][0].json).toMatchObject({ provider: 'omnidesk', event: 'messageForCustomer', conversationId: 'sess-1001', text: 'Hi, Eva here', replied: true });

		const again = await omnideskWaits();
		const ended = await post('endSession', { sessionID: 'sess-1001' }, again);
		expect({ status: ended.status, json: ended.json, items: ended.items }).toEqual({ status: 200, json: { message: 'ok' }, items: undefined });
		expect(n8n.results[1].items?.[0][0].json).toMatchObject({ event: 'endSession', replied: false, ended: true });
	});
});

describe('LivePerson Trigger → the waiting execution', () => {
	const trigger = new LivePersonTrigger();
	const deliver = async (changes: unknown[], staticData: IDataObject, type = 'ms.MessagingEventNotification') => {
		const raw = JSON.stringify({ kind: 'notification', body: { sentTs: Date.now(), changes }, type });
		return await callWebhook({
			nodeType: trigger,
			credentialTypes: livePersonCredentialTypes,
			credentials: { livePersonApi: { lp1: livePersonCredentialData(sandbox) } },
			node: { id: '6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a41', name: 'LivePerson Trigger', parameters: { events: ['content', 'conversationChange'] }, credentials: LIVEPERSON_CREDENTIAL_REFERENCE },
			staticData,
			request: {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-liveperson-signature': livePersonSignature(LIVEPERSON_CLIENT_SECRET, raw),
					'x-liveperson-account-id': LIVEPERSON_ACCOUNT_ID,
					'x-liveperson-client-id': LIVEPERSON_CLIENT_ID,
				},
				body: raw,
			},
		});
	};

	test("the agent's message resumes it; the conversation closed ends the next wait", async () => {
		const staticData: IDataObject = {};
		const first = await CASES[2].run(CASES[2].parameters, { staticData });
		expect(first.status).toBe('waiting');
		n8n.waitingNode = livePersonNodeTypes[LIVEPERSON_TYPE];
		const conversation = CASES[2].conversation(CASES[2].sent());
		forgetWaitsInThisProcess();
		const agent = sandbox.liveperson.recordAgentMessage(conversation, 'Yes, I can change it');
		const answer = await deliver([agent], staticData);
		expect({ status: answer.status, items: answer.items }).toEqual({ status: 200, items: undefined });
		expect(n8n.results[0].items?.[0][0].json).toMatchObject({ provider: 'liveperson', conversationId: conversation, text: 'Yes, I can change it', replied: true });

		sandbox.requests.length = 0;
		const again: IDataObject = {};
		expect((await CASES[2].run({ ...CASES[2].parameters, conversationId: conversation }, { staticData: again })).status).toBe('waiting');
		const live = sandbox.liveperson.conversation(conversation)!;
		const ts = live.metaDataLastUpdateTs + 1000;
		Object.assign(live, { state: 'CLOSE', stage: 'CLOSE', closeReason: 'AGENT', closedBy: 'agent', endTs: ts, metaDataLastUpdateTs: ts });
		const closed = await deliver([sandbox.liveperson.conversationChangeOf(conversation)], again, 'cqm.ExConversationChangeNotification');
		expect(closed.status).toBe(200);
		expect(n8n.results[1].items?.[0][0].json).toMatchObject({ provider: 'liveperson', conversationId: conversation, replied: false, ended: true });
	});
});

describe('LiveChatAI Trigger → the waiting execution (its poll)', () => {
	test("the customer's next message, found by the poll, resumes it instead of being emitted", async () => {
		let now = Date.UTC(2026, 0, 5, 10, 0, 0);
		sandbox.livechatai.clock = () => now;
		const staticData: IDataObject = {};
		expect((await CASES[3].run(CASES[3].parameters, { staticData })).status).toBe('waiting');
		n8n.waitingNode = liveChatAiNodeTypes[LIVECHATAI_TYPE];
		forgetWaitsInThisProcess(); // after a restart: the poll reads the saved wait
		const poller = await createPoller({
			nodeTypes: { 'n8n-nodes-livechat-bridge.liveChatAiTrigger': new LiveChatAiTrigger() },
			credentialTypes: liveChatAiCredentialTypes,
			credentials: liveChatAiCredentials(sandbox),
			node: { name: 'LiveChatAI Trigger', type: 'n8n-nodes-livechat-bridge.liveChatAiTrigger', parameters: { agentId: agentById(LIVECHATAI_AGENT_IDS.support), events: ['newCustomerMessage'] } },
			saved: staticData,
		});
		expect((await poller.poll()).items).toBeNull();
		now += 1000;
		sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'It is A-1001');
		now += 1000;
		expect((await poller.poll()).items).toBeNull();
		expect(n8n.results[0].items?.[0][0].json).toMatchObject({ provider: 'livechatai', event: 'newCustomerMessage', conversationId: LIVECHATAI_CONVERSATION_IDS.main, text: 'It is A-1001', replied: true });
		// the next message is nobody's reply: emitted
		sandbox.livechatai.customerMessage(LIVECHATAI_CONVERSATION_IDS.main, 'Thanks');
		now += 1000;
		expect((await poller.poll()).items?.map((item) => item.json.text)).toEqual(['Thanks']);
	});
});

describe('which events answer a wait (nodes/providers.ts `replies`)', () => {
	const event = (provider: string, name: string, sender: string | null, text: string | null = 'hi', messageType: string | null = null) =>
		({ provider, event: name, conversationId: 'c', messageId: null, text, messageType, sender: { type: sender, id: null, name: null }, createdAt: null, raw: {} }) as never;
	test.each([
		['digishare', 'live_chat.new_message', 'customer', 'hi', null, 'text', 'reply'],
		['digishare', 'live_chat.new_message', 'agent', 'hi', null, 'text', undefined],
		['digishare', 'live_chat.new_message', 'customer', null, 'location', 'text', undefined],
		['digishare', 'live_chat.new_message', 'customer', null, 'location', 'any', 'reply'],
		['digishare', 'live_chat.conversation_archived', null, null, null, 'text', 'end'],
		['digishare', 'live_chat.new_conversation', 'customer', 'hi', null, 'text', undefined],
		['omnidesk', 'messageForCustomer', 'agent', 'hi', null, 'text', 'reply'],
		['omnidesk', 'uploadForCustomer', 'agent', null, 'file', 'any', 'reply'],
		['omnidesk', 'typingIndicatorForCustomer', 'agent', null, 'typing_started', 'any', undefined],
		['omnidesk', 'endSession', null, null, 'session_ended', 'text', 'end'],
		['liveperson', 'ms.MessagingEventNotification.ContentEvent', 'agent', 'hi', 'text/plain', 'text', 'reply'],
		['liveperson', 'ms.MessagingEventNotification.ContentEvent', 'customer', 'hi', 'text/plain', 'text', undefined],
		['liveperson', 'cqm.ExConversationChangeNotification', null, 'AGENT', 'conversation_closed', 'text', 'end'],
		['liveperson', 'cqm.ExConversationChangeNotification', null, null, 'conversation_changed', 'any', undefined],
		['livechatai', 'newCustomerMessage', 'customer', 'hi', 'TEXT', 'text', 'reply'],
		['livechatai', 'conversationClosed', null, null, null, 'text', 'end'],
		['livechatai', 'humanRequested', 'customer', 'hi', null, 'any', undefined],
	])('%s %s from %s (text %s, %s), replies %s → %s', (provider, name, sender, text, messageType, replies, expected) => {
		const entry = Object.values(PROVIDERS).find((candidate) => candidate.id === provider)!;
		expect(answerKind(event(provider, name, sender, text, messageType), entry, replies as Wait['replies'])).toBe(expected);
	});
});
