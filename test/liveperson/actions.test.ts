/**
 * Every LivePerson operation in n8n's engine against the sandbox (which stands in for the Domain
 * API, sentinel, idp, the messaging host and swift): the exact request LivePerson receives, the
 * items out, the tokens fetched once and reused, LivePerson's errors, and the consumer's
 * conversation remembered so Send needs only a Consumer ID and text.
 */
import type { IDataObject } from 'n8n-workflow';
import { retryPolicy } from '../../nodes/shared/transport';
import { CredentialsStore } from '../harness';
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
