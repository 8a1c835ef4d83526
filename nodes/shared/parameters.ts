/**
 * Reading node parameters the same way in every action.
 *
 * n8n 2.41 does not check what an expression gives a string, number or options parameter (only
 * parameters with `validateType` are checked, and ours have none): `={{ undefined }}` arrives as
 * undefined, `={{ {a: 1} }}` as an object, `={{ "5" }}` as a string in a number field. These readers
 * apply one coercion policy, and refuse what they cannot coerce with a NodeOperationError naming the
 * field by its label (`<Label>: …`, itemIndex set) before any request is sent:
 *
 * - Empty: undefined, null and '' (for IDs and numbers also whitespace only) mean "not set": an
 *   optional field is left out, a required one fails with `<Label>: is required`.
 * - Text (messages, names, URLs): strings are kept as they are; finite numbers and booleans become
 *   their String() (`42` → "42", `true` → "true"). Objects fail with `<Label>: expected text, got an
 *   object`, arrays with `… got an array`, NaN/Infinity with `… got NaN`/`… got Infinity`. A provider's
 *   documented length limit is checked (`<Label>: is N characters long; <Provider> accepts at most M`);
 *   without a documented limit the text is sent whole.
 * - IDs: as text, then trimmed, and at most {@link ID_MAX_LENGTH} characters (no provider documents
 *   an ID length, and IDs end up in URLs, which HTTP servers refuse beyond a few KB).
 * - ID lists: an array of texts/numbers, or one text split at commas and new lines; each entry is
 *   trimmed, empty entries dropped. Objects, or arrays inside the array, fail naming the field.
 * - Numbers: finite numbers are kept; numeric strings (after trim, e.g. "5", " 2.5 ") become numbers.
 *   Other strings, booleans, NaN, objects and arrays fail with `<Label>: expected a number, got …`;
 *   `integer`, `min` and `max` are checked when given.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Longest ID any reader accepts: a guard, not a provider's documented limit. */
export const ID_MAX_LENGTH = 1024;

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

type Ctx = { getNode(): INode };

/** What a value is, in the words of an error message ("an object", "an array", "NaN"…). */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
	if (typeof value === 'boolean') return `a boolean (${String(value)})`;
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (typeof value === 'object') return 'an object';
	return typeof value;
}

function isEmpty(value: unknown, trim: boolean): boolean {
	return value === undefined || value === null || value === '' || (trim && typeof value === 'string' && value.trim() === '');
}

export interface TextOptions {
	/** Empty → `<Label>: is required` (else empty gives ''). */
	required?: boolean;
	/** Trim surrounding white space (IDs, URLs; message texts keep theirs). */
	trim?: boolean;
	/** A documented limit: longer text fails naming it. */
	maxLength?: number;
	/** Who sets the limit, for the message (e.g. "Digishare"). */
	limitOf?: string;
	/** Extra words after "is required" (e.g. where the value usually comes from). */
	requiredHint?: string;
}

/** One value as text, by the policy above; '' when empty and not required. */
export function textValue(ctx: Ctx, itemIndex: number, label: string, value: unknown, options: TextOptions = {}): string {
	let text: string;
	if (isEmpty(value, options.trim === true)) {
		text = '';
	} else if (typeof value === 'string') {
		text = options.trim ? value.trim() : value;
	} else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
		text = String(value);
	} else {
		throw invalidParameter(ctx, itemIndex, label, `expected text, got ${describeValue(value)}`);
	}
	if (!text && options.required) {
		throw invalidParameter(ctx, itemIndex, label, `is required${options.requiredHint ? ` ${options.requiredHint}` : ''}`);
	}
	if (options.maxLength !== undefined && text.length > options.maxLength) {
		const who = options.limitOf ? `${options.limitOf} accepts` : 'the limit is';
		throw invalidParameter(ctx, itemIndex, label, `is ${text.length} characters long; ${who} at most ${options.maxLength} characters`);
	}
	return text;
}

/** A text parameter (see the policy above). */
export function textParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	options: TextOptions = {},
): string {
	return textValue(ctx, itemIndex, label, ctx.getNodeParameter(name, itemIndex, ''), options);
}

/** One value as an ID: text, trimmed, at most {@link ID_MAX_LENGTH} characters. */
export function idValue(
	ctx: Ctx,
	itemIndex: number,
	label: string,
	value: unknown,
	options: Pick<TextOptions, 'required' | 'requiredHint'> = {},
): string {
	return textValue(ctx, itemIndex, label, value, { ...options, trim: true, maxLength: ID_MAX_LENGTH, limitOf: 'IDs may have' });
}

/** An ID parameter; `extractValue` for resource locators. */
export function idParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	options: Pick<TextOptions, 'required' | 'requiredHint'> & { extractValue?: boolean } = {},
): string {
	const raw = options.extractValue
		? ctx.getNodeParameter(name, itemIndex, '', { extractValue: true })
		: ctx.getNodeParameter(name, itemIndex, '');
	return idValue(ctx, itemIndex, label, raw, options);
}

