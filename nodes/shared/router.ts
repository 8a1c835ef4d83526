/**
 * The execute loop every action node shares: per item, pick the operation's `execute`, attach
 * pairedItem to what it returns, honour "continue on fail", and make sure every error names
 * the item it failed on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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

function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export async function executeOperations(this: IExecuteFunctions, operations: OperationMap): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const execute = operations[resource]?.[operation];
			if (!execute) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
					itemIndex,
				});
			}
			const result = await execute.call(this, itemIndex);
			output.push(...toItems(result, itemIndex));
		} catch (error) {
			const wrapped = withItemIndex(this, error, itemIndex);
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
