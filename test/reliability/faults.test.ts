/**
 * The action nodes against the sandbox's faults (issue 12): every provider's sending call (POST,
 * never repeated) and reading call (retried), through n8n's engine, under 429s with and without
 * Retry-After, 5xx, dropped connections, timeouts, truncated and non-JSON answers, a 200 with an
 * error inside, and expired tokens. What a user sees is asserted: the items, or a NodeApiError
 * naming the provider, the operation and the item; the sandbox counts what it processed, and no
 * message may ever arrive twice. At the end every captured text is scanned for every secret.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';
import { retryPolicy } from '../../nodes/shared/transport';
import { oauthCredentials, runDigishare } from '../digishare/fixtures';
import { agentById, runLiveChatAi } from '../livechatai/fixtures';
import { freshProcess, runLivePerson } from '../liveperson/fixtures';
import { runOmnidesk } from '../omnidesk/fixtures';
import {
	DIGISHARE_CLIENT_SECRET,
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	DIGISHARE_THIRD_IDS,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVEPERSON_CLIENT_SECRET,
	OMNIDESK_API_KEY,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	startSandbox,
	type FaultSpec,
	type RecordedRequest,
	type Sandbox,
} from '../sandbox';
import { secretScan } from './secret-scan';

let sandbox: Sandbox;
const waits: number[] = [];
const original = { ...retryPolicy };
const scan = secretScan();

beforeAll(async () => {
	sandbox = await startSandbox();
	retryPolicy.wait = async (ms: number) => {
		waits.push(ms);
	};
	retryPolicy.backoffMs = [250, 750, 1500];
});
afterAll(async () => {
	Object.assign(retryPolicy, original);
	await sandbox.close();
});
afterEach(() => {
	// every token the sandbox issued in this test (reset() forgets them)
	scan.addSecrets([
		...sandbox.liveperson.appJwts.keys(),
		...sandbox.liveperson.consumerJwsTokens.keys(),
		...sandbox.digishare.oauthTokens.keys(),
	]);
});
beforeEach(() => {
	sandbox.reset();
	freshProcess();
	waits.length = 0;
	retryPolicy.timeoutMs = original.timeoutMs;
});

const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';
const LP_CONSUMER = 'digishare:faults';
type Run = Awaited<ReturnType<typeof runDigishare>>;

interface Target {
	/** "Digishare send" */
	name: string;
	provider: string;
	operation: string;
	/** where the fault is injected */
	fault: Pick<FaultSpec, 'provider' | 'method' | 'path'>;
	/** POST that may deliver a message: never repeated */
	sends: boolean;
	run(tag: string): Promise<Run>;
	/** how many times the provider processed the call carrying `tag` */
	processed(tag: string): number;
}

const handled = (request: RecordedRequest) => !request.faulted || (request.response.status !== 0 && !request.dropped && request.response.status < 400);
const carries = (request: RecordedRequest, tag: string) => request.rawBody.toString('utf8').includes(tag);

