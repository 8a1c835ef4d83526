/**
 * One-time n8n-core initialisation for this jest module registry (i.e. per test file).
 */
import './env';

import { Container } from '@n8n/di';
import { BinaryDataService, Cipher, DataDeduplicationService, EncryptionKeyProxy, InstanceSettings, type KeyInfo } from 'n8n-core';

import { HarnessDeduplicator } from './deduplication';

let ready: Promise<void> | undefined;

/**
 * n8n-core resolves its services lazily through the `@n8n/di` Container (InstanceSettings,
 * Logger, ErrorReporter, OutboundHttp, Cipher…); most work with their defaults. Two need what
 * n8n's startup does:
 *  - EncryptionKeyProxy gets a key provider. With key rotation off (n8n's default) n8n's
 *    KeyManagerService answers every lookup with the instance key, aes-256-cbc, no key-id
 *    prefix (`instanceKeyLegacyInfo`) — the classic n8n credential encryption; we do the same.
 *  - BinaryDataService.init(), in mode `default` (in-memory, see env.ts).
 *  - DataDeduplicationService.init() with n8n's database-backed deduplicator; here the in-memory
 *    HarnessDeduplicator with the same semantics (deduplication.ts).
 */
export async function ensureN8nCore(): Promise<void> {
	ready ??= (async () => {
		const cipher = Container.get(Cipher);
		const instanceKey: KeyInfo = {
			id: 'instance-key',
			value: cipher.encryptDEKWithInstanceKey(Container.get(InstanceSettings).encryptionKey),
			algorithm: 'aes-256-cbc',
			format: 'no-prefix',
		};
		Container.get(EncryptionKeyProxy).setProvider({
			getActiveKey: async () => instanceKey,
			getKeyById: async (id) => (id === instanceKey.id ? instanceKey : null),
			getLegacyKey: async () => instanceKey,
		});
		await Container.get(BinaryDataService).init();
		await DataDeduplicationService.init(new HarnessDeduplicator());
	})();
	return await ready;
}
