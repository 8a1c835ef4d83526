import type { INodeProperties } from 'n8n-workflow';
import * as send from './send';

export const operations = { send: send.execute };

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
		],
		default: 'send',
	},
	...send.description,
];
