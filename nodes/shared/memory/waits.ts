/**
 * Who waits on which conversation: the Send and Wait for Reply executions of a workflow, by
 * provider and conversation, for the workflow's triggers to resume with the reply.
 *
 * Kept twice, like the package's other memory (docs/memory.md):
 * - the workflow's data (the provider's declared `waits` key): n8n saves it when the execution
 *   goes to wait, and a trigger's webhook reads it from the database, on any process;
 * - this process's map: written before the send, so a reply that arrives while the send is under
 *   way (before n8n has saved the wait) is still found in this process.
 * An entry is the wait's signed resume URL (n8n's), its limit and which replies count. Resuming
 * is claimed once per wait in this process (`claimWait`); n8n refuses a second resume of the
 * same wait once the first has started it (409 or its "no action required" page).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { readWorkflowData, writeWorkflowData } from './workflow-data';

export type RepliesThatCount = 'text' | 'any';

export interface Wait {
	/** n8n's signed resume URL of the waiting node. */
	url: string;
	/** Unique per wait (a node that waits again in a loop gets a new one). */
	id: string;
	executionId: string;
	replies: RepliesThatCount;
	/** When the wait ends by itself (ms since 1970), null for no limit. */
	until: number | null;
	/** When it began (ms since 1970): the newest wait on a conversation wins. */
	at: number;
}

/** How many waits the workflow data keeps per provider (oldest forgotten first). */
const MAX_WAITS = 500;
const MAX_CLAIMED = 5000;

/** A wait as found: this process's also tells whether its send has been handed to n8n yet. */
export type FoundWait = Wait & { ready?: Promise<void>; settled?: boolean };

interface ProcessWait extends Wait {
	/** Settles once the waiting node has handed its execution to n8n to wait (or failed to). */
	ready: Promise<void>;
	settled: boolean;
}

const inProcess = new Map<string, ProcessWait>();
const claimed = new Set<string>();

function processKey(workflowId: string | undefined, dataKey: string, conversationId: string): string {
	return `${workflowId ?? ''}\u0000${dataKey}\u0000${conversationId}`;
}

function isWait(value: unknown): value is Wait {
	const wait = value as Wait | undefined;
	return Boolean(wait && typeof wait === 'object' && typeof wait.url === 'string' && typeof wait.id === 'string');
}

function live(wait: Wait, now: number): boolean {
	return wait.until === null || wait.until > now;
}

/**
 * Records that this execution waits on `conversationId` (in this process at once, in the workflow
 * data for n8n to save when the execution goes to wait). Returns `ready()`, to call once the
 * execution is handed to n8n to wait, or with an error when the send failed (the wait is dropped).
 */
export function registerWait(
	ctx: IExecuteFunctions,
	dataKey: string,
	conversationId: string,
	wait: Wait,
): { ready: (failed?: boolean) => void } {
	let settle: () => void = () => {};
	const ready = new Promise<void>((resolve) => {
		settle = resolve;
	});
	const key = processKey(ctx.getWorkflow().id, dataKey, conversationId);
	const entry: ProcessWait = { ...wait, ready, settled: false };
	inProcess.delete(key);
	inProcess.set(key, entry);
	for (const oldest of inProcess.keys()) {
		if (inProcess.size <= MAX_WAITS * 4) break;
		inProcess.delete(oldest);
	}
	return {
		ready: (failed = false) => {
			if (failed) {
				if (inProcess.get(key)?.id === wait.id) inProcess.delete(key);
			} else {
				const stored = readWorkflowData(ctx, dataKey);
				const waits: IDataObject = {};
				const now = Date.now();
				for (const [conversation, entry] of Object.entries(stored && typeof stored === 'object' ? (stored as IDataObject) : {})) {
					if (isWait(entry) && live(entry, now) && conversation !== conversationId) waits[conversation] = entry as unknown as IDataObject;
				}
				waits[conversationId] = wait as unknown as IDataObject;
				const keys = Object.keys(waits);
				for (const oldest of keys.slice(0, Math.max(0, keys.length - MAX_WAITS))) delete waits[oldest];
				writeWorkflowData(ctx, dataKey, waits);
			}
			entry.settled = true;
			settle();
		},
	};
}

/**
 * The live wait on `conversationId` in this workflow, if any: the newest of what this process
 * knows and `saved` (the workflow data's waits as the caller sees them).
 */
export function findWait(
	workflowId: string | undefined,
	dataKey: string,
	conversationId: string,
	saved: unknown,
): FoundWait | undefined {
	const now = Date.now();
	const mine = inProcess.get(processKey(workflowId, dataKey, conversationId));
	const stored = saved && typeof saved === 'object' ? (saved as IDataObject)[conversationId] : undefined;
	const candidates = [mine, isWait(stored) ? stored : undefined].filter(
		(wait): wait is FoundWait => wait !== undefined && live(wait, now) && !claimed.has(wait.id),
	);
	return candidates.sort((a, b) => b.at - a.at)[0];
}

/** Claims the resume of a wait for this process: true once per wait, false after. */
export function claimWait(wait: Wait): boolean {
	if (claimed.has(wait.id)) return false;
	claimed.add(wait.id);
	for (const oldest of claimed) {
		if (claimed.size <= MAX_CLAIMED) break;
		claimed.delete(oldest);
	}
	return true;
}

/** Gives a claim back (the resume did not happen), so a later reply may resume the wait. */
export function releaseWait(wait: Wait): void {
	claimed.delete(wait.id);
}

/** Forgets this process's waits and claims, as a restarted n8n process would (tests). */
export function forgetWaitsInThisProcess(): void {
	inProcess.clear();
	claimed.clear();
}
