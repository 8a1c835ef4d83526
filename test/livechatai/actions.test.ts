/**
 * Every LiveChatAI operation in n8n's engine against the sandbox: the exact request, the items
 * out, the error mapping, and the streamed answer in each wire format.
 */
import type { IDataObject } from 'n8n-workflow';
import { LiveChatAi } from '../../nodes/LiveChatAi/LiveChatAi.node';
import { forgetConversationsInThisProcess } from '../../nodes/shared/memory/conversations';
import { retryPolicy } from '../../nodes/shared/transport';
import { testCredential } from '../harness';
import { LiveChatAiApi } from '../../credentials/LiveChatAiApi.credentials';
import {
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_DATA_SOURCE_IDS,
	LIVECHATAI_HOURS_ANSWER,
	LIVECHATAI_SEED_COUNTS,
	LIVECHATAI_USER_IDS,
	startSandbox,
	type Sandbox,
} from '../sandbox';
import { agentById, runLiveChatAi } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	retryPolicy.backoffMs = [0, 0, 0];
	sandbox = await startSandbox();
});
afterEach(() => {
	sandbox.reset();
	forgetConversationsInThisProcess();
});
afterAll(async () => {
	await sandbox.close();
});

const AGENT = LIVECHATAI_AGENT_IDS.support;

function only(method: string, path: string | RegExp) {
	const requests = sandbox.requestsFor('livechatai', method, path);
	expect(requests).toHaveLength(1);
	return requests[0];
}

const ask = (parameters: IDataObject = {}, options = {}) =>
	runLiveChatAi(
		sandbox,
		{
			resource: 'conversation',
			operation: 'sendMessage',
			agentId: agentById(AGENT),
			question: 'What are your business hours?',
			...parameters,
		},
		options,
	);

