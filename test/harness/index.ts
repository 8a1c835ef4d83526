/**
 * Test harness for the n8n community nodes of this package: runs nodes inside n8n-core's real
 * execution engine and webhook handling. See README.md in this folder.
 */
import './env';

export { HARNESS_USER_FOLDER } from './env';
export { ensureN8nCore } from './core';
export { HarnessDeduplicator, clearProcessedData, processedCount } from './deduplication';
export {
	START_NODE_TYPE,
	startNodeType,
	HarnessNodeTypes,
	defaultTypeVersion,
	normalizeNodes,
	type AnyNodeType,
	type NodeInput,
} from './node-types';
export {
	CredentialsStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
	type CredentialsInput,
	type CredentialUpdate,
} from './credentials';
export { createEnvironment, type EnvironmentOptions, type HarnessEnvironment } from './context';
export {
	runWorkflow,
	chainConnections,
	type RunWorkflowOptions,
	type RunWorkflowResult,
} from './run-workflow';
export {
	callWebhook,
	runWebhookMethod,
	HARNESS_WORKFLOW_ID,
	type CallWebhookOptions,
	type WebhookCallResult,
	type WebhookRequestInput,
	type RunWebhookMethodOptions,
} from './webhook';
export { getNodeWebhooks, refuseSharedWebhookPaths, storedWebhookKeys } from './webhook-registry';
export {
	runWebhookWorkflow,
	type RunWebhookWorkflowOptions,
	type RunWebhookWorkflowResult,
} from './webhook-workflow';
export {
	testCredential,
	TEST_CREDENTIAL_ID,
	type TestCredentialOptions,
	type TestCredentialResult,
} from './credential-test';

export { coreStandIns } from './core-stand-ins';
export { loadExample, type ExampleWorkflow } from './examples';
export { runSingleNode, type RunNodeOptions } from './run-node';
export { createPoller, Poller, POLL_WORKFLOW_ID, type PollerOptions, type PollResult } from './poll';
