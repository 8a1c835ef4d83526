import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { jwtClaims } from '../../../shared/tokens';
import { consumerToken } from '../../api';
import { livePersonCredentials } from '../../auth';
import { consumerIdOf, consumerIdProperty } from '../common';

const properties: INodeProperties[] = [consumerIdProperty];

export const description = updateDisplayOptions({ show: { resource: ['consumer'], operation: ['getToken'] } }, properties);

/**
 * Gets (or reuses) the consumer's ConsumerJWS. The token itself is a secret and is never output:
 * the item says which LivePerson consumer it identifies.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const credentials = await livePersonCredentials(this, itemIndex);
	const consumerId = consumerIdOf(this, itemIndex);
	const token = await consumerToken(this, credentials, consumerId, itemIndex);
	const claims = jwtClaims(token) ?? {};
	return {
		consumerId: (claims.ext_consumer_id as string | undefined) ?? (consumerId || null),
		lpConsumerId: (claims.lp_consumer_id as string | undefined) ?? null,
		accountId: credentials.accountId,
		tokenReady: true,
	};
}
