/**
 * LivePerson in a real n8n: the credential (app mode: n8n fetches the service hosts from the
 * sandbox's Domain API and an AppJWT from its sentinel in preAuthentication) and its tests through
 * the editor's endpoint; examples/digishare-liveperson-handoff.json driven through both triggers'
 * production URLs — Digishare deliveries (JSON) and LivePerson's signed webhook notifications,
 * which the sandbox posts to the LivePerson Trigger as LivePerson does; and the LivePerson Trigger
 * in two workflows at once.
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_AGENT,
	LIVEPERSON_AGENTS,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	LIVEPERSON_MESSAGES,
	type LivePersonConversation,
	type RecordedRequest,
	type Sandbox,
} from '../../sandbox';
import { deliver, digishareGot, eventually, executions, productionUrlsOf } from '../context';
import type { ProviderE2E, TriggerCopy, TriggerE2E } from '../provider-spec';

/** Customer A (the handoff), and customer B in another Digishare conversation (to prove the routing). */
const CUSTOMER_A = { conversationId: DIGISHARE_CONVERSATION_IDS.active, name: 'Adil Chbada' };
const CUSTOMER_B = { conversationId: DIGISHARE_CONVERSATION_IDS.assigned, name: 'Sara Janssen' };
const consumerOf = (customer: { conversationId: string }) => `digishare:${customer.conversationId}`;

const ACCOUNT_PATH = `/api/account/${LIVEPERSON_ACCOUNT_ID}`;
const CONVERSATION_PATH = `${ACCOUNT_PATH}/messaging/consumer/conversation`;
const SEND_PATH = `${CONVERSATION_PATH}/send`;
const TOKEN_PATH = `/sentinel${ACCOUNT_PATH}/app/token`;

const NOT_SELECTED = { received: true, skipped: 'no selected change, or only duplicates' };

let sequence = 0;
function customerSays(customer: { conversationId: string; name: string }, text: string) {
	return {
		event: 'live_chat.new_message',
		data: {
			id: `e2e-lp-${Date.now()}-${++sequence}`,
			data: {
				conversation_id: customer.conversationId,
				body: text,
				type: 'text',
				system: false,
				send_to_third: false,
				sender: { id: `snd-${customer.conversationId}`, model_type: 'third', model_id: `third-${customer.conversationId}`, name: customer.name },
			},
		},
	};
}

const handover = (customer: { name: string }, text: string) => `Customer ${customer.name} asks for a human: ${text}`;

const digishareMessages = (sandbox: Sandbox) => sandbox.requestsFor('digishare', 'POST', '/messages');
const digishareTexts = (sandbox: Sandbox) => digishareMessages(sandbox).map((request) => String((request.body as { body?: unknown }).body));

const livePersonRequests = (sandbox: Sandbox) => sandbox.requests.filter((request) => request.provider.startsWith('liveperson'));

/** The consumer a ConsumerJWS (X-LP-ON-BEHALF) stands for, as the sandbox issued it. */
function consumerBehind(sandbox: Sandbox, request: RecordedRequest): string | undefined {
	const token = request.headers['x-lp-on-behalf'];
	return sandbox.liveperson.consumerJwsTokens.get(String(token))?.extConsumerId;
}

/** The OPEN LivePerson conversation of a Digishare customer (after its handover). */
function openConversation(sandbox: Sandbox, customer: { conversationId: string }): LivePersonConversation {
	const open = sandbox.liveperson.openConversationOf(consumerOf(customer));
	if (!open) throw new Error(`no open LivePerson conversation for ${consumerOf(customer)}`);
	return open;
}

/**
 * Executions the example should have started so far: the scenarios add one per delivery that
 * reaches a trigger and passes its filters, and wait for all of them to finish before the agent
 * side acts — the LivePerson Trigger passes only conversations whose consumer an execution
 * remembered, and n8n saves that (the workflow's static data) when the execution ends.
 */
let started = 0;
async function allFinished(workflowId: string): Promise<void> {
	await eventually(`${started} finished executions`, async () => {
		const list = await executions(workflowId);
		return list.length >= started && list.every((execution) => execution.status !== 'running' && execution.status !== 'new');
	});
}

async function customerAsks(sandbox: Sandbox, url: string, customer: { conversationId: string; name: string }, text: string) {
	const answer = await deliver(url, customerSays(customer, text));
	expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
	started++;
	return answer;
}

