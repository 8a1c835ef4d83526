import type { INodeProperties } from 'n8n-workflow';
import * as addParticipants from './addParticipants';
import * as check from './check';
import * as create from './create';
import * as removeParticipants from './removeParticipants';
import * as setHandler from './setHandler';

export const operations = {
	addParticipants: addParticipants.execute,
	check: check.execute,
	create: create.execute,
	removeParticipants: removeParticipants.execute,
	setHandler: setHandler.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Add Participants',
				value: 'addParticipants',
				description: 'Add agents or bots to a conversation, optionally making one agent the handler',
				action: 'Add participants to a conversation',
			},
			{
				name: 'Check',
				value: 'check',
				description: 'Check whether a conversation exists for a contact on a channel',
				action: 'Check a conversation',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Open (or reuse) a conversation with a contact on a channel',
				action: 'Create a conversation',
			},
			{
				name: 'Remove Participants',
				value: 'removeParticipants',
				description: 'Remove agents or bots from a conversation',
				action: 'Remove participants from a conversation',
			},
			{
				name: 'Set Handler',
				value: 'setHandler',
				description: 'Make an agent the handler of a conversation (hand over to a human)',
				action: 'Hand a conversation to a human agent',
			},
		],
		default: 'create',
	},
	...addParticipants.description,
	...check.description,
	...create.description,
	...removeParticipants.description,
	...setHandler.description,
];
