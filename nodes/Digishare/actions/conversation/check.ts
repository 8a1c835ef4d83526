import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, idValue, textValue } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
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
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		company_id: idParameter(this, itemIndex, 'companyId', 'Company ID', { required: true }),
		api_provider_id: idParameter(this, itemIndex, 'apiProviderId', 'API Provider ID', { required: true }),
		channel: idParameter(this, itemIndex, 'channel', 'Channel', { required: true }),
		third_id: idParameter(this, itemIndex, 'thirdId', 'Contact ID', { required: true }),
		channel_identity: idParameter(this, itemIndex, 'channelIdentity', 'Channel Identity', { required: true }),
	};
	const platformLinkId = idValue(this, itemIndex, 'Options → Platform Link ID', options.platformLinkId);
	if (platformLinkId) qs.platform_link_id = platformLinkId;
	const checkUrl = textValue(this, itemIndex, 'Options → Check Endpoint URL', options.checkUrl, { trim: true });
	return (await digishareRequest.call(this, {
		method: 'GET',
		...(checkUrl ? { url: checkUrl } : { path: '/conversations/check' }),
		qs,
		itemIndex,
	})) as IDataObject;
}