const targets: Target[] = [
	{
		name: 'Digishare send',
		provider: 'Digishare',
		operation: 'Operation: Message → Send, item 0',
		fault: { provider: 'digishare', method: 'POST', path: '/messages' },
		sends: true,
		run: (tag) =>
			runDigishare(sandbox, {
				resource: 'message',
				operation: 'send',
				conversationId: DIGISHARE_CONVERSATION_IDS.active,
				messageType: 'text',
				text: `Hello ${tag}`,
			}),
		processed: (tag) => sandbox.requestsFor('digishare', 'POST', '/messages').filter((r) => handled(r) && carries(r, tag)).length,
	},
	{
		name: 'Digishare read',
		provider: 'Digishare',
		operation: 'Operation: Contact → Get, item 0',
		fault: { provider: 'digishare', method: 'GET', path: /^\/thirds\// },
		sends: false,
		run: () => runDigishare(sandbox, { resource: 'contact', operation: 'get', contactId: DIGISHARE_THIRD_IDS[0] }),
		processed: () => 0,
	},
	{
		name: 'Omnidesk send',
		provider: 'Omnidesk',
		operation: 'Operation: Chat → Send Customer Message, item 0',
		fault: { provider: 'omnidesk', method: 'POST', path: '/api/v2/chat/notifyUserNewChatMessage' },
		sends: true,
		run: (tag) =>
			runOmnidesk(sandbox, {
				resource: 'chat',
				operation: 'sendMessage',
				chatSessionId: 'sess-1001',
				message: `I want a human ${tag}`,
				chatServer: CHAT_SERVER,
			}),
		processed: (tag) =>
			sandbox
				.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage')
				.filter((r) => handled(r) && carries(r, tag)).length,
	},
	{
		name: 'Omnidesk read',
		provider: 'Omnidesk',
		operation: 'Operation: Chat → Check Agent Availability, item 0',
		fault: { provider: 'omnidesk-chat', method: 'GET', path: '/requestChatConfig' },
		sends: false,
		run: () => runOmnidesk(sandbox, { resource: 'chat', operation: 'checkAvailability' }),
		processed: () => 0,
	},
	{
		name: 'LiveChatAI send',
		provider: 'LiveChatAI',
		operation: 'Operation: Conversation → Send Message, item 0',
		fault: { provider: 'livechatai', method: 'POST', path: '/conversations' },
		sends: true,
		run: (tag) =>
			runLiveChatAi(sandbox, {
				resource: 'conversation',
				operation: 'sendMessage',
				agentId: agentById(LIVECHATAI_AGENT_IDS.support),
				question: `Opening hours? ${tag}`,
			}),
		processed: (tag) => sandbox.requestsFor('livechatai', 'POST', '/conversations').filter((r) => handled(r) && carries(r, tag)).length,
	},
	{
		name: 'LiveChatAI read',
		provider: 'LiveChatAI',
		operation: 'Operation: Agent → Get Many, item 0',
		fault: { provider: 'livechatai', method: 'GET', path: /^\/agents/ },
		sends: false,
		run: () => runLiveChatAi(sandbox, { resource: 'agent', operation: 'getAll', returnAll: true }),
		processed: () => 0,
	},
	{
		name: 'LivePerson send',
		provider: 'LivePerson',
		operation: 'Operation: Message → Send Text, item 0',
		fault: { provider: 'liveperson-msg', method: 'POST', path: /\/send$/ },
		sends: true,
		run: (tag) => runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: LP_CONSUMER, text: `Help ${tag}` }),
		processed: (tag) => sandbox.requestsFor('liveperson-msg', 'POST', /\/send$/).filter((r) => handled(r) && carries(r, tag)).length,
	},
];

let tagSeq = 0;
const nextTag = () => `t${++tagSeq}x${Date.now().toString(36)}`;
const duplicates: string[] = [];

/** Runs a target with a tag, records it for the secret scan and the duplicate count. */
async function attempt(target: Target) {
	const tag = nextTag();
	const result = await target.run(tag);
	scan.capture(result);
	// a delayed request may still be on its way to the handler: wait until the sandbox answered it
	for (let i = 0; i < 100 && sandbox.requests.some((r) => r.response.status === 0 && !r.dropped); i++) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	if (target.sends && target.processed(tag) > 1) duplicates.push(`${target.name} ${tag}`);
	return { ...result, tag };
}

function expectApiError(target: Target, result: Run, message: RegExp | string, description?: RegExp | string) {
	const error = result.error as (Error & { description?: string; context?: IDataObject }) | undefined;
	expect(error).toBeDefined();
	expect(error?.name).toBe('NodeApiError');
	expect(error?.message).toContain(target.provider);
	if (typeof message === 'string') expect(error?.message).toContain(message);
	else expect(error?.message).toMatch(message);
	expect(error?.description).toContain(target.operation);
	if (description !== undefined) {
		if (typeof description === 'string') expect(error?.description).toContain(description);
		else expect(error?.description).toMatch(description);
	}
	expect(error?.context?.itemIndex).toBe(0);
}

const NOT_RETRIED = 'Not retried automatically: the request may already have been processed';
const faultedCount = (target: Target) => sandbox.requests.filter((r) => r.provider === target.fault.provider && r.faulted).length;

