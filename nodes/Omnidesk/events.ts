/** Omnidesk hookpoint deliveries → the package's chat event (always an agent's side of the chat). */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { chatEvent, type ChatEvent } from '../shared/chat-event';
import { asString, field } from '../shared/readers';

/** The four hookpoints Omnidesk posts to below the chatServer. */
export const EVENTS = PROVIDERS.omnidesk.events;

export type Hookpoint = keyof typeof EVENTS;

export const HOOKPOINT_NAMES = Object.keys(EVENTS) as Hookpoint[];

function truthy(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	return ['1', 'true', 'yes', 'on'].includes(String(value ?? '').trim().toLowerCase());
}

export function normalize(
	hookpoint: Hookpoint,
	sessionId: string,
	fields: IDataObject,
	binary: INodeExecutionData['binary'],
): ChatEvent {
	const agentName = asString(field(fields, 'name'));
	const base = chatEvent({
		provider: PROVIDERS.omnidesk.id,
		event: EVENTS[hookpoint],
		conversationId: sessionId,
		sender: { type: 'agent', id: null, name: agentName },
		createdAt: new Date().toISOString(),
		raw: fields,
	});
	if (hookpoint === 'messageForCustomer') {
		const text = asString(field(fields, 'message'));
		return { ...base, text, messageType: 'text', chatInput: text ?? '' };
	}
	if (hookpoint === 'uploadForCustomer') {
		const file = binary ? Object.values(binary)[0] : undefined;
		return { ...base, text: file?.fileName ?? null, messageType: 'file' };
	}
	if (hookpoint === 'typingIndicatorForCustomer') {
		return { ...base, messageType: truthy(field(fields, 'Typing')) ? 'typing_started' : 'typing_stopped' };
	}
	return { ...base, messageType: 'session_ended' };
}
