/**
 * Property-based fuzzing of every trigger through n8n's webhook front end (test/harness callWebhook,
 * real HTTP): hostile bodies never make n8n answer 500 and never start an execution; valid
 * deliveries start exactly one item per event with the generated values; LivePerson rejects
 * every forged or altered signature.
 *
 * FUZZ_RUNS (default 1000) is the number of cases per trigger, shared among its properties;
 * FUZZ_SEED fixes the cases (default below, so CI is deterministic); FUZZ_REPORT=1 prints the
 * table of what was tried (`npm run fuzz`: 10,000 per trigger).
 */
import fc from 'fast-check';
import type { INodeParameters } from 'n8n-workflow';
import { DigishareTrigger } from '../../nodes/Digishare/DigishareTrigger.node';
import { LivePersonTrigger } from '../../nodes/LivePerson/LivePersonTrigger.node';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { callWebhook, type WebhookCallResult } from '../harness';
import { credentialTypes as digishareCredentialTypes } from '../digishare/fixtures';
import { LIVEPERSON_CREDENTIAL_REFERENCE, livePersonCredentialTypes } from '../liveperson/fixtures';
import { LIVEPERSON_ACCOUNT_ID, LIVEPERSON_CLIENT_ID, LIVEPERSON_CLIENT_SECRET } from '../sandbox';
import {
	CONVERSATION_CHANGE,
	EVENT_CHOICES,
	MESSAGING,
	attackArguments,
	digishareDelivery,
	encode,
	headersWith,
	livePersonDelivery,
	livePersonHeaders as lpHeaders,
	omnideskDelivery,
	sign,
	signatureAttack,
	signing,
	HOOKPOINTS,
	type EventChoice,
	type Hookpoint,
} from './deliveries';
import { FUZZ_SEED, fuzzRuns, hostileRequest, record, report } from './generators';

const RUNS_PER_TRIGGER = fuzzRuns(1000);
/** A property's share of its trigger's cases (the shares of a trigger add up to 1). */
const runs = (share: number) => Math.max(1, Math.round(RUNS_PER_TRIGGER * share));
const options = (share: number) => ({ seed: FUZZ_SEED, numRuns: runs(share) });
// 10,000 cases per trigger take minutes under `npm run fuzz`.
jest.setTimeout(Math.max(120_000, RUNS_PER_TRIGGER * 200));

afterAll(() => {
	if (process.env.FUZZ_REPORT === '1') process.stdout.write(`\nFuzz report (seed ${FUZZ_SEED}, ${RUNS_PER_TRIGGER} cases per trigger)\n${report()}\n`);
});

type Request = NonNullable<Parameters<typeof callWebhook>[0]['request']>;

/**
 * n8n-core sniffs the type of a file without a known extension with `await import('file-type')`,
 * which jest (CommonJS, no --experimental-vm-modules) cannot run; real n8n can. Such cases are a
 * limit of the test environment, not of the trigger: they are counted apart in the report.
 */
/** What the report counts for a case: an execution started (workflowData returned), a crash. */
function outcomeOf(result: WebhookCallResult): { started: boolean; crashed: boolean } {
	return { started: Boolean(result.items?.length), crashed: result.status >= 500 || Boolean(result.webhookError) || Boolean(result.responseError) };
}

function isJestDynamicImportLimit(result: WebhookCallResult): boolean {
	return (result.webhookError as NodeJS.ErrnoException | undefined)?.code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG';
}

/** What every answer must satisfy, whatever was sent. */
function expectSaneAnswer(result: WebhookCallResult): void {
	expect(result.webhookError).toBeUndefined();
	expect(result.responseError).toBeUndefined();
	expect(result.status).toBeLessThan(500);
	if (result.status !== 200) expect(result.items).toBeUndefined();
	if (result.status >= 400) {
		if (result.request === undefined) {
			// n8n answered itself, webhook() never ran: 422 for JSON it could not parse, 400 for
			// form data it could not parse, as `{code, message}`.
			expect([400, 422]).toContain(result.status);
			expect(result.json).toMatchObject({ code: result.status, message: expect.any(String) });
		} else {
			expect(typeof result.json?.error).toBe('string');
			expect(result.json.error.length).toBeGreaterThan(0);
		}
	}
}

// =============================================================================================
// Digishare
// =============================================================================================

const digishare = new DigishareTrigger();
const DIGISHARE_NODE_ID = '0f3e2d1c-4b5a-4968-8776-a5b4c3d2e1f0';
const DIGISHARE_EVENTS = ['live_chat.new_conversation', 'live_chat.new_message', 'live_chat.conversation_archived'];


async function deliverToDigishare(request: Request) {
	return await callWebhook({
		nodeType: digishare,
		credentialTypes: digishareCredentialTypes,
		node: { id: DIGISHARE_NODE_ID, name: 'Digishare Trigger', parameters: { events: DIGISHARE_EVENTS } as INodeParameters },
		request,
	});
}

