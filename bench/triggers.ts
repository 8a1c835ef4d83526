/**
 * Piece 3 of `npm run bench`: in-process cost of one valid delivery per trigger (verify + parse +
 * normalize + dedupe), through the harness's n8n webhook front end (callWebhook). n8n's own
 * front-end cost (request object, body parsing, context, response) is measured with a "null"
 * trigger given the same request and credentials, and subtracted ("net"). Then how the cost grows
 * with the dedupe window (keys remembered in this process) and with the workflow's static data.
 */
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';
import {
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	LivePersonProvider,
	engine,
	livePersonSignature,
} from '../test/sandbox';
import { DigishareWebhookApi } from '../credentials/DigishareWebhookApi.credentials';
import { LivePersonApi } from '../credentials/LivePersonApi.credentials';
import { DigishareTrigger } from '../nodes/Digishare/DigishareTrigger.node';
import { LivePersonTrigger } from '../nodes/LivePerson/LivePersonTrigger.node';
import { OmnideskTrigger } from '../nodes/Omnidesk/OmnideskTrigger.node';
import { forgetDeliveriesSeenInThisProcess, seenInThisProcess } from '../nodes/shared/memory/deliveries';
import { emit, log, median, nowMs, p99 } from './lib/stats';

const { callWebhook, clearProcessedData } = engine();
const SAMPLES = Number(process.env.BENCH_TRIGGER_SAMPLES || 2000);
const GROWTH_SAMPLES = Number(process.env.BENCH_GROWTH_SAMPLES || 300);
const NODE_ID = '6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a41';
const WEBHOOK_ID = '5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90';

interface Delivery {
	request: { method: string; path?: string; headers: Record<string, string>; body: string };
	/** The JSON text a plain JSON.parse would read (the same body). */
	json: string;
}

interface TriggerCase {
	name: string;
	nodeType: INodeType;
	credentialTypes?: unknown[];
	credentials?: IDataObject;
	node: IDataObject;
	/** Delivery number `i`: unique, valid. */
	delivery(i: number): Delivery;
	/** Static data key filled for the growth measurement. */
	fillStaticData(size: number): IDataObject;
}

const lp = new LivePersonProvider();
const lpConversation = lp.startConversation('bench:consumer-1').conversationId;

function conversationMap(prefix: string, size: number): IDataObject {
	const map: IDataObject = {};
	for (let i = 0; i < size; i++) map[`${prefix}:${i.toString().padStart(6, '0')}`] = `conv_${i.toString(36).padStart(12, '0')}`;
	return map;
}

const cases: TriggerCase[] = [
	{
		name: 'Digishare Trigger (new message)',
		nodeType: new DigishareTrigger(),
		credentialTypes: [new DigishareWebhookApi()],
		node: { id: NODE_ID, name: 'Digishare Trigger', webhookId: WEBHOOK_ID, parameters: { events: ['live_chat.new_conversation', 'live_chat.new_message'] } },
		delivery(i) {
			const body = JSON.stringify({
				event: 'live_chat.new_message',
				data: { id: `msg${i.toString().padStart(13, '0')}`, data: { conversation_id: '6934k9qq5orl5vrx', body: `hello ${i}`, sender: { model_type: 'third', name: 'Adil Chbada' } } },
			});
			return { request: { method: 'POST', headers: { 'content-type': 'application/json' }, body }, json: body };
		},
		fillStaticData: (size) => ({ global: { liveChatAiConversations: conversationMap('digishare', size) } }),
	},
	{
		name: 'Omnidesk Trigger (messageForCustomer)',
		nodeType: new OmnideskTrigger(),
		node: { id: NODE_ID, name: 'Omnidesk Trigger', webhookId: WEBHOOK_ID, parameters: {} },
		delivery(i) {
			const body = JSON.stringify({ sessionID: 'sess-42', message: `Hallo ${i}`, name: 'Eva', picture: 'https://cdn.example/eva.png' });
			return {
				request: { method: 'POST', path: `${WEBHOOK_ID}/hookpoint/messageForCustomer`, headers: { 'content-type': 'application/json' }, body },
				json: body,
			};
		},
		fillStaticData: (size) => ({ global: { liveChatAiConversations: conversationMap('omnidesk', size) } }),
	},
	{
		name: 'LivePerson Trigger (agent message)',
		nodeType: new LivePersonTrigger(),
		credentialTypes: [new LivePersonApi()],
		credentials: {
			livePersonApi: {
				lp1: { accountId: LIVEPERSON_ACCOUNT_ID, authMode: 'app', clientId: LIVEPERSON_CLIENT_ID, clientSecret: LIVEPERSON_CLIENT_SECRET, domainApiUrl: 'http://127.0.0.1:9/liveperson' },
			},
		},
		node: { id: NODE_ID, name: 'LivePerson Trigger', webhookId: WEBHOOK_ID, parameters: {}, credentials: { livePersonApi: { id: 'lp1', name: 'LivePerson account' } } },
		delivery(i) {
			const change = lp.recordAgentMessage(lpConversation, `agent says ${i}`);
			const body = JSON.stringify({ kind: 'notification', body: { sentTs: 1767225600000 + i, changes: [change] }, type: 'ms.MessagingEventNotification' });
			return {
				request: {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'x-liveperson-signature': livePersonSignature(LIVEPERSON_CLIENT_SECRET, body),
						'x-liveperson-account-id': LIVEPERSON_ACCOUNT_ID,
						'x-liveperson-client-id': LIVEPERSON_CLIENT_ID,
					},
					body,
				},
				json: body,
			};
		},
		fillStaticData: (size) => {
			const conversations = conversationMap('bench', size);
			const consumers: IDataObject = {};
			for (const [key, id] of Object.entries(conversations)) consumers[id as string] = key;
			return { global: { livePersonConversations: conversations, livePersonConsumers: consumers } };
		},
	},
];

