import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requestedLimit, returnAllOrLimit } from '../../../shared/descriptions';
import { agentIdOf, agentIdProperty, listByPerPage } from '../../api';

const properties: INodeProperties[] = [
	agentIdProperty,
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Inbox',
				name: 'type',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Unassigned', value: 'unassigned' },
					{ name: 'Your Inbox', value: 'your-inbox' },
				],
				default: 'all',
			},
			{
				displayName: 'Started After',
				name: 'startDate',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Started Before',
				name: 'endDate',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Open', value: 'open' },
					{ name: 'Closed', value: 'close' },
				],
				default: 'open',
			},
			{
				displayName: 'View ID',
				name: 'viewId',
				type: 'string',
				default: '',
				description: 'A saved inbox view; combines with the other filters',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'options',
		options: [
			{ name: 'Newest Activity First', value: 'desc' },
			{ name: 'Oldest Activity First', value: 'asc' },
		],
		default: 'desc',
		description: 'Order by the last message date',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getAll'] } }, properties);

/** LiveChatAI accepts Unix seconds for the date filters (every documented revision does). */
function unixSeconds(value: unknown): number | undefined {
	if (value === undefined || value === '') return undefined;
	const time = Date.parse(String(value));
	return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = agentIdOf(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = { agentId, sort: this.getNodeParameter('sort', itemIndex, 'desc') as string };
	for (const name of ['type', 'status', 'viewId']) if (filters[name]) qs[name] = filters[name];
	const startDate = unixSeconds(filters.startDate);
	const endDate = unixSeconds(filters.endDate);
	if (startDate !== undefined) qs.startDate = startDate;
	if (endDate !== undefined) qs.endDate = endDate;
	return await listByPerPage(this, itemIndex, '/conversations', qs, requestedLimit(this, itemIndex), 'conversations');
}
