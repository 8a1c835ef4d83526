/**
 * n8n's data-deduplication store for the harness. In n8n, packages/cli's `DeduplicationHelper`
 * (deduplication/deduplication-helper.ts) backs n8n-core's `DataDeduplicationService` with the
 * `processed_data` table: one row per (workflow ID, context), context `n:<node id>` for scope
 * `node` and `''` for scope `workflow`; mode `entries` keeps md5/base64 hashes of the values,
 * trimmed to `maxEntries` (oldest first); a row's mode cannot change. This is the same in memory,
 * shared by everything in one jest module registry (one test file) — like one n8n database shared
 * by every process of an installation. Also like n8n: a node's first call inserts its row without a
 * lock, so two first calls at the same moment → the second fails with a unique-constraint error.
 */
import { createHash } from 'node:crypto';

import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

interface Row {
	mode: string;
	data: string[];
}

const rows = new Map<string, Row>();

function rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
	if (!contextData.workflow.id) throw new UnexpectedError('Deduplication needs a workflow ID');
	if (scope === 'node') {
		if (!contextData.node) throw new UnexpectedError("No node information has been provided and so cannot use scope 'node'");
		return `${contextData.workflow.id}|n:${contextData.node.id}`;
	}
	return `${contextData.workflow.id}|`;
}

const hash = (value: DeduplicationItemTypes) => createHash('md5').update(value.toString()).digest('base64');

function entriesOnly(options: ICheckProcessedOptions): void {
	if (options.mode !== 'entries') throw new UnexpectedError(`The harness deduplicator supports mode "entries" only, not "${options.mode}"`);
}

export class HarnessDeduplicator implements IDataDeduplicator {
	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		entriesOnly(options);
		const key = rowKey(scope, contextData);
		const row = rows.get(key);
		const hashed = items.map(hash);
		if (!row) {
			// n8n reads the row, then INSERTs it when there is none, without a lock: two executions doing
			// that at the same moment → the second INSERT violates processed_data's primary key.
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (rows.has(key)) {
				throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
			}
			const data = [...hashed];
			if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
			rows.set(key, { mode: options.mode, data });
			return { new: items, processed: [] };
		}
		if (row.mode !== options.mode) throw new UnexpectedError('Deduplication data was originally saved with an incompatible mode');
		const seen = new Set(row.data);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		hashed.forEach((value, index) => {
			if (seen.has(value)) output.processed.push(items[index]);
			else {
				output.new.push(items[index]);
				row.data.push(value);
			}
		});
		if (options.maxEntries) row.data.splice(0, row.data.length - options.maxEntries);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		entriesOnly(options);
		const row = rows.get(rowKey(scope, contextData));
		if (!row) return;
		for (const value of items.map(hash)) {
			const index = row.data.indexOf(value);
			if (index !== -1) row.data.splice(index, 1);
		}
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		rows.delete(rowKey(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const row = rows.get(rowKey(scope, contextData));
		return options.mode === 'entries' && row ? row.data.length : 0;
	}
}

/** How many values n8n's database would hold for a workflow's node (scope `node`). */
export function processedCount(workflowId: string, nodeId: string): number {
	return rows.get(`${workflowId}|n:${nodeId}`)?.data.length ?? 0;
}

/** Empties the store (a fresh n8n database). */
export function clearProcessedData(): void {
	rows.clear();
}
