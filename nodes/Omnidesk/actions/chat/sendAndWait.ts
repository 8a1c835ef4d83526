import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { PROVIDERS } from '../../../providers';
import { idParameter } from '../../../shared/parameters';
import { sendAndWaitForReply, waitProperties } from '../../../shared/send-and-wait';
import * as sendMessage from './sendMessage';

const properties: INodeProperties[] = [...sendMessage.properties, ...waitProperties('the agent', 'Omnidesk Trigger')];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['sendAndWait'] } }, properties);

/**
 * Send Customer Message, then the execution waits for the agent's reply in that chat session
 * (a message or a file; End Session from the agent ends the wait too).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'chatSessionId', 'Chat Session ID', { required: true });
	return await sendAndWaitForReply(this, itemIndex, PROVIDERS.omnidesk, {
		conversationId,
		send: async () => {
			const sent = await sendMessage.execute.call(this, itemIndex);
			return { conversationId: String(sent.chatSessionId ?? conversationId), sent };
		},
	});
}
