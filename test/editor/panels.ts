/**
 * Every panel a user can open on the package's nodes: one per node × resource × operation (one
 * per trigger), each as a correctly filled node and, where the operation has a required field, the
 * same node with that field left empty. "Correctly filled" and "the issue n8n must show" come from
 * n8n-workflow's own NodeHelpers (what the editor runs), so the suite checks that the editor shows
 * what our descriptions mean, not a copy of n8n's rules.
 */
import * as path from 'path';
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties, type INodeTypeDescription, type NodeParameterValueType } from 'n8n-workflow';

import { PACKAGE, REPO } from '../../scripts/lib/n8n-run';

export interface PackageNode {
	/** n8n's node type, `n8n-nodes-livechat-bridge.<name>`. */
	type: string;
	description: INodeTypeDescription;
	version: number;
	trigger: boolean;
	/** Its provider's folder in nodes/. */
	folder: string;
}

export interface Panel {
	node: PackageNode;
	/** e.g. `Digishare message send`, `LiveChatAI Trigger`. */
	title: string;
	/** Parameters of the correctly filled node (no issue in n8n's rules). */
	filled: INodeParameters;
	/** The first required field the user sees, left empty in the second node, with n8n's issue for it; undefined when the panel has none. */
	empty?: { name: string; displayName: string; parameters: INodeParameters };
	/** Notices n8n shows on this panel (display names of the visible `notice` properties). */
	notices: string[];
}

export const PACKAGE_NAME: string = PACKAGE.name;

/** Every node of package.json `n8n.nodes`, from the built files, at its default version. */
export function packageNodes(): PackageNode[] {
	return PACKAGE.n8n.nodes.map((file: string) => {
		const className = path.basename(file).split('.')[0];
		const NodeClass = (require(path.join(REPO, file)) as Record<string, new () => { description: INodeTypeDescription }>)[className];
		const description = new NodeClass().description;
		const versions = Array.isArray(description.version) ? description.version : [description.version];
		const version = description.defaultVersion ?? Math.max(...versions);
		return { type: `${PACKAGE_NAME}.${description.name}`, description, version, trigger: description.group.includes('trigger'), folder: path.basename(path.dirname(file)) };
	});
}

function asNode(node: PackageNode, parameters: INodeParameters): INode {
	return { id: 'panel', name: 'panel', type: node.type, typeVersion: node.version, position: [0, 0], parameters };
}

/** The node's parameters with n8n's defaults for everything the user has not set. */
function withDefaults(node: PackageNode, parameters: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(node.description.properties, parameters, true, false, asNode(node, parameters), node.description) ?? {};
}

/** The parameters n8n marks with an issue on this node (the editor's own rules). */
export function issuesOf(node: PackageNode, parameters: INodeParameters): string[] {
	const full = withDefaults(node, parameters);
	const issues = NodeHelpers.getNodeParametersIssues(node.description.properties, asNode(node, full), node.description);
	return Object.keys(issues?.parameters ?? {}).sort();
}

function visible(node: PackageNode, parameters: INodeParameters): INodeProperties[] {
	const full = withDefaults(node, parameters);
	return node.description.properties.filter((property) => NodeHelpers.displayParameter(full, property, asNode(node, full), node.description));
}

/** What a user types into a required field of this kind (any value: the panel only checks that one is there). */
function sampleValue(property: INodeProperties): NodeParameterValueType {
	switch (property.type) {
		case 'number':
			return 1;
		case 'boolean':
			return true;
		case 'options':
			return (property.options?.[0] as { value: string } | undefined)?.value ?? '';
		case 'multiOptions':
			return [(property.options?.[0] as { value: string } | undefined)?.value ?? ''];
		case 'json':
			return '{}';
		case 'resourceLocator': {
			const modes = property.modes ?? [];
			const mode = modes.find((candidate) => candidate.name === 'id') ?? modes[0];
			return { __rl: true, mode: mode?.name ?? 'id', value: 'editor-sample' };
		}
		case 'dateTime':
			return '2026-01-01T00:00:00';
		default:
			return 'editor-sample';
	}
}

/** Fills every field n8n reports as missing until it reports none. */
function fill(node: PackageNode, start: INodeParameters): INodeParameters {
	let parameters = { ...start };
	for (let round = 0; round < 10; round++) {
		const missing = issuesOf(node, parameters);
		if (!missing.length) return parameters;
		const shown = visible(node, parameters);
		for (const name of missing) {
			const property = shown.find((candidate) => candidate.name === name);
			if (!property) throw new Error(`${node.type}: n8n reports "${name}" but no visible property has that name`);
			parameters = { ...parameters, [name]: sampleValue(property) };
		}
	}
	throw new Error(`${node.type}: still has issues after filling: ${issuesOf(node, parameters).join(', ')}`);
}

function emptyValue(property: INodeProperties, current: unknown): NodeParameterValueType {
	if (property.type === 'resourceLocator') return { ...(current as object), __rl: true, value: '' } as NodeParameterValueType;
	if (property.type === 'multiOptions') return [];
	return '';
}

function panelFor(node: PackageNode, selection: INodeParameters, title: string): Panel {
	const filled = fill(node, selection);
	const shown = visible(node, filled);
	const notices = shown.filter((property) => property.type === 'notice').map((property) => property.displayName);
	let empty: Panel['empty'];
	for (const property of shown) {
		if (!property.required || ['boolean', 'options', 'notice', 'collection', 'fixedCollection'].includes(property.type)) continue;
		const parameters = { ...filled, [property.name]: emptyValue(property, filled[property.name]) };
		if (issuesOf(node, parameters).includes(property.name)) {
			empty = { name: property.name, displayName: property.displayName, parameters };
			break;
		}
	}
	return { node, title, filled, empty, notices };
}

/** One panel per resource × operation of each action node, one per trigger. */
export function packagePanels(nodes: PackageNode[] = packageNodes()): Panel[] {
	const panels: Panel[] = [];
	for (const node of nodes) {
		const resource = node.description.properties.find((property) => property.name === 'resource');
		if (!resource) {
			panels.push(panelFor(node, {}, node.description.displayName));
			continue;
		}
		for (const { value: resourceValue } of resource.options as Array<{ value: string }>) {
			const operations = node.description.properties.find(
				(property) => property.name === 'operation' && (property.displayOptions?.show?.resource as string[] | undefined)?.includes(resourceValue),
			);
			for (const { value: operation } of (operations?.options ?? []) as Array<{ value: string }>) {
				panels.push(panelFor(node, { resource: resourceValue, operation }, `${node.description.displayName} ${resourceValue} ${operation}`));
			}
		}
	}
	return panels;
}
