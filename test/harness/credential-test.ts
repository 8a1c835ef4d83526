/**
 * Runs a credential type's test like n8n's CredentialsTester (n8n 2.41,
 * packages/cli/src/services/credentials-tester.service.ts):
 *
 *  1. the test is `credentialType.test` (ICredentialTestRequest), else a node's
 *     `credentials[].testedBy` (a request object, or the name of a function in
 *     `methods.credentialTest`) among the given nodeTypes;
 *  2. the data gets the credential type's defaults (and `={{…}}` expressions resolved) —
 *     `applyDefaultsAndOverwrites(…, 'internal')`;
 *  3. a function test is called with a CredentialTestContext; a request test runs a temporary
 *     `n8n-nodes-base.noOp` node (typeVersion 1, parameter `temp` whose routing is
 *     `test.request`) through n8n-core's RoutingNode, so `baseURL`/`url` expressions,
 *     `authenticate` and `preAuthentication` (always called while testing) work exactly as in
 *     n8n and a real HTTP request is made;
 *  4. errors: a response → `test.rules` of type `responseCode` first, then any non-2xx gives
 *     the status text (or `Received HTTP status code: N`); a network error → its code (e.g.
 *     ECONNREFUSED); else the error message. A 2xx response is checked against
 *     `responseSuccessBody` rules. Success: `{ status: 'OK', message: 'Connection successful!' }`.
 */
import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialType,
	ICredentialsDecrypted,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	ITaskDataConnections,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, VersionedNodeType, Workflow, createEmptyRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { createEnvironment, type HarnessEnvironment } from './context';
import type { CredentialsStore } from './credentials';
import type { AnyNodeType } from './node-types';

export const TEST_CREDENTIAL_ID = 'harness-credential-under-test';

export interface TestCredentialOptions {
	/** The credential type to test (its name or the instance; an instance is registered). */
	credentialType: ICredentialType | string;
	/** Other credential types needed (parents through `extends`). */
	credentialTypes?: ICredentialType[];
	/** Node types to search for `testedBy` when the credential type has no `test`. */
	nodeTypes?: Record<string, AnyNodeType>;
	/** The credential data as entered by the user. */
	data: ICredentialDataDecryptedObject;
	/** Base URL of the n8n instance (for $execution/$… keys). Default http://localhost:5678 */
	instanceBaseUrl?: string;
}

export interface TestCredentialResult extends INodeCredentialTestResult {
	/** The store holding the tested credential (id TEST_CREDENTIAL_ID), e.g. a preAuth token. */
	credentialsStore: CredentialsStore;
}

type RequestTest = { nodeType?: INodeType; testRequest: ICredentialTestRequest };

const noOpNodeType: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
};

function findTest(
	env: HarnessEnvironment,
	credentialTypeName: string,
	nodeTypes: Record<string, AnyNodeType>,
): ICredentialTestFunction | RequestTest | undefined {
	const type = env.credentialTypes.getByName(credentialTypeName);
	if (type.test) return { testRequest: type.test };
	for (const node of Object.values(nodeTypes)) {
		const versions: INodeType[] =
			node instanceof VersionedNodeType || 'nodeVersions' in node
				? Object.values((node as VersionedNodeType).nodeVersions)
				: [node];
		for (const nodeType of versions) {
			for (const { name, testedBy } of nodeType.description.credentials ?? []) {
				if (name !== credentialTypeName || !testedBy) continue;
				if (typeof testedBy === 'string') {
					const fn = nodeType.methods?.credentialTest?.[testedBy];
					if (fn) return fn;
					continue;
				}
				return { nodeType, testRequest: testedBy };
			}
		}
	}
	return undefined;
}

