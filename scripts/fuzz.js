#!/usr/bin/env node
// The long fuzz run of the triggers (test/fuzz/triggers.fuzz.test.ts): 10,000 cases per trigger
// with a fixed seed, then the table of what was tried (trigger × property: cases, status codes).
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
const result = spawnSync(process.execPath, [jest, '--runInBand', 'test/fuzz/triggers.fuzz.test.ts', ...args], {
	cwd: path.join(__dirname, '..'),
	stdio: 'inherit',
	env: { ...process.env, FUZZ_RUNS: runs, FUZZ_REPORT: '1' },
});
process.exit(result.status ?? 1);
