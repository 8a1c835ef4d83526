import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, invalidParameter, numberParameter, textParameter, textValue } from '../../../shared/parameters';
import { firstProblem } from '../../../shared/validation';
import { digishareRequest } from '../../api';
import { POST_INTO, conversationIdProperty, textProperty } from '../common';
import {
	LIMITS,
	buttonsMessage,
	listMessage,
	locationMessage,
	locationRequestMessage,
	textMessage,
} from '../../schemas';

const properties: INodeProperties[] = [
	conversationIdProperty(POST_INTO),
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'List', value: 'list', description: 'A menu of up to 10 rows behind a button' },
			{ name: 'Location', value: 'location', description: 'A map pin with a name and address' },
			{
				name: 'Location Request',
				value: 'locationRequest',
				description: 'Asks the customer to share their location',
			},
			{ name: 'Reply Buttons', value: 'buttons', description: 'Text with up to 3 quick-reply buttons' },
			{ name: 'Text', value: 'text', description: 'Plain text, up to 4096 characters' },
		],
		default: 'text',
	},
	{ ...textProperty, displayOptions: { show: { messageType: ['text'] } } },
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'The text shown above the buttons, list or location prompt',
		displayOptions: { show: { messageType: ['buttons', 'list', 'locationRequest'] } },
	},
	{
		displayName: 'Header',
		name: 'header',
		type: 'string',
		default: '',
		description: `Optional bold header above the body (at most ${LIMITS.header} characters)`,
		displayOptions: { show: { messageType: ['buttons', 'list'] } },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: LIMITS.buttons },
		placeholder: 'Add Button',
		default: {},
		description: `Up to ${LIMITS.buttons} reply buttons. The customer's choice comes back to the trigger as an interactive message carrying the button ID.`,
		displayOptions: { show: { messageType: ['buttons'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Returned to you when the customer taps this button',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `Button label (at most ${LIMITS.buttonTitle} characters)`,
					},
				],
			},
		],
	},
	{
		displayName: 'List Button Label',
		name: 'listButton',
		type: 'string',
		required: true,
		default: 'Options',
		description: 'Label of the button that opens the list',
		displayOptions: { show: { messageType: ['list'] } },
	},
	{
		displayName: 'Rows',
		name: 'rows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: LIMITS.listRows },
		placeholder: 'Add Row',
		default: {},
		description: `Up to ${LIMITS.listRows} rows in all. Rows with the same Section are grouped under that section title.`,
		displayOptions: { show: { messageType: ['list'] } },
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'Optional second line under the title',
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Returned to you when the customer picks this row',
					},
					{
						displayName: 'Section',
						name: 'section',
						type: 'string',
						default: '',
						description: 'Section title this row belongs to',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `Row title (at most ${LIMITS.rowTitle} characters)`,
					},
				],
			},
		],
	},
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		typeOptions: { numberPrecision: 7 },
		required: true,
		default: 0,
		displayOptions: { show: { messageType: ['location'] } },
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		typeOptions: { numberPrecision: 7 },
		required: true,
		default: 0,
		displayOptions: { show: { messageType: ['location'] } },
	},
	{
		displayName: 'Location Name',
		name: 'locationName',
		type: 'string',
		default: '',
		displayOptions: { show: { messageType: ['location'] } },
	},
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		displayOptions: { show: { messageType: ['location'] } },
	},
	{
		displayName: "Deliver to Customer's Channel",
		name: 'sendToThird',
		type: 'boolean',
		default: true,
		description:
			"Whether to deliver the message to the customer's platform (e.g. WhatsApp). Turn off to post it only inside Digishare.",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['send'] } }, properties);

interface ButtonValue {
	id?: unknown;
	title?: unknown;
}

interface RowValue extends ButtonValue {
	description?: unknown;
	section?: unknown;
}

function withHeader(text: string): IDataObject {
	return text ? { header: { type: 'text', text } } : {};
}

/**
 * Builds `{type, body}` of POST /messages from the node parameters (through the readers' type
 * policy); the documented length limits are checked by the schemas below.
 */
