import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { keyValueObject, requiredString } from '../../../shared/parameters';
import { agentIdOf, agentIdProperty, liveChatAiRequest } from '../../api';

const properties: INodeProperties[] = [
	agentIdProperty,
	{
		displayName: 'Distinct ID',
		name: 'distinctId',
		type: 'string',
		required: true,
		default: '',
		description: 'Your stable ID for this person; the same ID updates the same contact',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Attributes',
				name: 'attributes',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Attribute',
				default: {},
				description: 'Only attributes defined for the agent in LiveChatAI are stored',
				options: [
					{
						displayName: 'Attribute',
						name: 'attribute',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Update this existing LiveChatAI contact',
			},
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
			{
				displayName: 'User Hash',
				name: 'userHash',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Required when secure identification is enabled on the agent',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['upsert'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = agentIdOf(this, itemIndex);
	const body: IDataObject = { agentId, distinctId: requiredString(this, itemIndex, 'distinctId', 'Distinct ID') };
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const [key, value] of Object.entries(fields)) {
		if (key === 'attributes') {
			const attributes = keyValueObject(value, 'attribute');
			if (Object.keys(attributes).length) body.attributes = attributes;
		} else if (value !== '' && value !== undefined) {
			body[key] = value;
		}
	}
	const response = await liveChatAiRequest.call(this, { method: 'POST', path: '/contacts', body, itemIndex });
	return { contactId: response.contactId ?? (response.data as IDataObject)?.contactId ?? null, distinctId: body.distinctId as string, agentId };
}
