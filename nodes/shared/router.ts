/**
 * The execute loop every action node shares: per item, pick the operation's `execute`, attach
 * pairedItem to what it returns, honour "continue on fail", and make sure every error names
 * the item it failed on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import { checkChoices } from './choices';
import { retryPolicy } from './transport';

/** What one operation returns for one item: one object, several objects, or full items. */
export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

export type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;

/** resource → operation → execute */
export type OperationMap = Record<string, Record<string, OperationExecute>>;

function isExecutionData(value: unknown): value is INodeExecutionData {
	return (
		value !== null &&
		typeof value === 'object' &&
		'json' in (value as object) &&
		typeof (value as INodeExecutionData).json === 'object'
	);
}

function toItems(result: OperationResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) =>
		isExecutionData(entry)
			? { ...entry, pairedItem: { item: itemIndex } }
			: { json: entry as IDataObject, pairedItem: { item: itemIndex } },
	);
}

/** "sendText" → "Send Text" */
function words(value: string): string {
	const spaced = value.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
	return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The display name of an option the user picked ("getAll" → "Get Many"), else the value in words. */
function optionName(properties: INodeProperties[], name: string, value: string, resource?: string): string {
	const property = properties.find(
		(p) =>
			p.name === name &&
			(resource === undefined || ((p.displayOptions?.show?.resource as string[] | undefined) ?? []).includes(resource)),
	);
	const option = (property?.options as Array<{ name?: string; value?: unknown }> | undefined)?.find((o) => o.value === value);
	return option?.name ?? words(value);
}

/** Where it failed, as the user picked it: "Operation: Message → Send Text, item 0". */
function whereItFailed(
	properties: INodeProperties[],
	resource: string | undefined,
	operation: string | undefined,
	itemIndex: number,
): string {
	const picked =
		resource && operation
			? `Operation: ${optionName(properties, 'resource', resource)} → ${optionName(properties, 'operation', operation, resource)}, `
			: '';
	return `${picked}item ${itemIndex}`;
}

function withItemIndex(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	where: string,
): Error {
	const wrapped =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	if (wrapped.context.itemIndex === undefined) wrapped.context.itemIndex = itemIndex;
	if (!wrapped.description?.includes(where)) {
		wrapped.description = wrapped.description ? `${wrapped.description}\n${where}` : where;
	}
	return wrapped;
}

/** One item's run: its output items, or the error it ended with (already naming item and operation). */
async function runItem(
	ctx: IExecuteFunctions,
	operations: OperationMap,
	properties: INodeProperties[],
	itemIndex: number,
): Promise<{ items: INodeExecutionData[] } | { error: Error }> {
	let resource: string | undefined;
	let operation: string | undefined;
	try {
		resource = ctx.getNodeParameter('resource', itemIndex) as string;
		operation = ctx.getNodeParameter('operation', itemIndex) as string;
		const execute = operations[resource]?.[operation];
		if (!execute) {
			throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
				itemIndex,
			});
		}
		checkChoices(ctx, properties, resource, operation, itemIndex);
		return { items: toItems(await execute.call(ctx, itemIndex), itemIndex) };
	} catch (error) {
		return { error: withItemIndex(ctx, error, itemIndex, whereItFailed(properties, resource, operation, itemIndex)) };
	}
}

/** The item for a failed item under Continue On Fail: the error, its description and HTTP code. */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const { description, httpCode } = error as NodeApiError;
	return {
		json: { error: error.message, ...(description ? { description } : {}), ...(httpCode ? { httpCode } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Whether the node runs as an AI Agent's tool (n8n names a node's tool variant `<type>Tool`): its
 * errors then go back to the model as the tool's answer, naming the field, so the agent can call
 * again with better arguments instead of the whole run failing.
 */
function isAiTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** The node's Batching option: items per batch (1 = one after the other) and the pause between batches. */
function batchingOf(ctx: IExecuteFunctions): { size: number; intervalMs: number } {
	const batching = (ctx.getNodeParameter('batching', 0, {}) ?? {}) as { batchSize?: unknown; batchInterval?: unknown };
	const size = Math.floor(Number(batching.batchSize ?? 1));
	const intervalMs = Number(batching.batchInterval ?? 0);
	return { size: Number.isFinite(size) && size > 1 ? size : 1, intervalMs: Number.isFinite(intervalMs) && intervalMs > 0 ? intervalMs : 0 };
}

/**
 * Runs every input item through its operation. With Batching, the items of a batch run at once
 * (output order and pairedItem stay the input's), then the node pauses for the interval; a 429
 * pauses every call of the node for its Retry-After (transport). Without Continue On Fail the
 * first failed item (in input order) fails the node once its batch has finished; as an AI tool,
 * the error is the tool's answer.
 *
 * `properties` are the node's own (its description's): errors name the resource and operation
 * by the names the user picked them by. Send and Wait for Reply runs for the first item only: an
 * execution waits once (send-and-wait.ts).
 */
export async function executeOperations(
	this: IExecuteFunctions,
	operations: OperationMap,
	properties: INodeProperties[] = [],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const count = this.getNodeParameter('operation', 0, '') === SEND_AND_WAIT_OPERATION ? Math.min(items.length, 1) : items.length;
	const output: INodeExecutionData[] = [];
	const { size, intervalMs } = batchingOf(this);
	for (let first = 0; first < count; first += size) {
		if (first > 0 && intervalMs > 0) await retryPolicy.wait(intervalMs);
		const indexes = Array.from({ length: Math.min(size, count - first) }, (_, offset) => first + offset);
		const results =
			size === 1
				? [await runItem(this, operations, properties, first)]
				: await Promise.all(indexes.map(async (itemIndex) => await runItem(this, operations, properties, itemIndex)));
		results.forEach((result, offset) => {
			if ('items' in result) {
				output.push(...result.items);
				return;
			}
			if (!this.continueOnFail() && !isAiTool(this)) throw result.error;
			output.push(errorItem(result.error, indexes[offset]));
		});
	}
	return [output];
}
