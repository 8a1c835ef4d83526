/**
 * examples/digishare-livechatai-auto-reply.json in n8n's engine against the sandboxes: each
 * customer message is answered by the LiveChatAI agent in the same Digishare conversation, and
 * the AI conversation continues across messages of that Digishare conversation.
 */
import type { IDataObject } from 'n8n-workflow';
import { forgetConversationsInThisProcess } from '../../nodes/shared/memory/conversations';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { clearProcessedData, coreStandIns, CredentialsStore, loadExample, runWebhookWorkflow } from '../harness';
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_HOURS_ANSWER,
	startSandbox,
	type Sandbox,
} from '../sandbox';
import { credentialTypes as digishareCredentialTypes, nodeTypes as digishareNodeTypes, patCredentials } from '../digishare/fixtures';
import { agentById, liveChatAiCredentialTypes, liveChatAiCredentials, liveChatAiNodeTypes } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

const workflow = loadExample('digishare-livechatai-auto-reply.json', { digishareApi: 'cred1', liveChatAiApi: 'lc1' });
// The example leaves the agent for the user to pick; the test picks the sandbox's.
const askNode = workflow.nodes.find((node) => node.name === 'Ask the AI agent')!;
askNode.parameters.agentId = agentById(LIVECHATAI_AGENT_IDS.support);

test.each([
	['in one n8n process', false],
	['on queue-mode workers, each message on another one (n8n 2.41.1 starts each execution with empty static data)', true],
])('customer messages are answered by the AI in the same conversation, with the AI context kept, %s', async (_where, queueWorker) => {
	sandbox.reset();
	forgetDeliveriesSeenInThisProcess();
	forgetConversationsInThisProcess();
	clearProcessedData();
	// What an earlier activation left in the workflow (another package node's memory): kept.
	const staticData: IDataObject = { global: { omnideskChatServer: 'https://n8n.example/webhook/abc/hookpoint' } };
	const credentialsStore = new CredentialsStore();
	const say = (conversationId: string, text: string, id: string) => {
		// Another worker process knows only what n8n stored and what the trigger carried.
		if (queueWorker) forgetConversationsInThisProcess();
		return runWebhookWorkflow({
			nodeTypes: { ...digishareNodeTypes, ...liveChatAiNodeTypes, ...coreStandIns },
			credentialTypes: [...digishareCredentialTypes, ...liveChatAiCredentialTypes],
			credentials: { ...patCredentials(sandbox), ...liveChatAiCredentials(sandbox) },
			credentialsStore,
			nodes: workflow.nodes,
			connections: workflow.connections,
			staticData,
			queueWorker,
			triggerNodeName: 'Customer message',
			request: {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					event: 'live_chat.new_message',
					data: { id, data: { conversation_id: conversationId, body: text, sender: { model_type: 'third', name: 'Adil' } } },
				}),
			},
		});
	};

	const CONVERSATION = DIGISHARE_CONVERSATION_IDS.active;
	const first = await say(CONVERSATION, 'What are your business hours?', 'm1');
	expect(first.webhook.status).toBe(200);
	expect(first.run?.error).toBeUndefined();
	const second = await say(CONVERSATION, 'And on Saturday?', 'm2');
	expect(second.run?.error).toBeUndefined();
	const other = await say(DIGISHARE_CONVERSATION_IDS.assigned, 'Hello', 'm3');
	expect(other.run?.error).toBeUndefined();

	const asks = sandbox.requestsFor('livechatai', 'POST', '/conversations');
	expect(asks).toHaveLength(3);
	expect(asks[0].headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
	expect(asks[0].body).toEqual({
		question: 'What are your business hours?',
		agentId: LIVECHATAI_AGENT_IDS.support,
		responseFormat: 'PLAIN',
		integrationType: 'WHATSAPP',
	});
	const aiConversation = first.run?.output('Ask the AI agent')[0].json.conversationId;
	expect(aiConversation).toEqual(expect.any(String));
	expect((asks[1].body as IDataObject).conversationId).toBe(aiConversation);
	expect((asks[2].body as IDataObject).conversationId).toBeUndefined();

	const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
	expect(replies).toHaveLength(3);
	expect(replies[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
	expect(replies[0].body).toEqual({ conversation_id: CONVERSATION, type: 'text', body: LIVECHATAI_HOURS_ANSWER, send_to_third: true });
	expect((replies[1].body as IDataObject).conversation_id).toBe(CONVERSATION);
	expect((replies[2].body as IDataObject).conversation_id).toBe(DIGISHARE_CONVERSATION_IDS.assigned);

	// What n8n stores for the workflow afterwards: both conversation keys, and what was there before.
	const global = staticData.global as IDataObject;
	expect(global.omnideskChatServer).toBe('https://n8n.example/webhook/abc/hookpoint');
	expect(Object.values(global.liveChatAiConversations as IDataObject)).toEqual([aiConversation, expect.any(String)]);
});
