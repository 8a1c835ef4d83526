/**
 * Every LivePerson operation in n8n's engine against the sandbox (which stands in for the Domain
 * API, sentinel, idp, the messaging host and swift): the exact request LivePerson receives, the
 * items out, the tokens fetched once and reused, LivePerson's errors, and the consumer's
 * conversation remembered so Send needs only a Consumer ID and text.
 */
import type { IDataObject } from 'n8n-workflow';
import { retryPolicy } from '../../nodes/shared/transport';
import {
	LIVEPERSON_ACCOUNT_ID,
	LIVEPERSON_CLIENT_ID,
	LIVEPERSON_CLIENT_SECRET,
	decodeLivePersonJwt,
	startSandbox,
	type RecordedRequest,
	type Sandbox,
} from '../sandbox';
import { freshProcess, runLivePerson } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	retryPolicy.backoffMs = [0, 0, 0];
	sandbox = await startSandbox();
});
beforeEach(() => {
	sandbox.reset();
	freshProcess();
});
afterAll(async () => {
	await sandbox.close();
});

const sends = (): RecordedRequest[] => sandbox.requestsFor('liveperson-msg', 'POST', /\/conversation\/send$/);
const opens = (): RecordedRequest[] => sandbox.requestsFor('liveperson-msg', 'POST', /\/conversation$/);
const sendText = (consumerId: string, text: string, options: Parameters<typeof runLivePerson>[2] = {}, extra: IDataObject = {}) =>
	runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId, text, ...extra }, options);

describe('Message → Send Text', () => {
	test('the first message opens a conversation for the consumer (SetUserProfile + ConsumerRequestConversation), then the seed’s ContentEvent; tokens: bare AppJWT + ConsumerJWS', async () => {
		const run = await sendText('digishare:conv-1', 'Hi, I need a human');
		expect(run.error).toBeUndefined();
		const [open] = opens();
		expect(open.query).toEqual({ v: '3' });
		expect(open.body).toEqual([
			{ kind: 'req', id: '1', type: 'userprofile.SetUserProfile', body: {} },
			{ kind: 'req', id: '2', type: 'cm.ConsumerRequestConversation', body: { brandId: LIVEPERSON_ACCOUNT_ID, channelType: 'MESSAGING' } },
		]);
		const conversationId = run.items[0].json.conversationId as string;
		const [send] = sends();
		expect(send.body).toEqual({
			kind: 'req',
			id: '1',
			type: 'ms.PublishEvent',
			body: { dialogId: conversationId, event: { type: 'ContentEvent', contentType: 'text/plain', message: 'Hi, I need a human' } },
		});
		const appJwt = String(send.headers.authorization);
		expect(appJwt).not.toMatch(/^Bearer /);
		expect(decodeLivePersonJwt(appJwt)?.payload).toMatchObject({ aud: LIVEPERSON_ACCOUNT_ID, azp: LIVEPERSON_CLIENT_ID });
		expect(decodeLivePersonJwt(String(send.headers['x-lp-on-behalf']))?.payload).toMatchObject({ ext_consumer_id: 'digishare:conv-1' });
		expect(run.items[0].json).toEqual({ status: 'sent', consumerId: 'digishare:conv-1', conversationId, sequence: expect.any(Number) });
		expect(JSON.stringify(run.items)).not.toContain(LIVEPERSON_CLIENT_SECRET);
		expect(JSON.stringify(run.items)).not.toContain(appJwt);
	});
});

