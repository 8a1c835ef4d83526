import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requestedLimit, returnAllOrLimit } from '../../../shared/descriptions';
import { listByLimit } from '../../api';

const properties: INodeProperties[] = [...returnAllOrLimit];

export const description = updateDisplayOptions({ show: { resource: ['agent'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await listByLimit(this, itemIndex, '/agents', {}, requestedLimit(this, itemIndex), (body) =>
		Array.isArray(body.data) ? (body.data as IDataObject[]) : [],
	);
}
