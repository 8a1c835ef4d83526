import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials';

/** n8n's defaults for a local instance (`http://localhost:5678/`). */
export const DEFAULT_INSTANCE_BASE_URL = 'http://localhost:5678';

export interface AdditionalDataOptions {
	credentialsHelper: HarnessCredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	workflowId: string;
	/** Base URL of the n8n instance, e.g. the harness webhook server. Default http://localhost:5678 */
	instanceBaseUrl?: string;
	variables?: IDataObject;
}

const notInHarness = (what: string) => async () => {
	throw new UnexpectedError(`${what} is not supported by the test harness`);
};

/**
 * IWorkflowExecuteAdditionalData as n8n's `WorkflowExecuteAdditionalData.getBase()` builds it,
 * with our credentials helper. URLs follow n8n's layout: `<base>/webhook`, `<base>/webhook-test`,
 * `<base>/webhook-waiting`, `<base>/form`... `httpRequest`/`httpResponse` are set by callWebhook.
 */
export function buildAdditionalData(opts: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const base = (opts.instanceBaseUrl ?? DEFAULT_INSTANCE_BASE_URL).replace(/\/$/, '');
	const additionalData = {
		credentialsHelper: opts.credentialsHelper,
		hooks: opts.hooks,
		executionId: opts.executionId,
		workflowId: opts.workflowId,
		executeWorkflow: notInHarness('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notInHarness('The task runner (Code node)'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: opts.variables ?? {},
		userId: 'harness-user',
		projectId: 'harness-project',
	} as unknown as IWorkflowExecuteAdditionalData;
	return additionalData;
}

export function buildWorkflowData(
	id: string,
	nodes: INode[],
	connections: IConnections,
	staticData?: IDataObject,
): IWorkflowBase {
	const now = new Date();
	return {
		id,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		staticData,
		activeVersionId: null,
	};
}

export function createHooks(mode: WorkflowExecuteMode, executionId: string, workflowData: IWorkflowBase) {
	return new ExecutionLifecycleHooks(mode, executionId, workflowData);
}
