/** n8n's HTTP Request node (4.2) set up to make again a request the sandbox recorded from our node. */
import type { RecordedRequest } from '../../test/sandbox';

/**
 * Parameters of an HTTP Request 4.2 node making `request` again against the sandbox at `sandboxUrl`:
 * same method, URL, headers and body. The `authHeader` goes into the node's Header Auth credential
 * (`inline: false`) or into its header parameters as typed text (`inline: true`).
 */
export function httpRequestParameters(sandboxUrl: string, request: RecordedRequest, authHeader: string, inline = false): Record<string, unknown> {
	const skip = new Set(['host', 'connection', 'content-length', 'content-type', 'accept-encoding', 'user-agent', 'accept', authHeader]);
	const headers = Object.entries(request.headers)
		.filter(([name]) => !skip.has(name))
		.map(([name, value]) => ({ name, value: String(value) }));
	if (inline) headers.push({ name: authHeader, value: String(request.headers[authHeader]) });
	const parameters: Record<string, unknown> = {
		method: request.method,
		url: `${sandboxUrl}${request.url}`,
		...(inline ? { authentication: 'none' } : { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }),
		sendHeaders: headers.length > 0,
		headerParameters: { parameters: headers },
		sendBody: true,
		options: {},
	};
	if (request.bodyKind === 'multipart') {
		const fields = (request.body as { fields: Record<string, string> }).fields;
		parameters.contentType = 'multipart-form-data';
		parameters.bodyParameters = { parameters: Object.entries(fields).map(([name, value]) => ({ parameterType: 'formData', name, value })) };
	} else {
		parameters.contentType = 'json';
		parameters.specifyBody = 'json';
		parameters.jsonBody = JSON.stringify(request.body);
	}
	return parameters;
}
