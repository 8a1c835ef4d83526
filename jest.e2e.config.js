/**
 * End-to-end suite: the packed package installed into a real n8n (see test/e2e/README.md).
 * `npm run test:e2e` builds first; global-setup installs n8n into the cache if needed
 * (scripts/lib/n8n-install.js), packs and installs this package, and starts n8n once for all
 * files; global-teardown stops its process group and removes the temp folder.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	// One n8n for the whole run; files share it, so they run one after another.
	maxWorkers: 1,
	testTimeout: 60000,
	reporters: ['default', ['<rootDir>/test/e2e/summary-reporter.js', { label: 'e2e' }]],
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
};
