// Runs a real n8n with this package installed the way a community package is, and drives it
// the way a user (or the editor) does: owner setup, API key, public API, REST endpoints.
// Shared by `npm run dev` (scripts/dev.js) and the end-to-end suite (test/e2e/).
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const PACKAGE = require(path.join(REPO, 'package.json'));

/** Listens on 127.0.0.1:`port` (0 = any) and closes again → the port; rejects when it is taken. */
function listenOnce(port) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const bound = server.address().port;
			server.close(() => resolve(bound));
		});
	});
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
const freePort = () => listenOnce(0);

/** `count` distinct free loopback ports. */
async function freePorts(count) {
	const ports = new Set();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}

/** true when nothing listens on 127.0.0.1:`port`. */
const portIsFree = (port) => listenOnce(port).then(() => true, () => false);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fails with a clear message when `dist/` lacks a file package.json's `n8n` field names. */
function assertBuilt() {
	const missing = [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials].filter((file) => !fs.existsSync(path.join(REPO, file)));
	if (missing.length) throw new Error(`Not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
}

/** `npm pack` of the repo into `outDir`; returns the tarball's path. */
function packPackage(outDir) {
	fs.mkdirSync(outDir, { recursive: true });
	const result = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], {
		cwd: REPO,
		encoding: 'utf8',
		env: cleanNpmEnv(),
	});
	if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
	const [info] = JSON.parse(result.stdout);
	return path.join(outDir, info.filename);
}

function cleanNpmEnv(extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		if (/^npm_config_(cache|registry)$/i.test(key)) continue;
		if (/^npm_(config|package|lifecycle)_/i.test(key) || key === 'npm_lifecycle_event') delete env[key];
	}
	return { ...env, ...extra };
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` as a manual community-node install does:
 * a plain `npm install <package>` in that folder, with n8n's own flags for community packages
 * (no install scripts, no dev/optional/peer dependencies: n8n-workflow is n8n's, not ours).
 */
function installPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	}
	const args = [
		'install',
		tarball,
		'--ignore-scripts',
		'--omit=dev',
		'--omit=optional',
		'--omit=peer',
		'--no-audit',
		'--no-fund',
		'--no-package-lock',
		'--loglevel=error',
	];
	const result = spawnSync('npm', args, { cwd: nodesDir, encoding: 'utf8', env: cleanNpmEnv() });
	if (result.status !== 0) throw new Error(`npm install of ${tarball} failed: ${result.stderr}`);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE.name);
	if (!fs.existsSync(path.join(installed, 'package.json'))) throw new Error(`${PACKAGE.name} not found in ${nodesDir}/node_modules`);
	return installed;
}

/** Environment for `n8n start`: loopback only, no telemetry, community packages on. */
function n8nEnv({ userFolder, port, runnerPort, extra = {} }) {
	const url = `http://127.0.0.1:${port}/`;
	const env = {
		...cleanNpmEnv(),
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: url,
		WEBHOOK_URL: url,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		EXECUTIONS_MODE: 'regular',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(runnerPort),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		NODE_ENV: 'production',
		...extra,
	};
	for (const key of ['N8N_ENCRYPTION_KEY', 'NODE_OPTIONS', 'N8N_CUSTOM_EXTENSIONS']) if (!(key in extra)) delete env[key];
	return env;
}

/**
 * Spawns a long-running command in its own process group (so stop() ends it and its children
 * together). Output is appended to `logFile`, or passed to `onLine` line by line.
 * → { pid, child, exited, exitInfo, stop(graceMs) }
 */
function spawnGroup(cmd, args, { cwd, env, logFile, onLine } = {}) {
	const out = logFile ? fs.openSync(logFile, 'a') : 'pipe';
	let child;
	try {
		child = spawn(cmd, args, { cwd, env: env || process.env, detached: true, stdio: ['ignore', out, out] });
	} finally {
		if (logFile) fs.closeSync(out);
	}
	if (onLine && child.stdout) {
		for (const stream of [child.stdout, child.stderr]) {
			let buffered = '';
			stream.setEncoding('utf8');
			stream.on('data', (chunk) => {
				buffered += chunk;
				const lines = buffered.split('\n');
				buffered = lines.pop();
				for (const line of lines) onLine(line);
			});
		}
	}
	let exitInfo = null;
	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve((exitInfo = { code, signal })));
		child.once('error', (error) => resolve((exitInfo = { code: null, signal: null, error: error.message })));
	});
	return {
		pid: child.pid,
		child,
		exited,
		get exitInfo() {
			return exitInfo;
		},
		/** Ends the whole process group: SIGTERM, then SIGKILL after `graceMs`. */
		async stop(graceMs = 20000) {
			if (!exitInfo) {
				killGroup(child.pid, 'SIGTERM');
				let timer;
				const timeout = new Promise((resolve) => (timer = setTimeout(resolve, graceMs, 'timeout')));
				const first = await Promise.race([exited, timeout]);
				clearTimeout(timer);
				if (first === 'timeout') killGroup(child.pid, 'SIGKILL');
			}
			const info = await exited;
			killGroup(child.pid, 'SIGKILL'); // leftovers of the group, if any
			return info;
		},
	};
}

