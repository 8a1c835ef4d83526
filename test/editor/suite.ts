/**
 * What every editor-suite file starts from: the provider sandbox and a logged-in editor (its
 * beforeAll/afterAll), the closing check on the browser's console, and the switch that breaks a
 * fixture on purpose to prove the suite fails (EDITOR_SUITE_BREAK, see README.md).
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { openEditor, unexpectedErrors, type ConsoleEntry, type EditorSession } from './browser';

export interface EditorSuite {
	readonly sandbox: Sandbox;
	readonly session: EditorSession;
}

/**
 * `EDITOR_SUITE_BREAK=parameter|list|credential` breaks one fixture on purpose: a "correctly filled"
 * panel gets an empty required field, a list's good credential a wrong key, a good credential form
 * a wrong secret. The suite must then fail (each was run once; README.md says what it printed).
 */
export const BROKEN = process.env.EDITOR_SUITE_BREAK as 'parameter' | 'list' | 'credential' | undefined;

/** Registers the file's setup and teardown; `ready` runs once both are up. */
export function editorSuite(ready?: (suite: EditorSuite) => Promise<void>): EditorSuite {
	const suite = {} as { sandbox: Sandbox; session: EditorSession };
	beforeAll(async () => {
		suite.sandbox = await startSandbox();
		suite.session = await openEditor();
		await ready?.(suite);
	});
	afterAll(async () => {
		await suite.session?.close();
		await suite.sandbox?.close();
	});
	return suite;
}

/** The file's last test: nothing in the browser's console but n8n's known noise (and what `expected` allows). */
export function noConsoleErrors(suite: EditorSuite, what: string, expected: (entry: ConsoleEntry) => boolean = () => false): void {
	test(`no uncaught error or console error in the editor while ${what}`, () => {
		expect(unexpectedErrors(suite.session.errors).filter((entry) => !expected(entry))).toEqual([]);
	});
}
