/**
 * The first step of every execution a package trigger starts: n8n runs a trigger's `execute()`
 * with what its `webhook()` returned (packages/core `WorkflowExecute.runNode` prefers `execute`),
 * on the process that runs the execution — on a worker in queue mode. It drops redeliveries n8n's
 * database has seen (deliveries.ts) and registers the static data the webhook carried
 * (carried.ts), then passes the items on unchanged.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { carriedOf, registerCarriedStaticData, withoutCarriedStaticData } from './carried';
import { firstDeliveries } from './deliveries';

export async function triggerStep(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	registerCarriedStaticData(ctx, items.map(carriedOf).find((carried) => carried?.staticData)?.staticData);
	return [await firstDeliveries(ctx, withoutCarriedStaticData(items))];
}
