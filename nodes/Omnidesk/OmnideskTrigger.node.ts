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
import { HOOKPOINT_NAMES } from './events';
import { recordChatServer } from './memory';
import { HOOKPOINT_BASE, handleDelivery } from './trigger';
import { awaitedRepliesProperty } from '../shared/webhook/resume';

export class OmnideskTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Omnidesk Trigger',
		name: 'omnideskTrigger',
		icon: { light: 'file:omnidesk.svg', dark: 'file:omnidesk.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n treats a start node of version 1 as its old Webhook node: it evaluates
		// an expression for every delivery (webhook-helpers parseRequestBody), which costs n8n 2.x an
		// expression isolate per delivery even with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE (issue 21).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["hookpoints"].join(", ")}}',
		description: 'Starts the workflow when an Omnidesk agent replies, sends a file, types or ends a chat',
		defaults: { name: 'Omnidesk Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: HOOKPOINT_NAMES.map((hookpoint) => ({
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
			responseData: '',
			path: `${HOOKPOINT_BASE}/${hookpoint}`,
		})),
		properties: [
			{
				displayName:
					'Omnidesk posts agent replies to the "chatServer" you send with each customer message. Its value is one of this node\'s Production URLs without the last part ("/messageForCustomer" and so on): it ends in "/hookpoint". The Omnidesk node fills it in by itself when its Chat Server is left empty and this workflow is active. Omnidesk sends no signature: the random part of the URL is the only secret, so do not share it. Updated this package from 0.1.0? Deactivate and activate this workflow once so n8n registers the four hookpoints.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Hookpoints',
				name: 'hookpoints',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Agent File (uploadForCustomer)',
						value: 'uploadForCustomer',
						description: 'An agent sent a file; it arrives as binary data',
					},
					{
						name: 'Agent Message (messageForCustomer)',
						value: 'messageForCustomer',
						description: 'An agent replied to the customer',
					},
					{
						name: 'Agent Typing (typingIndicatorForCustomer)',
						value: 'typingIndicatorForCustomer',
						description: 'An agent started or stopped typing',
					},
					{
						name: 'Session Ended (endSession)',
						value: 'endSession',
						description: 'An agent pressed stop in the ticket',
					},
				],
				default: ['messageForCustomer', 'uploadForCustomer', 'typingIndicatorForCustomer', 'endSession'],
				description: 'Which deliveries start the workflow; the others still get the answer Omnidesk expects',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Name of the binary field that holds an agent’s file',
				displayOptions: { show: { hookpoints: ['uploadForCustomer'] } },
			},
			awaitedRepliesProperty,
		],
	};

	webhookMethods = recordChatServer;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}

	/** First step of the execution: hands on what the webhook carried (shared/memory). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triggerStep(this);
	}
}
