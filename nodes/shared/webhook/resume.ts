/**
 * A trigger's side of Send and Wait for Reply (send-and-wait.ts): an event that answers a wait of
 * this workflow — a reply from the other side in that conversation, or the conversation's end —
 * resumes the waiting execution through n8n's signed resume URL instead of starting one (unless
 * the trigger's Awaited Replies option says to start one too). Everything else starts the
 * workflow as before.
 *
 * One resume per wait: this process claims the wait before posting (memory/waits.ts); n8n itself
 * refuses a resume once the wait has been resumed (409, or its "no action required" page), and
 * only the waiting node's own answer counts as resumed.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { PROVIDER_ENTRIES, type ProviderEntry } from '../../providers';
import type { ChatEvent } from '../chat-event';
import { CARRIED_PROPERTY, carriedOf } from '../memory/carried';
import { deliveryWorkflowData } from '../memory/static-data';
import { claimWait, findWait, releaseWait, type Wait } from '../memory/waits';
import { readWorkflowData } from '../memory/workflow-data';
import { RESUMED, type ResumeBody } from '../send-and-wait';

export const awaitedRepliesProperty: INodeProperties = {
	displayName: 'Awaited Replies',
	name: 'awaitedReplies',
	type: 'options',
	options: [
		{
			name: 'Resume the Waiting Execution',
			value: 'resume',
			description: 'The reply goes to the Send and Wait for Reply node waiting on its conversation; no new execution',
		},
		{
			name: 'Resume It and Start This Workflow Too',
			value: 'resumeAndStart',
			description: 'The waiting execution gets the reply, and the workflow also starts with it as usual',
		},
	],
	default: 'resume',
	description:
		'What happens to a message a Send and Wait for Reply node of this workflow is waiting for. Messages in conversations nobody waits on always start the workflow.',
};

/** How often a resume is tried again while n8n still runs the execution that is about to wait. */
const BUSY_RETRIES = 20;
const BUSY_PAUSE_MS = 100;
const READY_TIMEOUT_MS = 30_000;

type Context = IWebhookFunctions | IPollFunctions | IExecuteFunctions;

function providerOf(event: ChatEvent): ProviderEntry | undefined {
	return PROVIDER_ENTRIES.find((entry) => entry.id === event.provider);
}

/** Whether the event answers a wait: a reply from the other side, the conversation's end, or neither. */
export function answerKind(event: ChatEvent, provider: ProviderEntry, replies: Wait['replies']): 'reply' | 'end' | undefined {
	const { messages, ends, from } = provider.replies;
	if (ends.includes(event.event) || ends.includes(`${event.event}:${event.messageType ?? ''}`)) return 'end';
	if (!messages.includes(event.event)) return undefined;
	const sender = event.sender?.type ?? null;
	const fromOtherSide = sender === null || sender === from || (from === 'agent' && sender === 'bot');
	if (!fromOtherSide) return undefined;
	if (replies === 'text' && !(typeof event.text === 'string' && event.text.trim())) return undefined;
	return 'reply';
}

async function postResume(ctx: Context, wait: Wait, body: ResumeBody): Promise<'resumed' | 'refused' | 'failed'> {
	for (let attempt = 0; ; attempt++) {
		let response: { statusCode?: number; body?: unknown };
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'POST',
				url: wait.url,
				body: body as unknown as IDataObject,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode?: number; body?: unknown };
		} catch {
			return 'failed';
		}
		const answer = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : undefined;
		if (response.statusCode === 200 && answer?.[RESUMED] === true && answer.wait === wait.id) return 'resumed';
		// n8n (or the proxy before it) could not take the resume: a later reply may.
		if ((response.statusCode ?? 0) >= 500) return 'failed';
		// 409 "running already": the execution has not gone to wait yet (the send is still under way).
		if (response.statusCode === 409 && /running/i.test(JSON.stringify(response.body ?? '')) && attempt < BUSY_RETRIES) {
			await sleep(BUSY_PAUSE_MS);
			continue;
		}
		return 'refused';
	}
}

interface ResumeOptions {
	/** Awaited Replies → Resume It and Start This Workflow Too */
	alsoStart: boolean;
	/** The workflow data's waits under a provider's key, as this context sees them. */
	saved: (dataKey: string) => unknown;
}

/**
 * Resumes the waits the events answer; returns the items that still start the workflow (all of
 * them with Awaited Replies → Resume It and Start This Workflow Too). An item whose wait was found
 * is marked (`livechatBridge.waitHandled`), so the trigger's first step does not try it again.
 */
async function resume(ctx: Context, items: INodeExecutionData[], options: ResumeOptions): Promise<INodeExecutionData[]> {
	// A test event (the editor's "listen for test event") never takes a production execution's reply.
	if (ctx.getMode() === 'manual') return items;
	const remaining: INodeExecutionData[] = [];
	for (const item of items) {
		const event = item.json as unknown as ChatEvent;
		const provider = providerOf(event);
		const dataKey = provider?.memory.waits;
		const wait =
			provider && dataKey && event.conversationId && !carriedOf(item)?.waitHandled
				? findWait(ctx.getWorkflow().id, dataKey, String(event.conversationId), options.saved(dataKey))
				: undefined;
		const kind = wait && provider ? answerKind(event, provider, wait.replies) : undefined;
		if (!wait || !kind || !claimWait(wait)) {
			remaining.push(item);
			continue;
		}
		// A wait begun in this process: its send may still be under way (bounded, should it never end).
		if (wait.ready && !wait.settled) await Promise.race([wait.ready, sleep(READY_TIMEOUT_MS)]);
		const outcome = await postResume(ctx, wait, {
			livechatBridge: { wait: wait.id, kind, event, ...(item.binary ? { binary: item.binary } : {}) },
		});
		if (outcome === 'failed') releaseWait(wait);
		if (outcome !== 'resumed' || options.alsoStart) {
			remaining.push({ ...item, [CARRIED_PROPERTY]: { ...(carriedOf(item) ?? {}), waitHandled: true } as IDataObject });
		}
	}
	return remaining;
}

/** In a trigger's `webhook()` or `poll()`: the waits as the workflow's saved data has them. */
export async function resumeWaiting(ctx: IWebhookFunctions | IPollFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await resume(ctx, items, {
		alsoStart: ctx.getNodeParameter('awaitedReplies', 'resume') === 'resumeAndStart',
		saved: (dataKey) => deliveryWorkflowData(ctx)[dataKey],
	});
}

/**
 * In a webhook trigger's first step (trigger-step.ts), on the process that runs the execution:
 * items whose wait the webhook did not find. In queue mode a wait that began on this worker is
 * known here even when n8n's save of it was overwritten by another execution's (docs/memory.md).
 */
export async function resumeWaitingInExecution(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await resume(ctx, items, {
		alsoStart: ctx.getNodeParameter('awaitedReplies', 0, 'resume') === 'resumeAndStart',
		saved: (dataKey) => readWorkflowData(ctx, dataKey),
	});
}
