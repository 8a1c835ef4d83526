/**
 * Calls a trigger node's `webhook()` through a real HTTP request to a local server, handling
 * the request the way n8n's webhook server does (n8n 2.41, packages/cli/src/webhooks/):
 *
 *  live-webhooks.ts          find the webhook by method + path (404 otherwise), reset
 *                            `req.params` (+ `:dynamic` path params), strip n8n auth cookies,
 *                            save changed static data once the webhook answered without error
 *  webhook-helpers.ts        `executeWebhook`: response options from the webhook description,
 *                            `parseRequestBody` (see body-parser.ts), `invokeWebhook` through
 *                            `WebhookService.runWebhook` (a real n8n-core WebhookContext),
 *                            `handleImmediateWebhookResponse`, the `onReceived` response
 *  webhook-request-handler.ts  how responses and errors are written (`sendErrorResponse`)
 *
 * Responses n8n sends (responseMode `onReceived`, responseCode default 200):
 *  - webhook() returned `noWebhookResponse: true`: nothing; the node answered through `res`.
 *  - no `workflowData` (no execution): `webhookResponse` if given, else
 *    `{"message":"Webhook call received"}`, with the description's responseCode.
 *  - `workflowData` (an execution starts): `responseData` of the webhook description evaluated
 *    with default 'firstEntryJson'; 'noData' → empty body; any other truthy value IS the body;
 *    only a falsy one ('') falls back to `webhookResponse`, then `{"message":"Workflow was
 *    started"}`. So a description WITHOUT `responseData` answers the text `firstEntryJson` even
 *    when webhookResponse is set (webhook-helpers.js executeWebhook → extractWebhookOnReceived-
 *    Response). This response also gets `Content-Security-Policy: sandbox …`.
 *  - webhook() threw: HTTP 500 `{"code":0,"message":"Workflow Webhook Error: Workflow could not
 *    be started!"}` and static data is not saved.
 *  - body that fails to parse: HTTP 422 `{"code":422,"message":"Failed to parse request body",
 *    "hint":…}`, webhook() is not called.
 *  A string body is sent with `res.send`, anything else with `res.json`.
 */
