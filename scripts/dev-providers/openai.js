// The AI examples in `npm run dev`: an OpenAI credential pointing at the sandbox's
// OpenAI-compatible model (it answers "You said: <the customer's message>" unless a test scripts it).
'use strict';

module.exports = {
	name: 'OpenAI (sandbox model)',

	credentials(sandbox, lib) {
		if (!lib.OPENAI_API_KEY) return [];
		return [
			{
				type: 'openAiApi',
				name: 'OpenAI sandbox',
				data: { apiKey: lib.OPENAI_API_KEY, url: sandbox.baseUrl('openai') },
				note: `OpenAI-compatible model, key ${lib.OPENAI_API_KEY}, Base URL ${sandbox.baseUrl('openai')}`,
			},
		];
	},

	describeRequest(request) {
		if (!request || request.provider !== 'openai' || request.method !== 'POST') return '';
		return `The model received POST ${request.path}`;
	},
};
