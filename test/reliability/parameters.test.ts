/**
 * Bad parameters from expressions (issue 12): for every action node and operation, each text,
 * number, ID, option and boolean parameter the operation shows (derived from the node description's displayOptions)
 * gets `={{ undefined }}`, `={{ {a: 1} }}`, `={{ [1,2] }}`, `={{ "" }}`, a number as a string, a
 * number, and a 100 kB string, in n8n's engine against the sandbox. Either the node refuses naming
 * the field (and the sandbox got no request in that run), or what the sandbox got carries the
 * documented coercion (nodes/shared/parameters.ts) — and never "undefined", "[object Object]" or
 * "NaN". `RELIABILITY_REPORT=1` prints the count of cases per outcome.
 */
import type { IDataObject, INodeExecutionData, INodeProperties, INodeType } from 'n8n-workflow';
import { runDigishare } from '../digishare/fixtures';
import { runLiveChatAi, agentById } from '../livechatai/fixtures';
import { freshProcess, runLivePerson, livePersonNodeTypes, LIVEPERSON_TYPE } from '../liveperson/fixtures';
import { runOmnidesk, omnideskNodeTypes, OMNIDESK_TYPE } from '../omnidesk/fixtures';
import { nodeTypes as digishareNodeTypes, DIGISHARE_TYPE, fastRetries } from '../digishare/fixtures';
import { liveChatAiNodeTypes, LIVECHATAI_TYPE } from '../livechatai/fixtures';
import {
	DIGISHARE_BOT_IDS,
	DIGISHARE_COMPANY_ID,
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PROVIDER_INSTANCE_IDS,
	DIGISHARE_THIRD_IDS,
	DIGISHARE_USER_IDS,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_CONVERSATION_IDS,
	LIVECHATAI_DATA_SOURCE_IDS,
	LIVECHATAI_USER_IDS,
	OMNIDESK_BRAND_ID,
	startSandbox,
	type RecordedRequest,
	type Sandbox,
} from '../sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	fastRetries();
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
	if (process.env.RELIABILITY_REPORT === '1') printReport();
});

type Runner = (sandbox: Sandbox, parameters: IDataObject, options: { items?: INodeExecutionData[]; staticData?: IDataObject }) => Promise<{ error?: Error; items: INodeExecutionData[] }>;

interface Operation {
	resource: string;
	operation: string;
	/** Valid parameters: the operation succeeds with them. */
	baseline: (sandbox: Sandbox, prepared: IDataObject) => IDataObject;
	/** Runs before each case (its requests are not the case's); what it returns reaches `baseline`. */
	prepare?: (sandbox: Sandbox) => Promise<IDataObject>;
	/** Variant name when one operation is run with several baselines (e.g. message types). */
	variant?: string;
	/** Input items (files for the upload operations); default one empty item. */
	items?: INodeExecutionData[];
}

interface Provider {
	name: string;
	type: INodeType;
	run: Runner;
	/** Sandbox mounts this provider's requests go to. */
	mounts: string[];
	operations: Operation[];
	/** Documented text limits: field name → limit (the refusal must name it). */
	documentedLimits?: Record<string, number>;
}

const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';
const DS_CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;
const LC_AGENT = LIVECHATAI_AGENT_IDS.support;

const only = (value: IDataObject) => () => value;

/** One item holding a small PNG as binary `data` (the upload operations' input). */
function pngItem(): INodeExecutionData {
	const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
	return { json: {}, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'photo.png', fileExtension: 'png' } } };
}

/** LivePerson: a conversation of `consumer` opened by Send Text (and closed for Rate). */
function livePersonConversation(close = false) {
	return async (sb: Sandbox): Promise<IDataObject> => {
		const opened = await runLivePerson(sb, { resource: 'message', operation: 'sendText', consumerId: 'campaign:1', text: 'Hello' });
		const conversationId = opened.items[0]?.json.conversationId as string;
		if (close) await runLivePerson(sb, { resource: 'conversation', operation: 'close', consumerId: 'campaign:1', conversationId });
		return { conversationId };
	};
}

