/**
 * The pick-from-a-list parameters of an operation (options, multi-options, booleans), checked before
 * it runs: an expression can give them anything (n8n 2.41 does not check), and a provider would
 * otherwise get `"undefined"` or a made-up message type. The error names the field and lists what
 * it accepts. Lists filled at run time (loadOptions) are not checked here.
 */
import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { describeValue, invalidParameter } from './parameters';

type Choice = { property: INodeProperties; values: unknown[]; names: string[] };

const cache = new WeakMap<INodeProperties[], Map<string, Choice[]>>();

/** The top-level choice parameters shown for resource + operation (computed once per node type). */
function choicesOf(properties: INodeProperties[], resource: string, operation: string): Choice[] {
	let byOperation = cache.get(properties);
	if (!byOperation) {
		byOperation = new Map();
		cache.set(properties, byOperation);
	}
	const key = `${resource}\u0000${operation}`;
	let choices = byOperation.get(key);
	if (!choices) {
		choices = properties
			.filter((property) => {
				if (!['options', 'multiOptions', 'boolean'].includes(property.type)) return false;
				if (property.name === 'resource' || property.name === 'operation') return false;
				if (property.typeOptions?.loadOptionsMethod || property.typeOptions?.loadOptions) return false;
				const show = property.displayOptions?.show;
				return (
					((show?.resource as string[] | undefined) ?? []).includes(resource) &&
					((show?.operation as string[] | undefined) ?? []).includes(operation)
				);
			})
			.map((property) => {
				const options = (property.options ?? []) as INodePropertyOptions[];
				return {
					property,
					values: property.type === 'boolean' ? [true, false] : options.map((option) => option.value),
					names: property.type === 'boolean' ? ['true', 'false'] : options.map((option) => `${option.name} (${String(option.value)})`),
				};
			});
		byOperation.set(key, choices);
	}
	return choices;
}

/** Throws a NodeOperationError naming the first choice parameter whose value is not one it offers. */
export function checkChoices(
	ctx: IExecuteFunctions,
	properties: INodeProperties[],
	resource: string,
	operation: string,
	itemIndex: number,
): void {
	for (const { property, values, names } of choicesOf(properties, resource, operation)) {
		const value = ctx.getNodeParameter(property.name, itemIndex, property.default) as unknown;
		const given = property.type === 'multiOptions' ? value : [value];
		if (!Array.isArray(given)) {
			throw invalidParameter(ctx, itemIndex, property.displayName, `expected a list of ${names.join(', ')}, got ${describeValue(value)}`);
		}
		const wrong = given.find((entry) => !values.includes(entry));
		if (wrong !== undefined || (given.length === 1 && given[0] === undefined)) {
			const expected = property.type === 'boolean' ? 'true or false' : `one of ${names.join(', ')}`;
			throw invalidParameter(ctx, itemIndex, property.displayName, `expected ${expected}, got ${describeValue(wrong)}`);
		}
	}
}