describe('Conversation → Send Message', () => {
	test('every seed field goes out as JSON with the bearer key; the answer and its IDs come out', async () => {
		const { items, error } = await ask({
			conversationId: LIVECHATAI_CONVERSATION_IDS.main,
			options: {
				messageType: 'TEXT',
				streaming: false,
				ip: '192.168.1.1',
				country: 'US',
				responseFormat: 'MARKDOWN',
				integrationType: 'WHATSAPP',
			},
		});
		expect(error).toBeUndefined();
		const request = only('POST', '/conversations');
		expect(request.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
		expect(request.body).toEqual({
			question: 'What are your business hours?',
			agentId: AGENT,
			conversationId: LIVECHATAI_CONVERSATION_IDS.main,
			messageType: 'TEXT',
			streaming: false,
			ip: '192.168.1.1',
			country: 'US',
			responseFormat: 'MARKDOWN',
			integrationType: 'WHATSAPP',
		});
		expect(items[0].json).toEqual({
			response: LIVECHATAI_HOURS_ANSWER,
			conversationId: LIVECHATAI_CONVERSATION_IDS.main,
			contactId: 'contact_1234567890',
			messageId: expect.any(String),
			responseMessageId: expect.any(String),
			links: [expect.objectContaining({ type: 'WEBSITE' })],
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('the agent picked from the list (list mode) works like an ID', async () => {
		await ask({ agentId: { __rl: true, mode: 'list', value: AGENT, cachedResultName: 'Support Bot' } });
		expect(only('POST', '/conversations').body).toMatchObject({ agentId: AGENT });
	});

	test('without a conversation a new one starts', async () => {
		const { items } = await ask({ question: 'Hello there' });
		expect(only('POST', '/conversations').body).toEqual({ question: 'Hello there', agentId: AGENT });
		expect(items[0].json.conversationId).toMatch(/^chat_2/);
	});

	test('PLAIN answers carry no Markdown', async () => {
		const markdown = await ask({ question: 'Tell me about pricing' });
		const plain = await ask({ question: 'Tell me about pricing', options: { responseFormat: 'PLAIN' } });
		expect(String(markdown.items[0].json.response)).toContain('**');
		expect(String(plain.items[0].json.response)).not.toContain('**');
	});

	test('a conversation key starts a conversation once and continues it afterwards; other keys get their own', async () => {
		const staticData: IDataObject = {};
		const run = (key: string, question: string) =>
			ask({ question, conversationKey: key }, { staticData });
		// `manual` runs do not persist static data (as in n8n), so the test carries it over by hand.
		const first = await run('digishare:conv-A', 'Hi, I am Adil');
		Object.assign(staticData, first.staticData);
		const second = await run('digishare:conv-A', 'What did I say my name was?');
		Object.assign(staticData, second.staticData);
		const other = await run('digishare:conv-B', 'Hello');
		const sends = sandbox.requestsFor('livechatai', 'POST', '/conversations').map((request) => request.body as IDataObject);
		expect(sends[0].conversationId).toBeUndefined();
		expect(sends[1].conversationId).toBe(first.items[0].json.conversationId);
		expect(sends[2].conversationId).toBeUndefined();
		expect(other.items[0].json.conversationId).not.toBe(first.items[0].json.conversationId);
		expect(second.items[0].json).toMatchObject({ conversationKey: 'digishare:conv-A', conversationId: first.items[0].json.conversationId });
	});

	test.each(['sse', 'sse-text', 'text', 'json'] as const)('streaming (%s): the node outputs the whole answer', async (format) => {
		sandbox.livechatai.streamFormat = format;
		const { items, error } = await ask({ conversationId: LIVECHATAI_CONVERSATION_IDS.main, options: { streaming: true } });
		expect(error).toBeUndefined();
		expect(only('POST', '/conversations').body).toMatchObject({ streaming: true, question: 'What are your business hours?' });
		expect(sandbox.livechatai.sends[0].streamFormat).toBe(format);
		expect(sandbox.requestsFor('livechatai', 'POST', '/conversations')[0].response.headers?.['content-type'] ?? '').toContain(
			{ sse: 'text/event-stream', 'sse-text': 'text/event-stream', text: 'text/plain', json: 'application/json' }[format],
		);
		expect(items[0].json.response).toBe(LIVECHATAI_HOURS_ANSWER);
		expect(items[0].json.conversationId).toBe(LIVECHATAI_CONVERSATION_IDS.main);
		if (format === 'sse' || format === 'json') {
			expect(items[0].json.responseMessageId).toEqual(expect.any(String));
			expect(items[0].json.links).toEqual([expect.objectContaining({ type: 'WEBSITE' })]);
		}
	});

	test('an unknown agent: LiveChatAI message and code', async () => {
		const { error } = await ask({ agentId: agentById('clx_unknown') });
		expect(error?.message).toMatch(/^LiveChatAI: /);
		expect((error as { httpCode?: string }).httpCode).toBe('404');
		expect((error as { description?: string }).description).toBe('Code: NOT_FOUND\nOperation: Conversation → Send Message, item 0');
	});

	test('an invalid key: 401 message and code, and the key never shows', async () => {
		const { error, run } = await ask({}, { credentials: { apiKey: 'lcai_wrong_key_123456' } });
		expect(error?.message).toBe('LiveChatAI: Invalid API key');
		expect((error as { description?: string }).description).toBe('Code: UNAUTHORIZED\nOperation: Conversation → Send Message, item 0');
		expect(JSON.stringify(run)).not.toContain('lcai_wrong_key_123456');
	});

	test('a 429 is retried', async () => {
		sandbox.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', status: 429 });
		const { items } = await ask();
		expect(items[0].json.response).toBe(LIVECHATAI_HOURS_ANSWER);
		expect(sandbox.requestsFor('livechatai', 'POST', '/conversations').map((request) => request.response.status)).toEqual([429, 200]);
	});

	test('an empty question expression is refused before sending', async () => {
		const { error } = await ask({ question: '={{ "" }}' });
		expect(error?.message).toBe('Question: is required');
		expect(sandbox.requestsFor('livechatai')).toHaveLength(0);
	});
});

describe('Conversation → other operations', () => {
	test('Reply as Human Agent', async () => {
		const { items } = await runLiveChatAi(sandbox, {
			resource: 'conversation',
			operation: 'reply',
			conversationId: LIVECHATAI_CONVERSATION_IDS.main,
			message: 'Hi, Sam from support here',
			userId: LIVECHATAI_USER_IDS.agent,
			messageType: 'TEXT',
		});
		expect(only('POST', `/conversations/${LIVECHATAI_CONVERSATION_IDS.main}/reply`).body).toEqual({
			message: 'Hi, Sam from support here',
			userId: LIVECHATAI_USER_IDS.agent,
			messageType: 'TEXT',
		});
		expect(items[0].json).toMatchObject({ conversationId: LIVECHATAI_CONVERSATION_IDS.main, message: { sender: 'AGENT', text: 'Hi, Sam from support here' } });
	});

	test('Get with messages', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'conversation', operation: 'get', conversationId: LIVECHATAI_CONVERSATION_IDS.human });
		expect(items[0].json).toMatchObject({ id: LIVECHATAI_CONVERSATION_IDS.human, isAgent: true });
		expect((items[0].json.messages as IDataObject[]).length).toBeGreaterThan(0);
	});

	test('Get Many with Return All walks the perPage pages', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'conversation', operation: 'getAll', agentId: agentById(AGENT), returnAll: true });
		expect(items).toHaveLength(LIVECHATAI_SEED_COUNTS.supportConversations);
		expect(sandbox.requestsFor('livechatai', 'GET', '/conversations').map((request) => request.query)).toEqual([
			{ agentId: AGENT, sort: 'desc', page: '1', perPage: '100' },
		]);
	});

	test('Get Many with a small limit across pages, and filters', async () => {
		const { items } = await runLiveChatAi(sandbox, {
			resource: 'conversation',
			operation: 'getAll',
			agentId: agentById(AGENT),
			returnAll: false,
			limit: 3,
			sort: 'asc',
			filters: { status: 'open', type: 'all', startDate: '2020-01-01T00:00:00.000Z' },
		});
		expect(items).toHaveLength(3);
		expect(only('GET', '/conversations').query).toEqual({
			agentId: AGENT,
			sort: 'asc',
			status: 'open',
			type: 'all',
			startDate: '1577836800',
			page: '1',
			perPage: '3',
		});
	});
});

