/** What providers post to the triggers, for the e2e suites. */
import { randomUUID } from 'crypto';
import type { WorkflowFile } from './context';

let sequence = 0;

/** A Digishare `live_chat.new_message` delivery from a customer (docs §5.7), with a fresh message ID unless given. */
export function digishareCustomerMessage(text: string, conversationId: string, id = `e2e${Date.now()}${++sequence}`) {
	return {
		event: 'live_chat.new_message',
		data: {
			id,
			data: {
				conversation_id: conversationId,
				body: text,
				type: 'text',
				system: false,
				send_to_third: false,
				sender: { id: 'snd0001', model_type: 'third', model_id: 'ejymmg0jz3930liv', name: 'Adil Chbada' },
				created_at: new Date().toISOString(),
			},
		},
	};
}

/** The workflow with new webhook IDs, as n8n's Duplicate gives a copy (so copies never collide). */
export function withFreshWebhookIds(file: WorkflowFile): WorkflowFile {
	return { ...file, nodes: file.nodes.map((node) => (node.webhookId ? { ...node, webhookId: randomUUID() } : node)) };
}
