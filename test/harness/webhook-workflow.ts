import { UnexpectedError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { autoAssignCredentials, createEnvironment } from './context';
import { normalizeNodes } from './node-types';
import { chainConnections, executeWorkflow, writeBack, type RunWorkflowOptions, type RunWorkflowResult } from './run-workflow';
import { executeWebhookRequest, type WebhookCallResult, type WebhookRequestInput } from './webhook';

export interface RunWebhookWorkflowOptions
	extends Omit<RunWorkflowOptions, 'triggerItems' | 'startNode' | 'mode'> {
	/** Name of the trigger node whose webhook() receives the request. Default: the first node. */
	triggerNodeName?: string;
	request?: WebhookRequestInput;
	webhookName?: 'default' | 'setup';
	/** Execution mode of the run. Default 'webhook' (production URL). */
	mode?: 'webhook' | 'manual';
	timeoutMs?: number;
	/**
	 * Run the execution as a queue-mode worker of n8n 2.41.1 does: the trigger's items reach it
	 * through the database (a JSON round trip), it starts with EMPTY static data (n8n reloads
	 * static data on a worker only for restarted executions), and if a node changes static data,
	 * what the execution had replaces the stored static data (`staticData`) as a whole.
	 */
	queueWorker?: boolean;
}

export interface RunWebhookWorkflowResult {
	webhook: WebhookCallResult;
	/** The execution, if webhook() returned workflowData (n8n starts one then). */
	run?: RunWorkflowResult;
}

/**
 * Trigger → action nodes, like a production webhook call: `webhook()` of the trigger node is
 * called through a real HTTP request (see callWebhook); if it returns `workflowData`, the
 * workflow runs in WorkflowExecute with the trigger node and that data on the execution stack
 * (what n8n's `prepareExecutionData` + WorkflowRunner do). The trigger node itself then just
 * passes its data on (WorkflowExecute.runNode for webhook nodes).
 *
 * Static data: changes made by webhook() are saved first (as n8n does when the webhook has
 * answered), the run starts from them, and changes made during the run are saved after it
 * (`webhook` mode is not `manual`).
 */
export async function runWebhookWorkflow(opts: RunWebhookWorkflowOptions): Promise<RunWebhookWorkflowResult> {
	const env = await createEnvironment(opts);
	const nodes = normalizeNodes(opts.nodes, env.nodeTypes);
	if (nodes.length === 0) throw new UnexpectedError('runWebhookWorkflow needs at least one node');
	for (const node of nodes) {
		const type = env.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (type.description.webhooks?.length && !node.webhookId) node.webhookId = node.id;
	}
	autoAssignCredentials(nodes, env);
	const connections = opts.connections ?? chainConnections(nodes);
	const triggerNodeName = opts.triggerNodeName ?? nodes[0].name;
	const triggerNode = nodes.find((n) => n.name === triggerNodeName);
	if (!triggerNode) throw new UnexpectedError(`Trigger node "${triggerNodeName}" not found`);
	const staticData: IDataObject = opts.staticData ?? {};
	const mode = opts.mode ?? 'webhook';

	const { workflow: _workflow, ...webhook } = await executeWebhookRequest({
		env,
		nodes: structuredClone(nodes),
		connections,
		triggerNodeName,
		request: opts.request,
		staticData,
		webhookName: opts.webhookName,
		mode,
		timeoutMs: opts.timeoutMs,
	});
	if (webhook.items === undefined) return { webhook };

	const run = await executeWorkflow({
		env,
		nodes,
		connections,
		startNode: triggerNode,
		startItems: opts.queueWorker ? (JSON.parse(JSON.stringify(webhook.items)) as typeof webhook.items) : webhook.items,
		staticData: opts.queueWorker ? {} : staticData,
		mode,
		settings: opts.settings,
		instanceBaseUrl: opts.instanceBaseUrl,
	});
	if (opts.queueWorker && run.staticDataSaved) writeBack(staticData, run.staticData);
	return { webhook, run };
}
