/**
 * What an e2e test needs to talk to the real n8n that global-setup.js started: its URL, the
 * public API (API key), the editor's REST API (owner session cookie), importing examples,
 * delivering webhooks and waiting for executions.
 */
import * as fs from 'fs';
import type { ICredentialType } from 'n8n-workflow';
import * as path from 'path';
import {
	N8nClient,
	PACKAGE,
	REPO,
	productionWebhooks,
	useCredentials,
	waitForWebhook,
	webhookUrl,
	workflowForApi,
	type HttpAnswer,
	type WorkflowFile,
	type WorkflowNode,
} from '../../scripts/lib/n8n-run';

import type { RecordedRequest, Sandbox } from '../sandbox';
import type { ProviderE2E } from './provider-spec';

export { REPO, PACKAGE, waitForWebhook, type WorkflowFile, type WorkflowNode } from '../../scripts/lib/n8n-run';

export interface E2eState {
	url: string;
	apiKey: string;
	cookie: string;
	browserId: string;
	version: string;
	logFile: string;
	root: string;
	userFolder: string;
	/**
	 * Queue mode (test/e2e-queue): the webhook processors' base URLs; production webhooks are
	 * served there, not by main (`url`). The first is what n8n shows as production URL.
	 */
	webhookUrls?: string[];
	/** The restart channel of global-setup (test/e2e/control-server.js). */
	control?: { url: string; token: string };
	/** Queue mode: true, and its PostgreSQL (n8n's database), which AI examples use for chat memory. */
	queue?: boolean;
	postgres?: { host: string; port: number; database: string; user: string; password: string };
}

let cached: E2eState | undefined;

export function e2eState(): E2eState {
	if (!cached) {
		const file = process.env.E2E_STATE;
		if (!file) throw new Error('E2E_STATE is not set: run the e2e suite with `npm run test:e2e`');
		cached = JSON.parse(fs.readFileSync(file, 'utf8')) as E2eState;
	}
	return cached;
}

/** Where production webhooks are served (and what n8n puts in their URLs): main, or in queue mode the first webhook processor. */
export function webhookBase(): string {
	const state = e2eState();
	return state.webhookUrls?.[0] ?? state.url;
}

/** A trigger's production URL on every process that serves webhooks: main, or each queue-mode webhook processor. */
export function productionUrlsOf(workflow: ImportedWorkflow, nodeName: string, webhookPath: string): string[] {
	const state = e2eState();
	return (state.webhookUrls ?? [state.url]).map((base) => webhookUrl(base, workflow.node(nodeName), webhookPath));
}

/** Public API client (`X-N8N-API-KEY`). */
export function publicApi(): N8nClient {
	const state = e2eState();
	return new N8nClient(state.url, { apiKey: state.apiKey });
}

/** The editor's REST API as the logged-in owner (session cookie). */
export function editorApi(): N8nClient {
	const state = e2eState();
	const client = new N8nClient(state.url, { cookie: state.cookie });
	client.browserId = state.browserId;
	return client;
}

/** Unauthenticated client (what a webhook sender or a browser without login sees). */
export function anonymous(): N8nClient {
	return new N8nClient(e2eState().url);
}

export interface CreatedCredential {
	id: string;
	name: string;
	type: string;
}

/** The names of this package's credential types. */
export function packageCredentialTypes(): string[] {
	return packageCredentials().map((credential) => credential.name);
}

/** This package's credential types, from the built files package.json `n8n.credentials` lists (what n8n loads). */
export function packageCredentials(): ICredentialType[] {
	return PACKAGE.n8n.credentials.map((file: string) => {
		const className = path.basename(file).split('.')[0];
		const Credential = (require(path.join(REPO, file)) as Record<string, new () => ICredentialType>)[className];
		return new Credential();
	});
}

/**
 * `POST /api/v1/credentials`, as teams provisioning n8n do. Every credential of this package, in
 * every mode, with only its own fields, on n8n 1.x and 2.x (see credentials/DigishareApi.credentials.ts
 * and nodes/shared/credential-domains.ts). n8n's own credential types (Header Auth, OpenAI,
 * Postgres) on n8n 1.x are created the editor's way: 1.x's public API refuses them unless they name
 * fields of every mode and say `allowedHttpRequestDomains` (n8n's schema bug, not ours).
 */
