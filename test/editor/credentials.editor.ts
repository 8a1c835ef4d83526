/**
 * Every credential of the package, every mode, made the way a user makes it: Credentials → Create
 * credential → its type → the form filled field by field → Save. n8n then runs the credential's
 * test: against the sandbox it must report success; with the wrong secrets of the e2e suite's
 * test (test/e2e/providers/*.ts) it must report the failure and its reason (the e2e test's message).
 */
import type { Page } from 'playwright-core';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { loadProviders, packageCredentials } from '../e2e/context';
import type { CredentialSpec } from '../e2e/provider-spec';
import { screenshot } from './browser';
import { BROKEN, editorSuite, noConsoleErrors } from './suite';

const credentialTypes = new Map<string, ICredentialType>(packageCredentials().map((credential) => [credential.name, credential] as const));

type FormCase = { title: string; spec: Omit<CredentialSpec, 'key'>; expect: { status: 'OK' | 'Error'; message?: RegExp } };

/** The sandbox credentials of every provider (one per type and mode), then the e2e suite's failing ones. */
function formCases(): FormCase[] {
	const cases: FormCase[] = [];
	const seen = new Set<string>();
	for (const provider of loadProviders()) {
		for (const spec of provider.credentials) {
			if (!credentialTypes.has(spec.type)) continue;
			const mode = `${spec.type} ${spec.key}`;
			if (seen.has(mode)) continue;
			seen.add(mode);
			cases.push({ title: `${spec.name}: saved, and Test reports success`, spec, expect: { status: 'OK' } });
		}
		for (const test of provider.credentialTests) {
			if (typeof test.credential === 'string' || test.data || test.expect.status !== 'Error' || !credentialTypes.has(test.credential.type)) continue;
			cases.push({ title: `${test.title.replace(/: Error.*$/, '')}: saved, and Test reports the failure`, spec: test.credential, expect: test.expect });
		}
	}
	return cases;
}

const suite = editorSuite();
const cases = formCases();

test('every credential type of the package has a form case that succeeds', () => {
	const succeeding = new Set(cases.filter((entry) => entry.expect.status === 'OK').map((entry) => entry.spec.type));
	expect([...credentialTypes.keys()].filter((type) => !succeeding.has(type))).toEqual([]);
});

test.each(cases.map((entry) => [entry.title, entry] as const))('%s', async (title, { spec, expect: expected }) => {
	const { page } = suite.session;
	const type = credentialTypes.get(spec.type)!;
	await page.goto('/home/credentials/create');
	await page.click('[data-test-id="new-credential-type-select"]');
	await page.keyboard.type(type.displayName);
	await page.locator('[data-test-id="new-credential-type-select-option"]', { hasText: new RegExp(`^${type.displayName}$`) }).click();
	await page.click('[data-test-id="new-credential-type-button"]');
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.waitFor();

	const data = spec.data(suite.sandbox);
	// The deliberate break: the first succeeding case points at a closed port.
	if (BROKEN === 'credential' && expected.status === 'OK' && title === cases.find((entry) => entry.expect.status === 'OK')?.title) {
		for (const key of Object.keys(data)) if (/url/i.test(key)) data[key] = 'http://127.0.0.1:9';
	}
	await fillForm(page, type, data);
	await page.click('[data-test-id="credential-save-button"]');
	// Saved: the form now offers Delete; then n8n runs the credential's test and shows its result.
	await modal.locator('[data-test-id="credential-delete-button"]').waitFor();
	const banner = modal.getByText(/Connection tested successfully|Couldn.t connect with these settings/);
	await banner.first().waitFor({ timeout: 30000 });
	const text = (await modal.innerText()).replace(/\s+/g, ' ');
	await screenshot(page, `credential-${title}`);
	let reason = '';
	if (expected.status === 'Error') {
		// The failure's reason: n8n shows it under the heading, or behind "More details" when it is long.
		const failure = modal.locator('.el-tag--danger').filter({ hasText: /connect with these settings/ });
		const details = failure.locator('[class*="_details_"]');
		const more = failure.getByText('More details');
		await details.or(more).first().waitFor({ timeout: 15000 });
		if (!(await details.count())) await more.first().click();
		await details.first().waitFor({ timeout: 15000 });
		reason = (await details.first().innerText()).replace(/\s+/g, ' ').trim();
		await screenshot(page, `credential-${title}-reason`);
	}
	if (expected.status === 'OK') {
		expect({ title, result: /Connection tested successfully/.test(text) ? 'success' : text }).toEqual({ title, result: 'success' });
	} else {
		expect({ title, result: /Couldn.t connect with these settings/.test(text) ? 'failure' : text }).toEqual({ title, result: 'failure' });
		expect({ title, reason: reason.length > 0 }).toEqual({ title, reason: true });
		if (expected.message) expect(reason).toMatch(expected.message);
	}
});

noConsoleErrors(suite, 'making credentials');

/** Fills the form in the order of the credential's fields, so a mode chosen first shows its own fields. */
async function fillForm(page: Page, type: ICredentialType, data: Record<string, unknown>): Promise<void> {
	for (const property of type.properties as INodeProperties[]) {
		if (!(property.name in data)) continue;
		const value = data[property.name];
		const field = page.locator(`[data-test-id="editCredential-modal"] [data-test-id="parameter-input-${property.name}"]`);
		if (property.type === 'options') {
			const option = (property.options as Array<{ name: string; value: unknown }>).find((candidate) => candidate.value === value);
			if (!option) throw new Error(`${type.name}.${property.name}: no option with value ${String(value)}`);
			await field.click();
			// An option's entry starts with its name (its description follows, and may name another option).
			await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${option.name}`) }).first().click();
		} else if (property.type === 'boolean') {
			const input = field.locator('input[type="checkbox"]');
			if ((await input.isChecked()) !== value) await field.locator('.el-switch').click();
		} else {
			await field.locator('input, textarea').first().fill(String(value));
		}
	}
}
