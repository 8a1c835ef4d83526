/** Public entry point of the provider sandbox. */
export { startSandbox, Sandbox, startFakeServer, FakeServer } from './server';
export type { SandboxOptions, FakeServerOptions, FakeHandler } from './server';
export * from './types';
export { defaultProviders } from './providers';
export * from './providers/digishare';
export * from './providers/omnidesk';
export * from './providers/livechatai';
export * from './providers/liveperson';
export { parseMultipart, parseBody, parseQuery, parseUrlEncoded, parseHeaderValue, expandBracketKeys } from './http-utils';
export { Validator, messages as validationMessages } from './validation';