import { once } from 'node:events';
import {
	request as httpRequest,
	createServer,
	validateHeaderName,
	validateHeaderValue,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { stringify as stringifyQuery } from 'node:querystring';

import { HookContext, WebhookContext, getHtmlSandboxCSP, isWebhookHtmlSandboxingDisabled } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	NodeParameterValueType,
	WebhookSetupMethodNames,
	WebhookType,
	WorkflowActivateMode,
} from 'n8n-workflow';
import {
	UnexpectedError,
	UserError,
	Workflow,
	isNodeClassInstance,
	resolveWebhookDescriptionField,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { HttpResponseError, parseRequestBody, rawBodyReader } from './body-parser';
import { autoAssignCredentials, createEnvironment, type EnvironmentOptions, type HarnessEnvironment } from './context';
import type { CredentialsStore } from './credentials';
import { decorateRequest, decorateResponse, type HarnessRequest, type HarnessResponse } from './express-shim';
import { type AnyNodeType, normalizeNodes } from './node-types';
import { writeBack } from './run-workflow';
import { getNodeWebhooks, refuseSharedWebhookPaths } from './webhook-registry';

export const HARNESS_WORKFLOW_ID = 'harness-workflow';

export interface WebhookRequestInput {
	/** Default: the webhook's (first) httpMethod. */
	method?: IHttpRequestMethods | 'OPTIONS' | string;
	/**
	 * Path after `/webhook/`, e.g. `<webhookId>/<path>`. Default: the node's registered webhook
	 * path (n8n: `<webhookId>/<description path>`). A path no webhook is registered for gets
	 * n8n's 404.
	 */
	path?: string;
	/** Sent as is. Nothing is added except Host, Connection and Content-Length. */
	headers?: Record<string, string | string[]>;
	/**
	 * Raw body bytes exactly as sent (string → utf-8). An object is a shortcut for
	 * JSON.stringify(body) with `Content-Type: application/json` unless a content type is given.
	 */
	body?: string | Buffer | object;
	query?: Record<string, string | string[]>;
}

export interface WebhookCallResult {
	/** What the HTTP client received */
	status: number;
	headers: Record<string, string>;
	body: string;
	/** `body` parsed as JSON when it is JSON, else undefined */
	json?: any;
	/** `workflowData` returned by webhook() — the items an execution starts with; undefined if none */
	items?: INodeExecutionData[][];
	/** Everything webhook() returned (undefined if it threw or was not called) */
	webhookResponseData?: IWebhookResponseData;
	/** The error webhook() threw, if it threw */
	webhookError?: Error;
	/**
	 * Set when n8n would have failed to write its response, typically because the node wrote to
	 * `res` itself but did not return `noWebhookResponse: true` (n8n then tries to answer a
	 * second time).
	 */
	responseError?: Error;
	/** Static data after the call (same object as `options.staticData` when given) */
	staticData: IDataObject;
	credentialsStore: CredentialsStore;
	/** The request as the node saw it (`this.getRequestObject()`), for assertions */
	request?: { body: unknown; rawBody?: Buffer; headers: IncomingMessage['headers']; query: unknown; params: unknown };
}

export interface CallWebhookOptions extends EnvironmentOptions {
	nodeType: AnyNodeType;
	/** parameters, credentials, name, webhookId, typeVersion… (defaults filled in) */
	node?: Partial<INode>;
	request?: WebhookRequestInput;
	/**
	 * Workflow static data. Read by `this.getWorkflowStaticData()`; written back into this same
	 * object when it changed and webhook() did not throw, like n8n saves it — pass the same
	 * object to the next call to see it (redelivery/dedup tests).
	 */
	staticData?: IDataObject;
	/** Which webhook description of the node to call, e.g. 'setup'. Default: matched by method/path. */
	webhookName?: WebhookType;
	/** 'webhook' (production URL, default) or 'manual' (test URL `/webhook-test/…`). */
	mode?: 'webhook' | 'manual';
	/** Safety net for nodes that never answer. Default 15000 ms. */
	timeoutMs?: number;
}

export interface ExecuteWebhookOptions extends Omit<CallWebhookOptions, 'nodeType' | 'node'> {
	env: HarnessEnvironment;
	nodes: INode[];
	connections: IConnections;
	triggerNodeName: string;
}

const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];
const SUPPORTED_RESPONSE_MODES = ['onReceived', 'lastNode', 'responseNode', 'formPage', 'streaming', 'hostedChat'];
/** n8n-auth / browser-id / form-oauth cookies are stripped before a node sees the request. */
const DISALLOWED_COOKIES = new Set(['n8n-auth', 'n8n-browserId', 'n8n-form-oauth']);
const PROTECTED_HEADERS = new Set(['content-security-policy', 'strict-transport-security', 'clear-site-data']);

/**
 * webhook.service.ts findWebhook: a static webhook by its whole path; a dynamic one (a path with
 * `:params`, stored with the node's webhookId and `pathLength` = the segments of its stored path)
 * by the first request segment = webhookId and the remaining segment count = pathLength. A
 * dynamic path without `isFullPath` is stored as `<webhookId>/<path>`, one segment longer than
 * the lookup counts, so n8n never finds it (404) — mirrored here.
 */
function matchWebhook(webhook: IWebhookData, requested: string): Record<string, string> | undefined {
	if (!webhook.webhookId) return matchPath(webhook.path, requested);
	const [uuid, ...rest] = requested.split('/');
	if (uuid !== webhook.webhookId || rest.length !== webhook.path.split('/').length) return undefined;
	return matchPath(webhook.path, rest.join('/'));
}

function matchPath(registered: string, requested: string): Record<string, string> | undefined {
	if (registered === requested) return {};
	const reg = registered.split('/');
	const req = requested.split('/');
	if (reg.length !== req.length || !reg.some((s) => s.startsWith(':'))) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < reg.length; i++) {
		if (reg[i].startsWith(':')) params[reg[i].slice(1)] = req[i];
		else if (reg[i] !== req[i]) return undefined;
	}
	return params;
}

/**
 * ResponseHelper.sendErrorResponse (classifyHttpError + serializeInternalRestError): a
 * ResponseError → its status, `{ code: errorCode, message, hint? }`; a UserError → 400; anything
 * else → 500, `{ code: 0, message }`.
 */
function sendErrorResponse(res: HarnessResponse, error: Error) {
	const response: { code: number; message: string; hint?: string } = {
		code: 0,
		message: error.message ?? 'Unknown error',
	};
	let httpStatusCode = 500;
	if (error instanceof HttpResponseError) {
		httpStatusCode = error.httpStatusCode;
		response.code = error.errorCode;
		if (error.hint) response.hint = error.hint;
	} else if (error instanceof UserError) {
		httpStatusCode = 400;
	}
	res.status(httpStatusCode).json(response);
}

