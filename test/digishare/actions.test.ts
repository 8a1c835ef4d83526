/**
 * Every Digishare operation, run inside n8n's engine against the sandbox: the exact request the
 * sandbox receives, and the items the node outputs.
 */
import {
	DIGISHARE_BOT_IDS,
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	DIGISHARE_PLATFORM_LINK_IDS,
	DIGISHARE_PROVIDER_INSTANCE_IDS,
	DIGISHARE_SEED_THIRD_COUNT,
	DIGISHARE_THIRD_IDS,
	DIGISHARE_USER_IDS,
	DIGISHARE_COMPANY_ID,
	startSandbox,
	type Sandbox,
} from '../sandbox';
import { fastRetries, runDigishare } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	fastRetries();
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => {
	await sandbox.close();
});

const CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;

function only(method: string, path: string | RegExp) {
	const requests = sandbox.requestsFor('digishare', method, path);
	expect(requests).toHaveLength(1);
	return requests[0];
}

describe('Message → Send', () => {
	const send = (parameters: Record<string, unknown>) =>
		runDigishare(sandbox, { resource: 'message', operation: 'send', conversationId: CONVERSATION, ...parameters });

	test('text: the seed request (body, conversation_id, send_to_third) with the bearer token', async () => {
		const { items, error } = await send({ messageType: 'text', text: 'Hello! How can I help you?' });
		expect(error).toBeUndefined();
		const request = only('POST', '/messages');
		expect(request.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({
			conversation_id: CONVERSATION,
			type: 'text',
			body: 'Hello! How can I help you?',
			send_to_third: true,
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ status: 'sent', conversationId: CONVERSATION, type: 'text' });
		expect(typeof items[0].json.id).toBe('string');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Arabic text and send_to_third false arrive unchanged', async () => {
		const text = 'مرحبا! كيف يمكنني مساعدتك؟';
		await send({ messageType: 'text', text, sendToThird: false });
		expect(only('POST', '/messages').body).toMatchObject({ body: text, send_to_third: false });
		expect(sandbox.digishare.messagesOf(CONVERSATION).some((message: { body: unknown }) => message.body === text)).toBe(true);
	});

	test('conversation id defaults to $json.conversationId of the incoming item', async () => {
		const { error } = await runDigishare(
			sandbox,
			{ resource: 'message', operation: 'send', messageType: 'text', text: 'Hi' },
			{ items: [{ json: { conversationId: CONVERSATION } }] },
		);
		expect(error).toBeUndefined();
		expect(only('POST', '/messages').body).toMatchObject({ conversation_id: CONVERSATION });
	});

	test('location', async () => {
		await send({ messageType: 'location', latitude: 33.5731, longitude: -7.5898, locationName: 'HQ', address: 'Casablanca' });
		expect(only('POST', '/messages').body).toEqual({
			conversation_id: CONVERSATION,
			type: 'location',
			body: { latitude: 33.5731, longitude: -7.5898, name: 'HQ', address: 'Casablanca' },
			send_to_third: true,
		});
	});

	test('reply buttons with header', async () => {
		await send({
			messageType: 'buttons',
			header: 'Support',
			bodyText: 'Pick one',
			buttons: { button: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
		});
		expect(only('POST', '/messages').body).toEqual({
			conversation_id: CONVERSATION,
			type: 'interactive',
			body: {
				type: 'button',
				header: { type: 'text', text: 'Support' },
				body: { text: 'Pick one' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
						{ type: 'reply', reply: { id: 'no', title: 'No' } },
					],
				},
			},
			send_to_third: true,
		});
	});

	test('list: rows grouped into sections by their Section value', async () => {
		await send({
			messageType: 'list',
			bodyText: 'Our menu',
			listButton: 'View',
			rows: {
				row: [
					{ id: 'p1', title: 'Pizza', section: 'Food', description: 'Cheese' },
					{ id: 'd1', title: 'Tea', section: 'Drinks' },
					{ id: 'p2', title: 'Pasta', section: 'Food' },
				],
			},
		});
		expect(only('POST', '/messages').body).toEqual({
			conversation_id: CONVERSATION,
			type: 'interactive',
			body: {
				type: 'list',
				body: { text: 'Our menu' },
				action: {
					button: 'View',
					sections: [
						{ title: 'Food', rows: [{ id: 'p1', title: 'Pizza', description: 'Cheese' }, { id: 'p2', title: 'Pasta' }] },
						{ title: 'Drinks', rows: [{ id: 'd1', title: 'Tea' }] },
					],
				},
			},
			send_to_third: true,
		});
	});

	test('location request', async () => {
		await send({ messageType: 'locationRequest', bodyText: 'Where are you?' });
		expect(only('POST', '/messages').body).toEqual({
			conversation_id: CONVERSATION,
			type: 'interactive',
			body: { type: 'location_request_message', body: { text: 'Where are you?' }, action: { name: 'send_location' } },
			send_to_third: true,
		});
	});

	test.each([
		['text over 4096 characters', { messageType: 'text', text: 'x'.repeat(4097) }, 'Text: Text must be at most 4096 characters'],
		[
			'four buttons',
			{
				messageType: 'buttons',
				bodyText: 'Pick',
				buttons: { button: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })) },
			},
			"The 'Digishare' node has issues:\n- At most 3 fields are allowed.",
		],
		[
			'a button title over 20 characters',
			{ messageType: 'buttons', bodyText: 'Pick', buttons: { button: [{ id: 'a', title: 'This title is too long!' }] } },
			'Buttons → Button 1: Button Title must be at most 20 characters',
		],
		[
			'a header over 60 characters',
			{ messageType: 'buttons', header: 'h'.repeat(61), bodyText: 'Pick', buttons: { button: [{ id: 'a', title: 'A' }] } },
			'Header: Header must be at most 60 characters',
		],
		[
			'eleven list rows',
			{
				messageType: 'list',
				bodyText: 'Menu',
				listButton: 'View',
				rows: { row: Array.from({ length: 11 }, (_, n) => ({ id: `r${n}`, title: `Row ${n}` })) },
			},
			"The 'Digishare' node has issues:\n- At most 10 fields are allowed.",
		],
		[
			'a row title over 24 characters',
			{ messageType: 'list', bodyText: 'Menu', listButton: 'View', rows: { row: [{ id: 'r', title: 'r'.repeat(25) }] } },
			'Rows → Row in section 1, position 1: Row Title must be at most 24 characters',
		],
		['an empty text field (n8n itself)', { messageType: 'text', text: '' }, "The 'Digishare' node has issues:\n- Parameter \"Text\" is required."],
		['a text expression that comes out empty', { messageType: 'text', text: '={{ "" }}' }, 'Text: Text is required'],
		['latitude out of range', { messageType: 'location', latitude: 123, longitude: 0 }, 'Latitude: Latitude must be between -90 and 90'],
	])('%s is refused before sending, naming the field', async (_, parameters, message) => {
		const { error, items } = await send(parameters);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(message);
		expect(sandbox.requestsFor('digishare')).toHaveLength(0);
	});

	test('a conversation ID expression that comes out empty is refused before sending', async () => {
		const { error } = await send({ conversationId: '={{ $json.nothing }}', messageType: 'text', text: 'Hi' });
		expect(error?.message).toMatch(/^Conversation ID: is required/);
		expect(sandbox.requestsFor('digishare')).toHaveLength(0);
	});

	test('an unknown conversation: the provider 404 message, http code and item index', async () => {
		const { error } = await send({ conversationId: 'nope000000000000', messageType: 'text', text: 'Hi' });
		expect(error?.message).toMatch(/^Digishare: /);
		expect((error as { httpCode?: string }).httpCode).toBe('404');
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});

	test('continue on fail: the failing item gets the provider error, the others go through, pairing kept', async () => {
		const { items, error } = await runDigishare(
			sandbox,
			{ resource: 'message', operation: 'send', messageType: 'text', text: '={{ $json.text }}' },
			{
				continueOnFail: true,
				items: [
					{ json: { conversationId: CONVERSATION, text: 'first' } },
					{ json: { conversationId: CONVERSATION, text: '' } },
					{ json: { conversationId: 'nope000000000000', text: 'third' } },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json.status).toBe('sent');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.error).toBe('Text: Text is required');
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(String(items[2].json.error)).toMatch(/^Digishare: /);
		expect(items[2].json.httpCode).toBe('404');
		expect(items[2].pairedItem).toEqual({ item: 2 });
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(2);
	});
});

