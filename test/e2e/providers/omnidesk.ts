/**
 * Omnidesk in a real n8n: its credential and credential test,
 * examples/digishare-omnidesk-handoff.json driven through both triggers' production URLs —
 * Digishare deliveries (JSON) and Omnidesk's hookpoint posts (multipart) to
 * `{chatServer}/<hookpoint>`, chatServer = `/webhook/<webhookId>/hookpoint` — and the Omnidesk
 * Trigger in three workflows at once, all four hookpoints of each.
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	OMNIDESK_API_KEY,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	type RecordedRequest,
	type Sandbox,
} from '../../sandbox';
import { credentialRefusal, deliver, digishareGot, eventually, executions, webhookBase } from '../context';
import type { ProviderE2E, TriggerCopy, TriggerE2E } from '../provider-spec';

const CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;

let sequence = 0;
function customerSays(text: string) {
	return {
		event: 'live_chat.new_message',
		data: {
			id: `e2e-od-${Date.now()}-${++sequence}`,
			data: {
				conversation_id: CONVERSATION,
				body: text,
				type: 'text',
				system: false,
				send_to_third: false,
				sender: { id: 'snd0001', model_type: 'third', model_id: 'ejymmg0jz3930liv', name: 'Adil Chbada' },
			},
		},
	};
}

const fieldsOf = (request: RecordedRequest) => (request.body as { fields: Record<string, string> }).fields;
const digishareTexts = (sandbox: Sandbox) =>
	sandbox.requestsFor('digishare', 'POST', '/messages').map((request) => String((request.body as { body?: unknown }).body));

/** What Omnidesk posts to a copy's `{chatServer}/<hookpoint>` (multipart, as the sandbox plays Omnidesk). */
const toHookpoint = (sandbox: Sandbox, copy: TriggerCopy, hookpoint: string, fields: Record<string, string>, file?: { name: string; data: string }) =>
	sandbox.omnidesk.pushToChatServer(`${copy.webhookBase}/hookpoint`, hookpoint, fields, {
		encoding: 'multipart',
		...(file ? { file: { name: file.name, contentType: 'application/pdf', data: Buffer.from(file.data) } } : {}),
	});

const omnideskTrigger: TriggerE2E = {
	type: 'omnideskTrigger',
	parameters: {},
	copies: 3,
	deliveries: [
		{
			title: 'agent reply (messageForCustomer)',
			send: (sandbox, copy) => toHookpoint(sandbox, copy, 'messageForCustomer', { sessionID: copy.tag, message: `Reply for ${copy.tag}`, name: 'Eva' }),
			answer: { status: 200, body: 'ok' },
			item: (copy) => ({ provider: 'omnidesk', event: 'messageForCustomer', conversationId: copy.tag, text: `Reply for ${copy.tag}`, messageType: 'text' }),
		},
		{
			title: 'agent file (uploadForCustomer)',
			send: (sandbox, copy) => toHookpoint(sandbox, copy, 'uploadForCustomer', { sessionID: copy.tag }, { name: `${copy.tag}.pdf`, data: `%PDF-1.4 ${copy.tag}` }),
			answer: { status: 200, body: 'ok' },
			item: (copy) => ({ provider: 'omnidesk', event: 'uploadForCustomer', conversationId: copy.tag, text: `${copy.tag}.pdf`, messageType: 'file' }),
		},
		{
			title: 'agent typing (typingIndicatorForCustomer)',
			send: (sandbox, copy) => toHookpoint(sandbox, copy, 'typingIndicatorForCustomer', { Typing: 'true', SessionID: copy.tag }),
			answer: { status: 200, body: 'ok' },
			item: (copy) => ({ provider: 'omnidesk', event: 'typingIndicatorForCustomer', conversationId: copy.tag, messageType: 'typing_started' }),
		},
		{
			title: 'agent pressed stop (endSession)',
			send: (sandbox, copy) => toHookpoint(sandbox, copy, 'endSession', { sessionID: copy.tag }),
			answer: { status: 200, body: { message: 'ok' } },
			item: (copy) => ({ provider: 'omnidesk', event: 'endSession', conversationId: copy.tag, messageType: 'session_ended' }),
		},
	],
};

