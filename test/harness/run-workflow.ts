import { randomUUID } from 'node:crypto';

import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionBaseError,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData, buildWorkflowData, createHooks } from './additional-data';
import {
	autoAssignCredentials,
	createEnvironment,
	type EnvironmentOptions,
	type HarnessEnvironment,
} from './context';
import type { CredentialsStore } from './credentials';
import { normalizeNodes, type NodeInput } from './node-types';

export interface RunWorkflowOptions extends EnvironmentOptions {
	/**
	 * The workflow's nodes. `id`, `name`, `position`, `typeVersion` and `parameters` may be
	 * omitted. Node settings work as in n8n: `onError: 'continueRegularOutput' |
	 * 'continueErrorOutput'`, `continueOnFail: true`, `alwaysOutputData`, `disabled`...
	 */
	nodes: NodeInput[];
	/** Default: the nodes chained in array order (main output 0 → main input 0). */
	connections?: IConnections;
	/**
	 * Items put on the execution stack for the start node (default `[{ json: {} }]`):
	 * `harness.start` emits them; any other start node receives them as its input.
	 */
	triggerItems?: INodeExecutionData[];
	/** Name of the node execution starts from. Default: the first node. */
	startNode?: string;
	/**
	 * Workflow static data (`this.getWorkflowStaticData(...)`); node data lives under
	 * `node:<node name>`, global data under `global`. Changes are written back into this object
	 * after the run like n8n saves them to the database — only for non-`manual` modes, because
	 * n8n does not persist static data of manual executions. `result.staticData` always has it.
	 */
	staticData?: IDataObject;
	/** Execution mode. Default `manual` (like running from the editor). */
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	/** Base URL for webhook URLs the nodes compute. Default http://localhost:5678 */
	instanceBaseUrl?: string;
}

export interface RunWorkflowResult {
	/** The full run, as n8n stores it (`run.data.resultData.runData[nodeName][runIndex]`). */
	run: IRun;
	workflow: Workflow;
	/** Items of one output of a node (default: output 0 of run 0); [] if none. */
	output(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** All outputs of a node's run. */
	outputs(nodeName: string, runIndex?: number): INodeExecutionData[][];
	/** The workflow error (`run.data.resultData.error`), if the execution failed. */
	error?: ExecutionBaseError | Error;
	/** Error recorded on a node's task data (run 0), if that node failed. */
	nodeError(nodeName: string, runIndex?: number): Error | undefined;
	/** Node names in the order they finished. */
	executedNodes: string[];
	credentialsStore: CredentialsStore;
	/** Workflow static data after the run (plain JSON copy). */
	staticData: IDataObject;
	/** Whether n8n would save the static data after this run (changed, not manual). */
	staticDataSaved: boolean;
	status: IRun['status'];
}

export function chainConnections(nodes: Array<Pick<INode, 'name'>>): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;

/** Replaces the contents of `target` with `source` (n8n persisting static data). */
export function writeBack(target: IDataObject, source: IDataObject) {
	for (const key of Object.keys(target)) delete target[key];
	Object.assign(target, plain(source));
}

export interface ExecuteOptions {
	env: HarnessEnvironment;
	nodes: INode[];
	connections: IConnections;
	startNode: INode;
	startItems: INodeExecutionData[][];
	staticData?: IDataObject;
	mode: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	instanceBaseUrl?: string;
}

/**
 * Runs a prepared workflow with WorkflowExecute, the start node's data seeded on the execution
 * stack exactly like n8n seeds a webhook node's output (`prepareExecutionData` in
 * packages/cli/src/webhooks/webhook-helpers.ts).
 */
export async function executeWorkflow(opts: ExecuteOptions): Promise<RunWorkflowResult> {
	const { env, nodes, connections, mode } = opts;
	const workflowId = 'harness-workflow';
	const executionId = randomUUID();
	const workflow = new Workflow({
		id: workflowId,
		name: 'Harness workflow',
		nodes,
		connections,
		active: mode !== 'manual',
		nodeTypes: env.nodeTypes,
		staticData: plain(opts.staticData ?? {}),
		settings: { executionOrder: 'v1', ...(opts.settings ?? {}) },
	});
	const workflowData = buildWorkflowData(workflowId, nodes, connections, opts.staticData);
	const hooks = createHooks(mode, executionId, workflowData);
	const executedNodes: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executedNodes.push(nodeName);
	});
	let newStaticData: IDataObject | undefined;
	hooks.addHandler('workflowExecuteAfter', (_run, staticData) => {
		newStaticData = staticData;
	});

	const additionalData = buildAdditionalData({
		credentialsHelper: env.credentialsHelper,
		hooks,
		executionId,
		workflowId,
		instanceBaseUrl: opts.instanceBaseUrl,
	});

	const startNode = workflow.getNode(opts.startNode.name);
	if (!startNode) throw new UnexpectedError(`Start node "${opts.startNode.name}" not found`);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: opts.startItems }, source: null }],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const startedAt = new Date();
	let run: IRun;
	try {
		run = await workflowExecute.processRunExecutionData(workflow);
	} catch (e) {
		// e.g. WorkflowHasIssuesError (missing required parameter…), thrown before any node runs.
		// n8n's WorkflowRunner then saves a failed execution (processError) like this one.
		run = {
			data: createRunExecutionData({ resultData: { runData: {} } }),
			finished: false,
			mode,
			startedAt,
			stoppedAt: new Date(),
			status: 'error',
			storedAt: 'db',
		};
		run.data.resultData.error = e as ExecutionBaseError;
	}

	// n8n persists changed static data after non-manual executions (hookFunctionsSave)
	const staticDataSaved = Boolean(newStaticData && mode !== 'manual');
	if (opts.staticData && newStaticData && staticDataSaved) writeBack(opts.staticData, newStaticData);

	const { runData } = run.data.resultData;
	const taskData = (nodeName: string, runIndex: number) => runData[nodeName]?.[runIndex];
	return {
		run,
		workflow,
		status: run.status,
		error: run.data.resultData.error,
		executedNodes,
		credentialsStore: env.credentialsStore,
		staticData: plain(workflow.staticData),
		staticDataSaved,
		outputs: (nodeName, runIndex = 0) =>
			(taskData(nodeName, runIndex)?.data?.main ?? []).map((items) => items ?? []),
		output: (nodeName, outputIndex = 0, runIndex = 0) =>
			taskData(nodeName, runIndex)?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName, runIndex = 0) => taskData(nodeName, runIndex)?.error,
	};
}

/**
 * Runs a workflow in n8n-core's real WorkflowExecute. Never throws for workflow errors:
 * inspect `result.error` / `result.nodeError(name)` / `result.run`.
 */
export async function runWorkflow(opts: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const env = await createEnvironment(opts);
	const nodes = normalizeNodes(opts.nodes, env.nodeTypes);
	if (nodes.length === 0) throw new UnexpectedError('runWorkflow needs at least one node');
	autoAssignCredentials(nodes, env);
	const connections = opts.connections ?? chainConnections(nodes);
	const startNode = opts.startNode ? nodes.find((n) => n.name === opts.startNode) : nodes[0];
	if (!startNode) throw new UnexpectedError(`Start node "${opts.startNode}" not found`);
	return await executeWorkflow({
		env,
		nodes,
		connections,
		startNode,
		startItems: [structuredClone(opts.triggerItems ?? [{ json: {} }])],
		staticData: opts.staticData,
		mode: opts.mode ?? 'manual',
		settings: opts.settings,
		instanceBaseUrl: opts.instanceBaseUrl,
	});
}