describe('Message → Send to Recipient', () => {
	test('posts the documented event to the ingest host with the bearer token', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'message',
			operation: 'sendToRecipient',
			providerInstanceId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			recipientId: '212600000001',
			text: 'Votre commande est prête',
			options: { ingestUrl: `${sandbox.baseUrl('digishare-app')}/` },
		});
		expect(error).toBeUndefined();
		const requests = sandbox.requestsFor('digishare-app', 'POST', '/event/conversation_message');
		expect(requests).toHaveLength(1);
		expect(requests[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
		expect(requests[0].body).toEqual({
			event_type: 'conversation_message',
			channel: 'whatsapp',
			type: 'text',
			send_to_third: true,
			api_provider_instance_id: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			recipient_id: '212600000001',
			body: 'Votre commande est prête',
		});
		expect(items[0].json).toMatchObject({ status: 'accepted' });
		expect(typeof items[0].json.event_id).toBe('string');
	});

	test('an explicit conversation and send_to_third false', async () => {
		await runDigishare(sandbox, {
			resource: 'message',
			operation: 'sendToRecipient',
			providerInstanceId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			recipientId: '212600000001',
			text: 'note',
			options: { ingestUrl: sandbox.baseUrl('digishare-app'), conversationId: CONVERSATION, sendToThird: false },
		});
		expect(sandbox.requestsFor('digishare-app')[0].body).toMatchObject({ conversation_id: CONVERSATION, send_to_third: false });
	});

	test('an unknown provider instance: the 422 field error reaches the user', async () => {
		const { error } = await runDigishare(sandbox, {
			resource: 'message',
			operation: 'sendToRecipient',
			providerInstanceId: 'unknown000000000',
			channel: 'whatsapp',
			recipientId: '212600000001',
			text: 'hi',
			options: { ingestUrl: sandbox.baseUrl('digishare-app') },
		});
		expect((error as { httpCode?: string }).httpCode).toBe('422');
		expect((error as { description?: string }).description).toMatch(/^api_provider_instance_id: /);
	});
});

