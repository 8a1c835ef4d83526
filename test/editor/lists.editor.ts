/**
 * Every list a user picks from (n8n's resource locators in "From list" mode, and option lists
 * loaded from the provider), opened through the UI against the sandbox: the entries are the
 * provider's; with a credential the provider refuses, the list shows the provider's reason instead
 * of entries. The lists are found in the node descriptions, so a new one is covered or fails here.
 */
import type { INodeProperties } from 'n8n-workflow';

import { LIVECHATAI_API_KEY, type Sandbox } from '../sandbox';
import { createCredential, type CreatedCredential } from '../e2e/context';
import { createWorkflow, openNode, screenshot } from './browser';
import { BROKEN, editorSuite, noConsoleErrors } from './suite';
import { packageNodes, packagePanels, type PackageNode, type Panel } from './panels';

/** What each list must show from the sandbox: its credential, and the entries' names. */
const LISTS: Record<string, { credential: (sandbox: Sandbox, good: boolean) => { type: string; data: Record<string, unknown> }; entries: string[]; refused: RegExp }> = {
	searchAgents: {
		credential: (sandbox, good) => ({ type: 'liveChatAiApi', data: { apiKey: good ? LIVECHATAI_API_KEY : 'lcai_wrong_key', baseUrl: sandbox.baseUrl('livechatai') } }),
		entries: ['Support Bot', 'Sales Assistant', 'Legacy FAQ'],
		refused: /401|unauthori[sz]ed|api key/i,
	},
};

interface ListCase {
	title: string;
	node: PackageNode;
	panel: Panel;
	property: INodeProperties;
	method: string;
}

/** One case per node and list method (the first panel that shows it). */
function listCases(): ListCase[] {
	const nodes = packageNodes();
	const cases: ListCase[] = [];
	const seen = new Set<string>();
	for (const panel of packagePanels(nodes)) {
		for (const property of panel.node.description.properties) {
			const method =
				(property.modes ?? []).find((mode) => mode.type === 'list')?.typeOptions?.searchListMethod ?? property.typeOptions?.loadOptionsMethod;
			if (!method || !(property.name in panel.filled)) continue;
			const key = `${panel.node.type} ${method}`;
			if (seen.has(key)) continue;
			seen.add(key);
			cases.push({ title: `${panel.node.description.displayName}: ${property.displayName} (${method})`, node: panel.node, panel, property, method });
		}
	}
	return cases;
}

const cases = listCases();
const suite = editorSuite();
/** Workflows whose list was refused on purpose: n8n answers their list request with 500 and the browser logs it. */
const refusedWorkflows = new Set<string>();

test('the package has lists, and each has its expectations in LISTS', () => {
	expect(cases.length).toBeGreaterThan(0);
	expect(cases.filter((entry) => !LISTS[entry.method]).map((entry) => entry.title)).toEqual([]);
});

for (const good of [true, false]) {
	test.each(cases.map((entry) => [entry.title, entry] as const))(
		good ? '%s: loads the provider\'s entries' : '%s: with a refused credential, shows the reason',
		async (title, { node, panel, property, method }) => {
			const expected = LISTS[method];
			// The deliberate break: the good credential gets a wrong key.
			const { type, data } = expected.credential(suite.sandbox, good && BROKEN !== 'list');
			const credential: CreatedCredential = await createCredential(type, `${title} (${good ? 'sandbox' : 'refused'})`, data);
			const value = property.type === 'resourceLocator' ? { __rl: true, mode: 'list', value: '' } : '';
			const { page } = suite.session;
			const workflow = await createWorkflow(page, `Editor suite: ${title}`, [
				{
					id: 'list',
					name: node.description.displayName,
					type: node.type,
					typeVersion: node.version,
					position: [0, 0],
					parameters: { ...panel.filled, [property.name]: value },
					credentials: { [type]: { id: credential.id, name: credential.name } },
				},
			]);
			await openNode(page, workflow.id, 'list');
			const locator = page.locator(`[data-test-id="resource-locator-${property.name}"]`);
			await locator.locator('[data-test-id="rlc-input"]').click();
			if (good) {
				const items = page.locator('[data-test-id="rlc-item"]');
				await items.first().waitFor({ timeout: 15000 });
				await screenshot(page, `list-${title}`);
				expect((await items.allInnerTexts()).map((text) => text.trim())).toEqual(expected.entries);
			} else {
				refusedWorkflows.add(workflow.id);
				// n8n shows the failure in place of the entries: "Could not load list" and the node's error.
				await locator.getByText(/Could not load list/).waitFor({ timeout: 15000 });
				await screenshot(page, `list-${title}-refused`);
				expect(await locator.innerText()).toMatch(expected.refused);
				expect(await page.locator('[data-test-id="rlc-item"]').count()).toBe(0);
			}
		},
	);
}

noConsoleErrors(
	suite,
	'loading lists (but the refused lists\' own failed request: n8n answers it with 500)',
	(entry) => entry.url.endsWith('/rest/dynamic-node-parameters/resource-locator-results') && [...refusedWorkflows].some((id) => entry.at.includes(`/workflow/${id}/`)),
);