const PROVIDERS: Provider[] = [
	{
		name: 'Digishare',
		type: digishareNodeTypes[DIGISHARE_TYPE],
		run: (sb, parameters, options) => runDigishare(sb, parameters, options),
		mounts: ['digishare', 'digishare-app', 'digishare-calclytics'],
		documentedLimits: { text: 4096, message: 4096, bodyText: 4096, header: 60 },
		operations: [
			{ resource: 'message', operation: 'send', variant: 'text', baseline: only({ conversationId: DS_CONVERSATION, messageType: 'text', text: 'Hi' }) },
			{ resource: 'message', operation: 'sendAndWait', baseline: only({ conversationId: DS_CONVERSATION, message: 'Your order number?', waitLimit: 5 }) },
			{
				resource: 'message',
				operation: 'send',
				variant: 'location',
				baseline: only({ conversationId: DS_CONVERSATION, messageType: 'location', latitude: 33.5731, longitude: -7.5898, locationName: 'HQ', address: 'Casablanca' }),
			},
			{
				resource: 'message',
				operation: 'send',
				variant: 'buttons',
				baseline: only({ conversationId: DS_CONVERSATION, messageType: 'buttons', bodyText: 'Pick one', header: 'Menu', buttons: { button: [{ id: 'b1', title: 'Yes' }] } }),
			},
			{
				resource: 'message',
				operation: 'send',
				variant: 'list',
				baseline: only({
					conversationId: DS_CONVERSATION,
					messageType: 'list',
					bodyText: 'Pick one',
					listButton: 'Options',
					rows: { row: [{ id: 'r1', title: 'Row', section: 'S' }] },
				}),
			},
			{
				resource: 'message',
				operation: 'sendToRecipient',
				baseline: (sb) => ({
					providerInstanceId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
					channel: 'whatsapp',
					recipientId: '212600000001',
					text: 'Hi',
					options: { ingestUrl: sb.baseUrl('digishare-app') },
				}),
			},
			{
				resource: 'conversation',
				operation: 'addParticipants',
				baseline: only({ conversationId: DS_CONVERSATION, users: DIGISHARE_USER_IDS.agent2, bots: DIGISHARE_BOT_IDS.faq, handlerId: '' }),
			},
			{
				resource: 'conversation',
				operation: 'check',
				baseline: only({
					companyId: DIGISHARE_COMPANY_ID,
					apiProviderId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
					channel: 'whatsapp',
					thirdId: DIGISHARE_THIRD_IDS[0],
					channelIdentity: '212600000001',
				}),
			},
			{
				resource: 'conversation',
				operation: 'create',
				baseline: only({ providerInstanceId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp, channel: 'whatsapp', recipientId: '212600000099' }),
			},
			{ resource: 'conversation', operation: 'removeParticipants', baseline: only({ conversationId: DS_CONVERSATION, users: DIGISHARE_USER_IDS.agent, bots: DIGISHARE_BOT_IDS.main }) },
			{ resource: 'conversation', operation: 'setHandler', baseline: only({ conversationId: DS_CONVERSATION, userId: DIGISHARE_USER_IDS.agent2 }) },
			{ resource: 'contact', operation: 'create', baseline: only({ contactFields: { name: 'Nadia' } }) },
			{ resource: 'contact', operation: 'delete', baseline: only({ contactId: DIGISHARE_THIRD_IDS[2] }) },
			{ resource: 'contact', operation: 'get', baseline: only({ contactId: DIGISHARE_THIRD_IDS[0] }) },
			{ resource: 'contact', operation: 'getAll', baseline: only({ returnAll: false, limit: 3 }) },
			{ resource: 'contact', operation: 'update', baseline: only({ contactId: DIGISHARE_THIRD_IDS[1], updateFields: { name: 'Nadia' } }) },
		],
	},
	{
		name: 'LiveChatAI',
		type: liveChatAiNodeTypes[LIVECHATAI_TYPE],
		run: (sb, parameters, options) => runLiveChatAi(sb, parameters, options),
		mounts: ['livechatai'],
		operations: [
			{ resource: 'agent', operation: 'get', baseline: only({ agentId: agentById(LC_AGENT) }) },
			{ resource: 'agent', operation: 'getAll', baseline: only({ returnAll: false, limit: 3 }) },
			{ resource: 'contact', operation: 'getAll', baseline: only({ agentId: agentById(LC_AGENT), returnAll: false, limit: 3 }) },
			{ resource: 'contact', operation: 'upsert', baseline: only({ agentId: agentById(LC_AGENT), distinctId: 'user-777' }) },
			{ resource: 'conversation', operation: 'get', baseline: only({ conversationId: LIVECHATAI_CONVERSATION_IDS.human }) },
			{ resource: 'conversation', operation: 'getAll', baseline: only({ agentId: agentById(LC_AGENT), returnAll: false, limit: 3 }) },
			{
				resource: 'conversation',
				operation: 'reply',
				baseline: only({ conversationId: LIVECHATAI_CONVERSATION_IDS.main, message: 'Hi', userId: LIVECHATAI_USER_IDS.agent, messageType: 'TEXT' }),
			},
			{
				resource: 'conversation',
				operation: 'sendAndWait',
				baseline: only({ conversationId: LIVECHATAI_CONVERSATION_IDS.main, message: 'Hi', userId: LIVECHATAI_USER_IDS.agent, messageType: 'TEXT', waitLimit: 5 }),
			},
			{ resource: 'conversation', operation: 'sendMessage', baseline: only({ agentId: agentById(LC_AGENT), question: 'What are your hours?', conversationKey: '', conversationId: '' }) },
			{ resource: 'dataSource', operation: 'addText', baseline: only({ agentId: agentById(LC_AGENT), title: 'Hours', content: 'We open at 9.' }) },
			{ resource: 'dataSource', operation: 'addUrl', baseline: only({ agentId: agentById(LC_AGENT), url: 'https://www.example.com/faq' }) },
			{ resource: 'dataSource', operation: 'addQa', baseline: only({ agentId: agentById(LC_AGENT), question: 'Hours?', answer: '9 to 5' }) },
			{ resource: 'dataSource', operation: 'delete', baseline: only({ dataSourceId: LIVECHATAI_DATA_SOURCE_IDS.pricing }) },
			{ resource: 'dataSource', operation: 'getAll', baseline: only({ agentId: agentById(LC_AGENT), source: 'ALL', returnAll: false, limit: 3 }) },
		],
	},
	{
		name: 'LivePerson',
		type: livePersonNodeTypes[LIVEPERSON_TYPE],
		run: (sb, parameters, options) => runLivePerson(sb, parameters, options),
		mounts: ['liveperson', 'liveperson-msg', 'liveperson-sentinel', 'liveperson-idp', 'liveperson-swift'],
		// liveperson.md §8: a request JSON over 5000 characters gets 400.
		documentedLimits: { text: 5000, message: 5000, caption: 5000 },
		operations: [
			{ resource: 'message', operation: 'sendFile', items: [pngItem()], baseline: only({ consumerId: 'campaign:1', binaryPropertyName: 'data', caption: 'A photo' }) },
			{
				resource: 'message',
				operation: 'downloadFile',
				prepare: async (sb) => {
					const sent = await runLivePerson(sb, { resource: 'message', operation: 'sendFile', consumerId: 'campaign:1', binaryPropertyName: 'data' }, { items: [pngItem()] });
					return { relativePath: sent.items[0]?.json.relativePath as string };
				},
				baseline: (_sb, p) => ({ consumerId: 'campaign:1', relativePath: p.relativePath ?? '/v1/AUTH_async-images/1/probe.PNG', binaryPropertyName: 'file' }),
			},
			{ resource: 'consumer', operation: 'getToken', baseline: only({ consumerId: 'campaign:1' }) },
			{ resource: 'conversation', operation: 'create', baseline: only({ consumerId: 'campaign:1' }) },
			{ resource: 'conversation', operation: 'close', prepare: livePersonConversation(), baseline: (_sb, p) => ({ consumerId: 'campaign:1', conversationId: p.conversationId }) },
			{
				resource: 'conversation',
				operation: 'rate',
				prepare: livePersonConversation(true),
				baseline: (_sb, p) => ({ consumerId: 'campaign:1', conversationId: p.conversationId, csatRate: 4, resolved: true, surveyStatus: 'FILLED' }),
			},
			{
				resource: 'message',
				operation: 'acknowledge',
				prepare: livePersonConversation(),
				baseline: (_sb, p) => ({ consumerId: 'campaign:1', conversationId: p.conversationId, status: 'READ', sequenceList: '0' }),
			},
			{ resource: 'message', operation: 'sendText', baseline: only({ consumerId: 'campaign:1', text: 'Hi', conversationId: '' }) },
			{ resource: 'message', operation: 'sendAndWait', baseline: only({ consumerId: 'campaign:1', message: 'Hi', conversationId: '', waitLimit: 5 }) },
			{
				resource: 'message',
				operation: 'setChatState',
				prepare: livePersonConversation(),
				baseline: (_sb, p) => ({ consumerId: 'campaign:1', conversationId: p.conversationId, chatState: 'COMPOSING' }),
			},
		],
	},
	{
		name: 'Omnidesk',
		type: omnideskNodeTypes[OMNIDESK_TYPE],
		run: (sb, parameters, options) => runOmnidesk(sb, parameters, options),
		mounts: ['omnidesk', 'omnidesk-chat'],
		operations: [
			{
				resource: 'chat',
				operation: 'uploadAttachment',
				items: [pngItem()],
				prepare: async (sb) => {
					await runOmnidesk(sb, { resource: 'chat', operation: 'sendMessage', chatSessionId: 'sess-1001', message: 'hi', chatServer: CHAT_SERVER });
					return {};
				},
				baseline: only({ chatSessionId: 'sess-1001', chatServer: CHAT_SERVER, binaryPropertyName: 'data' }),
			},
			{ resource: 'chat', operation: 'checkAvailability', variant: 'specification', baseline: only({ endpoint: 'specification', chatServer: CHAT_SERVER }) },
			{
				resource: 'chat',
				operation: 'endSession',
				// Omnidesk knows a session once the customer wrote in it.
				prepare: async (sb) => {
					await runOmnidesk(sb, { resource: 'chat', operation: 'sendMessage', chatSessionId: 'sess-1001', message: 'hi', chatServer: CHAT_SERVER });
					return {};
				},
				baseline: only({ chatSessionId: 'sess-1001', chatServer: CHAT_SERVER }),
			},
			{ resource: 'chat', operation: 'sendEvent', baseline: only({ chatSessionId: 'sess-1001', chatServer: CHAT_SERVER, event: 'startedtyping' }) },
			{ resource: 'chat', operation: 'sendMessage', baseline: only({ chatSessionId: 'sess-1001', message: 'hi', chatServer: CHAT_SERVER, url: '' }) },
			{ resource: 'chat', operation: 'sendAndWait', baseline: only({ chatSessionId: 'sess-1001', message: 'hi', chatServer: CHAT_SERVER, url: '', waitLimit: 5 }) },
			{
				resource: 'ticket',
				operation: 'createChatbotLog',
				baseline: only({ from: 'jan@example.com', subject: 'Order late', message: 'Bot: hi', brandId: OMNIDESK_BRAND_ID }),
			},
		],
	},
];

