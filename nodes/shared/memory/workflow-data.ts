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
import type { IDataObject, IExecuteFunctions, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { carriedStaticData } from './carried';

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
 * webhook just read from the database (read it; n8n 2.41 drops writes made here).
 */
export function triggerWorkflowData(ctx: IHookFunctions | IWebhookFunctions): IDataObject {
	return ctx.getWorkflowStaticData('global');
}
