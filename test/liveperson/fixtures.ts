/** Shared set-up for the LivePerson tests. */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LivePersonApi } from '../../credentials/LivePersonApi.credentials';
import { LivePerson } from '../../nodes/LivePerson/LivePerson.node';
import { LivePersonTrigger } from '../../nodes/LivePerson/LivePersonTrigger.node';
import { forgetLivePersonTokens } from '../../nodes/LivePerson/auth';
import { forgetConversationsInThisProcess } from '../../nodes/shared/memory/conversations';
import { forgetDeliveriesSeenInThisProcess } from '../../nodes/shared/memory/deliveries';
import { clearProcessedData, CredentialsStore, runSingleNode } from '../harness';
import { LIVEPERSON_ACCOUNT_ID, LIVEPERSON_CLIENT_ID, LIVEPERSON_CLIENT_SECRET, type Sandbox } from '../sandbox';

export const LIVEPERSON_TYPE = 'n8n-nodes-livechat-bridge.livePerson';
export const LIVEPERSON_TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.livePersonTrigger';

export const livePersonNodeTypes = {
	[LIVEPERSON_TYPE]: new LivePerson(),
	[LIVEPERSON_TRIGGER_TYPE]: new LivePersonTrigger(),
};
export const livePersonCredentialTypes = [new LivePersonApi()];

/** App-credentials data pointing at the sandbox's Domain API (http: so every service host is the sandbox). */
export function livePersonCredentialData(sandbox: Sandbox, overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	return {
		accountId: LIVEPERSON_ACCOUNT_ID,
		authMode: 'app',
		clientId: LIVEPERSON_CLIENT_ID,
		clientSecret: LIVEPERSON_CLIENT_SECRET,
		domainApiUrl: sandbox.baseUrl('liveperson'),
		...(overrides as ICredentialDataDecryptedObject),
	};
}

export function livePersonCredentials(sandbox: Sandbox, overrides: IDataObject = {}) {
	return { livePersonApi: { lp1: livePersonCredentialData(sandbox, overrides) } };
}

export const LIVEPERSON_CREDENTIAL_REFERENCE = { livePersonApi: { id: 'lp1', name: 'LivePerson account' } };

/** A fresh n8n process and database: no tokens, conversations or delivery keys remembered. */
export function freshProcess(): void {
	forgetLivePersonTokens();
	forgetConversationsInThisProcess();
	forgetDeliveriesSeenInThisProcess();
	clearProcessedData();
}

export interface LivePersonRunOptions {
	items?: INodeExecutionData[];
	credentials?: IDataObject;
	staticData?: IDataObject;
	continueOnFail?: boolean;
	credentialsStore?: CredentialsStore;
}

/** Runs Start → LivePerson(parameters) in n8n's engine against the sandbox. */
export async function runLivePerson(sandbox: Sandbox, parameters: IDataObject, options: LivePersonRunOptions = {}) {
	return await runSingleNode({
		nodeTypes: livePersonNodeTypes,
		credentialTypes: livePersonCredentialTypes,
		credentials: livePersonCredentials(sandbox, options.credentials),
		credentialsStore: options.credentialsStore,
		node: { name: 'LivePerson', type: LIVEPERSON_TYPE, credentials: LIVEPERSON_CREDENTIAL_REFERENCE },
		parameters,
		items: options.items,
		staticData: options.staticData,
		continueOnFail: options.continueOnFail,
	});
}
