/**
 * Every trigger type of the package, side by side in one real n8n: several workflows with the same
 * trigger (each only the trigger, with its own webhook ID, as n8n's Duplicate gives it, and the
 * credential the spec names, created once from the provider's `credentials`) are activated one after another, and after each activation every delivery of the trigger's spec
 * (test/e2e/providers/*.ts `triggers`) is sent to every active copy. Each delivery must get the
 * provider's answer and start exactly one execution — in its own workflow, never in another.
 *
 * n8n stores production webhooks by (path, method) for the whole instance; a trigger whose path
 * is the same in every workflow registers only in the first one, and the others answer 404.
 */
import { randomUUID } from 'crypto';
import { startSandbox, type Sandbox } from '../sandbox';
import {
	PACKAGE,
	activate,
	createCredential,
	deactivate,
	eventually,
	executions,
	importWorkflow,
	loadProviders,
	n8nLogTail,
	nodeOutput,
	webhookBase,
	type CreatedCredential,
	type ImportedWorkflow,
} from './context';
import type { ProviderE2E, TriggerCopy, TriggerE2E } from './provider-spec';

const providers = loadProviders();
const specs = providers.flatMap((provider) => (provider.triggers ?? []).map((spec) => [provider, spec] as const));

/**
 * Every webhook trigger in package.json's `n8n.nodes` (group `trigger` with webhooks), by type name.
 * Polling triggers (LiveChatAI) register no webhooks: n8n keeps any number of them apart by itself.
 */
function packageTriggers(): string[] {
	const { packageNodeTypes } = require('../../scripts/lib/n8n-run') as typeof import('../../scripts/lib/n8n-run');
	return Object.values(packageNodeTypes())
		.filter((description) => (description as { group?: string[] }).group?.includes('trigger'))
		.filter((description) => Boolean((description as { webhooks?: unknown[] }).webhooks?.length))
		.map((description) => description.name)
		.sort();
}

test('every trigger type of the package has a side-by-side spec', () => {
	expect(specs.map(([, spec]) => spec.type).sort()).toEqual(packageTriggers());
	for (const [, spec] of specs) expect(spec.copies).toBeGreaterThanOrEqual(2);
});

describe.each(specs.map(([provider, spec]) => [spec.type, provider.name, provider, spec] as const))('%s (%s) in several workflows at once', (type, _name, provider: ProviderE2E, spec: TriggerE2E) => {
	const nodeName = `${type} side by side`;
	let sandbox: Sandbox;
	const workflows: ImportedWorkflow[] = [];
	/** What each workflow must have run so far: the expected trigger items, by workflow ID. */
	const expected = new Map<string, Array<Record<string, unknown>>>();
	/** The trigger's credentials (spec.credentials), created from the provider's specs: by credential type. */
	const credentials: Record<string, CreatedCredential> = {};

	beforeAll(async () => {
		sandbox = await startSandbox();
		for (const [credentialType, key] of Object.entries(spec.credentials ?? {})) {
			const credential = provider.credentials.find((candidate) => candidate.key === key);
			if (!credential) throw new Error(`${provider.name}: the ${type} spec names credential "${key}", which is not in its credentials`);
			if (credential.type !== credentialType) throw new Error(`${provider.name}: credential "${key}" is a ${credential.type}, not a ${credentialType}`);
			credentials[credentialType] = await createCredential(credential.type, `${credential.name} (side by side)`, credential.data(sandbox));
		}
	});
	afterAll(async () => {
		for (const workflow of workflows) await deactivate(workflow.id).catch(() => undefined);
		await sandbox?.close();
	});

	const addCopy = async () => {
		const number = workflows.length + 1;
		const workflow = await importWorkflow(
			{
				name: `Side by side: ${type} #${number}`,
				nodes: [
					{
						id: randomUUID(),
						name: nodeName,
						type: `${PACKAGE.name}.${type}`,
						typeVersion: 1,
						position: [0, 0],
						parameters: spec.parameters,
						webhookId: randomUUID(),
						...(Object.keys(credentials).length
							? { credentials: Object.fromEntries(Object.entries(credentials).map(([credentialType, c]) => [credentialType, { id: c.id, name: c.name }])) }
							: {}),
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			},
			credentials,
		);
		const activated = await activate(workflow);
		expect(activated.active).toBe(true);
		workflows.push(workflow);
		expected.set(workflow.id, []);
	};

	const copyOf = (workflow: ImportedWorkflow, index: number, round: string): TriggerCopy => ({
		webhookBase: `${webhookBase()}/webhook/${workflow.node(nodeName).webhookId}`,
		tag: `c${index + 1}${round}`,
		round,
	});

	const rounds = Array.from({ length: spec.copies - 1 }, (_, i) => i + 2);
	test.each(rounds)('%i workflows active: every delivery to each reaches its own workflow, none another', async (count) => {
		try {
			while (workflows.length < count) await addCopy();
			const round = `r${count}x${Date.now().toString(36)}`;
			for (const delivery of spec.deliveries) {
				for (const [index, workflow] of workflows.entries()) {
					const copy = copyOf(workflow, index, round);
					const answer = await delivery.send(sandbox, copy);
					expect({ delivery: delivery.title, copy: index + 1, answer: { status: answer.status, body: answer.body } }).toEqual({
						delivery: delivery.title,
						copy: index + 1,
						answer: delivery.answer,
					});
					expected.get(workflow.id)!.push(delivery.item(copy));
				}
			}

			const total = [...expected.values()].reduce((sum, items) => sum + items.length, 0);
			const ran = await eventually(`${total} finished executions across ${workflows.length} workflows`, async () => {
				const lists = await Promise.all(workflows.map(async (workflow) => [workflow.id, await executions(workflow.id)] as const));
				const all = lists.flatMap(([, list]) => list);
				const done = all.every((execution) => execution.status !== 'running' && execution.status !== 'new');
				return all.length >= total && done ? new Map(lists) : undefined;
			});
			for (const workflow of workflows) {
				const list = ran.get(workflow.id)!;
				const items = list.flatMap((execution) => nodeOutput(execution, nodeName));
				const wanted = expected.get(workflow.id)!;
				expect({ workflow: workflow.file.name, executions: list.length, statuses: [...new Set(list.map((e) => e.status))] }).toEqual({
					workflow: workflow.file.name,
					executions: wanted.length,
					statuses: ['success'],
				});
				for (const item of wanted) expect(items).toContainEqual(expect.objectContaining(item));
			}
		} catch (error) {
			(error as Error).message += `\n--- n8n log (last lines) ---\n${n8nLogTail(30)}`;
			throw error;
		}
	}, 240000);
});