/** n8n's front end alone: same request and credentials, a webhook() that reads the body and emits it. */
function nullTriggerFor(c: TriggerCase): INodeType {
	const description = c.nodeType.description;
	return {
		description: { ...description, properties: [] },
		async webhook(this: IWebhookFunctions) {
			return { workflowData: [[{ json: this.getBodyData() as IDataObject }]] };
		},
	};
}

async function call(c: TriggerCase, nodeType: INodeType, delivery: Delivery, staticData: IDataObject) {
	return await callWebhook({
		nodeType,
		credentialTypes: c.credentialTypes as never,
		credentials: c.credentials as never,
		node: c.node as never,
		staticData,
		request: delivery.request as never,
	});
}

let counter = 0;
async function sample(c: TriggerCase, nodeType: INodeType, n: number, staticData: () => IDataObject, before?: () => void) {
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const delivery = c.delivery(counter++);
		const data = staticData();
		before?.();
		const started = nowMs();
		const result = await call(c, nodeType, delivery, data);
		const us = (nowMs() - started) * 1000;
		if (result.status !== 200 || !result.items) throw new Error(`${c.name}: delivery not accepted: ${result.status} ${result.body}`);
		times.push(us);
	}
	return times;
}

function jsonParseCost(body: string, n = 20000) {
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const started = nowMs();
		JSON.parse(body);
		times.push((nowMs() - started) * 1000);
	}
	return { medianUs: median(times), p99Us: p99(times) };
}

/** The trigger's process memory filled with `size` keys before each delivery. */
function fillWindow(size: number) {
	forgetDeliveriesSeenInThisProcess();
	const ctx = { getWorkflow: () => ({ id: 'harness-workflow' }), getNode: () => ({ id: NODE_ID }) } as unknown as IWebhookFunctions;
	for (let i = 0; i < size; i++) seenInThisProcess(ctx, `fill:${i}`);
}

async function main() {
	const result: IDataObject[] = [];
	for (const c of cases) {
		forgetDeliveriesSeenInThisProcess();
		clearProcessedData();
		// warm-up (JIT, module caches)
		await sample(c, c.nodeType, 200, () => ({}));
		await sample(c, nullTriggerFor(c), 200, () => ({}));
		forgetDeliveriesSeenInThisProcess();
		// interleave node and null trigger in blocks so drift hits both alike
		const node: number[] = [];
		const front: number[] = [];
		for (let block = 0; block < 10; block++) {
			node.push(...(await sample(c, c.nodeType, SAMPLES / 10, () => ({}))));
			front.push(...(await sample(c, nullTriggerFor(c), SAMPLES / 10, () => ({}))));
		}
		const parse = jsonParseCost(c.delivery(counter++).json);
		const row: IDataObject = {
			name: c.name,
			medianUs: median(node),
			p99Us: p99(node),
			frontMedianUs: median(front),
			frontP99Us: p99(front),
			netMedianUs: median(node) - median(front),
			netP99Us: p99(node) - p99(front),
			jsonParse: parse,
		};
		// dedupe window
		const windows: IDataObject[] = [];
		for (const size of [0, 100, 500]) {
			const times = await sample(c, c.nodeType, GROWTH_SAMPLES, () => ({}), () => fillWindow(size));
			windows.push({ keys: size, medianUs: median(times), p99Us: p99(times) });
		}
		forgetDeliveriesSeenInThisProcess();
		row.dedupeWindow = windows;
		// workflow static data
		const statics: IDataObject[] = [];
		for (const size of [0, 1000, 10000]) {
			const template = c.fillStaticData(size);
			const json = JSON.stringify(template);
			const fresh = () => JSON.parse(json) as IDataObject;
			await sample(c, c.nodeType, 20, fresh); // warm-up at this size
			if (global.gc) global.gc();
			const heapBefore = process.memoryUsage().heapUsed;
			const kept: unknown[] = [];
			// heap growth: what one delivery leaves reachable (its items), over GROWTH_SAMPLES deliveries
			const times: number[] = [];
			for (let i = 0; i < GROWTH_SAMPLES; i++) {
				const delivery = c.delivery(counter++);
				const data = fresh();
				const started = nowMs();
				const r = await call(c, c.nodeType, delivery, data);
				times.push((nowMs() - started) * 1000);
				kept.push(r.items);
			}
			if (global.gc) global.gc();
			const heapAfter = process.memoryUsage().heapUsed;
			const itemBytes = Buffer.byteLength(JSON.stringify(kept[kept.length - 1]));
			kept.length = 0;
			const front = await sample(c, nullTriggerFor(c), Math.min(GROWTH_SAMPLES, 100), fresh);
			statics.push({
				keys: size,
				staticDataBytes: Buffer.byteLength(json),
				medianUs: median(times),
				p99Us: p99(times),
				frontMedianUs: median(front),
				heapPerDeliveryKB: (heapAfter - heapBefore) / 1024 / GROWTH_SAMPLES,
				itemBytes,
			});
		}
		row.staticData = statics;
		log(`${c.name}: ${JSON.stringify(row)}`);
		result.push(row);
	}
	emit({ samples: SAMPLES, triggers: result });
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
