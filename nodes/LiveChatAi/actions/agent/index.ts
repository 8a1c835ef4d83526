import type { INodeProperties } from 'n8n-workflow';
import * as get from './get';
import * as getAll from './getAll';

export const operations = { get: get.execute, getAll: getAll.execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agent'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get an AI agent', action: 'Get an agent' },
			{ name: 'Get Many', value: 'getAll', description: 'List the AI agents of the account', action: 'Get many agents' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
