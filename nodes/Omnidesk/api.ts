/** Omnidesk's side of the shared transport, and the form-encoded chat call every operation makes. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { encodeMultipart, encodeUrlEncoded, type FormValue } from '../shared/multipart';
import { invalidParameter, textParameter } from '../shared/parameters';
import type { ProviderError } from '../shared/errors';
import { apiRequest, type ProviderApi } from '../shared/transport';
import type { z } from 'zod';
import { readWorkflowData } from '../shared/memory/workflow-data';
import { firstProblem } from '../shared/validation';
import { chatAccountToken, chatServer } from './schemas';

/** Workflow-data key under which the Omnidesk Trigger records its chatServer at activation. */
export const CHAT_SERVER_KEY = 'omnideskChatServer';

/** Omnidesk error bodies: legacy `{status: "error", message}`; chatbot uses `result`. */
export function parseOmnideskError(_status: number, body: unknown): ProviderError | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const data = body as IDataObject;
	if (typeof data.message === 'string' && data.message) return { message: data.message };
	if (typeof data.error === 'string' && data.error) return { message: data.error };
	return undefined;
}

export const omnideskApi: ProviderApi = {
	name: 'Omnidesk',
	credentialType: 'omnideskApi',
	baseUrl: (credentials) => String(credentials.baseUrl ?? ''),
	secretFields: ['apiKey', 'chatAccountToken', 'chatServerToken'],
	parseError: parseOmnideskError,
};

/** Checks `value` against a documented pattern; the error names the parameter. */
export function checkField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	schema: z.ZodTypeAny,
	value: unknown,
): void {
	const problem = firstProblem(schema, value);
	if (problem) throw invalidParameter(ctx, itemIndex, label, problem.message);
}

export interface ChatCallOptions {
	path: string;
	fields: Array<[string, FormValue | undefined]>;
	/** Add the credential's chat account token as this field. */
	withChatAccountToken?: boolean;
	/** File uploads are multipart whatever the credential says. */
	forceMultipart?: boolean;
}

/** POSTs a form to `{account}/api/v2/...`, encoded as the credential says. */
export async function omnideskChatCall(
	this: IExecuteFunctions,
	itemIndex: number,
	options: ChatCallOptions,
): Promise<IDataObject> {
	const credentials = await this.getCredentials('omnideskApi', itemIndex);
	const fields = options.fields.filter((entry): entry is [string, FormValue] => entry[1] !== undefined && entry[1] !== '');
	if (options.withChatAccountToken) {
		const token = String(credentials.chatAccountToken ?? '');
		checkField(this, itemIndex, 'Chat Account Token', chatAccountToken, token);
		fields.push(['chatAccountToken', token]);
	}
	const form =
		options.forceMultipart || credentials.encoding !== 'urlencoded' ? encodeMultipart(fields) : encodeUrlEncoded(fields);
	const response = await apiRequest.call(this, omnideskApi, {
		method: 'POST',
		path: options.path,
		body: form.body,
		headers: { 'Content-Type': form.contentType, Accept: 'application/json' },
		json: false,
		itemIndex,
	});
	return response && typeof response === 'object' ? (response as IDataObject) : { response: response as string };
}

/** The `chatServer` to use: the parameter, else the one the workflow's Omnidesk Trigger registered. */
export function resolveChatServer(ctx: IExecuteFunctions, itemIndex: number): string {
	const given = textParameter(ctx, itemIndex, 'chatServer', 'Chat Server', { trim: true });
	const value = given || String(readWorkflowData(ctx, CHAT_SERVER_KEY) ?? '');
	if (!value) {
		throw invalidParameter(
			ctx,
			itemIndex,
			'Chat Server',
			'is empty and this workflow has no active Omnidesk Trigger to take it from. Activate the workflow with an Omnidesk Trigger, or paste the trigger’s chatServer: its Production URL without the last part, like https://<your n8n>/webhook/<its webhook ID>/hookpoint. In queue mode the node finds it by itself only in executions that one of this package’s triggers started; for others (a Schedule or Webhook trigger), paste it.',
		);
	}
	checkField(ctx, itemIndex, 'Chat Server', chatServer, value);
	return value;
}
