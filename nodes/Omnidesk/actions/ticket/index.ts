import type { INodeProperties } from 'n8n-workflow';
import * as createChatbotLog from './createChatbotLog';

export const operations = { createChatbotLog: createChatbotLog.execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['ticket'] } },
		options: [
			{
				name: 'Create Chatbot Log',
				value: 'createChatbotLog',
				description: 'Create a ticket holding a chatbot conversation',
				action: 'Create a chatbot log ticket',
			},
		],
		default: 'createChatbotLog',
	},
	...createChatbotLog.description,
];
