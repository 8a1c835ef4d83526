import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { INBOX_OPTIONS, agentIdProperty, searchAgents } from './actions/common';
import { EVENTS } from './events';
import { pollOnce } from './trigger';
import { awaitedRepliesProperty } from '../shared/webhook/resume';

export class LiveChatAiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiveChatAI Trigger',
		name: 'liveChatAiTrigger',
		icon: { light: 'file:livechatai.svg', dark: 'file:livechatai.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow on LiveChatAI conversations: new chats, customer messages, requests for a human, closed chats (by polling)',
		defaults: { name: 'LiveChatAI Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'liveChatAiApi', required: true }],
		properties: [
			{
				displayName:
					'LiveChatAI has no webhooks: this trigger asks LiveChatAI for recent conversations at the Poll Times set above. The first check after activation only notes where "now" is; later ones start the workflow once per event, oldest first.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			agentIdProperty,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Conversation Closed',
						value: EVENTS.conversationClosed,
						description: 'A conversation was resolved (isResolved became true)',
					},
					{
						name: 'Human Requested',
						value: EVENTS.humanRequested,
						description: 'The conversation turned to a human agent (isAgent became true)',
					},
					{
						name: 'New Conversation',
						value: EVENTS.newConversation,
						description: 'A conversation was started',
					},
					{
						name: 'New Customer Message',
						value: EVENTS.newCustomerMessage,
						description: 'The end user wrote a message',
					},
				],
				default: [EVENTS.newCustomerMessage],
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Channels',
						name: 'channels',
						type: 'multiOptions',
						options: [
							{ name: 'Full Page', value: 'FULLPAGE' },
							{ name: 'Inline Chat', value: 'INLINECHAT' },
							{ name: 'Messenger', value: 'MESSENGER' },
							{ name: 'Onboarding', value: 'ONBOARDING' },
							{ name: 'Preview', value: 'PREVIEW' },
							{ name: 'Slack', value: 'SLACK' },
							{ name: 'WhatsApp', value: 'WHATSAPP' },
						],
						default: [],
						description: 'Only conversations of these integration types',
					},
					{
						displayName: 'Inbox',
						name: 'inbox',
						type: 'options',
						options: INBOX_OPTIONS,
						default: 'all',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Own Messages',
						name: 'includeOwnMessages',
						type: 'boolean',
						default: false,
						description:
							'Whether to also start the workflow for messages this workflow’s LiveChatAI node sent (Send Message questions and answers, Reply as Human Agent). Off, a workflow never answers itself.',
					},
				],
			},
			awaitedRepliesProperty,
		],
	};

	methods = { listSearch: { searchAgents } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollOnce.call(this);
	}
}
