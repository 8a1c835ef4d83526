/**
 * What the LivePerson nodes remember: which webhook changes are the same one (the trigger's
 * redelivery check), and per workflow the conversation the LivePerson node opened for each
 * consumer, and the consumer of each conversation (read by the trigger).
 */
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import type { ConversationMemory } from '../shared/memory/conversations';
import { deliveryKey } from '../shared/memory/deliveries';
import { deliveryWorkflowData } from '../shared/memory/static-data';
import { readWorkflowData, writeWorkflowData } from '../shared/memory/workflow-data';
import { invalidParameter } from '../shared/parameters';
import { asObject, asString } from '../shared/readers';
import { consumerIdOf } from './actions/common';
import { livePersonCredentials } from './auth';
import { MESSAGING, conversationOf } from './events';

/** Workflow data: consumer ID → the conversation this workflow opened for it. */
export const CONSUMER_CONVERSATIONS: ConversationMemory = {
	dataKey: PROVIDERS.livePerson.memory.consumerConversations,
	size: 1000,
	// LivePerson refuses a SEND into a closed conversation ("Bad Request, Conversation is close"),
	// and into one it does not know ("Dialog not found"): a new one is opened instead.
	isGone: (error) => error instanceof NodeApiError && /conversation is close|dialog not found/i.test(error.message),
};

/** Workflow data: conversation ID → consumer ID, read by the LivePerson Trigger. */
export const CONVERSATION_CONSUMERS_KEY = PROVIDERS.livePerson.memory.conversationConsumers;

/** In tokens mode the ConsumerJWS names the consumer: memory is keyed by the account then. */
export async function memoryKey(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await livePersonCredentials(ctx, itemIndex);
	const consumerId = consumerIdOf(ctx, itemIndex);
	if (credentials.authMode === 'tokens') return `tokens:${credentials.accountId}`;
	if (!consumerId) throw invalidParameter(ctx, itemIndex, 'Consumer ID', 'is required (your stable ID for the end user)');
	return consumerId;
}

/** Remembers which consumer a conversation belongs to, for the trigger (workflow data). */
export function rememberConsumer(ctx: IExecuteFunctions, conversationId: string, consumerId: string): void {
	const stored = readWorkflowData(ctx, CONVERSATION_CONSUMERS_KEY);
	if (asObject(stored)?.[conversationId] === consumerId) return;
	const map: IDataObject = { ...(asObject(stored) ?? {}) };
	delete map[conversationId];
	map[conversationId] = consumerId;
	const keys = Object.keys(map);
	for (const old of keys.slice(0, Math.max(0, keys.length - CONSUMER_CONVERSATIONS.size))) delete map[old];
	writeWorkflowData(ctx, CONVERSATION_CONSUMERS_KEY, map);
}

/** Reads the conversation this consumer was last seen in (for outputs). */
export function conversationConsumer(ctx: IExecuteFunctions, conversationId: string): string | undefined {
	const map = readWorkflowData(ctx, CONVERSATION_CONSUMERS_KEY) as IDataObject | undefined;
	const value = map?.[conversationId];
	return typeof value === 'string' ? value : undefined;
}

/** Conversation ID → consumer ID, as the trigger's webhook reads them. */
export function conversationConsumers(ctx: IWebhookFunctions): IDataObject {
	return (asObject(deliveryWorkflowData(ctx)[CONVERSATION_CONSUMERS_KEY]) ?? {}) as IDataObject;
}

/** Dedupe key of one change: conversation + sequence, or conversation + last update time. */
export function changeKey(type: string, change: IDataObject, rawBody: Buffer): string | undefined {
	if (type === MESSAGING) {
		const conversationId = conversationOf(change);
		const sequence = change.sequence;
		// Chat-state changes have no sequence: never deduplicated (a repeat is harmless).
		return conversationId && typeof sequence === 'number' ? deliveryKey('message', `${conversationId}:${sequence}`, rawBody) : undefined;
	}
	const result = asObject(change.result) ?? {};
	const details = asObject(result.conversationDetails) ?? {};
	const convId = asString(result.convId);
	const updated = details.metaDataLastUpdateTs;
	// The change type too: a DELETE may carry the last UPSERT's update time.
	return convId && updated !== undefined ? deliveryKey('conversation', `${convId}:${String(updated)}:${asString(change.type) ?? ''}`, rawBody) : undefined;
}
