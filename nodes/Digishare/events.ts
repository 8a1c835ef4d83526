/**
 * Digishare webhook payloads → the package's chat event, plus the rules that tell a
 * customer's message from an agent's, a bot's or an echo of our own reply (provider doc §5.9).
 */
import type { IDataObject } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { chatEvent, type ChatEvent, type ChatSenderType } from '../shared/chat-event';
import { asObject, asString } from '../shared/readers';

export const EVENTS = PROVIDERS.digishare.events;

/** The contact-created page names the event `third_party.contact_created`; the overview `third.created`. */
export const EVENT_ALIASES: Record<string, string> = {
	'third_party.contact_created': 'third.created',
};

export function canonicalEvent(event: string): string {
	return Object.prototype.hasOwnProperty.call(EVENT_ALIASES, event) ? EVENT_ALIASES[event] : event;
}

/** Digishare sends booleans, but 0/1 and "true"/"false" appear in samples too. */
export function truthy(value: unknown): boolean {
	return value === true || value === 1 || value === '1' || value === 'true';
}

function messageText(type: string | null, body: unknown): string | null {
	if (typeof body === 'string') return body;
	const object = asObject(body);
	if (!object) return null;
	const reply = asObject(object.button_reply) ?? asObject(object.list_reply);
	if (reply) return asString(reply.title) ?? asString(reply.id);
	if (type === 'location') return asString(object.name) ?? asString(object.address);
	const text = asObject(object.body) ?? asObject(asObject(asObject(object.msg)?.content)?.body);
	return asString(text?.text) ?? asString(object.text);
}

function senderOf(message: IDataObject): ChatEvent['sender'] {
	const sender = asObject(message.sender);
	const modelType = asString(sender?.model_type);
	let type: ChatSenderType | null;
	if (modelType === 'third') type = 'customer';
	else if (modelType === 'user') type = 'agent';
	else if (modelType === 'system') type = 'system';
	else if (truthy(message.system)) type = 'bot';
	else if (message.send_to_third !== undefined) type = truthy(message.send_to_third) ? 'agent' : 'customer';
	else type = null;
	return {
		type,
		id: asString(sender?.model_id) ?? asString(sender?.id),
		name: asString(sender?.name),
	};
}

/** True when a new_message comes from the customer (not an agent, a bot, or an echo of a reply). */
export function isCustomerMessage(message: IDataObject): boolean {
	if (truthy(message.send_to_third)) return false;
	if (truthy(message.system)) return false;
	const modelType = asString(asObject(message.sender)?.model_type);
	return modelType === null || modelType === 'third';
}

/** The message type of a new_message (`text` when the body is a plain string and no type is sent). */
export function messageTypeOf(message: IDataObject): string | null {
	return asString(message.type) ?? (typeof message.body === 'string' ? 'text' : null);
}

export function normalize(payload: IDataObject): ChatEvent {
	const event = canonicalEvent(String(payload.event));
	const data = asObject(payload.data) ?? {};
	const inner = asObject(data.data) ?? {};
	const common = {
		provider: PROVIDERS.digishare.id,
		event,
		createdAt: asString(inner.created_at) ?? asString(data.created_at),
		raw: payload,
	};

	if (event === EVENTS.newConversation) {
		const third = asObject(inner.third);
		return chatEvent({
			...common,
			conversationId: asString(data.id),
			sender: { type: 'customer', id: asString(third?.id), name: asString(third?.name) },
		});
	}
	if (event === EVENTS.newMessage) {
		const messageType = messageTypeOf(inner);
		const text = messageText(messageType, inner.body);
		return chatEvent({
			...common,
			conversationId: asString(inner.conversation_id),
			messageId: asString(data.id),
			text,
			messageType,
			sender: senderOf(inner),
			chatInput: text ?? '',
		});
	}
	if (event === EVENTS.conversationArchived) {
		const archivedBy = asObject(data.archived_by);
		const byType = asString(archivedBy?.type);
		return chatEvent({
			...common,
			conversationId: asString(data.conversation_id),
			createdAt: asString(data.archived_at),
			sender: {
				type: byType === 'user' ? 'agent' : byType ? 'system' : null,
				id: asString(archivedBy?.id),
				name: null,
			},
		});
	}
	// Contact (third.*) and ticket (ticket.*) events: no conversation; keep the record ID.
	return chatEvent({ ...common, messageId: asString(data.id) ?? asString(inner.id) });
}
