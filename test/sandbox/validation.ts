/**
 * Small Laravel-flavoured validator used by provider modules to produce
 * `422 {message, errors: {<field.path>: [msg]}}` bodies with Laravel 10 wording.
 *
 * Simplification (deliberate): only the first failing rule of a field is reported,
 * and "required" follows Laravel (null, '' / whitespace-only string and [] are missing,
 * because Laravel's TrimStrings + ConvertEmptyStringsToNull middleware run first).
 */
import type { HandlerResult } from './types';

/** Laravel's `:attribute` display: underscores become spaces, dots stay. */
export function attributeName(field: string): string {
	return field.replace(/_/g, ' ');
}

const a = attributeName;

export const messages = {
	required: (f: string): string => `The ${a(f)} field is required.`,
	requiredWithout: (f: string, others: string[]): string =>
		`The ${a(f)} field is required when ${others.map(a).join(' / ')} is not present.`,
	requiredWithoutAll: (f: string, others: string[]): string =>
		`The ${a(f)} field is required when none of ${others.map(a).join(' / ')} are present.`,
	string: (f: string): string => `The ${a(f)} field must be a string.`,
	boolean: (f: string): string => `The ${a(f)} field must be true or false.`,
	integer: (f: string): string => `The ${a(f)} field must be an integer.`,
	numeric: (f: string): string => `The ${a(f)} field must be a number.`,
	array: (f: string): string => `The ${a(f)} field must be an array.`,
	in: (f: string): string => `The selected ${a(f)} is invalid.`,
	exists: (f: string): string => `The selected ${a(f)} is invalid.`,
	maxString: (f: string, n: number): string => `The ${a(f)} field must not be greater than ${n} characters.`,
	maxItems: (f: string, n: number): string => `The ${a(f)} field must not have more than ${n} items.`,
	minItems: (f: string, n: number): string => `The ${a(f)} field must have at least ${n} items.`,
	maxNumeric: (f: string, n: number): string => `The ${a(f)} field must not be greater than ${n}.`,
	minNumeric: (f: string, n: number): string => `The ${a(f)} field must be at least ${n}.`,
	between: (f: string, min: number, max: number): string => `The ${a(f)} field must be between ${min} and ${max}.`,
	email: (f: string): string => `The ${a(f)} field must be a valid email address.`,
	dateFormat: (f: string, fmt: string): string => `The ${a(f)} field must match the format ${fmt}.`,
	format: (f: string): string => `The ${a(f)} field format is invalid.`,
	unique: (f: string): string => `The ${a(f)} has already been taken.`,
	distinct: (f: string): string => `The ${a(f)} field has a duplicate value.`,
	json: (f: string): string => `The ${a(f)} field must be a valid JSON string.`,
	inArray: (f: string, other: string): string => `The ${a(f)} field must exist in ${other}.`,
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** Laravel "required" failure: undefined, null, blank string, empty array. */
export function isBlank(v: unknown): boolean {
	if (v === undefined || v === null) return true;
	if (typeof v === 'string') return v.trim() === '';
	if (Array.isArray(v)) return v.length === 0;
	return false;
}

/** Laravel `boolean` rule: true, false, 1, 0, '1', '0'. Returns undefined when not acceptable. */
export function toBoolean(v: unknown): boolean | undefined {
	if (v === true || v === 1 || v === '1') return true;
	if (v === false || v === 0 || v === '0') return false;
	return undefined;
}

/** Characters as counted by PHP mb_strlen (code points). */
export function charLength(s: string): number {
	return Array.from(s).length;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidYmd(s: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export interface StringRule {
	required?: boolean;
	/** allow explicit null (returned as null) */
	nullable?: boolean;
	max?: number;
	in?: readonly string[];
	email?: boolean;
	/** 'Y-m-d' */
	date?: boolean;
	pattern?: RegExp;
}

export interface NumberRule {
	required?: boolean;
	nullable?: boolean;
	/** accept only JSON numbers (no numeric strings) */
	strict?: boolean;
	integer?: boolean;
	min?: number;
	max?: number;
	/** report min/max violations as one "must be between" message (e.g. coordinates) */
	between?: boolean;
}

export interface ArrayRule {
	required?: boolean;
	nullable?: boolean;
	min?: number;
	max?: number;
}

/** Collects errors; every check returns the (coerced) value or undefined when absent/invalid. */
export class Validator {
	readonly errors: Record<string, string[]> = {};

	add(field: string, message: string): void {
		(this.errors[field] = this.errors[field] ?? []).push(message);
	}

	has(field: string): boolean {
		return this.errors[field] !== undefined;
	}

	get ok(): boolean {
		return Object.keys(this.errors).length === 0;
	}

	/** Laravel 10 summary: first message + " (and N more error[s])". */
	get message(): string {
		const all: string[] = [];
		for (const key of Object.keys(this.errors)) all.push(...this.errors[key]);
		if (all.length === 0) return 'The given data was invalid.';
		const more = all.length - 1;
		return more > 0 ? `${all[0]} (and ${more} more error${more > 1 ? 's' : ''})` : all[0];
	}

	toResult(): HandlerResult {
		return { status: 422, body: { message: this.message, errors: this.errors } };
	}

	/** presence check; adds "required" error when `required` and blank */
	present(field: string, value: unknown, required: boolean | undefined): boolean {
		if (!isBlank(value)) return true;
		if (required) this.add(field, messages.required(field));
		return false;
	}

	string(field: string, value: unknown, rule: StringRule = {}): string | null | undefined {
		if (value === null && rule.nullable && !rule.required) return null;
		if (typeof value === 'string' && value.trim() === '' && rule.nullable && !rule.required) return null;
		if (!this.present(field, value, rule.required)) return undefined;
		if (typeof value !== 'string') {
			this.add(field, messages.string(field));
			return undefined;
		}
		if (rule.max !== undefined && charLength(value) > rule.max) {
			this.add(field, messages.maxString(field, rule.max));
			return undefined;
		}
		if (rule.in && !rule.in.includes(value)) {
			this.add(field, messages.in(field));
			return undefined;
		}
		if (rule.email && !EMAIL_RE.test(value)) {
			this.add(field, messages.email(field));
			return undefined;
		}
		if (rule.date && !isValidYmd(value)) {
			this.add(field, messages.dateFormat(field, 'Y-m-d'));
			return undefined;
		}
		if (rule.pattern && !rule.pattern.test(value)) {
			this.add(field, messages.format(field));
			return undefined;
		}
		return value;
	}

	boolean(field: string, value: unknown, rule: { required?: boolean } = {}): boolean | undefined {
		if (value === undefined || value === null || value === '') {
			if (rule.required) this.add(field, messages.required(field));
			return undefined;
		}
		const b = toBoolean(value);
		if (b === undefined) this.add(field, messages.boolean(field));
		return b;
	}

	number(field: string, value: unknown, rule: NumberRule = {}): number | null | undefined {
		if (value === null && rule.nullable && !rule.required) return null;
		if (!this.present(field, value, rule.required)) return undefined;
		let n: number;
		if (typeof value === 'number') n = value;
		else if (!rule.strict && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
		else {
			this.add(field, rule.integer ? messages.integer(field) : messages.numeric(field));
			return undefined;
		}
		if (!Number.isFinite(n)) {
			this.add(field, messages.numeric(field));
			return undefined;
		}
		if (rule.integer && !Number.isInteger(n)) {
			this.add(field, messages.integer(field));
			return undefined;
		}
		if (rule.between && rule.min !== undefined && rule.max !== undefined && (n < rule.min || n > rule.max)) {
			this.add(field, messages.between(field, rule.min, rule.max));
			return undefined;
		}
		if (rule.min !== undefined && n < rule.min) {
			this.add(field, messages.minNumeric(field, rule.min));
			return undefined;
		}
		if (rule.max !== undefined && n > rule.max) {
			this.add(field, messages.maxNumeric(field, rule.max));
			return undefined;
		}
		return n;
	}

	array(field: string, value: unknown, rule: ArrayRule = {}): unknown[] | null | undefined {
		if (value === null && rule.nullable && !rule.required) return null;
		if (value === undefined || value === null) {
			if (rule.required) this.add(field, messages.required(field));
			return undefined;
		}
		if (!Array.isArray(value)) {
			this.add(field, messages.array(field));
			return undefined;
		}
		if (value.length === 0 && rule.required) {
			this.add(field, messages.required(field));
			return undefined;
		}
		if (rule.min !== undefined && value.length < rule.min) {
			this.add(field, messages.minItems(field, rule.min));
			return undefined;
		}
		if (rule.max !== undefined && value.length > rule.max) {
			this.add(field, messages.maxItems(field, rule.max));
			return undefined;
		}
		return value;
	}

	/** JSON object (Laravel calls it an "array"). */
	object(field: string, value: unknown, rule: { required?: boolean; nullable?: boolean } = {}): Record<string, unknown> | null | undefined {
		if (value === null && rule.nullable && !rule.required) return null;
		if (value === undefined || value === null) {
			if (rule.required) this.add(field, messages.required(field));
			return undefined;
		}
		if (!isPlainObject(value)) {
			this.add(field, messages.array(field));
			return undefined;
		}
		return value;
	}
}
