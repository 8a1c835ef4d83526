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
import * as agent from './actions/agent';
import * as contact from './actions/contact';
import * as conversation from './actions/conversation';
import * as dataSource from './actions/dataSource';
import { searchAgents } from './actions/common';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Agent', value: 'agent' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'Conversation', value: 'conversation' },
			{ name: 'Data Source', value: 'dataSource' },
		],
		default: 'conversation',
	},
	...agent.description,
	...contact.description,
	...conversation.description,
	...dataSource.description,
	batchingProperty,
];

export class LiveChatAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiveChatAI',
		name: 'liveChatAi',
		icon: { light: 'file:livechatai.svg', dark: 'file:livechatai.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Ask LiveChatAI AI agents, reply as a human, and manage conversations, contacts and knowledge',
		defaults: { name: 'LiveChatAI' },
		usableAsTool: true,
		// Send and Wait for Reply: n8n resumes the waiting node through this webhook.
		webhooks: sendAndWaitWebhooks,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'liveChatAiApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchAgents } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(
			this,
			{
				agent: agent.operations,
				contact: contact.operations,
				conversation: conversation.operations,
				dataSource: dataSource.operations,
			},
			properties,
		);
	}

	/** Send and Wait for Reply: the reply a trigger of this package posted to the waiting node (shared/send-and-wait.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return replyWebhook(this);
	}
}
