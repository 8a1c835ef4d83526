import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { CHAT_SERVER_KEY } from './api';
import { PATTERNS } from './schemas';
import { carry } from '../shared/memory/carried';
import { repeatedInThisProcess, repeatKeys } from '../shared/memory/deliveries';
import { triggerStep } from '../shared/memory/trigger-step';
import { triggerWorkflowData } from '../shared/memory/workflow-data';
import type { ChatEvent, UploadedFile } from '../shared/webhook';
import { answer, asString, field, parseFieldsRequest, reject } from '../shared/webhook';

/** The four paths Omnidesk posts to below `chatServer`, and the exact 200 body each expects. */
export const HOOKPOINTS = {
	messageForCustomer: 'ok',
	uploadForCustomer: 'ok',
	typingIndicatorForCustomer: 'ok',
	endSession: { message: 'ok' },
} as const;

type Hookpoint = keyof typeof HOOKPOINTS;

/**
 * Omnidesk sends no delivery ID and documents no retries (omnidesk.md §8): copies with the same
 * content within this window count as one delivery (a retry, a double click) — an agent's message
 * or file for 10 s, a session's end for 10 min. Typing is a state, never deduplicated.
 */
const REPEAT_WINDOW_MS: Partial<Record<Hookpoint, number>> = {
	messageForCustomer: 10_000,
	uploadForCustomer: 10_000,
	endSession: 10 * 60_000,
};

/** What makes two deliveries the same: the session for an end, else every field (and the file's name, type and size). */
function identityOf(hookpoint: Hookpoint, sessionId: string, fields: IDataObject, file: UploadedFile | undefined): string {
	if (hookpoint === 'endSession') return sessionId;
	const sorted = Object.keys(fields)
		.sort()
		.map((name) => [name, fields[name]]);
	return JSON.stringify([sorted, file ? [file.originalFilename ?? '', file.mimetype ?? '', file.size ?? 0] : null]);
}

export { CHAT_SERVER_KEY };

const HOOKPOINT_NAMES = Object.keys(HOOKPOINTS) as Hookpoint[];

/**
 * Path of every hookpoint below the node's webhook ID: `/webhook/<webhookId>/hookpoint/<name>`.
 * One static webhook per hookpoint (never a `:param` path with `isFullPath`): n8n stores these as
 * `<webhookId>/hookpoint/<name>`, unique per node, so any number of workflows can be active at once.
 */
const HOOKPOINT_BASE = 'hookpoint';

/** This trigger's `chatServer`: the part of its hookpoint URLs before `/<hookpoint>`. */
function chatServerOf(ctx: IHookFunctions): string {
	// The first webhook named 'default' is the messageForCustomer one.
	const url = ctx.getNodeWebhookUrl('default') ?? '';
	return url.slice(0, url.length - HOOKPOINT_NAMES[0].length - 1);
}

/**
 * The hookpoint a delivery was posted to. All four webhooks are named 'default' (n8n's webhook
 * names are 'default' | 'setup'), so it is read off the request path, which n8n matched exactly.
 */
function hookpointOf(ctx: IWebhookFunctions): Hookpoint | undefined {
	const req = ctx.getRequestObject();
	const path = String(req.originalUrl ?? req.url ?? '').split('?')[0].replace(/\/+$/, '');
	return HOOKPOINT_NAMES.find((name) => path.endsWith(`/${HOOKPOINT_BASE}/${name}`));
}

function truthy(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	return ['1', 'true', 'yes', 'on'].includes(String(value ?? '').trim().toLowerCase());
}

