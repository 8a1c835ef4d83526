/** Start → one node: the shape of most operation tests. */
import type { IDataObject, INodeCredentials, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import type { EnvironmentOptions } from './context';
import type { AnyNodeType } from './node-types';
import { runWorkflow, type RunWorkflowResult } from './run-workflow';
import { START_NODE_TYPE } from './node-types';

export interface RunNodeOptions extends Omit<EnvironmentOptions, 'nodeTypes'> {
	nodeTypes: Record<string, AnyNodeType>;
	/** The node under test: its name, full type name and credential references. */
	node: { name: string; type: string; credentials?: INodeCredentials };
	parameters: IDataObject;
	/** Items the node receives (default one empty item). */
	items?: INodeExecutionData[];
	staticData?: IDataObject;
	/** Node setting "On Error: Continue". */
	continueOnFail?: boolean;
}

export async function runSingleNode(opts: RunNodeOptions): Promise<RunWorkflowResult & { items: INodeExecutionData[] }> {
	const result = await runWorkflow({
		nodeTypes: opts.nodeTypes,
		credentialTypes: opts.credentialTypes,
		credentials: opts.credentials,
		credentialsStore: opts.credentialsStore,
		triggerItems: opts.items ?? [{ json: {} }],
		staticData: opts.staticData,
		nodes: [
			{ name: 'Start', type: START_NODE_TYPE },
			{
				...opts.node,
				parameters: opts.parameters as INodeParameters,
				...(opts.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
	});
	return Object.assign(result, { items: result.output(opts.node.name) });
}
