/**
 * Tokens and lookups a node fetches itself and reuses across items and executions of one n8n
 * process (LivePerson's AppJWT, its per-consumer ConsumerJWS, the hosts of its Domain API):
 *
 * - one fetch per key at a time: items or executions that need the same token while it is being
 *   fetched wait for that fetch instead of starting their own;
 * - reused until shortly before it expires (`expiresAt`), or for ever when it does not;
 * - `invalidate(key)` after the provider refused it (a 401), so the next `get` fetches anew.
 *
 * Values stay in this process's memory only — never in outputs, static data or the database —
 * and are keyed by the caller (e.g. the credential's account and client ID), so two credentials
 * never share a token. A restarted process fetches again.
 */
export interface Fetched<T> {
	value: T;
	/** Epoch ms after which the value must not be used; undefined: it does not expire. */
	expiresAt?: number;
}

export class TokenCache<T> {
	private readonly values = new Map<string, Fetched<T>>();

	private readonly fetching = new Map<string, Promise<Fetched<T>>>();

	/**
	 * @param renewBeforeMs how long before `expiresAt` a value counts as expired
	 * @param maxEntries the oldest entries beyond this are forgotten
	 */
	constructor(
		private readonly renewBeforeMs = 0,
		private readonly maxEntries = 10000,
	) {}

	/** The cached value for `key`, or the result of `fetch` (which is then cached). */
	async get(key: string, fetch: () => Promise<Fetched<T>>, now = Date.now()): Promise<T> {
		const cached = this.values.get(key);
		if (cached && (cached.expiresAt === undefined || cached.expiresAt - this.renewBeforeMs > now)) return cached.value;
		let pending = this.fetching.get(key);
		if (!pending) {
			pending = fetch();
			this.fetching.set(key, pending);
			pending.then(
				(fetched) => {
					this.fetching.delete(key);
					this.set(key, fetched);
				},
				() => this.fetching.delete(key),
			);
		}
		return (await pending).value;
	}

	/** Forgets `key` if it still holds `value` (another caller may have renewed it already). */
	invalidate(key: string, value?: T): void {
		if (value === undefined || this.values.get(key)?.value === value) this.values.delete(key);
	}

	clear(): void {
		this.values.clear();
		this.fetching.clear();
	}

	private set(key: string, fetched: Fetched<T>): void {
		this.values.delete(key);
		this.values.set(key, fetched);
		for (const oldest of this.values.keys()) {
			if (this.values.size <= this.maxEntries) break;
			this.values.delete(oldest);
		}
	}
}

/** The `exp` claim of a JWT (epoch ms), or undefined when it has none or is not a JWT. */
export function jwtExpiry(token: string): number | undefined {
	const claims = jwtClaims(token);
	return typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined;
}

/** The payload of a JWT/JWS (base64url JSON), or undefined when `token` is not one. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
	const parts = token.split('.');
	if (parts.length !== 3 || !parts[1]) return undefined;
	try {
		const payload = JSON.parse(Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown;
		return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}
