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
	 * The examples leave the agent (and the human agent who replies) for you to pick: they are
	 * specific to your LiveChatAI account, and n8n will not activate a workflow with them empty. In
	 * dev, pick the sandbox's support agent and its agent user.
	 */
	prepareWorkflow(workflow, lib) {
		const agentId = lib.LIVECHATAI_AGENT_IDS && lib.LIVECHATAI_AGENT_IDS.support;
		const userId = lib.LIVECHATAI_USER_IDS && lib.LIVECHATAI_USER_IDS.agent;
		const types = ['n8n-nodes-livechat-bridge.liveChatAi', 'n8n-nodes-livechat-bridge.liveChatAiTrigger'];
		for (const node of workflow.nodes) {
			if (!types.includes(node.type) || !node.parameters) continue;
			const locator = node.parameters.agentId;
			if (agentId && locator && typeof locator === 'object' && !locator.value) {
				node.parameters.agentId = { __rl: true, mode: 'id', value: agentId };
			}
			if (userId && node.parameters.operation === 'reply' && node.parameters.userId === '') node.parameters.userId = userId;
		}
		return workflow;
	},

	describeRequest(request) {
		if (!request || request.provider !== 'livechatai' || request.method !== 'POST') return '';
		return `LiveChatAI received POST ${request.path}`;
	},
};
