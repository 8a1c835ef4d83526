/**
 * Every trigger of the package, present and future (whatever package.json's `n8n.nodes` lists):
 * n8n can keep it active in any number of workflows at once. n8n stores production webhooks under
 * (path, method) for the whole instance, so a trigger whose stored path is the same in every
 * workflow would leave the second workflow deaf (see test/harness/webhook-registry.ts).
 */
import * as path from 'path';
import type { INode, INodeType, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { HarnessNodeTypes, refuseSharedWebhookPaths, storedWebhookKeys } from './harness';

const REPO = path.join(__dirname, '..');
const pkg = require(path.join(REPO, 'package.json')) as { name: string; n8n: { nodes: string[] } };

/** dist/nodes/X/Y.node.js → the class `Y` exported by nodes/X/Y.node.ts (as n8n's loader takes it). */
function loadNodeType(distFile: string): INodeType {
	const source = path.join(REPO, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const className = path.basename(source, '.node.ts');
	const Type = (require(source) as Record<string, new () => INodeType>)[className];
	return new Type();
}

const webhookTriggers = pkg.n8n.nodes
	.map((file) => loadNodeType(file))
	.filter((nodeType) => nodeType.description.group.includes('trigger') && nodeType.description.webhooks?.length)
	.map((nodeType) => [nodeType.description.displayName, nodeType] as const);

const pollingTriggers = pkg.n8n.nodes
	.map((file) => loadNodeType(file))
	.filter((nodeType) => nodeType.description.group.includes('trigger') && !nodeType.description.webhooks?.length);

test('every trigger without webhooks is a polling trigger n8n can schedule', () => {
	expect(pollingTriggers.map((nodeType) => nodeType.description.displayName)).toEqual(['LiveChatAI Trigger']);
	for (const nodeType of pollingTriggers) {
		expect(nodeType.description.polling).toBe(true);
		expect(typeof nodeType.poll).toBe('function');
		expect(nodeType.description.usableAsTool).toBeUndefined();
		expect(nodeType.webhook).toBeUndefined();
		// n8n's loader adds the poll interval ("Poll Times", n8n-core nodes-loader `commonPollingParameters`)
		// to a node with `polling: true`: the node must not declare its own.
		expect(nodeType.description.properties.map((property) => property.name)).not.toContain('pollTimes');
	}
});

// Action nodes have a webhook for Send and Wait for Reply: n8n serves it only for a waiting
// execution (`restartWebhook`) and never registers it when a workflow is activated.
test('action nodes declare only the resume webhook of a waiting execution', () => {
	const actions = pkg.n8n.nodes.map((file) => loadNodeType(file)).filter((nodeType) => !nodeType.description.group.includes('trigger'));
	expect(actions.length).toBe(4);
	for (const nodeType of actions) {
		expect(nodeType.description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'POST', restartWebhook: true, isFullPath: true, path: '={{ $nodeId }}' }),
		]);
		expect(typeof nodeType.webhook).toBe('function');
	}
});

test('the package has webhook triggers to check', () => {
	expect(webhookTriggers.map(([name]) => name)).toEqual(expect.arrayContaining(['Digishare Trigger', 'Omnidesk Trigger']));
});

describe.each(webhookTriggers)('%s', (_name, nodeType) => {
	const type = `${pkg.name}.${nodeType.description.name}`;
	const nodeTypes = new HarnessNodeTypes({ [type]: nodeType });
	const nodeIn = (webhookId: string): INode => ({
		id: webhookId,
		name: nodeType.description.defaults.name ?? nodeType.description.displayName,
		type,
		typeVersion: Array.isArray(nodeType.description.version) ? Math.max(...nodeType.description.version) : nodeType.description.version,
		position: [0, 0],
		parameters: {},
		webhookId,
	});

	test('n8n would store its webhooks under paths of its own in each workflow (the harness accepts it)', () => {
		expect(() => refuseSharedWebhookPaths(nodeTypes, nodeIn('3f1c0a9e-0000-4000-8000-000000000001'), {} as IWorkflowExecuteAdditionalData)).not.toThrow();
	});

	// n8n 2.41 builds an expression isolate for every delivery to a trigger other than its own Webhook
	// node; n8n's main branch skips it when every field of the node's webhook descriptions is static
	// and the node's parameters hold no expression (packages/workflow webhook-description-fields.ts,
	// ../shared/n8n-facts.md). A newer n8n then lifts the limit by itself for our triggers.
	test('stays eligible for n8n\'s isolate skip: static webhook descriptions, no expression in the parameters a new node has', () => {
		const expressions = (value: unknown, path: string): string[] => {
			if (typeof value === 'string') return value.startsWith('=') ? [`${path} = ${value}`] : [];
			if (Array.isArray(value)) return value.flatMap((entry, index) => expressions(entry, `${path}[${index}]`));
			if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, entry]) => expressions(entry, `${path}.${key}`));
			return [];
		};
		const description = nodeType.description;
		expect(expressions(description.webhooks, 'webhooks')).toEqual([]);
		const version = Array.isArray(description.version) ? Math.max(...description.version) : description.version;
		const defaults = NodeHelpers.getNodeParameters(description.properties, {}, true, false, { typeVersion: version }, description);
		expect(Object.keys(defaults ?? {}).length).toBeGreaterThan(0);
		expect(expressions(defaults, 'parameters')).toEqual([]);
	});

	// n8n takes a start node of typeVersion 1 for its old Webhook node: for every delivery it evaluates
	// `={{$parameter["options"]["binaryData"]}}` (packages/cli webhook-helpers `parseRequestBody`),
	// which makes n8n 2.x build an expression isolate even under N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE,
	// and its isolate skip refuses typeVersion 1 (live-webhooks `webhookPhaseNeedsIsolate`).
	test('a new node is not of typeVersion 1, and version 1 stays loadable for saved workflows', () => {
		const { version, defaultVersion } = nodeType.description;
		expect(defaultVersion ?? version).not.toBe(1);
		expect(Array.isArray(version) ? version : [version]).toEqual(expect.arrayContaining([1, defaultVersion]));
	});

	test('three workflows with this trigger: every webhook_entity key distinct, each below its node’s webhook ID', () => {
		const keys = ['a', 'b', 'c'].flatMap((suffix) => {
			const webhookId = `3f1c0a9e-0000-4000-8000-00000000000${suffix}`;
			const node = nodeIn(webhookId);
			const workflow = new Workflow({ id: `wf-${suffix}`, nodes: [node], connections: {}, active: true, nodeTypes });
			const stored = storedWebhookKeys(workflow, node, {} as IWorkflowExecuteAdditionalData);
			for (const key of stored) expect(key.split(' ')[1].startsWith(`${webhookId}/`)).toBe(true);
			return stored;
		});
		expect(keys.length).toBe(3 * (nodeType.description.webhooks ?? []).length);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
