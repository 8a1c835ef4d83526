/**
 * LiveChatAI has no webhooks (livechatai.md §7): the trigger polls `GET /conversations` (newest
 * activity first) and reads `GET /conversations/{id}` only for conversations whose last message
 * changed since the previous poll.
 *
 * State (n8n's poll state, shared/memory/static-data.ts `pollState`):
 * - `cursor`: the newest `lastMessageDate` seen (LiveChatAI's clock only, never n8n's);
 * - `base`: that value at the first poll (everything up to it is history, never emitted);
 * - `conversations`: per conversation its last `lastMessageDate`, isAgent, isResolved and the IDs
 *   of its messages of the last SKEW_MS already handled (bounded to the most recently active ones).
 * Each poll looks at every conversation active since `cursor - SKEW_MS` (paging while a whole page
 * is that recent), so timestamps that are equal or arrive slightly out of order are not lost, and
 * message IDs make sure nothing is emitted twice.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ChatEvent } from '../shared/chat-event';
import { carryFromPoll } from '../shared/memory/carried';
import { resumeWaiting } from '../shared/webhook/resume';
import { pollState } from '../shared/memory/static-data';
import { asObject } from '../shared/readers';
import { liveChatAiRequest } from './api';
import { EVENTS, livechataiEvent, type TriggerEvent } from './events';
import { ownMessageIds } from './memory';

/** Out-of-order tolerance: activity up to this much older than the cursor is still looked at. */
export const SKEW_MS = 5 * 60_000;
/** Conversations per list page (LiveChatAI's maximum). */
export const PAGE_SIZE = 100;
/** Conversations the state remembers (the most recently active). */
export const REMEMBERED_CONVERSATIONS = 500;
/** Message IDs remembered per conversation (those within SKEW_MS of its last message). */
const REMEMBERED_IDS = 100;
/** Conversations the manual "Fetch Test Event" opens at most to find an event. */
const MANUAL_LOOKUPS = 5;

interface Remembered {
	/** lastMessageDate, ms */
	l: number;
	a: boolean;
	r: boolean;
	/** IDs of its messages handled (undefined: learned at the first poll, its messages are history) */
	ids?: string[];
}

export interface PollStateData {
	v?: number;
	cursor?: number;
	base?: number;
	conversations?: Record<string, Remembered>;
}

export interface PollSettings {
	agentId: string;
	events: TriggerEvent[];
	/** integration types to keep (empty: all) */
	channels: string[];
	/** `type` filter of the list (all, unassigned, your-inbox) */
	inbox: string;
	includeOwnMessages: boolean;
	own: Set<string>;
}

export interface LiveChatAiReader {
	list(page: number, perPage: number): Promise<{ conversations: IDataObject[]; totalPages: number }>;
	retrieve(conversationId: string): Promise<IDataObject>;
}

function time(value: unknown): number {
	const ms = typeof value === 'string' || typeof value === 'number' ? Date.parse(String(value)) : NaN;
	return Number.isFinite(ms) ? ms : 0;
}

function messagesOf(conversation: IDataObject): IDataObject[] {
	const messages = Array.isArray(conversation.messages) ? (conversation.messages as IDataObject[]) : [];
	// oldest first; equal times keep LiveChatAI's order
	return messages
		.map((message, index) => ({ message, index }))
		.sort((a, b) => time(a.message.createdAt) - time(b.message.createdAt) || a.index - b.index)
		.map(({ message }) => message);
}

interface Pending {
	at: number;
	order: number;
	event: ChatEvent;
}

function lastCustomerMessage(messages: IDataObject[]): IDataObject | undefined {
	return [...messages].reverse().find((message) => message.role === 'user');
}

