/**
 * What a queue-mode e2e test needs beyond test/e2e/context.ts (whose helpers talk to main,
 * the state's `url`): the webhook processors' production URLs, activation that waits until
 * every webhook processor serves the workflow's webhooks, and the processes' logs (restarts:
 * `restartN8n` of test/e2e/context.ts).
 */
import * as fs from 'fs';
import { productionWebhooks, waitForWebhook, webhookUrl } from '../../scripts/lib/n8n-run';
import { e2eState, publicApi, type E2eState, type ImportedWorkflow } from '../e2e/context';

export { restartN8n, runningProcesses, type RestartAnswer } from '../e2e/context';

export interface QueueState extends E2eState {
	queue: true;
	/** Base URLs of the webhook processors; the first is what n8n shows as production URL. */
	webhookUrls: string[];
	/** Base URL of the worker's health-check server (`/healthz`, `/healthz/readiness`). */
	workerHealthUrl: string;
	/** Log file by process name: main, webhook-1, webhook-2, worker, redis, postgres. */
	logFiles: Record<string, string>;
}

export function queueState(): QueueState {
	const state = e2eState() as QueueState;
	if (!state.queue) throw new Error('E2E_STATE is not a queue-mode state: run `npx jest -c jest.queue.config.js`');
	return state;
}

/** The production URL of a trigger's webhook on every webhook processor: `<base>/webhook/<webhookId>/<path>`. */
export function productionUrls(workflow: ImportedWorkflow, nodeName: string, webhookPath: string): string[] {
	return queueState().webhookUrls.map((base) => webhookUrl(base, workflow.node(nodeName), webhookPath));
}

/**
 * `POST /api/v1/workflows/{id}/activate` on main, then waits until every webhook processor
 * serves every production webhook of the workflow's package nodes (main itself answers 404
 * for production webhooks in queue mode).
 */
export async function activateOnWebhookProcessors(workflow: ImportedWorkflow, timeoutMs = 90000): Promise<{ active: boolean }> {
	const answer = await publicApi().ok<{ active: boolean }>('POST', `/api/v1/workflows/${workflow.id}/activate`);
	await waitForWorkflowWebhooks(workflow, timeoutMs);
	return answer;
}

/** Waits until every webhook processor serves every production webhook of the workflow. */
export async function waitForWorkflowWebhooks(workflow: ImportedWorkflow, timeoutMs = 90000): Promise<void> {
	await Promise.all(
		queueState().webhookUrls.flatMap((base) => productionWebhooks(base, workflow.file).map((hook) => waitForWebhook(hook.url, hook.method, timeoutMs))),
	);
}

/** A process's log so far (main, webhook-1, …, worker). */
export function processLog(name: string): string {
	const file = queueState().logFiles[name];
	if (!file) throw new Error(`no log for ${name}`);
	return fs.readFileSync(file, 'utf8');
}
