import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, idValue } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { channelProperty, providerInstanceIdProperty, recipientIdProperty } from '../common';

const properties: INodeProperties[] = [
	providerInstanceIdProperty('The channel account (API provider instance) to open the conversation on'),
	channelProperty,
	recipientIdProperty,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Archive Active Conversation',
				name: 'archive_active_conversation',
				type: 'boolean',
				default: true,
				description: "Whether to archive the contact's active conversation before creating a new one",
			},
			{
				displayName: 'Contact ID',
				name: 'third_id',
				type: 'string',
				default: '',
				description: 'Digishare contact (Third) ID, if known',
			},
			{
				displayName: 'Platform Link ID',
				name: 'platform_link_id',
				type: 'string',
				default: '',
				description: 'A known platform link; skips contact resolution',
			},
			{
				displayName: 'Reactivate Archived Conversation',
				name: 'reactivate_archived_conversation',
				type: 'boolean',
				default: false,
				description: "Whether to reopen the contact's most recently archived conversation instead of creating one",
			},
		],
	},
];

const ID_LABELS: Record<string, string> = { third_id: 'Contact ID', platform_link_id: 'Platform Link ID' };

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = {
		provider_instance_id: idParameter(this, itemIndex, 'providerInstanceId', 'API Provider Instance ID', { required: true }),
		channel: idParameter(this, itemIndex, 'channel', 'Channel', { required: true }),
		recipient_id: idParameter(this, itemIndex, 'recipientId', 'Recipient ID', { required: true }),
	};
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const [key, value] of Object.entries(additional)) {
		if (typeof value === 'boolean') body[key] = value;
		else if (key in ID_LABELS) {
			const id = idValue(this, itemIndex, `Additional Fields → ${ID_LABELS[key]}`, value);
			if (id) body[key] = id;
		}
	}
	return (await digishareRequest.call(this, {
		method: 'POST',
		path: '/conversations/provider',
		body,
		itemIndex,
	})) as IDataObject;
}
