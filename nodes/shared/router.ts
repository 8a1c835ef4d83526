/**
 * The execute loop every action node shares: per item, pick the operation's `execute`, attach
 * pairedItem to what it returns, honour "continue on fail", and make sure every error names
 * the item it failed on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { checkChoices } from './choices';

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

/**
 * `properties` are the node's own (its description's): errors name the resource and operation
 * by the names the user picked them by.
 */
export async function executeOperations(
	this: IExecuteFunctions,
	operations: OperationMap,
	properties: INodeProperties[] = [],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let resource: string | undefined;
		let operation: string | undefined;
		try {
			resource = this.getNodeParameter('resource', itemIndex) as string;
			operation = this.getNodeParameter('operation', itemIndex) as string;
			const execute = operations[resource]?.[operation];
			if (!execute) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
					itemIndex,
				});
			}
			checkChoices(this, properties, resource, operation, itemIndex);
			const result = await execute.call(this, itemIndex);
			output.push(...toItems(result, itemIndex));
		} catch (error) {
			const wrapped = withItemIndex(this, error, itemIndex, whereItFailed(properties, resource, operation, itemIndex));
			if (this.continueOnFail()) {
				const description = (wrapped as NodeApiError).description;
				output.push({
					json: {
						error: wrapped.message,
						...(description ? { description } : {}),
						...((wrapped as NodeApiError).httpCode ? { httpCode: (wrapped as NodeApiError).httpCode } : {}),
					},
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw wrapped;
		}
	}
	return [output];
}
