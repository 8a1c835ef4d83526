/**
 * What the LiveChatAI nodes remember: which LiveChatAI conversation each Conversation Key of Send
 * Message continues, and the messages the node posted, so the LiveChatAI Trigger skips them and a
 * workflow never answers itself. (The trigger's poll state is its own: trigger.ts.)
 */
import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import type { ConversationMemory } from '../shared/memory/conversations';
import { ownMessages, recordOwnMessages } from '../shared/memory/own-messages';

export const { conversations: CONVERSATION_MAP_KEY, ownMessages: OWN_MESSAGES_KEY } = PROVIDERS.liveChatAi.memory;

/** How many conversation keys are remembered (oldest forgotten first). */
export const CONVERSATION_MAP_SIZE = 1000;

export const CONVERSATIONS: ConversationMemory = {
	dataKey: CONVERSATION_MAP_KEY,
	size: CONVERSATION_MAP_SIZE,
	// LiveChatAI answers 404 for a conversation it no longer has.
	isGone: (error) => error instanceof NodeApiError && String(error.httpCode) === '404',
};

/** Remembers messages this workflow's LiveChatAI node posted. */
export function recordOwn(ctx: IExecuteFunctions, ids: Array<string | null | undefined>): void {
	recordOwnMessages(ctx, OWN_MESSAGES_KEY, ids);
}

/** The messages the trigger treats as this workflow's own. */
export function ownMessageIds(ctx: IPollFunctions): Set<string> {
	return ownMessages(ctx, OWN_MESSAGES_KEY);
}
