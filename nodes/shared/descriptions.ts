/** Parameter definitions every provider's list operations share. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { numberParameter } from './parameters';

/** "Return All" and "Limit", as n8n's own nodes present them. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The item limit the user asked for: undefined for Return All. */
export function requestedLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : numberParameter(ctx, itemIndex, 'limit', 'Limit', { required: true, integer: true, min: 1 });
}

/**
 * The Batching option every action node has, as n8n's HTTP Request node offers it: items sent at
 * once, and a pause between batches. Empty = one item after the other.
 */
export const batchingProperty: INodeProperties = {
	displayName: 'Batching',
	name: 'batching',
	type: 'collection',
	placeholder: 'Add Batching Option',
	default: {},
	description: 'Send several items at once to go faster; output order and item pairing are kept',
	options: [
		{
			displayName: 'Batch Interval (Ms)',
			name: 'batchInterval',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Time to wait between batches, in milliseconds (0 = none)',
		},
		{
			displayName: 'Items per Batch',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description: 'How many items are sent at the same time (1 = one after the other)',
		},
	],
};
