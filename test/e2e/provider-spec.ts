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
	/**
	 * A workflow made by the test instead of the file (then `file` is only its title): for what
	 * must be proven in a real n8n but is no example for users.
	 */
	workflow?(): WorkflowFile;
	/** Credential type → key in `credentials` for the nodes of this example. */
	credentials: Record<string, string>;
	/**
	 * Choices the example leaves to the user (e.g. which AI agent to ask), made on the loaded file
	 * as a user would in the editor before activating. Nothing else is changed.
	 */
	prepare?(file: WorkflowFile, sandbox: Sandbox): void;
	/** Run in order against the active workflow; the sandbox is not reset between them. */
	scenarios: Array<{ title: string; run(ctx: ScenarioContext): Promise<void> }>;
	/**
	 * Why this example cannot run in this n8n (e.g. queue mode), or undefined: the example is then
	 * not imported and shows as one skipped test named by the reason.
	 */
	skip?(): string | undefined;
}

/** One copy of a trigger in the side-by-side check (triggers.e2e.ts): its own workflow. */
export interface TriggerCopy {
	/** `<n8n>/webhook/<webhookId>`: where this copy's production URLs start. */
	webhookBase: string;
	/** Marks what is sent to this copy (unique per copy and round), e.g. `c2r3`. */
	tag: string;
	/** Same for every copy within a round (e.g. a provider message ID sent to each copy). */
	round: string;
}

export interface TriggerDeliverySpec {
	title: string;
	/** Sends the delivery to `copy` as the provider does; resolves with the HTTP answer. */
	send(sandbox: Sandbox, copy: TriggerCopy): Promise<{ status: number; body: unknown }>;
	answer: { status: number; body: unknown };
	/** The normalized item the trigger outputs for it (matched with toMatchObject). */
	item(copy: TriggerCopy): Record<string, unknown>;
}

/**
 * A trigger type of the package in several workflows at once: each copy is a workflow of its own
 * (only the trigger, its own webhook ID), activated side by side, and every delivery must reach
 * its own copy and no other.
 */
export interface TriggerE2E {
	/** Node type name without the package prefix, e.g. `omnideskTrigger`. */
	type: string;
	parameters: Record<string, unknown>;
	/**
	 * Credential type → key in the provider's `credentials`, for a trigger that needs one (e.g. to
	 * check signatures): triggers.e2e.ts creates those credentials and attaches them to every copy.
	 */
	credentials?: Record<string, string>;
	/** Workflows active at once at the end (at least 2); they are activated one by one. */
	copies: number;
	deliveries: TriggerDeliverySpec[];
}

export interface ProviderE2E {
	name: string;
	credentials: CredentialSpec[];
	credentialTests: CredentialTestSpec[];
	examples: ExampleSpec[];
	/** Every trigger type of this provider (triggers.e2e.ts fails for a trigger without one). */
	triggers?: TriggerE2E[];
}
