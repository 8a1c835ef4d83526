/**
 * What the Digishare nodes remember: which deliveries are the same one (the trigger's redelivery
 * check, shared/memory/deliveries.ts). They keep nothing in the workflow's memory.
 */
import type { IDataObject } from 'n8n-workflow';
import { asObject, asString } from '../shared/readers';
import { EVENTS, canonicalEvent } from './events';

/**
 * Key identifying one delivery for redelivery dedupe. LiveChat payloads carry no event_id:
 * messages and conversations are keyed by their ID, an archive by conversation and time.
 * For other events (a contact updated twice has the same ID) null → the kit hashes the body.
 */
export function deliveryId(payload: IDataObject): string | null {
	const explicit = asString(payload.event_id);
	if (explicit) return explicit;
	const event = canonicalEvent(String(payload.event));
	const data = asObject(payload.data) ?? {};
	if (event === EVENTS.newMessage || event === EVENTS.newConversation) return asString(data.id);
	if (event === EVENTS.conversationArchived) {
		const conversationId = asString(data.conversation_id);
		return conversationId ? `${conversationId}@${asString(data.archived_at) ?? ''}` : null;
	}
	return null;
}
