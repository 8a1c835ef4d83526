// jest globalTeardown: removes the temp n8n user folder created by global-setup.js.
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
	const dir = process.env.N8N_HARNESS_OWNED_USER_FOLDER;
	if (dir) rmSync(dir, { recursive: true, force: true });
};