export class OmnideskTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Omnidesk Trigger',
		name: 'omnideskTrigger',
		icon: { light: 'file:omnidesk.svg', dark: 'file:omnidesk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["hookpoints"].join(", ")}}',
		description: 'Starts the workflow when an Omnidesk agent replies, sends a file, types or ends a chat',
		defaults: { name: 'Omnidesk Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: HOOKPOINT_NAMES.map((hookpoint) => ({
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
			responseData: '',
			path: `${HOOKPOINT_BASE}/${hookpoint}`,
		})),
		properties: [
			{
				displayName:
					'Omnidesk posts agent replies to the "chatServer" you send with each customer message. Its value is one of this node\'s Production URLs without the last part ("/messageForCustomer" and so on): it ends in "/hookpoint". The Omnidesk node fills it in by itself when its Chat Server is left empty and this workflow is active. Omnidesk sends no signature: the random part of the URL is the only secret, so do not share it. Updated this package from 0.1.0? Deactivate and activate this workflow once so n8n registers the four hookpoints.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Hookpoints',
				name: 'hookpoints',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Agent File (uploadForCustomer)',
						value: 'uploadForCustomer',
						description: 'An agent sent a file; it arrives as binary data',
					},
					{
						name: 'Agent Message (messageForCustomer)',
						value: 'messageForCustomer',
						description: 'An agent replied to the customer',
					},
					{
						name: 'Agent Typing (typingIndicatorForCustomer)',
						value: 'typingIndicatorForCustomer',
						description: 'An agent started or stopped typing',
					},
					{
						name: 'Session Ended (endSession)',
						value: 'endSession',
						description: 'An agent pressed stop in the ticket',
					},
				],
				default: ['messageForCustomer', 'uploadForCustomer', 'typingIndicatorForCustomer', 'endSession'],
				description: 'Which deliveries start the workflow; the others still get the answer Omnidesk expects',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Name of the binary field that holds an agent’s file',
				displayOptions: { show: { hookpoints: ['uploadForCustomer'] } },
			},
		],
	};

	// Nothing is registered at Omnidesk: the chatServer travels with each customer message. On
	// activation the trigger records its chatServer in the workflow's static data so the
	// Omnidesk node of the same workflow can use it; on deactivation it removes it.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return triggerWorkflowData(this)[CHAT_SERVER_KEY] === chatServerOf(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				triggerWorkflowData(this)[CHAT_SERVER_KEY] = chatServerOf(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = triggerWorkflowData(this);
				if (staticData[CHAT_SERVER_KEY] === chatServerOf(this)) delete staticData[CHAT_SERVER_KEY];
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
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

		const expected = HOOKPOINTS[hookpoint];
		const hookpoints = this.getNodeParameter('hookpoints', []) as string[];
		if (!hookpoints.includes(hookpoint)) {
			answer(this, 200, expected);
			return { noWebhookResponse: true };
		}

		const window = REPEAT_WINDOW_MS[hookpoint];
		const keys = window ? repeatKeys(hookpoint, identityOf(hookpoint, sessionId, fields, file), window) : undefined;
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
		return {
			noWebhookResponse: true,
			workflowData: [carry(this, [{ json: event as unknown as IDataObject, ...(binary ? { binary } : {}) }], keys?.key)],
		};
	}

	/** First step of the execution: hands on what the webhook carried (shared/memory). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triggerStep(this);
	}
}

function normalize(
	hookpoint: Hookpoint,
	sessionId: string,
	fields: IDataObject,
	binary: INodeExecutionData['binary'],
): ChatEvent {
	const agentName = asString(field(fields, 'name'));
	const base: ChatEvent = {
		provider: 'omnidesk',
		event: hookpoint,
		conversationId: sessionId,
		messageId: null,
		text: null,
		messageType: null,
		sender: { type: 'agent', id: null, name: agentName },
		createdAt: new Date().toISOString(),
		raw: fields,
	};
	if (hookpoint === 'messageForCustomer') {
		return { ...base, text: asString(field(fields, 'message')), messageType: 'text' };
	}
	if (hookpoint === 'uploadForCustomer') {
		const file = binary ? Object.values(binary)[0] : undefined;
		return { ...base, text: file?.fileName ?? null, messageType: 'file' };
	}
	if (hookpoint === 'typingIndicatorForCustomer') {
		return { ...base, messageType: truthy(field(fields, 'Typing')) ? 'typing_started' : 'typing_stopped' };
	}
	return { ...base, messageType: 'session_ended' };
}
