import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { PROVIDERS } from '../../../providers';
import { idParameter } from '../../../shared/parameters';
import { sendAndWaitForReply, waitProperties } from '../../../shared/send-and-wait';
import * as reply from './reply';

const properties: INodeProperties[] = [...reply.properties, ...waitProperties('the customer', 'LiveChatAI Trigger')];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['sendAndWait'] } }, properties);

/**
 * Reply as Human Agent, then the execution waits for the customer's next message in that
 * conversation, which the LiveChatAI Trigger's poll finds (a closed conversation ends the wait).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', { required: true });
	return await sendAndWaitForReply(this, itemIndex, PROVIDERS.liveChatAi, {
		conversationId,
		send: async () => ({ conversationId, sent: await reply.execute.call(this, itemIndex) }),
	});
}
