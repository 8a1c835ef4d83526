import { randomUUID } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** Type name of the built-in start node (see {@link startNodeType}). */
export const START_NODE_TYPE = 'harness.start';

/**
 * Built-in start node: it emits whatever items were put on the execution stack for it,
 * i.e. `triggerItems` of `runWorkflow` (default `[{ json: {} }]`). Use it as the first node
 * to get a `Start → MyNode` workflow, like a Manual Trigger in the editor.
 */
export const startNodeType: INodeType = {
	description: {
		displayName: 'Harness Start',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits the trigger items given to the test harness',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	},
};

export type AnyNodeType = INodeType | IVersionedNodeType;

/** Minimal INodeTypes registry, mirroring n8n's NodeTypes lookup semantics. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	constructor(types: Record<string, AnyNodeType> = {}) {
		this.types.set(START_NODE_TYPE, startNodeType);
		for (const [name, type] of Object.entries(types)) this.types.set(name, type);
	}

	add(name: string, type: AnyNodeType) {
		this.types.set(name, type);
		return this;
	}

	has(name: string) {
		return this.types.has(name);
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType);
		if (!type) {
			throw new UnexpectedError(`Unknown node type "${nodeType}" (not registered with the harness)`);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** The version n8n gives a newly added node of this type (defaultVersion, else the highest). */
export function defaultTypeVersion(type: AnyNodeType): number {
	if ('nodeVersions' in type) {
		return type.description.defaultVersion ?? Math.max(...Object.keys(type.nodeVersions).map(Number));
	}
	const { version, defaultVersion } = type.description;
	if (defaultVersion !== undefined) return defaultVersion;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export type NodeInput = Partial<INode> & Pick<INode, 'type'>;

/**
 * Fills what a test may leave out of a node: id, name (from the type's defaults, made unique),
 * position, typeVersion (the type's default version) and parameters.
 */
export function normalizeNodes(nodes: NodeInput[], nodeTypes: HarnessNodeTypes): INode[] {
	const used = new Set<string>();
	return nodes.map((input) => {
		const type = nodeTypes.getByName(input.type);
		const description = NodeHelpers.getVersionedNodeType(type, input.typeVersion).description;
		let name = input.name ?? (description.defaults?.name as string | undefined) ?? description.displayName;
		if (!input.name) {
			const base = name;
			for (let i = 1; used.has(name); i++) name = `${base}${i}`;
		}
		if (used.has(name)) throw new UnexpectedError(`Duplicate node name "${name}"`);
		used.add(name);
		return {
			...input,
			id: input.id ?? randomUUID(),
			name,
			type: input.type,
			typeVersion: input.typeVersion ?? defaultTypeVersion(type),
			position: input.position ?? [0, 0],
			parameters: structuredClone(input.parameters ?? {}),
		} as INode;
	});
}
