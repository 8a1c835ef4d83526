/**
 * Conversation keys → provider conversation IDs (LiveChatAI Conversation Keys, LivePerson
 * consumers): "continue the provider conversation this key started, or start one".
 *
 * Where a key's ID is looked up, in order:
 * 1. the workflow's data (workflow-data.ts);
 * 2. this process's memory of the IDs it got (it knows them before n8n has saved the first);
 * 3. a start under way in this process: an execution that finds the key being started by another
 *    one waits for that provider call and continues its conversation, so messages of one
 *    conversation arriving together start one provider conversation per n8n process (in queue
 *    mode, per worker), whatever the concurrency.
 * A new ID is written to the workflow data only when it changes. When the provider no longer has
 * the remembered conversation (`isGone`), a new one is started and remembered instead.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { readWorkflowData, writeWorkflowData } from './workflow-data';

export interface ConversationMemory {
	/** Key of the map in the workflow's data, e.g. `liveChatAiConversations`. */
	dataKey: string;
	/** How many keys the workflow data keeps (oldest forgotten first). */
	size: number;
	/** Whether an error of `send` means the remembered conversation no longer exists (start a new one). */
	isGone?: (error: unknown) => boolean;
}

const known = new Map<string, string>();
const starting = new Map<string, Promise<string | undefined>>();
const MAX_KNOWN = 5000;

function processKey(ctx: IExecuteFunctions, memory: ConversationMemory, key: string): string {
	return `${ctx.getWorkflow().id ?? ''}\u0000${memory.dataKey}\u0000${key}`;
}

function fromWorkflowData(ctx: IExecuteFunctions, memory: ConversationMemory, key: string): string | undefined {
	const map = readWorkflowData(ctx, memory.dataKey);
	const id = map && typeof map === 'object' ? (map as IDataObject)[key] : undefined;
	return typeof id === 'string' && id ? id : undefined;
}

/** The conversation remembered for `key` (workflow data, else this process's memory), if any. */
export function rememberedConversation(ctx: IExecuteFunctions, memory: ConversationMemory, key: string): string | undefined {
	return fromWorkflowData(ctx, memory, key) ?? known.get(processKey(ctx, memory, key));
}

/** Remembers `id` for `key` (a conversation opened outside `inConversation`). */
export function rememberConversation(ctx: IExecuteFunctions, memory: ConversationMemory, key: string, id: string): void {
	remember(ctx, memory, key, id);
}

function remember(ctx: IExecuteFunctions, memory: ConversationMemory, key: string, id: string): void {
	const scoped = processKey(ctx, memory, key);
	known.delete(scoped);
	known.set(scoped, id);
	for (const oldest of known.keys()) {
		if (known.size <= MAX_KNOWN) break;
		known.delete(oldest);
	}
	if (fromWorkflowData(ctx, memory, key) === id) return;
	const stored = readWorkflowData(ctx, memory.dataKey);
	const map: IDataObject = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as IDataObject) } : {};
	delete map[key];
	map[key] = id;
	const keys = Object.keys(map);
	for (const old of keys.slice(0, Math.max(0, keys.length - memory.size))) delete map[old];
	writeWorkflowData(ctx, memory.dataKey, map);
}

/** For tests: what a fresh n8n process knows — nothing. */
export function forgetConversationsInThisProcess(): void {
	known.clear();
}

/**
 * Runs `send` with the conversation ID remembered for `key` (undefined: none yet, `send` starts
 * one) and remembers the ID `send` reports. Returns what `send` returned.
 */
export async function inConversation<T>(
	ctx: IExecuteFunctions,
	memory: ConversationMemory,
	key: string,
	send: (conversationId: string | undefined) => Promise<{ result: T; conversationId: string | undefined }>,
): Promise<T> {
	const scoped = processKey(ctx, memory, key);
	let id = rememberedConversation(ctx, memory, key);
	if (!id && starting.has(scoped)) id = await starting.get(scoped);
	if (id) {
		// `send` fails with the provider's NodeApiError; only "gone" is handled here.
		const outcome = await send(id).then(
			(sent) => ({ sent }),
			(error: unknown) => ({ error }),
		);
		if ('sent' in outcome) {
			if (outcome.sent.conversationId) remember(ctx, memory, key, outcome.sent.conversationId);
			return outcome.sent.result;
		}
		if (!memory.isGone?.(outcome.error)) throw outcome.error;
		known.delete(scoped); // the provider lost it (closed, deleted): start a new one below
	}

	let settle: (value: string | undefined) => void = () => undefined;
	let started: string | undefined;
	starting.set(scoped, new Promise((resolve) => (settle = resolve)));
	try {
		const { result, conversationId } = await send(undefined);
		started = conversationId;
		if (conversationId) remember(ctx, memory, key, conversationId);
		return result;
	} finally {
		// Waiting executions continue this conversation, or (it failed) start their own.
		settle(started);
		starting.delete(scoped);
	}
}