export const provider: ProviderE2E = {
	name: 'Omnidesk',
	triggers: [omnideskTrigger],
	credentials: [
		{
			key: 'omnidesk',
			type: 'omnideskApi',
			name: 'Omnidesk sandbox',
			data: (sandbox) => ({
				baseUrl: sandbox.baseUrl('omnidesk'),
				apiKey: OMNIDESK_API_KEY,
				chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
				chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
				chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
			}),
		},
		{
			key: 'digishare',
			type: 'digishareApi',
			name: 'Digishare sandbox (for the Omnidesk handoff)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
	],
	credentialTests: [
		{
			title: 'Omnidesk API with a valid key: OK, and the test sent the key to Omnidesk',
			credential: 'omnidesk',
			expect: { status: 'OK' },
			verify: (sandbox) => {
				const [request] = sandbox.requestsFor('omnidesk', 'GET', '/api/v2/chat/whitelistedDomainsAndBlacklistedIPs');
				expect(request?.headers.apikey).toBe(OMNIDESK_API_KEY);
			},
		},
		{
			title: 'Omnidesk API with a wrong key: Error saying Omnidesk refused the key (401), without the key in the message',
			credential: {
				type: 'omnideskApi',
				name: 'Omnidesk sandbox (wrong key)',
				data: (sandbox) => ({
					baseUrl: sandbox.baseUrl('omnidesk'),
					apiKey: 'odk_wrong_0000000',
					chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
					chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
				}),
			},
			expect: { status: 'Error', message: credentialRefusal('odk_wrong_0000000', 'Omnidesk refused the API key (401)') },
		},
	],
	examples: [
		{
			file: 'digishare-omnidesk-handoff.json',
			credentials: { digishareApi: 'digishare', omnideskApi: 'omnidesk' },
			scenarios: [
				{
					title: 'an ordinary customer message gets the bot reply and nothing goes to Omnidesk',
					run: async ({ sandbox, workflow }) => {
						const answer = await deliver(workflow.webhook('Customer message', 'webhook'), customerSays('What are your opening hours?'));
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
						const reply = await eventually('the bot reply', () => digishareTexts(sandbox).find((text) => text.includes('Type *human*')));
						expect(reply).toContain('What are your opening hours?');
						expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
					},
				},
				{
					title: "asking for a human opens an Omnidesk chat whose chatServer is this workflow's production hookpoint URL",
					run: async ({ sandbox, workflow }) => {
						await deliver(workflow.webhook('Customer message', 'webhook'), customerSays('Can I talk to a human please?'));
						await digishareGot(sandbox, 'Connecting you with a colleague, one moment please…');
						const [handover] = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage');
						expect(handover.headers.apikey).toBe(OMNIDESK_API_KEY);
						expect(fieldsOf(handover)).toMatchObject({
							chatSessionID: CONVERSATION,
							chatServer: `${webhookBase()}/webhook/${workflow.node('Agent side').webhookId}/hookpoint`,
							message: 'Customer Adil Chbada asks for a human: Can I talk to a human please?',
						});
					},
				},
				{
					title: "the agent's reply, which the sandbox posts as Omnidesk does (multipart) to {chatServer}/messageForCustomer, reaches the customer; Omnidesk gets \"ok\"",
					run: async ({ sandbox }) => {
						const answer = await sandbox.omnidesk.agentReply(CONVERSATION, 'Hello Adil, Eva here. How can I help?', {
							name: 'Eva',
							picture: 'https://cdn.example/eva.png',
						});
						expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'ok' });
						const reply = await digishareGot(sandbox, 'Eva: Hello Adil, Eva here. How can I help?');
						expect(reply.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
						expect(reply.body).toMatchObject({ conversation_id: CONVERSATION, send_to_third: true });
					},
				},
				{
					title: 'typing (typingIndicatorForCustomer) and a file (uploadForCustomer) get "ok" and, not selected in this example, start nothing',
					run: async ({ sandbox, workflow }) => {
						const before = (await executions(workflow.id)).length;
						const typing = await sandbox.omnidesk.agentTyping(CONVERSATION, true);
						expect({ status: typing.status, body: typing.body }).toEqual({ status: 200, body: 'ok' });
						const file = await sandbox.omnidesk.agentFile(CONVERSATION, {
							name: 'invoice.pdf',
							contentType: 'application/pdf',
							data: Buffer.from('%PDF-1.4 sandbox invoice'),
						});
						expect({ status: file.status, body: file.body }).toEqual({ status: 200, body: 'ok' });
						// Deliveries are handled in order: once a later reply has gone through, an execution of
						// the typing or file post would have shown up too.
						await sandbox.omnidesk.agentReply(CONVERSATION, 'Marker after typing and file', { name: 'Eva' });
						await digishareGot(sandbox, 'Eva: Marker after typing and file');
						expect((await executions(workflow.id)).length).toBe(before + 1);
					},
				},
				{
					title: 'the agent pressing stop, posted to {chatServer}/endSession, closes the chat for the customer; Omnidesk gets {"message":"ok"}',
					run: async ({ sandbox }) => {
						const answer = await sandbox.omnidesk.agentEndSession(CONVERSATION);
						expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { message: 'ok' } });
						await digishareGot(sandbox, 'The agent closed this chat. Thanks for contacting us!');
					},
				},
				{
					title: 'archiving the Digishare conversation ends the Omnidesk session',
					run: async ({ sandbox, workflow }) => {
						const answer = await deliver(workflow.webhook('Conversation closed', 'webhook'), {
							event: 'live_chat.conversation_archived',
							data: { conversation_id: CONVERSATION, archived_at: '2025-12-04T08:00:00Z', archived_by: { type: 'user', id: 'u7k2m9p4q1w8e5r3' } },
						});
						expect(answer.status).toBe(200);
						const ended = await eventually('POST /api/v2/message/notifyUserEndChat', () =>
							sandbox.requestsFor('omnidesk', 'POST', '/api/v2/message/notifyUserEndChat')[0],
						);
						const [handover] = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage');
						expect(fieldsOf(ended)).toEqual({ chatSessionID: CONVERSATION, chatServer: fieldsOf(handover).chatServer });
					},
				},
				{
					title: 'every execution of the example succeeded, one per delivery that reached a trigger',
					run: async ({ workflow }) => {
						const expected = 6; // 2 customer messages, 2 agent replies, the agent's stop, the archive
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
