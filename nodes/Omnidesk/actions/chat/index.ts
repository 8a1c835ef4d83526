import type { INodeProperties } from 'n8n-workflow';
import * as checkAvailability from './checkAvailability';
import * as endSession from './endSession';
import * as sendAndWait from './sendAndWait';
import * as sendEvent from './sendEvent';
import * as sendMessage from './sendMessage';
import * as uploadAttachment from './uploadAttachment';

export const operations = {
	checkAvailability: checkAvailability.execute,
	endSession: endSession.execute,
	sendAndWait: sendAndWait.execute,
	sendEvent: sendEvent.execute,
	sendMessage: sendMessage.execute,
	uploadAttachment: uploadAttachment.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'Check Agent Availability',
				value: 'checkAvailability',
				description: 'Find out whether a human agent is online before handing over',
				action: 'Check agent availability',
			},
			{
				name: 'End Session',
				value: 'endSession',
				description: 'Tell Omnidesk the customer’s chat session is over',
				action: 'End a chat session with a human agent',
			},
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWait',
				description: 'Send, pause the workflow until the agent replies in the conversation, then go on with the reply',
				action: 'Send a message and wait for the reply',
			},
			{
				name: 'Send Customer Message',
				value: 'sendMessage',
				description: 'Hand a chat to a human agent, or pass on the customer’s next message',
				action: 'Send a customer message to a human agent',
			},
			{
				name: 'Send Event',
				value: 'sendEvent',
				description: 'Tell the agent the customer is typing, or expanded/minimized the chat',
				action: 'Send a chat event',
			},
			{
				name: 'Upload Attachment',
				value: 'uploadAttachment',
				description: 'Send a file from the customer to the agent',
				action: 'Upload an attachment',
			},
		],
		default: 'sendMessage',
	},
	...checkAvailability.description,
	...endSession.description,
	...sendEvent.description,
	...sendMessage.description,
	...sendAndWait.description,
	...uploadAttachment.description,
];
