import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { webhookCredentials } from '../shared/webhook-credentials';
import { NodeConnectionTypes } from 'n8n-workflow';
import { deliveryKey, seenInThisProcess } from '../shared/memory/deliveries';
import { triggerStep } from '../shared/memory/trigger-step';
import { triggerWorkflowData } from '../shared/memory/workflow-data';
import type { ChatEvent } from '../shared/webhook';
import {
	acknowledge,
	asObject,
	asString,
	checkBodySignature,
	emit,
	nothingToRegister,
	parseJsonRequest,
	readRequest,
	reject,
	safeEqual,
} from '../shared/webhook';
import { CONVERSATION_CONSUMERS_KEY } from './actions/common';
import type { LivePersonCredentials } from './api';
import {
	CONVERSATION_CHANGE,
	EVENT_TYPES,
	MESSAGING,
	conversationOf,
	normalizeConversationChange,
	normalizeMessagingChange,
} from './normalize';

type EventChoice = keyof typeof EVENT_TYPES;

function header(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = readRequest(ctx).headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Dedupe key of one change: conversation + sequence, or conversation + last update time. */
function changeKey(type: string, change: IDataObject, rawBody: Buffer): string | undefined {
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

export class LivePersonTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LivePerson Trigger',
		name: 'livePersonTrigger',
		icon: { light: 'file:liveperson.svg', dark: 'file:liveperson.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a LivePerson agent replies, types, reads, sends a file or closes a conversation',
		defaults: { name: 'LivePerson Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'livePersonApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: [
			{
				displayName:
					'In the Connector App Hub (or your app install manifest), set this node’s Production URL as the endpoint of each event type you select below: ms.MessagingEventNotification.ContentEvent, …RichContentEvent, …AcceptStatusEvent, …ChatStateEvent and cqm.ExConversationChangeNotification. Deliveries are checked against the x-liveperson-signature (the client secret of the credential) and the account ID.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Conversation Changed or Closed', value: 'conversationChange', description: 'Sent as cqm.ExConversationChangeNotification' },
					{ name: 'Message or File', value: 'content', description: 'ContentEvent: text, or a file (hosted/file)' },
					{ name: 'Read Receipt', value: 'acceptStatus', description: 'AcceptStatusEvent: accepted, read…' },
					{ name: 'Rich Content', value: 'richContent', description: 'RichContentEvent: structured content' },
					{ name: 'Typing and Presence', value: 'chatState', description: 'ChatStateEvent: composing, paused, away…' },
				],
				default: ['content', 'conversationChange'],
			},
			{
				displayName: 'Skip Consumer Echoes',
				name: 'skipConsumerEvents',
				type: 'boolean',
				default: true,
				description: 'Whether to skip what the consumer side produced — the echoes of what your connector sent — so a workflow never answers itself',
			},
			{
				displayName: 'Skip Internal Notes',
				name: 'skipInternalNotes',
				type: 'boolean',
				default: true,
				description: 'Whether to skip agent messages meant for agents and managers only (messageAudience AGENTS_AND_MANAGERS); they must never reach the customer',
			},
			{
				displayName: 'Only Conversations of This Workflow',
				name: 'onlyOwnConversations',
				type: 'boolean',
				default: false,
				description: 'Whether to skip conversations this workflow’s LivePerson node did not open (LivePerson sends every conversation of the account)',
			},
		],
	};

	// The webhooks are declared in the Connector App's manifest: nothing to register from here.
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = (await webhookCredentials(this, 'livePersonApi')) as unknown as LivePersonCredentials;
		const secret = String((credentials.authMode === 'tokens' ? credentials.webhookSecret : credentials.clientSecret) ?? '');
		const parsed = parseJsonRequest(this, 'LivePerson');
		// The signature covers the raw bytes: checked before anything is read from the body.
		const signature = checkBodySignature(header(this, 'x-liveperson-signature'), readRequest(this).rawBody, secret, ['sha1', 'sha256']);
		if (signature) {
			// n8n keeps no raw bytes of a multipart body, so its signature can never match: say why.
			const why = !parsed.ok && parsed.wrongType ? ` (${parsed.reason})` : '';
			return reject(this, signature.missing ? 401 : 403, `${signature.reason}${why}`);
		}
		const account = header(this, 'x-liveperson-account-id');
		if (!account) return reject(this, 401, 'Missing x-liveperson-account-id');
		if (!safeEqual(account, String(credentials.accountId ?? ''))) return reject(this, 403, 'The delivery is for another LivePerson account');
		const client = header(this, 'x-liveperson-client-id');
		if (client && credentials.authMode === 'app' && credentials.clientId && !safeEqual(client, credentials.clientId)) {
			return reject(this, 403, 'The delivery is for another Connector App');
		}
		if (!parsed.ok) return reject(this, parsed.status, parsed.reason);

		const payload = asObject(parsed.request.body) ?? {};
		const type = asString(payload.type);
		const changes = asObject(payload.body)?.changes;
		if (type !== MESSAGING && type !== CONVERSATION_CHANGE) return reject(this, 400, `Unknown notification type "${type ?? ''}"`);
		if (!Array.isArray(changes)) return reject(this, 400, 'Missing body.changes');

		const selected = (this.getNodeParameter('events', []) as EventChoice[]).map((choice) => EVENT_TYPES[choice]);
		const skipConsumer = this.getNodeParameter('skipConsumerEvents', true) as boolean;
		const skipNotes = this.getNodeParameter('skipInternalNotes', true) as boolean;
		const onlyOwn = this.getNodeParameter('onlyOwnConversations', false) as boolean;
		const consumers = (asObject(triggerWorkflowData(this)[CONVERSATION_CONSUMERS_KEY]) ?? {}) as IDataObject;

		const events: ChatEvent[] = [];
		const keys: Array<string | undefined> = [];
		for (const entry of changes) {
			const change = asObject(entry);
			if (!change) continue;
			const event = type === MESSAGING ? normalizeMessagingChange(change) : normalizeConversationChange(change);
			if (!selected.includes(event.event as (typeof EVENT_TYPES)[EventChoice])) continue;
			if (skipConsumer && event.sender.type === 'customer') continue;
			if (skipNotes && change.messageAudience === 'AGENTS_AND_MANAGERS') continue;
			const consumerId = event.conversationId ? asString(consumers[event.conversationId]) : null;
			if (onlyOwn && !consumerId) continue;
			const key = changeKey(type, change, parsed.request.rawBody);
			if (key && seenInThisProcess(this, key)) continue;
			events.push({ ...event, consumerId });
			keys.push(key);
		}
		if (!events.length) return acknowledge(changes.length ? 'no selected change, or only duplicates' : 'no changes');
		return emit(this, events, keys);
	}

	/** First step of the execution: drops redeliveries n8n's database has seen (shared/memory). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triggerStep(this);
	}
}