/** Signals a whole process group; false when it is gone. */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch (error) {
		if (error.code === 'ESRCH') return false;
		throw error;
	}
}

/**
 * Until disarm() (the function returned), calls `killSync` when the process exits or gets
 * SIGINT/SIGTERM (then exits 130): what a jest global setup started must not outlive an interrupt.
 */
function exitGuard(killSync) {
	const onSignal = () => {
		killSync();
		process.exit(130);
	};
	process.once('exit', killSync);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	return () => {
		process.off('exit', killSync);
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	};
}

/**
 * Starts `n8n start` with spawnGroup. `command` runs another n8n command instead (`webhook`,
 * `worker`), with `args` after it (`--concurrency=5`). → spawnGroup's handle + { url, port, runnerPort }
 */
async function startN8n({ n8n, userFolder, port, runnerPort, logFile, onLine, env: extra = {}, command = 'start', args = [] }) {
	port = port || (await freePort());
	runnerPort = runnerPort || (await freePort());
	const env = n8nEnv({ userFolder, port, runnerPort, extra });
	env.PATH = `${n8n.node.binDir}${path.delimiter}${process.env.PATH}`;
	const proc = spawnGroup(n8n.node.nodeBin, [n8n.n8nBin, command, ...args], { cwd: userFolder, env, logFile, onLine });
	return Object.assign(proc, { url: `http://127.0.0.1:${port}`, port, runnerPort });
}

/** GET (or `method`) → { status, type, text }; status 0 when nothing answers within 5 s. */
async function probe(url, method = 'GET') {
	try {
		const response = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
		const type = response.headers.get('content-type') || '';
		return { status: response.status, type, text: await response.text() };
	} catch {
		return { status: 0, type: '', text: '' };
	}
}