/** The events of one conversation given what was known of it (`known`), in time order. */
function eventsOf(
	listed: IDataObject,
	details: IDataObject | undefined,
	known: Remembered | undefined,
	floor: number,
	settings: PollSettings,
	isNew: boolean,
): { events: Pending[]; handledIds: string[] } {
	const conversation: IDataObject = details ? { ...listed, ...details, contact: listed.contact ?? details.contact } : listed;
	const messages = details ? messagesOf(details) : [];
	const isOwn = (message: IDataObject) => !settings.includeOwnMessages && settings.own.has(String(message.id));
	const fresh = messages.filter((message) => {
		const at = time(message.createdAt);
		const id = String(message.id);
		if (known) {
			if (at > known.l) return !known.ids?.includes(id);
			return known.ids !== undefined && at > known.l - SKEW_MS && !known.ids.includes(id);
		}
		return at > floor;
	});
	const events: Pending[] = [];
	let order = 0;
	const push = (event: TriggerEvent, message: IDataObject | undefined, at: number) =>
		events.push({ at, order: order++, event: livechataiEvent(event, conversation, message, at) });

	if (isNew && (!messages.length || !isOwn(messages[0]))) push(EVENTS.newConversation, messages[0], time(conversation.createdAt));
	for (const message of fresh) {
		if (message.role === 'user' && !isOwn(message)) push(EVENTS.newCustomerMessage, message, time(message.createdAt));
	}
	const lastActivity = Math.max(time(conversation.lastMessageDate), time(conversation.updatedAt));
	const turnedToHuman = conversation.isAgent === true && (known ? !known.a : isNew);
	// A reply this workflow's node posted turns the conversation to a human too: not a handoff request.
	const ownReply = fresh.some((message) => message.role !== 'user' && message.role !== 'assistant' && settings.own.has(String(message.id)));
	if (turnedToHuman && !ownReply) push(EVENTS.humanRequested, lastCustomerMessage(messages), lastActivity);
	if (conversation.isResolved === true && known && !known.r) push(EVENTS.conversationClosed, undefined, lastActivity);

	const last = time(listed.lastMessageDate);
	const handledIds = messages.filter((message) => time(message.createdAt) > last - SKEW_MS).map((message) => String(message.id));
	return { events, handledIds: handledIds.slice(-REMEMBERED_IDS) };
}

function keep(settings: PollSettings, conversation: IDataObject): boolean {
	return !settings.channels.length || settings.channels.includes(String(conversation.integrationType ?? ''));
}

function remember(state: PollStateData, id: string, value: Remembered): void {
	const map = state.conversations ?? (state.conversations = {});
	map[id] = value;
	const ids = Object.keys(map);
	if (ids.length <= REMEMBERED_CONVERSATIONS) return;
	ids.sort((a, b) => map[b].l - map[a].l);
	for (const old of ids.slice(REMEMBERED_CONVERSATIONS)) delete map[old];
}

/**
 * One poll. Changes `state` in place; returns the events to emit, oldest first (none at the first
 * poll: it only records where "now" is).
 */
export async function poll(state: PollStateData, settings: PollSettings, api: LiveChatAiReader): Promise<ChatEvent[]> {
	if (state.v !== 1) {
		const { conversations } = await api.list(1, PAGE_SIZE);
		state.v = 1;
		state.conversations = {};
		let newest = 0;
		for (const conversation of conversations) {
			const l = time(conversation.lastMessageDate);
			newest = Math.max(newest, l);
			remember(state, String(conversation.id), { l, a: conversation.isAgent === true, r: conversation.isResolved === true });
		}
		state.cursor = state.base = newest;
		return [];
	}

	const cursor = state.cursor ?? 0;
	const base = state.base ?? 0;
	const stopAt = cursor - SKEW_MS;
	// A conversation this state does not know: messages older than this were looked at before.
	const floor = Math.max(base, stopAt);
	const listed: IDataObject[] = [];
	const seenIds = new Set<string>();
	for (let page = 1; ; page++) {
		const { conversations, totalPages } = await api.list(page, PAGE_SIZE);
		for (const conversation of conversations) {
			// A conversation that moved up while paging comes twice: the first (newer) copy counts.
			if (seenIds.has(String(conversation.id))) continue;
			seenIds.add(String(conversation.id));
			listed.push(conversation);
		}
		const oldest = conversations.length ? time(conversations[conversations.length - 1].lastMessageDate) : -Infinity;
		if (!conversations.length || page >= totalPages || oldest < stopAt) break;
	}

	const pending: Pending[] = [];
	let newest = cursor;
	for (const conversation of listed) {
		const id = String(conversation.id);
		const l = time(conversation.lastMessageDate);
		newest = Math.max(newest, l);
		const known = state.conversations?.[id];
		const recent = l >= stopAt;
		const changed = recent && (!known || known.l !== l);
		const flipped = known !== undefined && ((conversation.isAgent === true && !known.a) || (conversation.isResolved === true && !known.r));
		if (!changed && !flipped) {
			if (known && (known.a !== (conversation.isAgent === true) || known.r !== (conversation.isResolved === true))) {
				remember(state, id, { ...known, a: conversation.isAgent === true, r: conversation.isResolved === true });
			}
			continue;
		}
		if (!known && l <= floor) continue; // history of a conversation this state never knew
		const isNew = !known && time(conversation.createdAt) > floor;
		// Details (the messages) only for a new last message, and for a handoff (its history).
		const needsDetails = changed || (flipped && conversation.isAgent === true && !known?.a);
		const details = needsDetails ? await api.retrieve(id) : undefined;
		const { events, handledIds } = eventsOf(conversation, details, known, floor, settings, isNew);
		if (keep(settings, { ...conversation, ...(details ?? {}) })) pending.push(...events);
		const keptIds = changed ? handledIds : known?.ids;
		remember(state, id, {
			l: changed ? l : (known?.l ?? l),
			a: conversation.isAgent === true,
			r: conversation.isResolved === true,
			...(keptIds ? { ids: keptIds } : {}),
		});
	}
	state.cursor = newest;
	const selected = new Set<string>(settings.events);
	return pending
		.filter((item) => selected.has(item.event.event))
		.sort((a, b) => a.at - b.at || a.order - b.order)
		.map((item) => item.event);
}

