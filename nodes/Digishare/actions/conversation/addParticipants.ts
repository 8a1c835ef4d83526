import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter, invalidParameter } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { conversationToChange, participantProperties, participantsBody } from './participants';

const properties: INodeProperties[] = [
	conversationToChange,
	...participantProperties('add'),
	{
		displayName: 'Handler User ID',
		name: 'handlerId',
		type: 'string',
		default: '',
		description:
			'Optional: one of the User IDs above who becomes the handler (the conversation moves to their queue). This is how a bot hands a chat over to a human.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['addParticipants'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', { required: true });
	const body = participantsBody(this, itemIndex);
	const handlerId = idParameter(this, itemIndex, 'handlerId', 'Handler User ID');
	if (handlerId) {
		if (!((body.users as string[] | undefined) ?? []).includes(handlerId)) {
			throw invalidParameter(this, itemIndex, 'Handler User ID', 'must be one of the User IDs being added');
		}
		body.handler_id = handlerId;
	}
	const response = (await digishareRequest.call(this, {
		method: 'PUT',
		path: `/conversations/${encodeURIComponent(conversationId)}/attach/participants`,
		body,
		itemIndex,
	})) as IDataObject;
	return (response?.data as IDataObject) ?? response;
}
