#!/usr/bin/env node
// Installs n8n (default 2.41.1, or the version given / N8N_VERSION) and its Node.js into the
// cache outside the repo, if not there yet, and prints where. `npm run dev` and the e2e suite
// call the same code; running it alone just warms the cache.
'use strict';
const { ensureN8n } = require('./lib/n8n-install');

try {
	const n8n = ensureN8n(process.argv[2] || undefined);
	console.log(`n8n ${n8n.version} ready in ${n8n.appDir} (Node.js ${n8n.node.version}: ${n8n.node.nodeBin})`);
} catch (error) {
	console.error(`n8n install failed: ${error.message}`);
	process.exit(1);
}
