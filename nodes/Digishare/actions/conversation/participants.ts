/** Properties shared by Add Participants and Remove Participants. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { idListParameter, invalidParameter } from '../../../shared/parameters';
import { conversationIdProperty } from '../common';

export const conversationToChange: INodeProperties = conversationIdProperty('The conversation to change');

export function participantProperties(verb: 'add' | 'remove'): INodeProperties[] {
	return [
		{
			displayName: 'User IDs',
			name: 'users',
			type: 'string',
			default: '',
			placeholder: 'u1a2b3c4d5e6f7g8, h9i0j1k2l3m4n5o6',
			description: `Digishare agent (user) IDs to ${verb}, separated by commas`,
		},
		{
			displayName: 'Bot IDs',
			name: 'bots',
			type: 'string',
			default: '',
			description: `Bot IDs to ${verb}, separated by commas`,
		},
	];
}

/** `{users?, bots?}` from the parameters; at least one list must be non-empty. */
export function participantsBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const users = idListParameter(ctx, itemIndex, 'users', 'User IDs');
	const bots = idListParameter(ctx, itemIndex, 'bots', 'Bot IDs');
	if (users.length === 0 && bots.length === 0) {
		throw invalidParameter(ctx, itemIndex, 'User IDs', 'give at least one user ID or bot ID');
	}
	return { ...(users.length ? { users } : {}), ...(bots.length ? { bots } : {}) };
}
