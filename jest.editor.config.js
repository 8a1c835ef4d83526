/**
 * Editor suite: what users see in n8n's editor, in Debian's Chromium driven headless by
 * playwright-core, against the same real n8n as the e2e suite (its global setup and teardown:
 * the packed package installed as a community package). See test/editor/README.md.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.editor.ts'],
	// One n8n and one browser at a time.
	maxWorkers: 1,
	testTimeout: 120000,
	reporters: ['default', ['<rootDir>/test/e2e/summary-reporter.js', { label: 'editor' }]],
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.editor.json' }],
	},
};
