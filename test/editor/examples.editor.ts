/**
 * Every workflow in examples/ as a user opens it: imported with only its credentials chosen (the
 * sandbox credentials its e2e spec names, plus the choices the spec makes as a user would, e.g.
 * which AI agent), then opened in the editor: every node is on the canvas and none is in an error
 * state (n8n's issue mark: a missing parameter, credential or connection).
 */
import * as fs from 'fs';
import * as path from 'path';

import { REPO, createCredential, importWorkflow, loadExample, loadProviders, type CreatedCredential } from '../e2e/context';
import type { ExampleSpec, ProviderE2E } from '../e2e/provider-spec';
import { screenshot } from './browser';
import { editorSuite, noConsoleErrors } from './suite';

const examples = fs.readdirSync(path.join(REPO, 'examples')).filter((file) => file.endsWith('.json')).sort();
const providers = loadProviders();

function specOf(file: string): { provider: ProviderE2E; example: ExampleSpec } | undefined {
	for (const provider of providers) {
		const example = provider.examples.find((candidate) => candidate.file === file && !candidate.workflow);
		if (example) return { provider, example };
	}
	return undefined;
}

const suite = editorSuite();

test.each(examples)('%s opens with every node on the canvas and none in an error state', async (file) => {
	const found = specOf(file);
	if (!found) throw new Error(`examples/${file} has no ExampleSpec in test/e2e/providers/: say which credentials it uses there`);
	const { provider, example } = found;
	const byType: Record<string, CreatedCredential> = {};
	for (const [type, key] of Object.entries(example.credentials)) {
		const spec = provider.credentials.find((candidate) => candidate.key === key);
		if (!spec) throw new Error(`${provider.name}: no credential "${key}"`);
		byType[type] = await createCredential(type, `${spec.name} (editor, ${file})`, spec.data(suite.sandbox));
	}
	const workflowFile = loadExample(file);
	example.prepare?.(workflowFile, suite.sandbox);
	const workflow = await importWorkflow(workflowFile, byType);

	const { page } = suite.session;
	await page.goto(`/workflow/${workflow.id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.waitForLoadState('networkidle');
	await screenshot(page, `example-${file}`);
	const onCanvas = await page.$$eval('[data-test-id="canvas-node"]', (elements) => elements.map((element) => element.getAttribute('data-node-name')));
	// Sticky notes are drawn apart from nodes.
	expect(onCanvas.sort()).toEqual(workflowFile.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => node.name).sort());
	const inError = await page.$$eval('[data-test-id="canvas-node"]', (elements) =>
		elements.filter((element) => element.querySelector('[data-test-id="node-issues"]')).map((element) => element.getAttribute('data-node-name')),
	);
	expect({ example: file, nodesInError: inError }).toEqual({ example: file, nodesInError: [] });
});

noConsoleErrors(suite, 'opening the examples');
