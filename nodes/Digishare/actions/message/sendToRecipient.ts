import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, idValue, invalidParameter, textParameter, textValue } from '../../../shared/parameters';
import { firstProblem } from '../../../shared/validation';
import { digishareRequest } from '../../api';
import { textMessage } from '../../schemas';
import { channelProperty, providerInstanceIdProperty, recipientIdProperty, textProperty } from '../common';

/** Digishare's event ingest host (docs: livechat/2.Conversation/2.send-on-conversation). */
export const DEFAULT_INGEST_URL = 'https://api-app.digishare.ma/v1';

const properties: INodeProperties[] = [
	{
		displayName:
			'Sends as an agent to a phone number or platform ID, opening a conversation when there is none. Digishare queues it and answers "accepted". On WhatsApp, more than 24 h after the customer\'s last message the channel may refuse delivery.',
		name: 'sendToRecipientNotice',
		type: 'notice',
		default: '',
	},
	providerInstanceIdProperty('The channel account (API provider instance) to send from'),
	channelProperty,
	recipientIdProperty,
	textProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Conversation ID',
				name: 'conversationId',
				type: 'string',
				default: '',
				description: 'Post into this conversation instead of the contact’s active (or a new) one',
			},
			{
				displayName: "Deliver to Customer's Channel",
				name: 'sendToThird',
				type: 'boolean',
				default: true,
				description: "Whether to push the message to the customer's platform",
			},
			{
				displayName: 'Ingest Base URL',
				name: 'ingestUrl',
				type: 'string',
				default: DEFAULT_INGEST_URL,
				description: 'Digishare serves this endpoint from its own host; change it only for a sandbox',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendToRecipient'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const text = textParameter(this, itemIndex, 'text', 'Text');
	const problem = firstProblem(textMessage, { type: 'text', body: text });
	if (problem) throw invalidParameter(this, itemIndex, 'Text', problem.message);
	const body: IDataObject = {
		event_type: 'conversation_message',
		channel: idParameter(this, itemIndex, 'channel', 'Channel', { required: true }),
		type: 'text',
		send_to_third: (options.sendToThird as boolean | undefined) ?? true,
		api_provider_instance_id: idParameter(this, itemIndex, 'providerInstanceId', 'API Provider Instance ID', { required: true }),
		recipient_id: idParameter(this, itemIndex, 'recipientId', 'Recipient ID', { required: true }),
		body: text,
	};
	const conversationId = idValue(this, itemIndex, 'Options → Conversation ID', options.conversationId);
	if (conversationId) body.conversation_id = conversationId;
	if (options.sendToThird !== undefined && typeof options.sendToThird !== 'boolean') {
		throw invalidParameter(this, itemIndex, "Options → Deliver to Customer's Channel", 'expected true or false');
	}
	const base = (textValue(this, itemIndex, 'Options → Ingest Base URL', options.ingestUrl, { trim: true }) || DEFAULT_INGEST_URL).replace(/\/+$/, '');
	return (await digishareRequest.call(this, {
		method: 'POST',
		url: `${base}/event/conversation_message`,
		body,
		itemIndex,
	})) as IDataObject;
}
