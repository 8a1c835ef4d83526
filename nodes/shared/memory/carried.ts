/**
 * What a package trigger hands to the execution it starts, on a property of its items that n8n
 * stores with the run data and the editor does not show (`livechatBridge`): the delivery key (for
 * the redelivery check, deliveries.ts) and, on the first item, the package's keys of the workflow's
 * static data as the trigger read them. An execution on a queue-mode worker starts without the
 * workflow's static data (test/e2e-queue proves the carried copy reaches it); the copy is kept
 * by execution ID, since every node of an execution runs in the same process.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { deliveryWorkflowData, packageKeysOf } from './static-data';

export const CARRIED_PROPERTY = 'livechatBridge';

export interface Carried {
	deliveryKey?: string;
	staticData?: IDataObject;
	/** The trigger found a Send and Wait for Reply wait for this event (webhook/resume.ts). */
	waitHandled?: boolean;
}

/**
 * Attaches the delivery key (one for all items, or one per item) to each item, and a copy of the
 * workflow's global static data to the first one (once per delivery; none when it is empty).
 */
export function carry(
	ctx: IWebhookFunctions,
	items: INodeExecutionData[],
	deliveryKeys?: string | Array<string | undefined>,
): INodeExecutionData[] {
	const staticData = packageKeysOf(deliveryWorkflowData(ctx));
	return items.map((item, index) => {
		const deliveryKey = Array.isArray(deliveryKeys) ? deliveryKeys[index] : deliveryKeys;
		const carried: Carried = {
			...(carriedOf(item) ?? {}),
			...(deliveryKey ? { deliveryKey } : {}),
			...(index === 0 && staticData ? { staticData } : {}),
		};
		return { ...item, [CARRIED_PROPERTY]: carried as IDataObject };
	});
}

/**
 * The items as the trigger's first step passes them on: the delivery key stays (n8n stores it
 * with the run), the static data copy does not (it is registered for the execution, and would
 * otherwise be saved with every execution's data).
 */
export function withoutCarriedStaticData(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => {
		const carried = carriedOf(item);
		if (!carried?.staticData) return item;
		const rest: Carried = { ...carried };
		delete rest.staticData;
		return { ...item, [CARRIED_PROPERTY]: rest as IDataObject };
	});
}

export function carriedOf(item: INodeExecutionData): Carried | undefined {
	const value = item[CARRIED_PROPERTY];
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Carried) : undefined;
}

const byExecution = new Map<string, IDataObject>();
const MAX_EXECUTIONS = 500;

/** Registered for an execution whose trigger carried nothing (so it is looked for only once). */
const NOTHING: IDataObject = {};

function register(executionId: string, staticData: IDataObject): void {
	byExecution.delete(executionId);
	byExecution.set(executionId, staticData);
	for (const oldest of byExecution.keys()) {
		if (byExecution.size <= MAX_EXECUTIONS) break;
		byExecution.delete(oldest);
	}
}

/** Called by the trigger's first step: the static data its webhook saw, for this execution. */
export function registerCarriedStaticData(ctx: IExecuteFunctions, staticData: IDataObject | undefined): void {
	const executionId = ctx.getExecutionId();
	if (!executionId || !staticData) return;
	register(executionId, staticData);
}

/**
 * What a polling trigger of this package carried: it has no first step of its own (n8n would run
 * an `execute()` instead of `poll()` for the editor's Fetch Test Event), so its items are looked up
 * in the execution's run data, through the nodes this node descends from.
 */
function carriedByPollingTrigger(ctx: IExecuteFunctions): IDataObject | undefined {
	const packagePrefix = `${ctx.getNode().type.split('.')[0]}.`;
	for (const parent of ctx.getParentNodes(ctx.getNode().name)) {
		if (!parent.type.startsWith(packagePrefix) || !parent.type.endsWith('Trigger')) continue;
		let items: INodeExecutionData[] = [];
		try {
			items = (ctx.getWorkflowDataProxy(0).$items as (name: string) => INodeExecutionData[])(parent.name) ?? [];
		} catch {
			continue; // that trigger did not start this execution
		}
		const staticData = items.map(carriedOf).find((carried) => carried?.staticData)?.staticData;
		if (staticData) return staticData;
	}
	return undefined;
}

/** The global static data the trigger of this execution carried, if any. */
export function carriedStaticData(ctx: IExecuteFunctions): IDataObject | undefined {
	const executionId = ctx.getExecutionId();
	if (!executionId) return undefined;
	let carried = byExecution.get(executionId);
	if (!carried) {
		carried = carriedByPollingTrigger(ctx) ?? NOTHING;
		register(executionId, carried);
	}
	return carried === NOTHING ? undefined : carried;
}

/**
 * A polling trigger's items with the package's keys of the workflow's static data on the first one,
 * as the poll read them: on a queue-mode worker n8n 2.41 starts the execution without them.
 */
export function carryFromPoll(ctx: IPollFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const staticData = ctx.getMode() === 'manual' ? undefined : packageKeysOf(deliveryWorkflowData(ctx));
	if (!staticData || !items.length) return items;
	return [{ ...items[0], [CARRIED_PROPERTY]: { staticData } as IDataObject }, ...items.slice(1)];
}
