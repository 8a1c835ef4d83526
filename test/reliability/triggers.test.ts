/**
 * Reliability of every webhook trigger of the package under load, redelivery and big or wrongly
 * typed bodies — through n8n's webhook front end and engine (test/harness runWebhookWorkflow: a real
 * HTTP request per delivery, the execution in WorkflowExecute, n8n's dedupe helpers in memory).
 *
 * What a user sees is counted: an execution is a run n8n starts (webhook() returned workflowData)
 * whose trigger output holds items; what each sender got back is its HTTP status and body.
 *
 * RELIABILITY_REPORT=1 prints the answer time (max / p99) of the webhook calls per trigger; nothing
 * here asserts a duration.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import { DigishareTrigger } from '../../nodes/Digishare/DigishareTrigger.node';
import { canonicalEvent } from '../../nodes/Digishare/events';
import { deliveryId } from '../../nodes/Digishare/memory';
import { LivePersonTrigger } from '../../nodes/LivePerson/LivePersonTrigger.node';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { clearProcessedData, runWebhookWorkflow, type RunWebhookWorkflowResult, type WebhookRequestInput } from '../harness';
import { credentialTypes as digishareCredentialTypes } from '../digishare/fixtures';
import { LIVEPERSON_CREDENTIAL_REFERENCE, livePersonCredentialTypes } from '../liveperson/fixtures';
import { LIVEPERSON_ACCOUNT_ID, LIVEPERSON_CLIENT_ID, LIVEPERSON_CLIENT_SECRET } from '../sandbox';
import {
	CONVERSATION_CHANGE,
	EVENT_CHOICES,
	MESSAGING,
	conversationChange,
	digishareDelivery,
	encode,
	messagingChange,
	omnideskDelivery,
	sign,
	type Hookpoint,
} from '../fuzz/deliveries';
import { FUZZ_SEED, multipartBody } from '../fuzz/generators';

jest.setTimeout(60_000);

const SEED = FUZZ_SEED + 12;

/** One delivery: what is posted, and the items (their json) the execution must hold. */
interface Delivery {
	label: string;
	request: WebhookRequestInput;
	expected: IDataObject[];
}

interface DeliverOptions {
	queueWorker?: boolean;
	staticData?: IDataObject;
}

interface Trigger {
	name: string;
	nodeType: INodeType;
	/** Distinct valid deliveries (distinct delivery keys), always starting an execution. */
	valid(count: number, seed?: number): Delivery[];
	/** One delivery of each event kind the trigger emits. */
	kinds(): Array<{ kind: string; delivery: Delivery; deduplicated: boolean }>;
	/** A valid delivery whose text is `text` (the item's `text` must be exactly it). */
	withText(text: string, seed?: number): Delivery;
	deliver(delivery: Delivery | WebhookRequestInput, options?: DeliverOptions): Promise<RunWebhookWorkflowResult>;
}

// ---------------------------------------------------------------------------------------------
// Answer times (measured, reported on request, never asserted)
// ---------------------------------------------------------------------------------------------

const answerTimes = new Map<string, number[]>();
const outcomes: string[] = [];

afterAll(() => {
	if (process.env.RELIABILITY_REPORT !== '1') return;
	const lines = [...answerTimes.entries()].map(([name, times]) => {
		const sorted = [...times].sort((a, b) => a - b);
		const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
		return `${name.padEnd(20)} calls ${String(sorted.length).padStart(4)}  max ${sorted[sorted.length - 1].toFixed(1)} ms  p99 ${p99.toFixed(1)} ms`;
	});
	console.log(outcomes.join('\n'));
	console.log(`Webhook answer times (budget: LivePerson 2.5 s)\n${lines.join('\n')}`);
});

async function timed(name: string, call: () => Promise<RunWebhookWorkflowResult>): Promise<RunWebhookWorkflowResult> {
	const started = performance.now();
	try {
		return await call();
	} finally {
		const times = answerTimes.get(name) ?? [];
		times.push(performance.now() - started);
		answerTimes.set(name, times);
	}
}

// ---------------------------------------------------------------------------------------------
// Reading results
// ---------------------------------------------------------------------------------------------

