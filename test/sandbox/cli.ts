/**
 * Standalone entry: start the sandbox on a fixed port and keep it running.
 *
 *   node <compiled>/test/sandbox/cli.js [--port 4010] [--host 127.0.0.1] [--quiet]
 *   (env SANDBOX_PORT / SANDBOX_HOST work too)
 *
 * ts-node is not installed; a later `npm run dev` script compiles this file (it has no
 * TS-only runtime features) or calls `startSandbox({ port })` itself.
 */
import { DIGISHARE_CLIENT_ID, DIGISHARE_CLIENT_SECRET, DIGISHARE_CONVERSATION_IDS, DIGISHARE_PAT } from './providers/digishare';
import { LIVEPERSON_ACCOUNT_ID, LIVEPERSON_CLIENT_ID, LIVEPERSON_CLIENT_SECRET } from './providers/liveperson';
import { Sandbox, startSandbox } from './server';

function flag(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(`--${name}`);
	if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${name}=`));
	return eq ? eq.slice(name.length + 3) : undefined;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<Sandbox> {
	const port = Number(flag(argv, 'port') ?? process.env.SANDBOX_PORT ?? 4010);
	const host = flag(argv, 'host') ?? process.env.SANDBOX_HOST ?? '127.0.0.1';
	const quiet = argv.includes('--quiet');
	const out = (line: string): void => console.log(line);
	const sandbox = await startSandbox({ port, host, logger: quiet ? undefined : (l) => out(`[sandbox] ${l}`) });

	out(`Provider sandbox listening on ${sandbox.url}`);
	for (const mount of sandbox.mountNames()) out(`  ${mount.padEnd(22)} ${sandbox.baseUrl(mount)}`);
	out('Digishare credentials:');
	out(`  PAT            ${DIGISHARE_PAT}`);
	out(`  client id      ${DIGISHARE_CLIENT_ID}`);
	out(`  client secret  ${DIGISHARE_CLIENT_SECRET}`);
	out(`  conversation   ${DIGISHARE_CONVERSATION_IDS.active}`);
	out('LivePerson Connector App:');
	out(`  Domain API     ${sandbox.baseUrl('liveperson')} (baseURIs are ${sandbox.host}:${sandbox.port}/liveperson-<service>, call them with http://)`);
	out(`  account id     ${LIVEPERSON_ACCOUNT_ID}`);
	out(`  client id      ${LIVEPERSON_CLIENT_ID}`);
	out(`  client secret  ${LIVEPERSON_CLIENT_SECRET}`);

	const stop = (): void => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	return sandbox;
}

if (require.main === module) {
	main().catch((err: unknown) => {
		console.error(err);
		process.exit(1);
	});
}
