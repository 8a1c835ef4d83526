/**
 * The Send and Wait for Reply operation every action node has (operation `sendAndWait`, the name
 * n8n's own nodes use, which makes n8n check the resume URL's signature): the node sends, the
 * execution waits as n8n's waiting executions do, and the package's trigger that receives the
 * reply in that conversation resumes it through n8n's signed resume URL (webhook/resume.ts). The
 * reply becomes the node's output as the trigger's chat event.
 *
 * The node side is here: its properties, the send-then-wait step and the node's `webhook()` that
 * n8n runs on resume. Where the waits are remembered: memory/waits.ts.
 */
import { randomUUID } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';
import type { ProviderEntry } from '../providers';
import type { ChatEvent } from './chat-event';
import { sessionIdOf } from './chat-event';
import { registerWait, type RepliesThatCount } from './memory/waits';
import { numberParameter } from './parameters';

/** What a trigger posts to a waiting node's resume URL. */
export interface ResumeBody {
	livechatBridge: {
		wait: string;
		/** A reply, or the end of the conversation (which ends the wait too). */
		kind: 'reply' | 'end';
		event: ChatEvent;
		binary?: INodeExecutionData['binary'];
	};
}

/** The answer of a waiting node's `webhook()` when it resumed its execution. */
export const RESUMED = 'resumed';

