#!/usr/bin/env node
// `npm run dev`: this package in a real n8n, next to the provider sandbox, ready to click.
//
//   1. builds the package (npm run build) and packs it (npm pack)
//   2. installs n8n and its Node.js into the cache if needed (scripts/lib/n8n-install.js)
//   3. installs the tarball into the dev user folder's .n8n/nodes, as a community package
//   4. starts the provider sandbox (its public entry test/sandbox/index.ts, loaded from source
//      with scripts/lib/ts-require.js) on 127.0.0.1
//   5. starts n8n on 127.0.0.1, creates the owner, credentials pointing at the sandbox,
//      imports and activates examples/*.json
//   6. prints the URLs, the login and what to do next; Ctrl-C stops everything
//
// Options: --port <n8n port, default 5678>  --sandbox-port <default 4010>  --fresh (new n8n
// user folder)  --no-build  --verbose (n8n's log on the console). Env N8N_VERSION picks
// another n8n version (e.g. 1.123.81).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureN8n, cacheRoot } = require('./lib/n8n-install');
const run = require('./lib/n8n-run');
const devProviders = require('./dev-providers');

function option(name, fallback) {
	const argv = process.argv.slice(2);
	const i = argv.indexOf(`--${name}`);
	if (i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--')) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${name}=`));
	return eq ? eq.slice(name.length + 3) : fallback;
}
const flag = (name) => process.argv.slice(2).includes(`--${name}`);

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (line) => process.stdout.write(`\x1b[2m▸ ${line}\x1b[0m\n`);

async function main() {
	const port = Number(option('port', process.env.N8N_PORT || 5678));
	const sandboxPort = Number(option('sandbox-port', process.env.SANDBOX_PORT || 4010));
	const verbose = flag('verbose');

	for (const [what, value, opt] of [['n8n', port, '--port'], ['the sandbox', sandboxPort, '--sandbox-port']]) {
		if (!(await run.portIsFree(value))) {
			throw new Error(`port ${value} (for ${what}) is in use on 127.0.0.1 — is another \`npm run dev\` running? Choose another with ${opt} <port>.`);
		}
	}

	if (!flag('no-build')) {
		step('building the package (npm run build)');
		const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: run.REPO, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('npm run build failed');
	}
	run.assertBuilt();

	step('n8n: checking the install in the cache (the first run installs it: several minutes, about 3 GB)');
	const n8n = ensureN8n(process.env.N8N_VERSION || undefined);

	const devDir = path.join(cacheRoot(), 'dev', `n8n-${n8n.version.split('.')[0]}`);
	const userFolder = path.join(devDir, 'user');
	if (flag('fresh')) fs.rmSync(devDir, { recursive: true, force: true });
	fs.mkdirSync(devDir, { recursive: true });
	const work = run.makeTempDir('livechat-bridge-dev-');
	const resources = { work, sandbox: null, n8n: null };

	let stopping = null;
	const stopAll = (code) => {
		if (stopping) return stopping;
		stopping = (async () => {
			say('\nStopping n8n and the sandbox…');
			if (resources.n8n) await resources.n8n.stop(15000);
			if (resources.sandbox) await resources.sandbox.close();
			fs.rmSync(work, { recursive: true, force: true });
			say('Stopped.');
			process.exit(code);
		})();
		return stopping;
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));
	process.on('exit', () => {
		// Last resort (e.g. an uncaught error): never leave n8n running.
		if (resources.n8n && !resources.n8n.exitInfo) run.killGroup(resources.n8n.pid, 'SIGKILL');
		fs.rmSync(work, { recursive: true, force: true });
	});

	try {
		step('packing and installing the package into n8n\'s nodes folder (npm pack; npm install <tarball>)');
		const tarball = run.packPackage(path.join(work, 'pack'));
		fs.rmSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', run.PACKAGE.name), { recursive: true, force: true });
		run.installPackage(userFolder, tarball);

		step('starting the provider sandbox');
		require('./lib/ts-require');
		const sandboxLib = require('../test/sandbox');
		resources.sandbox = await sandboxLib.startSandbox({
			port: sandboxPort,
			logger: (line) => {
				say(`\x1b[36m[sandbox]\x1b[0m ${line}`);
				for (const provider of devProviders) {
					const detail = provider.describeRequest?.(resources.sandbox.lastRequest());
					if (detail) say(`\x1b[36m[sandbox]\x1b[0m   ${detail}`);
				}
			},
		});
		const sandbox = resources.sandbox;

		step(`starting n8n ${n8n.version} on http://127.0.0.1:${port} (log: ${path.join(devDir, 'n8n.log')})`);
		const logFile = path.join(devDir, 'n8n.log');
		fs.writeFileSync(logFile, '');
		resources.n8n = await run.startN8n({
			n8n,
			userFolder,
			port,
			logFile: verbose ? undefined : logFile,
			onLine: verbose ? (line) => say(`\x1b[35m[n8n]\x1b[0m ${line}`) : undefined,
		});
		resources.n8n.exited.then((info) => {
			if (stopping) return;
			say(`\nn8n exited unexpectedly (${info.signal ?? `exit code ${info.code}`}).`);
			if (!verbose) say(run.tail(logFile, 30));
			stopAll(1);
		});
		await run.waitReady(resources.n8n, { describeFailure: () => (verbose ? '' : `\n${run.tail(logFile)}`) });

		step('owner account, API key, credentials and example workflows');
		const session = await run.ownerSession(resources.n8n.url);
		const stateFile = path.join(devDir, 'state.json');
		const saved = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
		let apiKey = saved.apiKey;
		if (!apiKey || (await new run.N8nClient(resources.n8n.url, { apiKey }).request('GET', '/api/v1/workflows?limit=1')).status !== 200) {
			apiKey = await run.createApiKey(session, 'npm run dev');
		}
		fs.writeFileSync(stateFile, JSON.stringify({ apiKey }, null, 2), { mode: 0o600 });
		const api = new run.N8nClient(resources.n8n.url, { apiKey });

		const credentialsByType = {};
		const createdCredentials = [];
		for (const provider of devProviders) {
			for (const spec of provider.credentials(sandbox, sandboxLib)) {
				const credential = await upsertCredential(session, api, spec);
				credentialsByType[spec.type] = credentialsByType[spec.type] ?? credential;
				createdCredentials.push({ ...credential, note: spec.note });
			}
		}

		const workflows = await importExamples(api, credentialsByType, (workflow) =>
			devProviders.reduce((w, provider) => (provider.prepareWorkflow ? provider.prepareWorkflow(w, sandboxLib, sandbox) : w), workflow),
		);
		// n8n 2.x registers an activated workflow's webhooks a moment later: wait, so the URLs work.
		for (const workflow of workflows.filter((w) => w.active)) {
			for (const hook of run.productionWebhooks(resources.n8n.url, workflow)) {
				await run.waitForWebhook(hook.url, hook.method).catch((error) => (workflow.note = error.message));
			}
		}

		say('');
		say(`\x1b[1mn8n ${n8n.version} is running with ${run.PACKAGE.name} ${run.PACKAGE.version} and the provider sandbox.\x1b[0m`);
		say('');
		say(`  n8n            ${resources.n8n.url}`);
		say(`  login          ${run.DEMO_OWNER.email}  /  ${run.DEMO_OWNER.password}`);
		say(`  sandbox        ${sandbox.url}`);
		for (const mount of sandbox.mountNames()) say(`    ${mount.padEnd(22)} ${sandbox.baseUrl(mount)}`);
		say('');
		say('  Credentials (pointing at the sandbox):');
		for (const credential of createdCredentials) say(`    "${credential.name}" (${credential.type})${credential.note ? ` — ${credential.note}` : ''}`);
		say('  Workflows (from examples/):');
		for (const workflow of workflows) {
			say(`    "${workflow.name}"  ${workflow.active ? 'active' : 'inactive'}  ${resources.n8n.url}/workflow/${workflow.id}${workflow.note ? `  (${workflow.note})` : ''}`);
		}
		for (const provider of devProviders) {
			const lines = provider.tryIt?.({ n8nUrl: resources.n8n.url, workflows, sandbox }) ?? [];
			if (lines.length) {
				say('');
				for (const line of lines) say(line);
			}
		}
		say('');
		say('  Other examples: in n8n, Workflows → Import from File → examples/*.json.');
		say(`  n8n's log: ${verbose ? 'shown here (--verbose)' : logFile}`);
		say('  Ctrl-C stops n8n and the sandbox.');
		say('');
	} catch (error) {
		say(`\nnpm run dev failed: ${error.message}`);
		await stopAll(1);
	}
}

