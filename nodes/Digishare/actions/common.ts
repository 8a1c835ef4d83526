/** Parameters several Digishare operations share, defined once. */
import type { INodeProperties } from 'n8n-workflow';
import { LIMITS } from '../schemas';

export function providerInstanceIdProperty(description: string): INodeProperties {
	return {
		displayName: 'API Provider Instance ID',
		name: 'providerInstanceId',
		type: 'string',
		required: true,
		default: '',
		description,
	};
}

export const channelProperty: INodeProperties = {
	displayName: 'Channel',
	name: 'channel',
	type: 'string',
	required: true,
	default: 'whatsapp',
	placeholder: 'whatsapp',
	description: 'Channel of the conversation, e.g. whatsapp, sms, webchat, facebook_messenger',
};

export const recipientIdProperty: INodeProperties = {
	displayName: 'Recipient ID',
	name: 'recipientId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '212600000000',
	description: 'Phone number, WhatsApp ID or platform ID of the contact',
};

/** A conversation, by default the one the Digishare Trigger's item is about. */
export function conversationIdProperty(description: string): INodeProperties {
	return {
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		required: true,
		default: '={{ $json.conversationId }}',
		description,
	};
}

/** Where a message goes. */
export const POST_INTO =
	"The conversation to post into. The default takes it from the Digishare Trigger's output, which carries it for new conversations and new messages alike.";

export const textProperty: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	required: true,
	default: '',
	description: `The message text (at most ${LIMITS.textLength} characters)`,
};
