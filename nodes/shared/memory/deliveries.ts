/**
 * Redelivery checks. Each delivery gets a key (`event:id`, or a hash of the body when the payload
 * has no ID), checked twice:
 * 1. in `webhook()`, against the keys this process has seen: a redelivery to the same process
 *    starts nothing (check and record are one synchronous step, so copies arriving together count
 *    once);
 * 2. at the first step of the execution, in n8n's database through n8n's data-deduplication
 *    helpers (scope `node`): shared by every process of an installation and kept across restarts.
 * Copies reaching different processes within the same few milliseconds can each pass (n8n's helper
 * has no lock; docs/memory.md).
 */
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { createHash } from 'crypto';
import { carriedOf } from './carried';

/** Keys kept per trigger, in this process and in the database. */
export const DEDUPE_MEMORY = 500;

/** `event:id`, or `event:#<sha256 of the body>` when the payload has no usable ID. */
export function deliveryKey(event: string, id: string | null, rawBody: Buffer): string {
	if (id) return `${event}:${id}`;
	return `${event}:#${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;
}

/**
 * Keys for a payload that has no ID and whose provider documents no redelivery (Omnidesk): the
 * same content within `windowMs` (in the same or the previous window) is taken as one delivery —
 * a retry, a double click. `key` is recorded; `previous` is only looked up.
 */
export function repeatKeys(event: string, identity: string, windowMs: number, now = Date.now()): { key: string; previous: string } {
	const base = deliveryKey(event, null, Buffer.from(identity, 'utf8'));
	const window = Math.floor(now / windowMs);
	return { key: `${base}@${window}`, previous: `${base}@${window - 1}` };
}

const processMemory = new Map<string, string[]>();
const MAX_TRIGGERS_IN_MEMORY = 200;

/** Per trigger node of a workflow (n8n's node IDs are unique within a workflow). */
function triggerScope(ctx: IWebhookFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
}

/** Reports whether this process saw `key` for this trigger before, and remembers it. */
export function seenInThisProcess(ctx: IWebhookFunctions, key: string, limit = DEDUPE_MEMORY): boolean {
	const scope = triggerScope(ctx);
	const keys = processMemory.get(scope) ?? [];
	if (keys.includes(key)) return true;
	keys.push(key);
	while (keys.length > limit) keys.shift();
	processMemory.delete(scope);
	processMemory.set(scope, keys);
	for (const oldest of processMemory.keys()) {
		if (processMemory.size <= MAX_TRIGGERS_IN_MEMORY) break;
		processMemory.delete(oldest);
	}
	return false;
}

/** Whether this process saw either repeat key for this trigger (records the current one). */
export function repeatedInThisProcess(ctx: IWebhookFunctions, keys: { key: string; previous: string }): boolean {
	const known = processMemory.get(triggerScope(ctx))?.includes(keys.previous) ?? false;
	return seenInThisProcess(ctx, keys.key) || known;
}

/** For tests: what a second webhook process (or a restarted one) knows — nothing. */
export function forgetDeliveriesSeenInThisProcess(): void {
	processMemory.clear();
}

/**
 * The keys n8n's database already had for this trigger (and records the others). n8n inserts a
 * trigger's row at its first check without a lock: an execution checking at the same moment as
 * another gets a unique-constraint error — the row exists by then, so it checks once more. If n8n's
 * database still refuses, the delivery passes (the webhook's process already checked its own
 * memory): better one possible duplicate than a lost customer message.
 */
async function processedBefore(ctx: IExecuteFunctions, keys: string[]): Promise<string[] | undefined> {
	const check = async () => (await ctx.helpers.checkProcessedAndRecord(keys, 'node', { mode: 'entries', maxEntries: DEDUPE_MEMORY })).processed;
	try {
		return (await check()).map(String);
	} catch {
		try {
			return (await check()).map(String);
		} catch (error) {
			ctx.logger.warn(`Redelivery check in n8n's database failed, delivery passed on: ${(error as Error).message}`);
			return undefined;
		}
	}
}

/**
 * The items whose delivery key n8n's database has not seen for this trigger (and records them).
 * Test executions (the editor's "Listen for test event") are never filtered and not recorded.
 * A duplicate is noted in the execution's custom data (`duplicateDelivery`, n8n 2.x).
 */
export async function firstDeliveries(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const keys = items.map((item) => carriedOf(item)?.deliveryKey);
	const present = keys.filter((key): key is string => typeof key === 'string');
	const paired = items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
	if (!present.length || ctx.getMode() === 'manual') return paired;
	const processed = await processedBefore(ctx, present);
	if (!processed?.length) return paired;
	const duplicates = new Set(processed);
	// n8n 1.x has no customData on node contexts (only `$execution.customData` in expressions).
	(ctx as Partial<IExecuteFunctions>).customData?.set('duplicateDelivery', [...duplicates].join(', ').slice(0, 255));
	return paired.filter((_item, index) => !duplicates.has(keys[index] ?? ''));
}
