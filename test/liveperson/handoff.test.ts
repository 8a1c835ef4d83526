/**
 * examples/digishare-liveperson-handoff.json in n8n's engine against the sandboxes: a Digishare
 * customer who asks for a human is handed to a LivePerson agent (consumer `digishare:<conversation>`),
 * the agent's reply — a webhook signed like LivePerson's — comes back into the same Digishare
 * conversation, an internal note does not, and the agent's close is told to the customer; a new
 * request after the close opens a new LivePerson conversation. In one n8n process and on
 * queue-mode workers (each execution with empty static data, as n8n 2.41.1 runs them there).
 */
import type { IDataObject } from 'n8n-workflow';
import { coreStandIns, loadExample, runWebhookWorkflow, CredentialsStore } from '../harness';
import {
	DIGISHARE_CONVERSATION_IDS,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	livePersonSignature,
	startSandbox,
	type Sandbox,
	startFakeServer,
	type FakeServer,
} from '../sandbox';
import { credentialTypes as digishareCredentialTypes, nodeTypes as digishareNodeTypes, patCredentials } from '../digishare/fixtures';
import { freshProcess, livePersonCredentialTypes, livePersonCredentials, livePersonNodeTypes } from './fixtures';

let sandbox: Sandbox;
let sink: FakeServer;
beforeAll(async () => {
	sandbox = await startSandbox();
	// The sandbox's close helper also posts its webhook somewhere: a sink (the test delivers itself).
	sink = await startFakeServer();
});
afterAll(async () => {
	await sandbox.close();
	await sink.close();
});

const CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;
const CONSUMER = `digishare:${CONVERSATION}`;
const workflow = loadExample('digishare-liveperson-handoff.json', { digishareApi: 'cred1', livePersonApi: 'lp1' });

