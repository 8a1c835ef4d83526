/** Shared set-up for the Digishare tests: node/credential types, sandbox credentials, a runner. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { DigishareApi } from '../../credentials/DigishareApi.credentials';
import { DigishareWebhookApi } from '../../credentials/DigishareWebhookApi.credentials';
import { Digishare } from '../../nodes/Digishare/Digishare.node';
import { DigishareTrigger } from '../../nodes/Digishare/DigishareTrigger.node';
import { retryPolicy } from '../../nodes/shared/transport';
import { runSingleNode, type CredentialsStore } from '../harness';
import {
	DIGISHARE_CLIENT_ID,
	DIGISHARE_CLIENT_SECRET,
	DIGISHARE_PAT,
	type Sandbox,
} from '../sandbox';

export const DIGISHARE_TYPE = 'n8n-nodes-livechat-bridge.digishare';
export const DIGISHARE_TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.digishareTrigger';

export const nodeTypes = {
	[DIGISHARE_TYPE]: new Digishare(),
	[DIGISHARE_TRIGGER_TYPE]: new DigishareTrigger(),
};
export const credentialTypes = [new DigishareApi(), new DigishareWebhookApi()];

/** Retries in tests: no back-off waits (the sandbox's Retry-After is 0). */
export function fastRetries() {
	retryPolicy.backoffMs = [0, 0, 0];
}

export function patCredentials(sandbox: Sandbox, overrides: IDataObject = {}) {
	return {
		digishareApi: {
			cred1: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare'), ...overrides },
		},
	};
}

export function oauthCredentials(sandbox: Sandbox, overrides: IDataObject = {}) {
	return {
		digishareApi: {
			cred1: {
				authMode: 'clientCredentials',
				clientId: DIGISHARE_CLIENT_ID,
				clientSecret: DIGISHARE_CLIENT_SECRET,
				baseUrl: sandbox.baseUrl('digishare'),
				...overrides,
			},
		},
	};
}

export interface RunOptions {
	items?: INodeExecutionData[];
	credentials?: ReturnType<typeof patCredentials> | ReturnType<typeof oauthCredentials>;
	continueOnFail?: boolean;
	/** Shared across runs (what n8n keeps in its database: refreshed tokens, loads counted). */
	credentialsStore?: CredentialsStore;
}

/** Runs Start → Digishare(parameters) in n8n's engine against the sandbox. */
export async function runDigishare(sandbox: Sandbox, parameters: IDataObject, options: RunOptions = {}) {
	return await runSingleNode({
		nodeTypes,
		credentialTypes,
		credentials: options.credentials ?? patCredentials(sandbox),
		credentialsStore: options.credentialsStore,
		node: { name: 'Digishare', type: DIGISHARE_TYPE, credentials: { digishareApi: { id: 'cred1', name: 'Digishare account' } } },
		parameters,
		items: options.items,
		continueOnFail: options.continueOnFail,
	});
}
