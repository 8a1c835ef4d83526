/**
 * What the LivePerson Trigger does with a delivery: checks its signature (over the raw bytes) and
 * account, reads `changes[]`, keeps the selected ones (no consumer echoes, internal notes or other
 * workflows' conversations when so set), drops redeliveries this process saw, and starts one
 * execution with one item per change.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { ChatEvent } from '../shared/chat-event';
import { seenInThisProcess } from '../shared/memory/deliveries';
import { asObject, asString } from '../shared/readers';
import { acknowledge, emit, reject } from '../shared/webhook/answers';
import { firstHeader, parseJsonRequest, readRequest } from '../shared/webhook/body';
import { webhookCredentials } from '../shared/webhook/credentials';
import { checkBodySignature, safeEqual } from '../shared/webhook/secrets';
import type { LivePersonCredentials } from './auth';
import { CONVERSATION_CHANGE, EVENT_TYPES, MESSAGING, normalizeConversationChange, normalizeMessagingChange } from './events';
import { changeKey, conversationConsumers } from './memory';

type EventChoice = keyof typeof EVENT_TYPES;

export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const credentials = (await webhookCredentials(this, 'livePersonApi')) as unknown as LivePersonCredentials;
	const secret = String((credentials.authMode === 'tokens' ? credentials.webhookSecret : credentials.clientSecret) ?? '');
	const parsed = parseJsonRequest(this, 'LivePerson');
	const { headers, rawBody } = readRequest(this);
	// The signature covers the raw bytes: checked before anything is read from the body.
	const signature = checkBodySignature(firstHeader(headers, 'x-liveperson-signature'), rawBody, secret, ['sha1', 'sha256']);
	if (signature) {
		// n8n keeps no raw bytes of a multipart body, so its signature can never match: say why.
		const why = !parsed.ok && parsed.wrongType ? ` (${parsed.reason})` : '';
		return reject(this, signature.missing ? 401 : 403, `${signature.reason}${why}`);
	}
	const account = firstHeader(headers, 'x-liveperson-account-id');
	if (!account) return reject(this, 401, 'Missing x-liveperson-account-id');
	if (!safeEqual(account, String(credentials.accountId ?? ''))) return reject(this, 403, 'The delivery is for another LivePerson account');
	const client = firstHeader(headers, 'x-liveperson-client-id');
	if (client && credentials.authMode === 'app' && credentials.clientId && !safeEqual(client, credentials.clientId)) {
		return reject(this, 403, 'The delivery is for another Connector App');
	}
	if (!parsed.ok) return reject(this, parsed.status, parsed.reason);

	const payload = asObject(parsed.request.body) ?? {};
	const type = asString(payload.type);
	const changes = asObject(payload.body)?.changes;
	if (type !== MESSAGING && type !== CONVERSATION_CHANGE) return reject(this, 400, `Unknown notification type "${type ?? ''}"`);
	if (!Array.isArray(changes)) return reject(this, 400, 'Missing body.changes');

	const selected = (this.getNodeParameter('events', []) as EventChoice[]).map((choice) => EVENT_TYPES[choice]);
	const skipConsumer = this.getNodeParameter('skipConsumerEvents', true) as boolean;
	const skipNotes = this.getNodeParameter('skipInternalNotes', true) as boolean;
	const onlyOwn = this.getNodeParameter('onlyOwnConversations', false) as boolean;
	const consumers = conversationConsumers(this);

	const events: ChatEvent[] = [];
	const keys: Array<string | undefined> = [];
	for (const entry of changes) {
		const change = asObject(entry);
		if (!change) continue;
		const event = type === MESSAGING ? normalizeMessagingChange(change) : normalizeConversationChange(change);
		if (!selected.includes(event.event as (typeof EVENT_TYPES)[EventChoice])) continue;
		if (skipConsumer && event.sender.type === 'customer') continue;
		if (skipNotes && change.messageAudience === 'AGENTS_AND_MANAGERS') continue;
		const consumerId = event.conversationId ? asString(consumers[event.conversationId]) : null;
		if (onlyOwn && !consumerId) continue;
		const key = changeKey(type, change, parsed.request.rawBody);
		if (key && seenInThisProcess(this, key)) continue;
		events.push({ ...event, consumerId });
		keys.push(key);
	}
	if (!events.length) return acknowledge(changes.length ? 'no selected change, or only duplicates' : 'no changes');
	return await emit(this, events, keys);
}
