import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requiredString } from '../../../shared/parameters';
import { apiRequest } from '../../../shared/transport';
import { digishareApi } from '../../api';
import { channelProperty } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'API Provider ID',
		name: 'apiProviderId',
		type: 'string',
		required: true,
		default: '',
	},
	channelProperty,
	{
		displayName: 'Contact ID',
		name: 'thirdId',
		type: 'string',
		required: true,
		default: '',
		description: 'Digishare contact (Third) ID',
	},
	{
		displayName: 'Channel Identity',
		name: 'channelIdentity',
		type: 'string',
		required: true,
		default: '',
		description: 'The contact’s identity on the channel, e.g. the phone number',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Check Endpoint URL',
				name: 'checkUrl',
				type: 'string',
				default: '',
				placeholder: 'https://calclytics.digishare.ma/api/conversations/check',
				description:
					"Full URL of the check endpoint. Digishare's docs name two hosts; leave empty to use {base URL}/conversations/check.",
			},
			{
				displayName: 'Platform Link ID',
				name: 'platformLinkId',
				type: 'string',
				default: '',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['check'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { checkUrl?: string; platformLinkId?: string };
	const qs: IDataObject = {
		company_id: requiredString(this, itemIndex, 'companyId', 'Company ID'),
		api_provider_id: requiredString(this, itemIndex, 'apiProviderId', 'API Provider ID'),
		channel: requiredString(this, itemIndex, 'channel', 'Channel'),
		third_id: requiredString(this, itemIndex, 'thirdId', 'Contact ID'),
		channel_identity: requiredString(this, itemIndex, 'channelIdentity', 'Channel Identity'),
	};
	if (options.platformLinkId) qs.platform_link_id = options.platformLinkId;
	const checkUrl = options.checkUrl?.trim();
	return (await apiRequest.call(this, digishareApi, {
		method: 'GET',
		...(checkUrl ? { url: checkUrl } : { path: '/conversations/check' }),
		qs,
		itemIndex,
	})) as IDataObject;
}
