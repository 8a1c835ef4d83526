/**
 * examples/livechatai-omnidesk-handoff.json in n8n's engine against the sandboxes: a LiveChatAI
 * customer asks for a human → the LiveChatAI Trigger's poll starts an execution that opens an
 * Omnidesk chat with the AI conversation as chatbot log → the agent's reply comes back through the
 * Omnidesk Trigger → Reply as Human Agent into the same LiveChatAI conversation, which the trigger
 * never takes for a customer message or a new handoff.
 */
import { randomBytes } from 'crypto';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { LiveChatAiTrigger } from '../../nodes/LiveChatAi/LiveChatAiTrigger.node';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { forgetOwnMessagesInThisProcess } from '../../nodes/shared/memory/own-messages';
import { clearProcessedData, coreStandIns, createPoller, CredentialsStore, loadExample, runWebhookMethod, runWebhookWorkflow, runWorkflow } from '../harness';
import { LIVECHATAI_AGENT_IDS, LIVECHATAI_USER_IDS, startSandbox, type Sandbox } from '../sandbox';
import { omnideskCredentialTypes, omnideskCredentials, omnideskNodeTypes } from '../omnidesk/fixtures';
import { agentById, liveChatAiCredentialTypes, liveChatAiCredentials, liveChatAiNodeTypes } from './fixtures';

const TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.liveChatAiTrigger';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

const workflow = loadExample('livechatai-omnidesk-handoff.json', { liveChatAiApi: 'lc1', omnideskApi: 'od1' });
const node = (name: string) => workflow.nodes.find((candidate) => candidate.name === name) as INode;
// The example leaves the agent and the replying workspace user for the user to pick; the test picks the sandbox's.
node('Customer asks for a human').parameters.agentId = agentById(LIVECHATAI_AGENT_IDS.support);
node('Reply in LiveChatAI').parameters.userId = LIVECHATAI_USER_IDS.agent;

const nodeTypes = { ...liveChatAiNodeTypes, [TRIGGER_TYPE]: new LiveChatAiTrigger(), ...omnideskNodeTypes, ...coreStandIns };
const credentialTypes = [...liveChatAiCredentialTypes, ...omnideskCredentialTypes];

test('LiveChatAI customer asks for a human → Omnidesk chat with the AI history → agent reply back in LiveChatAI, never picked up again', async () => {
	sandbox.reset();
	clearProcessedData();
	forgetDeliveriesSeenInThisProcess();
	forgetOwnMessagesInThisProcess();
	let now = Date.UTC(2026, 0, 5, 10, 0, 0);
	sandbox.livechatai.clock = () => now;
	const credentials = { ...liveChatAiCredentials(sandbox), ...omnideskCredentials(sandbox) };
	const credentialsStore = new CredentialsStore();

	// Activation: the Omnidesk Trigger records its chatServer; the LiveChatAI Trigger's first poll is quiet.
	const staticData: IDataObject = {};
	const activation = await runWebhookMethod({ nodeType: new OmnideskTrigger(), node: node('Agent side'), method: 'create', staticData });
	Object.assign(staticData, activation.staticData);
	const chatServer = (staticData.global as IDataObject).omnideskChatServer as string;
	const poller = await createPoller({ nodeTypes, credentialTypes, credentials, credentialsStore, node: node('Customer asks for a human'), saved: staticData });
	expect((await poller.poll()).items).toBeNull();

	/** A poll; if it emits, n8n runs the workflow from the trigger with those items. */
	const pollAndRun = async () => {
		const { items, error } = await poller.poll();
		expect(error).toBeUndefined();
		if (!items) return { items, run: undefined };
		const run = await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials,
			credentialsStore,
			nodes: workflow.nodes,
			connections: workflow.connections,
			startNode: 'Customer asks for a human',
			triggerItems: items as INodeExecutionData[],
			staticData,
			mode: 'trigger',
		});
		expect(run.error).toBeUndefined();
		return { items, run };
	};

	// A widget chat with the AI; nothing for Omnidesk while the AI handles it.
	now += 1000;
	const chat = sandbox.livechatai.startConversation(LIVECHATAI_AGENT_IDS.support, { text: 'My parcel never arrived', name: 'Nora Web' });
	const first = await pollAndRun();
	expect(first.items?.map(({ json }) => json.event)).toEqual(['newCustomerMessage']);
	expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);

	// The customer asks for a human: the handoff carries the whole AI conversation.
	now += 60_000;
	sandbox.livechatai.requestHuman(chat.id, 'I want to talk to a person');
	sandbox.clearRequests();
	await pollAndRun();
	const sent = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage').map((r) => (r.body as { fields: Record<string, string> }).fields);
	expect(sent).toHaveLength(2);
	// oldest first: the request message, then the handoff with the log
	expect(sent[0]).toMatchObject({ chatSessionID: chat.id.replace(/_/g, '-'), chatServer, message: 'I want to talk to a person' });
	expect(sent[1].message).toBe(
		[
			'LiveChatAI conversation handed over to a human.',
			'',
			'Customer: My parcel never arrived',
			'AI agent: You asked: **My parcel never arrived**',
			'Customer: I want to talk to a person',
		].join('\n'),
	);

	// The Omnidesk agent replies: Reply as Human Agent into the same LiveChatAI conversation.
	now += 60_000;
	const boundary = `----omnidesk${randomBytes(6).toString('hex')}`;
	const fields = { sessionID: chat.id.replace(/_/g, '-'), message: 'Hello Nora, Eva here. Let me check.', name: 'Eva' };
	const body = Buffer.concat([
		...Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)),
		Buffer.from(`--${boundary}--\r\n`),
	]);
	const { webhook, run } = await runWebhookWorkflow({
		nodeTypes,
		credentialTypes,
		credentials,
		credentialsStore,
		nodes: workflow.nodes,
		connections: workflow.connections,
		triggerNodeName: 'Agent side',
		request: {
			method: 'POST',
			path: new URL(`${chatServer}/messageForCustomer`).pathname.replace(/^\/webhook\//, ''),
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
			body,
		},
		staticData,
	});
	expect(webhook.body).toBe('ok');
	expect(run?.error).toBeUndefined();
	const reply = sandbox.livechatai.messagesOf(chat.id).at(-1)!;
	expect(reply).toMatchObject({ role: 'agent', content: 'Hello Nora, Eva here. Let me check.', userId: LIVECHATAI_USER_IDS.agent });

	// The next poll: the reply is ours (and not a customer message): nothing goes back to Omnidesk.
	sandbox.clearRequests();
	expect((await pollAndRun()).items).toBeNull();

	// The customer answers: the agent gets it in the same Omnidesk chat.
	now += 60_000;
	sandbox.livechatai.customerMessage(chat.id, 'Thanks, order 4711');
	await pollAndRun();
	const followUp = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage').map((r) => (r.body as { fields: Record<string, string> }).fields);
	expect(followUp).toEqual([expect.objectContaining({ chatSessionID: chat.id.replace(/_/g, '-'), message: 'Thanks, order 4711' })]);
});