function triggerItems(name: string, result: RunWebhookWorkflowResult): INodeExecutionData[] {
	return result.run?.output(name) ?? [];
}

/** The runs that reached the workflow with items — what the user sees as executions. */
function executions(name: string, results: RunWebhookWorkflowResult[]): INodeExecutionData[][] {
	return results.map((result) => triggerItems(name, result)).filter((items) => items.length > 0);
}

function expectAnswered(result: RunWebhookWorkflowResult): void {
	expect(result.webhook.webhookError).toBeUndefined();
	expect(result.webhook.responseError).toBeUndefined();
	expect(result.webhook.status).toBeGreaterThanOrEqual(200);
	expect(result.webhook.status).toBeLessThan(300);
	if (result.run) expect(result.run.status).toBe('success');
}

function expectItems(items: INodeExecutionData[], delivery: Delivery): void {
	expect(items.map((item) => item.json)).toEqual(delivery.expected.map((expected) => expect.objectContaining(expected)));
}

const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number) => fc.sample(arbitrary, { seed, numRuns: count });

/** The first `count` samples whose key is new. */
function distinct<T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number, key: (value: T) => string): T[] {
	const seen = new Set<string>();
	const kept = sample(arbitrary, count * 3, seed).filter((value) => {
		const k = key(value);
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
	if (kept.length < count) throw new Error(`only ${kept.length} distinct samples`);
	return kept.slice(0, count);
}

const json = (body: unknown): WebhookRequestInput => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// =============================================================================================
// The triggers
// =============================================================================================

const DIGISHARE_EVENTS = ['live_chat.new_conversation', 'live_chat.new_message', 'live_chat.conversation_archived', 'third.created', 'ticket.updated'];
const digishareNode = {
	id: 'a1b2c3d4-0001-4000-8000-000000000001',
	name: 'Digishare Trigger',
	type: 'n8n-nodes-livechat-bridge.digishareTrigger',
	webhookId: 'a1b2c3d4-1001-4000-8000-000000000001',
	parameters: { events: DIGISHARE_EVENTS } as INodeParameters,
};

const digishareMessage = (id: string, text: string): IDataObject => ({
	event: 'live_chat.new_message',
	data: { id, data: { conversation_id: 'conv-big', body: text, type: 'text', sender: { model_type: 'third', name: 'Adil' } } },
});

const digishare: Trigger = {
	name: 'Digishare Trigger',
	nodeType: new DigishareTrigger(),
	valid(count, seed = SEED) {
		return distinct(digishareDelivery, count, seed, ({ payload }) => `${canonicalEvent(String(payload.event))}:${deliveryId(payload) ?? JSON.stringify(payload)}`).map(
			({ payload, expected }, i) => ({ label: `digishare #${i}`, request: json(payload), expected: [{ provider: 'digishare', ...expected }] }),
		);
	},
	kinds() {
		const [message, conversation, archived] = [0, 1, 2].map((i) => this.valid(40, SEED + 100 + i).find((d) => d.expected[0].event === DIGISHARE_EVENTS[i])!);
		const record = (event: string, id: string): Delivery => ({
			label: event,
			request: json({ event, data: { id, name: 'Sara' } }),
			expected: [{ provider: 'digishare', event, messageId: id }],
		});
		return [
			{ kind: 'live_chat.new_message', delivery: message, deduplicated: true },
			{ kind: 'live_chat.new_conversation', delivery: conversation, deduplicated: true },
			{ kind: 'live_chat.conversation_archived', delivery: archived, deduplicated: true },
			{ kind: 'third.created (no ID: by its body)', delivery: record('third.created', 'thd-1'), deduplicated: true },
			{ kind: 'ticket.updated (no ID: by its body)', delivery: record('ticket.updated', 'tkt-1'), deduplicated: true },
		];
	},
	withText(text, seed = SEED) {
		const id = `big-${seed}`;
		return { label: 'digishare text', request: json(digishareMessage(id, text)), expected: [{ event: 'live_chat.new_message', messageId: id, text }] };
	},
	async deliver(delivery, options = {}) {
		const request = 'request' in delivery ? delivery.request : delivery;
		return await timed(this.name, () =>
			runWebhookWorkflow({
				nodeTypes: { [digishareNode.type]: this.nodeType },
				credentialTypes: digishareCredentialTypes,
				nodes: [digishareNode],
				request,
				staticData: options.staticData ?? {},
				queueWorker: options.queueWorker,
			}),
		);
	},
};

const omnideskNode = {
	id: 'a1b2c3d4-0002-4000-8000-000000000002',
	name: 'Omnidesk Trigger',
	type: 'n8n-nodes-livechat-bridge.omnideskTrigger',
	webhookId: 'a1b2c3d4-1002-4000-8000-000000000002',
	parameters: {} as INodeParameters,
};

const omnideskRequest = (hookpoint: Hookpoint, body: Buffer | string, contentType: string): WebhookRequestInput => ({
	method: 'POST',
	path: `${omnideskNode.webhookId}/hookpoint/${hookpoint}`,
	headers: { 'content-type': contentType },
	body,
});

const omnidesk: Trigger = {
	name: 'Omnidesk Trigger',
	nodeType: new OmnideskTrigger(),
	valid(count, seed = SEED) {
		return distinct(omnideskDelivery, count, seed, (d) => JSON.stringify(d.fields)).map((d, i) => {
			const { body, contentType } = encode(d);
			return {
				label: `omnidesk #${i} (${d.hookpoint}, ${d.encoding})`,
				request: omnideskRequest(d.hookpoint, body, contentType),
				expected: [{ provider: 'omnidesk', event: d.hookpoint, conversationId: d.expected.conversationId, text: d.expected.text, messageType: d.expected.messageType, sender: { type: 'agent', id: null, name: d.expected.name } }],
			};
		});
	},
	kinds() {
		const all = this.valid(60, SEED + 200);
		return (['messageForCustomer', 'uploadForCustomer', 'typingIndicatorForCustomer', 'endSession'] as const).map((hookpoint) => ({
			kind: hookpoint,
			delivery: all.find((d) => d.expected[0].event === hookpoint)!,
			deduplicated: hookpoint !== 'typingIndicatorForCustomer',
		}));
	},
	withText(text, seed = SEED) {
		const sessionID = `big-${seed}`;
		return {
			label: 'omnidesk text',
			request: omnideskRequest('messageForCustomer', JSON.stringify({ sessionID, message: text, name: 'Agent' }), 'application/json'),
			expected: [{ event: 'messageForCustomer', conversationId: sessionID, text }],
		};
	},
	async deliver(delivery, options = {}) {
		const request = 'request' in delivery ? delivery.request : delivery;
		return await timed(this.name, () =>
			runWebhookWorkflow({
				nodeTypes: { [omnideskNode.type]: this.nodeType },
				nodes: [omnideskNode],
				request,
				staticData: options.staticData ?? {},
				queueWorker: options.queueWorker,
			}),
		);
	},
};

const livePersonNode = {
	id: 'a1b2c3d4-0003-4000-8000-000000000003',
	name: 'LivePerson Trigger',
	type: 'n8n-nodes-livechat-bridge.livePersonTrigger',
	webhookId: 'a1b2c3d4-1003-4000-8000-000000000003',
	parameters: { events: [...EVENT_CHOICES] } as INodeParameters,
	credentials: LIVEPERSON_CREDENTIAL_REFERENCE,
};

const signedRequest = (raw: string, contentType = 'application/json'): WebhookRequestInput => ({
	method: 'POST',
	headers: {
		'content-type': contentType,
		'x-liveperson-signature': sign(raw, 'sha256', 'base64'),
		'x-liveperson-account-id': LIVEPERSON_ACCOUNT_ID,
		'x-liveperson-client-id': LIVEPERSON_CLIENT_ID,
	},
	body: raw,
});

type LivePersonChange = { kind: string; change: IDataObject; expected: IDataObject; filtered: boolean };

function livePersonNotification(changes: LivePersonChange[], type: string, label: string): Delivery {
	const raw = JSON.stringify({ kind: 'notification', body: { sentTs: 1_700_000_000_000, changes: changes.map((c) => c.change) }, type });
	return { label, request: signedRequest(raw), expected: changes.filter((c) => !c.filtered).map((c) => ({ provider: 'liveperson', ...c.expected })) };
}

/** Messaging changes the trigger emits and deduplicates (not the consumer's, not internal notes, not chat states). */
const keyedMessagingChange = (sequence: number) =>
	(messagingChange(sequence) as fc.Arbitrary<LivePersonChange>).filter((c) => !c.filtered && c.kind !== 'chatState');

const livePersonArbitrary = fc.oneof(
	fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 3 })).chain(([first, count]) =>
		fc.tuple(...Array.from({ length: count }, (_, i) => keyedMessagingChange(first + i))).map((changes) => ({ type: MESSAGING, changes })),
	),
	(conversationChange() as fc.Arbitrary<LivePersonChange>).map((change) => ({ type: CONVERSATION_CHANGE, changes: [change] })),
);