describe('the consumer’s conversation, remembered', () => {
	test('the next message of the same consumer reuses the open conversation; another consumer gets its own', async () => {
		const staticData: IDataObject = {};
		const first = await sendText('digishare:a', 'One', { staticData });
		Object.assign(staticData, first.staticData); // manual runs do not persist static data (as in n8n)
		const second = await sendText('digishare:a', 'Two', { staticData });
		const other = await sendText('digishare:b', 'Hello', { staticData });
		expect(opens()).toHaveLength(2);
		expect(second.items[0].json.conversationId).toBe(first.items[0].json.conversationId);
		expect(other.items[0].json.conversationId).not.toBe(first.items[0].json.conversationId);
		expect(sandbox.liveperson.consumerTextsOf(first.items[0].json.conversationId as string)).toEqual(['One', 'Two']);
		expect((first.staticData.global as IDataObject).livePersonConversations).toEqual({ 'digishare:a': first.items[0].json.conversationId });
		expect((first.staticData.global as IDataObject).livePersonConsumers).toEqual({ [first.items[0].json.conversationId as string]: 'digishare:a' });
	});

	test('after the agent closed it, the next message opens a new conversation instead of failing', async () => {
		const first = await sendText('digishare:c', 'Before the close');
		const closed = first.items[0].json.conversationId as string;
		await runLivePerson(sandbox, { resource: 'conversation', operation: 'close', consumerId: 'digishare:c' });
		const after = await sendText('digishare:c', 'After the close');
		expect(after.error).toBeUndefined();
		expect(after.items[0].json.conversationId).not.toBe(closed);
		expect(sends().map((request) => (request.body as { type: string }).type)).toEqual([
			'ms.PublishEvent',
			'cm.UpdateConversationField',
			'ms.PublishEvent', // refused: "Conversation is close"
			'ms.PublishEvent',
		]);
		expect(sandbox.liveperson.consumerTextsOf(after.items[0].json.conversationId as string)).toEqual(['After the close']);
	});

	test('a remembered conversation LivePerson does not know ("Dialog not found"): a new one is opened and remembered', async () => {
		const staticData = { global: { livePersonConversations: { 'digishare:stale': 'c0ffee00-0000-4000-8000-000000000000' } } };
		const run = await sendText('digishare:stale', 'Still there?', { staticData });
		expect(run.error).toBeUndefined();
		const fresh = run.items[0].json.conversationId as string;
		expect(fresh).not.toBe('c0ffee00-0000-4000-8000-000000000000');
		expect(sandbox.liveperson.consumerTextsOf(fresh)).toEqual(['Still there?']);
		expect((run.staticData.global as IDataObject).livePersonConversations).toEqual({ 'digishare:stale': fresh });
	});

	test('an explicit Conversation ID is used as given', async () => {
		const first = await sendText('digishare:d', 'Open it');
		freshProcess(); // nothing remembered…
		const explicit = await sendText('digishare:d', 'Into it', {}, { conversationId: first.items[0].json.conversationId });
		expect(explicit.items[0].json.conversationId).toBe(first.items[0].json.conversationId);
		expect(opens()).toHaveLength(1);
	});

	test('a consumer whose open conversation this n8n does not know: LivePerson’s refusal, with what to do', async () => {
		sandbox.liveperson.startConversation('digishare:e');
		const run = await sendText('digishare:e', 'Hi');
		expect(run.error?.message).toMatch(/^LivePerson: .*already has open conversation/);
		expect((run.error as { description?: string }).description).toContain('LivePerson allows one open conversation per consumer, and this workflow does not know this one');
		expect(sends()).toHaveLength(0);
	});
});

