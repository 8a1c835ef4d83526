// Lint rules n8n's community-package verification applies: the community-nodes
// plugin (recommended) plus eslint-plugin-n8n-nodes-base's nodes, credentials
// and community (package.json) sets, here in their newest versions. `npm run lint`
// then runs n8n's own scanner on the source (scripts/scan.mjs --source-only), so
// its findings show up here first. Inline disable comments are ignored, as the
// scanner ignores them.
import tseslint from 'typescript-eslint';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', '*.js', '*.mjs'] },
	{ linterOptions: { noInlineConfig: true } },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { sourceType: 'module', ecmaVersion: 'latest' },
		},
		plugins: { '@typescript-eslint': tseslint.plugin },
	},
	{
		...communityNodes.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two predate the NodeConnectionTypes enum and demand the string 'main';
			// the community-nodes rule `node-connection-type-literal` demands the enum.
			// n8n's own community-node lint config turns these two off for that reason.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// The rule's own docs: "Only applicable to nodes in the main repository" (whose
			// documentationUrl is a docs slug). A community credential links a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		// The community-nodes package.json rules walk a TypeScript ESTree object literal: with a
		// JSON parser they never fire (the scanner parses package.json with the TS parser too).
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
];
