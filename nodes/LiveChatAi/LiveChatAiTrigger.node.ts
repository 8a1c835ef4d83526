import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { carryFromPoll } from '../shared/memory/carried';
import { ownMessages } from '../shared/memory/own-messages';
import { pollState } from '../shared/memory/workflow-data';
import { apiRequest } from '../shared/transport';
import { INBOX_OPTIONS, OWN_MESSAGES_KEY, agentIdProperty, liveChatAiApi, searchAgents } from './api';
import { EVENTS, latestEvent, poll, readerFor, type PollSettings, type PollStateData, type TriggerEvent } from './poll';

/** One GET through the shared transport (retries, error mapping, redaction). */
async function get(ctx: IPollFunctions, path: string, qs?: IDataObject): Promise<IDataObject> {
	// The transport reads credentials and sends requests the same way for a poll as for the other contexts.
	const body = await apiRequest.call(ctx, liveChatAiApi, { method: 'GET', path, qs });
	return (body && typeof body === 'object' ? body : {}) as IDataObject;
}

function settingsOf(ctx: IPollFunctions): PollSettings {
	const agentId = String(ctx.getNodeParameter('agentId', '', { extractValue: true }) ?? '').trim();
	if (!agentId) throw new NodeOperationError(ctx.getNode(), 'Agent: choose a LiveChatAI agent (from the list or by ID)');
	const events = ctx.getNodeParameter('events', []) as TriggerEvent[];
	if (!events.length) throw new NodeOperationError(ctx.getNode(), 'Events: choose at least one event');
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const includeOwnMessages = options.includeOwnMessages === true;
	return {
		agentId,
		events,
		channels: Array.isArray(filters.channels) ? (filters.channels as string[]) : [],
		inbox: typeof filters.inbox === 'string' ? filters.inbox : 'all',
		includeOwnMessages,
		own: ownMessages(ctx, OWN_MESSAGES_KEY),
	};
}

export class LiveChatAiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiveChatAI Trigger',
		name: 'liveChatAiTrigger',
		icon: { light: 'file:livechatai.svg', dark: 'file:livechatai.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow on LiveChatAI conversations: new chats, customer messages, requests for a human, closed chats (by polling)',
		defaults: { name: 'LiveChatAI Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'liveChatAiApi', required: true }],
		properties: [
			{
				displayName:
					'LiveChatAI has no webhooks: this trigger asks LiveChatAI for recent conversations at the interval below. The first check after activation only notes where "now" is; later ones start the workflow once per event, oldest first.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			agentIdProperty,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Conversation Closed',
						value: EVENTS.conversationClosed,
						description: 'A conversation was resolved (isResolved became true)',
					},
					{
						name: 'Human Requested',
						value: EVENTS.humanRequested,
						description: 'The conversation turned to a human agent (isAgent became true)',
					},
					{
						name: 'New Conversation',
						value: EVENTS.newConversation,
						description: 'A conversation was started',
					},
					{
						name: 'New Customer Message',
						value: EVENTS.newCustomerMessage,
						description: 'The end user wrote a message',
					},
				],
				default: [EVENTS.newCustomerMessage],
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Channels',
						name: 'channels',
						type: 'multiOptions',
						options: [
							{ name: 'Full Page', value: 'FULLPAGE' },
							{ name: 'Inline Chat', value: 'INLINECHAT' },
							{ name: 'Messenger', value: 'MESSENGER' },
							{ name: 'Onboarding', value: 'ONBOARDING' },
							{ name: 'Preview', value: 'PREVIEW' },
							{ name: 'Slack', value: 'SLACK' },
							{ name: 'WhatsApp', value: 'WHATSAPP' },
						],
						default: [],
						description: 'Only conversations of these integration types',
					},
					{
						displayName: 'Inbox',
						name: 'inbox',
						type: 'options',
						options: INBOX_OPTIONS,
						default: 'all',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Own Messages',
						name: 'includeOwnMessages',
						type: 'boolean',
						default: false,
						description:
							'Whether to also start the workflow for messages this workflow’s LiveChatAI node sent (Send Message questions and answers, Reply as Human Agent). Off, a workflow never answers itself.',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchAgents } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = settingsOf(this);
		const reader = readerFor(this, get, settings);
		if (this.getMode() === 'manual') {
			const event = await latestEvent(settings, reader);
			return event ? [[{ json: event as unknown as IDataObject }]] : null;
		}
		const events = await poll(pollState(this) as PollStateData, settings, reader);
		return events.length ? [carryFromPoll(this, events.map((event) => ({ json: event as unknown as IDataObject })))] : null;
	}
}
