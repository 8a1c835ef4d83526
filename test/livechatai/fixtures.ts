/** Shared set-up for the LiveChatAI tests. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LiveChatAiApi } from '../../credentials/LiveChatAiApi.credentials';
import { LiveChatAi } from '../../nodes/LiveChatAi/LiveChatAi.node';
import { runSingleNode, type CredentialsStore } from '../harness';
import { LIVECHATAI_API_KEY, type Sandbox } from '../sandbox';

export const LIVECHATAI_TYPE = 'n8n-nodes-livechat-bridge.liveChatAi';
export const liveChatAiNodeTypes = { [LIVECHATAI_TYPE]: new LiveChatAi() };
export const liveChatAiCredentialTypes = [new LiveChatAiApi()];

export function liveChatAiCredentials(sandbox: Sandbox, overrides: IDataObject = {}) {
	return { liveChatAiApi: { lc1: { apiKey: LIVECHATAI_API_KEY, baseUrl: sandbox.baseUrl('livechatai'), ...overrides } } };
}

/** A resource-locator value picking an agent by ID. */
export const agentById = (id: string) => ({ __rl: true, mode: 'id', value: id });

export interface LiveChatAiRunOptions {
	items?: INodeExecutionData[];
	credentials?: IDataObject;
	staticData?: IDataObject;
	continueOnFail?: boolean;
	/** Shared across runs (what n8n keeps in its database: refreshed tokens, loads counted). */
	credentialsStore?: CredentialsStore;
}

/** Runs Start → LiveChatAI(parameters) in n8n's engine against the sandbox. */
export async function runLiveChatAi(sandbox: Sandbox, parameters: IDataObject, options: LiveChatAiRunOptions = {}) {
	return await runSingleNode({
		nodeTypes: liveChatAiNodeTypes,
		credentialTypes: liveChatAiCredentialTypes,
		credentials: liveChatAiCredentials(sandbox, options.credentials),
		credentialsStore: options.credentialsStore,
		node: { name: 'LiveChatAI', type: LIVECHATAI_TYPE, credentials: { liveChatAiApi: { id: 'lc1', name: 'LiveChatAI account' } } },
		parameters,
		items: options.items,
		staticData: options.staticData,
		continueOnFail: options.continueOnFail,
	});
}