describe('tokens: fetched once and reused', () => {
	test('100 sends to 10 consumers in one execution: one Domain API lookup, one AppJWT, ten ConsumerJWS, ten conversations', async () => {
		const items = Array.from({ length: 100 }, (_, n) => ({ json: { consumer: `bulk-${n % 10}`, n } }));
		const run = await runLivePerson(
			sandbox,
			{ resource: 'message', operation: 'sendText', consumerId: '={{ $json.consumer }}', text: "={{ 'Message ' + $json.n }}" },
			{ items },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(100);
		expect(run.items.map((item) => item.pairedItem)).toEqual(items.map((_, n) => ({ item: n })));
		expect(sandbox.liveperson.domainLookupCount).toBe(1);
		expect(sandbox.liveperson.tokenRequestCount).toBe(1);
		expect(sandbox.liveperson.consumerRequestCount()).toBe(10);
		expect(opens()).toHaveLength(10);
		expect(sends()).toHaveLength(100);
	});

	test('an expired AppJWT costs one renewal, not one per item: 401 (40102) → new AppJWT → the call retried once', async () => {
		await sendText('digishare:f', 'First');
		sandbox.liveperson.expireAppJwts();
		const items = [1, 2, 3].map((n) => ({ json: { n } }));
		const run = await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: 'digishare:f', text: "={{ 'After ' + $json.n }}" }, { items });
		expect(run.error).toBeUndefined();
		expect(sandbox.liveperson.tokenRequestCount).toBe(2);
		expect(sends().filter((request) => request.response.status === 401)).toHaveLength(1);
		expect(sends().filter((request) => request.response.status === 200)).toHaveLength(4);
	});

	test('the same account and Connector App in another LivePerson environment (Domain API) gets tokens of its own there', async () => {
		const other = await startSandbox();
		try {
			expect((await sendText('digishare:env', 'Here')).error).toBeUndefined();
			const there = await runLivePerson(other, { resource: 'message', operation: 'sendText', consumerId: 'digishare:env', text: 'And there', options: {} });
			expect(there.error).toBeUndefined();
			// The other environment issued its own AppJWT and ConsumerJWS and never saw the first one's.
			expect(other.liveperson.tokenRequestCount).toBeGreaterThan(0);
			expect(other.requests.filter((request) => request.response.status === 401)).toEqual([]);
			const sent = other.requestsFor('liveperson-msg', 'POST').filter((request) => request.path.endsWith('/send'));
			expect(sent.at(-1)?.response.status).toBe(200);
		} finally {
			await other.close();
		}
	});

	test('a wrong client secret: LivePerson’s refusal, without the secret', async () => {
		const run = await sendText('digishare:g', 'Hi', { credentials: { clientSecret: 'lpsec_wrong_0000000000' } });
		expect(run.error?.message).toMatch(/^LivePerson: could not get an AppJWT from sentinel/);
		expect(JSON.stringify(run.error)).not.toContain('lpsec_wrong_0000000000');
		expect(sends()).toHaveLength(0);
	});

	test('tokens mode: the pasted tokens are used as they are; a refused AppJWT says which token and what to do', async () => {
		const app = sandbox.liveperson.issueAppJwt();
		const consumer = sandbox.liveperson.issueConsumerJws('pasted-consumer');
		const ok = await sendText('', 'With pasted tokens', { credentials: { authMode: 'tokens', appToken: app, consumerToken: consumer } });
		expect(ok.error).toBeUndefined();
		expect(sends()[0].headers.authorization).toBe(app);
		expect(sends()[0].headers['x-lp-on-behalf']).toBe(consumer);
		expect(sandbox.liveperson.tokenRequestCount).toBe(0);
		sandbox.liveperson.expireAppJwts();
		const refused = await sendText('', 'Again', { credentials: { authMode: 'tokens', appToken: app, consumerToken: consumer } });
		expect(refused.error?.message).toMatch(/^LivePerson: /);
		expect(`${refused.error?.message} ${(refused.error as { description?: string }).description}`).toContain('errorCode 40102: the AppJWT is expired or invalid');
		expect(JSON.stringify(refused.error)).not.toContain(app);
	});
});

