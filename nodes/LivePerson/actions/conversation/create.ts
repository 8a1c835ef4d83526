import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { textValue } from '../../../shared/parameters';
import { openConversation } from '../../api';
import { consumerIdOf, consumerIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Consumer Profile',
		name: 'profile',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'Shown to the agent (customer info and personal SDEs)',
		options: [
			{ displayName: 'Company Branch', name: 'companyBranch', type: 'string', default: '' },
			{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '' },
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{
				displayName: 'Gender',
				name: 'gender',
				type: 'options',
				options: [
					{ name: 'Female', value: 'FEMALE' },
					{ name: 'Male', value: 'MALE' },
					{ name: 'Other', value: 'OTHER' },
				],
				default: 'OTHER',
			},
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{ displayName: 'Social ID', name: 'socialId', type: 'string', default: '' },
			{ displayName: 'Tier', name: 'tier', type: 'string', default: '', description: 'Customer type or tier, e.g. vip' },
		],
	},
	{
		displayName: 'Routing',
		name: 'routing',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{ displayName: 'Campaign ID', name: 'campaignId', type: 'string', default: '', description: 'With Engagement ID: LivePerson’s preferred routing' },
			{ displayName: 'Engagement ID', name: 'engagementId', type: 'string', default: '' },
			{ displayName: 'Language', name: 'lang', type: 'string', default: '', placeholder: 'en-US' },
			{ displayName: 'Skill ID', name: 'skillId', type: 'string', default: '', description: '-1 for any skill' },
			{
				displayName: 'Time to Respond',
				name: 'ttr',
				type: 'options',
				options: [
					{ name: 'Normal', value: 'NORMAL' },
					{ name: 'Prioritized', value: 'PRIORITIZED' },
					{ name: 'Urgent', value: 'URGENT' },
				],
				default: 'NORMAL',
			},
		],
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['create'] } }, properties);

/** A collection of text fields through the text policy (trimmed; empty ones left out). */
function textFields(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): IDataObject {
	const options = (properties.find((property) => property.name === name)?.options ?? []) as INodeProperties[];
	const fields: IDataObject = {};
	for (const [key, value] of Object.entries((ctx.getNodeParameter(name, itemIndex, {}) as IDataObject) ?? {})) {
		const text = textValue(ctx, itemIndex, `${label} → ${options.find((option) => option.name === key)?.displayName ?? key}`, value, { trim: true });
		if (text) fields[key] = text;
	}
	return fields;
}

/** CONVERSATION: SetUserProfile, then ConsumerRequestConversation; remembered as the consumer's open conversation. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = await openConversation(this, itemIndex, {
		profile: textFields(this, itemIndex, 'profile', 'Consumer Profile'),
		routing: textFields(this, itemIndex, 'routing', 'Routing'),
	});
	return { conversationId, consumerId: consumerIdOf(this, itemIndex) || null };
}