/** Fields the node keeps to itself (a memory key, the name of a binary field): nothing to find in a request. */
const NOT_SENT = new Set(['conversationKey', 'binaryPropertyName', 'waitLimit']);

/** ID-list fields: an array from an expression is a list of IDs (documented coercion). */
const ID_LISTS = new Set(['users', 'bots', 'sequenceList']);

/** Top-level text, number and ID parameters the operation shows with its baseline parameters. */
function visibleFields(type: INodeType, resource: string, operation: string, baseline: IDataObject): INodeProperties[] {
	const properties = type.description.properties;
	const valueOf = (name: string): unknown => (name in baseline ? baseline[name] : properties.find((property) => property.name === name)?.default);
	return properties.filter((property) => {
		if (!['string', 'number', 'resourceLocator', 'options', 'multiOptions', 'boolean'].includes(property.type)) return false;
		if (property.name === 'resource' || property.name === 'operation' || property.typeOptions?.loadOptionsMethod) return false;
		// the editor offers no expression for these
		if (property.noDataExpression) return false;
		const show = property.displayOptions?.show ?? {};
		if (!show.resource?.includes(resource) || !show.operation?.includes(operation)) return false;
		for (const [key, values] of Object.entries(show)) {
			if (key === 'resource' || key === 'operation') continue;
			if (!(values as unknown[]).includes(valueOf(key) as never)) return false;
		}
		return !Object.entries(property.displayOptions?.hide ?? {}).some(([key, values]) => (values as unknown[]).includes(valueOf(key) as never));
	});
}

