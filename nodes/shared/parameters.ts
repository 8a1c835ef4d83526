/** Reading node parameters the same way in every action: required values and ID lists. */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A NodeOperationError about one parameter of one item: what the user must fix, before any call. */
export function invalidParameter(
	ctx: { getNode(): INode },
	itemIndex: number,
	field: string,
	problem: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${field}: ${problem}`, {
		itemIndex,
		description: `Fix the "${field}" parameter and run the node again.`,
	});
}

/** A string parameter that must not be empty; the error names the field by its label. */
export function requiredString(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) throw invalidParameter(ctx, itemIndex, label, 'is required');
	return value;
}

/** IDs given as an array (from an expression) or as a comma/newline separated string. */
export function idList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : String(value ?? '').split(/[\n,]/);
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

/**
 * A key/value fixedCollection (`{ <entryName>: [{ key, value }] }`) as an object; entries
 * without a key are skipped.
 */
export function keyValueObject(collection: unknown, entryName: string): IDataObject {
	const entries = ((collection as IDataObject | undefined)?.[entryName] as Array<{ key?: string; value?: string }>) ?? [];
	const result: IDataObject = {};
	for (const entry of entries) if (entry.key) result[entry.key] = entry.value ?? '';
	return result;
}
