import type { INodeProperties } from 'n8n-workflow';

/** The `include` query parameter: related records to embed in each contact. */
export function includeProperty(withLinks: boolean): INodeProperties {
	const options = [
		{ name: 'Groups', value: 'groups' },
		{ name: 'Source', value: 'source' },
		{ name: 'Tags', value: 'tags' },
	];
	if (withLinks) {
		options.splice(0, 0, { name: 'Conversations', value: 'conversations' });
		options.push({ name: 'Tickets', value: 'tickets' });
	}
	return {
		displayName: 'Include',
		name: 'include',
		type: 'multiOptions',
		options,
		default: [],
		description: 'Related records to embed in the result',
	};
}
