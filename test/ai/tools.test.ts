/**
 * The package's action nodes as an AI Agent's tools (n8n runs a node's tool variant, type
 * `<type>Tool`, with the model's arguments): an error goes back to the model as the tool's answer,
 * naming the field, instead of failing the agent's run; the same node outside an agent still fails.
 */
import { Omnidesk } from '../../nodes/Omnidesk/Omnidesk.node';
import { runSingleNode } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { OMNIDESK_TYPE, omnideskCredentialTypes, omnideskCredentials } from '../omnidesk/fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const TOOL_TYPE = `${OMNIDESK_TYPE}Tool`;

async function handOver(type: string, summary: string) {
	return await runSingleNode({
		nodeTypes: { [type]: new Omnidesk() },
		credentialTypes: omnideskCredentialTypes,
		credentials: omnideskCredentials(sandbox),
		node: { name: 'Hand over to a human', type, credentials: { omnideskApi: { id: 'od1', name: 'Omnidesk account' } } },
		parameters: {
			resource: 'chat',
			operation: 'sendMessage',
			chatSessionId: 'sess-ai-1',
			// What the model gave, through an expression as $fromAI() is one.
			message: `={{ ${JSON.stringify(summary)} }}`,
			chatServer: 'https://n8n.example/webhook/abc/hookpoint',
		},
	});
}

test('as a tool: a missing argument comes back as the answer, naming the field; nothing reaches Omnidesk', async () => {
	const run = await handOver(TOOL_TYPE, '');
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(1);
	expect(run.items[0].json.error).toMatch(/^Message/);
	expect(sandbox.requestsFor('omnidesk')).toHaveLength(0);
});

test('as a tool: a refusal by the provider comes back with its message', async () => {
	sandbox.fault({ provider: 'omnidesk', method: 'POST', path: '/api/v2/chat/notifyUserNewChatMessage', status: 403, body: { status: 'error', message: 'Chat is disabled for this account' } });
	const run = await handOver(TOOL_TYPE, 'Customer wants a refund');
	expect(run.error).toBeUndefined();
	expect(run.items[0].json).toMatchObject({ error: expect.stringContaining('Chat is disabled for this account'), httpCode: '403' });
});

test('as a tool: a success is the provider’s answer, as small as the node’s output', async () => {
	const run = await handOver(TOOL_TYPE, 'Customer wants a refund');
	expect(run.error).toBeUndefined();
	expect(run.items[0].json.error).toBeUndefined();
	expect(JSON.stringify(run.items[0].json).length).toBeLessThan(1000);
});

test('outside an agent the same error still fails the node (unless On Error says continue)', async () => {
	const run = await handOver(OMNIDESK_TYPE, '');
	expect(run.error?.message).toMatch(/^Message/);
});
