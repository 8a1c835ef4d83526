/** Parameters the Omnidesk chat operations share. */
import type { INodeProperties } from 'n8n-workflow';

export const sessionIdProperty: INodeProperties = {
	displayName: 'Chat Session ID',
	name: 'chatSessionId',
	type: 'string',
	required: true,
	default: '={{ $json.conversationId }}',
	description:
		'Your own ID for this chat, the same for the whole session (letters, digits and -). The default takes the conversation ID from a chat trigger, e.g. the Digishare Trigger.',
};

export const chatServerProperty: INodeProperties = {
	displayName: 'Chat Server',
	name: 'chatServer',
	type: 'string',
	default: '',
	placeholder: 'Empty: use this workflow’s Omnidesk Trigger',
	description:
		'Base URL of your hookpoints, where Omnidesk posts agent replies: the Omnidesk Trigger’s Production URL without the last part (…/webhook/&lt;webhook ID&gt;/hookpoint). Leave empty to use the Omnidesk Trigger of this workflow (recorded when the workflow is activated; in queue mode available to executions that one of this package’s triggers started).',
};
