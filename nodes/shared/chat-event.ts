/** The one normalized chat event every trigger of the package emits, whatever the provider. */
import type { IDataObject } from 'n8n-workflow';

/** Which side of the conversation produced an event. */
export type ChatSenderType = 'customer' | 'agent' | 'bot' | 'system';

export interface ChatSender {
	type: ChatSenderType | null;
	id: string | null;
	name: string | null;
}

export interface ChatContact {
	id: string | null;
	name: string | null;
	email: string | null;
	phone: string | null;
	distinctId: string | null;
}

export interface ChatEvent {
	/** The provider's registry ID (nodes/providers.ts). */
	provider: string;
	event: string;
	conversationId: string | null;
	messageId: string | null;
	text: string | null;
	messageType: string | null;
	sender: ChatSender;
	createdAt: string | null;
	raw: IDataObject;
	/** LiveChatAI: the conversation's contact as LiveChatAI lists it. */
	contact?: ChatContact | null;
	/** LivePerson: the Consumer ID this workflow's LivePerson node opened the conversation for. */
	consumerId?: string | null;
	/**
	 * `<provider>:<conversationId>`, for n8n's AI memory nodes (their default session key): one per
	 * conversation and provider. Absent when the event belongs to no conversation.
	 */
	sessionId?: string;
	/** The message's text, for n8n's AI Agent (its default prompt): present on message events only. */
	chatInput?: string;
}

export const NO_SENDER: ChatSender = { type: null, id: null, name: null };

/** The session of a provider's conversation, as n8n's AI memory nodes read it (`sessionId`). */
export function sessionIdOf(provider: string, conversationId: string | null): string | undefined {
	return conversationId ? `${provider}:${conversationId}` : undefined;
}

/**
 * An event with what it knows; every field it does not know is null. `sessionId` follows from the
 * provider and conversation; `chatInput` is given for message events only (their text, or '').
 */
export function chatEvent(
	fields: Pick<ChatEvent, 'provider' | 'event' | 'raw'> & Partial<Omit<ChatEvent, 'provider' | 'event' | 'raw' | 'sessionId'>>,
): ChatEvent {
	const { provider, event, raw, contact, consumerId, chatInput, ...known } = fields;
	const sessionId = sessionIdOf(provider, known.conversationId ?? null);
	return {
		provider,
		event,
		conversationId: known.conversationId ?? null,
		messageId: known.messageId ?? null,
		text: known.text ?? null,
		messageType: known.messageType ?? null,
		sender: known.sender ?? { ...NO_SENDER },
		createdAt: known.createdAt ?? null,
		raw,
		...(contact !== undefined ? { contact } : {}),
		...(consumerId !== undefined ? { consumerId } : {}),
		...(sessionId !== undefined ? { sessionId } : {}),
		...(chatInput !== undefined ? { chatInput } : {}),
	};
}
