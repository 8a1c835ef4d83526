import type { INodeProperties } from 'n8n-workflow';
import * as getAll from './getAll';
import * as upsert from './upsert';

export const operations = { getAll: getAll.execute, upsert: upsert.execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a contact',
			},
			{ name: 'Get Many', value: 'getAll', description: 'List the contacts of an agent', action: 'Get many contacts' },
		],
		default: 'upsert',
	},
	...getAll.description,
	...upsert.description,
];
