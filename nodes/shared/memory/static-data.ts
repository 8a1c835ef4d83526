/**
 * n8n's workflow static data as the package's triggers see it, and which of its keys are the
 * package's: the keys declared in the provider registry (nodes/providers.ts), nothing else.
 * Where each remembered thing lives and how it travels: docs/memory.md.
 */
import type { IDataObject, IHookFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { PROVIDER_ENTRIES } from '../../providers';

const DECLARED_KEYS = new Set(PROVIDER_ENTRIES.flatMap((entry) => Object.values(entry.memory)));

export function isPackageDataKey(key: string): boolean {
	return DECLARED_KEYS.has(key);
}

/** Throws for a key no registry entry declares: it would not reach a queue-mode worker. */
export function declaredKey(key: string): string {
	if (!DECLARED_KEYS.has(key)) {
		throw new Error(`"${key}" is not a memory key of any provider in nodes/providers.ts: declare it in its provider's entry`);
	}
	return key;
}

/** The package's keys of `data`, or undefined when it has none (values not copied). */
export function packageKeysOf(data: Readonly<IDataObject>): IDataObject | undefined {
	let picked: IDataObject | undefined;
	for (const key of Object.keys(data)) {
		if (!DECLARED_KEYS.has(key)) continue;
		picked ??= {};
		picked[key] = data[key];
	}
	return picked;
}

/** The workflow's global static data at a trigger's activation: written here, n8n's main process saves it. */
export function activationWorkflowData(ctx: IHookFunctions): IDataObject {
	return ctx.getWorkflowStaticData('global');
}

/**
 * The workflow's global static data as a delivery sees it: in `webhook()` as just read from the
 * database, in `poll()` the poll's copy. Read only: n8n does not save writes made there.
 */
export function deliveryWorkflowData(ctx: IWebhookFunctions | IPollFunctions): Readonly<IDataObject> {
	return ctx.getWorkflowStaticData('global');
}

/** A polling trigger's own state (cursor, what it has seen), changed in place during `poll()`. */
export function pollState(ctx: IPollFunctions): IDataObject {
	return ctx.getWorkflowStaticData('node');
}

/** One of the package's keys of the workflow's static data, as a poll sees it (read only). */
export function pollWorkflowData(ctx: IPollFunctions, key: string): unknown {
	return ctx.getWorkflowStaticData('global')[declaredKey(key)];
}
