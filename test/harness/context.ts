import type { ICredentialType, INode } from 'n8n-workflow';

import { ensureN8nCore } from './core';
import {
	CredentialsStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
	type CredentialsInput,
} from './credentials';
import { HarnessNodeTypes, type AnyNodeType } from './node-types';

export interface EnvironmentOptions {
	/** Node types by full type name, e.g. `{ 'n8n-nodes-livechat-bridge.digishare': new Digishare() }` */
	nodeTypes?: Record<string, AnyNodeType>;
	/** Credential type instances, e.g. `[new DigishareApi()]` */
	credentialTypes?: ICredentialType[];
	/** Stored credentials: `{ [credentialTypeName]: { [id]: data } }` */
	credentials?: CredentialsInput;
	/**
	 * Reuse a store between calls (e.g. to see a token fetched by preAuthentication in one run
	 * reused by the next). When both are given, `credentials` only seed ids the store does not
	 * have yet — what n8n wrote back is kept.
	 */
	credentialsStore?: CredentialsStore;
}

export interface HarnessEnvironment {
	nodeTypes: HarnessNodeTypes;
	credentialTypes: HarnessCredentialTypes;
	credentialsStore: CredentialsStore;
	credentialsHelper: HarnessCredentialsHelper;
}

export async function createEnvironment(opts: EnvironmentOptions): Promise<HarnessEnvironment> {
	await ensureN8nCore();
	const nodeTypes = new HarnessNodeTypes(opts.nodeTypes ?? {});
	const credentialTypes = new HarnessCredentialTypes(opts.credentialTypes ?? []);
	const credentialsStore = opts.credentialsStore ?? new CredentialsStore();
	await credentialsStore.load(opts.credentials ?? {});
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentialsStore);
	return { nodeTypes, credentialTypes, credentialsStore, credentialsHelper };
}

/**
 * When a node does not say which credentials it uses (`credentials` undefined) and the store
 * holds exactly one credential of a type the node declares, select it — what the n8n editor
 * does when a node is added and a single matching credential exists. Set `credentials: {}`
 * on the node to opt out (e.g. to test "no credentials" errors).
 */
export function autoAssignCredentials(nodes: INode[], env: HarnessEnvironment) {
	for (const node of nodes) {
		if (node.credentials !== undefined) continue;
		const type = env.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const assigned: NonNullable<INode['credentials']> = {};
		for (const { name } of type.description.credentials ?? []) {
			const ids = env.credentialsStore.ids(name);
			if (ids.length === 1) {
				assigned[name] = { id: ids[0], name: env.credentialsStore.nameOf(name, ids[0]) ?? name };
			}
		}
		if (Object.keys(assigned).length) node.credentials = assigned;
	}
}
