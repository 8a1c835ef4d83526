/**
 * The package's structural rules as functions over a tree, so a test can run them on the real tree
 * and on a broken copy: every provider folder has the same files as the registry says, and no file
 * of nodes/ or credentials/ is part of an import circle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import type { ProviderEntry } from '../../nodes/providers';

/** The files every provider folder has; `{node}` and `{trigger}` are the registry's class names. */
export const PROVIDER_FILES = [
	'{node}.node.ts',
	'{node}.node.json',
	'{trigger}.node.ts',
	'{trigger}.node.json',
	'api.ts',
	'auth.ts',
	'events.ts',
	'memory.ts',
	'schemas.ts',
	'trigger.ts',
	'actions/common.ts',
] as const;

export interface Tree {
	/** The folder holding nodes/, credentials/ and package.json. */
	root: string;
	registry: readonly ProviderEntry[];
}

function filesIn(folder: string): string[] {
	return existsSync(folder) ? readdirSync(folder).filter((name) => statSync(join(folder, name)).isFile()) : [];
}

function foldersIn(folder: string): string[] {
	return existsSync(folder) ? readdirSync(folder).filter((name) => statSync(join(folder, name)).isDirectory()) : [];
}

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** What is missing or extra in the provider folders and the registry; empty when all is complete. */
export function providerProblems({ root, registry }: Tree): string[] {
	const problems: string[] = [];
	const nodesDir = join(root, 'nodes');
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[]; credentials?: string[] } };
	const declaredFolders = new Set(registry.map((entry) => entry.folder));
	for (const folder of foldersIn(nodesDir)) {
		if (folder !== 'shared' && !declaredFolders.has(folder)) problems.push(`nodes/${folder}/ has no entry in nodes/providers.ts`);
	}
	const unique = (what: keyof ProviderEntry) => {
		const values = registry.map((entry) => String(entry[what]));
		for (const value of new Set(values)) if (values.filter((v) => v === value).length > 1) problems.push(`two registry entries share the ${what} "${value}"`);
	};
	(['id', 'folder', 'memoryKeyPrefix'] as const).forEach(unique);

	for (const entry of registry) {
		const where = `nodes/${entry.folder}/`;
		const dir = join(nodesDir, entry.folder);
		for (const field of ['id', 'displayName', 'folder', 'node', 'trigger', 'memoryKeyPrefix'] as const) {
			if (!entry[field]) problems.push(`registry entry ${entry.id || entry.folder || '?'}: ${field} is empty`);
		}
		if (!entry.credentials?.length) problems.push(`registry entry ${entry.id}: names no credential`);
		if (!entry.events || !Object.keys(entry.events).length) problems.push(`registry entry ${entry.id}: names no event`);
		if (!existsSync(dir)) {
			problems.push(`${where} is missing (registry entry ${entry.id})`);
			continue;
		}
		const expected = PROVIDER_FILES.map((file) => file.replace('{node}', entry.node).replace('{trigger}', entry.trigger));
		for (const file of expected) if (!existsSync(join(dir, file))) problems.push(`${where}${file} is missing`);
		const extra = filesIn(dir).filter((file) => !file.endsWith('.svg') && !expected.includes(file));
		for (const file of extra) problems.push(`${where}${file} is not a file every provider has (${PROVIDER_FILES.join(', ')})`);
		const svgs = filesIn(dir).filter((file) => file.endsWith('.svg'));
		if (!svgs.some((file) => file.endsWith('.dark.svg')) || !svgs.some((file) => !file.endsWith('.dark.svg'))) {
			problems.push(`${where} needs a light and a dark .svg icon`);
		}
		const resources = foldersIn(join(dir, 'actions'));
		if (!resources.length) problems.push(`${where}actions/ has no resource folder`);
		for (const resource of resources) {
			if (!existsSync(join(dir, 'actions', resource, 'index.ts'))) problems.push(`${where}actions/${resource}/index.ts is missing`);
		}
		for (const cls of [entry.node, entry.trigger]) {
			const built = `dist/nodes/${entry.folder}/${cls}.node.js`;
			if (!pkg.n8n?.nodes?.includes(built)) problems.push(`package.json n8n.nodes lacks ${built}`);
		}
		for (const credential of entry.credentials ?? []) {
			const file = `credentials/${capitalized(credential)}.credentials.ts`;
			if (!existsSync(join(root, file))) problems.push(`${file} is missing (credential ${credential} of ${entry.id})`);
			else if (!readFileSync(join(root, file), 'utf8').includes(`name = '${credential}'`)) problems.push(`${file} does not declare name = '${credential}'`);
			const built = `dist/credentials/${capitalized(credential)}.credentials.js`;
			if (!pkg.n8n?.credentials?.includes(built)) problems.push(`package.json n8n.credentials lacks ${built}`);
		}
		for (const [purpose, key] of Object.entries(entry.memory ?? {})) {
			if (!key.startsWith(entry.memoryKeyPrefix)) problems.push(`registry entry ${entry.id}: memory key ${purpose} = "${key}" does not start with "${entry.memoryKeyPrefix}"`);
		}
		// Send and Wait for Reply (nodes/shared/send-and-wait.ts): where its waits live, what answers them.
		if (!entry.memory?.waits) problems.push(`registry entry ${entry.id}: declares no memory.waits (Send and Wait for Reply)`);
		const events = Object.values(entry.events ?? {});
		if (!entry.replies?.messages?.length) problems.push(`registry entry ${entry.id}: replies.messages names no event`);
		for (const event of [...(entry.replies?.messages ?? []), ...(entry.replies?.ends ?? [])]) {
			if (!events.includes(event.split(':')[0])) problems.push(`registry entry ${entry.id}: replies name "${event}", not one of its events`);
		}
		const operations = filesIn(dir).length ? resources.filter((resource) => existsSync(join(dir, 'actions', resource, 'sendAndWait.ts'))) : [];
		if (!operations.length) problems.push(`${where}actions/ has no <resource>/sendAndWait.ts (Send and Wait for Reply)`);
	}
	return problems;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
	});
}

function resolveImport(from: string, specifier: string): string | undefined {
	const base = resolve(dirname(from), specifier);
	return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Every import circle among the .ts files below `folders` (paths relative to `root`), each once. */
export function importCircles(root: string, folders: string[]): string[][] {
	const files = folders.flatMap((folder) => sourceFiles(join(root, folder)));
	const edges = new Map<string, string[]>();
	for (const file of files) {
		const targets: string[] = [];
		for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
			const target = resolveImport(file, match[1]);
			if (target) targets.push(target);
		}
		edges.set(file, targets);
	}
	// Tarjan's strongly connected components: each component of more than one file is a circle.
	let index = 0;
	const indexOf = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const circles: string[][] = [];
	const visit = (file: string) => {
		indexOf.set(file, index);
		low.set(file, index++);
		stack.push(file);
		onStack.add(file);
		for (const target of edges.get(file) ?? []) {
			if (!indexOf.has(target)) {
				visit(target);
				low.set(file, Math.min(low.get(file)!, low.get(target)!));
			} else if (onStack.has(target)) {
				low.set(file, Math.min(low.get(file)!, indexOf.get(target)!));
			}
		}
		if (low.get(file) === indexOf.get(file)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(relative(root, member));
			} while (member !== file);
			const selfImport = (edges.get(file) ?? []).includes(file);
			if (component.length > 1 || selfImport) circles.push(component.sort());
		}
	};
	for (const file of files) if (!indexOf.has(file)) visit(file);
	return circles;
}
