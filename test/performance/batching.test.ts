/**
 * Batching on every action node (issue 13), in n8n's engine: items of a batch are in flight at
 * the same time (proven with a barrier, not a clock), output order and pairedItem are the input's,
 * the interval is waited between batches, a 429 pauses the whole batch once, and with Continue On
 * Fail one failed item leaves the others intact. Every action node offers the option.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { retryPolicy } from '../../nodes/shared/transport';
import { runDigishare } from '../digishare/fixtures';
import { livePersonNodeTypes, LIVEPERSON_TYPE } from '../liveperson/fixtures';
import { liveChatAiNodeTypes, LIVECHATAI_TYPE } from '../livechatai/fixtures';
import { omnideskNodeTypes, OMNIDESK_TYPE } from '../omnidesk/fixtures';
import { nodeTypes as digishareNodeTypes, DIGISHARE_TYPE } from '../digishare/fixtures';
import { DIGISHARE_PAT, startFakeServer, type FakeServer } from '../sandbox';

const original = { ...retryPolicy };
const waits: number[] = [];
let api: FakeServer;

/** Requests waiting at the barrier, and how many must arrive before any is answered. */
let barrier: { size: number; waiting: Array<() => void> } | undefined;
let inFlight = 0;
let maxInFlight = 0;
/** Replies by message text: a status (and headers) instead of the normal answer. */
const special = new Map<string, { status: number; headers?: Record<string, string>; times: number }>();

beforeAll(async () => {
	retryPolicy.wait = async (ms: number) => {
		waits.push(ms);
	};
	api = await startFakeServer(async (req) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		try {
			if (barrier) {
				const gate = barrier;
				await new Promise<void>((resolve) => {
					gate.waiting.push(resolve);
					if (gate.waiting.length >= gate.size) gate.waiting.splice(0).forEach((release) => release());
				});
			}
			const text = String((req.body as { body?: unknown } | undefined)?.body ?? '');
			const fault = special.get(text);
			if (fault && fault.times > 0) {
				fault.times--;
				return { status: fault.status, headers: fault.headers, body: { message: `refused ${text}` } };
			}
			return { status: 201, body: { data: { id: `msg-${text}`, body: text } } };
		} finally {
			inFlight--;
		}
	});
});
afterAll(async () => {
	Object.assign(retryPolicy, original);
	await api.close();
});
beforeEach(() => {
	waits.length = 0;
	special.clear();
	barrier = undefined;
	inFlight = 0;
	maxInFlight = 0;
	api.requests.length = 0;
});

const credentials = () => ({ digishareApi: { cred1: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: api.url } } });
const itemsOf = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_, i) => ({ json: { text: `m${i}` } }));

async function send(count: number, batching: IDataObject, continueOnFail = false) {
	return await runDigishare(
		{ baseUrl: () => api.url } as never,
		{ resource: 'message', operation: 'send', conversationId: 'conv-1', messageType: 'text', text: '={{ $json.text }}', batching },
		{ items: itemsOf(count), credentials: credentials(), continueOnFail },
	);
}

test('every action node offers Batching (items per batch, interval)', () => {
	for (const type of [digishareNodeTypes[DIGISHARE_TYPE], omnideskNodeTypes[OMNIDESK_TYPE], liveChatAiNodeTypes[LIVECHATAI_TYPE], livePersonNodeTypes[LIVEPERSON_TYPE]]) {
		const batching = type.description.properties.find((property) => property.name === 'batching');
		expect({ node: type.description.name, options: (batching?.options as Array<{ name: string }>)?.map((o) => o.name) }).toEqual({
			node: type.description.name,
			options: ['batchInterval', 'batchSize'],
		});
	}
});

test('10 per batch: ten requests in flight at once, output in input order with pairedItem', async () => {
	barrier = { size: 10, waiting: [] };
	// a sequential node would wait at the barrier forever (the test would time out)
	const { items, error } = await send(20, { batchSize: 10 });
	expect(error).toBeUndefined();
	expect(maxInFlight).toBe(10);
	expect(items.map((item) => [(item.json.data as IDataObject | undefined)?.id, item.pairedItem])).toEqual(itemsOf(20).map((_, i) => [`msg-m${i}`, { item: i }]));
});

test('without Batching: one request at a time', async () => {
	const { items, error } = await send(12, {});
	expect(error).toBeUndefined();
	expect(maxInFlight).toBe(1);
	expect(items).toHaveLength(12);
});

test('the interval is waited between batches, not before the first or after the last', async () => {
	const { error } = await send(25, { batchSize: 10, batchInterval: 700 });
	expect(error).toBeUndefined();
	expect(waits).toEqual([700, 700]);
});

test('a 429 inside a batch pauses the batch once for its Retry-After, then every item succeeds', async () => {
	for (let i = 0; i < 10; i++) special.set(`m${i}`, { status: 429, headers: { 'Retry-After': '3' }, times: 1 });
	barrier = { size: 10, waiting: [] };
	// the pause takes a little real time here, so the other nine 429s (answered together) find it under way
	retryPolicy.wait = async (ms: number) => {
		waits.push(ms);
		await new Promise((resolve) => setTimeout(resolve, 300));
	};
	const { items, error } = await send(10, { batchSize: 10 }).finally(() => {
		retryPolicy.wait = async (ms: number) => {
			waits.push(ms);
		};
	});
	barrier = undefined;
	expect(error).toBeUndefined();
	expect(waits).toEqual([3000]);
	expect(api.requests).toHaveLength(20);
	expect(items.map((item) => (item.json.data as IDataObject | undefined)?.id)).toEqual(itemsOf(10).map((_, i) => `msg-m${i}`));
});

test('Continue On Fail: the failed item carries its error, the others are intact and in order', async () => {
	special.set('m3', { status: 422, times: 1 });
	const { items, error } = await send(8, { batchSize: 4 }, true);
	expect(error).toBeUndefined();
	expect(items.map((item) => (item.json.data as IDataObject | undefined)?.id ?? item.json.error)).toEqual(['msg-m0', 'msg-m1', 'msg-m2', 'Digishare: refused m3', 'msg-m4', 'msg-m5', 'msg-m6', 'msg-m7']);
	expect(items.map((item) => item.pairedItem)).toEqual(itemsOf(8).map((_, i) => ({ item: i })));
	expect(items[3].json.description).toContain('Operation: Message → Send, item 3');
});

test('without Continue On Fail: the node fails on the first failed item (its batch finished)', async () => {
	special.set('m5', { status: 422, times: 1 });
	const { error } = await send(8, { batchSize: 4 });
	expect(error?.message).toBe('Digishare: refused m5');
	expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(5);
	expect(api.requests).toHaveLength(8);
});
