/** Shared set-up for the Omnidesk tests. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { OmnideskApi } from '../../credentials/OmnideskApi.credentials';
import { Omnidesk } from '../../nodes/Omnidesk/Omnidesk.node';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { runSingleNode, type CredentialsStore } from '../harness';
import { OMNIDESK_API_KEY, OMNIDESK_CHAT_ACCOUNT_TOKEN, OMNIDESK_CHAT_SERVER_TOKEN, type Sandbox } from '../sandbox';

export const OMNIDESK_TYPE = 'n8n-nodes-livechat-bridge.omnidesk';
export const OMNIDESK_TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.omnideskTrigger';

export const omnideskNodeTypes = {
	[OMNIDESK_TYPE]: new Omnidesk(),
	[OMNIDESK_TRIGGER_TYPE]: new OmnideskTrigger(),
};
export const omnideskCredentialTypes = [new OmnideskApi()];

export function omnideskCredentials(sandbox: Sandbox, overrides: IDataObject = {}) {
	return {
		omnideskApi: {
			od1: {
				baseUrl: sandbox.baseUrl('omnidesk'),
				apiKey: OMNIDESK_API_KEY,
				chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN,
				chatServerToken: OMNIDESK_CHAT_SERVER_TOKEN,
				chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
				...overrides,
			},
		},
	};
}

export interface OmnideskRunOptions {
	items?: INodeExecutionData[];
	credentials?: IDataObject;
	staticData?: IDataObject;
	continueOnFail?: boolean;
	/** Shared across runs (what n8n keeps in its database: refreshed tokens, loads counted). */
	credentialsStore?: CredentialsStore;
}

/** Runs Start → Omnidesk(parameters) in n8n's engine against the sandbox. */
export async function runOmnidesk(sandbox: Sandbox, parameters: IDataObject, options: OmnideskRunOptions = {}) {
	return await runSingleNode({
		nodeTypes: omnideskNodeTypes,
		credentialTypes: omnideskCredentialTypes,
		credentials: omnideskCredentials(sandbox, options.credentials),
		credentialsStore: options.credentialsStore,
		node: { name: 'Omnidesk', type: OMNIDESK_TYPE, credentials: { omnideskApi: { id: 'od1', name: 'Omnidesk account' } } },
		parameters,
		items: options.items,
		staticData: options.staticData,
		continueOnFail: options.continueOnFail,
	});
}
