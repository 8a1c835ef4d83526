/**
 * examples/digishare-omnidesk-handoff.json, run in n8n's engine against both sandboxes: a
 * Digishare customer asks for a human, the chat is handed to Omnidesk with the Digishare
 * conversation as session, the agent's reply and stop come back into Digishare, and archiving
 * the Digishare conversation ends the Omnidesk session.
 */
import { randomBytes } from 'crypto';
import type { IDataObject, INode } from 'n8n-workflow';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { clearProcessedData, coreStandIns, loadExample, runWebhookMethod, runWebhookWorkflow, CredentialsStore } from '../harness';
import { DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT, OMNIDESK_API_KEY, startSandbox, type Sandbox } from '../sandbox';
import { credentialTypes as digishareCredentialTypes, nodeTypes as digishareNodeTypes, patCredentials } from '../digishare/fixtures';
import { omnideskCredentialTypes, omnideskCredentials, omnideskNodeTypes } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

const CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;
const workflow = loadExample('digishare-omnidesk-handoff.json', {
	digishareApi: 'cred1',
	omnideskApi: 'od1',
});
const nodeTypes = { ...digishareNodeTypes, ...omnideskNodeTypes, ...coreStandIns };
const credentialTypes = [...digishareCredentialTypes, ...omnideskCredentialTypes];
const node = (name: string) => workflow.nodes.find((candidate) => candidate.name === name) as INode;

describe.each([
	['in one n8n process', false],
	['on queue-mode workers (n8n 2.41.1 starts each execution with empty static data)', true],
])('bot → human handoff example, %s', (_where, queueWorker) => {
	const staticData: IDataObject = {};
	let credentialsStore: CredentialsStore;
	let chatServer: string;

	const deliver = (triggerNodeName: string, request: Parameters<typeof runWebhookWorkflow>[0]['request']) =>
		runWebhookWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: { ...patCredentials(sandbox), ...omnideskCredentials(sandbox) },
			credentialsStore,
			nodes: workflow.nodes,
			connections: workflow.connections,
			triggerNodeName,
			request,
			staticData,
			queueWorker,
		});

	const customerSays = (text: string, id: string) =>
		deliver('Customer message', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				event: 'live_chat.new_message',
				data: { id, data: { conversation_id: CONVERSATION, body: text, sender: { model_type: 'third', name: 'Adil Chbada' } } },
			}),
		});

	/** What Omnidesk posts to `{chatServer}/<hookpoint>` (multipart form fields). */
	const omnideskPosts = (hookpoint: string, fields: Record<string, string>) => {
		const boundary = `----omnidesk${randomBytes(6).toString('hex')}`;
		const body = Buffer.concat([
			...Object.entries(fields).map(([name, value]) =>
				Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
			),
			Buffer.from(`--${boundary}--\r\n`),
		]);
		const path = new URL(`${chatServer}/${hookpoint}`).pathname.replace(/^\/webhook\//, '');
		return deliver('Agent side', {
			method: 'POST',
			path,
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
			body,
		});
	};

	beforeAll(async () => {
		sandbox.reset();
		clearProcessedData();
		forgetDeliveriesSeenInThisProcess();
		credentialsStore = new CredentialsStore();
		const activation = await runWebhookMethod({ nodeType: new OmnideskTrigger(), node: node('Agent side'), method: 'create', staticData });
		Object.assign(staticData, activation.staticData);
		chatServer = (staticData.global as IDataObject).omnideskChatServer as string;
		expect(chatServer).toBe(`http://localhost:5678/webhook/${node('Agent side').webhookId}/hookpoint`);
	});

	test('an ordinary message gets the bot reply and nothing goes to Omnidesk', async () => {
		const { webhook, run } = await customerSays('What are your opening hours?', 'm-1');
		expect(webhook.status).toBe(200);
		expect(run?.error).toBeUndefined();
		expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
		const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
		expect(replies).toHaveLength(1);
		expect(replies[0].body).toMatchObject({ conversation_id: CONVERSATION, body: expect.stringContaining('Type *human*') });
	});

	test('asking for a human opens an Omnidesk chat keyed by the Digishare conversation, with this workflow’s chatServer', async () => {
		sandbox.clearRequests();
		const { run } = await customerSays('Can I talk to a human please?', 'm-2');
		expect(run?.error).toBeUndefined();
		const handover = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage');
		expect(handover).toHaveLength(1);
		expect(handover[0].headers.apikey).toBe(OMNIDESK_API_KEY);
		expect((handover[0].body as { fields: Record<string, string> }).fields).toMatchObject({
			chatSessionID: CONVERSATION,
			chatServer,
			message: 'Customer Adil Chbada asks for a human: Can I talk to a human please?',
			channelID: '8',
		});
		const told = sandbox.requestsFor('digishare', 'POST', '/messages');
		expect(told).toHaveLength(1);
		expect(told[0].body).toMatchObject({ conversation_id: CONVERSATION, body: 'Connecting you with a colleague, one moment please…' });
		expect(sandbox.omnidesk.session(CONVERSATION)?.chatServer).toBe(chatServer);
	});

	test('the agent’s reply reaches the customer in Digishare; Omnidesk gets "ok"', async () => {
		sandbox.clearRequests();
		const { webhook, run } = await omnideskPosts('messageForCustomer', {
			sessionID: CONVERSATION,
			message: 'Hello Adil, Eva here. How can I help?',
			name: 'Eva',
			picture: 'https://cdn.example/eva.png',
		});
		expect(webhook.status).toBe(200);
		expect(webhook.body).toBe('ok');
		expect(run?.error).toBeUndefined();
		const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
		expect(replies).toHaveLength(1);
		expect(replies[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
		expect(replies[0].body).toEqual({
			conversation_id: CONVERSATION,
			type: 'text',
			body: 'Eva: Hello Adil, Eva here. How can I help?',
			send_to_third: true,
		});
	});

	test('the agent pressing stop closes the chat for the customer; Omnidesk gets {"message":"ok"}', async () => {
		sandbox.clearRequests();
		const { webhook } = await omnideskPosts('endSession', { sessionID: CONVERSATION });
		expect(webhook.json).toEqual({ message: 'ok' });
		const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
		expect(replies.map((request) => (request.body as IDataObject).body)).toEqual([
			'The agent closed this chat. Thanks for contacting us!',
		]);
	});

	test('archiving the Digishare conversation ends the Omnidesk session', async () => {
		sandbox.clearRequests();
		const { run } = await deliver('Conversation closed', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				event: 'live_chat.conversation_archived',
				data: { conversation_id: CONVERSATION, archived_at: '2025-12-04T08:00:00Z', archived_by: { type: 'user', id: 'u1' } },
			}),
		});
		expect(run?.error).toBeUndefined();
		const ended = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/message/notifyUserEndChat');
		expect(ended).toHaveLength(1);
		expect((ended[0].body as { fields: Record<string, string> }).fields).toEqual({ chatSessionID: CONVERSATION, chatServer });
	});
});