/** WebhookRequestHandler.sendLegacyResponse with raw = true */
function sendLegacyResponse(res: HarnessResponse, data: unknown, responseCode?: number) {
	if (responseCode !== undefined) res.status(responseCode);
	if (typeof data === 'string') res.send(data);
	else res.json(data);
}

/** WebhookRequestHandler.sendStaticResponse */
function sendStaticResponse(
	res: HarnessResponse,
	body: unknown,
	code: number | undefined,
	headers: Record<string, string>,
) {
	if (code !== undefined) res.status(code);
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	if (!isWebhookHtmlSandboxingDisabled()) res.setHeader('Content-Security-Policy', getHtmlSandboxCSP());
	if (typeof body === 'string') res.send(body);
	else res.json(body);
}

function sanitizeCookies(req: HarnessRequest) {
	const header = req.headers.cookie;
	if (typeof header !== 'string') return;
	const cookies = header.split(';').map((c) => c.trim());
	const kept = cookies.filter((c) => !DISALLOWED_COOKIES.has(c.split('=')[0]));
	if (kept.length !== cookies.length) req.headers.cookie = kept.join('; ');
}

interface HandlerOutcome {
	webhookResponseData?: IWebhookResponseData;
	webhookError?: Error;
	responseError?: Error;
	harnessError?: Error;
	requestSeen?: WebhookCallResult['request'];
}

/**
 * Runs one HTTP exchange against the trigger node of a prepared workflow. Used by callWebhook
 * and runWebhookWorkflow.
 */
