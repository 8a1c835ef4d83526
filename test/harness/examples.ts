/** Loads a workflow from examples/ for the engine harness, pointing its credentials at test ids. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, INode } from 'n8n-workflow';

export interface ExampleWorkflow {
	name: string;
	nodes: INode[];
	connections: IConnections;
}

/**
 * `credentialIds` maps a credential type to the id the test stored it under; every node using
 * that type is pointed at it (the example files carry placeholder ids).
 */
export function loadExample(file: string, credentialIds: Record<string, string> = {}): ExampleWorkflow {
	const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as ExampleWorkflow;
	for (const node of workflow.nodes) {
		for (const [type, reference] of Object.entries(node.credentials ?? {})) {
			if (credentialIds[type]) reference.id = credentialIds[type];
		}
	}
	return workflow;
}