describe('Digishare Trigger', () => {
	test('hostile bodies: never a 500, a JSON reason on every 4xx, no execution unless 200', async () => {
		await fc.assert(
			fc.asyncProperty(hostileRequest(digishareDelivery.map((d) => d.payload)), async (sent) => {
				forgetDeliveriesSeenInThisProcess();
				const result = await deliverToDigishare({ method: 'POST', headers: headersWith(sent.contentType), body: sent.body });
				record('Digishare', `hostile bodies (${sent.kind})`, result.status, outcomeOf(result));
				expectSaneAnswer(result);
			}),
			options(0.6),
		);
	});

	test('valid deliveries: 200 and exactly one item with the generated fields', async () => {
		await fc.assert(
			fc.asyncProperty(digishareDelivery, fc.constantFrom('application/json', 'application/json; charset=utf-8'), async ({ payload, expected }, contentType) => {
				forgetDeliveriesSeenInThisProcess();
				const result = await deliverToDigishare({ method: 'POST', headers: headersWith(contentType), body: JSON.stringify(payload) });
				record('Digishare', 'valid deliveries', result.status, outcomeOf(result));
				expect(result.status).toBe(200);
				expect(result.json).toEqual({ received: true });
				expect(result.items).toHaveLength(1);
				expect(result.items![0]).toHaveLength(1);
				expect(result.items![0][0].json).toEqual({ provider: 'digishare', ...expected, raw: payload });
			}),
			options(0.4),
		);
	});
});

// =============================================================================================
// Omnidesk
// =============================================================================================

const omnidesk = new OmnideskTrigger();
const OMNIDESK_WEBHOOK_ID = '7a6b5c4d-3e2f-4109-8a7b-6c5d4e3f2a10';

async function deliverToOmnidesk(hookpoint: Hookpoint, request: Omit<Request, 'path'>) {
	return await callWebhook({
		nodeType: omnidesk,
		node: { name: 'Omnidesk Trigger', webhookId: OMNIDESK_WEBHOOK_ID, parameters: {} },
		request: { ...request, path: `${OMNIDESK_WEBHOOK_ID}/hookpoint/${hookpoint}` },
	});
}


describe('Omnidesk Trigger', () => {
	test('hostile bodies: never a 500, a JSON reason on every 4xx, no execution unless 200', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...HOOKPOINTS), hostileRequest(omnideskDelivery.map((d) => d.fields)), async (hookpoint, sent) => {
				const result = await deliverToOmnidesk(hookpoint, { method: 'POST', headers: headersWith(sent.contentType), body: sent.body });
				if (isJestDynamicImportLimit(result)) return record('Omnidesk', 'skipped: file-type sniffing needs ESM (jest limit)', result.status);
				record('Omnidesk', `hostile bodies (${sent.kind})`, result.status, outcomeOf(result));
				expectSaneAnswer(result);
			}),
			options(0.6),
		);
	});

	test('valid deliveries (JSON, form, multipart): 200 with the answer Omnidesk expects and one item with the generated fields', async () => {
		await fc.assert(
			fc.asyncProperty(omnideskDelivery, async (delivery) => {
				const { body, contentType } = encode(delivery);
				const result = await deliverToOmnidesk(delivery.hookpoint, { method: 'POST', headers: headersWith(contentType), body });
				record('Omnidesk', `valid deliveries (${delivery.encoding})`, result.status, outcomeOf(result));
				expect(result.status).toBe(200);
				if (delivery.hookpoint === 'endSession') expect(result.json).toEqual({ message: 'ok' });
				else expect(result.body).toBe('ok');
				expect(result.items).toHaveLength(1);
				expect(result.items![0]).toHaveLength(1);
				const item = result.items![0][0];
				expect(item.json).toMatchObject({
					provider: 'omnidesk',
					event: delivery.hookpoint,
					conversationId: delivery.expected.conversationId,
					messageId: null,
					text: delivery.expected.text,
					messageType: delivery.expected.messageType,
					sender: { type: 'agent', id: null, name: delivery.expected.name },
				});
				if (delivery.encoding !== 'multipart' || delivery.hookpoint !== 'uploadForCustomer') expect(item.json.raw).toEqual(delivery.fields);
				if (delivery.hookpoint === 'uploadForCustomer') {
					const sentBytes = delivery.file?.data ?? Buffer.from(delivery.fields.file, 'base64');
					expect(Buffer.from(item.binary!.data.data, 'base64').equals(sentBytes)).toBe(true);
				} else {
					expect(item.binary).toBeUndefined();
				}
			}),
			options(0.4),
		);
	});
});

// =============================================================================================
// LivePerson
// =============================================================================================

const livePerson = new LivePersonTrigger();
const LIVEPERSON_NODE_ID = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';

