/**
 * Issue 21: every action node reads its credential once per run of the node, not once per call
 * (in a real n8n each read is a database query and a decryption — it made our sends slower than
 * n8n's HTTP Request node). Counted where n8n would query its database: the harness's credential
 * store. A token the credential type refreshes during the run (preAuthentication after a 401) is
 * used by the items after it, and every item still gets its own request.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CredentialsStore } from '../harness';
import { fastRetries, oauthCredentials, runDigishare } from '../digishare/fixtures';
import { freshProcess, runLivePerson } from '../liveperson/fixtures';
import { runLiveChatAi } from '../livechatai/fixtures';
import { runOmnidesk } from '../omnidesk/fixtures';
import { DIGISHARE_CONVERSATION_IDS, LIVECHATAI_CONVERSATION_IDS, LIVECHATAI_USER_IDS, startSandbox, type Sandbox } from '../sandbox';
import { retryPolicy } from '../../nodes/shared/transport';

let sandbox: Sandbox;
const original = { ...retryPolicy };
beforeAll(async () => {
	sandbox = await startSandbox();
	fastRetries();
});
afterAll(async () => {
	Object.assign(retryPolicy, original);
	await sandbox.close();
});
afterEach(() => sandbox.reset());

const ITEMS = 5;
const items = (n = ITEMS): INodeExecutionData[] => Array.from({ length: n }, (_, i) => ({ json: { text: `message ${i}` } }));
const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';

const sends: Array<{
	name: string;
	type: string;
	run: (store: CredentialsStore, staticData?: IDataObject) => Promise<{ error?: Error; items: INodeExecutionData[]; staticData: IDataObject }>;
	requests: () => unknown[];
}> = [
	{
		name: 'Digishare Message → Send',
		type: 'digishareApi',
		run: async (store) => await runDigishare(sandbox, { resource: 'message', operation: 'send', conversationId: DIGISHARE_CONVERSATION_IDS.active, messageType: 'text', text: '={{ $json.text }}' }, { items: items(), credentialsStore: store }),
		requests: () => sandbox.requestsFor('digishare', 'POST', '/messages'),
	},
	{
		name: 'Omnidesk Chat → Send Customer Message',
		type: 'omnideskApi',
		run: async (store) => await runOmnidesk(sandbox, { resource: 'chat', operation: 'sendMessage', chatSessionId: 'sess-1001', message: '={{ $json.text }}', chatServer: CHAT_SERVER }, { items: items(), credentialsStore: store }),
		requests: () => sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage'),
	},
	{
		name: 'LiveChatAI Conversation → Reply',
		type: 'liveChatAiApi',
		run: async (store) =>
			await runLiveChatAi(sandbox, { resource: 'conversation', operation: 'reply', conversationId: LIVECHATAI_CONVERSATION_IDS.main, message: '={{ $json.text }}', userId: LIVECHATAI_USER_IDS.agent, messageType: 'TEXT' }, { items: items(), credentialsStore: store }),
		requests: () => sandbox.requestsFor('livechatai', 'POST', `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}/reply`),
	},
	{
		name: 'LivePerson Message → Send Text (app credentials: AppJWT and ConsumerJWS fetched in the run)',
		type: 'livePersonApi',
		run: async (store, staticData) => {
			if (!staticData) freshProcess();
			return await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: 'reads:consumer-1', text: '={{ $json.text }}' }, { items: items(), credentialsStore: store, staticData });
		},
		requests: () => sandbox.requestsFor('liveperson-msg', 'POST', /\/conversation\/send$/),
	},
];

describe.each(sends)('$name', ({ type, run, requests }) => {
	test(`${ITEMS} items: ${ITEMS} requests, one credential read`, async () => {
		const store = new CredentialsStore();
		const { error, items: out } = await run(store);
		expect(error).toBeUndefined();
		expect(out).toHaveLength(ITEMS);
		expect(requests()).toHaveLength(ITEMS);
		expect(store.loads.filter((load) => load.type === type)).toHaveLength(1);
	});

	test('the next execution reads it again (a credential changed in n8n applies to the next run)', async () => {
		const store = new CredentialsStore();
		const first = await run(store);
		expect(first.error).toBeUndefined();
		expect((await run(store, first.staticData)).error).toBeUndefined();
		expect(store.loads.filter((load) => load.type === type)).toHaveLength(2);
	});
});

test('Digishare client credentials: a token refused in the run is fetched anew once; the items after it use the new one', async () => {
	const send = async (count: number) => {
		sandbox.reset();
		const store = new CredentialsStore();
		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', status: 401, body: { message: 'Unauthenticated.' }, times: 1 });
		const { error, items: out } = await runDigishare(
			sandbox,
			{ resource: 'message', operation: 'send', conversationId: DIGISHARE_CONVERSATION_IDS.active, messageType: 'text', text: '={{ $json.text }}' },
			{ items: items(count), credentials: oauthCredentials(sandbox), credentialsStore: store },
		);
		expect(error).toBeUndefined();
		expect(out).toHaveLength(count);
		return store;
	};
	// n8n loads the credential to save each refreshed token: the loads are the same for 1 item and for 5
	const loadsForOne = (await send(1)).loads.length;
	const store = await send(ITEMS);
	expect(store.loads).toHaveLength(loadsForOne);
	const tokens = sandbox.requestsFor('digishare', 'POST', '/oauth/token');
	const messages = sandbox.requestsFor('digishare', 'POST', '/messages');
	// the first token (the credential had none), then one after the 401
	expect(tokens).toHaveLength(2);
	expect(messages.map((request) => request.response.status)).toEqual([401, 201, 201, 201, 201, 201]);
	expect(messages.map((request) => (request.body as IDataObject).body)).toEqual(['message 0', ...items().map((item) => item.json.text)]);
	const [refused, retried, ...rest] = messages.map((request) => request.headers.authorization);
	expect(retried).not.toBe(refused);
	expect(rest).toEqual(Array(ITEMS - 1).fill(retried));
	expect(`Bearer ${(store.getData('digishareApi', 'cred1') as IDataObject).sessionToken}`).toBe(retried);
});
