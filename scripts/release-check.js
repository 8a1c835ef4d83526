#!/usr/bin/env node
// Checks a release before the release workflow publishes it (.github/workflows/release.yml):
//   - the git tag is `v<version>` of package.json;
//   - CHANGELOG.md has a `## [<version>] - YYYY-MM-DD` section with at least one entry;
//   - package.json is publishable as an n8n community package: no runtime dependencies,
//     peerDependencies exactly {"n8n-workflow": "*"}, no install/prepare scripts.
// Prints the CHANGELOG section (the release notes) on success; `--notes <file>` writes it there.
//
//   node scripts/release-check.js v0.2.0 [--notes notes.md] [--root <dir>]
//   (the tag defaults to $GITHUB_REF_NAME)
const fs = require('fs');
const path = require('path');

const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'prepack', 'postpack'];

/** The `## [version]` section of a Keep-a-Changelog file, without its heading; undefined if absent. */
function changelogSection(changelog, version) {
	const lines = changelog.split('\n');
	const escaped = version.replace(/[.+]/g, '\\$&');
	const start = lines.findIndex((line) => new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d{2}-\\d{2}\\s*$`).test(line));
	if (start < 0) return undefined;
	const rest = lines.slice(start + 1);
	const end = rest.findIndex((line) => /^## /.test(line));
	return (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
}

function check({ root, tag }) {
	const problems = [];
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const version = String(pkg.version ?? '');
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) problems.push(`package.json version "${version}" is not x.y.z`);
	if (!tag) problems.push('no tag given (argument or GITHUB_REF_NAME)');
	else if (tag !== `v${version}`) problems.push(`tag "${tag}" does not match package.json version ${version} (expected v${version})`);

	let notes;
	const changelogFile = path.join(root, 'CHANGELOG.md');
	if (!fs.existsSync(changelogFile)) problems.push('CHANGELOG.md is missing');
	else {
		notes = changelogSection(fs.readFileSync(changelogFile, 'utf8'), version);
		if (notes === undefined) problems.push(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`);
		else if (!/^\s*[-*] \S/m.test(notes)) problems.push(`CHANGELOG.md section ${version} has no entries`);
	}

	if (pkg.dependencies && Object.keys(pkg.dependencies).length) {
		problems.push(`package.json has runtime dependencies (${Object.keys(pkg.dependencies).join(', ')})`);
	}
	if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) {
		problems.push('package.json peerDependencies must be exactly {"n8n-workflow": "*"}');
	}
	for (const script of LIFECYCLE_SCRIPTS) if (pkg.scripts?.[script]) problems.push(`package.json has a "${script}" script`);
	return { problems, notes, version };
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const option = (name) => {
		const index = args.indexOf(name);
		if (index < 0) return undefined;
		const [, value] = args.splice(index, 2);
		return value;
	};
	const notesFile = option('--notes');
	const root = path.resolve(option('--root') ?? path.join(__dirname, '..'));
	const tag = args[0] ?? process.env.GITHUB_REF_NAME;
	const { problems, notes, version } = check({ root, tag });
	if (problems.length) {
		console.error(`release check failed:\n  ${problems.join('\n  ')}`);
		process.exit(1);
	}
	if (notesFile) fs.writeFileSync(notesFile, `${notes}\n`);
	console.log(`release ${version} (tag ${tag}) is ready:\n\n${notes}`);
}

module.exports = { check, changelogSection };
