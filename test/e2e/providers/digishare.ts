/**
 * Digishare LiveChat in a real n8n: credentials pointing at the sandbox, the credential tests
 * run through n8n's editor endpoint, and examples/digishare-auto-reply.json driven with
 * webhook deliveries to its production URL.
 */
import {
	DIGISHARE_CLIENT_ID,
	DIGISHARE_CLIENT_SECRET,
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	DIGISHARE_PROFILE,
	type RecordedRequest,
	type Sandbox,
} from '../../sandbox';
import { credentialRefusal, deliver, eventually, executions, nodeOutput, waitForExecutions } from '../context';
import type { ProviderE2E, TriggerE2E } from '../provider-spec';

const TRIGGER = 'Digishare Trigger';
const REPLY = 'Reply in the conversation';
const WEBHOOK_PATH = 'webhook';

let sequence = 0;
/** A `live_chat.new_message` delivery as Digishare sends it (docs §5.7), with a fresh message id. */
function newMessage(text: string, overrides: Record<string, unknown> = {}, id = `e2emsg${Date.now()}${++sequence}`) {
	return {
		event: 'live_chat.new_message',
		data: {
			id,
			data: {
				conversation_id: DIGISHARE_CONVERSATION_IDS.active,
				body: text,
				type: 'text',
				system: false,
				send_to_third: false,
				sender: { id: 'snd0001', model_type: 'third', model_id: 'ejymmg0jz3930liv', name: 'Adil Chbada' },
				created_at: new Date().toISOString(),
				...overrides,
			},
		},
	};
}

function replies(sandbox: Sandbox): RecordedRequest[] {
	return sandbox.requestsFor('digishare', 'POST', '/messages');
}

function replyTexts(sandbox: Sandbox): string[] {
	return replies(sandbox).map((request) => String((request.body as { body?: unknown }).body));
}

/** The first delivery of the example scenarios (redelivered later). */
const FIRST_MESSAGE = newMessage('Where is my order 1234?');

/**
 * Every execution started so far replied exactly once: the number of executions (any status;
 * n8n stores one as soon as it starts) equals the number of replies the sandbox received.
 */
async function expectOneExecutionPerReply(workflowId: string, sandbox: Sandbox): Promise<void> {
	const list = await executions(workflowId);
	expect(list).toHaveLength(replies(sandbox).length);
}

/** Waits until the sandbox has received a reply quoting `text`; returns that request. */
async function replyQuoting(sandbox: Sandbox, text: string): Promise<RecordedRequest> {
	return await eventually(`a POST /messages quoting "${text}"`, () =>
		replies(sandbox).find((request) => String((request.body as { body?: unknown }).body).includes(text)),
	);
}

/**
 * The Digishare Trigger in two workflows at once. Both copies get a message with the same Digishare
 * message ID in a round (one Digishare account may post to several workflows): each runs it once.
 */
const post = async (url: string, body: unknown) => {
	const answer = await deliver(url, body);
	return { status: answer.status, body: answer.json ?? answer.text };
};

const digishareTrigger: TriggerE2E = {
	type: 'digishareTrigger',
	parameters: { events: ['live_chat.new_message', 'live_chat.conversation_archived'] },
	copies: 2,
	deliveries: [
		{
			title: 'customer message (live_chat.new_message)',
			send: (_sandbox, copy) => post(`${copy.webhookBase}/${WEBHOOK_PATH}`, newMessage(`Hello from ${copy.tag}`, { conversation_id: copy.tag }, `msg-${copy.round}`)),
			answer: { status: 200, body: { received: true } },
			item: (copy) => ({
				provider: 'digishare',
				event: 'live_chat.new_message',
				conversationId: copy.tag,
				messageId: `msg-${copy.round}`,
				text: `Hello from ${copy.tag}`,
			}),
		},
		{
			title: 'conversation archived (live_chat.conversation_archived)',
			send: (_sandbox, copy) =>
				post(`${copy.webhookBase}/${WEBHOOK_PATH}`, {
					event: 'live_chat.conversation_archived',
					data: { conversation_id: copy.tag, archived_at: '2025-12-04T08:00:00Z', archived_by: { type: 'user', id: 'u7k2m9p4q1w8e5r3' } },
				}),
			answer: { status: 200, body: { received: true } },
			item: (copy) => ({ provider: 'digishare', event: 'live_chat.conversation_archived', conversationId: copy.tag }),
		},
	],
};

