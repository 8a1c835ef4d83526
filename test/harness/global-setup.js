// jest globalSetup: one temp n8n user folder for the whole run (inherited by all workers
// through process.env), removed again by global-teardown.js. See env.ts.
const { mkdtempSync, mkdirSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
	if (process.env.N8N_HARNESS_OWNED_USER_FOLDER) return;
	const dir = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	process.env.N8N_USER_FOLDER = dir;
	process.env.N8N_HARNESS_OWNED_USER_FOLDER = dir;
	// same key as env.ts HARNESS_ENCRYPTION_KEY
	process.env.N8N_ENCRYPTION_KEY = 'n8n-harness-test-encryption-key';
	mkdirSync(join(dir, '.n8n'), { recursive: true });
	writeFileSync(
		join(dir, '.n8n', 'config'),
		JSON.stringify({ encryptionKey: process.env.N8N_ENCRYPTION_KEY }),
		{ mode: 0o600 },
	);
};