const BIG = 'x'.repeat(100_000);
const NUMERIC = 73519;

interface Case {
	name: string;
	expression: string;
	/** What a sent request must contain, when the node sends. */
	carries?: string;
	/** The node must refuse (naming the field); a string: the refusal must also contain it. */
	mustRefuse?: boolean | string;
	/** The node must send (a documented coercion). */
	mustSend?: boolean;
}

function casesFor(provider: Provider, field: INodeProperties, baseline: IDataObject): Case[] {
	const required = field.required === true;
	if (field.type === 'boolean') {
		const value = (baseline[field.name] ?? field.default) as boolean;
		return [
			{ name: 'undefined', expression: '={{ undefined }}', mustRefuse: true },
			{ name: 'text "false"', expression: '={{ "false" }}', mustRefuse: 'true or false' },
			{ name: 'object', expression: '={{ {a: 1} }}', mustRefuse: true },
			{ name: 'the same value as an expression', expression: `={{ ${String(value)} }}`, mustSend: true },
		];
	}
	if (field.type === 'options' || field.type === 'multiOptions') {
		const value = baseline[field.name] ?? field.default;
		const first = ((field.options ?? []) as Array<{ value: unknown }>)[0]?.value;
		return [
			{ name: 'undefined', expression: '={{ undefined }}', mustRefuse: true },
			{ name: 'an unknown value', expression: field.type === 'multiOptions' ? '={{ ["bogus"] }}' : '={{ "bogus" }}', mustRefuse: String(first) },
			{ name: 'object', expression: '={{ {a: 1} }}', mustRefuse: true },
			{ name: 'the same value as an expression', expression: `={{ ${JSON.stringify(value)} }}`, mustSend: true },
		];
	}
	if (field.type === 'number') {
		const value = baseline[field.name] as number;
		return [
			{ name: 'undefined', expression: '={{ undefined }}', mustRefuse: required },
			{ name: 'object', expression: '={{ {a: 1} }}', mustRefuse: true },
			{ name: 'array', expression: '={{ [1,2] }}', mustRefuse: true },
			{ name: 'empty string', expression: '={{ "" }}', mustRefuse: required },
			{ name: 'number as string', expression: `={{ "${value}" }}`, carries: String(value), mustSend: true },
			{ name: '100 kB string', expression: `={{ "x".repeat(100000) }}`, mustRefuse: true },
		];
	}
	const limit = provider.documentedLimits?.[field.name];
	const list = ID_LISTS.has(field.name);
	return [
		{ name: 'undefined', expression: '={{ undefined }}', mustRefuse: required },
		{ name: 'object', expression: '={{ {a: 1} }}', mustRefuse: true },
		list
			? { name: 'array', expression: '={{ [1,2] }}', carries: '1' }
			: { name: 'array', expression: '={{ [1,2] }}', mustRefuse: true },
		{ name: 'empty string', expression: '={{ "" }}', mustRefuse: required },
		{ name: 'number as string', expression: `={{ "${NUMERIC}" }}`, carries: String(NUMERIC) },
		{ name: 'number', expression: `={{ ${NUMERIC} }}`, carries: String(NUMERIC) },
		limit !== undefined
			? { name: '100 kB string', expression: '={{ "x".repeat(100000) }}', mustRefuse: String(limit) }
			: { name: '100 kB string', expression: '={{ "x".repeat(100000) }}', carries: BIG },
	];
}