export async function testCredential(opts: TestCredentialOptions): Promise<TestCredentialResult> {
	const credentialTypes = [...(opts.credentialTypes ?? [])];
	if (typeof opts.credentialType !== 'string') credentialTypes.push(opts.credentialType);
	const typeName = typeof opts.credentialType === 'string' ? opts.credentialType : opts.credentialType.name;
	const env = await createEnvironment({
		credentialTypes,
		nodeTypes: opts.nodeTypes,
		credentials: { [typeName]: { [TEST_CREDENTIAL_ID]: opts.data } },
	});
	const { credentialsStore } = env;

	const test = findTest(env, typeName, opts.nodeTypes ?? {});
	if (test === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.', credentialsStore };
	}

	const baseAdditionalData = buildAdditionalData({
		credentialsHelper: env.credentialsHelper,
		workflowId: 'harness-credential-test',
		instanceBaseUrl: opts.instanceBaseUrl,
	});
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: TEST_CREDENTIAL_ID,
		name: credentialsStore.nameOf(typeName, TEST_CREDENTIAL_ID) ?? typeName,
		type: typeName,
		data: JSON.parse(JSON.stringify(opts.data)) as ICredentialDataDecryptedObject,
	};
	try {
		credentialsDecrypted.data = await env.credentialsHelper.applyDefaultsAndOverwrites(
			baseAdditionalData,
			credentialsDecrypted.data!,
			typeName,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message.toString(), credentialsStore };
	}

	if (typeof test === 'function') {
		const context = new CredentialTestContext(baseAdditionalData);
		const result = await test.call(context, credentialsDecrypted);
		return { ...result, credentialsStore };
	}

	return { ...(await runRequestTest(env, typeName, credentialsDecrypted, test, opts)), credentialsStore };
}

async function runRequestTest(
	env: HarnessEnvironment,
	credentialType: string,
	credentialsDecrypted: ICredentialsDecrypted,
	test: RequestTest,
	opts: TestCredentialOptions,
): Promise<INodeCredentialTestResult> {
	const nodeType = test.nodeType ?? noOpNodeType;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(nodeType.description.version)
			? nodeType.description.version.slice(-1)[0]
			: nodeType.description.version,
		position: [0, 0],
		credentials: { [credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_type: string, version?: number) => NodeHelpers.getVersionedNodeType(nodeTypeCopy, version),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

	const additionalData = buildAdditionalData({
		credentialsHelper: env.credentialsHelper,
		workflowId: 'harness-credential-test',
		instanceBaseUrl: opts.instanceBaseUrl,
	});
	(additionalData as IWorkflowExecuteAdditionalData).currentNodeParameters = node.parameters;
	// CredentialsTester: non-raw getDecrypted returns the data under test
	const helper = env.credentialsHelper;
	additionalData.credentialsHelper = new Proxy(helper, {
		get(target, prop) {
			if (prop === 'getDecrypted') {
				return async (...args: Parameters<typeof helper.getDecrypted>) =>
					args[5] ? await target.getDecrypted(...args) : (credentialsDecrypted.data ?? {});
			}
			const value = Reflect.get(target, prop) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		},
	});

	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const executeData: IExecuteData = { node, data: {}, source: null };
	const wfNode = workflow.getNode(node.name);
	if (!wfNode) throw new UnexpectedError('temp node missing');
	const executeFunctions = new ExecuteContext(
		workflow,
		wfNode,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		await workflow.expression.acquireIsolate();
		response = await routingNode.runNode();
	} catch (e) {
		const error = e as any;
		if (error.cause?.response) {
			const statusCode = error.cause.response.status as number;
			const statusMessage = error.cause.response.statusText as string | undefined;
			for (const rule of test.testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return { status: 'Error', message: statusMessage || `Received HTTP status code: ${statusCode}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	for (const rule of test.testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response![0][0].json;
			if (getPath(responseData, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** lodash.get for dotted / bracketed paths */
function getPath(obj: unknown, path: string): unknown {
	return path
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter(Boolean)
		.reduce<unknown>((acc, key) => (acc == null ? undefined : (acc as Record<string, unknown>)[key]), obj);
}
