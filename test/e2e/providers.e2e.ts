/**
 * Every provider in test/e2e/providers/*.ts, against the real n8n: a provider sandbox on
 * 127.0.0.1, credentials created through the public API, each credential test run through
 * the editor's endpoint, and each example workflow imported (credential references replaced, and
 * the choices it leaves to the user made by its `prepare`), activated and driven through its production webhook URL.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import {
	activate,
	createCredential,
	deactivate,
	importWorkflow,
	loadExample,
	loadProviders,
	n8nLogTail,
	testCredential,
	type CreatedCredential,
	type ImportedWorkflow,
} from './context';

const providers = loadProviders();

test('at least one provider is covered', () => {
	expect(providers.length).toBeGreaterThan(0);
});

describe.each(providers.map((p) => [p.name, p] as const))('%s in n8n', (_name, provider) => {
	let sandbox: Sandbox;
	const credentials: Record<string, CreatedCredential> = {};
	const dataOf: Record<string, Record<string, unknown>> = {};

	beforeAll(async () => {
		sandbox = await startSandbox();
		for (const spec of provider.credentials) {
			dataOf[spec.key] = spec.data(sandbox);
			credentials[spec.key] = await createCredential(spec.type, spec.name, dataOf[spec.key]);
		}
	});
	afterAll(async () => {
		await sandbox?.close();
	});

	describe('credential test (the editor\'s Test button)', () => {
		if (!provider.credentialTests.length) return;
		test.each(provider.credentialTests.map((t) => [t.title, t] as const))('%s', async (_title, spec) => {
			sandbox.reset();
			let credential: CreatedCredential;
			let data: Record<string, unknown>;
			if (typeof spec.credential === 'string') {
				credential = credentials[spec.credential];
				data = dataOf[spec.credential];
			} else {
				data = spec.credential.data(sandbox);
				credential = await createCredential(spec.credential.type, spec.credential.name, data);
			}
			const result = await testCredential(credential, spec.data ? spec.data(sandbox) : data);
			expect(result.status).toBe(spec.expect.status);
			if (spec.expect.message) expect(result.message).toMatch(spec.expect.message);
			await spec.verify?.(sandbox);
		});
	});

	describe.each(provider.examples.map((e) => [e.file, e] as const))('example %s', (_file, example) => {
		const skipped = example.skip?.();
		if (skipped) {
			test.skip(skipped, () => undefined);
			return;
		}
		let workflow: ImportedWorkflow;

		beforeAll(async () => {
			sandbox.reset();
			const byType: Record<string, CreatedCredential> = {};
			for (const [type, key] of Object.entries(example.credentials)) byType[type] = credentials[key];
			const file = example.workflow ? example.workflow() : loadExample(example.file);
			example.prepare?.(file, sandbox);
			workflow = await importWorkflow(file, byType);
			const activated = await activate(workflow);
			expect(activated.active).toBe(true);
		}, 120000); // activation waits for n8n to register the webhooks (up to 90 s)
		afterAll(async () => {
			if (workflow) await deactivate(workflow.id);
		});

		test.each(example.scenarios.map((s) => [s.title, s] as const))('%s', async (_title, scenario) => {
			try {
				await scenario.run({ sandbox, workflow, credentials });
			} catch (error) {
				(error as Error).message += `\n--- n8n log (last lines) ---\n${n8nLogTail(30)}`;
				throw error;
			}
		});
	});
});
