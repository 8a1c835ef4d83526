/**
 * Polling triggers inside n8n-core's real PollContext, with static data kept as n8n 2.41.1 keeps it
 * (default, legacy scheduler; packages/core `ActiveWorkflowTriggers.activatePollTrigger` +
 * `PollTriggerExecutor`, packages/cli `TriggerExecutionContextFactory.getExecutePollFunctions`):
 *
 * - activation builds ONE Workflow from the saved static data and polls once at once
 *   (`executePollTrigger(true)`); every later poll uses the same Workflow and PollContext;
 * - a poll that returns items emits, and n8n saves the Workflow's whole static data
 *   (`saveStaticData`, only when `__dataChanged`); a poll that returns null saves nothing: its
 *   changes live on in the Workflow object only (lost at a restart → `restart()`);
 * - the editor's "Fetch Test Event" (`fetchTestEvent()`) runs `poll()` in mode `manual` on a fresh
 *   Workflow from the saved data (packages/core `WorkflowExecute.executePollNode`) and saves nothing.
 *
 * `saved` is the database copy: executions of the same workflow (runWorkflow with the same object
 * as `staticData`) write there, like n8n's `workflowExecuteAfter` save.
 */
import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { buildAdditionalData } from './additional-data';
import { autoAssignCredentials, createEnvironment, type EnvironmentOptions, type HarnessEnvironment } from './context';
import { normalizeNodes, type NodeInput } from './node-types';

/** The workflow every harness run belongs to (runWorkflow, callWebhook): a poll and its executions share it. */
export const POLL_WORKFLOW_ID = 'harness-workflow';

export interface PollerOptions extends EnvironmentOptions {
	/** The polling trigger (by full type name, which must be in `nodeTypes`). */
	node: NodeInput;
	/** The saved (database) static data; kept up to date by the poller. Default {}. */
	saved?: IDataObject;
	workflowId?: string;
}

export interface PollResult {
	/** What poll() returned: items of output 0, or null ("nothing new", no execution). */
	items: INodeExecutionData[] | null;
	/** poll() threw (n8n records a failed execution / fails the activation). */
	error?: Error;
	/** Whether n8n would have saved the static data after this poll. */
	saved: boolean;
}

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;

export class Poller {
	readonly saved: IDataObject;
	private workflow!: Workflow;
	private context!: PollContext;
	private readonly node: INode;

	private constructor(
		private readonly env: HarnessEnvironment,
		node: INode,
		private readonly workflowId: string,
		saved: IDataObject,
	) {
		this.node = node;
		this.saved = saved;
	}

	static async create(opts: PollerOptions): Promise<Poller> {
		const env = await createEnvironment(opts);
		const [node] = normalizeNodes([opts.node], env.nodeTypes);
		autoAssignCredentials([node], env);
		const poller = new Poller(env, node, opts.workflowId ?? POLL_WORKFLOW_ID, opts.saved ?? {});
		poller.load();
		return poller;
	}

	/** The Workflow and PollContext n8n keeps while the workflow is active. */
	private load(): void {
		this.workflow = this.newWorkflow();
		this.context = this.newContext(this.workflow, 'trigger', 'activate');
	}

	private newWorkflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: 'Harness poll workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.env.nodeTypes,
			staticData: plain(this.saved),
			settings: { executionOrder: 'v1' },
		});
	}

	private newContext(workflow: Workflow, mode: WorkflowExecuteMode, activation: WorkflowActivateMode): PollContext {
		const additionalData = buildAdditionalData({ credentialsHelper: this.env.credentialsHelper, workflowId: this.workflowId });
		return new PollContext(workflow, this.node, additionalData, mode, activation);
	}

	/** The node's poll state as the running Workflow holds it (not necessarily saved). */
	get nodeState(): IDataObject {
		return plain(this.workflow.getStaticData('node', this.node));
	}

	/** One scheduled poll (the first call is the activation's). */
	async poll(): Promise<PollResult> {
		const nodeType = this.env.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		if (!nodeType.poll) throw new Error(`${this.node.type} has no poll()`);
		try {
			const result = await nodeType.poll.call(this.context);
			let saved = false;
			if (result !== null) {
				const data = this.workflow.staticData;
				if (data.__dataChanged === true) {
					const copy = plain(data);
					delete copy.__dataChanged;
					for (const key of Object.keys(this.saved)) delete this.saved[key];
					Object.assign(this.saved, copy);
					data.__dataChanged = false;
					saved = true;
				}
			}
			return { items: result ? result[0] : null, saved };
		} catch (error) {
			return { items: null, error: error as Error, saved: false };
		}
	}

	/** n8n restarted (or the workflow was reactivated): a new Workflow from the saved data. */
	restart(): void {
		this.load();
	}

	/** The editor's "Fetch Test Event": mode manual, fresh Workflow from the saved data, nothing saved. */
	async fetchTestEvent(): Promise<PollResult> {
		const nodeType = this.env.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		if (!nodeType.poll) throw new Error(`${this.node.type} has no poll()`);
		const workflow = this.newWorkflow();
		try {
			const result = await nodeType.poll.call(this.newContext(workflow, 'manual', 'manual'));
			return { items: result ? result[0] : null, saved: false };
		} catch (error) {
			return { items: null, error: error as Error, saved: false };
		}
	}
}

export async function createPoller(opts: PollerOptions): Promise<Poller> {
	return await Poller.create(opts);
}
