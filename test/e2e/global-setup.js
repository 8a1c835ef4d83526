// jest globalSetup of the e2e suite: a real n8n with the packed package installed as a
// community package, started once for every e2e file. Writes what the tests need (URL, API
// key, session cookie) to a state file named by E2E_STATE; global-teardown.js stops n8n.
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n } = require('../../scripts/lib/n8n-install');
const run = require('../../scripts/lib/n8n-run');
const { startControlServer } = require('./control-server');

module.exports = async function globalSetup() {
	const log = (line) => process.stderr.write(`[e2e] ${line}\n`);
	run.assertBuilt();
	const n8n = ensureN8n(process.env.N8N_VERSION || undefined);
	process.env.E2E_N8N_VERSION = n8n.version;

	const root = run.makeTempDir('livechat-bridge-e2e-');
	const logDir = path.join(run.REPO, '.e2e');
	fs.mkdirSync(logDir, { recursive: true });
	const logFile = path.join(logDir, `n8n-${n8n.version}.log`);
	fs.writeFileSync(logFile, '');
	const cleanup = () => fs.rmSync(root, { recursive: true, force: true });

	const started = Date.now();
	let instance;
	try {
		const tarball = run.packPackage(path.join(root, 'pack'));
		const userFolder = path.join(root, 'user');
		run.installPackage(userFolder, tarball);
		log(`${path.basename(tarball)} installed into ${userFolder}/.n8n/nodes`);
		instance = await run.startN8n({ n8n, userFolder, logFile });
		// If jest is interrupted, teardown never runs: end n8n's process group on the way out.
		const disarm = run.exitGuard(() => {
			run.killGroup(instance.pid, 'SIGKILL');
			cleanup();
		});
		await run.waitReady(instance, { describeFailure: () => `\n--- ${logFile} (last lines) ---\n${run.tail(logFile)}` });
		log(`n8n ${n8n.version} ready at ${instance.url} in ${Math.round((Date.now() - started) / 1000)} s (log: ${logFile})`);
		const session = await run.ownerSession(instance.url);
		const apiKey = await run.createApiKey(session);
		// The restart channel (test/e2e/control-server.js): n8n stopped and started again on the same
		// user folder and ports, for tests that prove what survives a restart.
		const restart = async () => {
			const begun = Date.now();
			await instance.stop();
			instance = await run.startN8n({ n8n, userFolder, logFile, port: instance.port, runnerPort: instance.runnerPort });
			globalThis.__LIVECHAT_E2E__.instance = instance;
			await run.waitReady(instance, { describeFailure: () => `\n--- ${logFile} (last lines) ---\n${run.tail(logFile)}` });
			return { ms: Date.now() - begun };
		};
		const control = await startControlServer({ restart, processes: () => ({ main: { pid: instance.pid, url: instance.url } }) }, log);
		const stateFile = path.join(root, 'state.json');
		fs.writeFileSync(
			stateFile,
			JSON.stringify({
				url: instance.url,
				apiKey,
				cookie: session.cookie,
				browserId: session.browserId,
				version: n8n.version,
				logFile,
				root,
				userFolder,
				control: { url: control.url, token: control.token },
			}),
		);
		process.env.E2E_STATE = stateFile;
		globalThis.__LIVECHAT_E2E__ = { instance, cleanup, logFile, disarm, control };
	} catch (error) {
		if (instance) await instance.stop();
		cleanup();
		throw error;
	}
};