async function deliverToLivePerson(request: Request, selected: EventChoice[] = ['content', 'conversationChange']) {
	return await callWebhook({
		nodeType: livePerson,
		credentialTypes: livePersonCredentialTypes,
		credentials: {
			livePersonApi: {
				lp1: { accountId: LIVEPERSON_ACCOUNT_ID, authMode: 'app', clientId: LIVEPERSON_CLIENT_ID, clientSecret: LIVEPERSON_CLIENT_SECRET, domainApiUrl: 'http://127.0.0.1:9/liveperson' },
			},
		},
		node: { id: LIVEPERSON_NODE_ID, name: 'LivePerson Trigger', parameters: { events: selected } as INodeParameters, credentials: LIVEPERSON_CREDENTIAL_REFERENCE },
		request,
	});
}

describe('LivePerson Trigger', () => {
	test('hostile bodies (mostly correctly signed): never a 500, a JSON reason on every 4xx, no execution unless 200', async () => {
		const validPayload = livePersonDelivery.map((d) => JSON.parse(d.raw) as unknown);
		await fc.assert(
			fc.asyncProperty(hostileRequest(validPayload), signing, fc.integer({ min: 0, max: 9 }), async (sent, [algorithm, encoding], dice) => {
				forgetDeliveriesSeenInThisProcess();
				const signature = dice < 8 ? sign(sent.body, algorithm, encoding) : dice === 8 ? null : 'sha1=AAAA';
				const result = await deliverToLivePerson({ method: 'POST', headers: lpHeaders(sent.contentType, signature), body: sent.body }, [...EVENT_CHOICES]);
				record('LivePerson', `hostile bodies (${sent.kind})`, result.status, outcomeOf(result));
				expectSaneAnswer(result);
				// A wrong or missing signature is refused before the body is looked at (unless n8n itself
				// refused the body first: webhook() never ran).
				if (dice >= 8 && result.request !== undefined) expect([401, 403]).toContain(result.status);
			}),
			options(0.5),
		);
	});

	test('valid notifications with 1–5 changes, signed sha1/sha256 × base64/hex: 200 and one item per selected change', async () => {
		await fc.assert(
			fc.asyncProperty(livePersonDelivery, signing, async (delivery, [algorithm, encoding]) => {
				forgetDeliveriesSeenInThisProcess();
				const result = await deliverToLivePerson({ method: 'POST', headers: lpHeaders('application/json', sign(delivery.raw, algorithm, encoding)), body: delivery.raw }, delivery.selected);
				record('LivePerson', 'valid notifications', result.status, outcomeOf(result));
				expect(result.status).toBe(200);
				if (!delivery.expected.length) {
					expect(result.items).toBeUndefined();
					expect(result.json).toMatchObject({ received: true, skipped: expect.any(String) });
					return;
				}
				expect(result.json).toEqual({ received: true });
				expect(result.items).toHaveLength(1);
				expect(result.items![0]).toHaveLength(delivery.expected.length);
				result.items![0].forEach((item, i) => expect(item.json).toMatchObject({ provider: 'liveperson', consumerId: null, ...delivery.expected[i] }));
			}),
			options(0.3),
		);
	});

	test('forged, missing, wrong-algorithm or altered signatures: 401/403 and no execution', async () => {
		await fc.assert(
			fc.asyncProperty(livePersonDelivery, ...attackArguments, async (delivery, signed, how, n, forgedBytes) => {
				forgetDeliveriesSeenInThisProcess();
				const { body, signature, status } = signatureAttack(delivery, signed, how, n, forgedBytes);
				const result = await deliverToLivePerson({ method: 'POST', headers: lpHeaders('application/json', signature), body }, delivery.selected);
				record('LivePerson', `bad signatures (${how})`, result.status, outcomeOf(result));
				expect(result.status).toBe(status);
				expect(result.items).toBeUndefined();
				expect(result.json.error).toEqual(expect.any(String));
			}),
			options(0.2),
		);
	});
});

// =============================================================================================
// Regressions: shrunk counter-examples the properties found
// =============================================================================================

describe('regressions found by fuzzing', () => {
	test.each([
		['cqm metaDataLastUpdateTs', CONVERSATION_CHANGE, { type: 'UPSERT', result: { convId: 'c1', conversationDetails: { state: 'CLOSE', stage: 'CLOSE', closeReason: 'SYSTEM', metaDataLastUpdateTs: 8640000000000001 } } }],
		['messaging serverTimestamp', MESSAGING, { conversationId: 'c1', sequence: 1, serverTimestamp: 1e21, originatorMetadata: { role: 'ASSIGNED_AGENT' }, event: { type: 'ContentEvent', contentType: 'text/plain', message: 'hi' } }],
	])('LivePerson: a %s beyond what a Date holds → 200 with createdAt null, not a 500', async (_, type, change) => {
		forgetDeliveriesSeenInThisProcess();
		const raw = JSON.stringify({ kind: 'notification', body: { sentTs: 1, changes: [change] }, type });
		const result = await deliverToLivePerson({ method: 'POST', headers: lpHeaders('application/json', sign(raw, 'sha1', 'base64')), body: raw });
		expect(result.webhookError).toBeUndefined();
		expect(result.status).toBe(200);
		expect(result.items![0]).toHaveLength(1);
		expect(result.items![0][0].json.createdAt).toBeNull();
	});
});
