// jest globalSetup of the queue-mode e2e suite: a real n8n in queue mode (Redis, PostgreSQL,
// main, two webhook processors, one worker; scripts/lib/queue-mode.js) with the packed package
// installed in every process's user folder, started once for every file. Writes the state file
// named by E2E_STATE in the shape test/e2e/context.ts reads (`url` = main) plus the queue-mode
// fields, and serves the restart channel: `POST <control.url>/restart` (bearer token) restarts
// every n8n process and answers when all are ready again. global-teardown.js stops it all.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { ensureN8n } = require('../../scripts/lib/n8n-install');
const run = require('../../scripts/lib/n8n-run');
const { startQueueMode } = require('../../scripts/lib/queue-mode');

const log = (line) => process.stderr.write(`[e2e-queue] ${line}\n`);

/**
 * The restart channel: a loopback HTTP server in this process (the one that owns the n8n
 * processes; test files may run in a jest worker). One restart at a time; the answer comes when
 * every process is ready again, or is a 500 with the error.
 */
function startControlServer(queue) {
	const token = crypto.randomBytes(16).toString('hex');
	const server = http.createServer((req, res) => {
		const answer = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'bad token' });
		if (req.method === 'POST' && req.url === '/restart') {
			log('restart requested by a test');
			queue.restart().then(
				({ ms }) => answer(200, { restarted: true, ms, processes: queue.processes }),
				(error) => answer(500, { error: String(error && error.stack ? error.stack : error) }),
			);
			return undefined;
		}
		if (req.method === 'GET' && req.url === '/processes') return answer(200, queue.processes);
		return answer(404, { error: `no ${req.method} ${req.url}` });
	});
	// A restart takes up to a few minutes: no server-side timeouts on these requests.
	server.requestTimeout = 0;
	server.headersTimeout = 0;
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, token }));
	});
}

module.exports = async function globalSetup() {
	run.assertBuilt();
	const n8n = ensureN8n(process.env.N8N_VERSION || undefined);
	process.env.E2E_N8N_VERSION = n8n.version;

	const base = run.makeTempDir('livechat-bridge-e2e-queue-');
	const logDir = path.join(run.REPO, '.e2e', `queue-${n8n.version}`);
	fs.rmSync(logDir, { recursive: true, force: true });
	fs.mkdirSync(logDir, { recursive: true });
	const cleanup = () => fs.rmSync(base, { recursive: true, force: true });
	// Until startQueueMode returns, its own exit guard ends what it started; this one removes base.
	process.once('exit', cleanup);

	const started = Date.now();
	let queue;
	let control;
	try {
		const tarball = run.packPackage(path.join(base, 'pack'));
		queue = await startQueueMode({ n8n, tarball, root: path.join(base, 'queue'), logDir });
		control = await startControlServer(queue);
		const stateFile = path.join(base, 'state.json');
		const state = {
			// What test/e2e/context.ts reads (E2eState); `url` is main.
			url: queue.mainUrl,
			apiKey: queue.apiKey,
			cookie: queue.cookie,
			browserId: queue.browserId,
			version: queue.version,
			logFile: queue.logFiles.main,
			root: base,
			userFolder: path.join(base, 'queue', 'n8n-main'),
			// Queue mode.
			queue: true,
			webhookUrls: queue.webhookUrls,
			workerHealthUrl: queue.workerHealthUrl,
			logFiles: queue.logFiles,
			control: { url: control.url, token: control.token },
		};
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
		process.env.E2E_STATE = stateFile;
		log(`n8n ${n8n.version} in queue mode ready in ${Math.round((Date.now() - started) / 1000)} s (logs: ${logDir})`);
		globalThis.__LIVECHAT_E2E_QUEUE__ = { queue, control, cleanup, logDir };
	} catch (error) {
		control?.server.close();
		if (queue) await queue.stop();
		cleanup();
		process.off('exit', cleanup);
		throw error;
	}
};
