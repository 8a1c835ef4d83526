#!/usr/bin/env node
// n8n's community-node CLI (@n8n/node-cli, pinned in package.json): `npx n8n-node lint` and
// `npx n8n-node build`, run unchanged, in a folder that holds this package as `n8n-node new` lays
// one out — package.json, package-lock.json, eslint.config.mjs, tsconfig.json, nodes/,
// credentials/ (copies) and node_modules (a link to this repository's).
//
// Why not in the repository root: `n8n-node lint` runs `eslint .` with eslint.config.mjs, which
// strict mode ("n8n": {"strict": true}) requires to be exactly n8n's config, and that config
// lints every .ts file below the folder with the n8n Cloud rules (no fs, path, process, console,
// __dirname, setTimeout…). In the root that takes in test/, bench/ and scripts/lib/, which never
// ship and must use exactly those. The package's own files get the same check either way.
//
//   lint    n8n-node lint: strict mode (eslint.config.mjs is n8n's), then n8n's ESLint config
//   build   n8n-node build (tsc, then icons copied to dist/), then its dist/ is checked: every
//           file package.json's n8n field names is there with its codex file, and it has the same
//           files as this repository's dist/ from `npm run build` (build first), .js/.d.ts/.map
//           byte for byte, codex .json as the same JSON (tsc re-indents JSON it emits)
//
//   node scripts/n8n-node.mjs [lint] [build]     both when neither is named
//   node scripts/n8n-node.mjs lint --source <dir>   another package folder (e.g. a test's broken copy)
//
// Exits 1 when n8n-node fails or dist/ differs; this repository's dist/ is only read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_FILES = ['package.json', 'package-lock.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials'];

function parseArgs(argv) {
	const options = { source: REPO, commands: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === 'lint' || arg === 'build') options.commands.push(arg);
		else if (arg === '--source') options.source = path.resolve(argv[++i]);
		else throw new Error(`unknown argument ${arg}`);
	}
	if (!options.commands.length) options.commands = ['lint', 'build'];
	return options;
}

/** The package's files in a fresh folder, node_modules linked to this repository's. */
function stage(source, tmp) {
	const dir = path.join(tmp, 'package');
	fs.mkdirSync(dir);
	for (const name of PACKAGE_FILES) {
		if (fs.existsSync(path.join(source, name))) fs.cpSync(path.join(source, name), path.join(dir, name), { recursive: true });
	}
	fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return dir;
}

function n8nNode(command, cwd) {
	console.log(`\n$ npx n8n-node ${command}   (in ${cwd})`);
	const result = spawnSync('npx', ['--no', 'n8n-node', command], { cwd, stdio: 'inherit' });
	if (result.error) throw result.error;
	return result.status === 0;
}

/** Every file below `dir`, as paths relative to it with forward slashes. */
function filesBelow(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
		.sort();
}

function sameContent(a, b, file) {
	const [left, right] = [fs.readFileSync(a), fs.readFileSync(b)];
	if (file.endsWith('.json')) return JSON.stringify(JSON.parse(left.toString('utf8'))) === JSON.stringify(JSON.parse(right.toString('utf8')));
	return left.equals(right);
}

/** What differs between n8n-node build's dist/ (in `dir`) and what package.json names or `npm run build` made. */
function distProblems(dir) {
	const problems = [];
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const built = new Set(filesBelow(path.join(dir, 'dist')).map((file) => `dist/${file}`));
	for (const file of pkg.n8n?.nodes ?? []) {
		if (!built.has(file)) problems.push(`${file} (n8n.nodes) is missing`);
		if (!built.has(file.replace(/\.js$/, '.json'))) problems.push(`${file.replace(/\.js$/, '.json')} (codex of ${path.basename(file)}) is missing`);
	}
	for (const file of pkg.n8n?.credentials ?? []) if (!built.has(file)) problems.push(`${file} (n8n.credentials) is missing`);

	const ours = new Set(filesBelow(path.join(REPO, 'dist')).map((file) => `dist/${file}`));
	if (!ours.size) return [...problems, 'dist/ of this repository is empty: run `npm run build` first'];
	for (const file of ours) if (!built.has(file)) problems.push(`${file} is in npm run build's dist/, not in n8n-node build's`);
	for (const file of built) {
		if (!ours.has(file)) problems.push(`${file} is in n8n-node build's dist/, not in npm run build's`);
		else if (!sameContent(path.join(dir, file), path.join(REPO, file), file)) problems.push(`${file} differs from npm run build's`);
	}
	return problems;
}

const options = parseArgs(process.argv.slice(2));
const cliVersion = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@n8n/node-cli/package.json'), 'utf8')).version;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-bridge-n8n-node-'));
let passed = true;
try {
	const dir = stage(options.source, tmp);
	console.log(`n8n's node CLI @n8n/node-cli ${cliVersion}: ${options.commands.join(' and ')} on ${PACKAGE_FILES.join(', ')} of ${path.relative(process.cwd(), options.source) || '.'}`);
	for (const command of options.commands) {
		if (!n8nNode(command, dir)) {
			console.log(`n8n-node ${command} failed`);
			passed = false;
			continue;
		}
		if (command !== 'build') continue;
		const problems = distProblems(dir);
		const count = filesBelow(path.join(dir, 'dist')).length;
		if (problems.length) {
			console.log(`n8n-node build's dist/ (${count} files):\n  ${problems.join('\n  ')}`);
			passed = false;
		} else {
			console.log(`n8n-node build's dist/: ${count} files, the same as npm run build's, with every node, codex file and credential package.json names`);
		}
	}
} finally {
	fs.rmSync(tmp, { recursive: true, force: true });
}
if (!passed) {
	console.log('N8N-NODE FAILED');
	process.exit(1);
}
console.log('N8N-NODE PASSED');
