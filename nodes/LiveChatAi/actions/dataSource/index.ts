import type { INodeProperties } from 'n8n-workflow';
import * as add from './add';
import * as del from './delete';
import * as getAll from './getAll';

export const operations = {
	addQa: add.executeFor('addQa'),
	addText: add.executeFor('addText'),
	addUrl: add.executeFor('addUrl'),
	delete: del.execute,
	getAll: getAll.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dataSource'] } },
		options: [
			{ name: 'Add Q&A', value: 'addQa', description: 'Teach the agent a question and its answer', action: 'Add a Q&A data source' },
			{ name: 'Add Text', value: 'addText', description: 'Teach the agent a text', action: 'Add a text data source' },
			{ name: 'Add URL', value: 'addUrl', description: 'Teach the agent a web page', action: 'Add a URL data source' },
			{ name: 'Delete', value: 'delete', description: 'Remove a data source', action: 'Delete a data source' },
			{ name: 'Get Many', value: 'getAll', description: 'List the data sources of an agent', action: 'Get many data sources' },
		],
		default: 'addText',
	},
	...add.description,
	...del.description,
	...getAll.description,
];