/**
 * The webhook n8n resumes a waiting node through (as n8n's own send-and-wait nodes declare it).
 * n8n serves it only for a waiting execution, at `/webhook-waiting/<execution>/<node>`.
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** The wait's own parameters, after the operation's send parameters. */
export function waitProperties(waitsFor: string, trigger: string): INodeProperties[] {
	return [
		{
			displayName: `The workflow pauses here until ${waitsFor} replies in this conversation; the ${trigger} of this workflow (active, receiving messages) resumes it with the reply. Runs once per execution, for the first input item.`,
			name: 'sendAndWaitNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Wait Limit',
			name: 'waitLimit',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'How long to wait for the reply; when it passes, the workflow goes on with a "no reply" item (replied: false). 0 waits with no limit.',
		},
		{
			displayName: 'Wait Limit Unit',
			name: 'waitLimitUnit',
			type: 'options',
			options: [
				{ name: 'Minutes', value: 'minutes' },
				{ name: 'Hours', value: 'hours' },
				{ name: 'Days', value: 'days' },
			],
			default: 'minutes',
		},
		{
			displayName: 'Replies That Count',
			name: 'repliesThatCount',
			type: 'options',
			options: [
				{ name: 'Text Messages', value: 'text', description: 'Only a message with text ends the wait' },
				{ name: 'Any Message', value: 'any', description: 'Files, buttons, locations and text all end the wait' },
			],
			default: 'text',
			description: `Which of ${waitsFor}'s messages end the wait. The waiting side's own messages (e.g. the echo of this send) never do; the end of the conversation always does.`,
		},
	];
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

function waitUntil(ctx: IExecuteFunctions, itemIndex: number): Date {
	const limit = numberParameter(ctx, itemIndex, 'waitLimit', 'Wait Limit', { min: 0 }) ?? 0;
	if (limit === 0) return WAIT_INDEFINITELY;
	const unit = ctx.getNodeParameter('waitLimitUnit', itemIndex, 'minutes') as keyof typeof UNIT_MS;
	return new Date(Date.now() + limit * (UNIT_MS[unit] ?? UNIT_MS.minutes));
}

/** n8n's signed resume URL for this node (n8n 1.x signs it once asked to check signatures). */
function signedResumeUrl(ctx: IExecuteFunctions, parameters: Record<string, string>): string {
	const n8n1 = ctx as unknown as { setSignatureValidationRequired?: () => void };
	if (typeof n8n1.setSignatureValidationRequired === 'function') n8n1.setSignatureValidationRequired();
	return ctx.getSignedResumeUrl(parameters);
}

export interface SendStep {
	/** The conversation, when known before the send (the wait is then findable while the send is under way). */
	conversationId?: string;
	/** Sends the message; returns the conversation it went to and what the provider answered. */
	send: () => Promise<{ conversationId: string; sent: IDataObject }>;
}

/**
 * Sends, then puts the execution to wait for the reply in that conversation. Returns the item the
 * workflow goes on with when the wait limit passes with no reply (`replied: false`); a reply
 * replaces it, through `replyWebhook`.
 */
export async function sendAndWaitForReply(
	ctx: IExecuteFunctions,
	itemIndex: number,
	provider: ProviderEntry,
	step: SendStep,
): Promise<IDataObject> {
	const type = ctx.getNode().type;
	if (type.endsWith('Tool') && !type.endsWith('HitlTool')) {
		throw new NodeOperationError(
			ctx.getNode(),
			"Send and Wait for Reply cannot run as an AI Agent's tool: a tool call cannot pause the agent. Use another operation, or n8n's human-review tool made from this node",
			{ itemIndex },
		);
	}
	const dataKey = provider.memory.waits;
	const executionId = ctx.getExecutionId();
	if (!dataKey || !executionId) {
		throw new NodeOperationError(ctx.getNode(), 'Send and Wait for Reply needs a saved execution to wait in', { itemIndex });
	}
	const until = waitUntil(ctx, itemIndex);
	const replies = ctx.getNodeParameter('repliesThatCount', itemIndex, 'text') as RepliesThatCount;
	const id = randomUUID();
	const waitFor = (conversationId: string) =>
		registerWait(ctx, dataKey, conversationId, {
			url: signedResumeUrl(ctx, { conversation: conversationId, wait: id }),
			id,
			executionId,
			replies,
			until: until.getTime() >= WAIT_INDEFINITELY.getTime() ? null : until.getTime(),
			at: Date.now(),
		});

	let registered = step.conversationId ? waitFor(step.conversationId) : undefined;
	let sentOk = false;
	let result: { conversationId: string; sent: IDataObject };
	try {
		result = await step.send();
		sentOk = true;
	} finally {
		// A failed send leaves nothing to wait for.
		if (!sentOk) registered?.ready(true);
	}
	if (result.conversationId !== step.conversationId) {
		registered?.ready(true);
		registered = waitFor(result.conversationId);
	}
	const noReply: IDataObject = {
		provider: provider.id,
		event: 'noReply',
		conversationId: result.conversationId,
		...(sessionIdOf(provider.id, result.conversationId) ? { sessionId: sessionIdOf(provider.id, result.conversationId) } : {}),
		replied: false,
		timedOut: true,
		sent: result.sent,
	};
	// When the wait limit passes, n8n goes on with the node's input (the waiting node is passed
	// through): that input becomes the "no reply" item. Only this node's view of its input is
	// replaced, not the items the node before it output.
	let waits = false;
	try {
		const waiting = ctx.getExecuteData();
		waiting.data = { ...waiting.data, main: [[{ json: noReply, pairedItem: { item: itemIndex } }]] };
		await ctx.putExecutionToWait(until);
		waits = true;
	} finally {
		registered?.ready(!waits);
	}
	return noReply;
}

const APPROVALS = new Set(['yes', 'y', 'ok', 'okay', 'approve', 'approved', 'confirm', 'confirmed', 'sure', '👍', 'نعم', 'موافق']);

/** Whether a reply approves (for the human-review tool n8n 2.x generates from this operation). */
export function isApproval(text: string | null | undefined): boolean {
	return APPROVALS.has((text ?? '').trim().toLowerCase().replace(/[.!]+$/, ''));
}

/**
 * The node's `webhook()` while it waits: n8n has checked the URL's signature; the body is the reply
 * a trigger of this package posted. It must be for this URL's conversation and wait. Its event is
 * the node's output (`replied: true`, or `ended: true` when the conversation ended instead). As
 * n8n's generated human-review tool (`…HitlTool`) it also says whether the reply approves.
 */
export function replyWebhook(ctx: IWebhookFunctions): IWebhookResponseData {
	const query = ctx.getQueryData() as IDataObject;
	const body = (ctx.getBodyData() as Partial<ResumeBody>).livechatBridge;
	const event = body?.event;
	if (!body || !event || typeof event !== 'object') {
		ctx.getResponseObject().status(400).json({ error: 'Not a reply: the body must be what a Livechat Bridge trigger posts' });
		return { noWebhookResponse: true };
	}
	if (body.wait !== query.wait || String(event.conversationId) !== query.conversation) {
		ctx.getResponseObject().status(403).json({ error: 'This reply is for another conversation or wait' });
		return { noWebhookResponse: true };
	}
	const ended = body.kind === 'end';
	const json: IDataObject = {
		...(event as unknown as IDataObject),
		replied: !ended,
		...(ended ? { ended: true } : {}),
		...(ctx.getNode().type.endsWith('HitlTool') ? { approved: !ended && isApproval(event.text) } : {}),
	};
	return {
		webhookResponse: { [RESUMED]: true, wait: body.wait },
		workflowData: [[{ json, ...(body.binary ? { binary: body.binary } : {}) }]],
	};
}
