/**
 * zod helpers: turn the first schema issue into a message that names the field, so a user
 * learns what to fix before anything is sent (or a webhook sender learns what was malformed).
 * Only API shared by zod 3 and zod 4 is used (n8n provides zod at runtime).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { z } from 'zod';
import { invalidParameter } from './parameters';

export interface SchemaProblem {
	/** Dotted path of the offending field, e.g. "body.action.buttons.0.reply.title". */
	path: string;
	message: string;
}

export function firstProblem(schema: z.ZodTypeAny, value: unknown): SchemaProblem | undefined {
	const result = schema.safeParse(value);
	if (result.success) return undefined;
	const issue = result.error.issues[0];
	return { path: issue.path.map(String).join('.'), message: issue.message };
}

/** Checks a parameter's value against a documented pattern; the error names the parameter. */
export function checkField(ctx: IExecuteFunctions, itemIndex: number, label: string, schema: z.ZodTypeAny, value: unknown): void {
	const problem = firstProblem(schema, value);
	if (problem) throw invalidParameter(ctx, itemIndex, label, problem.message);
}
