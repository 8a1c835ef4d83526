// Loaded with `node -r ./bench/lib/register.js` by bench/run.js:
//  1. a transpile-only require hook for .ts (typescript.transpileModule, like ts-jest with
//     isolatedModules) so bench pieces, test/harness, test/sandbox and nodes/ run from source;
//  2. one n8n engine for everything: `n8n-core`, `n8n-workflow`, `n8n-nodes-base` and `@n8n/*`
//     requested from outside the cached n8n install resolve INTO that install
//     (BENCH_N8N_MODULES), so our nodes, the harness and n8n's HTTP Request node share the same
//     n8n-workflow / n8n-core / @n8n/di module instances (one DI container, one Workflow class).
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const ts = require(require.resolve('typescript', { paths: [path.resolve(__dirname, '..', '..')] }));

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2021,
	esModuleInterop: true,
	resolveJsonModule: true,
	isolatedModules: true,
	useUnknownInCatchVariables: false,
	inlineSourceMap: true,
};
require.extensions['.ts'] = function compileTs(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};

// `require('./Digishare.node')` must find Digishare.node.ts, not its Digishare.node.json sibling
// (Node tries .json before the .ts hook registered above; jest's moduleFileExtensions do the same).
{
	const original = Module._resolveFilename;
	Module._resolveFilename = function preferTs(request, ...rest) {
		const resolved = original.call(this, request, ...rest);
		if (resolved.endsWith('.json') && !request.endsWith('.json') && !resolved.includes(`${path.sep}node_modules${path.sep}`)) {
			const ts = resolved.slice(0, -5) + '.ts';
			if (fs.existsSync(ts)) return ts;
		}
		return resolved;
	};
}

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
