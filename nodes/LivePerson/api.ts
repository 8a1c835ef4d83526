/**
 * LivePerson's side of the shared transport: its settings and error bodies, the calls the nodes
 * make on behalf of a consumer (CONVERSATION and SEND, with the AppJWT and the consumer's
 * ConsumerJWS as headers; the 5000-character limit; a `code` other than OK inside a 200 is an
 * error), the consumer's conversation, and the swift file store.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { inConversation, rememberConversation, rememberedConversation } from '../shared/memory/conversations';
import { idParameter, invalidParameter } from '../shared/parameters';
import type { ApiRequest, ApiResponse, ProviderApi } from '../shared/provider-api';
import { parseBody } from '../shared/errors';
import { apiRequestFull } from '../shared/transport';
import { consumerIdOf, featuresOf } from './actions/common';
import {
	SECRET_FIELDS,
	cachedAppToken,
	cachedConsumerToken,
	fetchAppToken,
	fetchConsumerToken,
	forgetAppToken,
	hostUrl,
	livePersonCredentials,
	scrubSecrets,
	serviceHost,
	type AuthCall,
	type LivePersonCredentials,
	type LivePersonService,
} from './auth';
import { CONSUMER_CONVERSATIONS, memoryKey, rememberConsumer } from './memory';
import { LIMITS, errorCodeOf, errorInLivePersonBody, parseLivePersonError } from './schemas';

export const livePersonApi: ProviderApi = {
	name: 'LivePerson',
	credentialType: 'livePersonApi',
	// Every call names its host (from the Domain API): no base URL.
	baseUrl: () => '',
	secretFields: SECRET_FIELDS,
	parseError: parseLivePersonError,
	errorInBody: errorInLivePersonBody,
};


/** The token flow's calls through the shared transport, unauthenticated (the tokens are what they fetch). */
function tokenCall(ctx: IExecuteFunctions, itemIndex: number, extra: Partial<ApiRequest> = {}): AuthCall {
	return async (options) => {
		const response = await apiRequestFull.call(ctx, livePersonApi, {
			method: options.method ?? 'GET',
			url: options.url,
			qs: options.qs,
			headers: options.headers,
			body: options.body as ApiRequest['body'],
			json: typeof options.body !== 'string',
			itemIndex,
			authenticated: false,
			...extra,
		});
		return response.body;
	};
}

/** A token request refused or failed: LivePerson's message, never the secret or the request. */
function tokenError(ctx: IExecuteFunctions, credentials: LivePersonCredentials, what: string, error: unknown, itemIndex: number): NodeApiError {
	const message = scrubSecrets(credentials, `LivePerson: could not get ${what}: ${(error as Error).message ?? String(error)}`);
	const description = scrubSecrets(credentials, String((error as NodeApiError).description ?? '')) || undefined;
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { message, description, itemIndex });
}

/** The account's host of `service`; an error naming the credential's fields when the Domain API names none. */
async function hostOf(ctx: IExecuteFunctions, credentials: LivePersonCredentials, service: LivePersonService, itemIndex: number): Promise<string> {
	const host = await serviceHost(tokenCall(ctx, itemIndex), credentials, service);
	if (host) return host;
	throw new NodeApiError(ctx.getNode(), { message: `LivePerson's Domain API names no ${service} host for account ${credentials.accountId}` } as JsonObject, {
		message: `LivePerson: the Domain API names no "${service}" host for account ${credentials.accountId}`,
		description: 'Check the Account ID and the Domain API URL of the credential.',
		itemIndex,
	});
}

/** The URL of `path` on one of the account's service hosts. */
export async function serviceUrl(
	ctx: IExecuteFunctions,
	credentials: LivePersonCredentials,
	service: LivePersonService,
	path: string,
	itemIndex = 0,
): Promise<string> {
	return hostUrl(credentials, await hostOf(ctx, credentials, service, itemIndex), path);
}

/** The AppJWT: the credential's (Tokens mode), or fetched from sentinel and reused. */
export async function appToken(ctx: IExecuteFunctions, credentials: LivePersonCredentials, itemIndex: number): Promise<string> {
	return await cachedAppToken(credentials, async () => {
		const what = 'an AppJWT from sentinel';
		const sentinel = await hostOf(ctx, credentials, 'sentinel', itemIndex);
		const token = await fetchAppToken(tokenCall(ctx, itemIndex), credentials, sentinel).catch((error: unknown) =>
			Promise.reject(tokenError(ctx, credentials, what, error, itemIndex)),
		);
		if (!token) throw tokenError(ctx, credentials, what, new Error('the answer had no access_token'), itemIndex);
		return token;
	});
}

