/** Pieces the e2e specs build test-made workflows from (what the editor would save). */
import type { WorkflowNode } from './context';

/** A node as a spec writes it: name and type, the rest defaulted by `nodeMaker`. */
export type NodeSketch = Partial<WorkflowNode> & Pick<WorkflowNode, 'name' | 'type'>;

/** A credential reference as the e2e suite's import replaces it (`<type>Credential`). */
export const credentialRef = (type: string) => ({ [type]: { id: `${type}Credential`, name: type } });

/**
 * Nodes of one workflow: IDs `<idPrefix>` + the index, zero-padded to a UUID's length; version 1,
 * laid out left to right; `defaults` under each sketch.
 */
export function nodeMaker(idPrefix: string, defaults: Partial<WorkflowNode> = {}): (partial: NodeSketch, index: number) => WorkflowNode {
	return (partial, index) =>
		({ id: `${idPrefix}${String(index).padStart(36 - idPrefix.length, '0')}`, typeVersion: 1, position: [index * 220, 0], parameters: {}, ...defaults, ...partial }) as WorkflowNode;
}

/** n8n polls at most once a minute per entry: twelve Custom entries give a poll every 5 s. */
export const EVERY_5_SECONDS = { item: [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };
/** The longest a spec waits for the next poll. */
export const NEXT_POLL_MS = 60000;
