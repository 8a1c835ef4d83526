/**
 * The editor suite's browser: Debian's Chromium (no browser is downloaded), driven headless by
 * playwright-core, logged in to the real n8n of test/e2e/global-setup.js the way a user does
 * (the sign-in form). Every console error and uncaught page error is collected; `unexpectedErrors()`
 * is what is left after n8n's own known noise (listed below, each with why).
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { DEMO_OWNER, REPO } from '../../scripts/lib/n8n-run';
import { e2eState } from '../e2e/context';

/** Debian's package `chromium` (.ci/run installs it); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
// machine's closed network refuses (and --no-sandbox: CI runs as root).
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * Console errors that n8n's editor itself prints, whatever the nodes: each pattern with its cause.
 * Anything else fails the file that saw it (`expectNoUnexpectedErrors`).
 */
const N8N_NOISE: Array<{ pattern: RegExp; why: string }> = [
	{ pattern: /status of 401 \(Unauthorized\)[\s\S]*\/rest\/(login|settings)/, why: 'the sign-in page asks who is logged in before the login' },
	{ pattern: /Failed to load resource[\s\S]*https:\/\/registry\.npmjs\.org\//, why: "n8n's editor looks up installed community packages on the npm registry, which the test machine cannot reach" },
	{ pattern: /Failed to load resource[\s\S]*https:\/\/api\.n8n\.io\/|Failed to fetch dynamic banners/, why: "n8n 1.x's editor fetches banners from api.n8n.io, which the test machine cannot reach" },
	{ pattern: /status of 404[\s\S]*\/rest\/external-secrets\/secrets/, why: 'n8n 1.x asks for external secrets (an enterprise feature) on every credential form' },
	{ pattern: /reading 'enabled'\)[\s\S]*versions\.store/, why: "n8n 1.x's version check reads a setting its community edition does not send, once after the login" },
	{ pattern: /status of 403[\s\S]*\/rest\/ai\/sessions\/metadata|Failed to fetch sessions metadata/, why: "n8n 1.x's AI assistant asks for its sessions, a licensed feature, when a workflow opens" },
	{ pattern: /status of 404[\s\S]*\/rest\/workflows\/\w+\/executions\/last-successful/, why: 'n8n 1.x asks for the last successful execution of a workflow that has none' },
];

export interface ConsoleEntry {
	kind: 'console' | 'pageerror';
	text: string;
	url: string;
	/** Where the page was when it happened (the panel being looked at). */
	at: string;
}

export interface EditorSession {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	url: string;
	errors: ConsoleEntry[];
	close(): Promise<void>;
}

/** Where screenshots go: CI keeps `.e2e/editor/` as an artifact. */
export function screenshotDir(): string {
	const dir = path.join(REPO, '.e2e', 'editor', `n8n-${e2eState().version}`);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

export async function screenshot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: path.join(screenshotDir(), `${name.replace(/[^\w.-]+/g, '_')}.png`) });
}

/** Opens Chromium on n8n's sign-in page and logs in as the owner, in the given theme. */
export async function openEditor({ theme = 'light' }: { theme?: 'light' | 'dark' } = {}): Promise<EditorSession> {
	const { url } = e2eState();
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package \`chromium\` (.ci/run does) or set CHROMIUM_PATH`);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: url, colorScheme: theme });
	// n8n reads the theme from local storage before it renders.
	await context.addInitScript((chosen) => window.localStorage.setItem('N8N_THEME', chosen), theme);
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	const errors: ConsoleEntry[] = [];
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		errors.push({ kind: 'console', text: message.text(), url: message.location().url, at: page.url() });
	});
	page.on('pageerror', (error) => errors.push({ kind: 'pageerror', text: `${error.message}\n${error.stack ?? ''}`, url: '', at: page.url() }));

	await page.goto('/signin');
	// The sign-in form (its field IDs differ between n8n 1.x and 2.x; their types do not).
	await page.locator('[data-test-id="signin-form"] input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(DEMO_OWNER.email);
	await page.locator('input[type="password"]').first().fill(DEMO_OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((address) => !address.pathname.startsWith('/signin'));
	return { browser, context, page, url, errors, close: async () => await browser.close() };
}

/** The console errors not explained by n8n's known noise. */
export function unexpectedErrors(errors: ConsoleEntry[]): ConsoleEntry[] {
	return errors.filter((entry) => !N8N_NOISE.some((noise) => noise.pattern.test(`${entry.text} ${entry.url}`)));
}

/** A call to n8n's REST API from the logged-in page (its session cookie and browser ID). */
export async function rest<T = unknown>(page: Page, method: string, route: string, body?: unknown): Promise<T> {
	const answer = await page.evaluate(
		async ([verb, address, payload]) => {
			const response = await fetch(address as string, {
				method: verb as string,
				headers: { 'content-type': 'application/json', 'browser-id': window.localStorage.getItem('n8n-browserId') ?? '' },
				body: payload === undefined ? undefined : JSON.stringify(payload),
			});
			return { status: response.status, text: await response.text() };
		},
		[method, route, body] as const,
	);
	if (answer.status >= 400) throw new Error(`${method} ${route} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
	const parsed = JSON.parse(answer.text) as { data?: T } & T;
	return (parsed.data ?? parsed) as T;
}

/** Saves a workflow through the editor's REST API (inactive: n8n 1.x requires saying so). */
export async function createWorkflow(page: Page, name: string, nodes: Array<Record<string, unknown>>): Promise<{ id: string }> {
	return await rest<{ id: string }>(page, 'POST', '/rest/workflows', { name, nodes, connections: {}, active: false, settings: { executionOrder: 'v1' } });
}

/** Opens a node's panel the way n8n's own links do: `/workflow/<id>/<nodeId>`. */
export async function openNode(page: Page, workflowId: string, nodeId: string): Promise<void> {
	await page.goto(`/workflow/${workflowId}/${nodeId}`);
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]');
	// The panel renders its parameters, then n8n computes their issues; wait for the form to settle.
	await page.waitForLoadState('networkidle');
}

/** The names of the parameters the open panel marks with an issue (n8n's red outline and icon). */
export async function parametersWithIssues(page: Page): Promise<string[]> {
	return await page.$$eval('[data-test-id="ndv"] [data-test-id^="parameter-input-"].has-issues, [data-test-id="ndv"] [data-test-id="parameter-issues"]', (elements) => {
		const names = new Set<string>();
		for (const element of elements) {
			const holder = element.closest('[data-test-id^="parameter-input-"]') ?? element.parentElement?.querySelector('[data-test-id^="parameter-input-"]');
			const id = holder?.getAttribute('data-test-id') ?? '';
			names.add(id.replace(/^parameter-input-/, '') || '(unnamed)');
		}
		return [...names].filter((name) => name !== 'field');
	});
}

/** Texts of the notices the open panel shows. */
export async function noticesShown(page: Page): Promise<string[]> {
	return await page.$$eval('[data-test-id="ndv"] [data-test-id="node-parameters"] .notice, [data-test-id="ndv"] [data-test-id="node-parameters"] [class*="notice"]', (elements) =>
		[...new Set(elements.map((element) => (element as HTMLElement).innerText.trim()).filter(Boolean))],
	);
}
