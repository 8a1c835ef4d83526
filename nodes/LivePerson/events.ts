/** LivePerson webhook changes → the package's chat event (one per entry of `changes[]`). */
import type { IDataObject } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { chatEvent, type ChatEvent, type ChatSenderType } from '../shared/chat-event';
import { asObject, asString } from '../shared/readers';

/** The event types a Connector App subscribes to (the manifest's names). */
export const EVENT_TYPES = PROVIDERS.livePerson.events;

export const MESSAGING = 'ms.MessagingEventNotification';
export const CONVERSATION_CHANGE = EVENT_TYPES.conversationChange;

function senderType(role: string | null): ChatSenderType | null {
	if (!role) return null;
	if (role === 'CONSUMER') return 'customer';
	if (role === 'CONTROLLER' || role === 'SYSTEM') return 'system';
	return 'agent';
}

function isoTime(value: unknown): string | null {
	const ms = typeof value === 'number' ? value : Number(value);
	// Beyond ±8.64e15 ms a Date is invalid and toISOString() throws.
	return Number.isFinite(ms) && ms > 0 && ms <= 8.64e15 ? new Date(ms).toISOString() : null;
}

/** A messaging change's conversation (older payloads carry only `dialogId`). */
export function conversationOf(change: IDataObject): string | null {
	return asString(change.conversationId) ?? asString(change.dialogId);
}

export function normalizeMessagingChange(change: IDataObject): ChatEvent {
	const event = asObject(change.event) ?? {};
	const type = asString(event.type) ?? 'unknown';
	const metadata = asObject(change.originatorMetadata);
	const role = asString(metadata?.role);
	const conversationId = conversationOf(change);
	const sequence = change.sequence;
	const base = chatEvent({
		provider: PROVIDERS.livePerson.id,
		event: `${MESSAGING}.${type}`,
		conversationId,
		messageId: conversationId && typeof sequence === 'number' ? `${conversationId}:${sequence}` : null,
		sender: { type: senderType(role), id: asString(change.originatorId) ?? asString(metadata?.id), name: null },
		createdAt: isoTime(change.serverTimestamp),
		raw: change,
	});
	if (type === 'ContentEvent') {
		const contentType = asString(event.contentType);
		if (contentType === 'hosted/file') {
			const file = asObject(event.message) ?? {};
			const caption = asString(file.caption);
			return { ...base, text: caption, messageType: 'file', chatInput: caption ?? '' };
		}
		const text = asString(event.message);
		return { ...base, text, messageType: 'text', chatInput: text ?? '' };
	}
	if (type === 'RichContentEvent') return { ...base, messageType: 'rich_content' };
	if (type === 'AcceptStatusEvent') return { ...base, text: asString(event.status), messageType: 'receipt' };
	if (type === 'ChatStateEvent') {
		const state = asString(event.chatState);
		const messageType = state === 'COMPOSING' ? 'typing_started' : state === 'PAUSE' ? 'typing_stopped' : `chat_state_${(state ?? 'unknown').toLowerCase()}`;
		return { ...base, text: state, messageType };
	}
	return base;
}

export function normalizeConversationChange(change: IDataObject): ChatEvent {
	const result = asObject(change.result) ?? {};
	const details = asObject(result.conversationDetails) ?? {};
	const closed = asString(details.state) === 'CLOSE' || asString(details.stage) === 'CLOSE';
	return chatEvent({
		provider: PROVIDERS.livePerson.id,
		event: CONVERSATION_CHANGE,
		conversationId: asString(result.convId),
		// For a closed conversation: who closed it (closeReason, e.g. AGENT, CONSUMER, SYSTEM).
		text: closed ? asString(details.closeReason) : null,
		messageType: closed ? 'conversation_closed' : 'conversation_changed',
		createdAt: isoTime(details.metaDataLastUpdateTs),
		raw: change,
	});
}