describe('errors, retries and secrets', () => {
	const sendHi = () =>
		runDigishare(sandbox, { resource: 'message', operation: 'send', conversationId: CONVERSATION, messageType: 'text', text: 'Hi' });

	test('a 422 shows Digishare message and its field errors', async () => {
		sandbox.fault({
			provider: 'digishare',
			method: 'POST',
			path: '/messages',
			status: 422,
			body: { message: 'The given data was invalid.', errors: { body: ['The body field is required.'] } },
		});
		const { error } = await sendHi();
		expect(error?.message).toBe('Digishare: The given data was invalid.');
		expect((error as { description?: string }).description).toContain('body: The body field is required.');
	});

	test('a 429 is retried after Retry-After and the message is sent once', async () => {
		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', status: 429, times: 1 });
		const { items, error } = await sendHi();
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('sent');
		const attempts = sandbox.requestsFor('digishare', 'POST', '/messages');
		expect(attempts.map((request) => request.response.status)).toEqual([429, 201]);
		expect(sandbox.digishare.messagesOf(CONVERSATION).filter((message: { body: unknown }) => message.body === 'Hi')).toHaveLength(1);
	});

	test('a 429 that persists ends in the provider rate-limit message', async () => {
		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', status: 429, times: 10 });
		const { error } = await sendHi();
		expect(error?.message).toBe('Digishare: Too Many Attempts.');
		expect((error as { httpCode?: string }).httpCode).toBe('429');
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(4);
	});

	test('a 503 on POST /messages is not re-sent (no idempotency key)', async () => {
		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', status: 503, body: { message: 'Service Unavailable' } });
		const { error } = await sendHi();
		expect(error?.message).toBe('Digishare: Service Unavailable');
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(1);
	});

	test('a 503 on a GET is retried', async () => {
		sandbox.fault({ provider: 'digishare', method: 'GET', path: /^\/thirds\//, status: 503, body: { message: 'Service Unavailable' } });
		const { items, error } = await runDigishare(sandbox, { resource: 'contact', operation: 'get', contactId: DIGISHARE_THIRD_IDS[0] });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(DIGISHARE_THIRD_IDS[0]);
		expect(sandbox.requestsFor('digishare', 'GET', /^\/thirds\//).map((request) => request.response.status)).toEqual([503, 200]);
	});

	test('a dropped connection on a GET is retried; on POST it fails without re-sending', async () => {
		sandbox.fault({ provider: 'digishare', method: 'GET', path: /^\/thirds\//, drop: true });
		const get = await runDigishare(sandbox, { resource: 'contact', operation: 'get', contactId: DIGISHARE_THIRD_IDS[0] });
		expect(get.error).toBeUndefined();
		expect(get.items[0].json.id).toBe(DIGISHARE_THIRD_IDS[0]);

		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', drop: true });
		const post = await sendHi();
		expect(post.error?.message).toMatch(/^Could not reach Digishare/);
		expect(sandbox.requestsFor('digishare', 'POST', '/messages')).toHaveLength(1);
	});

	test('a 500 error keeps the request id; a wrong token says Unauthenticated and never shows the token', async () => {
		sandbox.fault({ provider: 'digishare', method: 'POST', path: '/messages', status: 500 });
		const serverError = await sendHi();
		expect(serverError.error?.message).toBe('Digishare: Server Error');
		expect((serverError.error as { description?: string }).description).toMatch(
			/^Request ID: [0-9a-f-]{36}\nNot retried automatically: the request may already have been processed \(check before running it again\)\.\nOperation: Message → Send, item 0$/,
		);

		const wrongToken = 'ds_pat_wrong_token_abcdef';
		const { error, run } = await runDigishare(
			sandbox,
			{ resource: 'message', operation: 'send', conversationId: CONVERSATION, messageType: 'text', text: 'Hi' },
			{ credentials: { digishareApi: { cred1: { authMode: 'accessToken', accessToken: wrongToken, baseUrl: sandbox.baseUrl('digishare') } } } },
		);
		expect(error?.message).toBe('Digishare: Unauthenticated.');
		expect((error as { httpCode?: string }).httpCode).toBe('401');
		expect(JSON.stringify(run)).not.toContain(wrongToken);
		expect(JSON.stringify(run)).not.toContain(DIGISHARE_PAT);
	});

	test('a provider message that echoes the token is redacted', async () => {
		sandbox.fault({
			provider: 'digishare',
			method: 'POST',
			path: '/messages',
			status: 403,
			body: { message: `Token ${DIGISHARE_PAT} lacks permission` },
		});
		const { error, run } = await sendHi();
		expect(error?.message).toBe('Digishare: Token [redacted] lacks permission');
		expect(JSON.stringify(run)).not.toContain(DIGISHARE_PAT);
	});
});

describe('Conversation', () => {
	test('Create: required fields and flags as documented', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'create',
			providerInstanceId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			recipientId: '212600000099',
			additionalFields: { archive_active_conversation: false, reactivate_archived_conversation: true },
		});
		expect(error).toBeUndefined();
		expect(only('POST', '/conversations/provider').body).toEqual({
			provider_instance_id: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			recipient_id: '212600000099',
			archive_active_conversation: false,
			reactivate_archived_conversation: true,
		});
		expect(items[0].json).toMatchObject({ status: 'active' });
		expect(typeof items[0].json.id).toBe('string');
	});

	test('Create: a missing recipient is refused naming the field', async () => {
		const { error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'create',
			providerInstanceId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			recipientId: ' ',
		});
		expect(error?.message).toBe('Recipient ID: is required');
		expect(sandbox.requestsFor('digishare')).toHaveLength(0);
	});

	test('Check: query parameters on the main base URL', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'check',
			companyId: DIGISHARE_COMPANY_ID,
			apiProviderId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			thirdId: DIGISHARE_THIRD_IDS[0],
			channelIdentity: '212600000001',
			options: { platformLinkId: DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp },
		});
		expect(error).toBeUndefined();
		const request = only('GET', '/conversations/check');
		expect(request.query).toEqual({
			company_id: DIGISHARE_COMPANY_ID,
			api_provider_id: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			third_id: DIGISHARE_THIRD_IDS[0],
			channel_identity: '212600000001',
			platform_link_id: DIGISHARE_PLATFORM_LINK_IDS.adilWhatsapp,
		});
		expect(items[0].json).toMatchObject({ success: true, found: true });
	});

	test('Check: the alternative host from the docs via Check Endpoint URL', async () => {
		const { error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'check',
			companyId: DIGISHARE_COMPANY_ID,
			apiProviderId: DIGISHARE_PROVIDER_INSTANCE_IDS.whatsapp,
			channel: 'whatsapp',
			thirdId: DIGISHARE_THIRD_IDS[0],
			channelIdentity: '212600000001',
			options: { checkUrl: `${sandbox.baseUrl('digishare-calclytics')}/conversations/check` },
		});
		expect(error).toBeUndefined();
		const requests = sandbox.requestsFor('digishare-calclytics', 'GET', '/conversations/check');
		expect(requests).toHaveLength(1);
		expect(requests[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
	});

	test('Add Participants with a handler: users, bots and handler_id', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'addParticipants',
			conversationId: CONVERSATION,
			users: `${DIGISHARE_USER_IDS.agent2}, ${DIGISHARE_USER_IDS.supervisor}`,
			bots: DIGISHARE_BOT_IDS.faq,
			handlerId: DIGISHARE_USER_IDS.agent2,
		});
		expect(error).toBeUndefined();
		const request = only('PUT', `/conversations/${CONVERSATION}/attach/participants`);
		expect(request.body).toEqual({
			users: [DIGISHARE_USER_IDS.agent2, DIGISHARE_USER_IDS.supervisor],
			bots: [DIGISHARE_BOT_IDS.faq],
			handler_id: DIGISHARE_USER_IDS.agent2,
		});
		expect(items[0].json).toMatchObject({ object: 'Conversation', id: CONVERSATION });
	});

	test('Add Participants: a handler that is not among the users is refused naming the field', async () => {
		const { error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'addParticipants',
			conversationId: CONVERSATION,
			users: DIGISHARE_USER_IDS.agent2,
			handlerId: DIGISHARE_USER_IDS.supervisor,
		});
		expect(error?.message).toBe('Handler User ID: must be one of the User IDs being added');
		expect(sandbox.requestsFor('digishare')).toHaveLength(0);
	});

	test('Add Participants: neither users nor bots is refused', async () => {
		const { error } = await runDigishare(sandbox, { resource: 'conversation', operation: 'addParticipants', conversationId: CONVERSATION });
		expect(error?.message).toBe('User IDs: give at least one user ID or bot ID');
	});

	test('Remove Participants', async () => {
		const { error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'removeParticipants',
			conversationId: CONVERSATION,
			bots: DIGISHARE_BOT_IDS.main,
		});
		expect(error).toBeUndefined();
		expect(only('PUT', `/conversations/${CONVERSATION}/detach/participants`).body).toEqual({ bots: [DIGISHARE_BOT_IDS.main] });
	});

	test('Set Handler', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'conversation',
			operation: 'setHandler',
			conversationId: CONVERSATION,
			userId: DIGISHARE_USER_IDS.agent2,
		});
		expect(error).toBeUndefined();
		const request = only('PUT', `/conversations/${CONVERSATION}/handler/${DIGISHARE_USER_IDS.agent2}`);
		expect(request.rawBody.length).toBe(0);
		expect(items[0].json).toMatchObject({ object: 'Conversation', id: CONVERSATION });
	});
});