describe('the other operations: the exact request', () => {
	async function openFor(consumerId: string) {
		const run = await runLivePerson(sandbox, {
			resource: 'conversation',
			operation: 'create',
			consumerId,
			profile: { firstName: 'Adil', lastName: 'Chbada', tier: 'vip', customerId: 'cust-7' },
			routing: { skillId: '-1', ttr: 'URGENT', campaignId: '99', engagementId: '100', lang: 'fr-FR' },
			options: { features: ['AUTO_MESSAGES', 'RICH_CONTENT'] },
		});
		expect(run.error).toBeUndefined();
		return run.items[0].json.conversationId as string;
	}
	const lastSend = () => sends()[sends().length - 1];

	test('Conversation → Create: profile SDEs and routing, Client-Properties as a JSON string; remembered for the consumer', async () => {
		const conversationId = await openFor('digishare:h');
		const [open] = opens();
		expect(open.body).toEqual([
			{
				kind: 'req',
				id: '1',
				type: 'userprofile.SetUserProfile',
				body: {
					authenticatedData: {
						lp_sdes: [
							{ type: 'ctmrinfo', info: { customerId: 'cust-7', ctype: 'vip' } },
							{ type: 'personal', personal: { firstname: 'Adil', lastname: 'Chbada' } },
						],
					},
				},
			},
			{
				kind: 'req',
				id: '2',
				type: 'cm.ConsumerRequestConversation',
				body: {
					brandId: LIVEPERSON_ACCOUNT_ID,
					channelType: 'MESSAGING',
					skillId: '-1',
					ttrDefName: 'URGENT',
					campaignInfo: { campaignId: '99', engagementId: '100' },
					conversationContext: { type: 'SharkContext', lang: 'fr-FR' },
				},
			},
		]);
		expect(JSON.parse(String(open.headers['client-properties']))).toEqual({ type: '.ClientProperties', features: ['AUTO_MESSAGES', 'RICH_CONTENT'] });
		const typed = await runLivePerson(sandbox, { resource: 'message', operation: 'setChatState', consumerId: 'digishare:h', chatState: 'COMPOSING' });
		expect(typed.error).toBeUndefined(); // the remembered conversation
		expect(lastSend().body).toEqual({ kind: 'req', id: '1', type: 'ms.PublishEvent', body: { dialogId: conversationId, event: { type: 'ChatStateEvent', chatState: 'COMPOSING' } } });
	});

	test('Message → Acknowledge: the seed’s AcceptStatusEvent with a sequence list', async () => {
		const conversationId = await openFor('digishare:i');
		const run = await runLivePerson(sandbox, { resource: 'message', operation: 'acknowledge', consumerId: 'digishare:i', status: 'READ', sequenceList: '1, 2' });
		expect(run.error).toBeUndefined();
		expect(lastSend().body).toEqual({
			kind: 'req',
			id: '1',
			type: 'ms.PublishEvent',
			body: { dialogId: conversationId, event: { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [1, 2] } },
		});
		const bad = await runLivePerson(sandbox, { resource: 'message', operation: 'acknowledge', consumerId: 'digishare:i', status: 'READ', sequenceList: 'one' });
		expect(bad.error?.message).toBe('Sequence Numbers: must be whole numbers, e.g. 1,2 (got "one")');
	});

	test('Conversation → Close and → Rate: cm.UpdateConversationField', async () => {
		const conversationId = await openFor('digishare:j');
		const closed = await runLivePerson(sandbox, { resource: 'conversation', operation: 'close', consumerId: 'digishare:j' });
		expect(closed.items[0].json).toEqual({ status: 'closed', conversationId, consumerId: 'digishare:j', message: 'OK Conversation resolved successfully' });
		expect(lastSend().body).toEqual({
			kind: 'req',
			id: '1',
			type: 'cm.UpdateConversationField',
			body: { conversationId, conversationField: { field: 'ConversationStateField', conversationState: 'CLOSE' } },
		});
		const rated = await runLivePerson(sandbox, { resource: 'conversation', operation: 'rate', consumerId: 'digishare:j', csatRate: 4, resolved: true, surveyStatus: 'FILLED' });
		expect(rated.error).toBeUndefined();
		expect(lastSend().body).toEqual({
			kind: 'req',
			id: '1',
			type: 'cm.UpdateConversationField',
			body: { conversationId, conversationField: { field: 'CSATRate', csatRate: 4, csatResolutionConfirmation: true, status: 'FILLED' } },
		});
	});

	test('Message → Send File: upload URL, PUT to swift (no auth headers), hosted/file publish; Download File brings the same bytes back', async () => {
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('sandbox image bytes')]);
		const item = { json: {}, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'receipt.png', fileExtension: 'png' } } };
		const sent = await runLivePerson(sandbox, { resource: 'message', operation: 'sendFile', consumerId: 'digishare:k', binaryPropertyName: 'data', caption: 'My receipt' }, { items: [item] });
		expect(sent.error).toBeUndefined();
		const relativePath = sent.items[0].json.relativePath as string;
		const [upload, publish] = sends().slice(-2);
		expect(upload.body).toMatchObject({ type: 'ms.GenerateURLForUploadFile', body: { fileSize: png.length, fileType: 'PNG' } });
		expect(publish.body).toMatchObject({
			type: 'ms.PublishEvent',
			body: { event: { type: 'ContentEvent', contentType: 'hosted/file', message: { relativePath, fileType: 'PNG', caption: 'My receipt' } } },
		});
		const [put] = sandbox.requestsFor('liveperson-swift', 'PUT');
		expect(put.headers.authorization).toBeUndefined();
		expect(sandbox.liveperson.file(relativePath)?.data?.equals(png)).toBe(true);

		const downloaded = await runLivePerson(sandbox, { resource: 'message', operation: 'downloadFile', consumerId: 'digishare:k', relativePath, binaryPropertyName: 'file' });
		expect(downloaded.error).toBeUndefined();
		const binary = downloaded.items[0].binary?.file;
		expect(Buffer.from(binary?.data ?? '', 'base64').equals(png)).toBe(true);
		expect(downloaded.items[0].json).toMatchObject({ relativePath, size: png.length });
	});

	test('Send File refuses what LivePerson would, before any call: other types, over 3 MB', async () => {
		const pdf = { json: {}, binary: { data: { data: Buffer.from('%PDF-1.4').toString('base64'), mimeType: 'application/pdf', fileName: 'a.pdf', fileExtension: 'pdf' } } };
		const big = { json: {}, binary: { data: { data: Buffer.alloc(3 * 1024 * 1024 + 1).toString('base64'), mimeType: 'image/png', fileName: 'b.png', fileExtension: 'png' } } };
		const first = await runLivePerson(sandbox, { resource: 'message', operation: 'sendFile', consumerId: 'x', binaryPropertyName: 'data' }, { items: [pdf] });
		expect(first.error?.message).toBe('Input Binary Field: holds a application/pdf (a.pdf); LivePerson accepts JPG, JPEG, PNG and GIF');
		const second = await runLivePerson(sandbox, { resource: 'message', operation: 'sendFile', consumerId: 'x', binaryPropertyName: 'data' }, { items: [big] });
		expect(second.error?.message).toBe(`Input Binary Field: holds ${3 * 1024 * 1024 + 1} bytes; LivePerson accepts files up to 3 MB (3145728 bytes)`);
		expect(sandbox.requestsFor('liveperson-msg')).toHaveLength(0);
	});

	test('Consumer → Get Consumer Token: the token is kept by the node, never output', async () => {
		const run = await runLivePerson(sandbox, { resource: 'consumer', operation: 'getToken', consumerId: 'digishare:l' });
		expect(run.items[0].json).toEqual({ consumerId: 'digishare:l', lpConsumerId: expect.stringMatching(/^[0-9a-f]{64}$/), accountId: LIVEPERSON_ACCOUNT_ID, tokenReady: true });
		const [request] = sandbox.requestsFor('liveperson-idp', 'POST');
		const token = (request.response.body as { token: string }).token;
		expect(JSON.stringify(run.items)).not.toContain(token);
	});
});