export async function executeWebhookRequest(
	opts: ExecuteWebhookOptions,
): Promise<WebhookCallResult & { workflow: Workflow }> {
	const { env } = opts;
	const mode = opts.mode ?? 'webhook';
	const prefix = mode === 'manual' ? 'webhook-test' : 'webhook';
	const staticData = opts.staticData ?? {};

	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	const baseUrl = `http://127.0.0.1:${port}`;

	try {
		const workflow = new Workflow({
			id: HARNESS_WORKFLOW_ID,
			name: 'Harness workflow',
			nodes: opts.nodes,
			connections: opts.connections,
			active: true,
			nodeTypes: env.nodeTypes,
			staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
		const additionalData = buildAdditionalData({
			credentialsHelper: env.credentialsHelper,
			workflowId: HARNESS_WORKFLOW_ID,
			instanceBaseUrl: baseUrl,
		});
		const node = workflow.getNode(opts.triggerNodeName);
		if (!node) throw new UnexpectedError(`Node "${opts.triggerNodeName}" not found`);
		refuseSharedWebhookPaths(env.nodeTypes, node, additionalData);
		let webhooks = getNodeWebhooks(workflow, node, additionalData);
		if (opts.webhookName) webhooks = webhooks.filter((w) => w.webhookDescription.name === opts.webhookName);
		if (webhooks.length === 0) {
			throw new UnexpectedError(
				`Node "${node.name}" has no webhook${opts.webhookName ? ` named "${opts.webhookName}"` : ''}`,
			);
		}
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (nodeType.webhook === undefined) throw new UnexpectedError(`Node "${node.name}" has no webhook() method`);

		const input = opts.request ?? {};
		const method = (input.method ?? webhooks[0].httpMethod).toUpperCase();
		const requestPath = (input.path ?? webhooks[0].path).replace(/^\//, '');
		const query = input.query && Object.keys(input.query).length ? `?${stringifyQuery(input.query)}` : '';

		const outcome: HandlerOutcome = {};
		let handlerDone: Promise<void> | undefined;
		server.on('request', (req: IncomingMessage, res: ServerResponse) => {
			handlerDone = handle(req, res).catch((e: Error) => {
				outcome.harnessError = e;
				if (!res.headersSent) res.writeHead(500).end(`harness error: ${e.message}`);
			});
		});

		const handle = async (rawReq: IncomingMessage, rawRes: ServerResponse) => {
			const req = decorateRequest(rawReq, prefix.length + 1);
			const res = decorateResponse(rawRes, req);
			rawBodyReader(req);
			const tryRespond = (fn: () => void) => {
				try {
					fn();
				} catch (e) {
					outcome.responseError ??= e as Error;
				}
			};

			if (!req.path.startsWith(`/${prefix}/`)) {
				sendErrorResponse(res, new HttpResponseError(`Cannot ${req.method} ${req.path}`, 404));
				return;
			}
			if (req.method !== 'OPTIONS' && !WEBHOOK_METHODS.includes(req.method ?? '')) {
				return sendErrorResponse(res, new Error(`The method ${req.method} is not supported.`));
			}
			if (req.method === 'OPTIONS') {
				res.status(204).json({});
				return;
			}

			// live-webhooks.ts: findWebhook (trailing slash removed) + params
			let path = decodeURIComponent(req.path.slice(prefix.length + 2));
			if (path.endsWith('/')) path = path.slice(0, -1);
			let params: Record<string, string> | undefined;
			const webhookData = webhooks.find(
				(w) => w.httpMethod === req.method && (params = matchWebhook(w, path)) !== undefined,
			);
			if (!webhookData || !params) {
				const webhookMethods = webhooks.filter((w) => matchWebhook(w, path)).map((w) => w.httpMethod);
				let message = `The requested webhook "${req.method} ${path}" is not registered.`;
				if (webhookMethods.length) {
					const methods =
						webhookMethods.length === 1
							? webhookMethods[0]
							: `${webhookMethods.slice(0, -1).join(', ')} or ${webhookMethods[webhookMethods.length - 1]}`;
					message = `This webhook is not registered for ${req.method} requests. Did you mean to make a ${methods} request?`;
				}
				const hint = webhookMethods.length
					? undefined
					: mode === 'manual'
						? "Click the 'Execute workflow' button on the canvas, then try again. (In test mode, the webhook only works for one call after you click this button)"
						: "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)";
				return sendErrorResponse(res, new HttpResponseError(message, 404, 404, hint));
			}
			req.params = params;
			sanitizeCookies(req);
			if (mode === 'manual') webhookData.isTest = true;

			// webhook-helpers.ts executeWebhook
			const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $executionId: undefined };
			const description = webhookData.webhookDescription;
			const evaluateSimple = <T extends boolean | number | string | unknown[]>(name: string, defaultValue?: T) => {
				const native = resolveWebhookDescriptionField(node, description, name);
				if (native.resolved) return native.value as T | undefined;
				return workflow.expression.getSimpleParameterValue(
					node,
					description[name] as string | boolean | undefined,
					mode,
					additionalKeys,
					undefined,
					defaultValue,
				) as T | undefined;
			};
			const evaluateComplex = <T extends NodeParameterValueType>(name: string, defaultValue?: T) => {
				const native = resolveWebhookDescriptionField(node, description, name);
				if (native.resolved) return native.value as T | undefined;
				return workflow.expression.getComplexParameterValue(
					node,
					description[name] as string,
					mode,
					additionalKeys,
					undefined,
					defaultValue,
				) as T | undefined;
			};
			const responseMode = evaluateSimple<string>('responseMode', 'onReceived') as string;
			const responseCode = evaluateSimple<number>('responseCode', 200) as number;
			if (!SUPPORTED_RESPONSE_MODES.includes(responseMode)) {
				return sendErrorResponse(res, new Error(`The response mode '${responseMode}' is not valid!`));
			}
			if (responseMode !== 'onReceived') {
				outcome.harnessError = new UnexpectedError(
					`responseMode "${responseMode}" is not supported by the test harness (only "onReceived")`,
				);
				return sendErrorResponse(res, outcome.harnessError);
			}

			let cleanup: (() => Promise<void>) | undefined;
			try {
				cleanup = await parseRequestBody(req, node.typeVersion);

				additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
				additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
				outcome.requestSeen = {
					body: req.body,
					rawBody: req.rawBody,
					headers: req.headers,
					query: req.query,
					params: req.params,
				};

				// invokeWebhook → WebhookService.runWebhook
				let result: IWebhookResponseData;
				try {
					const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
					result = isNodeClassInstance(nodeType)
						? await (nodeType.webhook as (c: WebhookContext) => Promise<IWebhookResponseData>)(context)
						: await nodeType.webhook!.call(context);
					outcome.webhookResponseData = result;
				} catch (e) {
					outcome.webhookError = e as Error;
					tryRespond(() =>
						sendErrorResponse(res, new Error('Workflow Webhook Error: Workflow could not be started!')),
					);
					return; // static data is only saved on success
				}
				outcome.requestSeen.rawBody = req.rawBody;
				await cleanup?.();
				cleanup = undefined;

				// evaluateResponseHeaders: { entries: [{ name, value }] }
				const headers: Record<string, string> = {};
				if (description.responseHeaders !== undefined) {
					const evaluated = evaluateComplex<NodeParameterValueType>('responseHeaders') as
						| { entries?: Array<{ name: string; value: string }> }
						| undefined;
					for (const { name, value } of evaluated?.entries ?? []) {
						// WebhookResponseHeaders drops protected and invalid headers
						const lower = name.toLowerCase();
						if (PROTECTED_HEADERS.has(lower)) continue;
						try {
							validateHeaderName(lower);
							validateHeaderValue(lower, value);
						} catch {
							continue;
						}
						headers[lower] = String(value);
					}
				}
				if (!res.headersSent) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);

				// handleImmediateWebhookResponse
				let responded = result.noWebhookResponse === true;
				if (result.workflowData === undefined) {
					if (!responded) {
						tryRespond(() =>
							sendLegacyResponse(
								res,
								result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' },
								responseCode,
							),
						);
						responded = true;
					}
				} else if (!responded) {
					// onReceived: answered once the execution exists. n8n evaluates `responseData`
					// with the default 'firstEntryJson' and extractWebhookOnReceivedResponse returns
					// any truthy value as the body — so a trigger whose webhook description has no
					// `responseData` answers the literal text "firstEntryJson" (n8n 2.41).
					const evaluatedResponseData = evaluateComplex<string>('responseData', 'firstEntryJson');
					let body: unknown;
					if (evaluatedResponseData === 'noData') body = undefined;
					else if (evaluatedResponseData) body = evaluatedResponseData;
					else if (result.webhookResponse !== undefined) body = result.webhookResponse;
					else body = { message: 'Workflow was started' };
					tryRespond(() => sendStaticResponse(res, body, responseCode, headers));
				}

				// live-webhooks.ts: static data is saved when the response callback succeeded
				const staticDataChanged = (workflow.staticData as IDataObject & { __dataChanged?: boolean })
					.__dataChanged;
				if (staticDataChanged) writeBack(staticData, workflow.staticData);
			} catch (e) {
				const error = e as Error;
				tryRespond(() =>
					sendErrorResponse(
						res,
						error instanceof HttpResponseError && error.httpStatusCode < 500
							? error
							: new Error('There was a problem executing the workflow'),
					),
				);
				if (!(error instanceof HttpResponseError)) outcome.harnessError ??= error;
			} finally {
				await cleanup?.();
			}
		};

		const response = await sendRequest({
			port,
			method,
			path: `/${prefix}/${requestPath}${query}`,
			headers: input.headers,
			body: input.body,
			timeoutMs: opts.timeoutMs ?? 15000,
		});
		await handlerDone;
		if (outcome.harnessError) throw outcome.harnessError;

		let json: unknown;
		try {
			json = response.body.length ? JSON.parse(response.body) : undefined;
		} catch {
			json = undefined;
		}
		return {
			status: response.status,
			headers: response.headers,
			body: response.body,
			json,
			items: outcome.webhookError ? undefined : outcome.webhookResponseData?.workflowData,
			webhookResponseData: outcome.webhookResponseData,
			webhookError: outcome.webhookError,
			responseError: outcome.responseError,
			staticData,
			credentialsStore: env.credentialsStore,
			request: outcome.requestSeen,
			workflow,
		};
	} finally {
		server.closeAllConnections();
		server.close();
		await once(server, 'close').catch(() => {});
	}
}

interface SendRequestOptions {
	port: number;
	method: string;
	path: string;
	headers?: Record<string, string | string[]>;
	body?: string | Buffer | object;
	timeoutMs: number;
}

async function sendRequest(opts: SendRequestOptions) {
	const headers: Record<string, string | string[]> = { ...(opts.headers ?? {}) };
	const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
	let body: Buffer | undefined;
	if (opts.body !== undefined) {
		if (Buffer.isBuffer(opts.body)) body = opts.body;
		else if (typeof opts.body === 'string') body = Buffer.from(opts.body, 'utf8');
		else {
			body = Buffer.from(JSON.stringify(opts.body), 'utf8');
			if (!has('content-type')) headers['Content-Type'] = 'application/json';
		}
		if (!has('content-length') && !has('transfer-encoding')) headers['Content-Length'] = String(body.length);
	}
	return await new Promise<{ status: number; headers: Record<string, string>; body: string }>(
		(resolve, reject) => {
			const req = httpRequest(
				{ host: '127.0.0.1', port: opts.port, method: opts.method, path: opts.path, headers, agent: false },
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						clearTimeout(timer);
						const flat: Record<string, string> = {};
						for (const [k, v] of Object.entries(res.headers)) {
							if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
						}
						resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') });
					});
					res.on('error', reject);
				},
			);
			const timer = setTimeout(() => {
				req.destroy(
					new Error(
						`Webhook request got no complete response within ${opts.timeoutMs} ms — did webhook() return noWebhookResponse without answering?`,
					),
				);
			}, opts.timeoutMs);
			req.on('error', (e) => {
				clearTimeout(timer);
				reject(e);
			});
			req.end(body);
		},
	);
}

