/**
 * What the Omnidesk Trigger does with a delivery: finds its hookpoint, reads and checks the fields
 * (a file arrives as binary data), gives Omnidesk the answer it expects, counts a repeat once, and
 * starts one execution.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { carry } from '../shared/memory/carried';
import { resumeWaiting } from '../shared/webhook/resume';
import { repeatedInThisProcess } from '../shared/memory/deliveries';
import { asString, field } from '../shared/readers';
import { answer, reject } from '../shared/webhook/answers';
import { parseFieldsRequest, type UploadedFile } from '../shared/webhook/body';
import { HOOKPOINT_NAMES, normalize, type Hookpoint } from './events';
import { repeatKeysOf } from './memory';
import { PATTERNS } from './schemas';

/** The exact 200 body Omnidesk expects from each hookpoint. */
const ANSWERS: Record<Hookpoint, string | IDataObject> = {
	messageForCustomer: 'ok',
	uploadForCustomer: 'ok',
	typingIndicatorForCustomer: 'ok',
	endSession: { message: 'ok' },
};

/**
 * Path of every hookpoint below the node's webhook ID: `/webhook/<webhookId>/hookpoint/<name>`.
 * One static webhook per hookpoint (never a `:param` path with `isFullPath`): n8n stores these as
 * `<webhookId>/hookpoint/<name>`, unique per node, so any number of workflows can be active at once.
 */
export const HOOKPOINT_BASE = 'hookpoint';

/**
 * The hookpoint a delivery was posted to. All four webhooks are named 'default' (n8n's webhook
 * names are 'default' | 'setup'), so it is read off the request path, which n8n matched exactly.
 */
function hookpointOf(ctx: IWebhookFunctions): Hookpoint | undefined {
	const req = ctx.getRequestObject();
	const path = String(req.originalUrl ?? req.url ?? '').split('?')[0].replace(/\/+$/, '');
	return HOOKPOINT_NAMES.find((name) => path.endsWith(`/${HOOKPOINT_BASE}/${name}`));
}

export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const hookpoint = hookpointOf(this);
	if (!hookpoint) return reject(this, 404, `Unknown hookpoint: expected one of ${HOOKPOINT_NAMES.join(', ')}`);
	const parsed = parseFieldsRequest(this);
	if (!parsed.ok) return reject(this, parsed.status, parsed.reason);
	const { fields, files } = parsed.request;

	const sessionId = asString(field(fields, 'sessionID'));
	if (!sessionId) return reject(this, 400, `Missing sessionID in the ${hookpoint} delivery`);
	// Omnidesk echoes the session ID the Omnidesk node sent, which had to match this pattern.
	if (!PATTERNS.sessionIdWithPlus.test(sessionId)) {
		return reject(this, 400, `Invalid sessionID in the ${hookpoint} delivery: it may contain only letters, digits and -, with an optional leading +`);
	}
	if (hookpoint === 'typingIndicatorForCustomer' && field(fields, 'Typing') === undefined) {
		return reject(this, 400, 'Missing Typing in the typingIndicatorForCustomer delivery');
	}

	const file: UploadedFile | undefined = hookpoint === 'uploadForCustomer' ? (files.file ?? Object.values(files)[0]) : undefined;
	const encoded = hookpoint === 'uploadForCustomer' ? asString(field(fields, 'file')) : null;
	if (hookpoint === 'uploadForCustomer' && !file && !encoded) return reject(this, 400, 'Missing file in the uploadForCustomer delivery');

	const expected = ANSWERS[hookpoint];
	const hookpoints = this.getNodeParameter('hookpoints', []) as string[];
	if (!hookpoints.includes(hookpoint)) {
		answer(this, 200, expected);
		return { noWebhookResponse: true };
	}

	const keys = repeatKeysOf(hookpoint, sessionId, fields, file);
	if (keys && repeatedInThisProcess(this, keys)) {
		answer(this, 200, expected);
		return { noWebhookResponse: true };
	}

	let binary: INodeExecutionData['binary'];
	if (hookpoint === 'uploadForCustomer') {
		const binaryPropertyName = this.getNodeParameter('binaryPropertyName', 'data') as string;
		binary = {
			[binaryPropertyName]: file
				? await this.nodeHelpers.copyBinaryFile(file.filepath, file.originalFilename ?? 'file', file.mimetype ?? undefined)
				: // Not documented: a file sent as a base64 field of a JSON or url-encoded body.
					await this.helpers.prepareBinaryData(Buffer.from(encoded ?? '', 'base64'), asString(field(fields, 'fileName')) ?? 'file'),
		};
	}

	// Answered once the file is stored: an agent's file and the message after it start their
	// executions in the order Omnidesk sent them.
	answer(this, 200, expected);
	const event = normalize(hookpoint, sessionId, fields, binary);
	const toStart = await resumeWaiting(this, [{ json: event as unknown as IDataObject, ...(binary ? { binary } : {}) }]);
	if (!toStart.length) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [carry(this, toStart, keys?.key)] };
}