describe.each([
	['in one n8n process', false],
	['on queue-mode workers (n8n 2.41.1 starts each execution with empty static data)', true],
])('Digishare ⇄ LivePerson handoff example, %s', (_where, queueWorker) => {
	const staticData: IDataObject = {};
	let credentialsStore: CredentialsStore;
	let liveConversation: string;

	const run = (triggerNodeName: string, request: Parameters<typeof runWebhookWorkflow>[0]['request']) =>
		runWebhookWorkflow({
			nodeTypes: { ...digishareNodeTypes, ...livePersonNodeTypes, ...coreStandIns },
			credentialTypes: [...digishareCredentialTypes, ...livePersonCredentialTypes],
			credentials: { ...patCredentials(sandbox), ...livePersonCredentials(sandbox) },
			credentialsStore,
			nodes: workflow.nodes,
			connections: workflow.connections,
			triggerNodeName,
			request,
			staticData,
			queueWorker,
		});

	const customerSays = (text: string, id: string) =>
		run('Customer message', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				event: 'live_chat.new_message',
				data: { id, data: { conversation_id: CONVERSATION, body: text, sender: { model_type: 'third', name: 'Adil Chbada' } } },
			}),
		});

	/** What LivePerson posts to the Agent side: the notification, signed over its exact bytes. */
	const livePersonPosts = (type: string, changes: unknown[]) => {
		const raw = JSON.stringify({ kind: 'notification', body: { sentTs: Date.now(), changes }, type });
		return run('Agent side', {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-liveperson-account-id': LIVEPERSON_ACCOUNT_ID,
				'x-liveperson-client-id': LIVEPERSON_CLIENT_ID,
				'x-liveperson-signature': livePersonSignature(LIVEPERSON_CLIENT_SECRET, raw, 'sha1', 'base64'),
			},
			body: raw,
		});
	};

	const digishareTexts = () => sandbox.requestsFor('digishare', 'POST', '/messages').map((request) => (request.body as IDataObject).body);

	beforeAll(() => {
		sandbox.reset();
		sandbox.liveperson.webhookUrl = sink.url;
		freshProcess();
		credentialsStore = new CredentialsStore();
	});

	test('an ordinary message gets the bot reply; nothing goes to LivePerson', async () => {
		const { run: execution } = await customerSays('Opening hours?', 'm-1');
		expect(execution?.error).toBeUndefined();
		expect(sandbox.requestsFor('liveperson-msg')).toHaveLength(0);
		expect(digishareTexts()).toEqual([expect.stringContaining('Type *human*')]);
	});

	test('asking for a human opens a LivePerson conversation for consumer digishare:<conversation>, sends the text, tells the customer', async () => {
		sandbox.clearRequests();
		const { run: execution } = await customerSays('Can I talk to a human please?', 'm-2');
		expect(execution?.error).toBeUndefined();
		const open = sandbox.liveperson.openConversationOf(CONSUMER);
		expect(open).toBeDefined();
		liveConversation = open!.conversationId;
		expect(sandbox.liveperson.consumerTextsOf(liveConversation)).toEqual(['Customer Adil Chbada asks for a human: Can I talk to a human please?']);
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')[0].body).toMatchObject({
			conversation_id: CONVERSATION,
			body: 'Connecting you with a colleague, one moment please…',
		});
	});

	test('the agent’s reply reaches the customer in that Digishare conversation (the trigger knows the consumer)', async () => {
		sandbox.clearRequests();
		const change = sandbox.liveperson.recordAgentMessage(liveConversation, 'Hello Adil, Sam from support here.');
		const { webhook, run: execution } = await livePersonPosts('ms.MessagingEventNotification', [change]);
		expect({ status: webhook.status, body: webhook.json }).toEqual({ status: 200, body: { received: true } });
		expect(execution?.error).toBeUndefined();
		expect(execution?.output('Agent side')[0].json).toMatchObject({ provider: 'liveperson', consumerId: CONSUMER, text: 'Hello Adil, Sam from support here.' });
		const [reply] = sandbox.requestsFor('digishare', 'POST', '/messages');
		expect(reply.body).toMatchObject({ conversation_id: CONVERSATION, body: 'Hello Adil, Sam from support here.' });
	});

	test('an internal agent note does not reach the customer', async () => {
		sandbox.clearRequests();
		const change = sandbox.liveperson.recordAgentMessage(liveConversation, 'Customer seems upset', { audience: 'AGENTS_AND_MANAGERS' });
		const { webhook, run: execution } = await livePersonPosts('ms.MessagingEventNotification', [change]);
		expect(webhook.status).toBe(200);
		expect(execution).toBeUndefined();
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(0);
	});

	test('the agent closing the conversation: the customer is told', async () => {
		sandbox.clearRequests();
		await sandbox.liveperson.closeConversation(liveConversation, 'AGENT');
		const { run: execution } = await livePersonPosts('cqm.ExConversationChangeNotification', [sandbox.liveperson.conversationChangeOf(liveConversation)]);
		expect(execution?.error).toBeUndefined();
		expect(execution?.output('Agent side')[0].json).toMatchObject({ messageType: 'conversation_closed', text: 'AGENT', consumerId: CONSUMER });
		expect(digishareTexts()).toEqual(['The agent closed this chat. Thanks for contacting us!']);
	});

	test('asking for a human again after the close opens a new LivePerson conversation', async () => {
		sandbox.clearRequests();
		const { run: execution } = await customerSays('I need a human again', 'm-3');
		expect(execution?.error).toBeUndefined();
		const reopened = sandbox.liveperson.openConversationOf(CONSUMER);
		expect(reopened?.conversationId).toBeDefined();
		expect(reopened?.conversationId).not.toBe(liveConversation);
		expect(sandbox.liveperson.consumerTextsOf(reopened!.conversationId)).toEqual(['Customer Adil Chbada asks for a human: I need a human again']);
		// …and the agent's side of the new conversation finds the customer too.
		sandbox.clearRequests();
		const change = sandbox.liveperson.recordAgentMessage(reopened!.conversationId, 'Welcome back');
		await livePersonPosts('ms.MessagingEventNotification', [change]);
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')[0].body).toMatchObject({ conversation_id: CONVERSATION, body: 'Welcome back' });
	});
});
