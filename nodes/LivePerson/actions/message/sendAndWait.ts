import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { PROVIDERS } from '../../../providers';
import { idParameter } from '../../../shared/parameters';
import { sendAndWaitForReply, waitProperties } from '../../../shared/send-and-wait';
import * as sendText from './sendText';

// Send Text's parameters, its text named Message (what n8n's human-review tool fills in).
const properties: INodeProperties[] = [
	...sendText.properties.map((property) => (property.name === 'text' ? { ...property, displayName: 'Message', name: 'message' } : property)),
	...waitProperties('the agent', 'LivePerson Trigger'),
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendAndWait'] } }, properties);

/**
 * Send Text as the consumer (opening the conversation when there is none), then the execution
 * waits for the agent's next message in that conversation (its close ends the wait too).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const explicit = idParameter(this, itemIndex, 'conversationId', 'Conversation ID') || undefined;
	return await sendAndWaitForReply(this, itemIndex, PROVIDERS.livePerson, {
		conversationId: explicit,
		send: async () => {
			const sent = await sendText.sendConsumerText(this, itemIndex, 'message', 'Message');
			return { conversationId: sent.conversationId, sent };
		},
	});
}
