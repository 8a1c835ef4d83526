import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { invalidParameter, numberParameter, requiredString } from '../../../shared/parameters';
import { omnideskChatCall } from '../../api';

const properties: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com or +31612345678',
		description: 'The customer’s e-mail address or phone number',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Conversation History',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 6 },
		required: true,
		default: '',
		description: 'The chatbot conversation; Markdown is rendered',
	},
	{
		displayName: 'Brand ID',
		name: 'brandId',
		type: 'number',
		required: true,
		default: 0,
		description: 'From Omnidesk → Settings → Brands',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['ticket'], operation: ['createChatbotLog'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const brandId = numberParameter(this, itemIndex, 'brandId', 'Brand ID', { required: true });
	if (!Number.isInteger(brandId) || brandId <= 0) {
		throw invalidParameter(this, itemIndex, 'Brand ID', 'must be the positive number shown in Settings → Brands');
	}
	return await omnideskChatCall.call(this, itemIndex, {
		path: '/api/v2/message/chatbot',
		fields: [
			['from', requiredString(this, itemIndex, 'from', 'From')],
			['subject', requiredString(this, itemIndex, 'subject', 'Subject')],
			['message', requiredString(this, itemIndex, 'message', 'Conversation History')],
			['brandID', brandId],
		],
	});
}