function prepareSingleNode(opts: { nodeType: AnyNodeType; node?: Partial<INode> }) {
	const type = opts.node?.type ?? `n8n-nodes-harness.${opts.nodeType.description.name}`;
	return { type, nodeTypes: { [type]: opts.nodeType } };
}

/** Calls `webhook()` of a trigger node through a real HTTP request. See the file header. */
export async function callWebhook(opts: CallWebhookOptions): Promise<WebhookCallResult> {
	const { type, nodeTypes } = prepareSingleNode(opts);
	const env = await createEnvironment({ ...opts, nodeTypes: { ...(opts.nodeTypes ?? {}), ...nodeTypes } });
	const [node] = normalizeNodes([{ webhookId: randomUUID(), ...opts.node, type }], env.nodeTypes);
	autoAssignCredentials([node], env);
	const { workflow: _workflow, ...result } = await executeWebhookRequest({
		...opts,
		env,
		nodes: [node],
		connections: {},
		triggerNodeName: node.name,
	});
	return result;
}

export interface RunWebhookMethodOptions extends EnvironmentOptions {
	nodeType: AnyNodeType;
	node?: Partial<INode>;
	/** 'checkExists' | 'create' | 'delete' */
	method: WebhookSetupMethodNames;
	/** Default 'default' */
	webhookName?: WebhookType;
	staticData?: IDataObject;
	/** Default 'activate' */
	activation?: WorkflowActivateMode;
	/** Base URL `this.getNodeWebhookUrl()` is built on. Default http://localhost:5678 */
	instanceBaseUrl?: string;
}