describe('limits and LivePerson’s errors', () => {
	test('a request over 5000 characters is refused before sending, naming the field', async () => {
		const run = await sendText('digishare:m', 'x'.repeat(5000));
		expect(run.error?.message).toMatch(/^Text: makes the request \d+ characters long; LivePerson accepts at most 5000 characters$/);
		expect(sends()).toHaveLength(0);
	});

	test('a 200 whose code is not OK (SEND) or whose CONVERSATION item failed: LivePerson’s own message as the error', async () => {
		await sendText('digishare:q', 'Open');
		sandbox.fault({ provider: 'liveperson-msg', method: 'POST', path: /\/send$/, status: 200, body: { reqId: '1', code: 'BAD_REQUEST', body: { msg: 'Bad Request, dialog is in POST_SURVEY' } } });
		const inSend = await sendText('digishare:q', 'Refused inside a 200');
		expect(inSend.error?.message).toBe('LivePerson: Bad Request, dialog is in POST_SURVEY');
		sandbox.fault({
			provider: 'liveperson-msg',
			method: 'POST',
			path: /\/conversation$/,
			status: 200,
			body: [{ reqId: '1', code: 'OK', body: {} }, { reqId: '2', code: 'FORBIDDEN', body: { msg: 'Skill is not allowed' } }],
		});
		const inBatch = await sendText('digishare:r', 'Refused in the batch');
		expect(inBatch.error?.message).toBe('LivePerson: Skill is not allowed');
		expect(sends().filter((request) => JSON.stringify(request.body).includes('Refused in the batch'))).toHaveLength(0);
	});

	test('a 429 is waited for and retried; the message is sent once', async () => {
		await sendText('digishare:n', 'Open');
		sandbox.fault({ provider: 'liveperson-msg', method: 'POST', path: /\/send$/, status: 429, times: 1 });
		const run = await sendText('digishare:n', 'After the 429');
		expect(run.error).toBeUndefined();
		expect(sandbox.liveperson.consumerTextsOf(run.items[0].json.conversationId as string)).toEqual(['Open', 'After the 429']);
	});

	test('a 5xx on SEND is never re-sent (no idempotency key): the error, once', async () => {
		await sendText('digishare:o', 'Open');
		sandbox.fault({ provider: 'liveperson-msg', method: 'POST', path: /\/send$/, status: 503, times: 1 });
		const run = await sendText('digishare:o', 'Not twice');
		expect(run.error?.message).toMatch(/^LivePerson: /);
		expect(sends()).toHaveLength(2);
	});

	test('Continue On Fail: the error goes to the item, the other items are sent', async () => {
		const items = [{ json: { text: 'ok 1' } }, { json: { text: '' } }, { json: { text: 'ok 3' } }];
		const run = await runLivePerson(sandbox, { resource: 'message', operation: 'sendText', consumerId: 'digishare:p', text: '={{ $json.text }}' }, { items, continueOnFail: true });
		expect(run.items.map((item) => item.json.error ?? item.json.status)).toEqual(['sent', 'Text: is required', 'sent']);
	});
});
