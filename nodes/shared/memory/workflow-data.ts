/**
 * The package's keys of the workflow's static data as an execution sees them: what n8n loaded,
 * else the copy the execution's trigger carried (carried.ts). Writing restores the carried copy
 * first, since n8n saves the whole object after the execution. Overlapping executions each save
 * their own copy; the later one wins (docs/memory.md).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { carriedStaticData } from './carried';
import { declaredKey } from './static-data';

/** A declared key's value, as this execution should see it. */
export function readWorkflowData(ctx: IExecuteFunctions, key: string): unknown {
	const live = ctx.getWorkflowStaticData('global');
	if (live[declaredKey(key)] !== undefined) return live[key];
	return carriedStaticData(ctx)?.[key];
}

/** Sets a declared key for n8n to save after the execution (what the trigger carried restored first). */
export function writeWorkflowData(ctx: IExecuteFunctions, key: string, value: unknown): void {
	const live = ctx.getWorkflowStaticData('global');
	const carried = carriedStaticData(ctx);
	if (carried) {
		for (const [carriedKey, carriedValue] of Object.entries(carried)) {
			if (live[carriedKey] === undefined) live[carriedKey] = JSON.parse(JSON.stringify(carriedValue)) as IDataObject;
		}
	}
	live[declaredKey(key)] = value as IDataObject;
}
