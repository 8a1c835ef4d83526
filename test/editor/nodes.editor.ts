/**
 * Every node of the package as a user meets it in n8n's editor: found in the node panel by its
 * name and its provider, with its icon in the light and the dark theme; its panel opened from the
 * URL for every resource × operation, with no parameter issue when filled correctly and n8n's issue
 * on the right field when a required one is empty; the notices the panel shows. A screenshot of
 * each panel is kept in .e2e/editor/ (not compared).
 */
import { createCredential, loadProviders, type CreatedCredential } from '../e2e/context';
import { PROVIDER_ENTRIES } from '../../nodes/providers';
import { createWorkflow, noticesShown, openEditor, openNode, parametersWithIssues, screenshot, unexpectedErrors, type EditorSession } from './browser';
import { BROKEN, editorSuite, noConsoleErrors } from './suite';
import { packageNodes, packagePanels, type Panel } from './panels';

const nodes = packageNodes();
const panels = packagePanels(nodes);

/** Credential type → the credential every panel of that type uses. */
const credentials: Record<string, CreatedCredential> = {};
/** Panel title → workflow ID and the node IDs of its filled and empty copy. */
const placed = new Map<string, { workflowId: string; filled: string; empty?: string }>();
/** A workflow holding only a Manual Trigger: where the node panel offers action nodes ("What happens next?"). */
let searchWorkflowId: string;

const suite = editorSuite(async ({ sandbox, session }) => {
	for (const provider of loadProviders()) {
		for (const spec of provider.credentials) {
			if (credentials[spec.type]) continue;
			credentials[spec.type] = await createCredential(spec.type, `${spec.name} (editor)`, spec.data(sandbox));
		}
	}
	// One workflow per node type, holding each of its panels as a filled node and an emptied one.
	for (const node of nodes) {
		const own = panels.filter((panel) => panel.node === node);
		const workflowNodes: Array<Record<string, unknown>> = [];
		own.forEach((panel, index) => {
			const credentialsOfNode = Object.fromEntries(
				(node.description.credentials ?? [])
					.filter((credential) => credentials[credential.name])
					.map((credential) => [credential.name, { id: credentials[credential.name].id, name: credentials[credential.name].name }]),
			);
			const base = { type: node.type, typeVersion: node.version, credentials: credentialsOfNode };
			const ids = { filled: `filled-${index}`, empty: panel.empty ? `empty-${index}` : undefined };
			// The deliberate break: the first panel with a required field gets it empty in its "filled" node.
			const broken = BROKEN === 'parameter' && panel.empty && panel === own.find((candidate) => candidate.empty);
			workflowNodes.push({ ...base, id: ids.filled, name: panel.title, position: [index * 300, 0], parameters: broken ? panel.empty!.parameters : panel.filled });
			if (panel.empty) workflowNodes.push({ ...base, id: ids.empty, name: `${panel.title} (empty ${panel.empty.name})`, position: [index * 300, 300], parameters: panel.empty.parameters });
			placed.set(panel.title, { workflowId: '', ...ids });
		});
		const created = await createWorkflow(session.page, `Editor suite: ${node.description.displayName}`, workflowNodes);
		for (const panel of own) placed.get(panel.title)!.workflowId = created.id;
	}
	searchWorkflowId = (
		await createWorkflow(session.page, 'Editor suite: node search', [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		])
	).id;
});

describe('the node panel (search) finds every node by its name and its provider, with its icon', () => {
	const searches = nodes
		.filter((node) => !node.trigger)
		.flatMap((node) => {
			const provider = PROVIDER_ENTRIES.find((candidate) => candidate.folder === node.folder);
			const queries = [node.description.displayName, provider?.displayName].filter((query): query is string => !!query);
			return [...new Set(queries)].map((query) => [node.description.displayName, query, node] as const);
		});

	test.each(searches)('%s, searched as "%s": listed, and its actions are its operations', async (displayName, query, node) => {
		const { page } = suite.session;
		await page.goto(`/workflow/${searchWorkflowId}`);
		await page.click('[data-test-id="node-creator-plus-button"]');
		await page.locator('[data-test-id="node-creator-search-bar"]').fill(query);
		const item = page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-node-item"], [data-test-id="node-creator"] [data-test-id="item-iterator-item"]').filter({
			has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${displayName}$`) }),
		});
		await item.first().waitFor({ state: 'visible', timeout: 10000 });
		await item.first().click();
		const expected = node.description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => (property.options ?? []) as Array<{ action?: string; name: string }>)
			.map((option) => option.action ?? option.name);
		// The node's actions replace the search results: one entry per operation, under its resource.
		const entries = page.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]');
		await entries.filter({ hasText: expected[0] }).first().waitFor({ timeout: 10000 });
		const actions = (await entries.allInnerTexts()).map((text) => text.split('\n')[0].trim());
		for (const action of expected) expect(actions).toContain(action);
		await screenshot(page, `search-${displayName}-${query}`);
	});
	test.each(nodes.filter((node) => node.trigger).map((node) => [node.description.displayName, node] as const))(
		'%s: listed when a new workflow asks "What triggers this workflow?"',
		async (displayName, node) => {
			const { page } = suite.session;
			await page.goto('/workflow/new');
			await page.click('[data-test-id="canvas-plus-button"]');
			const appName = displayName.replace(/ Trigger$/, '');
			await page.locator('[data-test-id="node-creator-search-bar"]').fill(appName);
			const item = page
				.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]')
				.filter({ has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${appName}$`) }) });
			await item.first().waitFor({ state: 'visible', timeout: 10000 });
			// n8n 2.x shows the trigger's description under its name; 1.x the name alone.
			const [name, ...rest] = (await item.first().innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
			expect(name).toBe(appName);
			if (rest.length) expect(rest.join(' ')).toContain(node.description.description.slice(0, 30));
		},
	);
});

