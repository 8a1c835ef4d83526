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
import * as consumer from './actions/consumer';
import * as conversation from './actions/conversation';
import * as message from './actions/message';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Consumer', value: 'consumer' },
			{ name: 'Conversation', value: 'conversation' },
			{ name: 'Message', value: 'message' },
		],
		default: 'message',
	},
	...consumer.description,
	...conversation.description,
	...message.description,
	batchingProperty,
];

export class LivePerson implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LivePerson',
		name: 'livePerson',
		icon: { light: 'file:liveperson.svg', dark: 'file:liveperson.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Hand chats to LivePerson agents as a messaging connector: conversations, messages, files, typing, receipts',
		defaults: { name: 'LivePerson' },
		usableAsTool: true,
		// Send and Wait for Reply: n8n resumes the waiting node through this webhook.
		webhooks: sendAndWaitWebhooks,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'livePersonApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(
			this,
			{
				consumer: consumer.operations,
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
