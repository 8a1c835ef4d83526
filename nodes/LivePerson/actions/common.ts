/** What several LivePerson operations share: the consumer, the conversation memory, options. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import {
	inConversation,
	rememberConversation,
	rememberedConversation,
	type ConversationMemory,
} from '../../shared/memory/conversations';
import { readWorkflowData, writableWorkflowData } from '../../shared/memory/workflow-data';
import { idParameter, invalidParameter } from '../../shared/parameters';
import { livePersonCredentials, messagingCall } from '../api';

/** Workflow data: consumer ID → the conversation this workflow opened for it. */
export const CONSUMER_CONVERSATIONS: ConversationMemory = {
	dataKey: 'livePersonConversations',
	size: 1000,
	// LivePerson refuses a SEND into a closed conversation ("Bad Request, Conversation is close"),
	// and into one it does not know ("Dialog not found"): a new one is opened instead.
	isGone: (error) => error instanceof NodeApiError && /conversation is close|dialog not found/i.test(error.message),
};

/** Workflow data: conversation ID → consumer ID, read by the LivePerson Trigger. */
export const CONVERSATION_CONSUMERS_KEY = 'livePersonConsumers';

export const consumerIdProperty: INodeProperties = {
	displayName: 'Consumer ID',
	name: 'consumerId',
	type: 'string',
	default: '',
	placeholder: 'e.g. digishare:{{ $json.conversationId }}',
	description:
		'Your stable ID for the end user (LivePerson’s ext_consumer_id), e.g. the chat it comes from. The node gets this consumer’s token itself and remembers its open conversation. Not used with a Tokens credential (its ConsumerJWS is the consumer).',
};

export const conversationIdProperty: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	description: 'Leave empty to use the consumer’s open conversation (the one this workflow opened)',
};

export const featuresOption: INodeProperties = {
	displayName: 'Client Features',
	name: 'features',
	type: 'multiOptions',
	options: [
		{ name: 'Auto Messages', value: 'AUTO_MESSAGES' },
		{ name: 'Multi Dialog', value: 'MULTI_DIALOG' },
		{ name: 'Quick Replies', value: 'QUICK_REPLIES' },
		{ name: 'Rich Content', value: 'RICH_CONTENT' },
	],
	default: [],
	description: 'Sent as the Client-Properties header: what the consumer’s client can show',
};

export function consumerIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(ctx, itemIndex, 'consumerId', 'Consumer ID');
}

export function featuresOf(ctx: IExecuteFunctions, itemIndex: number): string[] {
	return (ctx.getNodeParameter('options.features', itemIndex, []) as string[]) ?? [];
}

/** In tokens mode the ConsumerJWS names the consumer: memory is keyed by the account then. */
async function memoryKey(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await livePersonCredentials(ctx, itemIndex);
	const consumerId = consumerIdOf(ctx, itemIndex);
	if (credentials.authMode === 'tokens') return `tokens:${credentials.accountId}`;
	if (!consumerId) throw invalidParameter(ctx, itemIndex, 'Consumer ID', 'is required (your stable ID for the end user)');
	return consumerId;
}

/** Remembers which consumer a conversation belongs to, for the trigger (workflow data). */
export function rememberConsumer(ctx: IExecuteFunctions, conversationId: string, consumerId: string): void {
	const data = writableWorkflowData(ctx);
	const map = (data[CONVERSATION_CONSUMERS_KEY] && typeof data[CONVERSATION_CONSUMERS_KEY] === 'object' ? data[CONVERSATION_CONSUMERS_KEY] : {}) as IDataObject;
	if (map[conversationId] === consumerId) return;
	delete map[conversationId];
	map[conversationId] = consumerId;
	const keys = Object.keys(map);
	for (const old of keys.slice(0, Math.max(0, keys.length - CONSUMER_CONVERSATIONS.size))) delete map[old];
	data[CONVERSATION_CONSUMERS_KEY] = map;
}

export interface ConversationRequest {
	profile?: IDataObject;
	routing?: IDataObject;
}

