// Omnidesk in `npm run dev`: a credential pointing at the sandbox's Omnidesk API and chat host.
'use strict';

module.exports = {
	name: 'Omnidesk',

	credentials(sandbox, lib) {
		if (!lib.OMNIDESK_API_KEY) return [];
		return [
			{
				type: 'omnideskApi',
				name: 'Omnidesk sandbox',
				data: {
					baseUrl: sandbox.baseUrl('omnidesk'),
					apiKey: lib.OMNIDESK_API_KEY,
					chatAccountToken: lib.OMNIDESK_CHAT_ACCOUNT_TOKEN,
					chatServerToken: lib.OMNIDESK_CHAT_SERVER_TOKEN,
					chatConfigUrl: `${sandbox.baseUrl('omnidesk-chat')}/requestChatConfig`,
				},
				note: `Omnidesk API, key ${lib.OMNIDESK_API_KEY}, base URL ${sandbox.baseUrl('omnidesk')}`,
			},
		];
	},

	describeRequest(request) {
		if (!request || !String(request.provider).startsWith('omnidesk') || request.method !== 'POST') return '';
		return `Omnidesk received POST ${request.path}`;
	},
};
