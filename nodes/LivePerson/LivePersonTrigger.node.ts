import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { triggerStep } from '../shared/memory/trigger-step';
import { nothingToRegister } from '../shared/webhook/lifecycle';
import { handleDelivery } from './trigger';
import { awaitedRepliesProperty } from '../shared/webhook/resume';

export class LivePersonTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LivePerson Trigger',
		name: 'livePersonTrigger',
		icon: { light: 'file:liveperson.svg', dark: 'file:liveperson.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n treats a start node of version 1 as its old Webhook node: it evaluates
		// an expression for every delivery (webhook-helpers parseRequestBody), which costs n8n 2.x an
		// expression isolate per delivery even with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE (issue 21).
		version: [1, 1.1],
		defaultVersion: 1.1,
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
			awaitedRepliesProperty,
		],
	};

	// The webhooks are declared in the Connector App's manifest: nothing to register from here.
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}

	/** First step of the execution: drops redeliveries n8n's database has seen (shared/memory). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triggerStep(this);
	}
}
