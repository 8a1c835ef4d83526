// Lets plain-JS tools require this repo's TypeScript from source (the sandbox's public entry
// test/sandbox/index.ts for `npm run dev`, every bench piece): a transpile-only require hook for
// .ts (typescript.transpileModule, like ts-jest with isolatedModules). Type-check with
// `npm run typecheck`.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const REPO = path.resolve(__dirname, '..', '..');

if (!require.extensions['.ts']) {
	const ts = require(require.resolve('typescript', { paths: [REPO] }));
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
	// (Node tries .json before the .ts hook; jest's moduleFileExtensions do the same).
	const original = Module._resolveFilename;
	Module._resolveFilename = function preferTs(request, ...rest) {
		const resolved = original.call(this, request, ...rest);
		if (resolved.endsWith('.json') && !request.endsWith('.json') && !resolved.includes(`${path.sep}node_modules${path.sep}`)) {
			const tsFile = resolved.slice(0, -5) + '.ts';
			if (fs.existsSync(tsFile)) return tsFile;
		}
		return resolved;
	};
}
