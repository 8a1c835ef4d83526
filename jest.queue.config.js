/**
 * End-to-end suite in n8n queue mode (see test/e2e-queue/README.md): Redis, PostgreSQL, n8n
 * main, two webhook processors and a worker, each with the packed package installed, started
 * once for all files by test/e2e-queue/global-setup.js and stopped by global-teardown.js.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e-queue', '<rootDir>/test/e2e'],
	// The queue-mode files, and the regular e2e suite's provider examples and side-by-side
	// triggers, unchanged: test/e2e/context.ts sends production webhooks to the webhook processors.
	testMatch: ['**/test/e2e-queue/**/*.e2e.ts', '**/test/e2e/providers.e2e.ts', '**/test/e2e/triggers.e2e.ts'],
	// One n8n cluster for the whole run; files share it, so they run one after another.
	maxWorkers: 1,
	testTimeout: 120000,
	reporters: ['default', ['<rootDir>/test/e2e/summary-reporter.js', { label: 'e2e-queue' }]],
	globalSetup: '<rootDir>/test/e2e-queue/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e-queue/global-teardown.js',
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
};
