/**
 * Every Omnidesk operation in n8n's engine against the sandbox: fields, encoding and API-key
 * placement as the sandbox receives them, the items the node outputs, and the documented
 * field patterns refused before sending.
 */
import { randomBytes } from 'crypto';
import {
	OMNIDESK_API_KEY,
	OMNIDESK_BRAND_ID,
	OMNIDESK_CHAT_ACCOUNT_TOKEN,
	OMNIDESK_CHAT_SERVER_TOKEN,
	OMNIDESK_FIRST_TICKET_ID,
	omnideskApiKeyPlacement,
	startSandbox,
	type Sandbox,
} from '../sandbox';
import { retryPolicy } from '../../nodes/shared/transport';
import { runOmnidesk } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	retryPolicy.backoffMs = [0, 0, 0];
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => {
	await sandbox.close();
});

const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';

function only(method: string, path: string, mount = 'omnidesk') {
	const requests = sandbox.requestsFor(mount, method, path);
	expect(requests).toHaveLength(1);
	return requests[0];
}

const sendMessage = (parameters: Record<string, unknown> = {}, options = {}) =>
	runOmnidesk(
		sandbox,
		{
			resource: 'chat',
			operation: 'sendMessage',
			chatSessionId: 'sess-1001',
			message: 'I want to talk to a human',
			chatServer: CHAT_SERVER,
			...parameters,
		},
		options,
	);