/** What LivePerson posts for an agent's text in a conversation: signed, to the trigger's production URL. */
async function agentSays(sandbox: Sandbox, conversationId: string, text: string, options: Parameters<Sandbox['liveperson']['agentMessage']>[2] = {}) {
	const answer = await sandbox.liveperson.agentMessage(conversationId, text, options);
	return { status: answer.status, body: answer.body };
}

// ---------------------------------------------------------------------------------------------
// The LivePerson Trigger side by side: hand-made notifications (the conversation IDs are the
// copies' tags) signed by the sandbox as LivePerson's app would sign them.
// ---------------------------------------------------------------------------------------------

const conversationOfCopy = (copy: TriggerCopy) => `conv-${copy.tag}`;

const notify = async (sandbox: Sandbox, copy: TriggerCopy, type: string, changes: unknown[]) => {
	const answer = await sandbox.liveperson.pushNotification(`${copy.webhookBase}/webhook`, {
		kind: 'notification',
		body: { sentTs: Date.now(), changes },
		type,
	});
	return { status: answer.status, body: answer.body };
};

const agentChange = (copy: TriggerCopy, sequenceNumber: number, event: Record<string, unknown>) => ({
	sequence: sequenceNumber,
	originatorId: LIVEPERSON_AGENT.id,
	originatorMetadata: { id: LIVEPERSON_AGENT.id, role: LIVEPERSON_AGENT.role },
	serverTimestamp: Date.now(),
	event,
	conversationId: conversationOfCopy(copy),
	dialogId: conversationOfCopy(copy),
	messageAudience: 'ALL',
});

let closedAt = Date.now();
const livePersonTrigger: TriggerE2E = {
	type: 'livePersonTrigger',
	parameters: { events: ['content', 'conversationChange'] },
	credentials: { livePersonApi: 'liveperson' },
	copies: 2,
	deliveries: [
		{
			title: 'agent message (ms.MessagingEventNotification ContentEvent text/plain)',
			send: (sandbox, copy) =>
				notify(sandbox, copy, 'ms.MessagingEventNotification', [
					agentChange(copy, 1, { type: 'ContentEvent', contentType: 'text/plain', message: `Reply for ${copy.tag}` }),
				]),
			answer: { status: 200, body: { received: true } },
			item: (copy) => ({
				provider: 'liveperson',
				event: 'ms.MessagingEventNotification.ContentEvent',
				conversationId: conversationOfCopy(copy),
				messageId: `${conversationOfCopy(copy)}:1`,
				text: `Reply for ${copy.tag}`,
				messageType: 'text',
				consumerId: null,
			}),
		},
		{
			title: 'agent file (ContentEvent hosted/file)',
			send: (sandbox, copy) =>
				notify(sandbox, copy, 'ms.MessagingEventNotification', [
					agentChange(copy, 2, {
						type: 'ContentEvent',
						contentType: 'hosted/file',
						message: { caption: `${copy.tag}.png`, relativePath: `/v1/AUTH_async-images/${LIVEPERSON_ACCOUNT_ID}/${copy.tag}.PNG`, fileType: 'PNG' },
					}),
				]),
			answer: { status: 200, body: { received: true } },
			item: (copy) => ({
				provider: 'liveperson',
				event: 'ms.MessagingEventNotification.ContentEvent',
				conversationId: conversationOfCopy(copy),
				text: `${copy.tag}.png`,
				messageType: 'file',
			}),
		},
		{
			title: 'agent closes the conversation (cqm.ExConversationChangeNotification, state CLOSE)',
			send: (sandbox, copy) => {
				closedAt = Math.max(Date.now(), closedAt + 1);
				return notify(sandbox, copy, 'cqm.ExConversationChangeNotification', [
					{
						type: 'UPSERT',
						result: {
							convId: conversationOfCopy(copy),
							effectiveTTR: -1,
							conversationDetails: {
								skillId: '-1',
								participants: [{ id: LIVEPERSON_AGENT.id, role: LIVEPERSON_AGENT.role }],
								brandId: LIVEPERSON_ACCOUNT_ID,
								state: 'CLOSE',
								stage: 'CLOSE',
								closeReason: 'AGENT',
								startTs: closedAt - 60000,
								endTs: closedAt,
								metaDataLastUpdateTs: closedAt,
							},
						},
					},
				]);
			},
			answer: { status: 200, body: { received: true } },
			item: (copy) => ({
				provider: 'liveperson',
				event: 'cqm.ExConversationChangeNotification',
				conversationId: conversationOfCopy(copy),
				text: 'AGENT',
				messageType: 'conversation_closed',
			}),
		},
	],
};

