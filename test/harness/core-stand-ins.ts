/**
 * Minimal stand-ins for the two n8n core nodes the example workflows use, so the examples run in
 * the engine harness without installing n8n-nodes-base (the real-n8n e2e suite runs them with the
 * real nodes):
 * - `n8n-nodes-base.if` (v2.x): the `conditions` filter is evaluated by n8n itself
 *   (`getNodeParameter(..., { extractValue: true })` → n8n-workflow's `executeFilter`), items go
 *   to output 0 (true) or 1 (false) — the real If node's behaviour.
 * - `n8n-nodes-base.stickyNote`: no inputs, no outputs, never executed.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

class IfStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'If',
		name: 'if',
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'Stand-in for n8n-nodes-base.if in the engine harness',
		defaults: { name: 'If' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['true', 'false'],
		properties: [
			{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} },
			{ displayName: 'Convert Types Where Required', name: 'looseTypeValidation', type: 'boolean', default: false },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const trueItems: INodeExecutionData[] = [];
		const falseItems: INodeExecutionData[] = [];
		this.getInputData().forEach((item, itemIndex) => {
			const pass = this.getNodeParameter('conditions', itemIndex, false, { extractValue: true }) as boolean;
			(pass ? trueItems : falseItems).push({ ...item, pairedItem: { item: itemIndex } });
		});
		return [trueItems, falseItems];
	}
}

class StickyNoteStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'Stand-in for n8n-nodes-base.stickyNote in the engine harness',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [{ displayName: 'Content', name: 'content', type: 'string', default: '' }],
	};
}

export const coreStandIns = {
	'n8n-nodes-base.if': new IfStandIn(),
	'n8n-nodes-base.stickyNote': new StickyNoteStandIn(),
};
