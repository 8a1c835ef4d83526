/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
	// test/harness/*: one temp n8n user folder per run, env for n8n-core before it loads
	globalSetup: '<rootDir>/test/harness/global-setup.js',
	globalTeardown: '<rootDir>/test/harness/global-teardown.js',
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/fresh-process.ts'],
	transform: {
		// tsconfig.test.json sets isolatedModules: ts-jest transpiles each file on its own
		// (fast; no type-check of n8n's large typings on every run). Type-check with
		// `npx tsc -p tsconfig.test.json --noEmit`.
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
};