/** Polls `check` until it is true; fails early when `proc` exited, and after `timeoutMs`. */
async function waitUntil(proc, what, check, { timeoutMs = 180000, intervalMs = 500, describeFailure = () => '' } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (proc.exitInfo) throw new Error(`${what} exited (${JSON.stringify(proc.exitInfo)}) before it was ready.${describeFailure()}`);
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${what} was not ready after ${timeoutMs / 1000} s.${describeFailure()}`);
		await pause(intervalMs);
	}
}

/**
 * Waits until n8n answers 200 on /healthz/readiness and on /rest/settings (n8n 1.x reports
 * ready before its REST API is mounted); fails early when n8n exits.
 */
function waitReady(instance, options) {
	const ok = async (urlPath) => (await probe(`${instance.url}${urlPath}`)).status === 200;
	return waitUntil(instance, 'n8n', async () => (await ok('/healthz/readiness')) && ok('/rest/settings'), options);
}

/** Last lines of a log file, for error messages. */
function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Minimal HTTP client for n8n: JSON in and out, keeps the session cookie or API key. */
class N8nClient {
	constructor(url, { apiKey, cookie } = {}) {
		this.url = url.replace(/\/+$/, '');
		this.apiKey = apiKey;
		this.cookie = cookie;
	}

	async request(method, urlPath, { body, headers = {}, raw } = {}) {
		const allHeaders = { accept: 'application/json', ...headers };
		if (this.apiKey) allHeaders['x-n8n-api-key'] = this.apiKey;
		if (this.cookie) allHeaders.cookie = this.cookie;
		if (this.browserId) allHeaders['browser-id'] = this.browserId;
		let payload;
		if (raw !== undefined) payload = raw;
		else if (body !== undefined) {
			payload = JSON.stringify(body);
			allHeaders['content-type'] = 'application/json';
		}
		let response;
		try {
			response = await fetch(`${this.url}${urlPath}`, { method, headers: allHeaders, body: payload });
		} catch (error) {
			// A kept-alive connection n8n closed just as it was reused ("other side closed"): the
			// request never reached n8n, so it is sent once more on a new connection.
			if (error?.cause?.code !== 'UND_ERR_SOCKET') throw error;
			response = await fetch(`${this.url}${urlPath}`, { method, headers: allHeaders, body: payload });
		}
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: response.headers, text, json };
	}

	/** Like request(), but throws unless the status is 2xx; returns the JSON body. */
	async ok(method, urlPath, options) {
		const response = await this.request(method, urlPath, options);
		if (response.status < 200 || response.status > 299) {
			throw new Error(`${method} ${urlPath} → ${response.status}: ${response.text.slice(0, 500)}`);
		}
		return response.json;
	}
}

/** The owner account created unattended by `setupOwner`. */
const DEMO_OWNER = {
	email: 'demo@livechat-bridge.test',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Demo-password-1',
};

/**
 * Creates the instance owner (`POST /rest/owner/setup`, what the editor's setup page does) or,
 * when one exists, logs in. Returns a client carrying the session cookie.
 */
async function ownerSession(url, owner = DEMO_OWNER) {
	const client = new N8nClient(url);
	client.browserId = 'livechat-bridge-scripts';
	let response = await client.request('POST', '/rest/owner/setup', { body: owner });
	if (response.status >= 400) {
		response = await client.request('POST', '/rest/login', {
			body: { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password },
		});
	}
	if (response.status !== 200) throw new Error(`owner setup / login failed: ${response.status} ${response.text.slice(0, 300)}`);
	const cookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [response.headers.get('set-cookie')];
	const auth = cookies.map((c) => String(c).split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error('owner setup / login returned no n8n-auth cookie');
	client.cookie = auth;
	return client;
}

/** An API key with every scope the owner may grant (`POST /rest/api-keys`, as in Settings → n8n API). */
async function createApiKey(session, label = 'livechat-bridge') {
	const scopesResponse = await session.ok('GET', '/rest/api-keys/scopes');
	const scopes = scopesResponse.data ?? scopesResponse;
	const created = await session.ok('POST', '/rest/api-keys', { body: { label, scopes, expiresAt: null } });
	const key = (created.data ?? created).rawApiKey;
	if (!key) throw new Error('POST /rest/api-keys returned no rawApiKey');
	return key;
}

/** Keeps only what the public API accepts for `POST /api/v1/workflows`. */
function workflowForApi(workflow) {
	const { name, nodes, connections, settings, staticData } = workflow;
	return { name, nodes, connections, settings: settings ?? {}, ...(staticData ? { staticData } : {}) };
}

/** Replaces each node's credential reference of a type with { id, name } of a real credential. */
function useCredentials(workflow, byType) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (byType[type]) node.credentials[type] = { id: byType[type].id, name: byType[type].name };
		}
	}
	return copy;
}

/** This package's node descriptions from the built files package.json's `n8n.nodes` names, by type. */
function packageNodeTypes() {
	const types = {};
	for (const file of PACKAGE.n8n.nodes) {
		const className = path.basename(file).split('.')[0]; // what n8n's loader picks from the file
		const NodeClass = require(path.join(REPO, file))[className];
		const { description } = new NodeClass();
		types[`${PACKAGE.name}.${description.name}`] = description;
	}
	return types;
}

/**
 * Production webhooks a workflow's nodes of this package register: [{ node, method, url }]
 * (`/webhook/<webhookId>/<path>`). A dynamic path keeps its `:param` literally: probing it
 * with waitForWebhook confirms that n8n registered the webhook, not that requests reach it.
 */
function productionWebhooks(baseUrl, workflow) {
	const types = packageNodeTypes();
	const hooks = [];
	for (const node of workflow.nodes) {
		const description = types[node.type];
		if (!description || !node.webhookId) continue;
		for (const hook of description.webhooks || []) {
			if (typeof hook.path !== 'string' || hook.path.startsWith('=') || typeof hook.httpMethod !== 'string' || hook.httpMethod.startsWith('=')) continue;
			if (hook.restartWebhook || hook.isFullPath) continue;
			hooks.push({ node: node.name, method: hook.httpMethod, url: webhookUrl(baseUrl, node, hook.path) });
		}
	}
	return hooks;
}

/** Production webhook URL of a trigger node: /webhook/<webhookId>/<path>. */
function webhookUrl(baseUrl, node, webhookPath) {
	return `${baseUrl.replace(/\/+$/, '')}/webhook/${node.webhookId}/${webhookPath}`;
}

/**
 * Waits until n8n serves a production webhook. n8n 2.x publishes an activated workflow through
 * an outbox that is polled (every 15 s by default), so the URL goes live a little after
 * `activate` returned. The probe is a CORS preflight (OPTIONS with Origin): n8n answers 204
 * with the registered methods for a live webhook and 404 otherwise, without running anything.
 */
async function waitForWebhook(url, method = 'POST', timeoutMs = 90000) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		const response = await fetch(url, {
			method: 'OPTIONS',
			headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
		});
		const allowed = response.headers.get('access-control-allow-methods') || '';
		await response.arrayBuffer();
		if (response.status < 300 && allowed.split(/\s*,\s*/).includes(method)) return;
		last = `${response.status} ${allowed}`;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`webhook ${method} ${url} was not registered after ${timeoutMs / 1000} s (last probe: ${last})`);
}

function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = {
	REPO,
	PACKAGE,
	DEMO_OWNER,
	N8nClient,
	assertBuilt,
	cleanNpmEnv,
	createApiKey,
	exitGuard,
	freePort,
	freePorts,
	installPackage,
	killGroup,
	makeTempDir,
	ownerSession,
	packPackage,
	packageNodeTypes,
	pause,
	portIsFree,
	probe,
	productionWebhooks,
	spawnGroup,
	startN8n,
	tail,
	useCredentials,
	waitForWebhook,
	waitReady,
	waitUntil,
	webhookUrl,
	workflowForApi,
};
