/**
 * The layout a newcomer relies on (CONTRIBUTING.md): every provider folder has the same files, the
 * registry (nodes/providers.ts) is complete and matches the folders, package.json and the
 * triggers, and nothing in nodes/ or credentials/ imports in a circle. Each rule is also run on a
 * deliberately broken copy, so a rule that stopped finding anything fails here.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { PROVIDER_ENTRIES, type ProviderEntry } from '../nodes/providers';
import { isPackageDataKey } from '../nodes/shared/memory/static-data';
import { readWorkflowData } from '../nodes/shared/memory/workflow-data';
import { importCircles, providerProblems } from './structure/check';

const ROOT = join(__dirname, '..');

function copyOfTree(): string {
	const dir = mkdtempSync(join(tmpdir(), 'structure-'));
	for (const part of ['nodes', 'credentials', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
	return dir;
}

describe('provider registry and folders', () => {
	test('every provider folder has the files every provider has, and the registry matches folders and package.json', () => {
		expect(providerProblems({ root: ROOT, registry: PROVIDER_ENTRIES })).toEqual([]);
	});

	test('a broken copy is caught: a missing file, an extra file, an undeclared folder, an incomplete entry, a provider without Send and Wait for Reply', () => {
		const dir = copyOfTree();
		try {
			rmSync(join(dir, 'nodes/Omnidesk/events.ts'));
			writeFileSync(join(dir, 'nodes/Digishare/helpers.ts'), 'export {};\n');
			rmSync(join(dir, 'nodes/Digishare/actions/message/sendAndWait.ts'));
			mkdirSync(join(dir, 'nodes/Newchat'));
			const incomplete: ProviderEntry = { ...PROVIDER_ENTRIES[1], id: 'half', folder: 'Half', memoryKeyPrefix: 'half', memory: { cursor: 'otherCursor' }, credentials: [] };
			const omnidesk = PROVIDER_ENTRIES[3];
			const noWaits: ProviderEntry = { ...omnidesk, memory: { chatServer: 'omnideskChatServer' }, replies: { ...omnidesk.replies, messages: ['bogus'] } };
			expect(providerProblems({ root: dir, registry: [...PROVIDER_ENTRIES.slice(0, 3), noWaits, incomplete] })).toEqual([
				'nodes/Newchat/ has no entry in nodes/providers.ts',
				'nodes/Digishare/helpers.ts is not a file every provider has ({node}.node.ts, {node}.node.json, {trigger}.node.ts, {trigger}.node.json, api.ts, auth.ts, events.ts, memory.ts, schemas.ts, trigger.ts, actions/common.ts)',
				'nodes/Digishare/actions/ has no <resource>/sendAndWait.ts (Send and Wait for Reply)',
				'nodes/Omnidesk/events.ts is missing',
				'registry entry omnidesk: declares no memory.waits (Send and Wait for Reply)',
				'registry entry omnidesk: replies name "bogus", not one of its events',
				'registry entry half: names no credential',
				'nodes/Half/ is missing (registry entry half)',
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test.each(PROVIDER_ENTRIES.map((entry) => [entry.displayName, entry] as const))('%s: the trigger offers only events the registry names, and the nodes take its credentials', async (_name, entry) => {
		const load = (cls: string) => {
			const module = require(join(ROOT, 'nodes', entry.folder, `${cls}.node`)) as Record<string, new () => INodeType>;
			return new module[cls]();
		};
		const trigger = load(entry.trigger).description;
		const node = load(entry.node).description;
		const eventProperty = trigger.properties.find((property: INodeProperties) => property.type === 'multiOptions' && ['events', 'hookpoints'].includes(property.name));
		const offered = (eventProperty?.options ?? []).map((option) => String((option as { value: unknown }).value));
		expect(offered.length).toBeGreaterThan(0);
		const known = new Set([...Object.keys(entry.events), ...Object.values(entry.events)]);
		expect(offered.filter((value) => !known.has(value))).toEqual([]);
		const used = [...(trigger.credentials ?? []), ...(node.credentials ?? [])].map((credential) => credential.name);
		expect(used.filter((name) => !entry.credentials.includes(name))).toEqual([]);
		expect(trigger.name).toBe(entry.trigger.charAt(0).toLowerCase() + entry.trigger.slice(1));
	});
});

describe('package memory keys', () => {
	test('only keys a registry entry declares travel to workers, and an undeclared key is refused by name', () => {
		for (const entry of PROVIDER_ENTRIES) for (const key of Object.values(entry.memory)) expect(isPackageDataKey(key)).toBe(true);
		expect(isPackageDataKey('myCounter')).toBe(false);
		const ctx = { getWorkflowStaticData: () => ({}), getExecutionId: () => undefined } as unknown as Parameters<typeof readWorkflowData>[0];
		expect(() => readWorkflowData(ctx, 'newchatCursor')).toThrow('"newchatCursor" is not a memory key of any provider in nodes/providers.ts');
	});
});

describe('import circles', () => {
	test('no file in nodes/ or credentials/ is part of an import circle', () => {
		expect(importCircles(ROOT, ['nodes', 'credentials'])).toEqual([]);
	});

	test('a circle in a copy is found, with every file on it', () => {
		const dir = copyOfTree();
		try {
			writeFileSync(join(dir, 'nodes/shared/readers.ts'), "import { chatEvent } from './chat-event';\nexport const x = chatEvent;\n");
			writeFileSync(join(dir, 'nodes/shared/chat-event.ts'), "import type { x } from './readers';\nexport const chatEvent = 1;\nexport type Y = typeof x;\n");
			expect(importCircles(dir, ['nodes', 'credentials'])).toEqual([['nodes/shared/chat-event.ts', 'nodes/shared/readers.ts']]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
