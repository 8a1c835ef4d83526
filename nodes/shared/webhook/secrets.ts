/** Timing-safe checks of what a delivery presents: a static secret, or an HMAC signature of its raw body. */
import { createHmac, timingSafeEqual } from 'crypto';
import { firstHeader, type ParsedRequest } from './body';

/**
 * Constant-time string comparison. Both sides are hashed first so neither the content nor the
 * length of the expected secret leaks through timing.
 */
export function safeEqual(received: string | undefined | null, expected: string): boolean {
	if (typeof received !== 'string' || expected === '') return false;
	const a = createHmac('sha256', 'livechat-bridge').update(received).digest();
	const b = createHmac('sha256', 'livechat-bridge').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** HMAC of a raw body, e.g. for signed webhooks; `encoding` as the provider sends it. */
export function hmac(
	algorithm: 'sha1' | 'sha256' | 'sha512',
	secret: string,
	payload: Buffer | string,
	encoding: 'hex' | 'base64' = 'hex',
): string {
	return createHmac(algorithm, secret).update(payload).digest(encoding);
}

/**
 * Checks a signature header of the form `<algorithm>=<HMAC of the raw body>` (e.g. LivePerson's
 * `sha1=…` / `sha256=…`), the HMAC in base64 or hex, keyed with `secret` as UTF-8, compared in
 * constant time. Returns undefined when it matches, else whether it was missing or wrong.
 */
export function checkBodySignature(
	header: string | undefined,
	rawBody: Buffer,
	secret: string,
	algorithms: Array<'sha1' | 'sha256' | 'sha512'>,
): { missing: boolean; reason: string } | undefined {
	if (!header) return { missing: true, reason: 'Missing signature' };
	const match = /^([a-z0-9]+)=(.+)$/i.exec(header.trim());
	const algorithm = match?.[1].toLowerCase() as 'sha1' | 'sha256' | 'sha512' | undefined;
	if (!match || !algorithm || !algorithms.includes(algorithm)) return { missing: false, reason: `Unsupported signature format (expected ${algorithms.map((a) => `${a}=`).join(' or ')})` };
	if (secret === '') return { missing: false, reason: 'The trigger has no secret configured in its credential' };
	const received = match[2];
	// Both encodings are checked, so which one the sender uses does not show in the timing.
	const base64Ok = safeEqual(received, hmac(algorithm, secret, rawBody, 'base64'));
	const hexOk = safeEqual(received.toLowerCase(), hmac(algorithm, secret, rawBody, 'hex'));
	return base64Ok || hexOk ? undefined : { missing: false, reason: 'Wrong signature' };
}

export type StaticSecretMode = 'none' | 'headerAuth' | 'basicAuth' | 'bearerAuth';

export interface StaticSecret {
	headerName?: string;
	secret?: string;
	username?: string;
}

/**
 * Checks the static secret a provider sends with each delivery. Returns undefined when it
 * matches, or the reason it does not (never the expected value).
 */
export function checkStaticSecret(
	headers: ParsedRequest['headers'],
	mode: StaticSecretMode,
	expected: StaticSecret,
): string | undefined {
	if (mode === 'none') return undefined;
	const secret = expected.secret ?? '';
	if (secret === '') return 'The trigger has no secret configured in its credential';
	if (mode === 'headerAuth') {
		const name = (expected.headerName ?? '').trim();
		if (!name) return 'The trigger has no header name configured in its credential';
		const received = firstHeader(headers, name);
		if (received === undefined) return `Missing header ${name}`;
		return safeEqual(received, secret) ? undefined : `Wrong value in header ${name}`;
	}
	const authorization = firstHeader(headers, 'authorization') ?? '';
	if (mode === 'bearerAuth') {
		const match = /^Bearer\s+(.+)$/i.exec(authorization);
		if (!match) return 'Missing bearer token';
		return safeEqual(match[1].trim(), secret) ? undefined : 'Wrong bearer token';
	}
	const match = /^Basic\s+(.+)$/i.exec(authorization);
	if (!match) return 'Missing basic authentication';
	const decoded = Buffer.from(match[1].trim(), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
	const password = colon >= 0 ? decoded.slice(colon + 1) : '';
	// Evaluate both comparisons so a wrong user takes as long as a wrong password.
	const userOk = safeEqual(user, expected.username ?? '');
	const passwordOk = safeEqual(password, secret);
	return userOk && passwordOk ? undefined : 'Wrong username or password';
}