/** Creates the credential, or points the existing one of that name at the current sandbox. */
async function upsertCredential(session, api, spec) {
	const list = await session.ok('GET', '/rest/credentials');
	const existing = (list.data ?? list).find((c) => c.name === spec.name && c.type === spec.type);
	if (existing) {
		await session.ok('PATCH', `/rest/credentials/${existing.id}`, { body: { name: spec.name, type: spec.type, data: spec.data } });
		return { id: existing.id, name: spec.name, type: spec.type };
	}
	const body = { name: spec.name, type: spec.type, data: spec.data };
	const viaApi = await api.request('POST', '/api/v1/credentials', { body });
	// n8n 1.x's public API schema check rejects credentials with per-method fields: use the editor's endpoint.
	const created = viaApi.status < 300 ? viaApi.json : await session.ok('POST', '/rest/credentials', { body });
	const record = created.data ?? created;
	return { id: record.id, name: record.name, type: spec.type };
}

/** Imports each examples/*.json once (by name; edits you made in n8n are kept) and activates it. */
async function importExamples(api, credentialsByType, prepare) {
	const dir = path.join(run.REPO, 'examples');
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
	const existing = (await api.ok('GET', '/api/v1/workflows?limit=250')).data;
	const result = [];
	for (const file of files) {
		const example = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		let workflow = existing.find((w) => w.name === example.name);
		let note = '';
		if (!workflow) {
			const prepared = prepare(run.useCredentials(example, credentialsByType));
			workflow = await api.ok('POST', '/api/v1/workflows', { body: run.workflowForApi(prepared) });
			note = `imported from examples/${file}`;
		}
		if (!workflow.active) {
			const activated = await api.request('POST', `/api/v1/workflows/${workflow.id}/activate`);
			if (activated.status === 200) workflow = activated.json;
			else note = `not activated: ${activated.json?.message ?? activated.status}`;
		}
		result.push({ id: workflow.id, name: workflow.name, active: workflow.active, nodes: workflow.nodes, file, note });
	}
	return result;
}

main().catch((error) => {
	say(`\nnpm run dev failed: ${error.stack || error.message}`);
	process.exit(1);
});
