/** The HTTP answers of a trigger's webhook, and the start of an execution with chat events. */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { ChatEvent } from '../chat-event';
import { carry } from '../memory/carried';
import { resumeWaiting } from './resume';

/**
 * Answers the HTTP request now, exactly: a string goes out as text/plain, anything else as
 * JSON. Return `{ noWebhookResponse: true, workflowData }` after it to still start a run.
 */
export function answer(ctx: IWebhookFunctions, status: number, body: string | IDataObject): void {
	const res = ctx.getResponseObject();
	if (typeof body === 'string') {
		res.status(status);
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.end(body);
	} else {
		res.status(status).json(body);
	}
}

/** Answers the HTTP request now with a status and a JSON reason; starts no execution. */
export function reject(ctx: IWebhookFunctions, status: number, reason: string): IWebhookResponseData {
	answer(ctx, status, { error: reason });
	return { noWebhookResponse: true };
}

/** Acknowledges a delivery the user filtered out (or a duplicate): 200, no execution. */
export function acknowledge(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, skipped: reason } };
}

/**
 * Starts one execution with the given events, one item each, and answers `{"received":true}`
 * (the trigger's webhook description must set `responseData: ''` for n8n to send it). The items
 * carry the delivery key and the workflow's static data to the execution (memory/carried.ts).
 * Events a Send and Wait for Reply node of the workflow waits for resume it instead (resume.ts);
 * when all did, no execution starts and the answer says `"resumed":true`.
 */
export async function emit(
	ctx: IWebhookFunctions,
	events: ChatEvent[],
	deliveryKeys?: string | Array<string | undefined>,
): Promise<IWebhookResponseData> {
	const items = events.map((event) => ({ json: event as unknown as IDataObject }));
	const toStart = await resumeWaiting(ctx, items);
	if (!toStart.length) return { webhookResponse: { received: true, resumed: true } };
	const keys = Array.isArray(deliveryKeys) ? toStart.map((item) => deliveryKeys[items.indexOf(item)]) : deliveryKeys;
	return { webhookResponse: { received: true }, workflowData: [carry(ctx, toStart, keys)] };
}
