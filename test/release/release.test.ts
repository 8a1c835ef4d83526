/**
 * Release readiness: n8n's official scanner (scripts/scan.mjs) rejects what n8n would reject —
 * proven on deliberately broken fixtures — and passes this package's source; the release check
 * (scripts/release-check.js) holds a tag to its version and CHANGELOG entry; the GitHub workflows
 * are valid, and the release workflow publishes, with provenance, the very tarball it packed and
 * scanned after the whole CI passed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';

const REPO = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
	version: string;
	scripts: Record<string, string>;
	devDependencies: Record<string, string>;
	n8n: { strict?: boolean };
};

function run(command: string, args: string[], input?: string) {
	const result = spawnSync(command, args, { cwd: REPO, encoding: 'utf8', input, env: { ...process.env, GITHUB_REF_NAME: '' } });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
const scan = (...args: string[]) => run(process.execPath, [path.join(REPO, 'scripts', 'scan.mjs'), ...args]);
const releaseCheck = (...args: string[]) => run(process.execPath, [path.join(REPO, 'scripts', 'release-check.js'), ...args]);

describe("n8n's scanner (@n8n/scan-community-package), both legs", () => {
	const broken = path.join(FIXTURES, 'broken-package');

	test('source leg: a package without an author e-mail and a node writing to the console fails, naming both rules', () => {
		const result = scan('--source', broken, '--source-only');
		expect(result.status).toBe(1);
		expect(result.output).toContain('@n8n/community-nodes/valid-author');
		expect(result.output).toMatch(/Broken\.node\.js\s+4:1\s+error\s+Unexpected console statement\s+no-console/);
		expect(result.output).toContain('SCAN FAILED');
	});

	test('tarball leg: the same fixture as an unpacked package fails too; the inline disable comment does not help', () => {
		const result = scan('--tarball', broken);
		expect(result.status).toBe(1);
		expect(result.output).toMatch(/tarball leg \(.*broken-package\): ESLint violations found/);
		expect(result.output).toContain('no-console');
		expect(result.output).not.toContain('source leg');
	});

	test('a warning alone (no homepage) fails the scan although n8n counts only errors', () => {
		const result = scan('--source', path.join(FIXTURES, 'warning-package'), '--source-only');
		expect(result.status).toBe(1);
		expect(result.output).toContain('1 warning(s)');
		expect(result.output).toContain('@n8n/community-nodes/require-homepage');
	});

	test('this package’s source: no findings (the tarball leg runs in CI after the build: npm run scan)', () => {
		const result = scan('--source-only');
		expect(result.output).toMatch(/source leg \(\., \d+ files\): no findings/);
		expect(result.status).toBe(0);
	});

	test('npm run lint runs n8n-node lint, then our stricter eslint config (no warning allowed), then the scanner’s source leg', () => {
		expect(pkg.scripts.lint).toBe(
			'node scripts/n8n-node.mjs lint && eslint -c eslint.strict.config.mjs --max-warnings 0 nodes credentials package.json && node scripts/scan.mjs --source-only',
		);
		expect(pkg.scripts.scan).toBe('node scripts/scan.mjs');
	});
});

describe("n8n's node CLI (@n8n/node-cli: n8n-node lint and build, scripts/n8n-node.mjs) and our stricter eslint config", () => {
	const CLI = path.join(REPO, 'node_modules', '@n8n', 'node-cli');
	const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
	const normalized = (file: string) => fs.readFileSync(file, 'utf8').replace(/\s+/g, ' ').trim();
	/** scripts/n8n-node.mjs outside jest's NODE_ENV=test (eslint-plugin-n8n-nodes-base's own test mode renames files). */
	const n8nNode = (...args: string[]) => {
		const env = { ...process.env };
		delete env.NODE_ENV;
		const result = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'n8n-node.mjs'), ...args], { cwd: REPO, encoding: 'utf8', env });
		return { status: result.status, output: plain(`${result.stdout}${result.stderr}`) };
	};
	let copy: string;
	/** The files n8n-node sees of this package, in a temp folder, with `change` applied. */
	const packageCopy = (change: (dir: string) => void) => {
		copy = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-node-copy-'));
		for (const part of ['package.json', 'package-lock.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials']) {
			fs.cpSync(path.join(REPO, part), path.join(copy, part), { recursive: true });
		}
		change(copy);
		return copy;
	};
	afterEach(() => copy && fs.rmSync(copy, { recursive: true, force: true }));

	test('strict mode is on, n8n-node is pinned, and eslint.config.mjs is exactly the config `n8n-node new` writes', () => {
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.devDependencies['@n8n/node-cli']).toBe('0.48.3');
		expect(normalized(path.join(REPO, 'eslint.config.mjs'))).toBe(normalized(path.join(CLI, 'dist/template/templates/shared/default/eslint.config.mjs')));
		expect(normalized(path.join(REPO, 'eslint.config.mjs'))).toBe("import { config } from '@n8n/node-cli/eslint'; export default config;");
	});

	test('strict mode bites: a copy whose eslint.config.mjs is our stricter config fails n8n-node lint', () => {
		const dir = packageCopy((d) => fs.copyFileSync(path.join(REPO, 'eslint.strict.config.mjs'), path.join(d, 'eslint.config.mjs')));
		const result = n8nNode('lint', '--source', dir);
		expect(result.output).toContain('Strict mode violation: eslint.config.mjs has been modified from the default configuration.');
		expect(result.output).toContain('N8N-NODE FAILED');
		expect(result.status).toBe(1);
	});

	test('n8n-node lint lints the package: a console.log in node code fails it, naming the file and rule', () => {
		const dir = packageCopy((d) => fs.appendFileSync(path.join(d, 'nodes/shared/memory/carried.ts'), 'console.log(CARRIED_PROPERTY);\n'));
		const result = n8nNode('lint', '--source', dir);
		expect(result.output).toMatch(/nodes\/shared\/memory\/carried\.ts\s+\d+:1\s+error\s+Unexpected console statement\s+no-console/);
		expect(result.output).toContain('n8n-node lint failed');
		expect(result.status).toBe(1);
	}, 60_000);

	test('n8n-node build is checked: a copy whose tsconfig.json leaves out the codex files fails, naming them', () => {
		const dir = packageCopy((d) => {
			const tsconfig = path.join(d, 'tsconfig.json');
			fs.writeFileSync(tsconfig, fs.readFileSync(tsconfig, 'utf8').replace(', "nodes/**/*.json"', ''));
		});
		const result = n8nNode('build', '--source', dir);
		expect(result.output).toContain('✓ Build successful');
		expect(result.output).toContain('dist/nodes/Digishare/Digishare.node.json (codex of Digishare.node.js) is missing');
		expect(result.output).toContain('N8N-NODE FAILED');
		expect(result.status).toBe(1);
	}, 120_000);

	test('our stricter config: an eslint-disable comment in node code fails it (inline config off, --max-warnings 0)', () => {
		const eslint = path.join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');
		const source = "// eslint-disable-next-line no-console\nexport const x = 1;\n";
		const args = [eslint, '-c', 'eslint.strict.config.mjs', '--max-warnings', '0', '--stdin', '--stdin-filename', 'nodes/shared/example.ts'];
		const result = run(process.execPath, args, source);
		expect(result.output).toContain("has no effect because you have 'noInlineConfig' setting in your config");
		expect(result.output).toContain('ESLint found too many warnings (maximum: 0)');
		expect(result.status).toBe(1);
		expect(run(process.execPath, args, 'export const x = 1;\n').status).toBe(0);
	}, 30_000);
});