/** "Fetch Test Event": the latest real event matching the settings, from the newest conversations. State is not touched. */
export async function latestEvent(settings: PollSettings, api: LiveChatAiReader): Promise<ChatEvent | undefined> {
	const { conversations } = await api.list(1, 20);
	let lookups = 0;
	for (const conversation of conversations) {
		if (!keep(settings, conversation)) continue;
		if (lookups++ >= MANUAL_LOOKUPS) break;
		const details = await api.retrieve(String(conversation.id));
		const { events } = eventsOf(conversation, details, undefined, -Infinity, settings, true);
		const closed = conversation.isResolved === true ? [{ at: time(conversation.updatedAt), order: 99, event: livechataiEvent(EVENTS.conversationClosed, { ...conversation, ...details }, undefined, time(conversation.updatedAt)) }] : [];
		const matching = [...events, ...closed]
			.filter((item) => settings.events.includes(item.event.event as TriggerEvent))
			.sort((a, b) => b.at - a.at || b.order - a.order);
		if (matching.length) return matching[0].event;
	}
	return undefined;
}

/** The reader over the shared transport, for one poll. */
function readerFor(ctx: IPollFunctions, settings: Pick<PollSettings, 'agentId' | 'inbox'>): LiveChatAiReader {
	const get = async (path: string, qs?: IDataObject) => await liveChatAiRequest.call(ctx, { method: 'GET', path, qs });
	return {
		async list(page, perPage) {
			const qs: IDataObject = { agentId: settings.agentId, sort: 'desc', page, perPage };
			if (settings.inbox && settings.inbox !== 'all') qs.type = settings.inbox;
			const body = await get('/conversations', qs);
			const data = asObject(body.data) ?? {};
			const meta = asObject(data.meta) ?? {};
			return {
				conversations: Array.isArray(data.conversations) ? (data.conversations as IDataObject[]) : [],
				totalPages: Number(meta.totalPages ?? 0),
			};
		},
		async retrieve(conversationId) {
			const body = await get(`/conversations/${encodeURIComponent(conversationId)}`);
			return asObject(body.data) ?? {};
		},
	};
}

function settingsOf(ctx: IPollFunctions): PollSettings {
	const agentId = String(ctx.getNodeParameter('agentId', '', { extractValue: true }) ?? '').trim();
	if (!agentId) throw new NodeOperationError(ctx.getNode(), 'Agent: choose a LiveChatAI agent (from the list or by ID)');
	const events = ctx.getNodeParameter('events', []) as TriggerEvent[];
	if (!events.length) throw new NodeOperationError(ctx.getNode(), 'Events: choose at least one event');
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		agentId,
		events,
		channels: Array.isArray(filters.channels) ? (filters.channels as string[]) : [],
		inbox: typeof filters.inbox === 'string' ? filters.inbox : 'all',
		includeOwnMessages: options.includeOwnMessages === true,
		own: ownMessageIds(ctx),
	};
}

/**
 * The trigger's `poll()`: the editor's Fetch Test Event shows the latest real event and saves
 * nothing; a scheduled poll emits what happened since the last one (none at the first).
 */
export async function pollOnce(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = settingsOf(this);
	const reader = readerFor(this, settings);
	if (this.getMode() === 'manual') {
		const event = await latestEvent(settings, reader);
		return event ? [[{ json: event as unknown as IDataObject }]] : null;
	}
	const events = await poll(pollState(this) as PollStateData, settings, reader);
	const toStart = await resumeWaiting(this, events.map((event) => ({ json: event as unknown as IDataObject })));
	return toStart.length ? [carryFromPoll(this, toStart)] : null;
}
