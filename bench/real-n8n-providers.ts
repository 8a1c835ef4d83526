/**
 * Piece 4b of `npm run bench` (issue 21): every provider's main send where users run it — one
 * real n8n (the install the e2e suite uses, the packed package installed as a community package),
 * side by side in one run, against the same sandbox API:
 *
 *   ours             our action node (e.g. Digishare Message → Send)
 *   HTTP inline      n8n's HTTP Request 4.2 with the token typed into a header parameter
 *   HTTP credential  n8n's HTTP Request 4.2 with the token in a Header Auth credential
 *
 * The HTTP Request nodes make exactly the request our node made (method, URL, headers, body), read
 * from the sandbox's request log after a first run of ours. Two shapes, each measured with the
 * time n8n itself recorded for the sender node (`executionTime` in the execution's run data):
 *
 *   deliveries  Webhook → sender, one item per execution, deliveries one after another (the chat
 *               reply case); median and p99 over BENCH_PROVIDER_DELIVERIES executions per sender
 *   items       Webhook → Split Out (BENCH_PROVIDER_ITEMS items) → sender, one execution, each node
 *               as it comes (ours: one call at a time; the HTTP Request node fires every item's
 *               call at once), and ours with Batching (BENCH_PROVIDER_BATCH calls at a time);
 *               median over BENCH_PROVIDER_ROUNDS interleaved rounds
 *
 * Senders alternate within each round so drift in the machine hits all of them alike.
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_API_KEY,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_USER_IDS,
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	OMNIDESK_API_KEY,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
} from '../test/sandbox';
import { httpRequestParameters } from './lib/http-request';
import { emit, log, median, p99 } from './lib/stats';
import { setup, type BenchSetup } from './real-n8n';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const run = require('../scripts/lib/n8n-run');

const DELIVERIES = Number(process.env.BENCH_PROVIDER_DELIVERIES || 60);
const ITEMS = Number(process.env.BENCH_PROVIDER_ITEMS || 1000);
const ROUNDS = Number(process.env.BENCH_PROVIDER_ROUNDS || 3);
const BATCH = Number(process.env.BENCH_PROVIDER_BATCH || 10);
const ONLY = (process.env.BENCH_PROVIDERS || '').split(',').filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Provider {
	key: string;
	name: string;
	mount: string;
	sendPath: string | RegExp;
	type: string;
	credentialType: string;
	credential: (sandbox: BenchSetup['sandbox']) => Record<string, unknown>;
	/** Our node's parameters; `variant` names the workflow (LivePerson: one consumer per workflow, as each remembers its own conversation). */
	parameters: (variant: string) => Record<string, unknown>;
	/** The header our node authenticates with (goes into the HTTP Request's credential / inline header). */
	authHeader: string;
}

const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';

