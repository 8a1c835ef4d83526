import type { INodeProperties } from 'n8n-workflow';
import * as send from './send';
import * as sendAndWait from './sendAndWait';
import * as sendToRecipient from './sendToRecipient';

export const operations = { send: send.execute, sendAndWait: sendAndWait.execute, sendToRecipient: sendToRecipient.execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Send a text, location, buttons, list or location request into a conversation',
				action: 'Send a message',
			},
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWait',
				description: 'Send, pause the workflow until the customer replies in the conversation, then go on with the reply',
				action: 'Send a message and wait for the reply',
			},
			{
				name: 'Send to Recipient',
				value: 'sendToRecipient',
				description: 'Send a text as an agent to a phone number or platform ID, opening a conversation if needed',
				action: 'Send a message to a recipient',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendAndWait.description,
	...sendToRecipient.description,
];
