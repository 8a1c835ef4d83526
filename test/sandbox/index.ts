/**
 * Public entry of the provider sandbox, for the tests and for tools outside test/ (bench/,
 * `npm run dev`; plain-JS scripts load it with scripts/lib/ts-require.js). Nothing outside
 * test/ imports other files of test/.
 */
import type * as Engine from '../harness';

export { startSandbox, Sandbox, startFakeServer, FakeServer } from './server';
export type { SandboxOptions, FakeServerOptions, FakeHandler } from './server';
export * from './types';
export { defaultProviders } from './providers';
export * from './providers/digishare';
export * from './providers/omnidesk';
export * from './providers/livechatai';
export * from './providers/liveperson';
export * from './providers/openai';
export * from './providers/shop';
export { parseMultipart, parseBody, parseQuery, parseUrlEncoded, parseHeaderValue, expandBracketKeys } from './http-utils';
export { Validator, messages as validationMessages } from './validation';
export type { AnyNodeType } from '../harness';

/**
 * n8n's engine as the unit suite runs our nodes in it (test/harness: runWorkflow, callWebhook,
 * CredentialsStore, the deduplicator, …), for the bench. Loaded on the first call, so the
 * sandbox alone (`npm run dev`, the e2e suites) never loads n8n-core.
 */
export function engine(): typeof Engine {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('../harness') as typeof Engine;
}
