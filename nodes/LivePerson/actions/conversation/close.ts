import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { existingConversation, sendRequest } from '../../api';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['close'] } }, properties);

/** cm.UpdateConversationField: ConversationStateField CLOSE. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = await existingConversation(this, itemIndex);
	const answer = (await sendRequest(this, itemIndex, 'cm.UpdateConversationField', {
		conversationId,
		conversationField: { field: 'ConversationStateField', conversationState: 'CLOSE' },
	})) as IDataObject;
	return { status: 'closed', conversationId, consumerId: consumerIdOf(this, itemIndex) || null, message: (answer.body as IDataObject | undefined)?.msg ?? null };
}
