/**
 * Credentials for the harness: a credential-type registry, an in-memory credential store and
 * an `ICredentialsHelper` that behaves like n8n's `packages/cli/src/credentials-helper.ts`
 * (n8n 2.41), minus the database, overwrites, external secrets and dynamic credentials.
 *
 * What is mirrored from n8n:
 *  - `authenticate`: the function form is called as is; the generic form
 *    (`IAuthenticateGeneric`) resolves every key and value through n8n's expression engine
 *    (`workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials })`),
 *    an empty/undefined result becomes '' — same as cli's `resolveValue`.
 *  - `preAuthentication`: only when the credential type has a `hidden` property with
 *    `typeOptions.expirable: true`; called when that property is '' (which is what an unset
 *    one becomes once defaults are applied), when `credentialsExpired` is true (n8n-core passes
 *    true after a 401), or when the credential is being tested. The output is ignored unless
 *    it contains the expirable property; otherwise it is written back to the store (never
 *    overwriting a stored field that holds an expression, except the expirable one) and merged
 *    into the in-flight credentials object.
 *  - `getDecrypted`: reads the stored (really encrypted, via n8n-core's `Credentials`) data,
 *    applies the credential type's property defaults with
 *    `NodeHelpers.getNodeParameters(properties, data, true, false, null, null)` — so unset
 *    properties get their `default` and properties hidden by `displayOptions` are dropped —
 *    keeps `oauthTokenData`/`allowedHttpRequestDomains`/`allowedDomains` from the raw data,
 *    then resolves expressions in credential fields (`={{...}}`) like n8n does.
 *  - `extends` (parent types) for properties and `getParentTypes`.
 */
import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	IDataObject,
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IGetDecryptedCredentialsOptions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';

// ---------------------------------------------------------------------------------------------
// Credential types
// ---------------------------------------------------------------------------------------------

export class HarnessCredentialTypes implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[] = []) {
		for (const type of types) this.add(type);
	}

	add(type: ICredentialType) {
		this.types.set(type.name, type);
		return this;
	}

	recognizes(type: string) {
		return this.types.has(type);
	}

	getByName(type: string): ICredentialType {
		const found = this.types.get(type);
		if (!found) {
			throw new UnexpectedError(
				`Unknown credential type "${type}" (pass it in credentialTypes to the harness)`,
			);
		}
		return found;
	}

	getSupportedNodes(type: string): string[] {
		return this.types.get(type)?.supportedNodes ?? [];
	}

	/** All ancestors through `extends`, nearest first (same result as n8n's CredentialTypes). */
	getParentTypes(typeName: string): string[] {
		const type = this.types.get(typeName);
		if (type?.extends === undefined) return [];
		const parents: string[] = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}
}

// ---------------------------------------------------------------------------------------------
// Store
// ---------------------------------------------------------------------------------------------

export type CredentialsInput = Record<
	string /* credential type */,
	Record<string /* credential id */, ICredentialDataDecryptedObject>
>;

export interface CredentialUpdate {
	type: string;
	id: string;
	data: ICredentialDataDecryptedObject;
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** Encrypted string, as n8n keeps it in the database. */
	encrypted: string;
	/** JSON copy of the data (what decrypting gives back), for synchronous reads in tests. */
	plain: ICredentialDataDecryptedObject;
}

/**
 * In-memory stand-in for n8n's credentials table. Data is encrypted with n8n-core's
 * `Credentials` (same cipher and JSON round-trip as n8n), so whatever a credential type writes
 * back (preAuthentication) comes back exactly as n8n would give it on the next read.
 */
export class CredentialsStore {
	private readonly entries = new Map<string, StoredCredential>();

	/** Every write made by n8n (preAuthentication, updateCredentials...), oldest first. */
	readonly updates: CredentialUpdate[] = [];

	/** Every load of a stored credential (what is a database query and a decryption in n8n), oldest first. */
	readonly loads: Array<{ type: string; id: string }> = [];

	private static key(type: string, id: string) {
		return `${type}\u0000${id}`;
	}

	/**
	 * Seeds credentials without recording an update. Credentials already in the store are kept
	 * (not overwritten), so a test can pass the same `credentials` together with a shared store
	 * on every call and still see data n8n wrote back (e.g. a token from preAuthentication).
	 * Pass `{ overwrite: true }` to replace them.
	 */
	async load(input: CredentialsInput = {}, { overwrite = false } = {}) {
		for (const [type, byId] of Object.entries(input)) {
			for (const [id, data] of Object.entries(byId)) {
				if (!overwrite && this.has(type, id)) continue;
				await this.write(type, id, data, false);
			}
		}
	}

	async write(type: string, id: string, data: ICredentialDataDecryptedObject, record = true) {
		const name = this.entries.get(CredentialsStore.key(type, id))?.name ?? `${type} ${id}`;
		const credentials = new Credentials({ id, name }, type);
		await credentials.setData(data);
		const plain = JSON.parse(JSON.stringify(data)) as ICredentialDataDecryptedObject;
		this.entries.set(CredentialsStore.key(type, id), {
			id,
			name,
			type,
			encrypted: credentials.getDataToSave().data as string,
			plain,
		});
		if (record) this.updates.push({ type, id, data: structuredClone(plain) });
	}

	has(type: string, id: string) {
		return this.entries.has(CredentialsStore.key(type, id));
	}

	/** ids of the stored credentials of a type */
	ids(type: string): string[] {
		return [...this.entries.values()].filter((e) => e.type === type).map((e) => e.id);
	}