export const provider: ProviderE2E = {
	name: 'Digishare',
	triggers: [digishareTrigger],
	credentials: [
		{
			key: 'pat',
			type: 'digishareApi',
			name: 'Digishare sandbox (token)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
		{
			key: 'oauth',
			type: 'digishareApi',
			name: 'Digishare sandbox (client credentials)',
			data: (sandbox) => ({
				authMode: 'clientCredentials',
				clientId: DIGISHARE_CLIENT_ID,
				clientSecret: DIGISHARE_CLIENT_SECRET,
				baseUrl: sandbox.baseUrl('digishare'),
			}),
		},
		{
			key: 'webhookSecret',
			type: 'digishareWebhookApi',
			name: 'Digishare webhook secret',
			data: () => ({ headerName: 'X-Digishare-Secret', username: 'digishare', secret: 'e2e-webhook-secret-0123' }),
		},
	],
	credentialTests: [
		{
			title: 'Digishare API with a valid token: OK, and the test called GET /user/profile with it',
			credential: 'pat',
			expect: { status: 'OK' },
			verify: (sandbox) => {
				const [request] = sandbox.requestsFor('digishare', 'GET', '/user/profile');
				expect(request?.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
				expect(request?.response.body).toEqual(DIGISHARE_PROFILE);
			},
		},
		{
			title: 'Digishare API with a wrong token: Error saying Digishare refused the credential (401)',
			credential: {
				type: 'digishareApi',
				name: 'Digishare sandbox (wrong token)',
				data: (sandbox) => ({ authMode: 'accessToken', accessToken: 'ds_pat_wrong', baseUrl: sandbox.baseUrl('digishare') }),
			},
			expect: { status: 'Error', message: credentialRefusal('ds_pat_wrong', 'Digishare refused the credential (401)') },
			verify: (sandbox) => {
				const [request] = sandbox.requestsFor('digishare', 'GET', '/user/profile');
				expect(request?.response.status).toBe(401);
			},
		},
		{
			title: 'Digishare API with client credentials: OK, after fetching a token from /oauth/token',
			credential: 'oauth',
			expect: { status: 'OK' },
			verify: (sandbox) => {
				expect(sandbox.requestsFor('digishare', 'POST', '/oauth/token')).toHaveLength(1);
				const [profile] = sandbox.requestsFor('digishare', 'GET', '/user/profile');
				expect(profile?.response.status).toBe(200);
				expect(String(profile?.headers.authorization)).not.toBe(`Bearer ${DIGISHARE_PAT}`);
			},
		},
		{
			title: 'Digishare API pointing at a closed port: Error',
			credential: {
				type: 'digishareApi',
				name: 'Digishare nowhere',
				data: () => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: 'http://127.0.0.1:9/v1' }),
			},
			expect: { status: 'Error' },
		},
		{
			title: 'Digishare Webhook Secret with a secret: OK',
			credential: 'webhookSecret',
			expect: { status: 'OK', message: /secret is set/i },
		},
		{
			title: 'Digishare Webhook Secret with an invalid header name: Error naming the header',
			credential: {
				type: 'digishareWebhookApi',
				name: 'Digishare webhook secret (bad header)',
				data: () => ({ headerName: 'Bad Header', username: 'digishare', secret: 'e2e-webhook-secret-0123' }),
			},
			expect: { status: 'Error', message: /header name/i },
		},
	],
	examples: [
		{
			file: 'digishare-auto-reply.json',
			credentials: { digishareApi: 'pat' },
			scenarios: [
				{
					title: 'a customer message is answered 200 {"received":true} and replied to in the same conversation with the token',
					run: async ({ sandbox, workflow }) => {
						const url = workflow.webhook(TRIGGER, WEBHOOK_PATH);
						const answer = await deliver(url, FIRST_MESSAGE);
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
						const reply = await replyQuoting(sandbox, 'Where is my order 1234?');
						expect(reply.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
						expect(reply.body).toEqual({
							conversation_id: DIGISHARE_CONVERSATION_IDS.active,
							type: 'text',
							body: 'Hi Adil Chbada, thanks for your message "Where is my order 1234?". An agent will get back to you shortly.',
							send_to_third: true,
						});
						expect(reply.response.status).toBe(201);
						// The provider stored it in the conversation.
						expect(sandbox.digishare.messagesOf(DIGISHARE_CONVERSATION_IDS.active).map((m) => m.body)).toContain(
							(reply.body as { body: string }).body,
						);
					},
				},
				{
					title: 'the execution list shows the run: trigger output normalized, reply node output = the sandbox answer',
					run: async ({ sandbox, workflow }) => {
						const [execution] = await waitForExecutions(workflow.id, 1);
						expect(execution.status).toBe('success');
						expect(execution.mode).toBe('webhook');
						const [event] = nodeOutput(execution, TRIGGER);
						expect(event).toMatchObject({
							provider: 'digishare',
							event: 'live_chat.new_message',
							conversationId: DIGISHARE_CONVERSATION_IDS.active,
							text: 'Where is my order 1234?',
							sender: { type: 'customer', name: 'Adil Chbada' },
						});
						const [sent] = nodeOutput(execution, REPLY);
						const reply = replies(sandbox)[0];
						expect(sent).toMatchObject(reply.response.body as Record<string, unknown>);
						expect(sent).toMatchObject({ conversationId: DIGISHARE_CONVERSATION_IDS.active, status: 'sent' });
					},
				},
				{
					title: 'a redelivery of that first message is answered 200 "duplicate delivery" and sends nothing (static data saved by the first execution)',
					run: async ({ sandbox, workflow }) => {
						const url = workflow.webhook(TRIGGER, WEBHOOK_PATH);
						const again = await deliver(url, FIRST_MESSAGE);
						expect({ status: again.status, body: again.json }).toEqual({
							status: 200,
							body: { received: true, skipped: 'duplicate delivery' },
						});
						// A later message still goes through; by then a reply to the redelivery would have been sent too.
						await deliver(url, newMessage('Thanks!'));
						await replyQuoting(sandbox, 'Thanks!');
						expect(replyTexts(sandbox).filter((text) => text.includes('Where is my order 1234?'))).toHaveLength(1);
						await expectOneExecutionPerReply(workflow.id, sandbox);
					},
				},
				{
					// n8n 2.41.1 may drop static data a trigger writes once the workflow has some; the
					// trigger also keeps delivery keys in process memory, so this holds in every n8n.
					title: 'a redelivery of a later message is also answered "duplicate delivery" and sends nothing',
					run: async ({ sandbox, workflow }) => {
						const url = workflow.webhook(TRIGGER, WEBHOOK_PATH);
						const later = newMessage('Is the shop open on Sunday?');
						expect((await deliver(url, later)).json).toEqual({ received: true });
						await replyQuoting(sandbox, 'Is the shop open on Sunday?');
						const again = await deliver(url, later);
						expect({ status: again.status, body: again.json }).toEqual({
							status: 200,
							body: { received: true, skipped: 'duplicate delivery' },
						});
						await deliver(url, newMessage('Marker after the redelivery'));
						await replyQuoting(sandbox, 'Marker after the redelivery');
						expect(replyTexts(sandbox).filter((text) => text.includes('Is the shop open on Sunday?'))).toHaveLength(1);
						await expectOneExecutionPerReply(workflow.id, sandbox);
					},
				},
				{
					title: "an agent's message is filtered out: 200 with the reason, no execution, no request",
					run: async ({ sandbox, workflow }) => {
						const url = workflow.webhook(TRIGGER, WEBHOOK_PATH);
						const agent = newMessage('Agent here, I am looking into it', {
							send_to_third: true,
							sender: { id: 'snd0002', model_type: 'user', model_id: 'u7k2m9p4q1w8e5r3', name: 'Sandbox Agent' },
						});
						const answer = await deliver(url, agent);
						expect({ status: answer.status, body: answer.json }).toEqual({
							status: 200,
							body: { received: true, skipped: 'not a customer message' },
						});
						// Deliveries are handled in order: once the next customer message is replied to, an
						// execution of the agent message would have started and replied too.
						await deliver(url, newMessage('Marker after the agent message'));
						await replyQuoting(sandbox, 'Marker after the agent message');
						expect(replyTexts(sandbox).some((text) => text.includes('Agent here'))).toBe(false);
						await expectOneExecutionPerReply(workflow.id, sandbox);
					},
				},
				{
					title: "malformed JSON gets n8n's own 422 and starts nothing",
					run: async ({ sandbox, workflow }) => {
						const url = workflow.webhook(TRIGGER, WEBHOOK_PATH);
						const repliesBefore = replies(sandbox).length;
						const answer = await deliver(url, '{"event": "live_chat.new_message", "data": ');
						expect(answer.status).toBe(422);
						expect(answer.json).toMatchObject({ code: 422, message: 'Failed to parse request body' });
						await deliver(url, newMessage('Marker after the malformed delivery'));
						await replyQuoting(sandbox, 'Marker after the malformed delivery');
						expect(replies(sandbox)).toHaveLength(repliesBefore + 1);
						await expectOneExecutionPerReply(workflow.id, sandbox);
					},
				},
				{
					title: 'a delivery without data is answered 400 by the trigger and starts nothing',
					run: async ({ sandbox, workflow }) => {
						const url = workflow.webhook(TRIGGER, WEBHOOK_PATH);
						const answer = await deliver(url, { event: 'live_chat.new_message' });
						expect(answer.status).toBe(400);
						expect(answer.json).toEqual({ error: expect.stringContaining('data') });
						await deliver(url, newMessage('Marker after the delivery without data'));
						await replyQuoting(sandbox, 'Marker after the delivery without data');
						await expectOneExecutionPerReply(workflow.id, sandbox);
					},
				},
				{
					title: 'every execution succeeded, one per reply',
					run: async ({ sandbox, workflow }) => {
						const list = await waitForExecutions(workflow.id, replies(sandbox).length);
						expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
						expect(list).toHaveLength(replies(sandbox).length);
					},
				},
			],
		},
	],
};
