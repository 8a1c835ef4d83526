import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { liveChatAiRequest } from '../../api';
import { agentIdOf, agentIdProperty } from '../common';

const properties: INodeProperties[] = [
	{ ...agentIdProperty, description: 'The AI agent, by ID or slug' },
];

export const description = updateDisplayOptions({ show: { resource: ['agent'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = agentIdOf(this, itemIndex);
	const response = await liveChatAiRequest.call(this, {
		method: 'GET',
		path: `/agents/${encodeURIComponent(agentId)}`,
		itemIndex,
	});
	return (response.data as IDataObject) ?? response;
}
