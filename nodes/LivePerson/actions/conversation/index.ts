import type { INodeProperties } from 'n8n-workflow';
import * as close from './close';
import * as create from './create';
import * as rate from './rate';

export const operations = { close: close.execute, create: create.execute, rate: rate.execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{ name: 'Close', value: 'close', description: 'End the consumer’s conversation', action: 'Close a conversation' },
			{
				name: 'Create',
				value: 'create',
				description: 'Open a conversation for a consumer, with their profile and routing',
				action: 'Create a conversation',
			},
			{ name: 'Rate', value: 'rate', description: 'Send the consumer’s satisfaction rating (CSAT)', action: 'Rate a conversation' },
		],
		default: 'create',
	},
	...close.description,
	...create.description,
	...rate.description,
];