/** What a request put on the wire: path, query string and body bytes, as text. */
function wireText(request: RecordedRequest): string {
	return `${decodeURIComponent(request.url.replace(/\+/g, ' '))}\n${request.rawBody.toString('utf8')}`;
}

/** A sent request may quote a number or text; compare without JSON string escapes. */
function carriesValue(requests: RecordedRequest[], value: string): boolean {
	return requests.some((request) => wireText(request).includes(value));
}

type Outcome = 'refused' | 'sent' | 'sent, provider refused';
const report = new Map<string, Record<Outcome, number>>();
function count(provider: string, outcome: Outcome) {
	const row = report.get(provider) ?? { refused: 0, sent: 0, 'sent, provider refused': 0 };
	row[outcome]++;
	report.set(provider, row);
}

function printReport() {
	const lines = ['Bad-parameter campaign (issue 12): cases per outcome', 'provider    | refused | sent | sent, provider refused | total'];
	let total = 0;
	for (const [name, row] of report) {
		const sum = row.refused + row.sent + row['sent, provider refused'];
		total += sum;
		lines.push(`${name.padEnd(11)} | ${String(row.refused).padStart(7)} | ${String(row.sent).padStart(4)} | ${String(row['sent, provider refused']).padStart(22)} | ${sum}`);
	}
	lines.push(`all         | ${' '.repeat(7)} | ${' '.repeat(4)} | ${' '.repeat(22)} | ${total}`);
	console.log(lines.join('\n'));
}

