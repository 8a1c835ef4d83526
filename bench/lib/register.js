// Loaded with `node -r ./bench/lib/register.js` by bench/run.js:
//  1. TypeScript from source (scripts/lib/ts-require.js), so bench pieces, the sandbox's public
//     entry (test/sandbox/index.ts) and nodes/ run without a build;
//  2. one n8n engine for everything: `n8n-core`, `n8n-workflow`, `n8n-nodes-base` and `@n8n/*`
//     requested from outside the cached n8n install resolve INTO that install
//     (BENCH_N8N_MODULES), so our nodes, the engine runner and n8n's HTTP Request node share the
//     same n8n-workflow / n8n-core / @n8n/di module instances (one DI container, one Workflow class).
'use strict';
const path = require('path');
const Module = require('module');
require('../../scripts/lib/ts-require');

const n8nModules = process.env.BENCH_N8N_MODULES;
if (n8nModules) {
	const root = path.resolve(n8nModules);
	const shared = /^(n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/[^/]+)(\/|$)/;
	const original = Module._resolveFilename;
	Module._resolveFilename = function resolveShared(request, parent, isMain, options) {
		if (shared.test(request) && parent && parent.filename && !parent.filename.startsWith(root)) {
			return original.call(this, request, parent, isMain, { ...(options || {}), paths: [root] });
		}
		return original.call(this, request, parent, isMain, options);
	};
}
