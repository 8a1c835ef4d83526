import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { PROVIDERS } from '../../../providers';
import { idParameter, textParameter } from '../../../shared/parameters';
import { sendAndWaitForReply, waitProperties } from '../../../shared/send-and-wait';
import { inConsumerConversation, publishEvent } from '../../api';
import { LIMITS } from '../../schemas';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'What the consumer says to the agent',
	},
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
	...waitProperties('the agent', 'LivePerson Trigger'),
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendAndWait'] } }, properties);

/**
 * Send Text as the consumer (opening the conversation when there is none), then the execution
 * waits for the agent's next message in that conversation (its close ends the wait too).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const text = textParameter(this, itemIndex, 'message', 'Message', {
		required: true,
		trim: true,
		maxLength: LIMITS.requestChars,
		limitOf: 'LivePerson accepts requests of',
	});
	const explicit = idParameter(this, itemIndex, 'conversationId', 'Conversation ID') || undefined;
	return await sendAndWaitForReply(this, itemIndex, PROVIDERS.livePerson, {
		conversationId: explicit,
		send: async () => {
			const sent = await inConsumerConversation(this, itemIndex, async (conversationId) => {
				const answer = await publishEvent(this, itemIndex, conversationId, { type: 'ContentEvent', contentType: 'text/plain', message: text }, 'Message');
				return { sequence: (answer.body as IDataObject | undefined)?.sequence ?? null };
			});
			return { conversationId: sent.conversationId, sent: { status: 'sent', consumerId: consumerIdOf(this, itemIndex) || null, ...sent } };
		},
	});
}
