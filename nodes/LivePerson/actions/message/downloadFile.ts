import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { idParameter, textParameter } from '../../../shared/parameters';
import { sendRequest, swiftCall } from '../../api';
import { consumerIdOf, consumerIdProperty, featuresOption } from '../common';

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Relative Path',
		name: 'relativePath',
		type: 'string',
		default: '={{ $json.raw?.event?.message?.relativePath }}',
		required: true,
		description: 'The file’s relativePath from the agent’s hosted/file message (the LivePerson Trigger outputs it in raw.event.message)',
	},
	{ displayName: 'Put Output File in Field', name: 'binaryPropertyName', type: 'string', default: 'data', required: true },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['downloadFile'] } }, properties);

/** ms.GenerateURLForDownloadFile → GET from swift → n8n binary data. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const relativePath = idParameter(this, itemIndex, 'relativePath', 'Relative Path', { required: true });
	const binaryPropertyName = textParameter(this, itemIndex, 'binaryPropertyName', 'Put Output File in Field', { required: true, trim: true });
	const answer = (await sendRequest(this, itemIndex, 'ms.GenerateURLForDownloadFile', { relativePath })) as IDataObject;
	const target = (answer.body ?? {}) as { relativePath?: string; queryParams?: IDataObject };
	if (!target.queryParams) {
		throw new NodeApiError(this.getNode(), { message: 'No download URL' }, { message: 'LivePerson: the download URL answer had no queryParams', itemIndex });
	}
	const response = await swiftCall(this, itemIndex, { method: 'GET', relativePath: target.relativePath ?? relativePath, queryParams: target.queryParams });
	const bytes = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as unknown as ArrayBuffer);
	const fileName = relativePath.split('/').pop() || 'file';
	const contentType = response.headers['content-type'];
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, Array.isArray(contentType) ? contentType[0] : contentType);
	return [{ json: { relativePath, fileName, size: bytes.length, consumerId: consumerIdOf(this, itemIndex) || null }, binary: { [binaryPropertyName]: binary } }];
}