/** Puts the expression into a field (inside the resource locator for agent pickers). */
function withExpression(field: INodeProperties, expression: string): unknown {
	return field.type === 'resourceLocator' ? { __rl: true, mode: 'id', value: expression } : expression;
}

for (const provider of PROVIDERS) {
	describe(provider.name, () => {
		test('every operation of the node is in the campaign', () => {
			const operations = provider.type.description.properties.filter((property) => property.name === 'operation');
			const all = operations.flatMap((property) =>
				(property.options as Array<{ value: string }>).flatMap((option) =>
					(property.displayOptions?.show?.resource as string[]).map((resource) => `${resource}.${option.value}`),
				),
			);
			const covered = new Set(provider.operations.map((op) => `${op.resource}.${op.operation}`));
			expect(all.filter((key) => !covered.has(key))).toEqual([]);
		});

		for (const op of provider.operations) {
			const title = `${op.resource} → ${op.operation}${op.variant ? ` (${op.variant})` : ''}`;
			describe(title, () => {
				const probe = op.baseline({ baseUrl: () => '' } as unknown as Sandbox, { conversationId: 'c' });
				const fields = visibleFields(provider.type, op.resource, op.operation, probe);

				const start = async (): Promise<IDataObject> => {
					sandbox.reset();
					freshProcess();
					const prepared = op.prepare ? await op.prepare(sandbox) : {};
					return op.baseline(sandbox, prepared);
				};

				test('the baseline succeeds', async () => {
					const baseline = await start();
					const run = await provider.run(sandbox, { resource: op.resource, operation: op.operation, ...baseline }, { items: op.items });
					expect(run.error?.message).toBeUndefined();
				});

				const table = fields.flatMap((field) => casesFor(provider, field, probe).map((c) => ({ field, c })));
				if (table.length === 0) return;
				test.each(table.map(({ field, c }) => [field.displayName, c.name, field, c] as const))('%s ← %s', async (_label, _name, field, c) => {
					const baseline = await start();
					const before = sandbox.requests.length;
					const run = await provider.run(
						sandbox,
						{ resource: op.resource, operation: op.operation, ...baseline, [field.name]: withExpression(field, c.expression) },
						{ items: op.items },
					);
					const requests = sandbox.requests.slice(before).filter((request) => provider.mounts.includes(request.provider));
					for (const request of requests) {
						const text = wireText(request);
						expect(text).not.toContain('undefined');
						expect(text).not.toContain('[object Object]');
						expect(text).not.toMatch(/\bNaN\b/);
					}
					if (requests.length === 0) {
						// Refused before sending: the message names the field.
						expect(run.error?.message).toContain(field.displayName);
						if (typeof c.mustRefuse === 'string') expect(run.error?.message).toContain(c.mustRefuse);
						expect(c.mustSend).not.toBe(true);
						count(provider.name, 'refused');
						return;
					}
					expect({ sent: true, mustRefuse: c.mustRefuse ?? false }).toEqual({ sent: true, mustRefuse: false });
					if (c.carries !== undefined && !NOT_SENT.has(field.name)) {
						expect(carriesValue(requests, c.carries)).toBe(true);
						if (c.carries === BIG) expect(requests.some((request) => request.rawBody.length >= BIG.length || request.url.length >= BIG.length)).toBe(true);
					}
					count(provider.name, run.error ? 'sent, provider refused' : 'sent');
				});
			});
		}
	});
}