export async function createCredential(type: string, name: string, data: Record<string, unknown>): Promise<CreatedCredential> {
	if (e2eState().version.startsWith('1.') && !packageCredentialTypes().includes(type)) return await createCredentialInEditor(type, name, data);
	const created = await publicApi().ok<{ id: string; name: string; type: string }>('POST', '/api/v1/credentials', { body: { name, type, data } });
	return { id: created.id, name: created.name, type: created.type };
}

/** `POST /rest/credentials`: the editor's way of creating a credential (the second check). */
export async function createCredentialInEditor(type: string, name: string, data: Record<string, unknown>): Promise<CreatedCredential> {
	const created = await editorApi().ok<{ data?: { id: string; name: string; type: string } } & { id?: string; name?: string; type?: string }>(
		'POST',
		'/rest/credentials',
		{ body: { name, type, data } },
	);
	const record = (created.data ?? created) as { id: string; name: string; type: string };
	return { id: record.id, name: record.name, type: record.type };
}

/**
 * What n8n's credential Test says when the provider refuses a credential: our test's own message
 * (`rules` of the credential's test, 401/403), and never the secret. n8n 1.x's credential tester
 * does not apply a test's rules to HTTP errors: it says "Authorization failed - please check your
 * credentials" there.
 */
export function credentialRefusal(secret: string, message: string): RegExp {
	const version = process.env.E2E_N8N_VERSION || process.env.N8N_VERSION || '';
	const expected = version.startsWith('1.') ? 'Authorization failed - please check your credentials' : message;
	const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^(?![\\s\\S]*${escape(secret)})${escape(expected)}`);
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The editor's "Test" button: `POST /rest/credentials/test` with `{credentials: {id, name, type, data}}`
 * (n8n 2.x tests a stored credential; `data` as the editor sends it, merged with what is stored).
 */
export async function testCredential(credential: CreatedCredential, data: Record<string, unknown>): Promise<CredentialTestResult> {
	const answer = await editorApi().ok<{ data?: CredentialTestResult } & Partial<CredentialTestResult>>('POST', '/rest/credentials/test', {
		body: { credentials: { id: credential.id, name: credential.name, type: credential.type, data } },
	});
	return (answer.data ?? answer) as CredentialTestResult;
}

/** Every provider's e2e contribution: test/e2e/providers/*.ts, each exporting `provider`. */
export function loadProviders(): ProviderE2E[] {
	const providersDir = path.join(__dirname, 'providers');
	return fs
		.readdirSync(providersDir)
		.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
		.sort()
		.map((file) => (require(path.join(providersDir, file)) as { provider: ProviderE2E }).provider);
}

export function loadExample(file: string): WorkflowFile {
	return JSON.parse(fs.readFileSync(path.join(REPO, 'examples', file), 'utf8')) as WorkflowFile;
}

export interface ImportedWorkflow {
	id: string;
	file: WorkflowFile;
	node(name: string): WorkflowNode;
	/** Production webhook URL of a trigger node: /webhook/<webhookId>/<path>. */
	webhook(nodeName: string, webhookPath: string): string;
}

/** Imports a workflow through the public API, with only the credential references replaced. */
export async function importWorkflow(file: WorkflowFile, credentials: Record<string, CreatedCredential>): Promise<ImportedWorkflow> {
	const workflow = useCredentials(file, credentials);
	const created = await publicApi().ok<{ id: string }>('POST', '/api/v1/workflows', { body: workflowForApi(workflow) });
	const node = (name: string): WorkflowNode => {
		const found = workflow.nodes.find((n) => n.name === name);
		if (!found) throw new Error(`${file.name} has no node "${name}"`);
		return found;
	};
	return {
		id: created.id,
		file: workflow,
		node,
		webhook: (nodeName, webhookPath) => webhookUrl(webhookBase(), node(nodeName), webhookPath),
	};
}

/**
 * `POST /api/v1/workflows/{id}/activate`, then waits until every production webhook of the
 * workflow's package nodes is live (n8n 2.x registers them asynchronously, see waitForWebhook)
 * — in queue mode on every webhook processor.
 */
export async function activate(workflow: ImportedWorkflow): Promise<{ active: boolean }> {
	const answer = await publicApi().ok<{ active: boolean }>('POST', `/api/v1/workflows/${workflow.id}/activate`);
	const state = e2eState();
	for (const base of state.webhookUrls ?? [state.url]) {
		for (const hook of productionWebhooks(base, workflow.file)) await waitForWebhook(hook.url, hook.method);
	}
	return answer;
}

export async function deactivate(workflowId: string): Promise<void> {
	await publicApi().ok('POST', `/api/v1/workflows/${workflowId}/deactivate`);
}

/** POSTs a webhook delivery: an object is sent as JSON, a string as is. */
export async function deliver(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
	const text = await response.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

/**
 * Polls `check` until it returns a value other than undefined/false; fails after `timeoutMs`
 * with `what` and the last error. Workflow executions run after the webhook answered, so what
 * they do is awaited this way (no fixed sleeps, nothing asserted about time).
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

export interface ExecutionSummary {
	id: string | number;
	finished: boolean;
	mode: string;
	status: string;
	workflowId: string;
	data?: {
		resultData: {
			error?: { message: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> }; error?: { message: string } }>>;
		};
	};
}

/** `GET /api/v1/executions?workflowId=…&includeData=true`, newest first. */
export async function executions(workflowId: string): Promise<ExecutionSummary[]> {
	const answer = await publicApi().ok<{ data: ExecutionSummary[] }>(
		'GET',
		`/api/v1/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=100`,
	);
	return answer.data;
}

/** Output items (run 0, output 0) of a node in an execution. */
export function nodeOutput(execution: ExecutionSummary, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	return runs?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
}

/** Waits until the workflow has `count` finished executions (any status); returns them newest first. */
export async function waitForExecutions(workflowId: string, count: number): Promise<ExecutionSummary[]> {
	return await eventually(`${count} finished execution(s) of workflow ${workflowId}`, async () => {
		const list = await executions(workflowId);
		const done = list.filter((execution) => execution.status !== 'running' && execution.status !== 'new');
		return done.length >= count ? done : undefined;
	});
}

/** For failure messages: the end of n8n's log. */
export function n8nLogTail(lines = 60): string {
	const { logFile } = e2eState();
	try {
		return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

export interface RestartAnswer {
	restarted: true;
	ms: number;
	processes: Record<string, { pid: number; url: string }>;
}

/**
 * Restarts n8n (in queue mode every n8n process, not Redis and PostgreSQL) with the same user
 * folders, ports and keys, through global-setup's restart channel; resolves when it is ready again.
 */
export async function restartN8n(): Promise<RestartAnswer> {
	const { control } = e2eState();
	if (!control) throw new Error('this e2e run has no restart channel');
	const response = await fetch(`${control.url}/restart`, { method: 'POST', headers: { authorization: `Bearer ${control.token}` } });
	const text = await response.text();
	if (response.status !== 200) throw new Error(`restart failed: ${response.status} ${text}`);
	return JSON.parse(text) as RestartAnswer;
}

/** The n8n processes running now, by name (their pids change with each restart). */
export async function runningProcesses(): Promise<RestartAnswer['processes']> {
	const { control } = e2eState();
	if (!control) throw new Error('this e2e run has no restart channel');
	const response = await fetch(`${control.url}/processes`, { headers: { authorization: `Bearer ${control.token}` } });
	return (await response.json()) as RestartAnswer['processes'];
}

/** Waits until the sandbox's Digishare got a message with this text (in this conversation, when given); returns that request. */
export async function digishareGot(sandbox: Sandbox, text: string, conversationId?: string): Promise<RecordedRequest> {
	return await eventually(`Digishare POST /messages "${text}"${conversationId ? ` in ${conversationId}` : ''}`, () =>
		sandbox.requestsFor('digishare', 'POST', '/messages').find((request) => {
			const body = request.body as { body?: unknown; conversation_id?: unknown };
			return body.body === text && (conversationId === undefined || body.conversation_id === conversationId);
		}),
	);
}
