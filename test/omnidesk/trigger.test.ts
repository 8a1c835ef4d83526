/**
 * Omnidesk Trigger: one trigger serves the four hookpoints below its chatServer, answers each
 * exactly as Omnidesk expects, accepts JSON, url-encoded and multipart bodies, and turns an
 * agent's file into n8n binary data with the bytes intact.
 */
import { randomBytes } from 'crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { CHAT_SERVER_KEY } from '../../nodes/Omnidesk/memory';
import { callWebhook, runWebhookMethod } from '../harness';

const trigger = new OmnideskTrigger();
const WEBHOOK_ID = '5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90';

type Encoding = 'json' | 'form' | 'multipart';

function multipart(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
	const boundary = `----test${randomBytes(6).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
	}
	if (file) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function post(
	hookpoint: string,
	fields: Record<string, string>,
	encoding: Encoding = 'form',
	options: { parameters?: IDataObject; file?: { name: string; type: string; data: Buffer } } = {},
) {
	let body: string | Buffer;
	let contentType: string;
	if (encoding === 'json') {
		body = JSON.stringify(fields);
		contentType = 'application/json';
	} else if (encoding === 'form') {
		body = new URLSearchParams(fields).toString();
		contentType = 'application/x-www-form-urlencoded';
	} else {
		({ body, contentType } = multipart(fields, options.file));
	}
	return await callWebhook({
		nodeType: trigger,
		node: { name: 'Omnidesk Trigger', webhookId: WEBHOOK_ID, parameters: (options.parameters ?? {}) as INodeParameters },
		request: { method: 'POST', path: `${WEBHOOK_ID}/hookpoint/${hookpoint}`, headers: { 'content-type': contentType }, body },
	});
}

describe.each<Encoding>(['form', 'multipart', 'json'])('agent message as %s', (encoding) => {
	test('answers plain "ok" and emits the normalized reply', async () => {
		const result = await post(
			'messageForCustomer',
			{ sessionID: 'sess-42', message: 'Hallo, ik help je graag', name: 'Eva', picture: 'https://cdn.example/eva.png' },
			encoding,
		);
		expect(result.status).toBe(200);
		expect(result.body).toBe('ok');
		expect(result.headers['content-type']).toMatch(/^text\/plain/);
		expect(result.items).toHaveLength(1);
		const json = result.items![0][0].json;
		expect(json).toMatchObject({
			provider: 'omnidesk',
			event: 'messageForCustomer',
			conversationId: 'sess-42',
			messageId: null,
			text: 'Hallo, ik help je graag',
			messageType: 'text',
			sender: { type: 'agent', id: null, name: 'Eva' },
			raw: { sessionID: 'sess-42', message: 'Hallo, ik help je graag', name: 'Eva', picture: 'https://cdn.example/eva.png' },
			sessionId: 'omnidesk:sess-42',
			chatInput: 'Hallo, ik help je graag',
		});
		expect(Number.isNaN(Date.parse(json.createdAt as string))).toBe(false);
	});
});

test('agent file (multipart): binary data with identical bytes, name and type; answer "ok"', async () => {
	const data = randomBytes(70000);
	const result = await post('uploadForCustomer', { sessionID: 'sess-42' }, 'multipart', {
		file: { name: 'invoice.pdf', type: 'application/pdf', data },
	});
	expect(result.status).toBe(200);
	expect(result.body).toBe('ok');
	const item = result.items![0][0];
	expect(item.json).toMatchObject({ event: 'uploadForCustomer', conversationId: 'sess-42', messageType: 'file', text: 'invoice.pdf' });
	const binary = item.binary!.data;
	expect(binary).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf' });
	expect(Buffer.from(binary.data, 'base64').equals(data)).toBe(true);
});

test('agent file into a custom binary property', async () => {
	const data = Buffer.from('hello file');
	const result = await post('uploadForCustomer', { sessionID: 's1' }, 'multipart', {
		parameters: { binaryPropertyName: 'attachment' },
		file: { name: 'a.txt', type: 'text/plain', data },
	});
	expect(Buffer.from(result.items![0][0].binary!.attachment.data, 'base64').toString()).toBe('hello file');
});

test('an upload without a file → 400 with the reason', async () => {
	const result = await post('uploadForCustomer', { sessionID: 's1' }, 'multipart');
	expect(result.status).toBe(400);
	expect(result.json).toEqual({ error: 'Missing file in the uploadForCustomer delivery' });
});

test.each([
	['1', 'typing_started'],
	['true', 'typing_started'],
	['0', 'typing_stopped'],
	['false', 'typing_stopped'],
	['', 'typing_stopped'],
])('typing indicator with capitalised fields, Typing=%j → %s', async (typing, messageType) => {
	const result = await post('typingIndicatorForCustomer', { Typing: typing, SessionID: 'sess-42' });
	expect(result.body).toBe('ok');
	expect(result.items![0][0].json).toMatchObject({ event: 'typingIndicatorForCustomer', conversationId: 'sess-42', messageType });
});

test('typing indicator as JSON with a real boolean', async () => {
	const result = await callWebhook({
		nodeType: trigger,
		node: { webhookId: WEBHOOK_ID },
		request: {
			method: 'POST',
			path: `${WEBHOOK_ID}/hookpoint/typingIndicatorForCustomer`,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ Typing: true, SessionID: 'sess-7' }),
		},
	});
	expect(result.items![0][0].json).toMatchObject({ conversationId: 'sess-7', messageType: 'typing_started' });
});

test('end session answers the JSON {"message":"ok"}', async () => {
	const result = await post('endSession', { sessionID: 'sess-42' });
	expect(result.status).toBe(200);
	expect(result.json).toEqual({ message: 'ok' });
	expect(result.headers['content-type']).toMatch(/^application\/json/);
	expect(result.items![0][0].json).toMatchObject({ event: 'endSession', conversationId: 'sess-42', messageType: 'session_ended', sessionId: 'omnidesk:sess-42' });
	expect(result.items![0][0].json).not.toHaveProperty('chatInput');
});

test('a hookpoint that is not selected still gets its expected answer, and starts nothing', async () => {
	const parameters = { hookpoints: ['messageForCustomer'] };
	const typing = await post('typingIndicatorForCustomer', { Typing: '1', SessionID: 's' }, 'form', { parameters });
	expect(typing.status).toBe(200);
	expect(typing.body).toBe('ok');
	expect(typing.items).toBeUndefined();
	const end = await post('endSession', { sessionID: 's' }, 'form', { parameters });
	expect(end.json).toEqual({ message: 'ok' });
	expect(end.items).toBeUndefined();
});

test('a hookpoint Omnidesk does not have is not registered: n8n answers 404 and nothing runs', async () => {
	const result = await post('somethingElse', { sessionID: 's' });
	expect(result.status).toBe(404);
	expect(result.json.message).toBe(`The requested webhook "POST ${WEBHOOK_ID}/hookpoint/somethingElse" is not registered.`);
	expect(result.items).toBeUndefined();
	expect(result.webhookError).toBeUndefined();
});

test('four fixed webhooks below the webhook ID, one per hookpoint: no path parameter, no isFullPath', () => {
	expect(trigger.description.webhooks?.map((webhook) => [webhook.name, webhook.httpMethod, webhook.path, webhook.isFullPath])).toEqual([
		['default', 'POST', 'hookpoint/messageForCustomer', undefined],
		['default', 'POST', 'hookpoint/uploadForCustomer', undefined],
		['default', 'POST', 'hookpoint/typingIndicatorForCustomer', undefined],
		['default', 'POST', 'hookpoint/endSession', undefined],
	]);
});

test.each([
	['blank', ' '],
	['a tab', '\t'],
	['a NUL byte', 'sess\u0000-1'],
	['a space inside', 'sess 1'],
	['an underscore', 'sess_1'],
])('a sessionID the Omnidesk node could never have sent (%s) → 400, no execution', async (_, sessionID) => {
	const result = await post('messageForCustomer', { sessionID, message: 'hi' }, 'json');
	expect(result.status).toBe(400);
	expect(result.json).toEqual({ error: 'Invalid sessionID in the messageForCustomer delivery: it may contain only letters, digits and -, with an optional leading +' });
	expect(result.items).toBeUndefined();
});

test('a typing delivery without Typing → 400 (not "stopped typing"), no execution', async () => {
	const result = await post('typingIndicatorForCustomer', { SessionID: 'sess-42' });
	expect(result.status).toBe(400);
	expect(result.json).toEqual({ error: 'Missing Typing in the typingIndicatorForCustomer delivery' });
	expect(result.items).toBeUndefined();
});

test('a delivery without sessionID → 400 with the reason', async () => {
	const result = await post('messageForCustomer', { message: 'hi' });
	expect(result.status).toBe(400);
	expect(result.json).toEqual({ error: 'Missing sessionID in the messageForCustomer delivery' });
});

test('an unsupported content type → 400', async () => {
	const result = await callWebhook({
		nodeType: trigger,
		node: { webhookId: WEBHOOK_ID },
		request: { method: 'POST', path: `${WEBHOOK_ID}/hookpoint/endSession`, headers: { 'content-type': 'application/xml' }, body: '<a/>' },
	});
	expect(result.status).toBe(400);
	expect(result.json.error).toMatch(/^Unsupported Content-Type "application\/xml"/);
});

describe('chatServer registration', () => {
	test('activation records the chatServer (the webhook URL without the hookpoint) for the Omnidesk node; deactivation removes it', async () => {
		const node = { name: 'Omnidesk Trigger', webhookId: WEBHOOK_ID };
		const staticData: IDataObject = {};
		const before = await runWebhookMethod({ nodeType: trigger, node, method: 'checkExists', staticData });
		expect(before.result).toBe(false);
		const created = await runWebhookMethod({ nodeType: trigger, node, method: 'create', staticData });
		expect(created.result).toBe(true);
		const chatServer = `http://localhost:5678/webhook/${WEBHOOK_ID}/hookpoint`;
		expect((created.staticData.global as IDataObject)[CHAT_SERVER_KEY]).toBe(chatServer);
		expect(created.webhookUrl).toBe(`${chatServer}/messageForCustomer`);
		const after = await runWebhookMethod({ nodeType: trigger, node, method: 'checkExists', staticData: created.staticData });
		expect(after.result).toBe(true);
		const deleted = await runWebhookMethod({ nodeType: trigger, node, method: 'delete', staticData: created.staticData });
		expect(deleted.result).toBe(true);
		expect((deleted.staticData.global as IDataObject)[CHAT_SERVER_KEY]).toBeUndefined();
	});
});