describe.each(targets.map((t) => [t.name, t] as const))('%s', (_name, target) => {
	const fault = (spec: Omit<FaultSpec, 'provider'>) => sandbox.fault({ ...target.fault, ...spec });

	test('429 with Retry-After in seconds → waits that long, then succeeds', async () => {
		fault({ status: 429, headers: { 'Retry-After': '2' } });
		const result = await attempt(target);
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		expect(waits).toEqual([2000]);
		if (target.sends) expect(target.processed(result.tag)).toBe(1);
	});

	test('429 with Retry-After as an HTTP date → waits until then, then succeeds', async () => {
		fault({ status: 429, headers: { 'Retry-After': new Date(Date.now() + 5000).toUTCString() } });
		const result = await attempt(target);
		expect(result.error).toBeUndefined();
		expect(waits).toHaveLength(1);
		expect(waits[0]).toBeGreaterThanOrEqual(4000);
		expect(waits[0]).toBeLessThanOrEqual(5000);
	});

	test('429 without Retry-After → a growing wait (1 s, 2 s, …), then succeeds', async () => {
		fault({ status: 429, headers: { 'Retry-After': '' }, times: 2 });
		const result = await attempt(target);
		expect(result.error).toBeUndefined();
		expect(waits).toEqual([1000, 2000]);
	});

	test('429 that never ends → gives up after 4 attempts with a clear error', async () => {
		fault({ status: 429, headers: { 'Retry-After': '1' }, times: Infinity });
		const result = await attempt(target);
		expectApiError(target, result, /.+/, 'Still rate limited after 4 attempts');
		expect((result.error as { httpCode?: string }).httpCode).toBe('429');
		expect(waits).toEqual([1000, 1000, 1000]);
		expect(faultedCount(target)).toBe(4);
	});

	test('429 asking for an hour → not waited for: an error at once that says how long', async () => {
		fault({ status: 429, headers: { 'Retry-After': '3600' } });
		const result = await attempt(target);
		expectApiError(target, result, /.+/, 'asked to wait 3600 s');
		expect(waits).toEqual([]);
	});

	test.each([500, 502, 503, 504])('%d → a send fails at once, a read is retried (not 500)', async (status) => {
		fault({ status });
		const result = await attempt(target);
		if (target.sends || status === 500) {
			expectApiError(target, result, /.+/, target.sends ? NOT_RETRIED : undefined);
			expect((result.error as { httpCode?: string }).httpCode).toBe(String(status));
			expect(faultedCount(target)).toBe(1);
			expect(waits).toEqual([]);
		} else {
			expect(result.error).toBeUndefined();
			expect(waits).toEqual([250]);
		}
	});

	test('connection reset → a send is not repeated (error saying so); a read is retried', async () => {
		fault({ drop: true });
		const result = await attempt(target);
		if (target.sends) {
			expectApiError(target, result, `Could not reach ${target.provider}`, NOT_RETRIED);
			expect(faultedCount(target)).toBe(1);
		} else {
			expect(result.error).toBeUndefined();
			expect(waits).toEqual([250]);
		}
	});

	test('no answer in time → a send fails (processed at most once); a read is retried', async () => {
		retryPolicy.timeoutMs = 200;
		fault({ delayMs: 1000 });
		const result = await attempt(target);
		if (target.sends) {
			expectApiError(target, result, `Could not reach ${target.provider}`, NOT_RETRIED);
			expect(target.processed(result.tag)).toBeLessThanOrEqual(1);
		} else {
			expect(result.error).toBeUndefined();
			expect(waits).toEqual([250]);
		}
	});

	test('a 200 whose JSON is cut short → an error, never a half-read item', async () => {
		fault({ status: 200, body: '{"data":{"id":"abc","bo', headers: { 'content-type': 'application/json' } });
		const result = await attempt(target);
		expectApiError(target, result, 'The answer is not valid JSON (cut short?)', target.sends ? NOT_RETRIED : undefined);
		expect(result.items).toEqual([]);
	});

	test('a 200 with an HTML page (a proxy, a login page) → an error', async () => {
		fault({ status: 200, body: '<!DOCTYPE html><html><body>Please log in</body></html>', headers: { 'content-type': 'text/html' } });
		const result = await attempt(target);
		expectApiError(target, result, 'The answer is an HTML page, not an API answer', 'Please log in');
	});
});