function buildMessage(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const messageType = this.getNodeParameter('messageType', itemIndex) as string;
	if (messageType === 'text') {
		return { type: 'text', body: textParameter(this, itemIndex, 'text', 'Text') };
	}
	if (messageType === 'location') {
		return {
			type: 'location',
			body: {
				latitude: numberParameter(this, itemIndex, 'latitude', 'Latitude', { required: true }),
				longitude: numberParameter(this, itemIndex, 'longitude', 'Longitude', { required: true }),
				name: textParameter(this, itemIndex, 'locationName', 'Location Name'),
				address: textParameter(this, itemIndex, 'address', 'Address'),
			},
		};
	}
	const bodyText = textParameter(this, itemIndex, 'bodyText', 'Body Text');
	if (messageType === 'locationRequest') {
		return {
			type: 'interactive',
			body: { type: 'location_request_message', body: { text: bodyText }, action: { name: 'send_location' } },
		};
	}
	const header = textParameter(this, itemIndex, 'header', 'Header');
	if (messageType === 'buttons') {
		const buttons = (this.getNodeParameter('buttons.button', itemIndex, []) as ButtonValue[]).map((button, index) => ({
			type: 'reply',
			reply: {
				id: textValue(this, itemIndex, `Buttons → Button ${index + 1} → ID`, button.id, { trim: true }),
				title: textValue(this, itemIndex, `Buttons → Button ${index + 1} → Title`, button.title),
			},
		}));
		return {
			type: 'interactive',
			body: { type: 'button', ...withHeader(header), body: { text: bodyText }, action: { buttons } },
		};
	}
	const rows = this.getNodeParameter('rows.row', itemIndex, []) as RowValue[];
	const sections: Array<{ title: string; rows: IDataObject[] }> = [];
	for (const [index, row] of rows.entries()) {
		const rowLabel = `Rows → Row ${index + 1}`;
		const title = textValue(this, itemIndex, `${rowLabel} → Section`, row.section);
		let section = sections.find((candidate) => candidate.title === title);
		if (!section) {
			section = { title, rows: [] };
			sections.push(section);
		}
		section.rows.push({
			id: textValue(this, itemIndex, `${rowLabel} → ID`, row.id, { trim: true }),
			title: textValue(this, itemIndex, `${rowLabel} → Title`, row.title),
			...(row.description ? { description: textValue(this, itemIndex, `${rowLabel} → Description`, row.description) } : {}),
		});
	}
	return {
		type: 'interactive',
		body: {
			type: 'list',
			...withHeader(header),
			body: { text: bodyText },
			action: { button: textParameter(this, itemIndex, 'listButton', 'List Button Label'), sections },
		},
	};
}

const schemas = {
	text: textMessage,
	location: locationMessage,
	buttons: buttonsMessage,
	list: listMessage,
	locationRequest: locationRequestMessage,
} as const;

/** Maps a schema path to the parameter name the user sees. */
function fieldName(messageType: string, path: string): string {
	if (messageType === 'text') return 'Text';
	if (path.startsWith('body.action.buttons')) {
		const index = /buttons\.(\d+)/.exec(path)?.[1];
		return index === undefined ? 'Buttons' : `Buttons → Button ${Number(index) + 1}`;
	}
	if (path.startsWith('body.action.sections')) {
		const match = /sections\.(\d+)\.rows\.(\d+)/.exec(path);
		return match ? `Rows → Row in section ${Number(match[1]) + 1}, position ${Number(match[2]) + 1}` : 'Rows';
	}
	if (path.startsWith('body.action.button')) return 'List Button Label';
	if (path.startsWith('body.header')) return 'Header';
	if (path.startsWith('body.body')) return 'Body Text';
	if (path === 'body.latitude') return 'Latitude';
	if (path === 'body.longitude') return 'Longitude';
	return path;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', {
		required: true,
		requiredHint: '(e.g. {{ $json.conversationId }} from the Digishare Trigger)',
	});
	const messageType = this.getNodeParameter('messageType', itemIndex) as keyof typeof schemas;
	const message = buildMessage.call(this, itemIndex);
	const problem = firstProblem(schemas[messageType], message);
	if (problem) throw invalidParameter(this, itemIndex, fieldName(messageType, problem.path), problem.message);

	const body: IDataObject = {
		conversation_id: conversationId,
		...message,
		send_to_third: this.getNodeParameter('sendToThird', itemIndex, true) as boolean,
	};
	const response = await digishareRequest.call(this, { method: 'POST', path: '/messages', body, itemIndex });
	const result = response && typeof response === 'object' ? (response as IDataObject) : {};
	return { ...result, conversationId, type: message.type };
}
