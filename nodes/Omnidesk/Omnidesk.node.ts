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
import * as chat from './actions/chat';
import * as ticket from './actions/ticket';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Chat', value: 'chat' },
			{ name: 'Ticket', value: 'ticket' },
		],
		default: 'chat',
	},
	...chat.description,
	...ticket.description,
	batchingProperty,
];

export class Omnidesk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Omnidesk',
		name: 'omnidesk',
		icon: { light: 'file:omnidesk.svg', dark: 'file:omnidesk.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Hand live chats from a bot to Omnidesk agents: messages, files, typing, session end, chatbot tickets',
		defaults: { name: 'Omnidesk' },
		usableAsTool: true,
		// Send and Wait for Reply: n8n resumes the waiting node through this webhook.
		webhooks: sendAndWaitWebhooks,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'omnideskApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, { chat: chat.operations, ticket: ticket.operations }, properties);
	}

	/** Send and Wait for Reply: the reply a trigger of this package posted to the waiting node (shared/send-and-wait.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return replyWebhook(this);
	}
}
