// jest globalTeardown of the queue-mode e2e suite: closes the restart channel, stops every n8n
// process group, Redis and PostgreSQL, removes the temp folders. The logs stay in .e2e/queue-<version>/.
const { stopControlServer } = require('../e2e/control-server');

module.exports = async function globalTeardown() {
	const state = globalThis.__LIVECHAT_E2E_QUEUE__;
	if (!state) return;
	await stopControlServer(state.control);
	const exits = await state.queue.stop();
	const summary = Object.entries(exits)
		.map(([name, { code, signal }]) => `${name} ${signal ?? `exit ${code}`}`)
		.join(', ');
	process.stderr.write(`[e2e-queue] stopped (${summary}); Redis and PostgreSQL stopped; logs: ${state.logDir}\n`);
	state.cleanup();
	delete globalThis.__LIVECHAT_E2E_QUEUE__;
};