/** userprofile.SetUserProfile then cm.ConsumerRequestConversation (CONVERSATION); the new conversation's ID. */
export async function openConversation(ctx: IExecuteFunctions, itemIndex: number, request: ConversationRequest = {}): Promise<string> {
	const credentials = await livePersonCredentials(ctx, itemIndex);
	const consumerId = consumerIdOf(ctx, itemIndex);
	const profile = request.profile ?? {};
	const routing = request.routing ?? {};
	const sdes: IDataObject[] = [];
	const info: IDataObject = {};
	for (const [from, to] of [
		['customerId', 'customerId'],
		['tier', 'ctype'],
		['socialId', 'socialId'],
		['companyBranch', 'companyBranch'],
	] as const) {
		if (profile[from]) info[to] = profile[from];
	}
	if (Object.keys(info).length) sdes.push({ type: 'ctmrinfo', info });
	const personal: IDataObject = {};
	if (profile.firstName) personal.firstname = profile.firstName;
	if (profile.lastName) personal.lastname = profile.lastName;
	if (profile.gender) personal.gender = profile.gender;
	if (Object.keys(personal).length) sdes.push({ type: 'personal', personal });

	const conversation: IDataObject = { brandId: credentials.accountId, channelType: 'MESSAGING' };
	if (routing.skillId) conversation.skillId = String(routing.skillId);
	if (routing.ttr) conversation.ttrDefName = routing.ttr;
	if (routing.campaignId || routing.engagementId) {
		conversation.campaignInfo = { campaignId: String(routing.campaignId ?? ''), engagementId: String(routing.engagementId ?? '') };
	}
	if (routing.lang) conversation.conversationContext = { type: 'SharkContext', lang: routing.lang };

	const answer = await messagingCall(ctx, {
		consumerId,
		endpoint: 'conversation',
		itemIndex,
		features: featuresOf(ctx, itemIndex),
		body: [
			{ kind: 'req', id: '1', type: 'userprofile.SetUserProfile', body: sdes.length ? { authenticatedData: { lp_sdes: sdes } } : {} },
			{ kind: 'req', id: '2', type: 'cm.ConsumerRequestConversation', body: conversation },
		],
	}).then(
		(ok) => ok,
		(error: unknown) => {
			if (error instanceof NodeApiError && /already has open conversation/i.test(error.message)) {
				error.description = [
					error.description,
					'LivePerson allows one open conversation per consumer, and this workflow does not know this one (it was opened elsewhere, or before this workflow remembered it). Close it in LivePerson, or set its Conversation ID.',
				]
					.filter(Boolean)
					.join('\n');
			}
			return Promise.reject(error);
		},
	);
	const entries = (Array.isArray(answer) ? answer : [answer]) as Array<{ body?: { conversationId?: string } }>;
	const conversationId = entries.map((entry) => entry?.body?.conversationId).find((id): id is string => typeof id === 'string' && id !== '');
	if (!conversationId) {
		throw new NodeApiError(ctx.getNode(), { message: 'LivePerson opened no conversation' }, {
			message: 'LivePerson: the CONVERSATION answer named no conversationId',
			itemIndex,
		});
	}
	const key = await memoryKey(ctx, itemIndex);
	rememberConversation(ctx, CONSUMER_CONVERSATIONS, key, conversationId);
	if (consumerId) rememberConsumer(ctx, conversationId, consumerId);
	return conversationId;
}

/** The explicit Conversation ID, else the consumer's remembered one; an error naming what to do when there is none. */
export async function existingConversation(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const explicit = idParameter(ctx, itemIndex, 'conversationId', 'Conversation ID');
	if (explicit) return explicit;
	const remembered = rememberedConversation(ctx, CONSUMER_CONVERSATIONS, await memoryKey(ctx, itemIndex));
	if (remembered) return remembered;
	throw invalidParameter(
		ctx,
		itemIndex,
		'Conversation ID',
		'is empty and this workflow has no open conversation for the consumer. Send a message (it opens one) or create a conversation first.',
	);
}

/**
 * Runs `publish` in the consumer's conversation: the explicit one, else the remembered one, else a
 * newly opened one — and a new one when LivePerson says the remembered one is closed.
 */
export async function inConsumerConversation<T extends IDataObject>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	publish: (conversationId: string) => Promise<T>,
): Promise<T & { conversationId: string }> {
	const explicit = idParameter(ctx, itemIndex, 'conversationId', 'Conversation ID');
	if (explicit) return { ...(await publish(explicit)), conversationId: explicit };
	return await inConversation(ctx, CONSUMER_CONVERSATIONS, await memoryKey(ctx, itemIndex), async (remembered) => {
		const conversationId = remembered ?? (await openConversation(ctx, itemIndex));
		return { result: { ...(await publish(conversationId)), conversationId }, conversationId };
	});
}

/** One ms.PublishEvent (SEND) into a conversation; LivePerson's `{reqId, code, body}`. */
export async function publishEvent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	conversationId: string,
	event: IDataObject,
	field?: string,
): Promise<IDataObject> {
	const answer = (await messagingCall(ctx, {
		consumerId: consumerIdOf(ctx, itemIndex),
		endpoint: 'send',
		itemIndex,
		field,
		features: featuresOf(ctx, itemIndex),
		body: { kind: 'req', id: '1', type: 'ms.PublishEvent', body: { dialogId: conversationId, event } },
	})) as IDataObject;
	return answer;
}

/** A SEND of another request type than ms.PublishEvent (e.g. the upload and download URLs of files). */
export async function sendRequest(ctx: IExecuteFunctions, itemIndex: number, type: string, body: IDataObject): Promise<unknown> {
	return await messagingCall(ctx, {
		consumerId: consumerIdOf(ctx, itemIndex),
		endpoint: 'send',
		itemIndex,
		features: featuresOf(ctx, itemIndex),
		body: { kind: 'req', id: '1', type, body },
	});
}

/** Reads the conversation this consumer was last seen in (for outputs). */
export function conversationConsumer(ctx: IExecuteFunctions, conversationId: string): string | undefined {
	const map = readWorkflowData(ctx, CONVERSATION_CONSUMERS_KEY) as IDataObject | undefined;
	const value = map?.[conversationId];
	return typeof value === 'string' ? value : undefined;
}