describe('Contact', () => {
	test('Create: fields, list fields and custom fields', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'contact',
			operation: 'create',
			contactFields: {
				name: 'Nadia Amrani',
				email: 'nadia@example.com',
				mobile: '+212600000777',
				lang: 'ar',
				birthday: '1990-04-23',
				tags: 'vip, new',
				customFields: { field: [{ key: 'plan', value: 'gold' }] },
			},
		});
		expect(error).toBeUndefined();
		expect(only('POST', '/thirds').body).toEqual({
			name: 'Nadia Amrani',
			email: 'nadia@example.com',
			mobile: '+212600000777',
			lang: 'ar',
			birthday: '1990-04-23',
			tags: ['vip', 'new'],
			data: { custom_fields: { plan: 'gold' } },
		});
		expect(items[0].json).toMatchObject({ status: 'created' });
		expect(sandbox.digishare.thirds.get(items[0].json.id as string)).toMatchObject({ name: 'Nadia Amrani' });
	});

	test('Create: a bad birthday is refused naming the field', async () => {
		const { error } = await runDigishare(sandbox, {
			resource: 'contact',
			operation: 'create',
			contactFields: { name: 'X', birthday: '23/04/1990' },
		});
		expect(error?.message).toBe('Contact Fields → Birthday: use the format YYYY-MM-DD');
	});

	test('Get with include', async () => {
		const { items } = await runDigishare(sandbox, {
			resource: 'contact',
			operation: 'get',
			contactId: DIGISHARE_THIRD_IDS[0],
			include: ['tags', 'conversations'],
		});
		expect(only('GET', `/thirds/${DIGISHARE_THIRD_IDS[0]}`).query).toEqual({ include: 'tags,conversations' });
		expect(items[0].json).toMatchObject({ id: DIGISHARE_THIRD_IDS[0], name: 'Adil Chbada' });
	});

	test('Get Many with Return All walks every page of 100', async () => {
		const { items, error } = await runDigishare(sandbox, { resource: 'contact', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(DIGISHARE_SEED_THIRD_COUNT);
		const requests = sandbox.requestsFor('digishare', 'GET', '/thirds');
		expect(requests.map((request) => request.query)).toEqual([{ page: '1', limit: '100' }]);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(DIGISHARE_SEED_THIRD_COUNT);
	});

	test('Get Many with a limit above one page fetches only what it needs', async () => {
		const { items } = await runDigishare(sandbox, { resource: 'contact', operation: 'getAll', returnAll: false, limit: 5 });
		expect(items).toHaveLength(5);
		expect(sandbox.requestsFor('digishare', 'GET', '/thirds').map((request) => request.query)).toEqual([{ page: '1', limit: '5' }]);
	});

	test('Get Many paginates when Digishare pages are smaller than asked', async () => {
		// Only 15 per page (the documented default) — the node must follow meta.pagination.
		sandbox.fault({
			provider: 'digishare',
			method: 'GET',
			path: '/thirds',
			status: 200,
			times: 1,
			body: {
				data: Array.from({ length: 15 }, (_, n) => ({ id: `page1-${n}` })),
				meta: { pagination: { total: 20, count: 15, per_page: 15, current_page: 1, total_pages: 2 } },
			},
		});
		sandbox.fault({
			provider: 'digishare',
			method: 'GET',
			path: '/thirds',
			status: 200,
			times: 1,
			body: {
				data: Array.from({ length: 5 }, (_, n) => ({ id: `page2-${n}` })),
				meta: { pagination: { total: 20, count: 5, per_page: 15, current_page: 2, total_pages: 2 } },
			},
		});
		const { items } = await runDigishare(sandbox, { resource: 'contact', operation: 'getAll', returnAll: true });
		expect(items).toHaveLength(20);
		expect(items[19].json.id).toBe('page2-4');
		expect(sandbox.requestsFor('digishare', 'GET', '/thirds').map((request) => request.query.page)).toEqual(['1', '2']);
	});

	test('Get Many: search, custom field filters and sorting', async () => {
		await runDigishare(sandbox, {
			resource: 'contact',
			operation: 'getAll',
			returnAll: false,
			limit: 10,
			filters: {
				search: 'Adil',
				customFilters: {
					filter: [
						{ key: 'plan', operator: 'eq', value: 'gold' },
						{ key: 'visits', operator: 'gte', value: '3' },
					],
				},
			},
			options: { orderBy: 'name', sortedBy: 'asc', include: ['tags'] },
		});
		expect(only('GET', '/thirds').query).toEqual({
			search: 'Adil',
			custom_filters: JSON.stringify({ plan: { operator: '=', value: 'gold' }, visits: { operator: '>=', value: '3' } }),
			orderBy: 'name',
			sortedBy: 'asc',
			include: 'tags',
			page: '1',
			limit: '10',
		});
	});

	test('Update: PATCH with only the set fields', async () => {
		const { items, error } = await runDigishare(sandbox, {
			resource: 'contact',
			operation: 'update',
			contactId: DIGISHARE_THIRD_IDS[1],
			updateFields: { email: 'new@example.com', group_type_id: 'g1,g2' },
		});
		expect(error).toBeUndefined();
		expect(only('PATCH', `/thirds/${DIGISHARE_THIRD_IDS[1]}`).body).toEqual({ email: 'new@example.com', group_type_id: ['g1', 'g2'] });
		expect(items[0].json).toMatchObject({ id: DIGISHARE_THIRD_IDS[1], email: 'new@example.com' });
	});

	test('Update with no fields is refused', async () => {
		const { error } = await runDigishare(sandbox, { resource: 'contact', operation: 'update', contactId: DIGISHARE_THIRD_IDS[1] });
		expect(error?.message).toBe('Update Fields: add at least one field');
	});

	test('Delete: 204 becomes {id, deleted: true}', async () => {
		const { items } = await runDigishare(sandbox, { resource: 'contact', operation: 'delete', contactId: DIGISHARE_THIRD_IDS[2] });
		expect(only('DELETE', `/thirds/${DIGISHARE_THIRD_IDS[2]}`).response.status).toBe(204);
		expect(items[0].json).toEqual({ id: DIGISHARE_THIRD_IDS[2], deleted: true });
	});
});
