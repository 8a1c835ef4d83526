/**
 * "Digishare Trigger → Digishare Message Send" as one workflow in n8n's engine: a customer
 * message webhook comes in and the sandbox receives the reply in the same conversation with
 * the bearer token. Also the OAuth client-credentials flow across executions.
 */
import type { IDataObject } from 'n8n-workflow';
import { runWebhookWorkflow, CredentialsStore } from '../harness';
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	startSandbox,
	type Sandbox,
} from '../sandbox';
import {
	DIGISHARE_TRIGGER_TYPE,
	DIGISHARE_TYPE,
	credentialTypes,
	fastRetries,
	nodeTypes,
	oauthCredentials,
	patCredentials,
} from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	fastRetries();
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => {
	await sandbox.close();
});

const CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;

function autoReplyWorkflow() {
	return [
		{
			name: 'Digishare Trigger',
			type: DIGISHARE_TRIGGER_TYPE,
			webhookId: 'b6b3f3e4-0d44-4b8e-8f3a-6f1f5b0c2a11',
			parameters: { events: ['live_chat.new_message'] },
		},
		{
			name: 'Reply',
			type: DIGISHARE_TYPE,
			parameters: {
				resource: 'message',
				operation: 'send',
				messageType: 'text',
				text: '=Thanks {{ $json.sender.name }}, you said: {{ $json.text }}',
			},
			credentials: { digishareApi: { id: 'cred1', name: 'Digishare account' } },
		},
	];
}

function customerMessage(text: string, id: string) {
	return JSON.stringify({
		event: 'live_chat.new_message',
		data: { id, data: { conversation_id: CONVERSATION, body: text, sender: { model_type: 'third', name: 'Adil Chbada' } } },
	});
}

test('a customer message is answered in the same conversation with the bearer token', async () => {
	const { webhook, run } = await runWebhookWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: patCredentials(sandbox),
		nodes: autoReplyWorkflow(),
		request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: customerMessage('/info', 'msg1') },
	});
	expect(webhook.status).toBe(200);
	expect(run?.error).toBeUndefined();
	const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
	expect(replies).toHaveLength(1);
	expect(replies[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
	expect(replies[0].body).toEqual({
		conversation_id: CONVERSATION,
		type: 'text',
		body: 'Thanks Adil Chbada, you said: /info',
		send_to_third: true,
	});
	expect(run?.output('Reply')[0].json).toMatchObject({ status: 'sent', conversationId: CONVERSATION });
});

test('the echo of the reply comes back as a webhook and starts nothing (no bot loop)', async () => {
	const echo = JSON.stringify({
		event: 'live_chat.new_message',
		data: { id: 'msg2', data: { conversation_id: CONVERSATION, body: 'Thanks…', send_to_third: true, sender: null, system: false } },
	});
	const { webhook, run } = await runWebhookWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: patCredentials(sandbox),
		nodes: autoReplyWorkflow(),
		request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: echo },
	});
	expect(webhook.status).toBe(200);
	expect(run).toBeUndefined();
	expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(0);
});

test('OAuth client credentials: a token is fetched once, reused, and fetched again after it expires', async () => {
	const credentialsStore = new CredentialsStore();
	const deliverOnce = (id: string) =>
		runWebhookWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: oauthCredentials(sandbox),
			credentialsStore,
			nodes: autoReplyWorkflow(),
			request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: customerMessage('hello', id) },
		});

	const first = await deliverOnce('m1');
	expect(first.run?.error).toBeUndefined();
	const second = await deliverOnce('m2');
	expect(second.run?.error).toBeUndefined();
	expect(sandbox.requestsFor('digishare', 'POST', '/oauth/token')).toHaveLength(1);
	const tokenRequest = sandbox.requestsFor('digishare', 'POST', '/oauth/token')[0];
	expect(tokenRequest.body).toMatchObject({ grant_type: 'client_credentials' });

	const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
	expect(replies).toHaveLength(2);
	const issued = replies[0].headers.authorization;
	expect(issued).toMatch(/^Bearer .+/);
	expect(issued).not.toBe(`Bearer ${DIGISHARE_PAT}`);
	expect(replies[1].headers.authorization).toBe(issued);

	sandbox.digishare.expireOAuthTokens();
	const third = await deliverOnce('m3');
	expect(third.run?.error).toBeUndefined();
	expect(sandbox.requestsFor('digishare', 'POST', '/oauth/token')).toHaveLength(2);
	const all = sandbox.requestsFor('digishare', 'POST', '/messages');
	expect(all.map((request) => request.response.status)).toEqual([201, 201, 401, 201]);
	expect(all[3].headers.authorization).not.toBe(issued);
	const stored = credentialsStore.getData('digishareApi', 'cred1') as IDataObject;
	expect(`Bearer ${stored.sessionToken}`).toBe(all[3].headers.authorization);
});

test('OAuth with a wrong client secret: Digishare message, no secret anywhere', async () => {
	const wrong = 'definitely-not-the-secret-123';
	const { run } = await runWebhookWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: oauthCredentials(sandbox, { clientSecret: wrong }),
		nodes: autoReplyWorkflow(),
		request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: customerMessage('hello', 'm9') },
	});
	expect(run?.error?.message).toMatch(/Client authentication failed/);
	expect(JSON.stringify(run?.run)).not.toContain(wrong);
	expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(0);
});