describe('Agent', () => {
	test('Get Many', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'agent', operation: 'getAll', returnAll: true });
		expect(items.map((item) => item.json.id)).toEqual(expect.arrayContaining(Object.values(LIVECHATAI_AGENT_IDS)));
		expect(only('GET', '/agents').query).toEqual({ page: '1', limit: '100' });
	});

	test('Get by ID', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'agent', operation: 'get', agentId: agentById(AGENT) });
		expect(items[0].json.id).toBe(AGENT);
		only('GET', `/agents/${AGENT}`);
	});

	test('the agent picker lists the account’s agents', async () => {
		const node = new LiveChatAi();
		const { runLoadOptions } = await import('./load-options');
		const result = await runLoadOptions(sandbox, (ctx) => node.methods.listSearch.searchAgents.call(ctx, 'sales'));
		expect(result.results).toEqual([{ name: expect.any(String), value: LIVECHATAI_AGENT_IDS.sales }]);
	});
});

describe('Contact', () => {
	test('Create or Update: by distinct ID with attributes', async () => {
		const { items } = await runLiveChatAi(sandbox, {
			resource: 'contact',
			operation: 'upsert',
			agentId: agentById(AGENT),
			distinctId: 'digishare-thd-1',
			additionalFields: { name: 'Adil Chbada', email: 'adil@example.com', attributes: { attribute: [{ key: 'plan', value: 'gold' }] } },
		});
		expect(only('POST', '/contacts').body).toEqual({
			agentId: AGENT,
			distinctId: 'digishare-thd-1',
			name: 'Adil Chbada',
			email: 'adil@example.com',
			attributes: { plan: 'gold' },
		});
		expect(items[0].json).toMatchObject({ contactId: expect.stringMatching(/^contact_/), distinctId: 'digishare-thd-1' });
	});

	test('Get Many walks limit pages', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'contact', operation: 'getAll', agentId: agentById(AGENT), returnAll: false, limit: 5 });
		expect(items).toHaveLength(5);
		expect(only('GET', '/contacts').query).toEqual({ agentId: AGENT, page: '1', limit: '5' });
	});
});

describe('Data Source', () => {
	test('Add Text', async () => {
		const { items } = await runLiveChatAi(sandbox, {
			resource: 'dataSource',
			operation: 'addText',
			agentId: agentById(AGENT),
			title: 'Returns policy',
			content: 'You can return items within 30 days.',
		});
		expect(only('POST', '/data-sources/text').body).toEqual({ title: 'Returns policy', content: 'You can return items within 30 days.', agentId: AGENT });
		expect(items[0].json).toMatchObject({ source: 'TEXT', id: expect.any(String) });
	});

	test('Add URL (checked) ', async () => {
		await runLiveChatAi(sandbox, { resource: 'dataSource', operation: 'addUrl', agentId: agentById(AGENT), url: 'https://www.example.com/faq' });
		expect(only('POST', '/data-sources/url').body).toEqual({ url: 'https://www.example.com/faq', agentId: AGENT });
		const bad = await runLiveChatAi(sandbox, { resource: 'dataSource', operation: 'addUrl', agentId: agentById(AGENT), url: 'example.com' });
		expect(bad.error?.message).toBe('URL: must start with http:// or https://');
	});

	test('Add Q&A', async () => {
		await runLiveChatAi(sandbox, {
			resource: 'dataSource',
			operation: 'addQa',
			agentId: agentById(AGENT),
			question: 'Do you ship abroad?',
			answer: 'Yes, to the EU.',
			additionalFields: { isGeneratedByAI: false },
		});
		expect(only('POST', '/data-sources/qa').body).toEqual({ question: 'Do you ship abroad?', answer: 'Yes, to the EU.', isGeneratedByAI: false, agentId: AGENT });
	});

	test('Get Many with a source filter', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'dataSource', operation: 'getAll', agentId: agentById(AGENT), source: 'ALL', returnAll: true });
		expect(items.length).toBeGreaterThan(0);
		expect(only('GET', '/data-sources').query).toEqual({ agentId: AGENT, source: 'ALL', page: '1', limit: '100' });
	});

	test('Delete', async () => {
		const { items } = await runLiveChatAi(sandbox, { resource: 'dataSource', operation: 'delete', dataSourceId: LIVECHATAI_DATA_SOURCE_IDS.pricing });
		only('DELETE', `/data-sources/${LIVECHATAI_DATA_SOURCE_IDS.pricing}`);
		expect(items[0].json).toEqual({ id: LIVECHATAI_DATA_SOURCE_IDS.pricing, deleted: true });
	});
});

describe('credential test', () => {
	test('lists agents with the key; a wrong key fails', async () => {
		const ok = await testCredential({ credentialType: new LiveChatAiApi(), data: { apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') } });
		expect(ok.status).toBe('OK');
		expect(only('GET', '/agents').headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
		const bad = await testCredential({ credentialType: new LiveChatAiApi(), data: { apiKey: 'nope-nope-nope', baseUrl: sandbox.baseUrl('livechatai') } });
		expect(bad.status).toBe('Error');
	});
});
