// LivePerson in `npm run dev`: an app-mode credential pointing at the sandbox's Domain API (n8n
// fetches the service hosts and an AppJWT from the sandbox by itself), a readable line for what
// LivePerson receives, and a curl that plays an agent replying (signed as LivePerson signs it).
'use strict';

const TRIGGER_TYPE = 'n8n-nodes-livechat-bridge.livePersonTrigger';
const MESSAGING_PATH = /\/messaging\/consumer\/conversation(\/send)?$/;
/** The sandbox's constants (the compiled test/sandbox), as credentials() got them. */
let constants = null;

module.exports = {
	name: 'LivePerson',

	credentials(sandbox, lib) {
		if (!lib.LIVEPERSON_CLIENT_ID) return [];
		constants = lib;
		return [
			{
				type: 'livePersonApi',
				name: 'LivePerson sandbox',
				data: {
					accountId: lib.LIVEPERSON_ACCOUNT_ID,
					authMode: 'app',
					clientId: lib.LIVEPERSON_CLIENT_ID,
					clientSecret: lib.LIVEPERSON_CLIENT_SECRET,
					domainApiUrl: sandbox.baseUrl('liveperson'),
				},
				note: `LivePerson app credentials, account ${lib.LIVEPERSON_ACCOUNT_ID}, Domain API ${sandbox.baseUrl('liveperson')}`,
			},
		];
	},

	describeRequest(request) {
		if (!request || request.provider !== 'liveperson-msg' || request.method !== 'POST' || !MESSAGING_PATH.test(request.path)) return '';
		const answer = request.response || {};
		if (!request.path.endsWith('/send')) {
			const opened = (Array.isArray(answer.body) ? answer.body : []).map((item) => item && item.body && item.body.conversationId).find(Boolean);
			return opened ? `LivePerson opened conversation ${opened}` : `LivePerson refused the conversation (${answer.status})`;
		}
		const body = (request.body && request.body.body) || {};
		const event = body.event || {};
		const what = event.type === 'ContentEvent' && event.contentType === 'text/plain' ? `"${event.message}"` : event.type || request.body.type;
		return `LivePerson received ${what} in conversation ${body.dialogId || body.conversationId || '?'} → ${answer.status}`;
	},

	tryIt({ n8nUrl, workflows }) {
		const lines = [];
		if (!constants) return lines;
		const agent = constants.LIVEPERSON_AGENT;
		for (const workflow of workflows) {
			const trigger = (workflow.nodes || []).find((node) => node.type === TRIGGER_TYPE);
			if (!trigger || !workflow.active) continue;
			const url = `${n8nUrl}/webhook/${trigger.webhookId}/webhook`;
			const body = {
				kind: 'notification',
				body: {
					sentTs: 0,
					changes: [
						{
							sequence: 1,
							originatorId: agent.id,
							originatorMetadata: { id: agent.id, role: agent.role },
							serverTimestamp: 0,
							event: { type: 'ContentEvent', contentType: 'text/plain', message: 'Hello, this is the agent. How can I help?' },
							conversationId: 'CONVERSATION_ID',
							dialogId: 'CONVERSATION_ID',
							messageAudience: 'ALL',
						},
					],
				},
				type: 'ms.MessagingEventNotification',
			};
			lines.push(`  Try "${workflow.name}": write "I want a human" as the customer (curl above); the sandbox log shows`);
			lines.push('  "LivePerson opened conversation <id>". Then play the agent replying (LivePerson signs the exact bytes');
			lines.push('  with the Connector App\'s client secret; bump "sequence" for each further reply):');
			lines.push('');
			lines.push('    CONV=<id from the sandbox log>');
			lines.push(`    BODY=$(printf '%s' '${JSON.stringify(body)}' | sed "s/CONVERSATION_ID/$CONV/g")`);
			lines.push(`    SIG=$(printf '%s' "$BODY" | openssl dgst -sha1 -hmac '${constants.LIVEPERSON_CLIENT_SECRET}' -binary | base64)`);
			lines.push(`    curl -s ${url} -H 'Content-Type: application/json' \\`);
			lines.push(`      -H 'x-liveperson-account-id: ${constants.LIVEPERSON_ACCOUNT_ID}' -H 'x-liveperson-client-id: ${constants.LIVEPERSON_CLIENT_ID}' \\`);
			lines.push('      -H "x-liveperson-signature: sha1=$SIG" --data-binary "$BODY"');
			lines.push('');
			lines.push('  n8n answers {"received":true} and the reply shows up as [sandbox] POST /digishare/v1/messages.');
		}
		return lines;
	},
};
