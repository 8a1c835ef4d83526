/** Readers for untyped provider payloads: a value as an object or a string, or nothing. */
import type { IDataObject } from 'n8n-workflow';

export function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** A string, or a finite number as text; null for anything else. */
export function asString(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** A field by name, ignoring case (providers mix `sessionID` and `SessionID`). */
export function field(fields: IDataObject, name: string): unknown {
	if (name in fields) return fields[name];
	const lower = name.toLowerCase();
	const key = Object.keys(fields).find((candidate) => candidate.toLowerCase() === lower);
	return key === undefined ? undefined : fields[key];
}
