/** LiveChatAI conversations and messages, as the trigger's polls see them → the package's chat event. */
import type { IDataObject } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { chatEvent, type ChatEvent, type ChatSenderType } from '../shared/chat-event';
import { asObject, asString } from '../shared/readers';

export const EVENTS = PROVIDERS.liveChatAi.events;
export type TriggerEvent = (typeof EVENTS)[keyof typeof EVENTS];

function senderType(role: unknown): ChatSenderType | null {
	if (role === 'user') return 'customer';
	if (role === 'assistant') return 'bot';
	if (role === 'agent') return 'agent';
	return role ? 'system' : null;
}

export function contactOf(conversation: IDataObject): ChatEvent['contact'] {
	const contact = asObject(conversation.contact);
	if (!contact) return conversation.contactId ? { id: asString(conversation.contactId), name: null, email: null, phone: null, distinctId: null } : null;
	return {
		id: asString(contact.id),
		name: asString(contact.name),
		email: asString(contact.email),
		phone: asString(contact.phone),
		distinctId: asString(contact.distinctId),
	};
}

export function livechataiEvent(event: TriggerEvent, conversation: IDataObject, message: IDataObject | undefined, at: number): ChatEvent {
	const contact = contactOf(conversation);
	const role = message?.role;
	const agent = asObject(message?.agent);
	const isCustomer = role === 'user';
	const text = message ? asString(message.content) : null;
	// The customer's message is the AI Agent's input (a handoff carries the customer's last one); a close has none.
	const isMessageEvent = isCustomer && event !== EVENTS.conversationClosed;
	return chatEvent({
		provider: PROVIDERS.liveChatAi.id,
		event,
		conversationId: asString(conversation.id),
		messageId: message ? asString(message.id) : null,
		text,
		messageType: message ? asString(message.type) : null,
		sender: message
			? {
					type: senderType(role),
					id: isCustomer ? (contact?.id ?? null) : agent ? asString(agent.id) : null,
					name: isCustomer ? (contact?.name ?? null) : agent ? asString(agent.name) : null,
				}
			: undefined,
		createdAt: new Date(at).toISOString(),
		contact,
		raw: { conversation, ...(message ? { message } : {}) },
		...(isMessageEvent ? { chatInput: text ?? '' } : {}),
	});
}
