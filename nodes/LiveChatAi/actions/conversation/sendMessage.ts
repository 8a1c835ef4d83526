import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { inConversation } from '../../../shared/memory/conversations';
import { idParameter, requiredString, textParameter, textValue } from '../../../shared/parameters';
import { apiRequestFull } from '../../../shared/transport';
import { liveChatAiApi, readAnswer } from '../../api';
import { CONVERSATIONS, recordOwn } from '../../memory';
import { agentIdOf, agentIdProperty } from '../common';

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

/** One `POST /conversations`: the question to the agent, in `conversationId` when given. */
async function askAgent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: { question: string; agentId: string; conversationId: string | undefined; options: IDataObject },
): Promise<IDataObject> {
	const body: IDataObject = { question: request.question, agentId: request.agentId };
	if (request.conversationId) body.conversationId = request.conversationId;
	for (const name of ['messageType', 'streaming', 'ip', 'country', 'responseFormat', 'integrationType']) {
		if (request.options[name] !== undefined && request.options[name] !== '') body[name] = request.options[name];
	}
	const response = await apiRequestFull.call(ctx, liveChatAiApi, {
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
	return readAnswer(String(response.headers['content-type'] ?? ''), response.body);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = agentIdOf(this, itemIndex);
	const question = requiredString(this, itemIndex, 'question', 'Question');
	const options = { ...(this.getNodeParameter('options', itemIndex, {}) as IDataObject) };
	for (const [name, label] of [['ip', 'IP Address'], ['country', 'Country']]) {
		if (options[name] !== undefined) options[name] = textValue(this, itemIndex, `Options → ${label}`, options[name], { trim: true });
	}
	const explicitId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID');
	const key = textParameter(this, itemIndex, 'conversationKey', 'Conversation Key', { trim: true });
	// The conversation the answer belongs to: LiveChatAI's, else the one the question went to.
	const ask = async (conversationId: string | undefined) => {
		const answer = await askAgent(this, itemIndex, { question, agentId, conversationId, options });
		const inConversationId = (answer.conversationId as string | undefined) ?? conversationId;
		return { result: { ...answer, conversationId: inConversationId } as IDataObject, conversationId: inConversationId };
	};
	const answer = key && !explicitId ? await inConversation(this, CONVERSATIONS, key, ask) : (await ask(explicitId || undefined)).result;
	// The LiveChatAI Trigger skips the question and the answer this node produced.
	recordOwn(this, [answer.messageId as string | undefined, answer.responseMessageId as string | undefined]);
	return {
		response: answer.response,
		conversationId: (answer.conversationId as string | undefined) ?? null,
		contactId: (answer.contactId as string | undefined) ?? null,
		messageId: (answer.messageId as string | undefined) ?? null,
		responseMessageId: (answer.responseMessageId as string | undefined) ?? null,
		links: (answer.links as IDataObject[] | undefined) ?? [],
		...(key ? { conversationKey: key } : {}),
	};
}
