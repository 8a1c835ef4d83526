/**
 * The first step of every execution a package webhook trigger starts (its `execute()`, on the
 * process that runs the execution): drops redeliveries n8n's database has seen (deliveries.ts),
 * registers the static data the webhook carried (carried.ts), and passes the items on.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { carriedOf, registerCarriedStaticData, withoutCarriedStaticData } from './carried';
import { firstDeliveries } from './deliveries';

export async function triggerStep(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	registerCarriedStaticData(ctx, items.map(carriedOf).find((carried) => carried?.staticData)?.staticData);
	return [await firstDeliveries(ctx, withoutCarriedStaticData(items))];
}
