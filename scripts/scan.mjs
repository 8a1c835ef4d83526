#!/usr/bin/env node
// n8n's official community-package scanner (@n8n/scan-community-package, pinned in package.json),
// run on local folders exactly as its CLI runs its analysis after a package is published:
//
//   source leg   analyzePackage(<source tree>, SOURCE_FILE_PATTERNS)   package.json + {nodes,credentials}/**/*.{js,ts,json}
//   tarball leg  analyzePackage(<unpacked npm pack>, ['**/*.js', 'package.json'])
//
// with the scanner's own ESLint config (its plugin versions, inline disable comments ignored).
// n8n's verdict counts errors only; this script also fails on the warnings the same config
// reports (linted once more with the scanner's exported config and options), so nothing it
// finds goes unnoticed.
// What its CLI does first over the network — download from the registry, the npm provenance
// check, fetching the attested source from GitHub — cannot run here and is not checked.
//
//   node scripts/scan.mjs                  both legs: this repo and its `npm pack` (build first)
//   node scripts/scan.mjs --source-only    the source leg only (what `npm run lint` adds)
//   node scripts/scan.mjs --source <dir>   scan another source tree (e.g. a test fixture)
//   node scripts/scan.mjs --tarball <dir|.tgz>   scan another unpacked package or tarball
//
// Exits 1 on any finding, printing the scanner's report.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

// eslint-plugin-n8n-nodes-base switches to fake file names when NODE_ENV is "test" (its own test
// mode), so under jest every node would be reported as misnamed. The plugin is imported later (in
// buildScanConfig), after this line.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
const scannerVersion = createRequire(import.meta.url)('@n8n/scan-community-package/package.json').version;

function parseArgs(argv) {
	const options = { source: REPO, tarball: undefined, sourceOnly: false, tarballOnly: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--source-only') options.sourceOnly = true;
		else if (arg === '--source') options.source = path.resolve(argv[++i]);
		else if (arg === '--tarball') {
			options.tarball = path.resolve(argv[++i]);
			if (!argv.includes('--source')) options.tarballOnly = true;
		} else throw new Error(`unknown argument ${arg}`);
	}
	return options;
}

/** Unpacks a .tgz as the scanner does (tar -xzf --strip-components=1) into a temp folder. */
function unpack(tarball, into) {
	fs.mkdirSync(into, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1']);
	return into;
}

/** `npm pack` of this repo (what `npm publish` would upload), unpacked. */
function packRepo(tmp) {
	const packDir = path.join(tmp, 'pack');
	fs.mkdirSync(packDir);
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO, encoding: 'utf8' }),
	);
	return unpack(path.join(packDir, packed.filename), path.join(tmp, 'package'));
}

/** Warnings of the scanner's config on the files analyzePackage lints (it reports errors only). */
async function warnings(dir, patterns) {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = (await eslint.lintFiles(files)).filter((result) => result.warningCount > 0);
	const count = results.reduce((sum, result) => sum + result.warningCount, 0);
	return { count, files: files.length, details: count ? await (await eslint.loadFormatter('stylish')).format(results) : '' };
}

async function leg(name, dir, patterns) {
	const where = path.relative(process.cwd(), dir) || '.';
	const result = await analyzePackage(dir, patterns);
	if (!result.passed) {
		console.log(`${name} leg (${where}): ${result.message}`);
		if (result.details) console.log(result.details);
		else if (result.error) console.log(String(result.error.stack ?? result.error));
		return false;
	}
	const warned = await warnings(dir, patterns);
	console.log(`${name} leg (${where}, ${warned.files} files): ${warned.count ? `${warned.count} warning(s)` : 'no findings'}`);
	if (warned.count) console.log(warned.details);
	return warned.count === 0;
}

const options = parseArgs(process.argv.slice(2));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-bridge-scan-'));
let passed = true;
try {
	console.log(`n8n scanner @n8n/scan-community-package ${scannerVersion} (local analysis; registry, provenance and source fetch not run)`);
	if (!options.tarballOnly) passed = (await leg('source', options.source, SOURCE_FILE_PATTERNS)) && passed;
	if (!options.sourceOnly) {
		let dir = options.tarball;
		if (dir && dir.endsWith('.tgz')) dir = unpack(dir, path.join(tmp, 'package'));
		if (!dir) dir = packRepo(tmp);
		passed = (await leg('tarball', dir, TARBALL_FILE_PATTERNS)) && passed;
	}
} finally {
	fs.rmSync(tmp, { recursive: true, force: true });
}
if (!passed) {
	console.log('SCAN FAILED');
	process.exit(1);
}
console.log('SCAN PASSED');
