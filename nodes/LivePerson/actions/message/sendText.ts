import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { textParameter } from '../../../shared/parameters';
import { inConsumerConversation, publishEvent } from '../../api';
import { LIMITS } from '../../schemas';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

export const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'What the consumer says to the agent',
	},
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendText'] } }, properties);

/**
 * ms.PublishEvent ContentEvent text/plain (the seed's body) from the `field` parameter (labelled
 * `label`), in the consumer's conversation (opened when there is none).
 */
export async function sendConsumerText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field = 'text',
	label = 'Text',
): Promise<IDataObject & { conversationId: string }> {
	// LivePerson refuses a request JSON over 5000 characters (liveperson.md §8): a longer text never fits.
	const text = textParameter(ctx, itemIndex, field, label, {
		required: true,
		trim: true,
		maxLength: LIMITS.requestChars,
		limitOf: 'LivePerson accepts requests of',
	});
	const sent = await inConsumerConversation(ctx, itemIndex, async (conversationId) => {
		const answer = await publishEvent(ctx, itemIndex, conversationId, { type: 'ContentEvent', contentType: 'text/plain', message: text }, label);
		return { sequence: (answer.body as IDataObject | undefined)?.sequence ?? null };
	});
	return { status: 'sent', consumerId: consumerIdOf(ctx, itemIndex) || null, ...sent };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await sendConsumerText(this, itemIndex);
}
