import type { INodeProperties } from 'n8n-workflow';
import * as getToken from './getToken';

export const operations = { getToken: getToken.execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['consumer'] } },
		options: [
			{
				name: 'Get Consumer Token',
				value: 'getToken',
				description: 'Get the consumer’s ConsumerJWS ready (it is kept by the node, never output)',
				action: 'Get a consumer token',
			},
		],
		default: 'getToken',
	},
	...getToken.description,
];
