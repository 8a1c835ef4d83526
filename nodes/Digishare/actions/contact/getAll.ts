import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requestedLimit, returnAllOrLimit } from '../../../shared/descriptions';
import { keyValueObject, textValue } from '../../../shared/parameters';
import { collectPages } from '../../../shared/pagination';
import { digishareRequest } from '../../api';
import { includeProperty } from './include';

/**
 * Operators Digishare's `custom_filters` accepts. The option values are words because a
 * parameter value starting with "=" is an expression in n8n.
 */
const OPERATORS: Record<string, string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=', ne: '!=' };

/** Digishare's largest page (docs: `limit` max 100). */
const MAX_PAGE_SIZE = 100;

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Custom Field Filters',
				name: 'customFilters',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Custom Field Filter',
				default: {},
				options: [
					{
						displayName: 'Filter',
						name: 'filter',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{
								displayName: 'Operator',
								name: 'operator',
								type: 'options',
								options: [
									{ name: 'Equals', value: 'eq' },
									{ name: 'Greater Than', value: 'gt' },
									{ name: 'Greater Than or Equal', value: 'gte' },
									{ name: 'Less Than', value: 'lt' },
									{ name: 'Less Than or Equal', value: 'lte' },
									{ name: 'Not Equal', value: 'ne' },
								],
								default: 'eq',
							},
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Matches name, email or phone',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ ...includeProperty(false) },
			{
				displayName: 'Order By',
				name: 'orderBy',
				type: 'string',
				default: 'created_at',
				description: 'Field to sort by',
			},
			{
				displayName: 'Sort Direction',
				name: 'sortedBy',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

interface ThirdsPage {
	data?: IDataObject[];
	meta?: { pagination?: { current_page?: number; total_pages?: number } };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = requestedLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const qs: IDataObject = {};
	const search = textValue(this, itemIndex, 'Filters → Search', filters.search);
	if (search) qs.search = search;
	const customFilters = ((filters.customFilters as IDataObject)?.filter as Array<{ key?: unknown; operator?: string; value?: unknown }>) ?? [];
	const custom: IDataObject = {};
	for (const filter of customFilters) {
		// Key and value through the text policy, one entry at a time.
		const [key, value] = Object.entries(keyValueObject({ filter: [filter] }, 'filter', { ctx: this, itemIndex, label: 'Filters → Custom Field Filters' }))[0] ?? [];
		if (key) custom[key] = { operator: OPERATORS[filter.operator ?? 'eq'] ?? '=', value: value ?? '' };
	}
	if (Object.keys(custom).length) qs.custom_filters = JSON.stringify(custom);
	const orderBy = textValue(this, itemIndex, 'Options → Order By', options.orderBy, { trim: true });
	if (orderBy) qs.orderBy = orderBy;
	if (options.sortedBy) qs.sortedBy = options.sortedBy;
	if (Array.isArray(options.include) && options.include.length) qs.include = options.include.join(',');

	const pageSize = limit === undefined ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE);
	return await collectPages<IDataObject>(async (page) => {
		const response = (await digishareRequest.call(this, {
			method: 'GET',
			path: '/thirds',
			qs: { ...qs, page, limit: pageSize },
			itemIndex,
		})) as ThirdsPage;
		const pagination = response.meta?.pagination;
		const current = pagination?.current_page ?? page;
		const totalPages = pagination?.total_pages ?? current;
		return { items: response.data ?? [], hasMore: current < totalPages };
	}, limit);
}
