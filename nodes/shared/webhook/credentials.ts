/**
 * A trigger's credential at webhook time, decrypted once per {@link WEBHOOK_CREDENTIAL_TTL_MS} per
 * process: reading it costs n8n 2.x 25–35 ms of CPU per delivery (bench/RESULTS.md). Kept in this
 * process's memory only (tokens.ts); a secret changed in n8n applies within the TTL.
 */
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';
import { TokenCache } from '../tokens';

export const WEBHOOK_CREDENTIAL_TTL_MS = 30_000;

const cache = new TokenCache<ICredentialDataDecryptedObject>(0, 1000);

/** The node's credential of `type`, as `getCredentials` gives it, reused for a few seconds. */
export async function webhookCredentials(ctx: IWebhookFunctions, type: string): Promise<ICredentialDataDecryptedObject> {
	const id = ctx.getNode().credentials?.[type]?.id;
	// Without an ID (an unsaved credential) there is nothing safe to key on: read it every time.
	if (!id) return await ctx.getCredentials(type);
	return await cache.get(`${type}\u0000${id}`, async () => ({
		value: await ctx.getCredentials(type),
		expiresAt: Date.now() + WEBHOOK_CREDENTIAL_TTL_MS,
	}));
}

/** For tests: a fresh n8n process (and a credential changed since the last read). */
export function forgetWebhookCredentials(): void {
	cache.clear();
}
