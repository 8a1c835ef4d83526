import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { conversationToChange, participantProperties, participantsBody } from './participants';

const properties: INodeProperties[] = [conversationToChange, ...participantProperties('remove')];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['removeParticipants'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = idParameter(this, itemIndex, 'conversationId', 'Conversation ID', { required: true });
	const response = (await digishareRequest.call(this, {
		method: 'PUT',
		path: `/conversations/${encodeURIComponent(conversationId)}/detach/participants`,
		body: participantsBody(this, itemIndex),
		itemIndex,
	})) as IDataObject;
	return (response?.data as IDataObject) ?? response;
}
