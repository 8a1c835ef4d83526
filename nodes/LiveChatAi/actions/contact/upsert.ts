import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, idValue, keyValueObject, textValue } from '../../../shared/parameters';
import { liveChatAiRequest } from '../../api';
import { agentIdOf, agentIdProperty } from '../common';

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

const FIELD_LABELS: Record<string, string> = { contactId: 'Contact ID', email: 'Email', name: 'Name', phone: 'Phone', userHash: 'User Hash' };

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['upsert'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = agentIdOf(this, itemIndex);
	const body: IDataObject = { agentId, distinctId: idParameter(this, itemIndex, 'distinctId', 'Distinct ID', { required: true }) };
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const [key, value] of Object.entries(fields)) {
		if (key === 'attributes') {
			const attributes = keyValueObject(value, 'attribute', { ctx: this, itemIndex, label: 'Additional Fields → Attributes' });
			if (Object.keys(attributes).length) body.attributes = attributes;
		} else {
			const label = `Additional Fields → ${FIELD_LABELS[key] ?? key}`;
			const text = key === 'contactId' ? idValue(this, itemIndex, label, value) : textValue(this, itemIndex, label, value, { trim: true });
			if (text) body[key] = text;
		}
	}
	const response = await liveChatAiRequest.call(this, { method: 'POST', path: '/contacts', body, itemIndex });
	return { contactId: response.contactId ?? (response.data as IDataObject)?.contactId ?? null, distinctId: body.distinctId as string, agentId };
}
