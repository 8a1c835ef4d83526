import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { binaryInput, idParameter } from '../../../shared/parameters';
import { checkField } from '../../../shared/validation';
import { omnideskChatCall } from '../../api';
import { resolveChatServer } from '../../memory';
import { sessionIdWithPlus } from '../../schemas';
import { chatServerProperty, sessionIdProperty } from '../common';

const properties: INodeProperties[] = [
	sessionIdProperty,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to upload',
	},
	chatServerProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['uploadAttachment'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const sessionId = idParameter(this, itemIndex, 'chatSessionId', 'Chat Session ID', { required: true });
	checkField(this, itemIndex, 'Chat Session ID', sessionIdWithPlus, sessionId);
	const { field, binary } = binaryInput(this, itemIndex, 'binaryPropertyName', 'Input Binary Field');
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, field);
	const chatServer = resolveChatServer(this, itemIndex);
	const response = await omnideskChatCall.call(this, itemIndex, {
		path: '/api/v2/chat/addAttachment',
		withChatAccountToken: true,
		forceMultipart: true,
		fields: [
			['sessionID', sessionId],
			['chatServer', chatServer],
			['file', { filename: binary.fileName ?? 'file', contentType: binary.mimeType, data }],
		],
	});
	return { ...response, chatSessionId: sessionId, fileName: binary.fileName ?? 'file', fileSize: data.length };
}
