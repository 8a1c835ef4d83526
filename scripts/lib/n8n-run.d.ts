// Types of n8n-run.js for the TypeScript e2e tests.
export interface HttpAnswer<T = any> {
	status: number;
	headers: Headers;
	text: string;
	json: T;
}

export interface RequestOptions {
	body?: unknown;
	headers?: Record<string, string>;
	raw?: string | Buffer;
}

export class N8nClient {
	constructor(url: string, options?: { apiKey?: string; cookie?: string });
	url: string;
	apiKey?: string;
	cookie?: string;
	browserId?: string;
	request<T = any>(method: string, urlPath: string, options?: RequestOptions): Promise<HttpAnswer<T>>;
	ok<T = any>(method: string, urlPath: string, options?: RequestOptions): Promise<T>;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface WorkflowFile {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export const REPO: string;
export const PACKAGE: { name: string; n8n: { nodes: string[]; credentials: string[] }; [key: string]: unknown };
export const DEMO_OWNER: { email: string; firstName: string; lastName: string; password: string };
export function freePort(): Promise<number>;
export function freePorts(count: number): Promise<number[]>;
export function portIsFree(port: number): Promise<boolean>;
export function pause(ms: number): Promise<void>;
export function probe(url: string, method?: string): Promise<{ status: number; type: string; text: string }>;
export function killGroup(pid: number, signal: NodeJS.Signals): boolean;
export function exitGuard(killSync: () => void): () => void;
export function useCredentials(workflow: WorkflowFile, byType: Record<string, { id: string; name: string }>): WorkflowFile;
export function workflowForApi(workflow: WorkflowFile): Record<string, unknown>;
export function webhookUrl(baseUrl: string, node: WorkflowNode, webhookPath: string): string;
export function tail(file: string, lines?: number): string;
export function waitForWebhook(url: string, method?: string, timeoutMs?: number): Promise<void>;
export function productionWebhooks(baseUrl: string, workflow: WorkflowFile): Array<{ node: string; method: string; url: string }>;
export function packageNodeTypes(): Record<string, { name: string; webhooks?: Array<{ path: string; httpMethod: string; isFullPath?: boolean }> }>;

/** What ensureN8n() (scripts/lib/n8n-install.js) returns. */
export interface InstalledN8n {
	version: string;
	appDir: string;
	n8nBin: string;
	node: { nodeDir: string; nodeBin: string; binDir: string; version: string };
}

export interface StartN8nOptions {
	n8n: InstalledN8n;
	userFolder: string;
	port?: number;
	runnerPort?: number;
	logFile?: string;
	onLine?: (line: string) => void;
	env?: Record<string, string>;
	/** The n8n command: `start` (default), `webhook`, `worker`, … */
	command?: string;
	/** Arguments after the command, e.g. `--concurrency=5`. */
	args?: string[];
}

export interface N8nInstance {
	url: string;
	port: number;
	runnerPort: number;
	pid: number;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	readonly exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null;
	stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startN8n(options: StartN8nOptions): Promise<N8nInstance>;
