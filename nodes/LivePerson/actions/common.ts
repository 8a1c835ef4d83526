/** Parameters several LivePerson operations share: the consumer, the conversation, client features. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { idParameter } from '../../shared/parameters';

export const consumerIdProperty: INodeProperties = {
	displayName: 'Consumer ID',
	name: 'consumerId',
	type: 'string',
	default: '',
	placeholder: 'e.g. digishare:{{ $json.conversationId }}',
	description:
		'Your stable ID for the end user (LivePerson’s ext_consumer_id), e.g. the chat it comes from. The node gets this consumer’s token itself and remembers its open conversation. Not used with a Tokens credential (its ConsumerJWS is the consumer).',
};

export const conversationIdProperty: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	description: 'Leave empty to use the consumer’s open conversation (the one this workflow opened)',
};

export const featuresOption: INodeProperties = {
	displayName: 'Client Features',
	name: 'features',
	type: 'multiOptions',
	options: [
		{ name: 'Auto Messages', value: 'AUTO_MESSAGES' },
		{ name: 'Multi Dialog', value: 'MULTI_DIALOG' },
		{ name: 'Quick Replies', value: 'QUICK_REPLIES' },
		{ name: 'Rich Content', value: 'RICH_CONTENT' },
	],
	default: [],
	description: 'Sent as the Client-Properties header: what the consumer’s client can show',
};

export function consumerIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(ctx, itemIndex, 'consumerId', 'Consumer ID');
}

export function featuresOf(ctx: IExecuteFunctions, itemIndex: number): string[] {
	return (ctx.getNodeParameter('options.features', itemIndex, []) as string[]) ?? [];
}