const ALL_PROVIDERS: Provider[] = [
	{
		key: 'digishare',
		name: 'Digishare Message → Send (text)',
		mount: 'digishare',
		sendPath: '/messages',
		type: 'n8n-nodes-livechat-bridge.digishare',
		credentialType: 'digishareApi',
		credential: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		parameters: () => ({ resource: 'message', operation: 'send', conversationId: DIGISHARE_CONVERSATION_IDS.active, messageType: 'text', text: 'Hello! How can I help you?' }),
		authHeader: 'authorization',
	},
	{
		key: 'omnidesk',
		name: 'Omnidesk Chat → Send Customer Message',
		mount: 'omnidesk',
		sendPath: '/api/v2/chat/notifyUserNewChatMessage',
		type: 'n8n-nodes-livechat-bridge.omnidesk',
		credentialType: 'omnideskApi',
		credential: (sandbox) => ({
			baseUrl: sandbox.baseUrl('omnidesk'),
			apiKey: OMNIDESK_API_KEY,
			chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
			chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
			chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
		}),
		parameters: () => ({ resource: 'chat', operation: 'sendMessage', chatSessionId: 'sess-1001', message: 'I want to talk to a human', chatServer: CHAT_SERVER }),
		authHeader: 'apikey',
	},
	{
		key: 'livechatai',
		name: 'LiveChatAI Conversation → Reply',
		mount: 'livechatai',
		sendPath: `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}/reply`,
		type: 'n8n-nodes-livechat-bridge.liveChatAi',
		credentialType: 'liveChatAiApi',
		credential: (sandbox) => ({ apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') }),
		parameters: () => ({ resource: 'conversation', operation: 'reply', conversationId: LIVECHATAI_CONVERSATION_IDS.main, message: 'Hi, Sam from support here', userId: LIVECHATAI_USER_IDS.agent, messageType: 'TEXT' }),
		authHeader: 'authorization',
	},
	{
		key: 'liveperson',
		name: 'LivePerson Message → Send Text',
		mount: 'liveperson-msg',
		sendPath: /\/conversation\/send$/,
		type: 'n8n-nodes-livechat-bridge.livePerson',
		credentialType: 'livePersonApi',
		credential: (sandbox) => ({ accountId: LIVEPERSON_ACCOUNT_ID, authMode: 'app', clientId: LIVEPERSON_CLIENT_ID, clientSecret: LIVEPERSON_CLIENT_SECRET, domainApiUrl: sandbox.baseUrl('liveperson') }),
		parameters: (variant) => ({ resource: 'message', operation: 'sendText', consumerId: `bench:${variant}`, text: 'Hi, I need a human' }),
		authHeader: 'authorization',
	},
];
const PROVIDERS = ALL_PROVIDERS.filter((provider) => !ONLY.length || ONLY.includes(provider.key));

type SenderKey = 'ours' | 'oursBatched' | 'httpInline' | 'httpCredential';
const SENDER = 'Send';

function workflow(name: string, path: string, sender: Record<string, unknown>, withItems: boolean) {
	const webhook = { id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `bench-${path}`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} } };
	const split = { id: 'w2', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } };
	const send = { id: 'w3', name: SENDER, position: [440, 0], ...sender };
	return {
		name,
		path,
		nodes: withItems ? [webhook, split, send] : [webhook, send],
		connections: withItems
			? { Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] }, 'Split Out': { main: [[{ node: SENDER, type: 'main', index: 0 }]] } }
			: { Webhook: { main: [[{ node: SENDER, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

interface Execution {
	id: string;
	status: string;
	data?: { resultData?: { runData?: Record<string, Array<{ executionTime?: number; data?: { main?: unknown[][] } }>> } };
}

async function main() {
	const extraCredentials = Object.fromEntries(PROVIDERS.map((provider) => [provider.key, { type: provider.credentialType, data: provider.credential }]));
	const bench = await setup({ builtIn: [], extraCredentials });
	const { api, instance, sandbox, credentials } = bench;
	const post = async (path: string, body: unknown) => {
		const response = await fetch(`${instance.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const text = await response.text();
		if (response.status !== 200) {
			const failed = (await api.ok('GET', '/api/v1/executions?status=error&limit=1&includeData=true')) as { data: Array<{ data?: { resultData?: { error?: { message?: string; description?: string } } } }> };
			const error = failed.data[0]?.data?.resultData?.error;
			throw new Error(`/webhook/${path} answered ${response.status}: ${text.slice(0, 300)} (${error?.message ?? ''} ${error?.description ?? ''})`);
		}
	};
	const create = async (definition: ReturnType<typeof workflow>) => {
		const created = await api.ok('POST', '/api/v1/workflows', { body: { ...definition, path: undefined } });
		await api.ok('POST', `/api/v1/workflows/${created.id}/activate`);
		await run.waitForWebhook(`${instance.url}/webhook/${definition.path}`, 'POST');
		return created.id as string;
	};
	/** The sender's executionTime in each of the workflow's newest `count` successful executions. */
	const senderTimes = async (workflowId: string, count: number, items: number): Promise<number[]> => {
		const ids: string[] = [];
		let cursor: string | undefined;
		do {
			const page = (await api.ok('GET', `/api/v1/executions?workflowId=${workflowId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`)) as { data: Execution[]; nextCursor?: string };
			ids.push(...page.data.filter((execution) => execution.status === 'success').map((execution) => execution.id));
			cursor = page.nextCursor;
		} while (cursor && ids.length < count);
		const times: number[] = [];
		for (const id of ids.slice(0, count)) {
			const execution = (await api.ok('GET', `/api/v1/executions/${id}?includeData=true`)) as Execution;
			const run = execution.data?.resultData?.runData?.[SENDER]?.[0];
			const out = run?.data?.main?.[0]?.length ?? 0;
			if (out !== items) throw new Error(`execution ${id}: the sender output ${out} items, expected ${items}`);
			times.push(run?.executionTime ?? NaN);
		}
		if (times.length !== count) throw new Error(`workflow ${workflowId}: ${times.length} successful executions, expected ${count}`);
		return times;
	};
	const results: Array<Record<string, unknown>> = [];
	try {
		for (const provider of PROVIDERS) {
			const ours = (variant: string, extra: Record<string, unknown> = {}) => ({
				type: provider.type,
				typeVersion: 1,
				parameters: { ...provider.parameters(variant), ...extra },
				credentials: { [provider.credentialType]: credentials[provider.key] },
			});
			// ours first, once: the request it makes is what the HTTP Request nodes make
			const ids: Partial<Record<`${'one' | 'many'}:${SenderKey}`, string>> = {};
			ids['one:ours'] = await create(workflow(`bench ${provider.key}: ours (one item)`, `bp-${provider.key}-one-ours`, ours('one'), false));
			const before = sandbox.requestsFor(provider.mount, 'POST', provider.sendPath).length;
			await post(`bp-${provider.key}-one-ours`, {});
			const request = sandbox.requestsFor(provider.mount, 'POST', provider.sendPath)[before];
			if (!request) throw new Error(`${provider.name}: no request reached the sandbox`);
			const header = await api.ok('POST', '/api/v1/credentials', {
				body: { name: `${provider.key} header bench`, type: 'httpHeaderAuth', data: { name: provider.authHeader, value: String(request.headers[provider.authHeader]) } },
			});
			const http = (inline: boolean) => ({
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: httpRequestParameters(bench.sandbox.url, request, provider.authHeader, inline),
				...(inline ? {} : { credentials: { httpHeaderAuth: { id: header.id, name: header.name } } }),
			});
			const senders: Record<SenderKey, Record<string, unknown>> = {
				ours: ours('many'),
				oursBatched: ours('batched', { batching: { batchSize: BATCH, batchInterval: 0 } }),
				httpInline: http(true),
				httpCredential: http(false),
			};
			for (const key of ['httpInline', 'httpCredential'] as const) {
				ids[`one:${key}`] = await create(workflow(`bench ${provider.key}: ${key} (one item)`, `bp-${provider.key}-one-${key}`, senders[key], false));
			}
			for (const key of Object.keys(senders) as SenderKey[]) {
				ids[`many:${key}`] = await create(workflow(`bench ${provider.key}: ${key} (${ITEMS} items)`, `bp-${provider.key}-many-${key}`, senders[key], true));
			}
			await sleep(500);
			// deliveries: one item per execution, one after another, senders alternating
			const oneKeys = ['ours', 'httpInline', 'httpCredential'] as const;
			for (const key of oneKeys) await post(`bp-${provider.key}-one-${key}`, {}); // warm-up
			for (let i = 0; i < DELIVERIES; i++) {
				for (const key of i % 2 === 0 ? oneKeys : [...oneKeys].reverse()) await post(`bp-${provider.key}-one-${key}`, {});
			}
			const one: Record<string, { medianMs: number; p99Ms: number }> = {};
			for (const key of oneKeys) {
				const times = await senderTimes(ids[`one:${key}`] as string, DELIVERIES, 1);
				one[key] = { medianMs: median(times), p99Ms: p99(times) };
			}
			// items: one execution of ITEMS items per round, senders alternating
			const manyKeys = Object.keys(senders) as SenderKey[];
			const body = { items: Array.from({ length: ITEMS }, (_, i) => ({ i })) };
			for (let round = 0; round < ROUNDS; round++) {
				for (const key of round % 2 === 0 ? manyKeys : [...manyKeys].reverse()) await post(`bp-${provider.key}-many-${key}`, body);
			}
			const many: Record<string, { medianMs: number; msPerItem: number }> = {};
			for (const key of manyKeys) {
				const times = await senderTimes(ids[`many:${key}`] as string, ROUNDS, ITEMS);
				many[key] = { medianMs: median(times), msPerItem: median(times) / ITEMS };
			}
			const row = {
				key: provider.key,
				name: provider.name,
				one,
				many,
				ratios: {
					oneVsCredential: one.ours.medianMs / one.httpCredential.medianMs,
					oneVsInline: one.ours.medianMs / one.httpInline.medianMs,
					manyVsCredential: many.ours.medianMs / many.httpCredential.medianMs,
					manyVsInline: many.ours.medianMs / many.httpInline.medianMs,
					batchedVsCredential: many.oursBatched.medianMs / many.httpCredential.medianMs,
					batchedVsInline: many.oursBatched.medianMs / many.httpInline.medianMs,
				},
			};
			log(`providers in real n8n: ${JSON.stringify(row)}`);
			results.push(row);
		}
		emit({ n8nVersion: bench.n8n.version, deliveries: DELIVERIES, items: ITEMS, rounds: ROUNDS, batchSize: BATCH, providers: results });
	} finally {
		await bench.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
