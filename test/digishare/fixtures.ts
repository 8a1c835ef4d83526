/** Shared set-up for the Digishare tests: node/credential types, sandbox credentials, a runner. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { DigishareApi } from '../../credentials/DigishareApi.credentials';
import { DigishareWebhookApi } from '../../credentials/DigishareWebhookApi.credentials';
import { Digishare } from '../../nodes/Digishare/Digishare.node';
import { DigishareTrigger } from '../../nodes/Digishare/DigishareTrigger.node';
import { retryPolicy } from '../../nodes/shared/transport';
import { runWorkflow, type RunWorkflowResult } from '../harness';
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
	credentials?: ReturnType<typeof patCredentials>;
	continueOnFail?: boolean;
}

/** Runs Start → Digishare(parameters) in n8n's engine against the sandbox. */
export async function runDigishare(
	sandbox: Sandbox,
	parameters: IDataObject,
	options: RunOptions = {},
): Promise<RunWorkflowResult & { items: INodeExecutionData[] }> {
	const result = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: options.credentials ?? patCredentials(sandbox),
		triggerItems: options.items ?? [{ json: {} }],
		nodes: [
			{ name: 'Start', type: 'harness.start' },
			{
				name: 'Digishare',
				type: DIGISHARE_TYPE,
				parameters: parameters as INodeParameters,
				credentials: { digishareApi: { id: 'cred1', name: 'Digishare account' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
	});
	return Object.assign(result, { items: result.output('Digishare') });
}