describe('icons render in the light and the dark theme', () => {
	for (const theme of ['light', 'dark'] as const) {
		test(`${theme}: every node's icon in the node panel loads (${theme === 'dark' ? 'the .dark.svg' : 'the light svg'})`, async () => {
			const themed = await openEditor({ theme });
			try {
				const { page } = themed;
				await page.goto(`/workflow/${searchWorkflowId}`);
				await page.click('[data-test-id="node-creator-plus-button"]');
				for (const node of nodes.filter((candidate) => !candidate.trigger)) {
					await page.locator('[data-test-id="node-creator-search-bar"]').fill(node.description.displayName);
					const icon = page
						.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]')
						.filter({ has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${node.description.displayName}$`) }) })
						.first()
						.locator('img')
						.first();
					await icon.waitFor();
					await page.waitForFunction((image) => (image as HTMLImageElement).complete, await icon.elementHandle(), { timeout: 10000 });
					expect({ node: node.description.displayName, loaded: await icon.evaluate((image: HTMLImageElement) => image.naturalWidth > 0) }).toEqual({ node: node.description.displayName, loaded: true });
					const source = await icon.getAttribute('src');
					const iconFile = (node.description.icon as { light: string; dark: string })[theme].replace(/^file:/, '');
					expect({ node: node.description.displayName, file: source?.split('/').pop() }).toEqual({ node: node.description.displayName, file: iconFile });
				}
				await screenshot(page, `icons-${theme}`);
				expect(unexpectedErrors(themed.errors)).toEqual([]);
			} finally {
				await themed.close();
			}
		});
	}
});

describe('every panel: no issue when filled, n8n\'s issue on the emptied required field, its notices', () => {
	test.each(panels.map((panel) => [panel.title, panel] as const))('%s', async (title, panel: Panel) => {
		const { page } = suite.session;
		const where = placed.get(title)!;
		await openNode(page, where.workflowId, where.filled);
		await screenshot(page, `panel-${title}`);
		expect({ panel: title, issues: await parametersWithIssues(page) }).toEqual({ panel: title, issues: [] });
		const notices = await noticesShown(page);
		expect(notices.length).toBe(panel.notices.length);
		for (const notice of panel.notices) expect(notices.some((shown) => normalize(shown).startsWith(normalize(notice).slice(0, 60)))).toBe(true);
		// A notice that points "below" or "above" must point at a field that is there in this panel.
		for (const notice of notices) {
			if (!/\b(below|above)\b/.test(notice)) continue;
			const pointer = NOTICE_POINTERS.find((candidate) => candidate.phrase.test(notice));
			expect({ notice, pointer: pointer ? 'listed' : 'not in NOTICE_POINTERS' }).toEqual({ notice, pointer: 'listed' });
			expect({ notice, field: pointer!.label, is: await whereIs(page, notice, pointer!.label) }).toEqual({ notice, field: pointer!.label, is: pointer!.where });
		}

		if (where.empty && panel.empty) {
			await openNode(page, where.workflowId, where.empty);
			expect({ panel: title, issues: await parametersWithIssues(page) }).toEqual({ panel: title, issues: [panel.empty.name] });
		}
	});
});

noConsoleErrors(suite, 'searching nodes and opening every panel');

/** Every notice that says where a field is: the field's label as the panel shows it, and where it must be. */
const NOTICE_POINTERS: Array<{ phrase: RegExp; label: string; where: 'above' | 'below' }> = [
	{ phrase: /each event type you select below/, label: 'Events', where: 'below' },
	{ phrase: /one webhook per event you select below/, label: 'Events', where: 'below' },
	{ phrase: /at the Poll Times set above/, label: 'Poll Times', where: 'above' },
];

/** Whether the field labelled `label` is above or below the notice in the open panel (or missing). */
async function whereIs(page: EditorSession['page'], notice: string, label: string): Promise<'above' | 'below' | 'missing'> {
	return await page.evaluate(
		([noticeText, fieldLabel]) => {
			const panel = document.querySelector('[data-test-id="ndv"] [data-test-id="node-parameters"]');
			if (!panel) return 'missing';
			const box = [...panel.querySelectorAll('.notice')].find((element) => (element as HTMLElement).innerText.trim() === noticeText);
			const field = [...panel.querySelectorAll('label, [data-test-id="input-label"], [class*="title"]')].find(
				(element) => (element as HTMLElement).innerText.trim().replace(/\s*\*$/, '') === fieldLabel,
			);
			if (!box || !field) return 'missing';
			return field.getBoundingClientRect().top < box.getBoundingClientRect().top ? 'above' : 'below';
		},
		[notice, label] as const,
	);
}

function normalize(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}
