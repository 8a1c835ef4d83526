import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requestedLimit, returnAllOrLimit } from '../../../shared/descriptions';
import { invalidParameter, idValue, textValue } from '../../../shared/parameters';
import { listByPerPage } from '../../api';
import { INBOX_OPTIONS, agentIdOf, agentIdProperty } from '../common';

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
				options: INBOX_OPTIONS,
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
function unixSeconds(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): number | undefined {
	// A Date or a Luxon DateTime (e.g. {{ $now.minus(1, 'day') }}) counts as its instant.
	const toMillis = (value as { toMillis?: unknown } | null)?.toMillis;
	const millis = value instanceof Date ? value.getTime() : typeof toMillis === 'function' ? Number(toMillis.call(value)) : undefined;
	if (millis !== undefined) {
		if (!Number.isFinite(millis)) throw invalidParameter(ctx, itemIndex, label, 'is an invalid date');
		return Math.floor(millis / 1000);
	}
	const text = textValue(ctx, itemIndex, label, value, { trim: true });
	if (!text) return undefined;
	const time = Date.parse(text);
	if (Number.isNaN(time)) throw invalidParameter(ctx, itemIndex, label, `expected a date and time, got "${text.slice(0, 40)}"`);
	return Math.floor(time / 1000);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = agentIdOf(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = { agentId, sort: this.getNodeParameter('sort', itemIndex, 'desc') as string };
	for (const name of ['type', 'status']) if (filters[name]) qs[name] = textValue(this, itemIndex, `Filters → ${name === 'type' ? 'Inbox' : 'Status'}`, filters[name]);
	const viewId = idValue(this, itemIndex, 'Filters → View ID', filters.viewId);
	if (viewId) qs.viewId = viewId;
	const startDate = unixSeconds(this, itemIndex, 'Filters → Started After', filters.startDate);
	const endDate = unixSeconds(this, itemIndex, 'Filters → Started Before', filters.endDate);
	if (startDate !== undefined) qs.startDate = startDate;
	if (endDate !== undefined) qs.endDate = endDate;
	return await listByPerPage(this, itemIndex, '/conversations', qs, requestedLimit(this, itemIndex), 'conversations');
}
