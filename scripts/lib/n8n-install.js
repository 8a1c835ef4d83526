// Installs a real n8n (and the Node.js it needs) into a cache outside the repo, once per
// version: ${XDG_CACHE_HOME:-~/.cache}/n8n-livechat-bridge/. Used by `npm run dev` and the
// end-to-end suite; `node scripts/n8n-install.js [version]` runs it on its own.
//
// Everything comes from the npm registry:
//   node-<platform>-<arch>@<ver>  a real Node.js binary (and its headers) inside an npm package
//   n8n@<ver>                     installed with --ignore-scripts (install scripts would try to
//                                 download prebuilt binaries), then only sqlite3 — the one
//                                 native module n8n needs to start with its embedded SQLite —
//                                 is compiled from source against that Node.
// Each step installs into a temp folder and renames it when complete, so an interrupted run
// never leaves a half install behind, and two concurrent runs cannot corrupt each other.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** n8n versions this package is tested with, and the Node.js each one runs on. */
const DEFAULT_N8N_VERSION = '2.41.1';
const NODE_FOR_N8N_MAJOR = { 1: '22.23.3', 2: '24.21.0' };
/**
 * Pins applied to n8n's dependency tree (an `overrides` block in the install folder), for
 * dependencies that cannot be installed from the npm registry: linkedom 0.18.13+ depends on a
 * package version that is not on the registry; n8n 1.x takes xlsx as a tarball from the
 * SheetJS CDN, replaced by the registry's last xlsx (only n8n's spreadsheet nodes use it).
 */
const OVERRIDES = { 1: { linkedom: '0.18.12', xlsx: '0.18.5' }, 2: { linkedom: '0.18.12' } };

function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-livechat-bridge');
}

function nodePackageName() {
	const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
	if (!platform) throw new Error(`No Node.js package for platform ${process.platform}`);
	return `node-${platform}-${process.arch}`;
}

function nodeVersionFor(n8nVersion) {
	const major = Number(String(n8nVersion).split('.')[0]);
	const version = process.env.N8N_NODE_VERSION || NODE_FOR_N8N_MAJOR[major];
	if (!version) throw new Error(`No Node.js version known for n8n ${n8nVersion}`);
	return version;
}

function log(line) {
	process.stderr.write(`[n8n-install] ${line}\n`);
}

/** Runs a command; with `logFile` its output goes there and only its end is shown on failure. */
function run(cmd, args, { logFile, ...options } = {}) {
	const started = Date.now();
	const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
	let result;
	try {
		result = spawnSync(cmd, args, { stdio: ['ignore', out, out], ...options });
	} finally {
		if (logFile) fs.closeSync(out);
	}
	if (result.error) throw result.error;
	if (result.status !== 0) {
		const output = logFile ? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}` : '';
		throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status} (in ${options.cwd || process.cwd()})${output}`);
	}
	return Date.now() - started;
}

/** Environment for npm inside the cache: no project .npmrc applies there; override ~/.npmrc's nodedir. */
function npmEnv(extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		// npm_config_* inherited from an outer `npm run` (e.g. ignore_scripts, nodedir, prefix)
		// would leak into these installs.
		if (/^npm_config_(cache|registry)$/i.test(key)) continue; // where packages come from: keep
		if (/^npm_config_/i.test(key) || /^npm_package_/i.test(key) || key === 'npm_lifecycle_event' || key === 'npm_lifecycle_script') {
			delete env[key];
		}
	}
	return { ...env, ...extra };
}

const NPM_FLAGS = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

function isComplete(dir) {
	return fs.existsSync(path.join(dir, '.complete'));
}

/** Runs `build(tmpDir)` and renames tmpDir to `dir` when it returned; skips when dir is complete. */
function installOnce(dir, what, build) {
	if (isComplete(dir)) return false;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
	fs.mkdirSync(tmp, { recursive: true });
	const started = Date.now();
	try {
		build(tmp);
		fs.writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()}\n`);
		if (isComplete(dir)) {
			// Another run finished first.
			fs.rmSync(tmp, { recursive: true, force: true });
		} else {
			fs.rmSync(dir, { recursive: true, force: true }); // an incomplete leftover
			fs.renameSync(tmp, dir);
		}
	} catch (error) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw error;
	}
	log(`${what} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return true;
}

/** Node.js from the npm registry. Returns { nodeDir, nodeBin, binDir }. */
function ensureNode(version) {
	const pkg = nodePackageName();
	const dir = path.join(cacheRoot(), `node-${version}`);
	installOnce(dir, `Node.js ${version}`, (tmp) => {
		log(`installing Node.js ${version} (${pkg}) into ${dir}`);
		fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ private: true }, null, 2));
		run('npm', ['install', `${pkg}@${version}`, '--ignore-scripts', ...NPM_FLAGS], { cwd: tmp, env: npmEnv() });
	});
	const nodeDir = path.join(dir, 'node_modules', pkg);
	const binDir = path.join(nodeDir, 'bin');
	const nodeBin = path.join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
	if (!fs.existsSync(nodeBin)) throw new Error(`Node.js binary missing at ${nodeBin}; delete ${dir} and retry`);
	return { nodeDir, nodeBin, binDir, version };
}

/**
 * n8n itself. Returns { version, appDir, n8nBin, node } where `n8nBin` is n8n's bin/n8n
 * script, to be run with `node.nodeBin`.
 */
function ensureN8n(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION) {
	const node = ensureNode(nodeVersionFor(version));
	const appDir = path.join(cacheRoot(), `n8n-${version}-node-${node.version}`);
	installOnce(appDir, `n8n ${version}`, (tmp) => {
		log(`installing n8n ${version} into ${appDir} (several minutes, about 3 GB)`);
		fs.writeFileSync(
			path.join(tmp, 'package.json'),
			JSON.stringify({ private: true, dependencies: { n8n: version }, overrides: OVERRIDES[Number(version.split('.')[0])] ?? {} }, null, 2),
		);
		const env = npmEnv({ PATH: `${node.binDir}${path.delimiter}${process.env.PATH}` });
		const installMs = run('npm', ['install', '--ignore-scripts', '--omit=dev', ...NPM_FLAGS], { cwd: tmp, env });
		log(`npm install n8n@${version}: ${Math.round(installMs / 1000)} s; compiling sqlite3 for Node.js ${node.version}`);
		// With Node 24 first on PATH, npm and node-gyp build against it; --nodedir points node-gyp
		// at the headers shipped in the node package (no download).
		const rebuildMs = run('npm', ['rebuild', 'sqlite3', `--nodedir=${node.nodeDir}`, '--foreground-scripts', ...NPM_FLAGS], {
			cwd: tmp,
			logFile: path.join(tmp, 'sqlite3-build.log'),
			env: { ...env, npm_config_nodedir: node.nodeDir, JOBS: String(os.cpus().length) },
		});
		log(`sqlite3 compiled in ${Math.round(rebuildMs / 1000)} s`);
	});
	const n8nBin = path.join(appDir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(n8nBin)) throw new Error(`n8n missing at ${n8nBin}; delete ${appDir} and retry`);
	const installed = require(path.join(appDir, 'node_modules', 'n8n', 'package.json')).version;
	return { version: installed, appDir, n8nBin, node };
}

module.exports = { ensureN8n, ensureNode, cacheRoot, DEFAULT_N8N_VERSION, NODE_FOR_N8N_MAJOR };
