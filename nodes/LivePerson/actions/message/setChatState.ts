import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { existingConversation, publishEvent } from '../../api';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Chat State',
		name: 'chatState',
		type: 'options',
		options: [
			{ name: 'Active', value: 'ACTIVE', description: 'The consumer is in the chat' },
			{ name: 'Composing', value: 'COMPOSING', description: 'The consumer is typing (send another state when they stop)' },
			{ name: 'Gone', value: 'GONE', description: 'The consumer closed the chat application' },
			{ name: 'Inactive', value: 'INACTIVE', description: 'The consumer navigated away; the application is still open' },
			{ name: 'Pause', value: 'PAUSE', description: 'The consumer stopped typing' },
		],
		default: 'COMPOSING',
	},
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['setChatState'] } }, properties);

/** ms.PublishEvent ChatStateEvent (the seed's body). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = await existingConversation(this, itemIndex);
	const chatState = this.getNodeParameter('chatState', itemIndex) as string;
	await publishEvent(this, itemIndex, conversationId, { type: 'ChatStateEvent', chatState });
	return { status: 'sent', conversationId, consumerId: consumerIdOf(this, itemIndex) || null, chatState };
}
