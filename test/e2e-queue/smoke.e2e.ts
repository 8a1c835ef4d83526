/**
 * The queue-mode infrastructure works with this package: every process is up and main lists the
 * package's nodes; examples/digishare-auto-reply.json, activated through main's public API,
 * answers customer messages delivered to both webhook processors, each executed once by the
 * worker; and after every n8n process is restarted, the same session, workflow and webhooks
 * still work.
 */
import { DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT, startSandbox, type RecordedRequest, type Sandbox } from '../sandbox';
import {
	PACKAGE,
	createCredential,
	deactivate,
	deliver,
	editorApi,
	eventually,
	importWorkflow,
	loadExample,
	nodeOutput,
	packageCredentialTypes,
	waitForExecutions,
	type ImportedWorkflow,
} from '../e2e/context';
import { digishareCustomerMessage } from '../e2e/payloads';
import { packageNodeTypes } from '../../scripts/lib/n8n-run';
import {
	activateOnWebhookProcessors,
	processLog,
	productionUrls,
	queueState,
	restartN8n,
	runningProcesses,
	waitForWorkflowWebhooks,
} from './queue-context';

const TRIGGER = 'Digishare Trigger';
const REPLY = 'Reply in the conversation';

let sequence = 0;
/** A `live_chat.new_message` delivery as Digishare sends it, with a fresh message id. */
function newMessage(text: string) {
	const id = `queuemsg${Date.now()}${++sequence}`;
	return { id, text, body: digishareCustomerMessage(text, DIGISHARE_CONVERSATION_IDS.active, id) };
}

const expectedReply = (text: string) => `Hi Adil Chbada, thanks for your message "${text}". An agent will get back to you shortly.`;

async function status(url: string): Promise<number> {
	const response = await fetch(url);
	await response.arrayBuffer();
	return response.status;
}

describe('queue mode', () => {
	test('main, every webhook processor and the worker answer their readiness checks', async () => {
		const state = queueState();
		expect(state.webhookUrls).toHaveLength(2);
		const urls = [state.url, ...state.webhookUrls, state.workerHealthUrl].map((base) => `${base}/healthz/readiness`);
		expect(await Promise.all(urls.map(async (url) => ({ url, status: await status(url) })))).toEqual(urls.map((url) => ({ url, status: 200 })));
	});

	test("main lists every node and credential of the package (the editor's /types/nodes.json and /types/credentials.json)", async () => {
		const nodes = await editorApi().ok<Array<{ name: string }>>('GET', '/types/nodes.json');
		const credentials = await editorApi().ok<Array<{ name: string }>>('GET', '/types/credentials.json');
		const expectedNodes = Object.keys(packageNodeTypes()).sort();
		expect(expectedNodes.length).toBe(PACKAGE.n8n.nodes.length);
		const listed = new Set(nodes.map((node) => node.name));
		expect(expectedNodes.filter((name) => !listed.has(name))).toEqual([]);
		const expectedCredentials = packageCredentialTypes();
		const listedCredentials = new Set(credentials.map((credential) => credential.name));
		expect(expectedCredentials.filter((name) => !listedCredentials.has(name))).toEqual([]);
	});
});