// ---------------------------------------------------------------------------------------------

const appCredential = (sandbox: Sandbox, overrides: Record<string, unknown> = {}) => ({
	accountId: LIVEPERSON_ACCOUNT_ID,
	authMode: 'app',
	clientId: LIVEPERSON_CLIENT_ID,
	clientSecret: LIVEPERSON_CLIENT_SECRET,
	domainApiUrl: sandbox.baseUrl('liveperson'),
	...overrides,
});

const WRONG_SECRET = 'lpsec_wrong_0000000000000000';
/** Matches any text that does not contain `secret`. */
const without = (secret: string) => new RegExp(`^(?![\\s\\S]*${secret})`);

export const provider: ProviderE2E = {
	name: 'LivePerson',
	triggers: [livePersonTrigger],
	credentials: [
		{
			key: 'liveperson',
			type: 'livePersonApi',
			name: 'LivePerson sandbox',
			data: (sandbox) => appCredential(sandbox),
		},
		{
			key: 'digishare',
			type: 'digishareApi',
			name: 'Digishare sandbox (for the LivePerson handoff)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
	],
	credentialTests: [
		{
			title: 'app credentials: OK, after one AppJWT request to sentinel (client ID and secret in the form body) and a Domain API lookup',
			credential: 'liveperson',
			expect: { status: 'OK', message: without(LIVEPERSON_CLIENT_SECRET) },
			verify: (sandbox) => {
				const tokens = sandbox.requestsFor('liveperson-sentinel', 'POST', TOKEN_PATH);
				expect(tokens).toHaveLength(1);
				const [token] = tokens;
				expect(token.bodyKind).toBe('form');
				expect(token.body).toEqual({ client_id: LIVEPERSON_CLIENT_ID, client_secret: LIVEPERSON_CLIENT_SECRET });
				expect(token.query).toMatchObject({ v: '1.0', grant_type: 'client_credentials' });
				expect(token.response.status).toBe(200);
				expect(token.response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer' });
				expect(JSON.stringify(token.response.body)).not.toContain(LIVEPERSON_CLIENT_SECRET);
				expect(sandbox.liveperson.tokenRequests).toEqual([expect.objectContaining({ clientId: LIVEPERSON_CLIENT_ID, credentialsIn: 'body', status: 200 })]);
				// The test request itself: the Domain API lookup of the messaging host.
				expect(sandbox.liveperson.domainLookups).toContainEqual(expect.objectContaining({ service: 'asyncMessagingEnt', status: 200 }));
			},
		},
		{
			title: "a wrong client secret: Error with LivePerson's message, without the secret",
			credential: {
				type: 'livePersonApi',
				name: 'LivePerson sandbox (wrong secret)',
				data: (sandbox) => appCredential(sandbox, { clientSecret: WRONG_SECRET }),
			},
			expect: { status: 'Error', message: /^(?![\s\S]*lpsec_wrong_0000000000000000)[\s\S]*Invalid client credentials/ },
			verify: (sandbox) => {
				const [token] = sandbox.requestsFor('liveperson-sentinel', 'POST', TOKEN_PATH);
				expect(token?.response.status).toBe(401);
				expect(sandbox.liveperson.appJwtsIssued).toBe(0);
			},
		},
		{
			title: 'tokens mode with garbage tokens: Error naming the AppJWT, and nothing asked of sentinel',
			credential: {
				type: 'livePersonApi',
				name: 'LivePerson sandbox (garbage tokens)',
				data: (sandbox) => ({
					accountId: LIVEPERSON_ACCOUNT_ID,
					authMode: 'tokens',
					appToken: 'not-a-jwt',
					consumerToken: 'not-a-jws-either',
					domainApiUrl: sandbox.baseUrl('liveperson'),
				}),
			},
			expect: { status: 'Error', message: /AppJWT/ },
			verify: (sandbox) => {
				expect(sandbox.requestsFor('liveperson-sentinel')).toHaveLength(0);
			},
		},
	],
	examples: [
		{
			file: 'digishare-liveperson-handoff.json',
			credentials: { digishareApi: 'digishare', livePersonApi: 'liveperson' },
			scenarios: [
				{
					title: 'an ordinary customer message gets the bot reply and nothing goes to LivePerson',
					run: async ({ sandbox, workflow }) => {
						started = 0;
						await customerAsks(sandbox, workflow.webhook('Customer message', 'webhook'), CUSTOMER_A, 'What are your opening hours?');
						const reply = await digishareGot(
							sandbox,
							'I\'m the assistant and I read: "What are your opening hours?". Type *human* to talk to a person.',
							CUSTOMER_A.conversationId,
						);
						expect(reply.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
						await allFinished(workflow.id);
						expect(livePersonRequests(sandbox)).toHaveLength(0);
					},
				},
				{
					title: 'asking for a human: a CONVERSATION (SetUserProfile + ConsumerRequestConversation) and a SEND with the text, as consumer digishare:<conversation ID>; the customer is told',
					run: async ({ sandbox, workflow }) => {
						// The agent side: LivePerson posts every event type to the Agent side's production URL.
						sandbox.liveperson.webhookUrl = workflow.webhook('Agent side', 'webhook');
						await customerAsks(sandbox, workflow.webhook('Customer message', 'webhook'), CUSTOMER_A, 'Can I talk to a human please?');
						const told = await digishareGot(sandbox, 'Connecting you with a colleague, one moment please…', CUSTOMER_A.conversationId);
						expect(told.body).toMatchObject({ conversation_id: CUSTOMER_A.conversationId, type: 'text', send_to_third: true });

						// n8n fetched an AppJWT (app credentials) and the consumer's ConsumerJWS from idp.
						expect(sandbox.liveperson.appJwtsIssued).toBeGreaterThanOrEqual(1);
						expect(sandbox.liveperson.consumerRequests).toContainEqual(expect.objectContaining({ extConsumerId: consumerOf(CUSTOMER_A), status: 201 }));

						const [request] = sandbox.requestsFor('liveperson-msg', 'POST', CONVERSATION_PATH);
						expect(request.response.status).toBe(200);
						expect(consumerBehind(sandbox, request)).toBe(consumerOf(CUSTOMER_A));
						expect(sandbox.liveperson.appJwts.has(String(request.headers.authorization))).toBe(true);
						expect(request.body).toEqual([
							{ kind: 'req', id: '1', type: 'userprofile.SetUserProfile', body: {} },
							{ kind: 'req', id: '2', type: 'cm.ConsumerRequestConversation', body: { brandId: LIVEPERSON_ACCOUNT_ID, channelType: 'MESSAGING' } },
						]);
						const conversation = openConversation(sandbox, CUSTOMER_A);
						expect(request.response.body).toEqual([
							{ reqId: '1', code: 'OK', body: {} },
							{ reqId: '2', code: 'OK', body: { conversationId: conversation.conversationId } },
						]);

						const [send] = sandbox.requestsFor('liveperson-msg', 'POST', SEND_PATH);
						expect(consumerBehind(sandbox, send)).toBe(consumerOf(CUSTOMER_A));
						expect(send.body).toEqual({
							kind: 'req',
							id: '1',
							type: 'ms.PublishEvent',
							body: {
								dialogId: conversation.conversationId,
								event: { type: 'ContentEvent', contentType: 'text/plain', message: handover(CUSTOMER_A, 'Can I talk to a human please?') },
							},
						});
						expect(send.response).toMatchObject({ status: 200, body: { code: 'OK', body: { sequence: 0 } } });
						expect(sandbox.liveperson.consumerTextsOf(conversation.conversationId)).toEqual([handover(CUSTOMER_A, 'Can I talk to a human please?')]);
						await allFinished(workflow.id);
					},
				},
				{
					title: "a second customer asking for a human gets a LivePerson conversation of their own",
					run: async ({ sandbox, workflow }) => {
						await customerAsks(sandbox, workflow.webhook('Customer message', 'webhook'), CUSTOMER_B, 'I want to speak to an agent');
						await digishareGot(sandbox, 'Connecting you with a colleague, one moment please…', CUSTOMER_B.conversationId);
						const a = openConversation(sandbox, CUSTOMER_A);
						const b = openConversation(sandbox, CUSTOMER_B);
						expect(b.conversationId).not.toBe(a.conversationId);
						expect(sandbox.liveperson.consumerTextsOf(b.conversationId)).toEqual([handover(CUSTOMER_B, 'I want to speak to an agent')]);
						expect(sandbox.requestsFor('liveperson-msg', 'POST', CONVERSATION_PATH)).toHaveLength(2);
						await allFinished(workflow.id);
					},
				},
				{
					title: "the agent's replies, posted signed to the LivePerson Trigger's production URL, reach each customer in the right Digishare conversation",
					run: async ({ sandbox, workflow }) => {
						const a = openConversation(sandbox, CUSTOMER_A);
						const b = openConversation(sandbox, CUSTOMER_B);
						expect(await agentSays(sandbox, a.conversationId, 'Hello Adil, Eva here. How can I help?')).toEqual({ status: 200, body: { received: true } });
						started++;
						const toA = await digishareGot(sandbox, 'Hello Adil, Eva here. How can I help?', CUSTOMER_A.conversationId);
						expect(toA.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
						expect(toA.body).toMatchObject({ conversation_id: CUSTOMER_A.conversationId, send_to_third: true });

						// In queue mode this one goes through the last webhook processor (the first one served A's).
						const lastProcessor = productionUrlsOf(workflow, 'Agent side', 'webhook').slice(-1)[0];
						expect(await agentSays(sandbox, b.conversationId, 'Hi Sara, how can I help?', { url: lastProcessor })).toEqual({ status: 200, body: { received: true } });
						started++;
						await digishareGot(sandbox, 'Hi Sara, how can I help?', CUSTOMER_B.conversationId);

						const [call] = sandbox.liveperson.webhookCalls;
						expect(call.url).toBe(workflow.webhook('Agent side', 'webhook'));
						expect(call.signature).toMatch(/^sha1=/);
						expect(digishareTexts(sandbox).filter((text) => text.startsWith('Hello Adil') || text.startsWith('Hi Sara'))).toHaveLength(2);
						await allFinished(workflow.id);
					},
				},
				{
					title: "an internal note (AGENTS_AND_MANAGERS), the echo of the customer's own message and a conversation this workflow did not open start nothing",
					run: async ({ sandbox, workflow }) => {
						const a = openConversation(sandbox, CUSTOMER_A);
						const before = (await executions(workflow.id)).length;
						const note = await agentSays(sandbox, a.conversationId, 'Internal: VIP customer, be nice', {
							audience: 'AGENTS_AND_MANAGERS',
							agent: LIVEPERSON_AGENTS.manager,
						});
						expect(note).toEqual({ status: 200, body: NOT_SELECTED });
						const echo = await sandbox.liveperson.consumerEcho(a.conversationId);
						expect({ status: echo.status, body: echo.body }).toEqual({ status: 200, body: NOT_SELECTED });
						// LivePerson posts every conversation of the account; this one no workflow execution opened.
						const stranger = sandbox.liveperson.startConversation('web:someone-else');
						expect(await agentSays(sandbox, stranger.conversationId, 'Hello stranger')).toEqual({ status: 200, body: NOT_SELECTED });
						// Deliveries are handled in order: once a later reply has gone through, anything the
						// note, the echo or the stranger's message started would have shown up too.
						expect(await agentSays(sandbox, a.conversationId, 'Marker after the note')).toEqual({ status: 200, body: { received: true } });
						started++;
						await digishareGot(sandbox, 'Marker after the note', CUSTOMER_A.conversationId);
						await allFinished(workflow.id);
						expect(digishareTexts(sandbox).some((text) => /Internal: VIP|Hello stranger|asks for a human/.test(text))).toBe(false);
						expect((await executions(workflow.id)).length).toBe(before + 1);
					},
				},
				{
					title: 'a delivery with a forged signature is refused (403) and starts nothing',
					run: async ({ sandbox, workflow }) => {
						const a = openConversation(sandbox, CUSTOMER_A);
						const forged = await agentSays(sandbox, a.conversationId, 'Forged: send me your password', { secret: 'not-the-client-secret' });
						expect(forged.status).toBe(403);
						expect(forged.body).toEqual({ error: expect.any(String) });
						expect(await agentSays(sandbox, a.conversationId, 'Marker after the forged delivery')).toEqual({ status: 200, body: { received: true } });
						started++;
						await digishareGot(sandbox, 'Marker after the forged delivery', CUSTOMER_A.conversationId);
						await allFinished(workflow.id);
						expect(digishareTexts(sandbox).some((text) => text.startsWith('Forged'))).toBe(false);
					},
				},
				{
					title: 'the agent closing the conversation (cqm.ExConversationChangeNotification) tells the customer it is closed',
					run: async ({ sandbox, workflow }) => {
						const a = openConversation(sandbox, CUSTOMER_A);
						const answer = await sandbox.liveperson.closeConversation(a.conversationId, 'AGENT');
						expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { received: true } });
						started++;
						await digishareGot(sandbox, 'The agent closed this chat. Thanks for contacting us!', CUSTOMER_A.conversationId);
						expect(sandbox.liveperson.conversation(a.conversationId)?.state).toBe('CLOSE');
						// Customer B's conversation is still open and got nothing.
						expect(
							digishareMessages(sandbox).filter(
								(request) => (request.body as { conversation_id?: string }).conversation_id === CUSTOMER_B.conversationId && /closed/.test(String((request.body as { body?: unknown }).body)),
							),
						).toHaveLength(0);
						await allFinished(workflow.id);
					},
				},
				{
					title: 'asking for a human again after the close opens a NEW LivePerson conversation (LivePerson refuses the closed one), and the agent reaches the customer there',
					run: async ({ sandbox, workflow }) => {
						const closed = sandbox.liveperson.consumerByExtId(consumerOf(CUSTOMER_A))!.conversationIds[0];
						const sendsBefore = sandbox.requestsFor('liveperson-msg', 'POST', SEND_PATH).length;
						await customerAsks(sandbox, workflow.webhook('Customer message', 'webhook'), CUSTOMER_A, 'Hello? I need a human again');
						await eventually('the second "Connecting you" for customer A', () =>
							digishareMessages(sandbox).filter(
								(request) =>
									(request.body as { conversation_id?: string }).conversation_id === CUSTOMER_A.conversationId &&
									(request.body as { body?: string }).body === 'Connecting you with a colleague, one moment please…',
							).length === 2,
						);
						const sends = sandbox.requestsFor('liveperson-msg', 'POST', SEND_PATH).slice(sendsBefore);
						// First into the remembered (closed) conversation: refused; then into the new one.
						expect(sends.map((send) => (send.body as { body: { dialogId: string } }).body.dialogId)).toEqual([closed, expect.not.stringMatching(closed)]);
						expect(sends[0].response).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST', body: { msg: LIVEPERSON_MESSAGES.closed } } });
						const reopened = openConversation(sandbox, CUSTOMER_A);
						expect(reopened.conversationId).not.toBe(closed);
						expect(sends[1].body).toMatchObject({ body: { dialogId: reopened.conversationId } });
						expect(sends[1].response.status).toBe(200);
						expect(sandbox.liveperson.consumerByExtId(consumerOf(CUSTOMER_A))!.conversationIds).toEqual([closed, reopened.conversationId]);
						expect(sandbox.liveperson.consumerTextsOf(reopened.conversationId)).toEqual([handover(CUSTOMER_A, 'Hello? I need a human again')]);
						expect(sandbox.requestsFor('liveperson-msg', 'POST', CONVERSATION_PATH)).toHaveLength(3);
						await allFinished(workflow.id);

						expect(await agentSays(sandbox, reopened.conversationId, 'Welcome back, Adil')).toEqual({ status: 200, body: { received: true } });
						started++;
						await digishareGot(sandbox, 'Welcome back, Adil', CUSTOMER_A.conversationId);
						await allFinished(workflow.id);
					},
				},
				{
					title: 'every execution of the example succeeded, one per delivery that passed a trigger',
					run: async ({ workflow }) => {
						// 4 customer messages (1 bot reply, 3 handovers), 5 agent messages, the close
						expect(started).toBe(10);
						await allFinished(workflow.id);
						const list = await executions(workflow.id);
						expect(list).toHaveLength(started);
						expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
					},
				},
			],
		},
	],
};
