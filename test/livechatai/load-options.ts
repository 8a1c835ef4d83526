/** Runs a listSearch/loadOptions method with n8n-core's real LoadOptionsContext against the sandbox. */
import type { ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';
import { createEnvironment } from '../harness';
import { buildAdditionalData } from '../harness/additional-data';
import type { Sandbox } from '../sandbox';
import { LIVECHATAI_TYPE, liveChatAiCredentials, liveChatAiCredentialTypes, liveChatAiNodeTypes } from './fixtures';

export async function runLoadOptions<T>(sandbox: Sandbox, fn: (ctx: ILoadOptionsFunctions) => Promise<T>): Promise<T> {
	const env = await createEnvironment({
		nodeTypes: liveChatAiNodeTypes,
		credentialTypes: liveChatAiCredentialTypes,
		credentials: liveChatAiCredentials(sandbox),
	});
	const node: INode = {
		id: 'n1',
		name: 'LiveChatAI',
		type: LIVECHATAI_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'conversation', operation: 'sendMessage' },
		credentials: { liveChatAiApi: { id: 'lc1', name: 'LiveChatAI account' } },
	};
	const workflow = new Workflow({ id: 'wf-load-options', nodes: [node], connections: {}, active: false, nodeTypes: env.nodeTypes });
	const additionalData = buildAdditionalData({ credentialsHelper: env.credentialsHelper, workflowId: 'wf-load-options' });
	const ctx = new LoadOptionsContext(workflow, node, additionalData, 'parameters.agentId');
	return await fn(ctx);
}
