/**
 * A node's credential, read once per run of the node: every item, every call and every helper of
 * one run share the first read. In a real n8n each `getCredentials` is a database query, a
 * decryption and a pass over the credential's expressions (about 1 ms of CPU on n8n 2.41 — more
 * than the HTTP call itself on a fast API), so reading it per call made every send slower than
 * n8n's HTTP Request node (issue 21, bench/RESULTS.md).
 *
 * The shared copy is what n8n's request helper authenticates with (`credentialsDecrypted`), so a
 * token the credential type's preAuthentication refreshes during the run is written into it and
 * the next items use it. The copy lives as long as the run's context object (a WeakMap): the next
 * execution reads the credential anew, so a credential changed in n8n applies from the next run.
 * An expression in a credential field resolves against the first item that needs the credential.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

interface CredentialReader {
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
	getNode(): { credentials?: Record<string, { id: string | null; name: string }> };
}

const runs = new WeakMap<object, Map<string, Promise<ICredentialDataDecryptedObject>>>();

/** The node's credential of `type` for this run (read on the first call; a failed read is not kept). */
export async function runCredentials<T extends object = ICredentialDataDecryptedObject>(ctx: CredentialReader, type: string, itemIndex = 0): Promise<T> {
	let byType = runs.get(ctx);
	if (!byType) {
		byType = new Map();
		runs.set(ctx, byType);
	}
	let read = byType.get(type);
	if (!read) {
		read = ctx.getCredentials(type, itemIndex);
		byType.set(type, read);
		read.catch(() => {
			if (byType?.get(type) === read) byType.delete(type);
		});
	}
	return (await read) as unknown as T;
}

/** `data` (the run's credential) as n8n's `httpRequestWithAuthentication` takes it, so it does not read it again. */
export function asDecrypted(ctx: CredentialReader, type: string, data: ICredentialDataDecryptedObject): ICredentialsDecrypted {
	const reference = ctx.getNode().credentials?.[type];
	return { id: reference?.id ?? '', name: reference?.name ?? '', type, data };
}