/**
 * Runs a trigger's `webhookMethods[webhookName][method]` (checkExists / create / delete) with a
 * real n8n-core HookContext, as n8n does when a workflow is activated/deactivated
 * (WebhookService.runWebhookMethod). Static data changes are written back into `staticData`.
 */
export async function runWebhookMethod(
	opts: RunWebhookMethodOptions,
): Promise<{ result: boolean | undefined; staticData: IDataObject; webhookUrl?: string; credentialsStore: CredentialsStore }> {
	const { type, nodeTypes } = prepareSingleNode(opts);
	const env = await createEnvironment({ ...opts, nodeTypes: { ...(opts.nodeTypes ?? {}), ...nodeTypes } });
	const [node] = normalizeNodes([{ webhookId: randomUUID(), ...opts.node, type }], env.nodeTypes);
	autoAssignCredentials([node], env);
	const staticData = opts.staticData ?? {};
	const workflow = new Workflow({
		id: HARNESS_WORKFLOW_ID,
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: env.nodeTypes,
		staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject,
	});
	const additionalData = buildAdditionalData({
		credentialsHelper: env.credentialsHelper,
		workflowId: HARNESS_WORKFLOW_ID,
		instanceBaseUrl: opts.instanceBaseUrl,
	});
	const wfNode = workflow.getNode(node.name) as INode;
	refuseSharedWebhookPaths(env.nodeTypes, wfNode, additionalData);
	const name = opts.webhookName ?? 'default';
	const webhookData = getNodeWebhooks(workflow, wfNode, additionalData).find(
		(w) => w.webhookDescription.name === name,
	);
	if (!webhookData) throw new UnexpectedError(`Node has no webhook named "${name}"`);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(wfNode.type, wfNode.typeVersion);
	const fn = nodeType.webhookMethods?.[name]?.[opts.method];
	if (!fn) throw new UnexpectedError(`Node has no webhookMethods.${name}.${opts.method}`);
	const context = new HookContext(workflow, wfNode, additionalData, 'webhook', opts.activation ?? 'activate', webhookData);
	const result = (await fn.call(context)) as boolean | undefined;
	if ((workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged) {
		writeBack(staticData, workflow.staticData);
	}
	return {
		result,
		staticData,
		webhookUrl: context.getNodeWebhookUrl(name),
		credentialsStore: env.credentialsStore,
	};
}

export type { IWebhookDescription };
