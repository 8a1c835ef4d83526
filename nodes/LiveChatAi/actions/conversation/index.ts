import type { INodeProperties } from 'n8n-workflow';
import * as get from './get';
import * as getAll from './getAll';
import * as reply from './reply';
import * as sendAndWait from './sendAndWait';
import * as sendMessage from './sendMessage';

export const operations = {
	get: get.execute,
	getAll: getAll.execute,
	reply: reply.execute,
	sendAndWait: sendAndWait.execute,
	sendMessage: sendMessage.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a conversation with its messages', action: 'Get a conversation' },
			{ name: 'Get Many', value: 'getAll', description: 'List conversations of an agent', action: 'Get many conversations' },
			{
				name: 'Reply as Human Agent',
				value: 'reply',
				description: 'Post a reply from a human agent into a conversation',
				action: 'Reply as a human agent',
			},
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWait',
				description: 'Send, pause the workflow until the customer replies in the conversation, then go on with the reply',
				action: 'Send a message and wait for the reply',
			},
			{
				name: 'Send Message',
				value: 'sendMessage',
				description: 'Ask the AI agent and get its answer, starting or continuing a conversation',
				action: 'Send a message to the AI agent',
			},
		],
		default: 'sendMessage',
	},
	...get.description,
	...getAll.description,
	...reply.description,
	...sendAndWait.description,
	...sendMessage.description,
];
