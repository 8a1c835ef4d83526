/**
 * Send and Wait for Reply in n8n's engine: a stand-in for n8n's waiting-webhook endpoint
 * (`/webhook-waiting/<execution>/<node>`) that, like n8n, runs the waiting node's `webhook()` with
 * the resume request — or answers as n8n does when it refuses (409 "running already", the
 * "no action required" page of a finished send-and-wait execution).
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import { callWebhook, type WebhookCallResult } from '../harness';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../sandbox';

export type Refusal = 'running' | 'finished' | 'drop';

export interface WaitingEndpoint {
	server: FakeServer;
	/** What n8n's instance base URL is in these tests (the endpoint lives below it). */
	url: string;
	/** The node type n8n runs on resume (the node that waits). */
	waitingNode: INodeType | undefined;
	/** Answers for the next resume requests, in order, instead of running the node. */
	refusals: Refusal[];
	/** Resume requests received. */
	resumes(): RecordedRequest[];
	/** What the waiting node's webhook() gave for each resume it ran. */
	results: WebhookCallResult[];
	close(): Promise<void>;
}

export async function startWaitingEndpoint(): Promise<WaitingEndpoint> {
	const endpoint: Partial<WaitingEndpoint> & { refusals: Refusal[]; results: WebhookCallResult[] } = { refusals: [], results: [], waitingNode: undefined };
	const server = await startFakeServer(async (ctx) => {
		const match = /^\/webhook-waiting\/([^/]+)\/([^/]+)$/.exec(ctx.path);
		if (!match || ctx.method !== 'POST') return { status: 404, body: { message: 'not a waiting webhook' } };
		const refusal = endpoint.refusals.shift();
		if (refusal === 'running') return { status: 409, body: { code: 409, message: `The execution "${match[1]}" is running already.` } };
		if (refusal === 'finished') return { status: 200, raw: '<html><body>No action required</body></html>', headers: { 'content-type': 'text/html' } };
		if (refusal === 'drop') return { status: 502, body: { message: 'Bad gateway' } };
		if (!endpoint.waitingNode) return { status: 404, body: { message: 'no waiting node' } };
		const result = await callWebhook({
			nodeType: endpoint.waitingNode,
			node: { id: match[2], name: 'Wait for reply', parameters: { operation: 'sendAndWait' } },
			request: { method: 'POST', path: match[2], query: ctx.query as Record<string, string>, body: ctx.body as IDataObject },
		});
		endpoint.results.push(result);
		return { status: result.status, raw: result.body, headers: { 'content-type': result.headers['content-type'] ?? 'application/json' } };
	});
	return Object.assign(endpoint, {
		server,
		url: server.url,
		resumes: () => server.requests.filter((request) => request.path.startsWith('/webhook-waiting/')),
		close: async () => await server.close(),
	}) as WaitingEndpoint;
}
