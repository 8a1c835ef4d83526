/**
 * Process-wide environment for n8n-core. Must run BEFORE n8n-core is first imported.
 *
 * It runs three ways (all idempotent):
 *  - jest `globalSetup` (global-setup.js) creates one temp user folder for the whole run and
 *    exports the variables below to every worker; `globalTeardown` deletes the folder;
 *  - jest `setupFiles` runs this file before each test file;
 *  - `index.ts` imports it first, so importing the harness is enough elsewhere.
 *
 * - N8N_USER_FOLDER: n8n-core's InstanceSettings reads/writes `<folder>/.n8n/config` (the
 *   encryption key). A temp folder keeps tests away from ~/.n8n.
 * - N8N_ENCRYPTION_KEY: fixed test key; credentials really get encrypted/decrypted by
 *   n8n-core's `Credentials` class as in n8n. The config file is pre-written with the same
 *   key so parallel workers only ever read it.
 * - N8N_DEFAULT_BINARY_DATA_MODE=default: n8n-core's BinaryDataService keeps binary data in
 *   memory (base64 in `binary.data`), nothing is written to disk.
 * - N8N_LOG_LEVEL=silent: n8n's Logger stays quiet unless the developer sets it.
 * Without jest's globalSetup (e.g. a script importing the harness) the folder is
 * `<tmp>/n8n-harness-<pid>` and is left behind.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HARNESS_ENCRYPTION_KEY = 'n8n-harness-test-encryption-key';

// Always a harness-owned folder and key, even if the shell points N8N_USER_FOLDER at a real n8n.
process.env.N8N_USER_FOLDER =
	process.env.N8N_HARNESS_OWNED_USER_FOLDER ?? join(tmpdir(), `n8n-harness-${process.pid}`);
process.env.N8N_ENCRYPTION_KEY = HARNESS_ENCRYPTION_KEY;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'default';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';

const n8nFolder = join(process.env.N8N_USER_FOLDER, '.n8n');
const settingsFile = join(n8nFolder, 'config');
if (!existsSync(settingsFile)) {
	mkdirSync(n8nFolder, { recursive: true });
	const tmp = `${settingsFile}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify({ encryptionKey: process.env.N8N_ENCRYPTION_KEY }), {
		mode: 0o600,
	});
	renameSync(tmp, settingsFile);
}

export const HARNESS_USER_FOLDER: string = process.env.N8N_USER_FOLDER;
