/**
 * What the Omnidesk nodes remember: which deliveries are the same one (Omnidesk sends no delivery
 * ID), and the Omnidesk Trigger's chatServer, recorded at activation for the Omnidesk node of the
 * same workflow.
 */
import type { IDataObject, IExecuteFunctions, IHookFunctions } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { repeatKeys } from '../shared/memory/deliveries';
import { activationWorkflowData } from '../shared/memory/static-data';
import { readWorkflowData } from '../shared/memory/workflow-data';
import { invalidParameter, textParameter } from '../shared/parameters';
import { checkField } from '../shared/validation';
import type { UploadedFile } from '../shared/webhook/body';
import { HOOKPOINT_NAMES, type Hookpoint } from './events';
import { chatServer } from './schemas';

export const CHAT_SERVER_KEY = PROVIDERS.omnidesk.memory.chatServer;

/**
 * Omnidesk sends no delivery ID and documents no retries (omnidesk.md §8): copies with the same
 * content within this window count as one delivery (a retry, a double click) — an agent's message
 * or file for 10 s, a session's end for 10 min. Typing is a state, never deduplicated.
 */
const REPEAT_WINDOW_MS: Partial<Record<Hookpoint, number>> = {
	messageForCustomer: 10_000,
	uploadForCustomer: 10_000,
	endSession: 10 * 60_000,
};

/** What makes two deliveries the same: the session for an end, else every field (and the file's name, type and size). */
function identityOf(hookpoint: Hookpoint, sessionId: string, fields: IDataObject, file: UploadedFile | undefined): string {
	if (hookpoint === 'endSession') return sessionId;
	const sorted = Object.keys(fields)
		.sort()
		.map((name) => [name, fields[name]]);
	return JSON.stringify([sorted, file ? [file.originalFilename ?? '', file.mimetype ?? '', file.size ?? 0] : null]);
}

/** The keys that make a delivery the same as another within its window; none for typing. */
export function repeatKeysOf(hookpoint: Hookpoint, sessionId: string, fields: IDataObject, file: UploadedFile | undefined): { key: string; previous: string } | undefined {
	const window = REPEAT_WINDOW_MS[hookpoint];
	return window ? repeatKeys(hookpoint, identityOf(hookpoint, sessionId, fields, file), window) : undefined;
}

/** This trigger's `chatServer`: the part of its hookpoint URLs before `/<hookpoint>`. */
function chatServerOf(ctx: IHookFunctions): string {
	// The first webhook named 'default' is the messageForCustomer one.
	const url = ctx.getNodeWebhookUrl('default') ?? '';
	return url.slice(0, url.length - HOOKPOINT_NAMES[0].length - 1);
}

/**
 * The trigger's activation: nothing is registered at Omnidesk (the chatServer travels with each
 * customer message); the chatServer is recorded for the Omnidesk node, and removed on deactivation.
 */
export const recordChatServer = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return activationWorkflowData(this)[CHAT_SERVER_KEY] === chatServerOf(this);
		},
		async create(this: IHookFunctions): Promise<boolean> {
			activationWorkflowData(this)[CHAT_SERVER_KEY] = chatServerOf(this);
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			const staticData = activationWorkflowData(this);
			if (staticData[CHAT_SERVER_KEY] === chatServerOf(this)) delete staticData[CHAT_SERVER_KEY];
			return true;
		},
	},
};

/** The `chatServer` to use: the parameter, else the one the workflow's Omnidesk Trigger registered. */
export function resolveChatServer(ctx: IExecuteFunctions, itemIndex: number): string {
	const given = textParameter(ctx, itemIndex, 'chatServer', 'Chat Server', { trim: true });
	const value = given || String(readWorkflowData(ctx, CHAT_SERVER_KEY) ?? '');
	if (!value) {
		throw invalidParameter(
			ctx,
			itemIndex,
			'Chat Server',
			'is empty and this workflow has no active Omnidesk Trigger to take it from. Activate the workflow with an Omnidesk Trigger, or paste the trigger’s chatServer: its Production URL without the last part, like https://<your n8n>/webhook/<its webhook ID>/hookpoint. In queue mode the node finds it by itself only in executions that one of this package’s triggers started; for others (a Schedule or Webhook trigger), paste it.',
		);
	}
	checkField(ctx, itemIndex, 'Chat Server', chatServer, value);
	return value;
}