const livePerson: Trigger = {
	name: 'LivePerson Trigger',
	nodeType: new LivePersonTrigger(),
	valid(count, seed = SEED) {
		return distinct(livePersonArbitrary, count, seed, (n) => JSON.stringify(n.changes.map((c) => c.expected.conversationId))).map((n, i) =>
			livePersonNotification(n.changes, n.type, `liveperson #${i}`),
		);
	},
	kinds() {
		const byKind = (kind: string, chatState = false) =>
			sample((messagingChange(10) as fc.Arbitrary<LivePersonChange>).filter((c) => !c.filtered && c.kind === kind && (chatState || c.kind !== 'chatState')), 1, SEED + kind.length)[0];
		const conversation = sample(conversationChange() as fc.Arbitrary<LivePersonChange>, 1, SEED + 300)[0];
		return [
			...['content', 'richContent', 'acceptStatus'].map((kind) => ({ kind, delivery: livePersonNotification([byKind(kind)], MESSAGING, kind), deduplicated: true })),
			// No sequence in a chat state: never deduplicated (nodes/LivePerson/LivePersonTrigger.node.ts changeKey).
			{ kind: 'chatState (no sequence: not deduplicated)', delivery: livePersonNotification([byKind('chatState', true)], MESSAGING, 'chatState'), deduplicated: false },
			{ kind: 'conversationChange', delivery: livePersonNotification([conversation], CONVERSATION_CHANGE, 'conversationChange'), deduplicated: true },
		];
	},
	withText(text, seed = SEED) {
		const conversationId = `big-${seed}`;
		const change = {
			conversationId,
			dialogId: conversationId,
			sequence: 7,
			serverTimestamp: 1_700_000_000_000,
			originatorMetadata: { id: 'agent-1', role: 'ASSIGNED_AGENT' },
			event: { type: 'ContentEvent', contentType: 'text/plain', message: text },
		};
		return livePersonNotification(
			[{ kind: 'content', change, expected: { conversationId, messageId: `${conversationId}:7`, text }, filtered: false }],
			MESSAGING,
			'liveperson text',
		);
	},
	async deliver(delivery, options = {}) {
		const request = 'request' in delivery ? delivery.request : delivery;
		return await timed(this.name, () =>
			runWebhookWorkflow({
				nodeTypes: { [livePersonNode.type]: this.nodeType },
				credentialTypes: livePersonCredentialTypes,
				credentials: {
					livePersonApi: {
						lp1: { accountId: LIVEPERSON_ACCOUNT_ID, authMode: 'app', clientId: LIVEPERSON_CLIENT_ID, clientSecret: LIVEPERSON_CLIENT_SECRET, domainApiUrl: 'http://127.0.0.1:9/liveperson' },
					},
				},
				nodes: [livePersonNode],
				request,
				staticData: options.staticData ?? {},
				queueWorker: options.queueWorker,
			}),
		);
	},
};

