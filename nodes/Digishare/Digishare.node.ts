import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { batchingProperty } from '../shared/descriptions';
import { executeOperations } from '../shared/router';
import { replyWebhook, sendAndWaitWebhooks } from '../shared/send-and-wait';
import * as contact from './actions/contact';
import * as conversation from './actions/conversation';
import * as message from './actions/message';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Contact', value: 'contact' },
			{ name: 'Conversation', value: 'conversation' },
			{ name: 'Message', value: 'message' },
		],
		default: 'message',
	},
	...contact.description,
	...conversation.description,
	...message.description,
	batchingProperty,
];

export class Digishare implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Digishare',
		name: 'digishare',
		icon: { light: 'file:digishare.svg', dark: 'file:digishare.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Reply in Digishare LiveChat conversations, hand chats to agents and manage contacts',
		defaults: { name: 'Digishare' },
		usableAsTool: true,
		// Send and Wait for Reply: n8n resumes the waiting node through this webhook.
		webhooks: sendAndWaitWebhooks,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'digishareApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(
			this,
			{
				contact: contact.operations,
				conversation: conversation.operations,
				message: message.operations,
			},
			properties,
		);
	}

	/** Send and Wait for Reply: the reply a trigger of this package posted to the waiting node (shared/send-and-wait.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return replyWebhook(this);
	}
}
