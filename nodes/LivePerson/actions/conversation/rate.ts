import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { numberParameter } from '../../../shared/parameters';
import { existingConversation, sendRequest } from '../../api';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Rating',
		name: 'csatRate',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 5 },
		default: 5,
		description: 'Customer satisfaction, 1 (worst) to 5 (best)',
	},
	{ displayName: 'Resolved', name: 'resolved', type: 'boolean', default: true, description: 'Whether the consumer says the issue was resolved' },
	{
		displayName: 'Survey Status',
		name: 'surveyStatus',
		type: 'options',
		options: [
			{ name: 'Filled', value: 'FILLED' },
			{ name: 'Partially Filled', value: 'PARTIALLY_FILLED' },
			{ name: 'Skipped', value: 'SKIPPED' },
		],
		default: 'FILLED',
	},
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['rate'] } }, properties);

/** cm.UpdateConversationField: CSATRate (of a closed conversation). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = await existingConversation(this, itemIndex);
	const csatRate = numberParameter(this, itemIndex, 'csatRate', 'Rating', { required: true, integer: true, min: 1, max: 5 });
	const csatResolutionConfirmation = this.getNodeParameter('resolved', itemIndex) as boolean;
	const status = this.getNodeParameter('surveyStatus', itemIndex) as string;
	await sendRequest(this, itemIndex, 'cm.UpdateConversationField', {
		conversationId,
		conversationField: { field: 'CSATRate', csatRate, csatResolutionConfirmation, status },
	});
	return { status: 'rated', conversationId, consumerId: consumerIdOf(this, itemIndex) || null, csatRate, resolved: csatResolutionConfirmation };
}
