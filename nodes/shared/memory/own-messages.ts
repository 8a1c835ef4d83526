/**
 * Messages the package's action nodes sent (LiveChatAI Send Message / Reply as Human Agent), so a
 * polling trigger of the same provider skips them and a workflow never answers itself.
 *
 * Recorded in two places:
 * 1. this process's memory, per workflow: a poll on the same process (n8n's regular mode, where
 *    executions run on main) sees them at its next poll;
 * 2. the workflow's global static data (bounded, oldest forgotten first), saved by n8n after the
 *    execution: seen by a poll that loads the workflow afterwards (after a restart or reactivation;
 *    n8n's legacy poll scheduler keeps the copy it loaded at activation).
 * In queue mode an execution on a worker only reaches (2): a poll on main learns those IDs after
 * the workflow was reactivated (docs/memory.md). The triggers therefore also rely on what the
 * provider says about a message (role) where that is reliable.
 */
import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { pollWorkflowData } from './static-data';
import { readWorkflowData, writeWorkflowData } from './workflow-data';

/** How many message IDs each workflow remembers. */
export const OWN_MESSAGES_SIZE = 500;

const inProcess = new Map<string, string[]>();
const MAX_WORKFLOWS = 200;

function workflowKey(ctx: IExecuteFunctions | IPollFunctions, dataKey: string): string {
	return `${ctx.getWorkflow().id ?? ''}\u0000${dataKey}`;
}

function bounded(list: string[], ids: string[]): string[] {
	const next = list.filter((id) => !ids.includes(id)).concat(ids);
	return next.slice(Math.max(0, next.length - OWN_MESSAGES_SIZE));
}

/** Remembers message IDs this workflow's node sent (under `dataKey` of the workflow's data). */
export function recordOwnMessages(ctx: IExecuteFunctions, dataKey: string, ids: Array<string | null | undefined>): void {
	const fresh = [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
	if (!fresh.length) return;
	const key = workflowKey(ctx, dataKey);
	const known = inProcess.get(key) ?? [];
	inProcess.delete(key);
	inProcess.set(key, bounded(known, fresh));
	for (const oldest of inProcess.keys()) {
		if (inProcess.size <= MAX_WORKFLOWS) break;
		inProcess.delete(oldest);
	}
	const stored = readWorkflowData(ctx, dataKey);
	const list = Array.isArray(stored) ? (stored as string[]) : [];
	if (fresh.every((id) => list.includes(id))) return;
	writeWorkflowData(ctx, dataKey, bounded(list, fresh));
}

/** The message IDs a polling trigger should treat as sent by this workflow's nodes. */
export function ownMessages(ctx: IPollFunctions, dataKey: string): Set<string> {
	const stored = pollWorkflowData(ctx, dataKey);
	return new Set([...(inProcess.get(workflowKey(ctx, dataKey)) ?? []), ...(Array.isArray(stored) ? (stored as string[]) : [])]);
}

/** For tests: what a fresh n8n process knows — nothing. */
export function forgetOwnMessagesInThisProcess(): void {
	inProcess.clear();
}
