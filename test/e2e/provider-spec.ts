/**
 * What a provider contributes to the e2e suite: one file per provider in test/e2e/providers/
 * exporting `provider: ProviderE2E`; providers.e2e.ts finds them all.
 */
import type { Sandbox } from '../sandbox';
import type { CreatedCredential, CredentialTestResult, ImportedWorkflow, WorkflowFile } from './context';

export interface CredentialSpec {
	/** Key used to refer to it in examples (`credentials[key]`) and credential tests. */
	key: string;
	type: string;
	name: string;
	data(sandbox: Sandbox): Record<string, unknown>;
}

export interface CredentialTestSpec {
	title: string;
	/** A credential from `credentials` (by key), or a new one made for this test. */
	credential: string | Omit<CredentialSpec, 'key'>;
	/** Data sent with the test, as the editor sends the form (defaults to the stored data). */
	data?(sandbox: Sandbox): Record<string, unknown>;
	expect: { status: CredentialTestResult['status']; message?: RegExp };
	/** Extra checks, e.g. what the sandbox received. */
	verify?(sandbox: Sandbox): void | Promise<void>;
}

export interface ScenarioContext {
	sandbox: Sandbox;
	workflow: ImportedWorkflow;
	credentials: Record<string, CreatedCredential>;
}

export interface ExampleSpec {
	/** File in examples/; imported as is, only credential references replaced. */
	file: string;
	/** Credential type → key in `credentials` for the nodes of this example. */
	credentials: Record<string, string>;
	/**
	 * Choices the example leaves to the user (e.g. which AI agent to ask), made on the loaded file
	 * as a user would in the editor before activating. Nothing else is changed.
	 */
	prepare?(file: WorkflowFile, sandbox: Sandbox): void;
	/** Run in order against the active workflow; the sandbox is not reset between them. */
	scenarios: Array<{ title: string; run(ctx: ScenarioContext): Promise<void> }>;
}

export interface ProviderE2E {
	name: string;
	credentials: CredentialSpec[];
	credentialTests: CredentialTestSpec[];
	examples: ExampleSpec[];
}