describe('tokens', () => {
	test('Digishare OAuth: an expired access token → one new token, then success', async () => {
		const credentials = oauthCredentials(sandbox);
		const first = await runDigishare(sandbox, { resource: 'contact', operation: 'get', contactId: DIGISHARE_THIRD_IDS[0] }, { credentials });
		expect(first.error).toBeUndefined();
		scan.capture(first);
		sandbox.digishare.expireOAuthTokens();
		const issued = sandbox.digishare.oauthTokensIssued;
		const again = await runDigishare(sandbox, { resource: 'contact', operation: 'get', contactId: DIGISHARE_THIRD_IDS[0] }, { credentials });
		scan.capture(again);
		expect(again.error).toBeUndefined();
		expect(sandbox.digishare.oauthTokensIssued).toBe(issued + 1);
		scan.addSecrets([...sandbox.digishare.oauthTokens.keys()]);
	});

	test('LivePerson: an expired AppJWT → one renewal, the send retried once, delivered once', async () => {
		const tag = nextTag();
		const first = await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: LP_CONSUMER, text: `One ${tag}` });
		expect(first.error).toBeUndefined();
		sandbox.liveperson.expireAppJwts();
		const again = await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: LP_CONSUMER, text: `Two ${tag}` });
		scan.capture(first, again);
		expect(again.error).toBeUndefined();
		const delivered = sandbox.requestsFor('liveperson-msg', 'POST', /\/send$/).filter((r) => handled(r) && carries(r, `Two ${tag}`));
		expect(delivered.filter((r) => r.response.status === 200)).toHaveLength(1);
		expect(sandbox.liveperson.appJwtsIssued).toBe(2);
	});

	test('LivePerson: a 200 whose body reports a failure → the provider error, not an item', async () => {
		// a SEND refused inside a 200 (what the Connector API does for a batch): the consumer's conversation is closed
		const tag = nextTag();
		const first = await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: LP_CONSUMER, text: `Open ${tag}` });
		expect(first.error).toBeUndefined();
		sandbox.fault({
			provider: 'liveperson-msg',
			method: 'POST',
			path: /\/send$/,
			status: 200,
			body: { reqId: '1', code: 'BAD_REQUEST', body: { msg: 'Conversation is not active' } },
		});
		const refused = await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: LP_CONSUMER, text: `Refused ${tag}` });
		scan.capture(first, refused);
		const target = targets.find((t) => t.name === 'LivePerson send') as Target;
		expectApiError(target, refused, /.+/);
		expect(refused.items).toEqual([]);
	});
});


test('the campaign: zero duplicate sends, zero secrets in errors, outputs, execution records and logs', () => {
	// the scan can fail: two planted canaries (a log line through n8n's Logger, an error) are found
	const canaries = ['canary-log-5f1e9a0c77', 'canary-error-0b3d7e21c4'];
	Container.get(Logger).warn(`token ${canaries[0]}`);
	scan.capture({ error: new Error(`refused ${canaries[1]}`) });
	scan.addSecrets([
		...canaries,
		DIGISHARE_PAT,
		DIGISHARE_CLIENT_SECRET,
		OMNIDESK_API_KEY,
		OMNIDESK_CHAT_ACCOUNT_TOKEN,
		OMNIDESK_CHAT_SERVER_TOKEN,
		LIVECHATAI_API_KEY,
		LIVEPERSON_CLIENT_SECRET,
	]);
	const report = scan.report();
	const real = report.found.filter((f) => !f.includes('canary'));
	if (process.env.RELIABILITY_REPORT) {
		console.log(
			`fault campaign: ${report.captured - 1} runs scanned for ${report.secrets - canaries.length} secrets and tokens: ${real.length} occurrences; duplicate sends: ${duplicates.length}`,
		);
	}
	expect(report.found.filter((f) => f.includes('canary'))).toEqual(['log: canary…', 'error: canary…']);
	expect(report.captured).toBeGreaterThan(90);
	expect(report.secrets).toBeGreaterThan(15);
	expect(duplicates).toEqual([]);
	expect(real).toEqual([]);
});
