/**
 * What the Digishare Trigger does with a delivery: checks its secret, body and event, filters what
 * the user did not select, drops a redelivery this process saw, and starts one execution.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { deliveryKey, seenInThisProcess } from '../shared/memory/deliveries';
import { firstProblem } from '../shared/validation';
import { acknowledge, emit, reject } from '../shared/webhook/answers';
import { parseJsonRequest, readRequest } from '../shared/webhook/body';
import { webhookCredentials } from '../shared/webhook/credentials';
import { checkStaticSecret, type StaticSecretMode } from '../shared/webhook/secrets';
import { EVENTS, canonicalEvent, isCustomerMessage, messageTypeOf, normalize } from './events';
import { deliveryId } from './memory';
import { conversationArchived, envelope, newConversation, newMessage, recordEvent } from './schemas';

const EVENT_SCHEMAS = {
	[EVENTS.newConversation]: newConversation,
	[EVENTS.newMessage]: newMessage,
	[EVENTS.conversationArchived]: conversationArchived,
	[EVENTS.contactCreated]: recordEvent,
	[EVENTS.contactUpdated]: recordEvent,
	[EVENTS.contactDeleted]: recordEvent,
	[EVENTS.contactTagsChanged]: recordEvent,
	[EVENTS.ticketCreated]: recordEvent,
	[EVENTS.ticketUpdated]: recordEvent,
	[EVENTS.ticketDeleted]: recordEvent,
} as const;

export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const authentication = this.getNodeParameter('authentication', 'none') as StaticSecretMode;
	if (authentication !== 'none') {
		const credentials = await webhookCredentials(this, 'digishareWebhookApi');
		const failure = checkStaticSecret(readRequest(this).headers, authentication, {
			headerName: credentials.headerName as string,
			secret: credentials.secret as string,
			username: credentials.username as string,
		});
		if (failure) return reject(this, failure.startsWith('Missing') ? 401 : 403, failure);
	}

	const parsed = parseJsonRequest(this, 'Digishare');
	if (!parsed.ok) return reject(this, parsed.status, parsed.reason);
	const payload = parsed.request.body as IDataObject;

	const envelopeProblem = firstProblem(envelope, payload);
	if (envelopeProblem) return reject(this, 400, envelopeProblem.message);

	const event = canonicalEvent(String(payload.event));
	const events = this.getNodeParameter('events', []) as string[];
	if (!events.map(canonicalEvent).includes(event)) return acknowledge(`event ${event} is not selected`);

	const schema = EVENT_SCHEMAS[event as keyof typeof EVENT_SCHEMAS];
	const problem = schema ? firstProblem(schema, payload) : undefined;
	if (problem) return reject(this, 400, `Invalid ${event} payload: ${problem.path || 'body'}: ${problem.message}`);

	if (event === EVENTS.newMessage) {
		const message = (payload.data as IDataObject).data as IDataObject;
		if (this.getNodeParameter('customerMessagesOnly', true) && !isCustomerMessage(message)) {
			return acknowledge('not a customer message');
		}
		const messageTypes = this.getNodeParameter('messageTypes', []) as string[];
		const type = messageTypeOf(message);
		if (messageTypes.length && !messageTypes.includes(type ?? '')) {
			return acknowledge(`message type ${type ?? 'unknown'} is not selected`);
		}
	}

	const key = deliveryKey(event, deliveryId(payload), parsed.request.rawBody);
	if (seenInThisProcess(this, key)) return acknowledge('duplicate delivery');
	return await emit(this, [normalize(payload)], key);
}
