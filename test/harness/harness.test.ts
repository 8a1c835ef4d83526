/**
 * Proves the harness itself, with small node/credential types defined here. Every HTTP request
 * goes over loopback to a real local server.
 */
import { createHmac } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, Workflow } from 'n8n-workflow';

import {
	START_NODE_TYPE,
	CredentialsStore,
	HarnessNodeTypes,
	callWebhook,
	runWebhookMethod,
	runWorkflow,
	storedWebhookKeys,
	testCredential,
} from './index';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../sandbox';

// ---------------------------------------------------------------------------------------------
// Provider stand-in
// ---------------------------------------------------------------------------------------------

let api: FakeServer;
let issuedTokens = 0;
const validTokens = new Set<string>();

beforeAll(async () => {
	api = await startFakeServer((req) => {
		const auth = req.header('authorization');
		switch (`${req.method} ${req.path}`) {
			case 'GET /echo':
			case 'POST /echo':
				return { body: { authorization: auth ?? null, apiKey: req.headers['x-api-key'] ?? null, query: req.query } };
			case 'POST /auth/token': {
				if ((req.body as { password?: string } | undefined)?.password !== 'pw') return { status: 403, body: { error: 'bad login' } };
				const token = `tok-${++issuedTokens}`;
				validTokens.add(token);
				return { body: { token } };
			}
			case 'GET /protected': {
				const token = auth?.replace(/^Bearer /, '') ?? '';
				return validTokens.has(token)
					? { body: { ok: true, token } }
					: { status: 401, body: { error: 'token expired' } };
			}
			case 'GET /me':
				return auth === 'Bearer good-key'
					? { body: { id: 1, disabled: req.query.disabled === '1' } }
					: { status: 401, body: { error: 'unauthorized' } };
			default:
				return { status: 404, body: { error: 'not found' } };
		}
	});
});

afterAll(async () => {
	await api.close();
});

beforeEach(() => {
	api.requests.length = 0;
});

const requestsTo = (path: string): RecordedRequest[] => api.requests.filter((r) => r.path === path);

// ---------------------------------------------------------------------------------------------
// Credential types
// ---------------------------------------------------------------------------------------------

/** Generic (declarative) authenticate, with a property default that is never stored. */
class KeyApi implements ICredentialType {
	name = 'harnessKeyApi';
	displayName = 'Harness Key API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:1' },
		{ displayName: 'Region', name: 'region', type: 'options', default: 'eu', options: [{ name: 'EU', value: 'eu' }, { name: 'US', value: 'us' }] },
	];
	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
			qs: { region: '={{$credentials.region}}' },
		},
	};
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
	};
}

/** Same, with `rules`. */
class KeyApiWithCodeRule extends KeyApi {
	name = 'harnessKeyApiWithCodeRule';
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'The API key is wrong' } }],
	};
}
class KeyApiWithBodyRule extends KeyApi {
	name = 'harnessKeyApiWithBodyRule';
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/me',
			qs: { disabled: '={{$credentials.region === "us" ? "1" : "0"}}' },
		},
		rules: [{ type: 'responseSuccessBody', properties: { key: 'disabled', value: true, message: 'Account disabled' } }],
	};
}

/** Function-form authenticate. */
class HeaderApi implements ICredentialType {
	name = 'harnessHeaderApi';
	displayName = 'Harness Header API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Key', name: 'key', type: 'string', default: '' },
	];
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		requestOptions.headers = { ...(requestOptions.headers ?? {}), 'X-Api-Key': `fn:${credentials.key as string}` };
		return requestOptions;
	}
}

