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
import { digishareWebhookSecretTest } from './auth';
import { handleDelivery } from './trigger';
import { awaitedRepliesProperty } from '../shared/webhook/resume';

export class DigishareTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Digishare Trigger',
		name: 'digishareTrigger',
		icon: { light: 'file:digishare.svg', dark: 'file:digishare.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n treats a start node of version 1 as its old Webhook node: it evaluates
		// an expression for every delivery (webhook-helpers parseRequestBody), which costs n8n 2.x an
		// expression isolate per delivery even with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE (issue 21).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow on Digishare LiveChat events: new conversations, customer messages and more',
		defaults: { name: 'Digishare Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'digishareWebhookApi',
				required: true,
				testedBy: 'digishareWebhookSecretTest',
				displayOptions: { show: { authentication: ['headerAuth', 'basicAuth', 'bearerAuth'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty, so n8n answers the node's webhookResponse (n8n's fallback here would be
				// the literal text "firstEntryJson").
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'In Digishare open Advanced Settings → API Provider, create (or open) a provider of type Custom Webhooks and add one webhook per event you select below: paste this node\'s Production URL (Test URL while testing), method POST, Content-Type application/json, and turn it on. Digishare has no API to register webhooks, so this is done once by hand.',
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
					{
						name: 'Contact Created',
						value: 'third.created',
						description: 'A contact (Third) was created',
					},
					{
						name: 'Contact Deleted',
						value: 'third.deleted',
					},
					{
						name: 'Contact Tags Changed',
						value: 'third.tags-changed',
					},
					{
						name: 'Contact Updated',
						value: 'third.updated',
					},
					{
						name: 'Conversation Archived',
						value: 'live_chat.conversation_archived',
						description: 'A live chat conversation was archived (closed)',
					},
					{
						name: 'New Conversation',
						value: 'live_chat.new_conversation',
						description: 'A customer started a new live chat conversation',
					},
					{
						name: 'New Message',
						value: 'live_chat.new_message',
						description: 'A message was posted in a live chat conversation',
					},
					{
						name: 'Ticket Created',
						value: 'ticket.created',
					},
					{
						name: 'Ticket Deleted',
						value: 'ticket.deleted',
					},
					{
						name: 'Ticket Updated',
						value: 'ticket.updated',
					},
				],
				default: ['live_chat.new_message'],
				description: 'Which deliveries start the workflow; others are answered 200 and ignored',
			},
			{
				displayName: 'Customer Messages Only',
				name: 'customerMessagesOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to ignore messages from agents, bots and the system, and the echo of replies sent through the API, so a bot never answers itself',
				displayOptions: { show: { events: ['live_chat.new_message'] } },
			},
			{
				displayName: 'Message Types',
				name: 'messageTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Interactive (Button or List Reply)', value: 'interactive' },
					{ name: 'Location', value: 'location' },
					{ name: 'Text', value: 'text' },
				],
				default: [],
				description: 'Only start the workflow for these message types. Leave empty for all.',
				displayOptions: { show: { events: ['live_chat.new_message'] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Basic Auth', value: 'basicAuth', description: 'Digishare sends a username and password' },
					{ name: 'Bearer Token', value: 'bearerAuth', description: 'Digishare sends Authorization: Bearer &lt;secret&gt;' },
					{ name: 'Header Secret', value: 'headerAuth', description: 'Digishare sends a custom header, e.g. X-Digishare-Secret' },
					{ name: 'None', value: 'none', description: 'Accept every delivery (not recommended)' },
				],
				default: 'none',
				description:
					"How deliveries prove they come from Digishare. Set the same in the webhook's authentication settings in Digishare.",
			},
			awaitedRepliesProperty,
		],
	};

	methods = { credentialTest: { digishareWebhookSecretTest } };

	// Digishare has no API for webhooks: the user registers the URL in Digishare's UI.
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}

	/** First step of the execution: drops redeliveries n8n's database has seen (shared/memory). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triggerStep(this);
	}
}
