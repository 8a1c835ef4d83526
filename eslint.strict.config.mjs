// Our stricter lint config, on top of n8n's (`npm run lint` runs both, then n8n's scanner):
//
//   eslint.config.mjs          n8n's own config, exactly as `n8n-node new` writes it. Strict mode
//                              ("n8n": {"strict": true} in package.json) makes `n8n-node lint`
//                              refuse any other content, so it cannot carry our additions.
//                              `node scripts/n8n-node.mjs lint` runs `n8n-node lint` with it.
//   eslint.strict.config.mjs   this file: `eslint -c eslint.strict.config.mjs --max-warnings 0
//                              nodes credentials package.json`.
//
// What this one adds to n8n's: eslint-plugin-n8n-nodes-base in its newest version (2.x; n8n's
// config loads the 1.x that @n8n/node-cli depends on; @n8n/eslint-plugin-community-nodes is the same
// 0.32.0 in both), only the rules off that are named below (n8n's config also turns off the
// credential password rule and the typeOptions maxValue rule; here they stay on), and inline
// configuration off: n8n's config honours `eslint-disable` comments, n8n's scanner ignores them, and
// here each one is a warning that fails the run (--max-warnings 0), so none can hide a finding.
// n8n's config in turn adds ESLint's and typescript-eslint's recommended sets and import-x.
// `npm run lint` then runs n8n's own scanner on the source (scripts/scan.mjs --source-only), so its
// findings show up here first.
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