	nameOf(type: string, id: string) {
		return this.entries.get(CredentialsStore.key(type, id))?.name;
	}

	/** n8n-core `Credentials` instance for a stored credential (like loading it from the DB). */
	credentials(type: string, id: string): Credentials {
		const entry = this.entries.get(CredentialsStore.key(type, id));
		if (!entry) throw new UserError(`Credential with ID "${id}" does not exist for type "${type}".`);
		this.loads.push({ type, id });
		return new Credentials({ id: entry.id, name: entry.name }, entry.type, entry.encrypted);
	}

	private resolveId(type: string, id?: string): string {
		if (id !== undefined) return id;
		const ids = this.ids(type);
		if (ids.length !== 1) {
			throw new UnexpectedError(`"${type}" needs an id: ${ids.length} credentials of that type are stored`);
		}
		return ids[0];
	}

	/**
	 * Current stored data of a credential (raw — no defaults applied), as n8n would decrypt it.
	 * `id` may be omitted when exactly one credential of the type exists.
	 */
	getData(type: string, id?: string): ICredentialDataDecryptedObject {
		const resolved = this.resolveId(type, id);
		const entry = this.entries.get(CredentialsStore.key(type, resolved));
		if (!entry) throw new UserError(`Credential with ID "${resolved}" does not exist for type "${type}".`);
		return structuredClone(entry.plain);
	}

	/** Same as getData, but really decrypting the stored ciphertext with n8n-core. */
	async get(type: string, id?: string): Promise<ICredentialDataDecryptedObject> {
		return await this.credentials(type, this.resolveId(type, id)).getData();
	}
}

// ---------------------------------------------------------------------------------------------
// Helper
// ---------------------------------------------------------------------------------------------

const mockNode: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const mockNodeType: INodeType = {
	description: {
		displayName: 'Mock',
		name: 'mock',
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: [],
		properties: [],
	},
};

const mockNodeTypes: INodeTypes = {
	getByName: () => mockNodeType,
	getByNameAndVersion: () => mockNodeType,
	getKnownTypes: () => ({}),
};

/** Like cli's `restrictToCredentialDomains`: the only helper preAuthentication gets. */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions): Promise<unknown> => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly credentialTypes: HarnessCredentialTypes,
		readonly store: CredentialsStore,
	) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		const { authenticate } = credentialType;
		if (authenticate) {
			if (typeof authenticate === 'function') {
				return await authenticate(credentials, requestOptions as IHttpRequestOptions);
			}
			if (typeof authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				requestOptions.headers ??= {};
				if (authenticate.type === 'generic') {
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
							const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
							const valueResolved = this.resolveValue(
								value as string,
								{ $credentials: credentials },
								workflow,
								node,
							);
							const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
							target[outerKey] ??= {};
							target[outerKey][keyResolved] = valueResolved;
						}
					}
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// n8n's credential test runs with this mock node (see testCredential / CredentialsTester)
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (
			credentials[expirableProperty.name] !== '' &&
			!credentialsExpired &&
			!isTestingCredentials
		) {
			return undefined;
		}

		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output as ICredentialDataDecryptedObject)) {
				if (key === expirableProperty.name || !isExpression(storedData[key])) {
					dataToPersist[key] = value;
				}
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	getParentTypes(typeName: string): string[] {
		return this.credentialTypes.getParentTypes(typeName);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let typeDef: ICredentialType;
		try {
			typeDef = this.credentialTypes.getByName(credentialType);
		} catch {
			return true;
		}
		if (!typeDef.restrictToSupportedNodes) return true;
		const supported = this.credentialTypes.getSupportedNodes(credentialType);
		return supported.includes(nodeType) || supported.includes(nodeType.split('.').pop() ?? '');
	}

	async getCredentials(nodeCredential: INodeCredentialsDetails, type: string): Promise<Credentials> {
		if (!nodeCredential?.id) {
			throw new UnexpectedError('Found credential with no ID.', {
				extra: { credentialName: nodeCredential?.name },
				tags: { credentialType: type },
			});
		}
		return this.store.credentials(type, nodeCredential.id);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.credentialTypes.getByName(type);
		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}
		const combineProperties: INodeProperties[] = [];
		for (const credentialsTypeName of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combineProperties, this.getCredentialsProperties(credentialsTypeName));
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
		_options?: IGetDecryptedCredentialsOptions,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		const decryptedDataOriginal = await credentials.getData();
		if (raw === true) return decryptedDataOriginal;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Same steps as cli's applyDefaultsAndOverwrites (there are no overwrites here). */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);

		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		if (
			decryptedData.allowedHttpRequestDomains === undefined &&
			decryptedDataOriginal.allowedHttpRequestDomains !== undefined
		) {
			decryptedData.allowedHttpRequestDomains = decryptedDataOriginal.allowedHttpRequestDomains;
		}
		if (decryptedData.allowedDomains === undefined && decryptedDataOriginal.allowedDomains !== undefined) {
			decryptedData.allowedDomains = decryptedDataOriginal.allowedDomains;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData as IDataObject,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [mockNode],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes,
			});
			await workflow.expression.acquireIsolate();
			try {
				decryptedData = workflow.expression.getComplexParameterValue(
					mockNode,
					decryptedData as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					decryptedData as IDataObject,
				) as ICredentialDataDecryptedObject;
			} finally {
				await workflow.expression.releaseIsolate();
			}
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await this.store.write(type, credentials.id as string, data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		await this.store.write(type, credentials.id as string, await credentials.getData());
	}
}
