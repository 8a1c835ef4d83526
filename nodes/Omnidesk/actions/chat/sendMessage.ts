import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, numberValue, requiredString, textParameter, textValue } from '../../../shared/parameters';
import { checkField } from '../../../shared/validation';
import { omnideskChatCall } from '../../api';
import { resolveChatServer } from '../../memory';
import { customerName, emailAddress, phoneNumber, positiveInteger, sessionIdWithPlus } from '../../schemas';
import { chatServerProperty, sessionIdProperty } from '../common';

export const properties: INodeProperties[] = [
	sessionIdProperty,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '={{ $json.text }}',
		description: 'The customer’s message, or the whole chatbot history when escalating',
	},
	chatServerProperty,
	{
		displayName: 'Page URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://www.brand.com/support',
		description: 'The page the chat started from; empty sends a blank as Omnidesk’s specification does',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Additional Data',
				name: 'additionalData',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Channel ID',
				name: 'channelId',
				type: 'number',
				default: 8,
				description: 'Omnidesk channel; 8 is live chat',
			},
			{
				displayName: 'Customer E-Mail',
				name: 'emailAddress',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{
				displayName: 'Customer Name',
				name: 'customerName',
				type: 'string',
				default: '',
				description: 'Letters without accents, digits and spaces',
			},
			{
				displayName: 'Customer Phone',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: '+31612345678',
			},
			{
				displayName: 'External Address Overwrite',
				name: 'externalAddressOverwrite',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Message Number',
				name: 'messageNumber',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
				description: 'Position of this message in the session: 1 for the first, then 2, 3, …',
			},
			{
				displayName: 'Used Predefined User Input',
				name: 'usedPredefinedUserInput',
				type: 'boolean',
				default: false,
				description: 'Whether the customer picked a predefined answer',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['sendMessage'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const chatSessionId = idParameter(this, itemIndex, 'chatSessionId', 'Chat Session ID', { required: true });
	checkField(this, itemIndex, 'Chat Session ID', sessionIdWithPlus, chatSessionId);
	const message = requiredString(this, itemIndex, 'message', 'Message');
	const chatServer = resolveChatServer(this, itemIndex);
	const raw = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const text = (name: string, label: string, trim = true) => textValue(this, itemIndex, `Additional Fields → ${label}`, raw[name], { trim }) || undefined;
	const extra = {
		customerName: text('customerName', 'Customer Name'),
		emailAddress: text('emailAddress', 'Customer E-Mail'),
		phoneNumber: text('phoneNumber', 'Customer Phone'),
		additionalData: text('additionalData', 'Additional Data', false),
		externalAddressOverwrite: text('externalAddressOverwrite', 'External Address Overwrite'),
		channelId: numberValue(this, itemIndex, 'Additional Fields → Channel ID', raw.channelId, { integer: true }),
		messageNumber: numberValue(this, itemIndex, 'Additional Fields → Message Number', raw.messageNumber),
		usedPredefinedUserInput: raw.usedPredefinedUserInput as boolean | undefined,
	};
	if (extra.customerName) checkField(this, itemIndex, 'Customer Name', customerName, extra.customerName);
	if (extra.emailAddress) checkField(this, itemIndex, 'Customer E-Mail', emailAddress, extra.emailAddress);
	if (extra.phoneNumber) checkField(this, itemIndex, 'Customer Phone', phoneNumber, extra.phoneNumber);
	if (extra.messageNumber !== undefined) checkField(this, itemIndex, 'Message Number', positiveInteger, extra.messageNumber);

	const url = textParameter(this, itemIndex, 'url', 'Page URL', { trim: true }) || ' ';
	const response = await omnideskChatCall.call(this, itemIndex, {
		path: '/api/v2/chat/notifyUserNewChatMessage',
		withChatAccountToken: true,
		fields: [
			['chatSessionID', chatSessionId],
			['chatServer', chatServer],
			['message', message],
			['channelID', extra.channelId ?? 8],
			['url', url],
			['messageNumber', extra.messageNumber],
			['customerName', extra.customerName],
			['emailAddress', extra.emailAddress],
			['phoneNumber', extra.phoneNumber],
			['usedPredefinedUserInput', extra.usedPredefinedUserInput === undefined ? undefined : String(extra.usedPredefinedUserInput)],
			['additionalData', extra.additionalData],
			['externalAddressOverwrite', extra.externalAddressOverwrite],
		],
	});
	return { ...response, chatSessionId, chatServer };
}
