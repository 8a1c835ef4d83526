/**
 * Send and Wait for Reply in a real n8n (regular and queue mode, n8n 2.x and 1.x):
 * examples/digishare-order-status.json as a user imports it — a customer's message gets the
 * question, the execution waits, the customer's answer resumes that execution (no new one), the
 * order is looked up at the sandbox's stand-in shop and answered; an answer delivered three times
 * resumes once; two customers waiting at once each get their own answer; n8n restarted while two
 * executions wait: the one whose wait limit passed goes on with the reminder, the other is resumed
 * by its customer's answer after the restart.
 */
import { DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT, type Sandbox } from '../../sandbox';
import {
	deliver,
	digishareGot,
	eventually,
	executions,
	nodeOutput,
	productionUrlsOf,
	editorApi,
	restartN8n,
	type ExecutionSummary,
	type ImportedWorkflow,
} from '../context';
import { digishareCustomerMessage } from '../payloads';
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

export const provider: ProviderE2E = {
	name: 'Send and Wait for Reply',
	credentials: [
		{
			key: 'pat',
			type: 'digishareApi',
			name: 'Digishare sandbox (send and wait)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
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
						// n8n's wait tracker, started again, resumes the wait when its limit passes.
						try {
							await eventually(`the reminder in ${C}`, () => messagesTo(sandbox, C).includes(REMINDER), 90000);
						} catch (error) {
							(error as Error).message += ` executions: ${JSON.stringify(await byStatus(workflow.id))}`;
							throw error;
						}
						const [timedOut] = await eventually('the timed-out execution finished', async () =>
							(await executions(workflow.id)).filter(
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
	],
};
