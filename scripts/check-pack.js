#!/usr/bin/env node
// Checks that `npm pack` would ship every node, credential, icon and codex file that
// package.json's `n8n` field names or that the compiled classes reference.
const { execFileSync } = require('child_process');
const path = require('path');
const pkg = require('../package.json');

const listing = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = new Set(listing[0].files.map((file) => file.path));
const problems = [];
const expect = (file, why) => {
	if (!files.has(file)) problems.push(`${file} (${why})`);
};

function iconsOf(icon, baseDir) {
	if (!icon) return [];
	const values = typeof icon === 'string' ? [icon] : [icon.light, icon.dark];
	return values.filter(Boolean).map((value) => path.posix.normalize(path.posix.join(baseDir, value.replace(/^file:/, ''))));
}

/** The class n8n's loader takes from a built file: the export named like the file (Foo.node.js → Foo). */
function loadedClass(file) {
	const className = path.basename(file).split('.')[0];
	const Class = require(path.resolve(file))[className];
	if (typeof Class !== 'function') problems.push(`${file} (does not export the class ${className} n8n loads)`);
	return typeof Class === 'function' ? Class : undefined;
}

for (const nodePath of pkg.n8n.nodes) {
	expect(nodePath, 'n8n.nodes');
	const codex = nodePath.replace(/\.js$/, '.json');
	expect(codex, 'codex');
	const NodeClass = loadedClass(nodePath);
	if (!NodeClass) continue;
	const description = new NodeClass().description;
	for (const icon of iconsOf(description.icon, path.posix.dirname(nodePath))) expect(icon, `icon of ${description.name}`);
}
for (const credentialPath of pkg.n8n.credentials) {
	expect(credentialPath, 'n8n.credentials');
	const CredentialClass = loadedClass(credentialPath);
	if (!CredentialClass) continue;
	const credential = new CredentialClass();
	for (const icon of iconsOf(credential.icon, path.posix.dirname(credentialPath))) expect(icon, `icon of ${credential.name}`);
}
if (problems.length) {
	console.error(`npm pack is missing:\n  ${problems.join('\n  ')}`);
	process.exit(1);
}
console.log(`npm pack ships ${files.size} files, including all ${pkg.n8n.nodes.length} nodes and ${pkg.n8n.credentials.length} credentials with their icons and codex files.`);