/** On a 401 for an expired AppJWT (errorCode 40102, app mode): one new AppJWT, as headers to retry with. */
async function renewedAuthorization(
	ctx: IExecuteFunctions,
	credentials: LivePersonCredentials,
	refused: string,
	answer: ApiResponse,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	if (credentials.authMode !== 'app' || errorCodeOf(parseBody(answer.body)) !== '40102') return undefined;
	forgetAppToken(credentials, refused);
	return { Authorization: await appToken(ctx, credentials, itemIndex) };
}

/** The ConsumerJWS for `consumerId`: the credential's (Tokens mode), or fetched from idp once and reused. */
export async function consumerToken(
	ctx: IExecuteFunctions,
	credentials: LivePersonCredentials,
	consumerId: string,
	itemIndex: number,
): Promise<string> {
	if (credentials.authMode !== 'tokens' && !consumerId) throw invalidParameter(ctx, itemIndex, 'Consumer ID', 'is required (your stable ID for the end user)');
	return await cachedConsumerToken(credentials, consumerId, async () => {
		const what = `a ConsumerJWS for "${consumerId}" from idp`;
		const idp = await hostOf(ctx, credentials, 'idp', itemIndex);
		const authorization = await appToken(ctx, credentials, itemIndex);
		const call = tokenCall(ctx, itemIndex, {
			onUnauthorized: async (answer) => await renewedAuthorization(ctx, credentials, authorization, answer, itemIndex),
		});
		const token = await fetchConsumerToken(call, credentials, idp, authorization, consumerId).catch((error: unknown) =>
			Promise.reject(tokenError(ctx, credentials, what, error, itemIndex)),
		);
		if (!token) throw tokenError(ctx, credentials, what, new Error('the answer had no token'), itemIndex);
		return token;
	});
}

export interface MessagingCall {
	consumerId: string;
	/** `conversation` (CONVERSATION, a batch array) or `send` (SEND, one object). */
	endpoint: 'conversation' | 'send';
	body: IDataObject | IDataObject[];
	/** Client-Properties features, e.g. AUTO_MESSAGES. */
	features?: string[];
	itemIndex: number;
	/** The parameter that makes the request long, for the size error (default "Message"). */
	field?: string;
}

/** One CONVERSATION or SEND call on behalf of a consumer, with both tokens. Returns the parsed body. */
export async function messagingCall(ctx: IExecuteFunctions, call: MessagingCall): Promise<unknown> {
	const credentials = await livePersonCredentials(ctx, call.itemIndex);
	const json = JSON.stringify(call.body);
	if (json.length > LIMITS.requestChars) {
		throw invalidParameter(ctx, call.itemIndex, call.field ?? 'Message', `makes the request ${json.length} characters long; LivePerson accepts at most ${LIMITS.requestChars} characters`);
	}
	const path = `/api/account/${encodeURIComponent(credentials.accountId)}/messaging/consumer/conversation${call.endpoint === 'send' ? '/send' : ''}`;
	const url = await serviceUrl(ctx, credentials, 'asyncMessagingEnt', path, call.itemIndex);
	const authorization = await appToken(ctx, credentials, call.itemIndex);
	const headers: IDataObject = {
		Authorization: authorization,
		'X-LP-ON-BEHALF': await consumerToken(ctx, credentials, call.consumerId, call.itemIndex),
		'Content-Type': 'application/json',
	};
	if (call.features?.length) headers['Client-Properties'] = JSON.stringify({ type: '.ClientProperties', features: call.features });
	const response = await apiRequestFull.call(ctx, livePersonApi, {
		method: 'POST',
		url,
		qs: { v: '3' },
		headers,
		body: json,
		json: false,
		itemIndex: call.itemIndex,
		authenticated: false,
		onUnauthorized: async (answer) => await renewedAuthorization(ctx, credentials, authorization, answer, call.itemIndex),
	});
	return response.body;
}

/** A raw PUT/GET on the swift file store (temp-URL signed, no auth headers). */
export async function swiftCall(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: { method: 'PUT' | 'GET'; relativePath: string; queryParams: IDataObject; body?: Buffer; contentType?: string },
): Promise<ApiResponse<Buffer>> {
	const credentials = await livePersonCredentials(ctx, itemIndex);
	const url = await serviceUrl(ctx, credentials, 'swift', request.relativePath, itemIndex);
	const options: ApiRequest = {
		method: request.method,
		url,
		qs: request.queryParams,
		itemIndex,
		json: false,
		// A pre-signed temp URL: LivePerson's own clients send no auth headers to swift.
		authenticated: false,
		...(request.body ? { body: request.body, headers: { 'Content-Type': request.contentType ?? 'application/octet-stream' } } : {}),
		...(request.method === 'GET' ? { encoding: 'arraybuffer' as IHttpRequestOptions['encoding'] } : {}),
	};
	return (await apiRequestFull.call(ctx, livePersonApi, options)) as ApiResponse<Buffer>;
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
