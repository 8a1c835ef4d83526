import type { INodeProperties } from 'n8n-workflow';
import * as send from './send';
import * as sendToRecipient from './sendToRecipient';

export const operations = { send: send.execute, sendToRecipient: sendToRecipient.execute };

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
				name: 'Send to Recipient',
				value: 'sendToRecipient',
				description: 'Send a text as an agent to a phone number or platform ID, opening a conversation if needed',
				action: 'Send a message to a recipient',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendToRecipient.description,
];
