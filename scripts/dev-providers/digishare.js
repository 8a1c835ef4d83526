// Digishare in `npm run dev`: credentials pointing at the sandbox, a readable line for each
// reply the sandbox receives, and a curl that plays a customer writing in a conversation.
'use strict';

const TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.digishareTrigger';

module.exports = {
	name: 'Digishare',

	credentials(sandbox, lib) {
		return [
			{
				type: 'digishareApi',
				name: 'Digishare sandbox',
				data: { authMode: 'accessToken', accessToken: lib.DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') },
				note: `Digishare API, token ${lib.DIGISHARE_PAT}, base URL ${sandbox.baseUrl('digishare')}`,
			},
			{
				type: 'digishareWebhookApi',
				name: 'Digishare webhook secret (sandbox)',
				data: { headerName: 'X-Digishare-Secret', username: 'digishare', secret: 'dev-webhook-secret' },
				note: 'for a trigger with Authentication = Header Secret: send X-Digishare-Secret: dev-webhook-secret',
			},
		];
	},

	describeRequest(request) {
		if (!request || request.provider !== 'digishare' || request.method !== 'POST' || request.path !== '/messages') return '';
		const body = request.body || {};
		const text = typeof body.body === 'string' ? body.body : JSON.stringify(body.body);
		return `Digishare received a ${body.type || 'text'} message for conversation ${body.conversation_id}: ${text}`;
	},

	tryIt({ n8nUrl, workflows }) {
		const lines = [];
		for (const workflow of workflows) {
			const trigger = (workflow.nodes || []).find((node) => node.type === TRIGGER_TYPE);
			if (!trigger || !workflow.active) continue;
			const url = `${n8nUrl}/webhook/${trigger.webhookId}/webhook`;
			const delivery = {
				event: 'live_chat.new_message',
				data: {
					id: 'msg-$(date +%s%N)',
					data: {
						conversation_id: '6934k9qq5orl5vrx',
						body: 'Hello, where is my order?',
						type: 'text',
						system: false,
						send_to_third: false,
						sender: { model_type: 'third', name: 'Adil Chbada' },
					},
				},
			};
			lines.push(`  Try "${workflow.name}": play a customer writing in Digishare (what Digishare's webhook sends):`);
			lines.push('');
			lines.push(`    curl -s ${url} -H 'Content-Type: application/json' \\`);
			lines.push(`      -d "${JSON.stringify(delivery).replace(/"/g, '\\"')}"`);
			lines.push('');
			lines.push('  n8n answers {"received":true}; the reply shows up below as [sandbox] POST /digishare/v1/messages,');
			lines.push(`  and the run under Executions in n8n (${n8nUrl}/workflow/${workflow.id}/executions).`);
		}
		return lines;
	},
};
