import type { INodeProperties } from 'n8n-workflow';
import * as acknowledge from './acknowledge';
import * as downloadFile from './downloadFile';
import * as sendAndWait from './sendAndWait';
import * as sendFile from './sendFile';
import * as sendText from './sendText';
import * as setChatState from './setChatState';

export const operations = {
	acknowledge: acknowledge.execute,
	downloadFile: downloadFile.execute,
	sendAndWait: sendAndWait.execute,
	sendFile: sendFile.execute,
	sendText: sendText.execute,
	setChatState: setChatState.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Acknowledge',
				value: 'acknowledge',
				description: 'Tell the agent the consumer received or read messages',
				action: 'Acknowledge messages',
			},
			{ name: 'Download File', value: 'downloadFile', description: 'Get a file an agent sent', action: 'Download a file' },
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWait',
				description: 'Send, pause the workflow until the agent replies in the conversation, then go on with the reply',
				action: 'Send a message and wait for the reply',
			},
			{ name: 'Send File', value: 'sendFile', description: 'Send an image from the consumer to the agent', action: 'Send a file' },
			{
				name: 'Send Text',
				value: 'sendText',
				description: 'Send the consumer’s message; opens a conversation when the consumer has none',
				action: 'Send a text message to a human agent',
			},
			{ name: 'Set Chat State', value: 'setChatState', description: 'Typing, paused, away…', action: 'Set the chat state' },
		],
		default: 'sendText',
	},
	...acknowledge.description,
	...downloadFile.description,
	...sendAndWait.description,
	...sendFile.description,
	...sendText.description,
	...setChatState.description,
];
