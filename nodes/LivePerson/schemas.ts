/** LivePerson's documented contract: limits (Connector API / SEND API, liveperson.md §8) and error bodies. */
import type { IDataObject } from 'n8n-workflow';
import type { ProviderError } from '../shared/provider-api';

export const LIMITS = {
	/** LivePerson rejects a request JSON longer than this. */
	requestChars: 5000,
	/** Files: images only, up to 3 MB. */
	fileBytes: 3 * 1024 * 1024,
} as const;

/** The image formats LivePerson's file sharing takes, by the name its SEND API uses. */
export const IMAGE_MIME_TYPES = { PNG: 'image/png', JPEG: 'image/jpeg', GIF: 'image/gif' } as const;

/** What each `errorCode` of LivePerson's 401 answers means for the user (liveperson.md §2.4). */
const ERROR_CODES: Record<string, string> = {
	'40001': 'a parameter is missing (e.g. the account ID, or a claim of the AppJWT)',
	'40102': 'the AppJWT is expired or invalid',
	'40103': 'the ConsumerJWS is invalid (or belongs to another consumer than this conversation)',
	'40104': 'the ConsumerJWS is missing',
	'40105': 'the AppJWT is missing',
};

export function errorCodeOf(body: unknown): string | undefined {
	const code = (body as { body?: { errorCode?: unknown } } | undefined)?.body?.errorCode;
	return code === undefined || code === null ? undefined : String(code);
}

/** LivePerson error bodies: `{kind, code, body:{title, details, errorCode}}`, `{reqId, code, body:{msg}}`, or an array of those. */
export function parseLivePersonError(_status: number, body: unknown): ProviderError | undefined {
	const entries = Array.isArray(body) ? body : [body];
	const failed = (entries as IDataObject[]).find((entry) => entry && typeof entry === 'object' && entry.code !== 'OK') ?? entries[0];
	if (!failed || typeof failed !== 'object') return undefined;
	const inner = ((failed as IDataObject).body ?? {}) as IDataObject;
	const errorCode = errorCodeOf(failed);
	const message = [inner.title, inner.details, inner.msg, (failed as IDataObject).message].find(
		(value): value is string => typeof value === 'string' && value !== '',
	);
	if (!message && !errorCode) return undefined;
	const explained = errorCode && ERROR_CODES[errorCode] ? `errorCode ${errorCode}: ${ERROR_CODES[errorCode]}` : undefined;
	return {
		message: message ?? explained ?? `errorCode ${errorCode}`,
		description: explained,
		code: errorCode ?? (typeof (failed as IDataObject).code === 'string' ? ((failed as IDataObject).code as string) : undefined),
	};
}

/** A 200 whose `code` (or any item's, for a batch) is not OK. */
export function errorInLivePersonBody(body: unknown): ProviderError | undefined {
	const entries = Array.isArray(body) ? body : [body];
	const failed = (entries as IDataObject[]).find(
		(entry) =>
			entry &&
			typeof entry === 'object' &&
			((typeof entry.code === 'string' && entry.code !== 'OK') || (typeof entry.code === 'number' && entry.code >= 400)),
	);
	return failed ? parseLivePersonError(200, failed) : undefined;
}
