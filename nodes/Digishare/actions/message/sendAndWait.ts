import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { PROVIDERS } from '../../../providers';
import { idParameter, invalidParameter, textParameter } from '../../../shared/parameters';
import { sendAndWaitForReply, waitProperties } from '../../../shared/send-and-wait';
import { firstProblem } from '../../../shared/validation';
import { digishareRequest } from '../../api';
import { POST_INTO, conversationIdProperty } from '../common';
import { LIMITS, textMessage } from '../../schemas';

const properties: INodeProperties[] = [
	conversationIdProperty(POST_INTO),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'What is your order number?',
		description: `The text the customer gets (at most ${LIMITS.textLength} characters)`,
	},
	{
		displayName: "Deliver to Customer's Channel",
		name: 'sendToThird',
		type: 'boolean',
		default: true,
		description: "Whether to deliver the message to the customer's platform (e.g. WhatsApp). Turn off to post it only inside Digishare.",
	},
	...waitProperties('the customer', 'Digishare Trigger'),
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendAndWait'] } }, properties);

/** POST /messages (text), then the execution waits for the customer's next message in the conversation. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', {
		required: true,
		requiredHint: '(e.g. {{ $json.conversationId }} from the Digishare Trigger)',
	});
	const message = { type: 'text', body: textParameter(this, itemIndex, 'message', 'Message') };
	const problem = firstProblem(textMessage, message);
	if (problem) throw invalidParameter(this, itemIndex, 'Message', problem.message.replace(/^Text/, 'Message'));
	const sendToThird = this.getNodeParameter('sendToThird', itemIndex, true) as boolean;
	return await sendAndWaitForReply(this, itemIndex, PROVIDERS.digishare, {
		conversationId,
		send: async () => {
			const response = await digishareRequest.call(this, {
				method: 'POST',
				path: '/messages',
				body: { conversation_id: conversationId, ...message, send_to_third: sendToThird },
				itemIndex,
			});
			return { conversationId, sent: response && typeof response === 'object' ? (response as IDataObject) : {} };
		},
	});
}
