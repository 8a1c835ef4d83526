// LiveChatAI in `npm run dev`: a credential pointing at the sandbox's LiveChatAI API.
'use strict';

module.exports = {
	name: 'LiveChatAI',

	credentials(sandbox, lib) {
		if (!lib.LIVECHATAI_API_KEY) return [];
		return [
			{
				type: 'liveChatAiApi',
				name: 'LiveChatAI sandbox',
				data: { apiKey: lib.LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai') },
				note: `LiveChatAI API, key ${lib.LIVECHATAI_API_KEY}, base URL ${sandbox.baseUrl('livechatai')}`,
			},
		];
	},

	/**
	 * The examples leave the agent for you to pick (it is specific to your LiveChatAI account),
	 * and n8n will not activate a workflow with it empty: in dev, pick the sandbox's support agent.
	 */
	prepareWorkflow(workflow, lib) {
		const agentId = lib.LIVECHATAI_AGENT_IDS && lib.LIVECHATAI_AGENT_IDS.support;
		if (!agentId) return workflow;
		for (const node of workflow.nodes) {
			const locator = node.type === 'n8n-nodes-livechat-bridge.liveChatAi' && node.parameters && node.parameters.agentId;
			if (locator && typeof locator === 'object' && !locator.value) {
				node.parameters.agentId = { __rl: true, mode: 'id', value: agentId };
			}
		}
		return workflow;
	},

	describeRequest(request) {
		if (!request || request.provider !== 'livechatai' || request.method !== 'POST') return '';
		return `LiveChatAI received POST ${request.path}`;
	},
};