describe('Chat → Send Customer Message', () => {
	test('multipart with every documented field; API key as header and query; ticketID out', async () => {
		const { items, error } = await sendMessage({
			url: 'https://shop.example.com/help',
			additionalFields: {
				messageNumber: 1,
				customerName: 'Jan de Vries',
				emailAddress: 'jan@example.com',
				phoneNumber: '+31612345678',
			},
		});
		expect(error).toBeUndefined();
		const request = only('POST', '/api/v2/chat/notifyUserNewChatMessage');
		expect(request.bodyKind).toBe('multipart');
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.headers.apikey).toBe(OMNIDESK_API_KEY);
		expect(request.query).toEqual({ apiKey: OMNIDESK_API_KEY });
		expect((request.body as { fields: Record<string, string> }).fields).toEqual({
			chatSessionID: 'sess-1001',
			chatServer: CHAT_SERVER,
			message: 'I want to talk to a human',
			channelID: '8',
			url: 'https://shop.example.com/help',
			messageNumber: '1',
			customerName: 'Jan de Vries',
			emailAddress: 'jan@example.com',
			phoneNumber: '+31612345678',
			chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
		});
		expect(items[0].json).toEqual({
			type: 'result',
			message: 'Message sent.',
			ticketID: OMNIDESK_FIRST_TICKET_ID,
			chatSessionId: 'sess-1001',
			chatServer: CHAT_SERVER,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('the same session goes to the same ticket; url defaults to a blank as the specification does', async () => {
		await sendMessage({ message: 'first' });
		const { items } = await sendMessage({ message: 'second', additionalFields: { messageNumber: 2 } });
		expect(items[0].json.ticketID).toBe(OMNIDESK_FIRST_TICKET_ID);
		const requests = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/notifyUserNewChatMessage');
		expect((requests[0].body as { fields: Record<string, string> }).fields.url).toBe(' ');
		expect(sandbox.omnidesk.messagesOf('sess-1001').map((message: { message: string }) => message.message)).toEqual([
			'first',
			'second',
		]);
	});

	test.each([
		['header', 'header'],
		['query', 'query'],
	])('the API key only as %s when the credential says so', async (keyLocation, expected) => {
		await sendMessage({}, { credentials: { keyLocation } });
		const request = only('POST', '/api/v2/chat/notifyUserNewChatMessage');
		expect(omnideskApiKeyPlacement(request)).toBe(expected);
	});

	test('url-encoded when the credential says so', async () => {
		await sendMessage({}, { credentials: { encoding: 'urlencoded' } });
		const request = only('POST', '/api/v2/chat/notifyUserNewChatMessage');
		expect(request.bodyKind).toBe('form');
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(request.body).toMatchObject({ chatSessionID: 'sess-1001', message: 'I want to talk to a human', channelID: '8' });
	});

	test('chatServer comes from the workflow’s Omnidesk Trigger when left empty', async () => {
		const { error } = await sendMessage(
			{ chatServer: '' },
			{ staticData: { global: { omnideskChatServer: 'http://127.0.0.1:5678/webhook/abc-123/hookpoint' } } },
		);
		expect(error).toBeUndefined();
		const request = only('POST', '/api/v2/chat/notifyUserNewChatMessage');
		expect((request.body as { fields: Record<string, string> }).fields.chatServer).toBe(
			'http://127.0.0.1:5678/webhook/abc-123/hookpoint',
		);
	});

	test('no chatServer and no trigger: refused with an explanation', async () => {
		const { error } = await sendMessage({ chatServer: '' });
		expect(error?.message).toMatch(/^Chat Server: is empty and this workflow has no active Omnidesk Trigger/);
		expect(error?.message).toContain('paste the trigger’s chatServer: its Production URL without the last part, like https://<your n8n>/webhook/<its webhook ID>/hookpoint');
		expect(error?.message).toContain('In queue mode the node finds it by itself only in executions that one of this package’s triggers started');
		expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
	});

	test.each([
		['Chat Session ID', { chatSessionId: 'sess 1' }, 'Chat Session ID: may contain only letters, digits and -, with an optional leading +'],
		['Chat Server', { chatServer: 'https://n8n.example.com/webhook?id=1' }, 'Chat Server: may contain only letters, digits and . : / - (no _ ? & = or spaces)'],
		['Chat Server', { chatServer: 'a:b' }, 'Chat Server: must be at least 5 characters'],
		['Customer Name', { additionalFields: { customerName: 'José' } }, 'Customer Name: may contain only letters (no accents), digits and spaces'],
		['Customer E-Mail', { additionalFields: { emailAddress: 'not-an-email' } }, 'Customer E-Mail: must be an e-mail address'],
		['Customer Phone', { additionalFields: { phoneNumber: '0612345678' } }, 'Customer Phone: must start with + followed by digits only, e.g. +31612345678'],
	])('%s is checked against the documented pattern before sending', async (_, parameters, message) => {
		const { error } = await sendMessage(parameters);
		expect(error?.message).toBe(message);
		expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
	});

	test('a session ID with a leading + (a phone number) is allowed here', async () => {
		const { error } = await sendMessage({ chatSessionId: '+31612345678' });
		expect(error).toBeUndefined();
	});

	test('a malformed chat account token in the credential is named', async () => {
		const { error } = await sendMessage({}, { credentials: { chatAccountToken: 'short' } });
		expect(error?.message).toBe('Chat Account Token: must be at least 10 characters (check the Omnidesk credential)');
	});

	test('a wrong API key: Omnidesk’s message, and no key in the error or the run', async () => {
		const wrongKey = 'odk_wrong_key_000000000';
		const { error, run } = await sendMessage({}, { credentials: { apiKey: wrongKey } });
		expect(error?.message).toBe('Omnidesk: Invalid API key');
		expect((error as { httpCode?: string }).httpCode).toBe('401');
		expect(JSON.stringify(run)).not.toContain(wrongKey);
		expect(JSON.stringify(run)).not.toContain(OMNIDESK_CHAT_ACCOUNT_TOKEN);
	});

	test('a missing permission: Omnidesk’s 403 message', async () => {
		sandbox.omnidesk.permissions.delete('API_CHAT');
		const { error } = await sendMessage();
		expect((error as { httpCode?: string }).httpCode).toBe('403');
		expect(error?.message).toMatch(/^Omnidesk: .*permission/i);
	});

	test('continue on fail keeps the other items going, pairing kept', async () => {
		const { items, error } = await runOmnidesk(
			sandbox,
			{ resource: 'chat', operation: 'sendMessage', chatSessionId: '={{ $json.session }}', message: 'hi', chatServer: CHAT_SERVER },
			{ continueOnFail: true, items: [{ json: { session: 'good-1' } }, { json: { session: 'bad session' } }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.message).toBe('Message sent.');
		expect(String(items[1].json.error)).toMatch(/^Chat Session ID: /);
	});
});

describe('Chat → Upload Attachment', () => {
	test('the binary file arrives byte for byte as the multipart "file" part', async () => {
		await sendMessage();
		const data = randomBytes(50000);
		const { items, error } = await runOmnidesk(
			sandbox,
			{ resource: 'chat', operation: 'uploadAttachment', chatSessionId: 'sess-1001', chatServer: CHAT_SERVER },
			{
				items: [
					{
						json: {},
						binary: { data: { data: data.toString('base64'), mimeType: 'image/png', fileName: 'screenshot.png' } },
					},
				],
				// url-encoded credential: uploads are multipart anyway
				credentials: { encoding: 'urlencoded' },
			},
		);
		expect(error).toBeUndefined();
		const request = only('POST', '/api/v2/chat/addAttachment');
		expect(request.bodyKind).toBe('multipart');
		const body = request.body as { fields: Record<string, string>; files: Array<{ field: string; filename: string; contentType: string; data: Buffer }> };
		expect(body.fields).toEqual({ sessionID: 'sess-1001', chatServer: CHAT_SERVER, chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN });
		expect(body.files).toHaveLength(1);
		expect(body.files[0]).toMatchObject({ field: 'file', filename: 'screenshot.png', contentType: 'image/png' });
		expect(body.files[0].data.equals(data)).toBe(true);
		expect(sandbox.omnidesk.session('sess-1001')!.attachments[0].data.equals(data)).toBe(true);
		expect(items[0].json).toMatchObject({ message: 'Attachment uploaded.', chatSessionId: 'sess-1001', fileName: 'screenshot.png', fileSize: 50000 });
	});

	test('a missing binary field is named', async () => {
		const { error } = await runOmnidesk(sandbox, {
			resource: 'chat',
			operation: 'uploadAttachment',
			chatSessionId: 'sess-1001',
			chatServer: CHAT_SERVER,
			binaryPropertyName: 'photo',
		});
		expect(error?.message).toMatch(/photo/);
		expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
	});
});

describe('Chat → Send Event', () => {
	test.each(['startedtyping', 'stoppedtyping', 'expandedchat', 'minimizedchat'])('%s', async (event) => {
		const { items, error } = await runOmnidesk(sandbox, {
			resource: 'chat',
			operation: 'sendEvent',
			chatSessionId: 'sess-1001',
			event,
			chatServer: CHAT_SERVER,
		});
		expect(error).toBeUndefined();
		const request = only('POST', '/api/v2/chat/notifyUserNewChatEvent');
		expect((request.body as { fields: Record<string, string> }).fields).toEqual({
			chatServer: CHAT_SERVER,
			chatSessionID: 'sess-1001',
			event,
		});
		expect(items[0].json).toMatchObject({ type: 'result', message: 'Event sent.', event });
	});

	test('a leading + is not allowed in this call’s session ID pattern', async () => {
		const { error } = await runOmnidesk(sandbox, {
			resource: 'chat',
			operation: 'sendEvent',
			chatSessionId: '+31612345678',
			event: 'startedtyping',
			chatServer: CHAT_SERVER,
		});
		expect(error?.message).toBe('Chat Session ID: may contain only letters, digits and -');
	});
});

describe('Chat → End Session', () => {
	test('the integration guide’s path by default', async () => {
		await sendMessage();
		const { items, error } = await runOmnidesk(sandbox, {
			resource: 'chat',
			operation: 'endSession',
			chatSessionId: 'sess-1001',
			chatServer: CHAT_SERVER,
		});
		expect(error).toBeUndefined();
		const request = only('POST', '/api/v2/message/notifyUserEndChat');
		expect((request.body as { fields: Record<string, string> }).fields).toEqual({ chatSessionID: 'sess-1001', chatServer: CHAT_SERVER });
		expect(items[0].json).toMatchObject({ message: 'Session ended.', ended: true });
		expect(sandbox.omnidesk.session('sess-1001')!.ended).toBe(true);
	});

	test('the API specification’s path when chosen', async () => {
		await sendMessage();
		await runOmnidesk(sandbox, {
			resource: 'chat',
			operation: 'endSession',
			chatSessionId: 'sess-1001',
			chatServer: CHAT_SERVER,
			options: { endpoint: 'specification' },
		});
		only('POST', '/api/v2/chat/notifyUserEndChat');
	});
});

describe('Chat → Check Agent Availability', () => {
	test('guide: GET the chat config URL with both tokens; agents available', async () => {
		const { items } = await runOmnidesk(sandbox, { resource: 'chat', operation: 'checkAvailability' });
		const request = only('GET', '/requestChatConfig', 'omnidesk-chat');
		expect(request.query).toMatchObject({ chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN, chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN });
		expect(items[0].json.agentsAvailable).toBe(true);
		expect(items[0].json.config).toMatchObject({ agent_typing_text: expect.any(String) });
	});

	test('guide: no agents online → agentsAvailable false', async () => {
		sandbox.omnidesk.agentsAvailable = false;
		const { items } = await runOmnidesk(sandbox, { resource: 'chat', operation: 'checkAvailability' });
		expect(items[0].json.agentsAvailable).toBe(false);
		expect(items[0].json.instructions).toContainEqual({ type: 'hide_reason_no_agents_available' });
	});

	test('specification: POST with chatServer and chat account token', async () => {
		sandbox.omnidesk.agentsAvailable = false;
		const { items } = await runOmnidesk(sandbox, {
			resource: 'chat',
			operation: 'checkAvailability',
			endpoint: 'specification',
			chatServer: CHAT_SERVER,
		});
		const request = only('POST', '/api/v2/chat/requestChatConfig');
		expect((request.body as { fields: Record<string, string> }).fields).toEqual({
			chatServer: CHAT_SERVER,
			chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
		});
		expect(items[0].json.agentsAvailable).toBe(false);
	});
});

describe('Ticket → Create Chatbot Log', () => {
	test('from, subject, markdown history and brand', async () => {
		const history = '**Bot:** Hi!\n**Customer:** My order is late\n**Bot:** Let me get a colleague';
		const { items, error } = await runOmnidesk(sandbox, {
			resource: 'ticket',
			operation: 'createChatbotLog',
			from: 'jan@example.com',
			subject: 'Order 1234 late',
			message: history,
			brandId: OMNIDESK_BRAND_ID,
		});
		expect(error).toBeUndefined();
		const request = only('POST', '/api/v2/message/chatbot');
		expect((request.body as { fields: Record<string, string> }).fields).toEqual({
			from: 'jan@example.com',
			subject: 'Order 1234 late',
			message: history,
			brandID: String(OMNIDESK_BRAND_ID),
		});
		expect(items[0].json).toEqual({ result: 'success', message: 'Chatbot ticket created.' });
		expect(sandbox.omnidesk.chatbotTickets()).toHaveLength(1);
	});

	test('a brand ID of 0 is refused naming the field', async () => {
		const { error } = await runOmnidesk(sandbox, {
			resource: 'ticket',
			operation: 'createChatbotLog',
			from: 'jan@example.com',
			subject: 's',
			message: 'm',
			brandId: 0,
		});
		expect(error?.message).toBe('Brand ID: must be the positive number shown in Settings → Brands');
	});
});

describe('credential test', () => {
	test('a valid API key passes (GET whitelistedDomainsAndBlacklistedIPs with the key); a wrong one fails', async () => {
		const { testCredential } = await import('../harness');
		const { OmnideskApi } = await import('../../credentials/OmnideskApi.credentials');
		const data = omnideskCredentialsData();
		const ok = await testCredential({ credentialType: new OmnideskApi(), data });
		expect(ok.status).toBe('OK');
		const request = only('GET', '/api/v2/chat/whitelistedDomainsAndBlacklistedIPs');
		expect(request.headers.apikey).toBe(OMNIDESK_API_KEY);
		const bad = await testCredential({ credentialType: new OmnideskApi(), data: { ...data, apiKey: 'odk_wrong_0000000' } });
		expect(bad.status).toBe('Error');
		expect(bad.message).not.toContain('odk_wrong_0000000');
	});
});

function omnideskCredentialsData() {
	return {
		baseUrl: `${sandbox.baseUrl('omnidesk')}/`,
		apiKey: OMNIDESK_API_KEY,
		keyLocation: 'both',
		chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
		chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
		chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
		encoding: 'multipart',
	};
}
