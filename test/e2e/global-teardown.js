// jest globalTeardown of the e2e suite: stops n8n's whole process group, removes the temp folder.
const { stopControlServer } = require('./control-server');

module.exports = async function globalTeardown() {
	const state = globalThis.__LIVECHAT_E2E__;
	if (!state) return;
	if (state.control) await stopControlServer(state.control);
	const { code, signal } = await state.instance.stop();
	process.stderr.write(`[e2e] n8n stopped (${signal ?? `exit ${code}`}); its log: ${state.logFile}\n`);
	state.cleanup();
	state.disarm();
	delete globalThis.__LIVECHAT_E2E__;
};
