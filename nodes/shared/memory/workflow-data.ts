/**
 * What the package's action nodes remember per workflow (the Omnidesk chatServer its trigger
 * recorded at activation, LiveChatAI conversation keys): the workflow's global static data, read
 * so that it works on a queue-mode worker too. There n8n starts each execution with empty static
 * data; the package trigger that started the execution carried the copy its webhook read from the
 * database (carried.ts), and that copy stands in for what n8n did not load.
 *
 * Writing restores the carried copy into the execution's static data first: n8n saves the whole
 * object after the execution, so without it a write on a worker would erase everything else.
 * Two executions that overlap each save their own copy; the later one wins (README: Queue mode).
 */
import type { IDataObject, IExecuteFunctions, IHookFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { carriedStaticData } from './carried';

/**
 * Every key the package keeps in the workflow's static data starts with the name of its provider
 * (`omnideskChatServer`, `liveChatAiConversations`, `livePersonConsumers`…): only those travel
 * with a trigger's items to the execution (carried.ts), never what the user's own nodes keep.
 */
export const PACKAGE_DATA_KEY_PREFIXES = ['digishare', 'omnidesk', 'liveChatAi', 'livePerson'] as const;

export function isPackageDataKey(key: string): boolean {
	return PACKAGE_DATA_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** A value of the workflow's global static data, as this execution should see it. */
export function readWorkflowData(ctx: IExecuteFunctions, key: string): unknown {
	const live = ctx.getWorkflowStaticData('global');
	if (live[key] !== undefined) return live[key];
	return carriedStaticData(ctx)?.[key];
}

/**
 * The workflow's global static data to change, with what the trigger carried restored first (the
 * keys the execution's own copy lacks). n8n saves it after the execution.
 */
export function writableWorkflowData(ctx: IExecuteFunctions): IDataObject {
	const live = ctx.getWorkflowStaticData('global');
	const carried = carriedStaticData(ctx);
	if (carried) {
		for (const [key, value] of Object.entries(carried)) {
			if (live[key] === undefined) live[key] = JSON.parse(JSON.stringify(value)) as IDataObject;
		}
	}
	return live;
}

/**
 * The workflow's global static data as a trigger sees it — the one place outside executions that
 * reads or writes it. At activation (IHookFunctions) n8n's main process saves what is written here
 * (the Omnidesk chatServer), so it survives; during `webhook()` it is what the process serving the
 * webhook just read from the database (read it; n8n 2.41 drops writes made here); during `poll()`
 * the copy the poll loaded (read it only: see pollWorkflowData).
 */
export function triggerWorkflowData(ctx: IHookFunctions | IWebhookFunctions | IPollFunctions): IDataObject {
	return ctx.getWorkflowStaticData('global');
}

/**
 * A polling trigger's own state (cursor, what it has seen): the node's static data, read and
 * changed in place during `poll()`. Safe, checked against n8n 2.41.1:
 * - polls run only on the main process (the leader in multi-main), also in queue mode
 *   (packages/core `ActiveWorkflowTriggers.activatePollTrigger`); only the executions a poll starts go
 *   to workers;
 * - inside `poll()`, `getWorkflowStaticData('node')` is n8n's poll state (`PollContext.
 *   resolveNodeStaticData`, packages/cli `TriggerExecutionContextFactory.getExecutePollFunctions`):
 *   the activation's long-lived Workflow object, saved (`saveStaticData`) each time a poll emits; or,
 *   with durable poll cursors on (`N8N_POLLER_DURABLE_CURSORS_ENABLED`), a staged snapshot committed
 *   with the execution the poll starts, or alone (`commitCursorOnly`) when it returns null;
 * - a poll that returns null keeps its changes in memory for the next poll (legacy scheduler) without
 *   a save: after a restart the poll repeats from the last saved state, so the state must be such
 *   that repeating a window is harmless (dedupe by message ID);
 * - the editor's "Fetch Test Event" (mode `manual`, packages/core `WorkflowExecute.executePollNode`)
 *   gets a fresh PollContext whose static data n8n never saves.
 */
export function pollState(ctx: IPollFunctions): IDataObject {
	return ctx.getWorkflowStaticData('node');
}

/**
 * The workflow's global static data as a polling trigger sees it (read only). n8n's poll keeps the
 * copy it loaded at activation (legacy scheduler) or at the poll (durable scheduler): what an
 * execution saved later is seen after the next activation at the earliest. Never write it here:
 * n8n saves the poll's whole copy when the poll emits (README: Queue mode).
 */
export function pollWorkflowData(ctx: IPollFunctions, key: string): unknown {
	return ctx.getWorkflowStaticData('global')[key];
}