test('queue mode on n8n 2.41 (the worker starts the execution without the workflow’s static data): the poll carries the chatServer to the Omnidesk node', async () => {
	sandbox.reset();
	forgetOwnMessagesInThisProcess();
	let now = Date.UTC(2026, 0, 6, 10, 0, 0);
	sandbox.livechatai.clock = () => now;
	const credentials = { ...liveChatAiCredentials(sandbox), ...omnideskCredentials(sandbox) };
	const staticData: IDataObject = {};
	const activation = await runWebhookMethod({ nodeType: new OmnideskTrigger(), node: node('Agent side'), method: 'create', staticData });
	Object.assign(staticData, activation.staticData);
	const chatServer = (staticData.global as IDataObject).omnideskChatServer as string;
	const poller = await createPoller({ nodeTypes, credentialTypes, credentials, node: node('Customer asks for a human'), saved: staticData });
	expect((await poller.poll()).items).toBeNull();

	now += 1000;
	const chat = sandbox.livechatai.startConversation(LIVECHATAI_AGENT_IDS.support, { text: 'Where is my refund?', name: 'Omar' });
	now += 60_000;
	sandbox.livechatai.requestHuman(chat.id, 'A human please');
	const { items } = await poller.poll();
	expect(items).not.toBeNull();
	// what n8n 2.41 hands a worker: the poll's items through a JSON round trip, empty static data
	const onWorker = JSON.parse(JSON.stringify(items)) as INodeExecutionData[];
	sandbox.clearRequests();
	const run = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials,
		nodes: workflow.nodes,
		connections: workflow.connections,
		startNode: 'Customer asks for a human',
		triggerItems: onWorker,
		staticData: {},
		mode: 'trigger',
	});
	expect(run.error).toBeUndefined();
	const sent = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage').map((r) => (r.body as { fields: Record<string, string> }).fields);
	expect(sent.length).toBeGreaterThan(0);
	expect(sent.map((fields) => fields.chatServer)).toEqual(sent.map(() => chatServer));
	// only the first item carries it, and only the package's keys
	expect(onWorker.map((item) => Boolean((item.livechatBridge as IDataObject | undefined)?.staticData))).toEqual([true, ...onWorker.slice(1).map(() => false)]);
});
