/**
 * The packed package, installed into n8n's nodes folder like a community package, loads:
 * every node and credential listed in package.json's `n8n` field is registered in the running
 * n8n, with its icons served and its codex categories (read from package.json, so providers
 * added later are covered without touching this file).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DIGISHARE_PAT, startSandbox } from '../sandbox';
import { PACKAGE, REPO, anonymous, createCredential, createCredentialInEditor, editorApi, e2eState, publicApi, testCredential } from './context';

interface NodeTypeEntry {
	name: string;
	displayName: string;
	version: number | number[];
	iconUrl?: string | { light: string; dark: string };
	codex?: { categories?: string[] };
	credentials?: Array<{ name: string }>;
	webhooks?: unknown[];
}

interface CredentialTypeEntry {
	name: string;
	displayName: string;
	iconUrl?: string | { light: string; dark: string };
}

type Described = { description: { name: string; displayName: string; version: number | number[] } };

/**
 * The class n8n's loader takes from a built file (the export named like the file, e.g.
 * DigishareTrigger from DigishareTrigger.node.js), instantiated; the same dist files npm pack shipped.
 */
function instancesOf<T>(file: string): T[] {
	const className = path.basename(file).split('.')[0];
	const Class = (require(path.join(REPO, file)) as Record<string, new () => T>)[className];
	if (typeof Class !== 'function') throw new Error(`${file} does not export ${className}`);
	return [new Class()];
}

const expectedNodes = PACKAGE.n8n.nodes.flatMap((file) =>
	instancesOf<Described>(file).map((node) => ({ file, description: node.description })),
);
const expectedCredentials = PACKAGE.n8n.credentials.flatMap((file) =>
	instancesOf<{ name: string; displayName: string }>(file).map((credential) => ({ file, credential })),
);

let nodeTypes: NodeTypeEntry[];
let credentialTypes: CredentialTypeEntry[];

beforeAll(async () => {
	nodeTypes = await editorApi().ok<NodeTypeEntry[]>('GET', '/types/nodes.json');
	credentialTypes = await editorApi().ok<CredentialTypeEntry[]>('GET', '/types/credentials.json');
});

function iconUrls(icon: NodeTypeEntry['iconUrl']): string[] {
	if (!icon) return [];
	return typeof icon === 'string' ? [icon] : [icon.light, icon.dark].filter(Boolean);
}

async function expectSvg(iconUrl: string) {
	const answer = await anonymous().request('GET', `/${iconUrl.replace(/^\//, '')}`);
	expect({ iconUrl, status: answer.status }).toEqual({ iconUrl, status: 200 });
	expect(answer.headers.get('content-type')).toMatch(/image\/svg\+xml/);
	expect(answer.text).toContain('<svg');
}

test('n8n runs the expected version', () => {
	expect(e2eState().version).toMatch(/^\d+\.\d+\.\d+$/);
});

test('package.json names at least one node and one credential', () => {
	expect(expectedNodes.length).toBeGreaterThan(0);
	expect(expectedCredentials.length).toBeGreaterThan(0);
});

describe.each(expectedNodes.map((n) => [`${PACKAGE.name}.${n.description.name}`, n] as const))('node %s', (typeName, { file, description }) => {
	let entry: NodeTypeEntry | undefined;
	beforeAll(() => {
		entry = nodeTypes.find((node) => node.name === typeName);
	});

	test('is registered in /types/nodes.json', () => {
		expect(entry).toBeDefined();
		expect(entry!.displayName).toBe(description.displayName);
		expect(entry!.version).toEqual(description.version);
	});

	test('its icons are served', async () => {
		const urls = iconUrls(entry?.iconUrl);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) await expectSvg(url);
	});

	test('its codex categories are loaded', () => {
		const codex = JSON.parse(fs.readFileSync(path.join(REPO, file.replace(/\.js$/, '.json')), 'utf8')) as { categories: string[] };
		expect(entry?.codex?.categories).toEqual(codex.categories);
	});
});

describe.each(expectedCredentials.map((c) => [c.credential.name, c] as const))('credential %s', (name, { credential }) => {
	test('is registered in /types/credentials.json', () => {
		const entry = credentialTypes.find((c) => c.name === name);
		expect(entry).toBeDefined();
		expect(entry!.displayName).toBe(credential.displayName);
	});

	test('its icons are served', async () => {
		const entry = credentialTypes.find((c) => c.name === name);
		const urls = iconUrls(entry?.iconUrl);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) await expectSvg(url);
	});
});

// Teams provision n8n by API: every mode of every credential, with only the fields that mode needs,
// through `POST /api/v1/credentials` (n8n 1.x's public API used to refuse a Digishare token or a
// LivePerson Tokens credential: it required the fields of every mode). Values are placeholders.
const CREDENTIAL_MODES: Array<{ type: string; mode: string; data: Record<string, unknown> }> = [
	{ type: 'digishareApi', mode: 'Personal Access Token', data: { authMode: 'accessToken', accessToken: 'ds_pat_placeholder' } },
	{ type: 'digishareApi', mode: 'OAuth2 Client Credentials', data: { authMode: 'clientCredentials', clientId: 'client-1', clientSecret: 'secret-1' } },
	{ type: 'digishareWebhookApi', mode: 'secret', data: { secret: 'webhook-secret-1' } },
	{ type: 'omnideskApi', mode: 'API key and chat account token', data: { baseUrl: 'https://brand.omnidesk.example', apiKey: 'odk_1', chatAccountToken: 'cat_1' } },
	{ type: 'liveChatAiApi', mode: 'API key', data: { apiKey: 'lcai_1' } },
	{ type: 'livePersonApi', mode: 'App Credentials', data: { accountId: '12345678', authMode: 'app', clientId: 'client-1', clientSecret: 'secret-1' } },
	{ type: 'livePersonApi', mode: 'Tokens', data: { accountId: '12345678', authMode: 'tokens', appToken: 'a.b.c', consumerToken: 'd.e.f' } },
];

test('every credential type of the package has a mode in the public-API check', () => {
	expect([...new Set(CREDENTIAL_MODES.map((entry) => entry.type))].sort()).toEqual(expectedCredentials.map((c) => c.credential.name).sort());
});

test.each(CREDENTIAL_MODES.map((entry) => [`${entry.type} (${entry.mode})`, entry] as const))(
	'%s: created through the public API with only its own fields',
	async (_title, { type, mode, data }) => {
		const answer = await publicApi().request<{ id?: string; type?: string; message?: string }>('POST', '/api/v1/credentials', { body: { name: `${type} ${mode} (public API)`, type, data } });
		expect({ status: answer.status, message: answer.json?.message }).toEqual({ status: 200, message: undefined });
		expect(answer.json?.type).toBe(type);
	},
);

test("the editor's way (POST /rest/credentials) still works: a Digishare credential made there passes its Test like one made through the public API", async () => {
	const sandbox = await startSandbox();
	try {
		const data = { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: sandbox.baseUrl('digishare') };
		const inEditor = await createCredentialInEditor('digishareApi', 'Digishare (editor)', data);
		const viaApi = await createCredential('digishareApi', 'Digishare (public API)', data);
		expect(await testCredential(inEditor, data)).toMatchObject({ status: 'OK' });
		expect(await testCredential(viaApi, data)).toMatchObject({ status: 'OK' });
		expect(sandbox.requestsFor('digishare', 'GET', '/user/profile').map((request) => request.headers.authorization)).toEqual([`Bearer ${DIGISHARE_PAT}`, `Bearer ${DIGISHARE_PAT}`]);
	} finally {
		await sandbox.close();
	}
});
