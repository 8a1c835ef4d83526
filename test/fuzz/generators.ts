/**
 * fast-check generators shared by the trigger fuzz suite (triggers.fuzz.test.ts): hostile bodies
 * and content types, mutations of valid payloads, unicode text, and the bookkeeping that turns
 * what was tried into the `npm run fuzz` table.
 */
import { randomBytes } from 'crypto';
import fc from 'fast-check';

/** Runs per property: FUZZ_RUNS (default 1000), never below 1. */
export function fuzzRuns(fallback = 1000): number {
	const runs = Number(process.env.FUZZ_RUNS ?? fallback);
	return Number.isFinite(runs) && runs >= 1 ? Math.floor(runs) : fallback;
}

/** Fixed seed so CI sees the same cases every time (override with FUZZ_SEED to explore). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261201);

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

const ARABIC = ['مرحبا', 'أريد التحدث إلى موظف', 'شكرا جزيلا', 'السلام عليكم', '١٢٣'];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇲🇦', '❤️', '✨', '🤖'];
const RTL_MARKS = ['\u200f', '\u200e', '\u202b', '\u202c', '\u2067', '\u2069'];
/** Keys that are also names on Object.prototype: lookups by user input must not find those. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** Unicode text without NUL and without lone surrogates (it survives UTF-8 byte for byte). */
export function unicodeText(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
	const piece = fc.oneof(
		{ weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
		{ weight: 2, arbitrary: fc.constantFrom(...ARABIC) },
		{ weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
		{ weight: 1, arbitrary: fc.constantFrom(...RTL_MARKS, ' ', '\n', '\t', '"', '\\', '&', '=', '+', '%', '<b>') },
	);
	return fc
		.array(piece, { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 8 })
		.map((pieces) => pieces.join('').replace(/\u0000/g, ''))
		.filter((text) => text.length >= (options.minLength ?? 1));
}

/** IDs as providers send them: letters, digits and a few separators. */
export function identifier(minLength = 4, maxLength = 24): fc.Arbitrary<string> {
	return fc.string({
		unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
		minLength,
		maxLength,
	});
}

/** Omnidesk session IDs: `^[a-zA-Z0-9-]+$`. */
export function sessionId(): fc.Arbitrary<string> {
	return fc.string({
		unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'),
		minLength: 1,
		maxLength: 40,
	});
}

// ---------------------------------------------------------------------------------------------
// Values of the wrong type, and mutations of a valid payload
// ---------------------------------------------------------------------------------------------

/** Every JSON type, with the awkward members of each (huge numbers, NUL, prototype names…). */
export function anyJsonValue(): fc.Arbitrary<unknown> {
	return fc.oneof(
		fc.constantFrom(null, true, false, 0, -1, 1e21, -1e21, 8.64e15 + 1, 1.7976931348623157e308, Number.MIN_VALUE, 2 ** 53 + 1),
		fc.double({ noNaN: true, noDefaultInfinity: true }),
		fc.integer(),
		fc.constantFrom('', ' ', '\u0000', 'a\u0000b', 'null', 'true', '0', '-1', '1e400', ...PROTOTYPE_KEYS, ...ARABIC, ...EMOJI),
		fc.string({ unit: 'binary', maxLength: 20 }),
		fc.constantFrom([], {}, [null], [[]], { '': null }, JSON.parse('{"__proto__":1}') as unknown),
		fc.jsonValue({ maxDepth: 3 }),
	);
}

type Json = unknown;

/** All paths (arrays of keys) to values inside a JSON value, the root excluded. */
export function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
	if (value === null || typeof value !== 'object') return [];
	const entries: Array<[string | number, Json]> = Array.isArray(value)
		? value.map((v, i) => [i, v] as [number, Json])
		: Object.entries(value as Record<string, Json>);
	return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function cloneJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function setAt(root: Json, path: Array<string | number>, op: (parent: Record<string | number, Json>, key: string | number) => void): Json {
	const copy = cloneJson(root);
	let parent = copy as Record<string | number, Json>;
	for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
	op(parent, path[path.length - 1]);
	return copy;
}

export type Mutation = 'wrongType' | 'missing' | 'extra';

/** A valid payload with one field of the wrong type, one field missing, or extra fields. */
export function mutated(valid: fc.Arbitrary<Json>): fc.Arbitrary<{ mutation: Mutation; payload: Json }> {
	return valid.chain((payload) => {
		const paths = pathsOf(payload);
		const extra = fc
			.dictionary(fc.oneof(identifier(1, 10), fc.constantFrom(...PROTOTYPE_KEYS)), anyJsonValue(), { minKeys: 1, maxKeys: 4 })
			.chain((fields) =>
				fc.constantFrom([] as Array<string | number>, ...paths).map((path) => {
					const copy = cloneJson(payload) as Record<string, Json>;
					let target = copy as Record<string | number, Json>;
					for (const key of path) target = target[key] as Record<string | number, Json>;
					if (target && typeof target === 'object' && !Array.isArray(target)) {
						for (const [k, v] of Object.entries(fields)) Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
					}
					return { mutation: 'extra' as Mutation, payload: copy };
				}),
			);
		if (!paths.length) return extra;
		const path = fc.constantFrom(...paths);
		return fc.oneof(
			{ weight: 3, arbitrary: fc.tuple(path, anyJsonValue()).map(([p, v]) => ({ mutation: 'wrongType' as Mutation, payload: setAt(payload, p, (o, k) => (o[k] = v)) })) },
			{
				weight: 2,
				arbitrary: path.map((p) => ({
					mutation: 'missing' as Mutation,
					payload: setAt(payload, p, (o, k) => (Array.isArray(o) ? (o as unknown as Json[]).splice(k as number, 1) : delete o[k])),
				})),
			},
			{ weight: 1, arbitrary: extra },
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Hostile bodies and content types
// ---------------------------------------------------------------------------------------------

export type BodyKind =
	| 'randomBytes'
	| 'truncatedJson'
	| 'deepJson'
	| 'mutatedPayload'
	| 'nulBytes'
	| 'invalidUtf8'
	| 'unicodeText'
	| 'jsonScalar'
	| 'formEncoded'
	| 'multipart'
	| 'empty';

export interface HostileBody {
	kind: BodyKind;
	body: Buffer;
	/** The content type that matches the bytes (may be replaced by a wrong one). */
	naturalType: string;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Content types a sender might (wrongly) declare; `null` means no Content-Type header. */
export const CONTENT_TYPES: Array<string | null> = [
	JSON_TYPE,
	'application/json; charset=utf-8',
	'APPLICATION/JSON',
	'application/vnd.api+json',
	FORM_TYPE,
	'multipart/form-data; boundary=fuzzboundary',
	'multipart/form-data',
	'text/plain',
	'text/plain; charset=utf-8',
	'application/octet-stream',
	'application/json; charset=latin1',
	'application/xml',
	'text/xml; charset=utf-8',
	'application/atom+xml',
	'',
	null,
];

/** JSON nested `depth` levels deep (objects, arrays or both), valid or cut short. */
export function deepJson(): fc.Arbitrary<string> {
	return fc
		.record({ depth: fc.integer({ min: 1, max: 200 }), shape: fc.constantFrom('object', 'array', 'mixed'), leaf: anyJsonValue(), cut: fc.boolean() })
		.map(({ depth, shape, leaf, cut }) => {
			let open = '';
			let close = '';
			for (let i = 0; i < depth; i++) {
				const asObject = shape === 'object' || (shape === 'mixed' && i % 2 === 0);
				open += asObject ? (i === 0 ? '{"event":' : '{"data":') : '[';
				close = (asObject ? '}' : ']') + close;
			}
			const text = open + JSON.stringify(leaf ?? null) + close;
			return cut ? text.slice(0, Math.max(1, text.length - 1 - (depth % 7))) : text;
		});
}

export function multipartBody(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }, boundary = `fuzz${randomBytes(8).toString('hex')}`) {
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
	}
	if (file) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`, 'utf8'),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function stringFields(value: Json): Record<string, string> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return { value: JSON.stringify(value) ?? '' };
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']));
}

/** Arbitrary bodies around a trigger's valid payload (which `valid` generates). */
export function hostileBody(valid: fc.Arbitrary<Json>): fc.Arbitrary<HostileBody> {
	const json = (kind: BodyKind) => (text: string): HostileBody => ({ kind, body: Buffer.from(text, 'utf8'), naturalType: JSON_TYPE });
	return fc.oneof(
		fc.uint8Array({ maxLength: 300 }).map((bytes): HostileBody => ({ kind: 'randomBytes', body: Buffer.from(bytes), naturalType: 'application/octet-stream' })),
		fc
			.tuple(valid, fc.nat())
			.map(([payload, n]) => {
				const text = JSON.stringify(payload);
				return text.slice(0, n % Math.max(1, text.length));
			})
			.map(json('truncatedJson')),
		deepJson().map(json('deepJson')),
		mutated(valid).map(({ payload }) => JSON.stringify(payload)).map(json('mutatedPayload')),
		mutated(valid)
			.chain(({ payload }) => fc.tuple(fc.constant(JSON.stringify(payload)), fc.nat(), fc.constantFrom('\u0000', '\\u0000', '\u0000\u0000')))
			.map(([text, n, nul]) => {
				const at = n % (text.length + 1);
				// Inside a string the escaped form keeps it valid JSON; raw NULs break it (both tried).
				return text.slice(0, at) + nul + text.slice(at);
			})
			.map(json('nulBytes')),
		fc
			.tuple(valid, fc.nat(), fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]))
			.map(([payload, n, bad]): HostileBody => {
				const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
				// Inside a string value when possible (after the first quote past n).
				const quote = bytes.indexOf(0x22, n % Math.max(1, bytes.length));
				const at = quote >= 0 ? quote + 1 : bytes.length;
				return { kind: 'invalidUtf8', body: Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]), naturalType: JSON_TYPE };
			}),
		unicodeText({ maxLength: 20 }).map((text): HostileBody => ({ kind: 'unicodeText', body: Buffer.from(text, 'utf8'), naturalType: 'text/plain' })),
		anyJsonValue().map((value) => JSON.stringify(value) ?? 'null').map(json('jsonScalar')),
		fc
			.oneof(valid, mutated(valid).map((m) => m.payload))
			.map((payload): HostileBody => ({ kind: 'formEncoded', body: Buffer.from(new URLSearchParams(stringFields(payload)).toString()), naturalType: FORM_TYPE })),
		fc.oneof(valid, mutated(valid).map((m) => m.payload)).map((payload): HostileBody => {
			// Field names include the prototype names ("constructor", "__proto__"…) of `extra` mutations.
			const { body, contentType } = multipartBody(stringFields(payload), undefined, 'fuzzboundary');
			return { kind: 'multipart', body, naturalType: contentType };
		}),
		fc.constant<HostileBody>({ kind: 'empty', body: Buffer.alloc(0), naturalType: JSON_TYPE }),
	);
}

/** A hostile body with its natural content type most of the time, any other one otherwise. */
export function hostileRequest(valid: fc.Arbitrary<Json>): fc.Arbitrary<HostileBody & { contentType: string | null }> {
	return fc
		.tuple(hostileBody(valid), fc.boolean(), fc.constantFrom(...CONTENT_TYPES))
		.map(([body, natural, other]) => ({ ...body, contentType: natural ? body.naturalType : other }));
}

// ---------------------------------------------------------------------------------------------
// What was tried: per trigger × property, cases and outcomes by status
// ---------------------------------------------------------------------------------------------

const tally = new Map<string, { cases: number; statuses: Map<number, number>; started: number; refusedButStarted: number; crashed: number }>();

export function record(trigger: string, property: string, status: number, outcome: { started?: boolean; crashed?: boolean } = {}): void {
	const key = `${trigger}\u0000${property}`;
	const entry = tally.get(key) ?? { cases: 0, statuses: new Map<number, number>(), started: 0, refusedButStarted: 0, crashed: 0 };
	entry.cases++;
	entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
	if (outcome.started) entry.started++;
	if (outcome.started && status >= 300) entry.refusedButStarted++;
	if (outcome.crashed || status >= 500) entry.crashed++;
	tally.set(key, entry);
}

export function report(): string {
	const rows = [...tally.entries()].map(([key, entry]) => {
		const [trigger, property] = key.split('\u0000');
		const statuses = [...entry.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
		return [trigger, property, String(entry.cases), statuses, String(entry.started), String(entry.refusedButStarted), String(entry.crashed)];
	});
	const totals = new Map<string, number[]>();
	for (const [trigger, , cases, , started, refused, crashed] of rows) {
		const sum = totals.get(trigger) ?? [0, 0, 0, 0];
		totals.set(trigger, [sum[0] + Number(cases), sum[1] + Number(started), sum[2] + Number(refused), sum[3] + Number(crashed)]);
	}
	const header = ['trigger', 'property', 'cases', 'outcomes (status×count)', 'executions', 'executions after a refusal', 'crashes (5xx, exceptions)'];
	const all = [
		header,
		...rows,
		...[...totals.entries()].map(([t, [n, started, refused, crashed]]) => [t, '(total)', String(n), '', String(started), String(refused), String(crashed)]),
	];
	const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...all.slice(1).map(line)].join('\n');
}
