import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { binaryInput, invalidParameter, textParameter } from '../../../shared/parameters';
import { inConsumerConversation, publishEvent, sendRequest, swiftCall } from '../../api';
import { IMAGE_MIME_TYPES, LIMITS } from '../../schemas';
import { consumerIdOf, consumerIdProperty, conversationIdProperty, featuresOption } from '../common';

/** What LivePerson's file sharing accepts (liveperson.md §5.1): type by extension or MIME type, 3 MB. */
const FILE_TYPES: Record<string, string> = { jpg: 'JPG', jpeg: 'JPEG', png: 'PNG', gif: 'GIF' };
const MIME_TYPES: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/jpg': 'JPG', 'image/png': 'PNG', 'image/gif': 'GIF' };
/** What a hosted/file publish request takes besides its caption (IDs, relative path, JSON keys). */
const PUBLISH_ENVELOPE_CHARS = 600;

/**
 * The image format the bytes really are (magic bytes), or undefined. LivePerson refuses a
 * hosted/file whose fileType does not match the file (liveperson.md §8) — only after the upload.
 */
function imageTypeOf(data: Buffer): 'PNG' | 'JPEG' | 'GIF' | undefined {
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG';
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'JPEG';
	const head = data.subarray(0, 6).toString('latin1');
	if (head === 'GIF87a' || head === 'GIF89a') return 'GIF';
	return undefined;
}

const properties: INodeProperties[] = [
	consumerIdProperty,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file (JPG, JPEG, PNG or GIF, up to 3 MB)',
	},
	{ displayName: 'Caption', name: 'caption', type: 'string', default: '', description: 'Text shown with the file' },
	conversationIdProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [featuresOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendFile'] } }, properties);

/** ms.GenerateURLForUploadFile → PUT to swift → ms.PublishEvent hosted/file with the caption. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { field: binaryPropertyName, binary } = binaryInput(this, itemIndex, 'binaryPropertyName', 'Input Binary Field');
	const extension = String(binary.fileExtension ?? binary.fileName?.split('.').pop() ?? '').toLowerCase();
	let fileType = FILE_TYPES[extension] ?? MIME_TYPES[String(binary.mimeType ?? '').toLowerCase()];
	if (!fileType) {
		throw invalidParameter(this, itemIndex, 'Input Binary Field', `holds a ${binary.mimeType ?? 'file'} (${binary.fileName ?? 'no name'}); LivePerson accepts JPG, JPEG, PNG and GIF`);
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	if (data.length > LIMITS.fileBytes) {
		throw invalidParameter(this, itemIndex, 'Input Binary Field', `holds ${data.length} bytes; LivePerson accepts files up to 3 MB (${LIMITS.fileBytes} bytes)`);
	}
	const actualType = imageTypeOf(data);
	if (!actualType) {
		throw invalidParameter(this, itemIndex, 'Input Binary Field', `holds ${binary.fileName ?? 'a file'} (${fileType} by its name or MIME type), but its bytes are not a JPG, JPEG, PNG or GIF image; LivePerson accepts JPG, JPEG, PNG and GIF`);
	}
	// What the bytes are wins over the name (a PNG saved as .jpg); JPG and JPEG are the same format.
	if (actualType !== (fileType === 'JPG' ? 'JPEG' : fileType)) fileType = actualType;
	const caption = textParameter(this, itemIndex, 'caption', 'Caption');
	// Checked before the upload: the publish request around the caption takes a few hundred characters.
	const publishSize = JSON.stringify(caption).length + PUBLISH_ENVELOPE_CHARS;
	if (publishSize > LIMITS.requestChars) {
		throw invalidParameter(this, itemIndex, 'Caption', `makes the request about ${publishSize} characters long; LivePerson accepts at most ${LIMITS.requestChars} characters`);
	}
	const sent = await inConsumerConversation(this, itemIndex, async (conversationId) => {
		const upload = (await sendRequest(this, itemIndex, 'ms.GenerateURLForUploadFile', { fileSize: data.length, fileType })) as IDataObject;
		const target = (upload.body ?? {}) as { relativePath?: string; queryParams?: IDataObject };
		if (!target.relativePath) {
			throw new NodeApiError(this.getNode(), { message: 'No upload URL' }, { message: 'LivePerson: the upload URL answer had no relativePath', itemIndex });
		}
		await swiftCall(this, itemIndex, {
			method: 'PUT',
			relativePath: target.relativePath,
			queryParams: target.queryParams ?? {},
			body: data,
			contentType: IMAGE_MIME_TYPES[actualType],
		});
		const message: IDataObject = { relativePath: target.relativePath, fileType };
		if (caption) message.caption = caption;
		const answer = await publishEvent(this, itemIndex, conversationId, { type: 'ContentEvent', contentType: 'hosted/file', message });
		return { relativePath: target.relativePath, fileType, sequence: (answer.body as IDataObject | undefined)?.sequence ?? null };
	});
	return { status: 'sent', consumerId: consumerIdOf(this, itemIndex) || null, fileName: binary.fileName ?? null, ...sent };
}
