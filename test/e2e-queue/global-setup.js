// jest globalSetup of the queue-mode e2e suite: a real n8n in queue mode (Redis, PostgreSQL,
// main, two webhook processors, one worker; scripts/lib/queue-mode.js) with the packed package
// installed in every process's user folder, started once for every file. Writes the state file
// named by E2E_STATE in the shape test/e2e/context.ts reads (`url` = main) plus the queue-mode
// fields, and serves the restart channel: `POST <control.url>/restart` (bearer token) restarts
// every n8n process and answers when all are ready again. global-teardown.js stops it all.
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n } = require('../../scripts/lib/n8n-install');
const run = require('../../scripts/lib/n8n-run');
const { startQueueMode } = require('../../scripts/lib/queue-mode');
const { startControlServer } = require('../e2e/control-server');

const log = (line) => process.stderr.write(`[e2e-queue] ${line}\n`);

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
		control = await startControlServer({ restart: () => queue.restart(), processes: () => queue.processes }, log);
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
			// The suite's PostgreSQL, for n8n's Postgres Chat Memory in the AI examples.
			postgres: queue.postgres,
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
