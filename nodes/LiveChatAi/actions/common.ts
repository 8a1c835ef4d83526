/** Parameters several LiveChatAI operations (and the trigger) share: the agent picker and the inboxes. */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';
import { idParameter } from '../../shared/parameters';
import { liveChatAiRequest } from '../api';
import { LIMITS } from '../schemas';

/** Agent picker: from a list loaded from the account, or by ID. */
export const agentIdProperty: INodeProperties = {
	displayName: 'Agent',
	name: 'agentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The LiveChatAI AI agent',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchAgents', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'clx1234567890abcdef',
		},
	],
};

/** The chosen agent's ID (from the list or typed); the error names the field when there is none. */
export function agentIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return idParameter(ctx, itemIndex, 'agentId', 'Agent', { required: true, extractValue: true });
}

/** listSearch method: agents of the account, filtered by name, 100 per page. */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const body = await liveChatAiRequest.call(this, { method: 'GET', path: '/agents', qs: { page, limit: LIMITS.pageSize } });
	const agents = ((body.data as IDataObject[]) ?? []).filter(
		(agent) => !filter || String(agent.name ?? '').toLowerCase().includes(filter.toLowerCase()),
	);
	const pages = body.pages as IDataObject | undefined;
	return {
		results: agents.map((agent) => ({ name: String(agent.name ?? agent.id), value: String(agent.id) })),
		paginationToken: pages?.hasNext ? String(page + 1) : undefined,
	};
}

/** LiveChatAI's inboxes (the list's `type`), for the Get Many filter and the trigger's. */
export const INBOX_OPTIONS = [
	{ name: 'All', value: 'all' },
	{ name: 'Unassigned', value: 'unassigned' },
	{ name: 'Your Inbox', value: 'your-inbox', description: 'Assigned to the user the API key belongs to' },
];
