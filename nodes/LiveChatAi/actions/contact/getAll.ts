import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requestedLimit, returnAllOrLimit } from '../../../shared/descriptions';
import { listByLimit } from '../../api';
import { agentIdOf, agentIdProperty } from '../common';

const properties: INodeProperties[] = [agentIdProperty, ...returnAllOrLimit];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = agentIdOf(this, itemIndex);
	return await listByLimit(this, itemIndex, '/contacts', { agentId }, requestedLimit(this, itemIndex), (body) =>
		Array.isArray(body.data) ? (body.data as IDataObject[]) : [],
	);
}