/** Session token fetched by preAuthentication (hidden + expirable). */
class SessionApi implements ICredentialType {
	name = 'harnessSessionApi';
	displayName = 'Harness Session API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Username', name: 'username', type: 'string', default: '' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Session Token', name: 'sessionToken', type: 'hidden', typeOptions: { expirable: true }, default: '' },
	];
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { token } = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/auth/token`,
			body: { username: credentials.username, password: credentials.password },
			json: true,
		})) as { token: string };
		return { sessionToken: token };
	}
	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' } },
	};
	test: ICredentialTestRequest = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/protected' } };
}

const credentialTypes = [new KeyApi(), new HeaderApi(), new SessionApi()];

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

/** Calls the API for each item with the chosen credential. */
const callerNode: INodeType = {
	description: {
		displayName: 'Harness Caller',
		name: 'harnessCaller',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Caller' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'harnessKeyApi', required: true, displayOptions: { show: { auth: ['key'] } } },
			{ name: 'harnessHeaderApi', required: true, displayOptions: { show: { auth: ['header'] } } },
			{ name: 'harnessSessionApi', required: true, displayOptions: { show: { auth: ['session'] } } },
		],
		properties: [
			{
				displayName: 'Auth',
				name: 'auth',
				type: 'options',
				default: 'key',
				options: [
					{ name: 'Key', value: 'key' },
					{ name: 'Header', value: 'header' },
					{ name: 'Session', value: 'session' },
				],
			},
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{ displayName: 'Legacy Request', name: 'legacy', type: 'boolean', default: false },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const credentialType = {
			key: 'harnessKeyApi',
			header: 'harnessHeaderApi',
			session: 'harnessSessionApi',
		}[this.getNodeParameter('auth', 0) as string] as string;
		for (let i = 0; i < items.length; i++) {
			const credentials = await this.getCredentials(credentialType, i);
			const baseUrl = (credentials.baseUrl as string | undefined) ?? api.url;
			const url = `${baseUrl}${this.getNodeParameter('path', i) as string}`;
			const response = this.getNodeParameter('legacy', i)
				? await this.helpers.requestWithAuthentication.call(this, credentialType, { method: 'GET', uri: url, json: true })
				: await this.helpers.httpRequestWithAuthentication.call(this, credentialType, { method: 'GET', url, json: true });
			out.push({ json: { ...(response as IDataObject), region: credentials.region ?? null }, pairedItem: { item: i } });
		}
		return [out];
	},
};

/** Fails items with `fail: true`, honouring continueOnFail like n8n nodes do. */
const failingNode: INodeType = {
	description: {
		displayName: 'Harness Failing',
		name: 'harnessFailing',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Failing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Catch', name: 'catch', type: 'boolean', default: true }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (items[i].json.fail) throw new NodeOperationError(this.getNode(), `item ${i} failed`, { itemIndex: i });
				out.push({ json: { ok: i }, pairedItem: { item: i } });
			} catch (error) {
				if (this.getNodeParameter('catch', i) && this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	},
};

/** Static data + binary helpers. */
const utilityNode: INodeType = {
	description: {
		displayName: 'Harness Utility',
		name: 'harnessUtility',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Utility' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const staticData = this.getWorkflowStaticData('node');
		staticData.runs = ((staticData.runs as number | undefined) ?? 0) + 1;
		const binary = await this.helpers.prepareBinaryData(Buffer.from('héllo binary'), 'hello.txt', 'text/plain');
		const item: INodeExecutionData = { json: { runs: staticData.runs }, binary: { data: binary }, pairedItem: { item: 0 } };
		const buffer = await this.helpers.getBinaryDataBuffer(0, 'data').catch(() => undefined);
		item.json.inputHadBinary = buffer !== undefined;
		item.json.readBack = (
			await this.helpers.binaryToBuffer(await this.helpers.getBinaryStream(binary.id ?? '').catch(() => Buffer.from(binary.data, 'base64')))
		).toString('utf8');
		return [[item]];
	},
};

/** A required parameter, to trigger n8n's workflow-issues check. */
const strictNode: INodeType = {
	description: {
		displayName: 'Harness Strict',
		name: 'harnessStrict',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Strict' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Conversation ID', name: 'conversationId', type: 'string', required: true, default: '' }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	},
};

const webhookCalls = { count: 0 };

/** Trigger: HMAC signature check, dedup via static data, optional failure. */
type WebhookDescription = NonNullable<INodeType['description']['webhooks']>[number];

function makeTrigger(extra: Partial<WebhookDescription> = {}): INodeType {
	return {
		description: {
			displayName: 'Harness Trigger',
			name: 'harnessTrigger',
			group: ['trigger'],
			version: 1,
			description: '',
			defaults: { name: 'Harness Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', ...extra }],
			properties: [
				{ displayName: 'Secret', name: 'secret', type: 'string', default: 'shh' },
				{ displayName: 'Ack', name: 'ack', type: 'boolean', default: false },
			],
		},
		webhookMethods: {
			default: {
				async checkExists(this) {
					return this.getWorkflowStaticData('node').registeredUrl === this.getNodeWebhookUrl('default');
				},
				async create(this) {
					this.getWorkflowStaticData('node').registeredUrl = this.getNodeWebhookUrl('default');
					return true;
				},
				async delete(this) {
					delete this.getWorkflowStaticData('node').registeredUrl;
					return true;
				},
			},
		},
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			webhookCalls.count++;
			const req = this.getRequestObject();
			const res = this.getResponseObject();
			const expected = createHmac('sha256', this.getNodeParameter('secret') as string)
				.update(req.rawBody ?? Buffer.alloc(0))
				.digest('hex');
			if (req.headers['x-signature'] !== expected) {
				res.status(401).json({ error: 'invalid signature' });
				return { noWebhookResponse: true };
			}
			const body = this.getBodyData();
			if (body.explode) throw new NodeApiError(this.getNode(), { message: 'exploded' });
			const staticData = this.getWorkflowStaticData('node');
			const seen = (staticData.seen as string[] | undefined) ?? [];
			if (seen.includes(body.id as string)) return { webhookResponse: { duplicate: true } };
			staticData.seen = [...seen, body.id as string];
			if (body.ignore) return {};
			return {
				workflowData: [this.helpers.returnJsonArray({ ...body, query: this.getQueryData() as IDataObject })],
				...(this.getNodeParameter('ack') ? { webhookResponse: { received: body.id } } : {}),
			};
		},
	};
}

const sign = (body: string | Buffer, secret = 'shh') => createHmac('sha256', secret).update(body).digest('hex');
const post = (body: string, headers: Record<string, string> = {}) => ({
	method: 'POST',
	body,
	headers: { 'content-type': 'application/json', 'x-signature': sign(body), ...headers },
});

// ---------------------------------------------------------------------------------------------
// runWorkflow
// ---------------------------------------------------------------------------------------------

describe('runWorkflow', () => {
	const nodeTypes = {
		'harness.caller': callerNode,
		'harness.failing': failingNode,
		'harness.utility': utilityNode,
		'harness.strict': strictNode,
	};

	test('generic authenticate resolves $credentials expressions and the header reaches the server', async () => {
		const result = await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: { harnessKeyApi: { k1: { apiKey: 'secret-key', baseUrl: api.url } } },
			nodes: [{ type: START_NODE_TYPE }, { type: 'harness.caller', parameters: { auth: 'key' } }],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('Caller');
		// the region default ('eu') was never stored: n8n applies property defaults on decrypt
		expect(item.json).toEqual({ authorization: 'Bearer secret-key', apiKey: null, query: { region: 'eu' }, region: 'eu' });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(requestsTo('/echo')).toHaveLength(1);
		expect(requestsTo('/echo')[0].headers.authorization).toBe('Bearer secret-key');
		expect(result.executedNodes).toEqual(['Start', 'Caller']);
	});

	test('function authenticate, legacy requestWithAuthentication, start data given to a plain node', async () => {
		const result = await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: { harnessHeaderApi: { h1: { key: 'abc' } } },
			nodes: [{ type: 'harness.caller', parameters: { auth: 'header', legacy: true } }],
			triggerItems: [{ json: { n: 1 } }, { json: { n: 2 } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Caller').map((i) => i.json.apiKey)).toEqual(['fn:abc', 'fn:abc']);
		expect(requestsTo('/echo').map((r) => r.headers['x-api-key'])).toEqual(['fn:abc', 'fn:abc']);
	});

	test('preAuthentication fetches a token once, reuses it, and refreshes it after a 401', async () => {
		issuedTokens = 0;
		validTokens.clear();
		const store = new CredentialsStore();
		const credentials = { harnessSessionApi: { s1: { baseUrl: api.url, username: 'u', password: 'pw' } } };
		const nodes = [{ type: START_NODE_TYPE }, { type: 'harness.caller', parameters: { auth: 'session', path: '/protected' } }];

		const first = await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials,
			credentialsStore: store,
			nodes,
			triggerItems: [{ json: {} }, { json: {} }],
		});
		expect(first.error).toBeUndefined();
		expect(first.output('Caller').map((i) => i.json.token)).toEqual(['tok-1', 'tok-1']);
		expect(requestsTo('/auth/token')).toHaveLength(1);
		expect(await store.get('harnessSessionApi', 's1')).toEqual({ ...credentials.harnessSessionApi.s1, sessionToken: 'tok-1' });

		// the provider expires the token: 401 → preAuthentication(credentialsExpired) → retry
		validTokens.clear();
		api.requests.length = 0;
		const second = await runWorkflow({ nodeTypes, credentialTypes, credentialsStore: store, nodes });
		expect(second.error).toBeUndefined();
		expect(second.output('Caller')[0].json.token).toBe('tok-2');
		expect(api.requests.map((r) => `${r.path} ${r.headers.authorization ?? ''}`)).toEqual([
			'/protected Bearer tok-1',
			'/auth/token ',
			'/protected Bearer tok-2',
		]);
		expect((await store.get('harnessSessionApi')).sessionToken).toBe('tok-2');
		expect(store.updates.map((u) => u.data.sessionToken)).toEqual(['tok-1', 'tok-2']);
	});

	test('continueOnFail (onError: continueRegularOutput) gives an error item with pairedItem', async () => {
		const result = await runWorkflow({
			nodeTypes,
			nodes: [{ type: START_NODE_TYPE }, { type: 'harness.failing', onError: 'continueRegularOutput' }],
			triggerItems: [{ json: {} }, { json: { fail: true } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.output('Failing')).toEqual([
			{ json: { ok: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'item 1 failed' }, pairedItem: { item: 1 } },
		]);
	});

	test('without continueOnFail the node error fails the workflow (no throw from runWorkflow)', async () => {
		const result = await runWorkflow({
			nodeTypes,
			nodes: [{ type: START_NODE_TYPE }, { type: 'harness.failing' }],
			triggerItems: [{ json: { fail: true } }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('item 0 failed');
		expect(result.nodeError('Failing')?.message).toBe('item 0 failed');
		expect(result.run.data.resultData.lastNodeExecuted).toBe('Failing');
		expect(result.output('Failing')).toEqual([]);
	});

	test('a node that throws with continueOnFail: n8n passes the input items through', async () => {
		const result = await runWorkflow({
			nodeTypes,
			nodes: [
				{ type: START_NODE_TYPE },
				{ type: 'harness.failing', continueOnFail: true, parameters: { catch: false } },
				{ type: START_NODE_TYPE, name: 'After' },
			],
			triggerItems: [{ json: { fail: true, n: 7 } }],
		});
		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.output('Failing')).toEqual([{ json: { fail: true, n: 7 }, pairedItem: { item: 0 } }]);
		expect(result.nodeError('Failing')?.message).toBe('item 0 failed');
		expect(result.output('After').map((i) => i.json)).toEqual([{ fail: true, n: 7 }]);

		// n8n-core keeps that error as the execution error when the node is the last one run
		const last = await runWorkflow({
			nodeTypes,
			nodes: [{ type: START_NODE_TYPE }, { type: 'harness.failing', continueOnFail: true, parameters: { catch: false } }],
			triggerItems: [{ json: { fail: true } }],
		});
		expect(last.status).toBe('error');
		expect(last.error?.message).toBe('item 0 failed');
		expect(last.output('Failing')).toHaveLength(1);
	});

	test('workflow issues (a missing required parameter) fail the run before any node executes', async () => {
		const result = await runWorkflow({ nodeTypes, nodes: [{ type: START_NODE_TYPE }, { type: 'harness.strict' }] });
		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('WorkflowHasIssuesError');
		expect(result.error?.message).toBe(`The 'Strict' node has issues:\n- Parameter "Conversation ID" is required.`);
		expect(result.executedNodes).toEqual([]);
		const ok = await runWorkflow({
			nodeTypes,
			nodes: [{ type: START_NODE_TYPE }, { type: 'harness.strict', parameters: { conversationId: 'c1' } }],
		});
		expect(ok.status).toBe('success');
	});

	test('a shared credentials store keeps what n8n wrote back; credentials only seed new ids', async () => {
		const store = new CredentialsStore();
		const credentials = { harnessSessionApi: { s9: { baseUrl: api.url, username: 'u', password: 'pw' } } };
		const run = () =>
			runWorkflow({
				nodeTypes,
				credentialTypes,
				credentials,
				credentialsStore: store,
				nodes: [{ type: 'harness.caller', parameters: { auth: 'session', path: '/protected' } }],
			});
		await run();
		const token = store.getData('harnessSessionApi', 's9').sessionToken;
		expect(token).toMatch(/^tok-\d+$/);
		await run();
		expect(requestsTo('/auth/token')).toHaveLength(1);
		expect(store.getData('harnessSessionApi').sessionToken).toBe(token);
		expect(await store.get('harnessSessionApi', 's9')).toEqual(store.getData('harnessSessionApi', 's9'));
	});

	test('static data is persisted for non-manual runs only; binary data works in memory', async () => {
		const staticData: IDataObject = {};
		const manual = await runWorkflow({ nodeTypes, nodes: [{ type: 'harness.utility' }], staticData });
		expect(manual.staticData).toEqual({ 'node:Utility': { runs: 1 } });
		expect(staticData).toEqual({}); // n8n does not save static data of manual executions

		const first = await runWorkflow({ nodeTypes, nodes: [{ type: 'harness.utility' }], staticData, mode: 'trigger' });
		const second = await runWorkflow({ nodeTypes, nodes: [{ type: 'harness.utility' }], staticData, mode: 'trigger' });
		expect(first.output('Utility')[0].json.runs).toBe(1);
		expect(second.output('Utility')[0].json.runs).toBe(2);
		expect(staticData).toEqual({ 'node:Utility': { runs: 2 } });

		const [item] = second.output('Utility');
		expect(item.json.readBack).toBe('héllo binary');
		expect(item.binary?.data).toMatchObject({ fileName: 'hello.txt', mimeType: 'text/plain', fileExtension: 'txt' });
		expect(Buffer.from(item.binary!.data.data, 'base64').toString('utf8')).toBe('héllo binary');
	});
});

// ---------------------------------------------------------------------------------------------
// callWebhook
// ---------------------------------------------------------------------------------------------

describe('callWebhook', () => {
	const trigger = makeTrigger({ responseData: '' });

	beforeEach(() => {
		webhookCalls.count = 0;
	});

	test('valid request: 200, n8n default body, items, rawBody exactly as sent', async () => {
		const body = '{ "id": "evt-1",  "text": "héllo" }';
		const result = await callWebhook({ nodeType: trigger, request: { ...post(body), query: { a: '1' } } });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ message: 'Workflow was started' });
		expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(result.headers['content-security-policy']).toMatch(/^sandbox /);
		expect(result.items).toEqual([[{ json: { id: 'evt-1', text: 'héllo', query: { a: '1' } } }]]);
		expect(result.request?.rawBody?.equals(Buffer.from(body))).toBe(true);
	});

	test('webhookResponse is the body when responseData is empty', async () => {
		const result = await callWebhook({
			nodeType: trigger,
			node: { parameters: { ack: true } },
			request: post('{"id":"evt-2"}'),
		});
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ received: 'evt-2' });
	});

	test('n8n 2.41 quirk: a description without responseData answers the text "firstEntryJson"', async () => {
		const result = await callWebhook({
			nodeType: makeTrigger(),
			node: { parameters: { ack: true } },
			request: post('{"id":"evt-3"}'),
		});
		expect(result.status).toBe(200);
		expect(result.body).toBe('firstEntryJson');
		expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(result.items).toHaveLength(1);
	});

	test('a node answering 401 through res gets exactly that, and no items', async () => {
		const result = await callWebhook({
			nodeType: trigger,
			request: post('{"id":"evt-1"}', { 'x-signature': 'forged' }),
		});
		expect(result.status).toBe(401);
		expect(result.json).toEqual({ error: 'invalid signature' });
		expect(result.items).toBeUndefined();
		expect(result.responseError).toBeUndefined();
	});

	test('a node that answers through res but does not return noWebhookResponse is flagged', async () => {
		const sloppy: INodeType = {
			...trigger,
			async webhook(this: IWebhookFunctions) {
				this.getResponseObject().status(202).send('accepted');
				return { workflowData: [[{ json: {} }]] };
			},
		};
		const result = await callWebhook({ nodeType: sloppy, request: { method: 'POST', body: '{}' } });
		expect(result.status).toBe(202);
		expect(result.body).toBe('accepted');
		expect(result.responseError?.message).toMatch(/Cannot set headers after they are sent/);
	});

	test('static data persists between calls (redelivery is recognised)', async () => {
		const staticData: IDataObject = {};
		const first = await callWebhook({ nodeType: trigger, staticData, request: post('{"id":"evt-9"}') });
		expect(first.items).toHaveLength(1);
		expect(staticData).toEqual({ 'node:Harness Trigger': { seen: ['evt-9'] } });

		const again = await callWebhook({ nodeType: trigger, staticData, request: post('{"id":"evt-9"}') });
		expect(again.items).toBeUndefined();
		expect(again.status).toBe(200);
		expect(again.json).toEqual({ duplicate: true });
		expect(again.headers['content-security-policy']).toBeUndefined();
	});

	test('no workflowData and no webhookResponse: "Webhook call received"', async () => {
		const result = await callWebhook({ nodeType: trigger, request: post('{"id":"evt-4","ignore":true}') });
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ message: 'Webhook call received' });
		expect(result.items).toBeUndefined();
	});

	test('urlencoded and text bodies are parsed by content type; unknown types only get rawBody', async () => {
		const form = 'id=evt-6&tags=a&tags=b';
		const r1 = await callWebhook({
			nodeType: trigger,
			request: { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': sign(form) } },
		});
		expect(r1.items?.[0][0].json).toMatchObject({ id: 'evt-6', tags: ['a', 'b'] });

		const r2 = await callWebhook({
			nodeType: trigger,
			request: { body: 'plain', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-signature': sign('plain') } },
		});
		expect(r2.request?.body).toBe('plain');

		const r3 = await callWebhook({
			nodeType: trigger,
			request: { body: '{"id":"x"}', headers: { 'content-type': 'application/octet-stream', 'x-signature': sign('{"id":"x"}') } },
		});
		expect(r3.request?.body).toBeUndefined();
		expect(r3.request?.rawBody?.toString()).toBe('{"id":"x"}');
	});

	test('xml is parsed like n8n (xml2js, lower-cased tags, no arrays); multipart gives { data, files }', async () => {
		const xml = '<Event><ID>evt-x</ID><Tag>a</Tag></Event>';
		const r1 = await callWebhook({
			nodeType: trigger,
			request: { body: xml, headers: { 'content-type': 'application/xml', 'x-signature': sign(xml) } },
		});
		expect(r1.request?.body).toEqual({ event: { id: 'evt-x', tag: 'a' } });

		const boundary = 'XyZ';
		const multipart = Buffer.from(
			[
				`--${boundary}`,
				'Content-Disposition: form-data; name="id"',
				'',
				'evt-m',
				`--${boundary}`,
				'Content-Disposition: form-data; name="file"; filename="a.txt"',
				'Content-Type: text/plain',
				'',
				'file content',
				`--${boundary}--`,
				'',
			].join('\r\n'),
		);
		const r2 = await callWebhook({
			nodeType: trigger,
			request: {
				body: multipart,
				headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-signature': sign(Buffer.alloc(0)) },
			},
		});
		const body = r2.request?.body as { data: IDataObject; files: Record<string, IDataObject> };
		expect(body.data).toEqual({ id: 'evt-m' });
		expect(body.files.file).toMatchObject({ originalFilename: 'a.txt', mimetype: 'text/plain', size: 12 });
		expect(r2.request?.rawBody).toBeUndefined();
	});

	test('webhook() throwing: 500 with n8n message, static data not saved', async () => {
		const staticData: IDataObject = {};
		const result = await callWebhook({ nodeType: trigger, staticData, request: post('{"id":"evt-7","explode":true}') });
		expect(result.status).toBe(500);
		expect(result.json).toEqual({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		expect(result.webhookError?.message).toBe('exploded');
		expect(result.items).toBeUndefined();
		expect(staticData).toEqual({});
	});

	test('unknown path / wrong method get n8n 404s', async () => {
		const wrongMethod = await callWebhook({ nodeType: trigger, request: { method: 'GET' } });
		expect(wrongMethod.status).toBe(404);
		expect(wrongMethod.json.message).toBe(
			'This webhook is not registered for GET requests. Did you mean to make a POST request?',
		);
		const wrongPath = await callWebhook({ nodeType: trigger, request: { path: 'nope', method: 'POST', body: '{}' } });
		expect(wrongPath.status).toBe(404);
		expect(wrongPath.json.message).toBe('The requested webhook "POST nope" is not registered.');
		expect(webhookCalls.count).toBe(0);
	});

	test('webhookMethods checkExists/create/delete with a real HookContext', async () => {
		const staticData: IDataObject = {};
		const node = { webhookId: 'c0ffee00-0000-4000-8000-000000000000' };
		expect((await runWebhookMethod({ nodeType: trigger, node, method: 'checkExists', staticData })).result).toBe(false);
		const created = await runWebhookMethod({ nodeType: trigger, node, method: 'create', staticData });
		expect(created.webhookUrl).toBe('http://localhost:5678/webhook/c0ffee00-0000-4000-8000-000000000000/webhook');
		expect(staticData).toEqual({ 'node:Harness Trigger': { registeredUrl: created.webhookUrl } });
		expect((await runWebhookMethod({ nodeType: trigger, node, method: 'checkExists', staticData })).result).toBe(true);
	});
});

// ---------------------------------------------------------------------------------------------
// testCredential
// ---------------------------------------------------------------------------------------------

describe('testCredential', () => {
	test('OK when the test request succeeds with the authenticated request', async () => {
		const result = await testCredential({ credentialType: new KeyApi(), data: { apiKey: 'good-key', baseUrl: api.url } });
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(requestsTo('/me')[0].headers.authorization).toBe('Bearer good-key');
		expect(requestsTo('/me')[0].query).toEqual({ region: 'eu' });
	});

	test('Error with the status text for a non-2xx response', async () => {
		const result = await testCredential({ credentialType: new KeyApi(), data: { apiKey: 'bad', baseUrl: api.url } });
		expect(result).toMatchObject({ status: 'Error', message: 'Unauthorized' });
	});

	test('rules: responseCode and responseSuccessBody', async () => {
		const bad = await testCredential({ credentialType: new KeyApiWithCodeRule(), data: { apiKey: 'bad', baseUrl: api.url } });
		expect(bad).toMatchObject({ status: 'Error', message: 'The API key is wrong' });
		const disabled = await testCredential({
			credentialType: new KeyApiWithBodyRule(),
			data: { apiKey: 'good-key', baseUrl: api.url, region: 'us' },
		});
		expect(disabled).toMatchObject({ status: 'Error', message: 'Account disabled' });
	});

	test('network errors give the error code', async () => {
		const closed = await startFakeServer();
		const url = closed.url;
		await closed.close();
		const result = await testCredential({ credentialType: new KeyApi(), data: { apiKey: 'x', baseUrl: url } });
		expect(result).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	});

	test('preAuthentication always runs while testing and its token is used', async () => {
		const result = await testCredential({
			credentialType: new SessionApi(),
			data: { baseUrl: api.url, username: 'u', password: 'pw', sessionToken: 'stale' },
		});
		expect(result.status).toBe('OK');
		const used = requestsTo('/protected')[0].headers.authorization;
		expect(used).toMatch(/^Bearer tok-\d+$/);
		expect(used).not.toBe('Bearer stale');
		expect(`Bearer ${(await result.credentialsStore.get('harnessSessionApi')).sessionToken as string}`).toBe(used);
	});

	test('no test defined', async () => {
		const result = await testCredential({ credentialType: new HeaderApi(), data: { key: 'k' } });
		expect(result).toMatchObject({ status: 'Error', message: 'No testing function found for this credential.' });
	});
});

describe('dynamic webhook paths, looked up as n8n does', () => {
	const paramTrigger = (isFullPath: boolean): INodeType => ({
		description: {
			displayName: 'Param Trigger',
			name: 'paramTrigger',
			group: ['trigger'],
			version: 1,
			description: '',
			defaults: { name: 'Param Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'hook/:kind', isFullPath }],
			properties: [],
		},
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			return { webhookResponse: { kind: (this.getParamsData() as IDataObject).kind }, workflowData: [[{ json: {} }]] };
		},
	});
	const webhookId = '0b7e0f64-1b7c-4f55-9d0e-3f1c2d4a5b6c';
	const call = (nodeType: INodeType) =>
		callWebhook({
			nodeType,
			node: { webhookId },
			request: { method: 'POST', path: `${webhookId}/hook/typing`, headers: { 'content-type': 'application/json' }, body: '{}' },
		});

	test('with isFullPath n8n would store the same path for every workflow: the harness refuses the trigger', async () => {
		await expect(call(paramTrigger(true))).rejects.toThrow(
			'Node type "n8n-nodes-harness.paramTrigger" would be stored by n8n under the same webhook POST hook/:kind in every workflow',
		);
	});

	test('without isFullPath n8n stores it one segment longer than it looks up: 404', async () => {
		const result = await call(paramTrigger(false));
		expect(result.status).toBe(404);
		expect(result.items).toBeUndefined();
	});
});

describe('webhook_entity: what n8n lets two workflows keep active at once', () => {
	const triggerWith = (webhooks: IWebhookDescription[]): INodeType => ({
		description: {
			displayName: 'Path Trigger',
			name: 'pathTrigger',
			group: ['trigger'],
			version: 1,
			description: '',
			defaults: { name: 'Path Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks,
			properties: [],
		},
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			return { workflowData: [[{ json: { path: this.getRequestObject().path } }]] };
		},
	});
	const hook = (path: string, extra: Partial<IWebhookDescription> = {}): IWebhookDescription => ({
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path,
		...extra,
	});
	const webhookId = '6a0c1f9e-2d3b-4c5a-8e7f-9a0b1c2d3e4f';
	const call = (nodeType: INodeType, path: string) =>
		callWebhook({ nodeType, node: { webhookId }, request: { method: 'POST', path: `${webhookId}/${path}`, headers: { 'content-type': 'application/json' }, body: '{}' } });

	test('a fixed full path (isFullPath, no parameter) is refused by callWebhook and runWebhookMethod', async () => {
		const nodeType = triggerWith([hook('omnidesk/messageForCustomer', { isFullPath: true })]);
		nodeType.webhookMethods = { default: { checkExists: async () => false, create: async () => true, delete: async () => true } };
		await expect(call(nodeType, 'omnidesk/messageForCustomer')).rejects.toThrow('under the same webhook POST omnidesk/messageForCustomer in every workflow');
		await expect(runWebhookMethod({ nodeType, node: { webhookId }, method: 'create' })).rejects.toThrow(
			'under the same webhook POST omnidesk/messageForCustomer in every workflow',
		);
	});

	test('the same path and method twice in one node is refused', async () => {
		await expect(call(triggerWith([hook('a'), hook('a')]), 'a')).rejects.toThrow('declares the webhook POST 6a0c1f9e-2d3b-4c5a-8e7f-9a0b1c2d3e4f/a twice');
	});

	test('paths below the webhook ID are accepted: each of several fixed hookpoints is served', async () => {
		const nodeType = triggerWith([hook('hookpoint/one'), hook('hookpoint/two'), hook('hookpoint/one', { httpMethod: 'GET' })]);
		const result = await call(nodeType, 'hookpoint/two');
		expect(result.status).toBe(200);
		expect(result.items?.[0][0].json).toEqual({ path: `/webhook/${webhookId}/hookpoint/two` });
	});

	test('the keys n8n stores: <webhookId>/<path> per webhook and method', () => {
		const nodeType = triggerWith([hook('/hookpoint/one/'), hook('hookpoint/one', { httpMethod: 'GET' })]);
		const nodeTypes = new HarnessNodeTypes({ 'n8n-nodes-harness.pathTrigger': nodeType });
		const node: INode = { id: '1', name: 'Path Trigger', type: 'n8n-nodes-harness.pathTrigger', typeVersion: 1, position: [0, 0], parameters: {}, webhookId };
		const workflow = new Workflow({ id: 'wf1', nodes: [node], connections: {}, active: true, nodeTypes });
		expect(storedWebhookKeys(workflow, node, {} as IWorkflowExecuteAdditionalData)).toEqual([
			`POST ${webhookId}/hookpoint/one`,
			`GET ${webhookId}/hookpoint/one`,
		]);
	});
});