describe('release check (scripts/release-check.js)', () => {
	let root: string;
	const writePackage = (overrides: Record<string, unknown> = {}) =>
		fs.writeFileSync(
			path.join(root, 'package.json'),
			JSON.stringify({ name: 'x', version: '1.2.3', peerDependencies: { 'n8n-workflow': '*' }, scripts: { build: 'tsc' }, ...overrides }),
		);
	const writeChangelog = (text: string) => fs.writeFileSync(path.join(root, 'CHANGELOG.md'), text);
	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'release-check-'));
		writePackage();
		writeChangelog('# Changelog\n\n## [1.2.3] - 2026-12-01\n\n### Fixed\n- the thing\n\n## [1.2.2] - 2026-11-01\n\n- older\n');
	});
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	test('the tag of this repository’s version passes and prints its CHANGELOG section', () => {
		const result = releaseCheck(`v${pkg.version}`);
		expect(result.status).toBe(0);
		expect(result.output).toContain(`release ${pkg.version} (tag v${pkg.version}) is ready`);
		expect(result.output).toContain('### Fixed');
	});

	test('a tag that is not v<version> fails, naming the expected tag', () => {
		const result = releaseCheck('v9.9.9');
		expect(result.status).toBe(1);
		expect(result.output).toContain(`tag "v9.9.9" does not match package.json version ${pkg.version} (expected v${pkg.version})`);
	});

	test('--notes writes only the version’s section, not the older ones', () => {
		const notes = path.join(root, 'notes.md');
		expect(releaseCheck('v1.2.3', '--root', root, '--notes', notes).status).toBe(0);
		expect(fs.readFileSync(notes, 'utf8')).toBe('### Fixed\n- the thing\n');
	});

	test.each([
		['no CHANGELOG section for the version', () => writeChangelog('# Changelog\n\n## [1.2.2] - 2026-11-01\n\n- older\n'), 'CHANGELOG.md has no "## [1.2.3] - YYYY-MM-DD" section'],
		['an empty CHANGELOG section', () => writeChangelog('## [1.2.3] - 2026-12-01\n\n## [1.2.2] - 2026-11-01\n- older\n'), 'CHANGELOG.md section 1.2.3 has no entries'],
		['a runtime dependency', () => writePackage({ dependencies: { axios: '1.0.0' } }), 'package.json has runtime dependencies (axios)'],
		['a postinstall script', () => writePackage({ scripts: { postinstall: 'node x.js' } }), 'package.json has a "postinstall" script'],
		['wider peerDependencies', () => writePackage({ peerDependencies: { 'n8n-workflow': '*', 'n8n-core': '*' } }), 'peerDependencies must be exactly {"n8n-workflow": "*"}'],
	])('%s fails', (_title, breakIt, message) => {
		breakIt();
		const result = releaseCheck('v1.2.3', '--root', root);
		expect(result.status).toBe(1);
		expect(result.output).toContain(message);
	});
});

