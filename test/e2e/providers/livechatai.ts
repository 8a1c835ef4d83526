/**
 * LiveChatAI in a real n8n: its credential test, and examples/digishare-livechatai-auto-reply.json
 * driven through the Digishare Trigger's production URL: the AI's answer reaches the customer in
 * the same conversation, and the AI conversation continues across that conversation's messages
 * (the package memory: the conversation key in the workflow's data, and one start per n8n process
 * for messages that arrive together).
 */
import {
	DIGISHARE_CONVERSATION_IDS,
	DIGISHARE_PAT,
	LIVECHATAI_AGENT_IDS,
	LIVECHATAI_API_KEY,
	LIVECHATAI_HOURS_ANSWER,
	type RecordedRequest,
	type Sandbox,
} from '../../sandbox';
import { deliver, eventually, waitForExecutions } from '../context';
import type { ProviderE2E } from '../provider-spec';

let sequence = 0;
function customerSays(text: string, conversationId: string = DIGISHARE_CONVERSATION_IDS.active) {
	return {
		event: 'live_chat.new_message',
		data: {
			id: `e2e-lc-${Date.now()}-${++sequence}`,
			data: { conversation_id: conversationId, body: text, type: 'text', send_to_third: false, system: false, sender: { model_type: 'third', name: 'Adil Chbada' } },
		},
	};
}

const asks = (sandbox: Sandbox): RecordedRequest[] => sandbox.requestsFor('livechatai', 'POST', '/conversations');

async function answered(sandbox: Sandbox, count: number): Promise<RecordedRequest[]> {
	return await eventually(`${count} replies in Digishare`, () => {
		const replies = sandbox.requestsFor('digishare', 'POST', '/messages');
		return replies.length >= count ? replies : undefined;
	});
}

export const provider: ProviderE2E = {
	name: 'LiveChatAI',
	credentials: [
		{
			key: 'livechatai',
			type: 'liveChatAiApi',
			name: 'LiveChatAI sandbox',
			data: (sandbox) => ({ apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') }),
		},
		{
			key: 'digishare',
			type: 'digishareApi',
			name: 'Digishare sandbox (for the AI auto-reply)',
			data: (sandbox) => ({ authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') }),
		},
	],
	credentialTests: [
		{
			title: 'LiveChatAI API with a valid key: OK, after listing agents with the key',
			credential: 'livechatai',
			expect: { status: 'OK' },
			verify: (sandbox) => {
				const [request] = sandbox.requestsFor('livechatai', 'GET', '/agents');
				expect(request?.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
			},
		},
		{
			title: 'LiveChatAI API with a wrong key: Error',
			credential: {
				type: 'liveChatAiApi',
				name: 'LiveChatAI sandbox (wrong key)',
				data: (sandbox) => ({ apiKey: 'lcai_wrong_000000', baseUrl: sandbox.baseUrl('livechatai') }),
			},
			expect: { status: 'Error' },
		},
	],
	examples: [
		{
			file: 'digishare-livechatai-auto-reply.json',
			credentials: { digishareApi: 'digishare', liveChatAiApi: 'livechatai' },
			// The example asks the user to pick their AI agent; pick the sandbox's.
			prepare: (file) => {
				const ask = file.nodes.find((node) => node.type === 'n8n-nodes-livechat-bridge.liveChatAi');
				if (!ask) throw new Error('the example has no LiveChatAI node');
				ask.parameters.agentId = { __rl: true, mode: 'id', value: LIVECHATAI_AGENT_IDS.support };
			},
			scenarios: [
				{
					title: "a customer's question is answered by the AI agent in the same Digishare conversation",
					run: async ({ sandbox, workflow }) => {
						const answer = await deliver(workflow.webhook('Customer message', 'webhook'), customerSays('What are your business hours?'));
						expect({ status: answer.status, body: answer.json }).toEqual({ status: 200, body: { received: true } });
						const [reply] = await answered(sandbox, 1);
						expect(reply.headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
						expect(reply.body).toEqual({
							conversation_id: DIGISHARE_CONVERSATION_IDS.active,
							type: 'text',
							body: LIVECHATAI_HOURS_ANSWER,
							send_to_third: true,
						});
						const [ask] = asks(sandbox);
						expect(ask.headers.authorization).toBe(`Bearer ${LIVECHATAI_API_KEY}`);
						expect(ask.body).toEqual({
							question: 'What are your business hours?',
							agentId: LIVECHATAI_AGENT_IDS.support,
							responseFormat: 'PLAIN',
							integrationType: 'WHATSAPP',
						});
					},
				},
				{
					title: "the next message of that conversation continues the AI conversation; another Digishare conversation starts its own",
					run: async ({ sandbox, workflow }) => {
						await waitForExecutions(workflow.id, 1);
						const url = workflow.webhook('Customer message', 'webhook');
						await deliver(url, customerSays('And on Saturday?'));
						await answered(sandbox, 2);
						await deliver(url, customerSays('Hello', DIGISHARE_CONVERSATION_IDS.assigned));
						const replies = await answered(sandbox, 3);
						const [first, second, third] = asks(sandbox);
						const aiConversation = (first.response.body as { data: { conversationId: string } }).data.conversationId;
						expect((second.body as { conversationId?: string }).conversationId).toBe(aiConversation);
						expect((third.body as { conversationId?: string }).conversationId).toBeUndefined();
						expect((replies[2].body as { conversation_id: string }).conversation_id).toBe(DIGISHARE_CONVERSATION_IDS.assigned);
					},
				},
				{
					title: 'five messages of a new conversation posted at once start ONE AI conversation (the package memory: one start per n8n process)',
					run: async ({ sandbox, workflow }) => {
						await waitForExecutions(workflow.id, 3);
						const before = asks(sandbox).length;
						sandbox.fault({ provider: 'livechatai', method: 'POST', path: '/conversations', delayMs: 300, times: 1 });
						const url = workflow.webhook('Customer message', 'webhook');
						const burst = [1, 2, 3, 4, 5].map((n) => customerSays(`Burst message ${n}`, DIGISHARE_CONVERSATION_IDS.archived));
						const answers = await Promise.all(burst.map((message) => deliver(url, message)));
						expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
						await answered(sandbox, 8);
						const burstAsks = asks(sandbox).slice(before).map((request) => (request.body as { conversationId?: string }).conversationId ?? null);
						expect(burstAsks).toHaveLength(5);
						const started = burstAsks.filter((id) => id === null);
						expect(started).toHaveLength(1);
						expect(new Set(burstAsks.filter((id) => id !== null)).size).toBe(1);
					},
				},
				{
					title: 'every execution succeeded, one per customer message',
					run: async ({ workflow }) => {
						const list = await waitForExecutions(workflow.id, 8);
						expect(list).toHaveLength(8);
						expect(list.map((execution) => execution.status)).toEqual(list.map(() => 'success'));
					},
				},
			],
		},
	],
};
