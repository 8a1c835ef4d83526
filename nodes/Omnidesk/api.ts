/** Omnidesk's side of the shared transport, and the form-encoded chat call every operation makes. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { runCredentials } from '../shared/run-credentials';
import { encodeMultipart, encodeUrlEncoded, type FormValue } from '../shared/multipart';
import type { ProviderApi, ProviderError } from '../shared/provider-api';
import { apiRequest } from '../shared/transport';
import { checkField } from '../shared/validation';
import { chatAccountToken } from './schemas';

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
	const credentials = await runCredentials(this, 'omnideskApi', itemIndex);
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
