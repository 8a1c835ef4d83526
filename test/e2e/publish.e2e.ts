/**
 * What `npm publish` would upload is what this suite installed into n8n and tested: the release
 * workflow publishes the tarball of `npm pack` (.github/workflows/release.yml), and the tarball the
 * e2e global setup packed and installed has the same files, byte for byte, as a fresh `npm pack`.
 * It holds only the built package (no sources, tests, examples or scripts), and its package.json is
 * this repository's.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE, REPO, e2eState } from './context';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every file below `dir` (relative, '/'-separated) → sha256. */
function tree(dir: string, prefix = ''): Record<string, string> {
	const files: Record<string, string> = {};
	for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) Object.assign(files, tree(dir, relative));
		else files[relative] = sha(path.join(dir, relative));
	}
	return files;
}

let packed: Record<string, string>;
let installedDir: string;

beforeAll(() => {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-bridge-publish-'));
	const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: REPO, encoding: 'utf8' });
	expect(pack.status).toBe(0);
	const [{ filename }] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
	const unpacked = path.join(out, 'package');
	fs.mkdirSync(unpacked);
	expect(spawnSync('tar', ['-xzf', path.join(out, filename), '-C', unpacked, '--strip-components=1']).status).toBe(0);
	packed = tree(unpacked);
	fs.rmSync(out, { recursive: true, force: true });
	installedDir = path.join(e2eState().userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
});

test('the package installed in the n8n under test has exactly the files of a fresh npm pack, byte for byte', () => {
	expect(tree(installedDir)).toEqual(packed);
});

test('the tarball holds the built package only: dist/, package.json, README.md, LICENSE, CHANGELOG.md', () => {
	const outside = Object.keys(packed).filter((file) => !file.startsWith('dist/'));
	expect(outside.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
	const sources = Object.keys(packed).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
	expect(sources).toEqual([]);
	expect(Object.keys(packed).filter((file) => /(^|\/)(test|examples|scripts)\//.test(file))).toEqual([]);
	for (const file of [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials]) expect(packed[file]).toBeDefined();
});

test("its package.json is this repository's", () => {
	expect(packed['package.json']).toBe(sha(path.join(REPO, 'package.json')));
});
