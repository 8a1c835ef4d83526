/**
 * The first step of every execution a package webhook trigger starts (its `execute()`, on the
 * process that runs the execution): drops redeliveries n8n's database has seen (deliveries.ts),
 * registers the static data the webhook carried (carried.ts), resumes a Send and Wait for Reply
 * wait the webhook could not see but this process knows (webhook/resume.ts), and passes the
 * items on.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { carriedOf, registerCarriedStaticData, withoutCarriedStaticData } from './carried';
import { firstDeliveries } from './deliveries';
import { resumeWaitingInExecution } from '../webhook/resume';

export async function triggerStep(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	registerCarriedStaticData(ctx, items.map(carriedOf).find((carried) => carried?.staticData)?.staticData);
	return [await resumeWaitingInExecution(ctx, await firstDeliveries(ctx, withoutCarriedStaticData(items)))];
}
