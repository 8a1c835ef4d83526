/** Contact (Third) fields shared by Create and Update, and how they map to Digishare's body. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { describeValue, idListValue, invalidParameter, keyValueObject, textValue } from '../../../shared/parameters';

export const contactIdProperty: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	required: true,
	default: '',
	description: 'Digishare contact (Third) ID',
};

export const contactFieldOptions: INodeProperties[] = [
	{ displayName: 'Address', name: 'address', type: 'string', default: '' },
	{ displayName: 'Address Line 2', name: 'address_2', type: 'string', default: '' },
	{
		displayName: 'Birthday',
		name: 'birthday',
		type: 'string',
		default: '',
		placeholder: '1990-04-23',
		description: 'Date of birth as YYYY-MM-DD',
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Custom Field',
		default: {},
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	{
		displayName: 'External Reference',
		name: 'ext_ref',
		type: 'string',
		default: '',
		description: 'Your own ID for this contact (unique per company)',
	},
	{ displayName: 'First Name', name: 'first_name', type: 'string', default: '' },
	{
		displayName: 'Gender',
		name: 'gender',
		type: 'options',
		options: [
			{ name: 'Female', value: 'female' },
			{ name: 'Male', value: 'male' },
			{ name: 'Other', value: 'other' },
		],
		default: 'female',
	},
	{
		displayName: 'Group IDs',
		name: 'group_type_id',
		type: 'string',
		default: '',
		description: 'Comma-separated group IDs. On update this replaces all groups.',
	},
	{ displayName: 'Is Company', name: 'is_company', type: 'boolean', default: false, description: 'Whether the contact is a company' },
	{
		displayName: 'Language',
		name: 'lang',
		type: 'options',
		options: [
			{ name: 'Arabic', value: 'ar' },
			{ name: 'English', value: 'en' },
			{ name: 'French', value: 'fr' },
		],
		default: 'en',
	},
	{ displayName: 'Last Name', name: 'last_name', type: 'string', default: '' },
	{ displayName: 'Mobile', name: 'mobile', type: 'string', default: '', description: 'Normalised to E.164 by Digishare' },
	{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Full display name' },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
	{ displayName: 'Premium', name: 'premium', type: 'boolean', default: false, description: 'Whether the contact is premium' },
	{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated tags' },
	{ displayName: 'Verified', name: 'verified', type: 'boolean', default: false, description: 'Whether the contact is verified' },
	{
		displayName: 'WhatsApp ID',
		name: 'wa_id',
		type: 'string',
		default: '',
		description: 'WhatsApp ID (unique per company)',
	},
];

const LIST_FIELDS = new Set(['tags', 'group_type_id']);

/** Turns the collection into Digishare's Third body; rejects an empty update. */
export function contactBody(ctx: IExecuteFunctions, itemIndex: number, collectionName: string, label: string): IDataObject {
	const fields = ctx.getNodeParameter(collectionName, itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (key === 'customFields') {
			const customFields = keyValueObject(value, 'field', { ctx, itemIndex, label: `${label} → Custom Fields` });
			if (Object.keys(customFields).length) body.data = { custom_fields: customFields };
			continue;
		}
		const option = contactFieldOptions.find((candidate) => candidate.name === key);
		const fieldLabel = `${label} → ${option?.displayName ?? key}`;
		if (LIST_FIELDS.has(key)) {
			const ids = idListValue(ctx, itemIndex, fieldLabel, value);
			if (ids.length) body[key] = ids;
		} else if (option?.type === 'boolean') {
			if (typeof value !== 'boolean') throw invalidParameter(ctx, itemIndex, fieldLabel, `expected true or false, got ${describeValue(value)}`);
			body[key] = value;
		} else {
			const text = textValue(ctx, itemIndex, fieldLabel, value, { trim: true });
			if (text) body[key] = text;
		}
	}
	if (typeof body.birthday === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(body.birthday)) {
		throw invalidParameter(ctx, itemIndex, `${label} → Birthday`, 'use the format YYYY-MM-DD');
	}
	if (Object.keys(body).length === 0) {
		throw invalidParameter(ctx, itemIndex, label, 'add at least one field');
	}
	return body;
}
