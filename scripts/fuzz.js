#!/usr/bin/env node
// The long reliability run (issue 12), with its tables:
//   1. the triggers' fuzz suite (test/fuzz/triggers.fuzz.test.ts): 10,000 cases per trigger with a
//      fixed seed, then the table of what was tried (trigger × property: cases, status codes);
//   2. the reliability suites (test/reliability): concurrency, redelivery and big bodies per trigger
//      with their answer times; the action nodes' fault campaign with its duplicate-send and
//      secret-scan counts; files at the limits; the bad-parameter campaign's case table.
//
//   npm run fuzz                    10,000 cases per trigger, seed of the test file
//   npm run fuzz -- --runs 50000    more cases
//   FUZZ_SEED=42 npm run fuzz       other cases (the failing seed and path are printed)
const { spawnSync } = require('child_process');
const path = require('path');

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? args.splice(runsAt, 2)[1] : (process.env.FUZZ_RUNS ?? '10000');
const jest = require.resolve('jest/bin/jest');

function run(label, testPaths, env) {
	process.stdout.write(`\n=== ${label}\n`);
	const result = spawnSync(process.execPath, [jest, '--runInBand', ...testPaths, ...args], {
		cwd: path.join(__dirname, '..'),
		stdio: 'inherit',
		env: { ...process.env, ...env },
	});
	return result.status ?? 1;
}

const fuzz = run(`fuzz: ${runs} cases per trigger`, ['test/fuzz/triggers.fuzz.test.ts'], { FUZZ_RUNS: runs, FUZZ_REPORT: '1' });
const reliability = run('reliability suites: concurrency, redelivery, faults, secrets, files, parameters', ['test/reliability'], {
	RELIABILITY_REPORT: '1',
});
process.exit(fuzz || reliability);