/**
 * Whether identical copies of a delivery start one execution: always for Digishare and LivePerson
 * (by ID, else by body); Omnidesk sends no delivery ID — the same content within its repeat window
 * counts once, except typing (a state, never deduplicated).
 */
const deduplicatesOf = (name: string) => (delivery: Delivery) =>
	name !== 'Omnidesk Trigger' || delivery.expected[0]?.event !== 'typingIndicatorForCustomer';

beforeEach(() => {
	forgetDeliveriesSeenInThisProcess();
	clearProcessedData();
});

test('every webhook trigger package.json lists is covered here', () => {
	const pkg = require('../../package.json') as { n8n: { nodes: string[] } };
	// Webhook triggers only: a polling trigger (LiveChatAI) gets no deliveries (test/livechatai/trigger.test.ts).
	const triggers = pkg.n8n.nodes
		.filter((file) => /Trigger\.node\.js$/.test(file))
		.map((file) => file.replace(/^.*\//, '').replace('.node.js', ''))
		.filter((className) => {
			const source = require('path').join(__dirname, '../..', pkg.n8n.nodes.find((file) => file.endsWith(`/${className}.node.js`))!.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
			const Type = (require(source) as Record<string, new () => { description: { webhooks?: unknown[]; polling?: boolean } }>)[className];
			const { description } = new Type();
			expect(Boolean(description.webhooks?.length) || description.polling === true).toBe(true);
			return Boolean(description.webhooks?.length);
		});
	expect(triggers.sort()).toEqual(['DigishareTrigger', 'LivePersonTrigger', 'OmnideskTrigger']);
});

describe.each([digishare, omnidesk, livePerson])('$name', (trigger) => {
	const { name } = trigger;
	const dedupes = deduplicatesOf(name);

	// ------------------------------------------------------------------------------------------
	// 1. Concurrency
	// ------------------------------------------------------------------------------------------

	test(
		'the same delivery posted 20 times at once: every sender gets a 2xx, exactly one execution with the items once',
		async () => {
			const [delivery] = trigger.valid(8, SEED + 1).filter(dedupes);
			const staticData = {};
			const results = await Promise.all(Array.from({ length: 20 }, () => trigger.deliver(delivery, { staticData })));
			results.forEach(expectAnswered);
			const runs = executions(name, results);
			expect(runs).toHaveLength(1);
			for (const items of runs) expectItems(items, delivery);
			expect(results.filter((r) => r.run)).toHaveLength(1);
			if (name !== 'Omnidesk Trigger') {
				expect(results.filter((r) => !r.run).map((r) => r.webhook.json)).toEqual(Array(19).fill({ received: true, skipped: expect.stringMatching(/duplicate/) }));
			}
		},
	);

	test('50 different deliveries at once: 50 executions, each with exactly its own items', async () => {
		const deliveries = trigger.valid(50, SEED + 2);
		const staticData = {};
		const results = await Promise.all(deliveries.map((delivery) => trigger.deliver(delivery, { staticData })));
		results.forEach(expectAnswered);
		results.forEach((result, i) => {
			expect(result.run).toBeDefined();
			expectItems(triggerItems(name, result), deliveries[i]);
		});
		expect(executions(name, results)).toHaveLength(50);
	});

	// ------------------------------------------------------------------------------------------
	// 2. Redelivery
	// ------------------------------------------------------------------------------------------

	test.each(trigger.kinds().map((k) => [k.kind, k] as const))('%s delivered 5 times in a row', async (_kind, { delivery, deduplicated }) => {
		const staticData = {};
		const results: RunWebhookWorkflowResult[] = [];
		for (let i = 0; i < 5; i++) results.push(await trigger.deliver(delivery, { staticData }));
		results.forEach(expectAnswered);
		const runs = executions(name, results);
		expect(runs).toHaveLength(deduplicated ? 1 : 5);
		for (const items of runs) expectItems(items, delivery);
	});

	test('every event kind 5 times, interleaved with each other and with new deliveries: one execution per deduplicated kind, one per new delivery', async () => {
		const kinds = trigger.kinds();
		const fresh = trigger.valid(5, SEED + 3);
		const staticData = {};
		const byKind = new Map<string, RunWebhookWorkflowResult[]>(kinds.map((k) => [k.kind, []]));
		const freshResults: RunWebhookWorkflowResult[] = [];
		for (let round = 0; round < 5; round++) {
			for (const { kind, delivery } of round % 2 ? [...kinds].reverse() : kinds) byKind.get(kind)!.push(await trigger.deliver(delivery, { staticData }));
			freshResults.push(await trigger.deliver(fresh[round], { staticData }));
		}
		for (const { kind, delivery, deduplicated } of kinds) {
			const results = byKind.get(kind)!;
			results.forEach(expectAnswered);
			const runs = executions(name, results);
			expect({ kind, executions: runs.length }).toEqual({ kind, executions: deduplicated ? 1 : 5 });
			for (const items of runs) expectItems(items, delivery);
		}
		freshResults.forEach((result, i) => expectItems(triggerItems(name, result), fresh[i]));
	});

	test('queue mode: 5 copies, each reaching another webhook processor, executions on a worker: one execution with items, the others end at the trigger (n8n’s database knows the key)', async () => {
		const [delivery] = trigger.valid(8, SEED + 4).filter(dedupes);
		const staticData = {};
		const results: RunWebhookWorkflowResult[] = [];
		for (let i = 0; i < 5; i++) {
			forgetDeliveriesSeenInThisProcess(); // another webhook processor: its memory never saw the copy
			results.push(await trigger.deliver(delivery, { staticData, queueWorker: true }));
		}
		results.forEach(expectAnswered);
		const runs = executions(name, results);
		expect(runs).toHaveLength(1);
		for (const items of runs) expectItems(items, delivery);
		{
			// n8n starts each execution; the trigger's first step finds the key in n8n's database.
			expect(results.slice(1).map((r) => ({ run: r.run?.status, executed: r.run?.executedNodes, items: triggerItems(name, r).length }))).toEqual(
				Array(4).fill({ run: 'success', executed: [name], items: 0 }),
			);
		}
	});

	test('queue mode, the same webhook processor: 5 copies in a row start one execution on the worker', async () => {
		const [delivery] = trigger.valid(8, SEED + 5).filter(dedupes);
		const staticData = {};
		const results: RunWebhookWorkflowResult[] = [];
		for (let i = 0; i < 5; i++) results.push(await trigger.deliver(delivery, { staticData, queueWorker: true }));
		results.forEach(expectAnswered);
		expect(executions(name, results)).toHaveLength(1);
		expect(results.filter((r) => r.run)).toHaveLength(1);
	});

	// ------------------------------------------------------------------------------------------
	// 3. Big bodies and wrong content types
	// ------------------------------------------------------------------------------------------

	/** ASCII, 2-, 3- and 4-byte UTF-8 characters, escapes: a text whose every byte matters. */
	const longText = (bytes: number) => {
		const unit = 'Hello مرحبا 👍🏽 "quoted" \\ line\n';
		return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
	};

	test('a delivery padded to ~1 MB, sent twice: exactly one execution, the text intact', async () => {
		const text = longText(1024 * 1024);
		const delivery = trigger.withText(text, SEED + 6);
		expect(Buffer.byteLength(String(delivery.request.body))).toBeGreaterThan(1024 * 1024);
		const results = [await trigger.deliver(delivery), await trigger.deliver(delivery)];
		results.forEach(expectAnswered);
		const runs = executions(name, results);
		expect(runs).toHaveLength(1);
		expect(runs[0]).toHaveLength(1);
		expect((runs[0][0].json.text as string).length).toBe(text.length);
		expect(runs[0][0].json.text === text).toBe(true);
	});

	test('a 10 MB delivery (below n8n’s default N8N_PAYLOAD_SIZE_MAX of 16 MiB): n8n reads it, one execution with the text intact', async () => {
		const text = longText(10 * 1024 * 1024);
		const delivery = trigger.withText(text, SEED + 7);
		const result = await trigger.deliver(delivery);
		expectAnswered(result);
		const runs = executions(name, [result]);
		expect(runs).toHaveLength(1);
		expect((runs[0][0].json.text as string).length).toBe(text.length);
		expect(runs[0][0].json.text === text).toBe(true);
	});

	test.each([
		['text/plain', (raw: string) => ({ contentType: 'text/plain', body: raw })],
		['text/plain; charset=utf-8', (raw: string) => ({ contentType: 'text/plain; charset=utf-8', body: raw })],
		['an url-encoded form holding the JSON', (raw: string) => ({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: raw }).toString() })],
		['the JSON sent as url-encoded', (raw: string) => ({ contentType: 'application/x-www-form-urlencoded', body: raw })],
		['the JSON sent as multipart', (raw: string) => ({ contentType: 'multipart/form-data; boundary=reliability', body: raw })],
		['the fields as a real multipart form', (raw: string) => {
			const fields = Object.fromEntries(Object.entries(JSON.parse(raw) as IDataObject).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
			const { body, contentType } = multipartBody(fields);
			return { contentType, body };
		}],
		['application/octet-stream', (raw: string) => ({ contentType: 'application/octet-stream', body: raw })],
		['application/xml', (raw: string) => ({ contentType: 'application/xml', body: `<root>${raw.replace(/[<&]/g, '')}</root>` })],
	])('the delivery sent as %s: a 4xx with a reason or filtered — never an execution with wrong items', async (_how, rewrap) => {
		const delivery = trigger.withText('Where is my order? مرحبا 👍🏽', SEED + 8);
		const { contentType, body } = rewrap(String(delivery.request.body));
		const headers: Record<string, string | string[]> = { ...delivery.request.headers, 'content-type': contentType };
		// LivePerson: signed as sent, so the content type is what is judged (n8n keeps no raw bytes
		// of a multipart body: its signature can never match, 403).
		if (headers['x-liveperson-signature']) headers['x-liveperson-signature'] = sign(body, 'sha256', 'base64');
		const result = await trigger.deliver({ ...delivery.request, headers, body });
		outcomes.push(`${name} | ${_how} | ${result.webhook.status} ${result.run ? 'execution' : 'no execution'} | ${result.webhook.body.slice(0, 140)}`);
		expect(result.webhook.webhookError).toBeUndefined();
		expect(result.webhook.responseError).toBeUndefined();
		expect(result.webhook.status).toBeLessThan(500);
		if (result.webhook.status >= 400) {
			expect(result.run).toBeUndefined();
			const reason = result.webhook.json?.error ?? result.webhook.json?.message;
			expect(typeof reason).toBe('string');
		} else if (result.run) {
			// Accepted (Omnidesk takes JSON sent as text/plain): then with exactly the right items.
			expectItems(triggerItems(name, result), delivery);
		}
	});
});

// =============================================================================================
// Harness: concurrent XML and prototype-named multipart fields
// =============================================================================================

describe('harness body parsing under load', () => {
	test('20 XML bodies at once: all answered, each parsed as its own body', async () => {
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				digishare.deliver({ method: 'POST', headers: { 'content-type': 'application/xml' }, body: `<Delivery><N>${i}</N><Pad>${'x'.repeat(i * 500)}</Pad></Delivery>` }),
			),
		);
		expect(results.map((r) => r.webhook.status)).toEqual(Array(20).fill(400));
		expect(results.map((r) => (r.webhook.request?.body as { delivery?: { n?: string } })?.delivery?.n)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
		expect(results.every((r) => r.run === undefined)).toBe(true);
	});

	test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a multipart field named %s: answered, the delivery read as formidable reads it, Object.prototype untouched', async (fieldName) => {
		const fields: Record<string, string> = { sessionID: 'session-proto', message: 'hello' };
		Object.defineProperty(fields, fieldName, { value: 'x', enumerable: true, writable: true, configurable: true });
		const { body, contentType } = multipartBody(fields);
		const result = await omnidesk.deliver(omnideskRequest('messageForCustomer', body, contentType));
		expect(result.webhook.status).toBe(200);
		expect(result.webhook.body).toBe('ok');
		const [item] = triggerItems('Omnidesk Trigger', result);
		expect(item.json).toMatchObject({ event: 'messageForCustomer', conversationId: 'session-proto', text: 'hello' });
		const data = (result.webhook.request?.body as { data: IDataObject }).data;
		// formidable assigns `fields[name] = [value]`: "__proto__" replaces that map's prototype.
		if (fieldName === '__proto__') expect(Object.prototype.hasOwnProperty.call(data, fieldName)).toBe(false);
		else expect(Object.getOwnPropertyDescriptor(data, fieldName)?.value).toBe('x');
		expect(typeof ({} as IDataObject).constructor).toBe('function');
		expect(({} as IDataObject).x).toBeUndefined();
	});
});
