import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readWorkflowData, writableWorkflowData } from '../../../shared/memory/workflow-data';
import { requiredString } from '../../../shared/parameters';
import { apiRequestFull } from '../../../shared/transport';
import { agentIdOf, agentIdProperty, liveChatAiApi } from '../../api';
import { readAnswer } from '../../stream';

/** Workflow static data (global) key for conversation keys → LiveChatAI conversation IDs. */
export const CONVERSATION_MAP_KEY = 'liveChatAiConversations';
/** How many conversation keys are remembered (oldest forgotten first). */
export const CONVERSATION_MAP_SIZE = 1000;

const properties: INodeProperties[] = [
	agentIdProperty,
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '={{ $json.text }}',
		description: 'The end user’s message to the AI agent',
	},
	{
		displayName: 'Conversation Key',
		name: 'conversationKey',
		type: 'string',
		default: '',
		placeholder: '={{ $json.provider }}:{{ $json.conversationId }}',
		description:
			'Keeps the AI’s context per chat: any ID of the chat on your side (e.g. the Digishare conversation ID). The first message starts a LiveChatAI conversation; the node remembers it for this key (in the workflow’s static data) and continues it on the next message. Ignored when Conversation ID is set.',
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		description: 'A LiveChatAI conversation to continue. Leave empty to start a new one (or to use the Conversation Key).',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'US', description: 'End user’s country code' },
			{
				displayName: 'Integration Type',
				name: 'integrationType',
				type: 'options',
				options: [
					{ name: 'Slack', value: 'SLACK' },
					{ name: 'WhatsApp', value: 'WHATSAPP' },
				],
				default: 'WHATSAPP',
				description: 'Channel label stored with the conversation',
			},
			{ displayName: 'IP Address', name: 'ip', type: 'string', default: '', description: 'End user’s IP address' },
			{
				displayName: 'Message Type',
				name: 'messageType',
				type: 'options',
				options: [
					{ name: 'Image', value: 'IMAGE' },
					{ name: 'Text', value: 'TEXT' },
				],
				default: 'TEXT',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'Markdown', value: 'MARKDOWN' },
					{ name: 'Plain Text', value: 'PLAIN', description: 'Better for WhatsApp, SMS and other plain channels' },
				],
				default: 'MARKDOWN',
			},
			{
				displayName: 'Streaming',
				name: 'streaming',
				type: 'boolean',
				default: false,
				description: 'Whether LiveChatAI streams the answer. The node still outputs the whole answer once it is complete.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['sendMessage'] } },
	properties,
);

/** The LiveChatAI conversation remembered for `key` (workflow memory, see shared/memory). */
function rememberedConversation(ctx: IExecuteFunctions, key: string): string {
	const map = readWorkflowData(ctx, CONVERSATION_MAP_KEY) as IDataObject | undefined;
	const id = map && typeof map === 'object' ? map[key] : undefined;
	return typeof id === 'string' ? id : '';
}

/** Remembers `conversationId` for `key`; the oldest keys go beyond CONVERSATION_MAP_SIZE. */
function remember(ctx: IExecuteFunctions, key: string, conversationId: string): void {
	const data = writableWorkflowData(ctx);
	if (!data[CONVERSATION_MAP_KEY] || typeof data[CONVERSATION_MAP_KEY] !== 'object') data[CONVERSATION_MAP_KEY] = {};
	const map = data[CONVERSATION_MAP_KEY] as IDataObject;
	delete map[key];
	map[key] = conversationId;
	const keys = Object.keys(map);
	for (const old of keys.slice(0, Math.max(0, keys.length - CONVERSATION_MAP_SIZE))) delete map[old];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = agentIdOf(this, itemIndex);
	const question = requiredString(this, itemIndex, 'question', 'Question');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const explicitId = String(this.getNodeParameter('conversationId', itemIndex, '') ?? '').trim();
	const key = String(this.getNodeParameter('conversationKey', itemIndex, '') ?? '').trim();
	const useKey = Boolean(key && !explicitId);
	const conversationId = explicitId || (useKey ? rememberedConversation(this, key) : '');

	const body: IDataObject = { question, agentId };
	if (conversationId) body.conversationId = conversationId;
	for (const name of ['messageType', 'streaming', 'ip', 'country', 'responseFormat', 'integrationType']) {
		if (options[name] !== undefined && options[name] !== '') body[name] = options[name];
	}

	const response = await apiRequestFull.call(this, liveChatAiApi, {
		method: 'POST',
		path: '/conversations',
		itemIndex,
		...(body.streaming
			? {
					// A streamed answer is not JSON: send the JSON body as text and read the answer as text.
					body: JSON.stringify(body),
					headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json, text/plain' },
					json: false,
					encoding: 'text' as const,
				}
			: { body }),
	});
	const contentType = String(response.headers['content-type'] ?? '');
	const answer = readAnswer(contentType, response.body);
	const resultConversationId = (answer.conversationId as string | undefined) ?? (conversationId || undefined);
	// Written only when it changes: fewer static-data saves, fewer chances for overlapping
	// executions to overwrite each other's keys.
	if (useKey && resultConversationId && resultConversationId !== conversationId) remember(this, key, resultConversationId);
	return {
		response: answer.response,
		conversationId: resultConversationId ?? null,
		contactId: (answer.contactId as string | undefined) ?? null,
		messageId: (answer.messageId as string | undefined) ?? null,
		responseMessageId: (answer.responseMessageId as string | undefined) ?? null,
		links: (answer.links as IDataObject[] | undefined) ?? [],
		...(key ? { conversationKey: key } : {}),
	};
}
