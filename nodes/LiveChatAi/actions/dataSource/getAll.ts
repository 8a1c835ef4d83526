import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requestedLimit, returnAllOrLimit } from '../../../shared/descriptions';
import { listByLimit } from '../../api';
import { agentIdOf, agentIdProperty } from '../common';

const properties: INodeProperties[] = [
	agentIdProperty,
	{
		displayName: 'Source Type',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'All', value: 'ALL' },
			{ name: 'DOCX', value: 'DOCX' },
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'PDF', value: 'PDF' },
			{ name: 'Q&A', value: 'QA' },
			{ name: 'Text', value: 'TEXT' },
			{ name: 'Website', value: 'WEBSITE' },
		],
		default: 'ALL',
	},
	...returnAllOrLimit,
];

export const description = updateDisplayOptions({ show: { resource: ['dataSource'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = agentIdOf(this, itemIndex);
	const source = this.getNodeParameter('source', itemIndex, 'ALL') as string;
	return await listByLimit(this, itemIndex, '/data-sources', { agentId, source }, requestedLimit(this, itemIndex), (body) => {
		const data = body.data as IDataObject | undefined;
		return Array.isArray(data?.items) ? (data.items as IDataObject[]) : [];
	});
}
