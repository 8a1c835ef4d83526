import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idListParameter, invalidParameter } from '../../../shared/parameters';
import { existingConversation, publishEvent } from '../../api';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Accept', value: 'ACCEPT', description: 'The consumer received the messages' },
			{ name: 'Access', value: 'ACCESS', description: 'The consumer opened the file' },
			{ name: 'Action', value: 'ACTION', description: 'A reply to structured content the agent sent' },
			{ name: 'Not Received (NACK)', value: 'NACK' },
			{ name: 'Read', value: 'READ', description: 'The consumer read the messages' },
		],
		default: 'READ',
	},
	{
		displayName: 'Sequence Numbers',
		name: 'sequenceList',
		type: 'string',
		default: '={{ $json.raw?.sequence }}',
		required: true,
		description: 'The agent messages acknowledged, by their sequence number (comma-separated); the LivePerson Trigger outputs it as raw.sequence',
	},
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['acknowledge'] } }, properties);

/** ms.PublishEvent AcceptStatusEvent with a sequence list (the seed's body). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = await existingConversation(this, itemIndex);
	const status = this.getNodeParameter('status', itemIndex) as string;
	const parts = idListParameter(this, itemIndex, 'sequenceList', 'Sequence Numbers');
	const sequenceList = parts.map(Number);
	if (!sequenceList.length || sequenceList.some((n) => !Number.isInteger(n) || n < 0)) {
		throw invalidParameter(this, itemIndex, 'Sequence Numbers', `must be whole numbers, e.g. 1,2 (got "${parts.join(',')}")`);
	}
	await publishEvent(this, itemIndex, conversationId, { type: 'AcceptStatusEvent', status, sequenceList });
	return { status: 'sent', conversationId, consumerId: consumerIdOf(this, itemIndex) || null, acceptStatus: status, sequenceList };
}