describe('GitHub workflows (.github/workflows)', () => {
	const workflowsDir = path.join(REPO, '.github', 'workflows');
	const files = fs.readdirSync(workflowsDir).filter((file) => file.endsWith('.yml'));
	const validator = path.join(REPO, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

	test.each(files)('%s is a valid workflow (action-validator: the GitHub workflow schema)', (file) => {
		const result = run(process.execPath, [validator, path.join(workflowsDir, file)]);
		expect(result.output).toBe('');
		expect(result.status).toBe(0);
	});

	test('the validator rejects a broken workflow', () => {
		const broken = path.join(os.tmpdir(), `broken-workflow-${process.pid}.yml`);
		fs.writeFileSync(broken, 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n');
		const result = run(process.execPath, [validator, broken]);
		fs.rmSync(broken);
		expect(result.status).toBe(1);
		expect(result.output).toContain("Additional property 'stepz' is not allowed");
	});

	describe('release.yml', () => {
		type Step = { name?: string; run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string>; id?: string };
		type Job = { needs?: string; permissions?: Record<string, string>; steps: Step[] };
		const workflow = parseYaml(fs.readFileSync(path.join(workflowsDir, 'release.yml'), 'utf8')) as {
			on: { push: { tags: string[] } };
			permissions: Record<string, string>;
			jobs: { verify: Job; publish: Job };
		};
		const { verify, publish } = workflow.jobs;
		const runs = (job: Job) => job.steps.map((step) => step.run ?? '');
		const indexOf = (job: Job, pattern: RegExp) => runs(job).findIndex((command) => pattern.test(command));

		test('runs on v* tags; read-only by default', () => {
			expect(workflow.on.push.tags).toEqual(['v*']);
			expect(workflow.permissions).toEqual({ contents: 'read' });
		});

		test('publishing waits for the release check and the whole CI', () => {
			expect(runs(verify)).toEqual(expect.arrayContaining(['node scripts/release-check.js "$GITHUB_REF_NAME"', 'bash .ci/run']));
			expect(publish.needs).toBe('verify');
		});

		test('publishes with provenance through GitHub’s OIDC token, from the registry setup-node points at', () => {
			expect(publish.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
			const setupNode = publish.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
			expect(setupNode?.with).toMatchObject({ 'registry-url': 'https://registry.npmjs.org' });
			expect(runs(publish).filter((command) => command.startsWith('npm publish'))).toEqual([
				'npm publish "${{ steps.pack.outputs.tarball }}" --provenance --access public',
			]);
		});

		test('the published tarball is the one it packed after the build and pack check, and scanned', () => {
			const pack = publish.steps.find((step) => step.id === 'pack');
			expect(pack?.run).toMatch(/npm pack --json --ignore-scripts --pack-destination "\$RUNNER_TEMP"/);
			const build = indexOf(publish, /^npm run build$/);
			const checkPack = indexOf(publish, /^node scripts\/check-pack\.js$/);
			const packed = publish.steps.indexOf(pack!);
			const scanned = indexOf(publish, /^node scripts\/scan\.mjs --source \. --tarball "\$\{\{ steps\.pack\.outputs\.tarball \}\}"$/);
			const published = indexOf(publish, /^npm publish /);
			expect([build, checkPack, packed, scanned, published].every((index) => index >= 0)).toBe(true);
			expect([build, checkPack, packed, scanned, published]).toEqual([...[build, checkPack, packed, scanned, published]].sort((a, b) => a - b));
		});

		test('the GitHub release carries the CHANGELOG section of the version', () => {
			expect(indexOf(publish, /release-check\.js "\$GITHUB_REF_NAME" --notes "\$RUNNER_TEMP\/notes\.md"/)).toBeGreaterThanOrEqual(0);
			expect(runs(publish).some((command) => command.includes('gh release create') && command.includes('--notes-file "$RUNNER_TEMP/notes.md"'))).toBe(true);
		});
	});
});