/** A string parameter that must not be empty (trimmed); the error names the field by its label. */
export function requiredString(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): string {
	return textParameter(ctx, itemIndex, name, label, { required: true, trim: true });
}

/** An ID list value by the policy above: objects and nested arrays fail naming the field. */
export function idListValue(ctx: Ctx, itemIndex: number, label: string, value: unknown): string[] {
	if (isEmpty(value, true)) return [];
	const parts = Array.isArray(value) ? value : [value];
	const ids: string[] = [];
	for (const part of parts) {
		if (Array.isArray(part) || (part !== null && typeof part === 'object')) {
			throw invalidParameter(ctx, itemIndex, label, `expected IDs (text or a list of texts), got ${describeValue(part)}${Array.isArray(value) ? ' in the list' : ''}`);
		}
		const text = textValue(ctx, itemIndex, label, part);
		for (const id of Array.isArray(value) ? [text] : text.split(/[\n,]/)) ids.push(idValue(ctx, itemIndex, label, id));
	}
	return ids.filter((id) => id !== '');
}

/** An ID list parameter. */
export function idListParameter(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): string[] {
	return idListValue(ctx, itemIndex, label, ctx.getNodeParameter(name, itemIndex, ''));
}

export interface NumberOptions {
	/** Empty → `<Label>: is required`; else empty gives `undefined`. */
	required?: boolean;
	integer?: boolean;
	min?: number;
	max?: number;
}

/** One value as a number, by the policy above (undefined when empty and not required). */
export function numberValue(ctx: Ctx, itemIndex: number, label: string, value: unknown, options: NumberOptions & { required: true }): number;
export function numberValue(ctx: Ctx, itemIndex: number, label: string, value: unknown, options?: NumberOptions): number | undefined;
export function numberValue(ctx: Ctx, itemIndex: number, label: string, value: unknown, options: NumberOptions = {}): number | undefined {
	let number: number;
	if (isEmpty(value, true)) {
		if (options.required) throw invalidParameter(ctx, itemIndex, label, 'is required');
		return undefined;
	}
	if (typeof value === 'number') {
		number = value;
	} else if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim())) {
		number = Number(value.trim());
	} else {
		throw invalidParameter(ctx, itemIndex, label, `expected a number, got ${describeValue(value)}`);
	}
	if (!Number.isFinite(number)) throw invalidParameter(ctx, itemIndex, label, `expected a number, got ${describeValue(number)}`);
	if (options.integer && !Number.isInteger(number)) throw invalidParameter(ctx, itemIndex, label, `must be a whole number (got ${number})`);
	if (options.min !== undefined && number < options.min) throw invalidParameter(ctx, itemIndex, label, `must be at least ${options.min} (got ${number})`);
	if (options.max !== undefined && number > options.max) throw invalidParameter(ctx, itemIndex, label, `must be at most ${options.max} (got ${number})`);
	return number;
}

/** A number parameter (see the policy above). */
export function numberParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	options: NumberOptions & { required: true },
): number;
export function numberParameter(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string, options?: NumberOptions): number | undefined;
export function numberParameter(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string, options: NumberOptions = {}): number | undefined {
	return numberValue(ctx, itemIndex, label, ctx.getNodeParameter(name, itemIndex, ''), options);
}

/**
 * A key/value fixedCollection (`{ <entryName>: [{ key, value }] }`) as an object; entries
 * without a key are skipped. With `ctx`, keys and values go through the text policy.
 */
export function keyValueObject(collection: unknown, entryName: string, read?: { ctx: Ctx; itemIndex: number; label: string }): IDataObject {
	const entries = ((collection as IDataObject | undefined)?.[entryName] as Array<{ key?: unknown; value?: unknown }>) ?? [];
	const result: IDataObject = {};
	for (const entry of Array.isArray(entries) ? entries : []) {
		if (!read) {
			if (entry.key) result[String(entry.key)] = (entry.value as string) ?? '';
			continue;
		}
		const key = textValue(read.ctx, read.itemIndex, `${read.label} → Key`, entry.key, { trim: true });
		if (key) result[key] = textValue(read.ctx, read.itemIndex, `${read.label} → Value`, entry.value);
	}
	return result;
}

/**
 * The input file an upload operation sends: the binary field named by parameter `name` of this
 * item, or an error naming the field and the binary fields the item does have.
 */
export function binaryInput(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): { field: string; binary: IBinaryData } {
	const field = textParameter(ctx, itemIndex, name, label, { required: true, trim: true });
	const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	const binary = ctx.getInputData()[itemIndex]?.binary?.[field];
	if (!binary) {
		const has = present.length ? `it has ${present.map((key) => `"${key}"`).join(', ')}` : 'it has no binary data';
		throw invalidParameter(ctx, itemIndex, label, `the input item has no binary field "${describeName(field)}" (${has})`);
	}
	return { field, binary };
}

function describeName(field: string): string {
	return field.length > 60 ? `${field.slice(0, 60)}…` : field;
}