describe('examples/digishare-auto-reply.json in queue mode', () => {
	let sandbox: Sandbox;
	let workflow: ImportedWorkflow;
	let urls: string[];
	/** Every message delivered to a webhook processor so far. */
	const sent: Array<{ id: string; text: string }> = [];

	const replies = (): RecordedRequest[] => sandbox.requestsFor('digishare', 'POST', '/messages');
	const repliesQuoting = (text: string) => replies().filter((request) => String((request.body as { body?: unknown }).body).includes(`"${text}"`));

	/** Delivers messages alternately to the webhook processors; returns what each delivery was answered. */
	async function deliverAlternately(texts: string[]) {
		const answers = [];
		for (const [i, text] of texts.entries()) {
			const message = newMessage(text);
			const answer = await deliver(urls[i % urls.length], message.body);
			sent.push(message);
			answers.push({ text, status: answer.status, body: answer.json });
		}
		return answers;
	}

	/** Each text is replied to exactly once, in its conversation, with the example's answer. */
	async function expectRepliedOnce(texts: string[]) {
		await eventually(`a reply to each of ${texts.length} messages`, () => texts.every((text) => repliesQuoting(text).length > 0));
		for (const text of texts) {
			const found = repliesQuoting(text);
			expect({ text, replies: found.length }).toEqual({ text, replies: 1 });
			expect(found[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
			expect(found[0].body).toEqual({ conversation_id: DIGISHARE_CONVERSATION_IDS.active, type: 'text', body: expectedReply(text), send_to_third: true });
			expect(found[0].response.status).toBe(201);
		}
	}

	/** One successful webhook execution per delivered message, each finished by the worker. */
	async function expectExecutionsBySentMessages() {
		const list = await waitForExecutions(workflow.id, sent.length);
		expect(list.map((execution) => ({ status: execution.status, mode: execution.mode }))).toEqual(list.map(() => ({ status: 'success', mode: 'webhook' })));
		const messageIds = list.map((execution) => nodeOutput(execution, TRIGGER)[0]?.messageId).sort();
		expect(messageIds).toEqual(sent.map((message) => message.id).sort());
		for (const execution of list) expect(nodeOutput(execution, REPLY)[0]).toMatchObject({ status: 'sent', conversationId: DIGISHARE_CONVERSATION_IDS.active });
		// The worker logs "finished" right after it saved the execution: poll its log briefly.
		const ids = list.map((execution) => execution.id);
		await eventually(`"Worker finished execution <id>" in the worker's log for executions ${ids.join(', ')}`, () => {
			const workerLog = processLog('worker');
			return ids.every((id) => workerLog.includes(`Worker finished execution ${id} `));
		});
		expect(replies()).toHaveLength(sent.length);
	}

	beforeAll(async () => {
		sandbox = await startSandbox();
		const credential = await createCredential('digishareApi', 'Digishare sandbox (token)', {
			authMode: 'accessToken',
			accessToken: DIGISHARE_PAT,
			baseUrl: sandbox.baseUrl('digishare'),
		});
		workflow = await importWorkflow(loadExample('digishare-auto-reply.json'), { digishareApi: credential });
		const activated = await activateOnWebhookProcessors(workflow);
		expect(activated.active).toBe(true);
		urls = productionUrls(workflow, TRIGGER, 'webhook');
	}, 120000); // activation waits for every webhook processor to serve the webhook (up to 90 s)
	afterAll(async () => {
		if (workflow) await deactivate(workflow.id);
		await sandbox?.close();
	});

	test('main does not serve the production URL (404); the webhook processors do, and n8n shows the first one as production URL', async () => {
		const onMain = await deliver(`${queueState().url}/webhook/${workflow.node(TRIGGER).webhookId}/webhook`, newMessage('Sent to main').body);
		expect(onMain.status).toBe(404);
		expect(urls).toHaveLength(2);
		expect(urls[0].startsWith(`${queueState().webhookUrls[0]}/webhook/`)).toBe(true);
	});

	test('customer messages delivered alternately to both webhook processors: each answered 200 {"received":true} and replied to exactly once', async () => {
		const texts = [1, 2, 3, 4, 5, 6].map((n) => `Queue message ${n}`);
		const answers = await deliverAlternately(texts);
		expect(answers).toEqual(texts.map((text) => ({ text, status: 200, body: { received: true } })));
		await expectRepliedOnce(texts);
		expect(replies().some((request) => String((request.body as { body?: unknown }).body).includes('Sent to main'))).toBe(false);
	});

	test("main's executions list shows one successful webhook execution per message, each finished by the worker", async () => {
		await expectExecutionsBySentMessages();
	});

	test('after a restart of every n8n process: the same session lists the nodes, the workflow is served again, and new messages are replied to once', async () => {
		const before = await runningProcesses();
		const restarted = await restartN8n();
		expect(Object.keys(restarted.processes).sort()).toEqual(Object.keys(before).sort());
		for (const name of Object.keys(before)) expect(restarted.processes[name].pid).not.toBe(before[name].pid);

		const nodes = await editorApi().ok<Array<{ name: string }>>('GET', '/types/nodes.json');
		expect(nodes.map((node) => node.name)).toEqual(expect.arrayContaining(Object.keys(packageNodeTypes())));

		await waitForWorkflowWebhooks(workflow);
		const texts = ['After the restart 1', 'After the restart 2'];
		const answers = await deliverAlternately(texts);
		expect(answers).toEqual(texts.map((text) => ({ text, status: 200, body: { received: true } })));
		await expectRepliedOnce(texts);
		await expectExecutionsBySentMessages();
	}, 360000);
});
