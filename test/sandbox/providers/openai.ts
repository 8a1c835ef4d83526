/**
 * OpenAI-compatible chat model fake, so tests can run n8n's AI Agent (with n8n's "OpenAI Chat
 * Model" node, credential `openAiApi`, its Base URL = `sandbox.baseUrl('openai')`) against
 * 127.0.0.1 with scripted, deterministic model turns. It follows the public OpenAI REST API
 * (Chat Completions and Responses) as far as the clients n8n uses read it: the `openai` SDK (v6)
 * and `@langchain/openai` (its completions and responses converters). Where the sandbox
 * simplifies, the code says "SANDBOX CHOICE".
 *
 * Mount:
 *   openai   /v1   https://api.openai.com/v1 (= the credential's Base URL)
 *
 * Routes (every one needs `Authorization: Bearer <OPENAI_API_KEY>`):
 *   GET  /models              {object:'list', data:[{id, object:'model', created, owned_by}]}
 *                             (n8n's model list and the credential test)
 *   GET  /models/:id          the model, or 404 model_not_found
 *   POST /chat/completions    Chat Completions, JSON or `stream: true` (SSE chunks, `data: [DONE]`)
 *   POST /responses           Responses API, JSON or `stream: true` (typed SSE events)
 *
 * Errors are OpenAI's shape `{error:{message, type, param, code}}`: 401 invalid_api_key, 400
 * invalid_request_error (malformed JSON, missing/invalid model, messages, input), 404 for unknown
 * routes and models, 405 for a known path with the wrong method.
 *
 * Scripting (the point of the module): `script(...turns)` queues model turns; every
 * /chat/completions or /responses call takes the next one. A turn is `{reply}`, `{toolCall}`,
 * `{toolCalls}` (optionally with a `reply` text before the calls), `{error}`, or a function of
 * the normalized request returning one of those (undefined = the default turn). With the queue
 * empty, `defaultTurn` answers (initially {@link openAIEchoTurn}: `You said: <last user text>`,
 * or `Tool result: <output, 200 chars>` after a tool result).
 *
 * Every model call is recorded in `requests`, normalized to one shape for both APIs (system /
 * instructions first, then the conversation, tool calls and tool results as messages, the
 * function tools offered), so tests can assert the prompt, a memory's history and the tools
 * without knowing which API n8n used. reset() empties the queue and the log.
 *
 * Checked against n8n 2.41.1 and 1.123.81 (AI Agent + OpenAI Chat Model 1.2 and 1.3, Responses
 * API on and off, Calculator tool, Simple Memory): tool call → tool result → answer. Seen there:
 * n8n replays a tool call's arguments with an extra `id` key (its own), and n8n 1.x with the
 * Responses API replays the tool-calling step as assistant content "Calling <tool> with input: …".
 */
import * as http from 'http';
import type { FaultDefaults, HandlerResult, MountDef, ProviderModule, RequestContext } from '../types';
import { paced } from '../http-utils';
import { isPlainObject } from '../validation';

// =====================================================================================
// Constants (exported for tests)
// =====================================================================================

/** The valid API key (put it in the `openAiApi` credential's API Key). */
export const OPENAI_API_KEY = 'sk-sandbox-openai-0123456789';

export interface OpenAIModel {
	id: string;
	object: 'model';
	/** unix seconds */
	created: number;
	owned_by: string;
}

/** Models served by GET /models (n8n's default for the node, 1.3, is gpt-5-mini). */
export const OPENAI_MODELS: readonly Readonly<OpenAIModel>[] = [
	{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
	{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
	{ id: 'gpt-4.1-mini', object: 'model', created: 1744318173, owned_by: 'system' },
	{ id: 'gpt-4.1', object: 'model', created: 1744316542, owned_by: 'system' },
	{ id: 'gpt-5-mini', object: 'model', created: 1754425928, owned_by: 'system' },
];

/** Ids of {@link OPENAI_MODELS}. */
export const OPENAI_MODEL_IDS: readonly string[] = OPENAI_MODELS.map((m) => m.id);

/** Length the default turn cuts a tool result to. */
export const OPENAI_TOOL_RESULT_ECHO_LIMIT = 200;

// =====================================================================================
// Types
// =====================================================================================

/** A function call the model makes. */
export interface OpenAIToolCallSpec {
	/** function (tool) name, as offered in the request's tools */
	name: string;
	/** object → JSON.stringify; a string is sent verbatim (e.g. malformed JSON); default {} */
	arguments?: Record<string, unknown> | unknown[] | string;
	/** tool call id (`call_id` of the Responses API); default `call_sandbox<n>` */
	id?: string;
}

/** An API error answered instead of a completion (consumed in script order, unlike faults). */
export interface OpenAIErrorSpec {
	/** HTTP status, default 500 */
	status?: number;
	message?: string;
	/** default by status: invalid_request_error, rate_limit_error / requests, server_error, … */
	type?: string;
	param?: string | null;
	code?: string | null;
	/** extra response headers (e.g. `retry-after-ms`) */
	headers?: Record<string, string>;
}

/** One model turn: a text answer, function calls (with an optional text before them), or an API error. */
export type OpenAITurn =
	| { reply: string; toolCall?: undefined; toolCalls?: undefined; error?: undefined }
	| { toolCall: OpenAIToolCallSpec; reply?: string; toolCalls?: undefined; error?: undefined }
	| { toolCalls: OpenAIToolCallSpec[]; reply?: string; toolCall?: undefined; error?: undefined }
	| { error: OpenAIErrorSpec; reply?: undefined; toolCall?: undefined; toolCalls?: undefined };

/** A queued turn: fixed, or decided from the request (undefined/null → the default turn). */
export type OpenAIScriptedTurn = OpenAITurn | ((request: OpenAIChatRequest) => OpenAITurn | undefined | null);

export type OpenAIApi = 'chat' | 'responses';

/** A tool call of an assistant message in the normalized history. */
export interface OpenAIChatToolCall {
	id: string;
	name: string;
	/** the arguments JSON parsed (the raw string when it is not valid JSON) */
	arguments: unknown;
}

/**
 * A message of the normalized conversation. `developer` is reported as `system`; content parts
 * are reduced to their text (parts joined with '\n'; images and files dropped); `content` of an
 * assistant message that only calls tools is ''.
 */
export interface OpenAIChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string;
	/** assistant messages that call functions */
	toolCalls?: OpenAIChatToolCall[];
	/** tool results: the call they answer (`tool_call_id` / `call_id`) */
	toolCallId?: string;
}

/** A function tool offered to the model. */
export interface OpenAIChatTool {
	name: string;
	description: string;
	/** JSON schema of the arguments ({} when none was sent) */
	parameters: Record<string, unknown>;
}

/** One model call, the same shape for both APIs. */
export interface OpenAIChatRequest {
	/** `seq` of the call's RecordedRequest in the sandbox log */
	seq: number;
	api: OpenAIApi;
	model: string;
	stream: boolean;
	/** system prompt / instructions first, then the conversation in order */
	messages: OpenAIChatMessage[];
	/** function tools only (built-in Responses tools such as web_search are in `raw` only) */
	tools: OpenAIChatTool[];
	/** `tool_choice` as sent (undefined when absent) */
	toolChoice?: unknown;
	/** the request body as received */
	raw: Record<string, unknown>;
	/** the turn answered (set once decided; undefined when the request was rejected before) */
	turn?: OpenAITurn;
	/** true when the turn came from the script queue, false for the default turn */
	scripted?: boolean;
}

// =====================================================================================
// Helpers
// =====================================================================================

class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type: string,
		readonly param: string | null,
		readonly code: string | null,
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}
}

/** OpenAI's error body. */
function errorResult(
	status: number,
	message: string,
	type: string,
	param: string | null = null,
	code: string | null = null,
	headers?: Record<string, string>,
): HandlerResult {
	return { status, body: { error: { message, type, param, code } }, headers };
}

function defaultErrorType(status: number): string {
	if (status === 401) return 'invalid_request_error';
	if (status === 429) return 'requests';
	if (status >= 500) return 'server_error';
	return 'invalid_request_error';
}

const invalid = (param: string | null, message: string, code: string | null = null): ApiError =>
	new ApiError(400, message, 'invalid_request_error', param, code);

/** The default turn: echo the last user message, or the last tool result. */
export function openAIEchoTurn(request: OpenAIChatRequest): OpenAITurn {
	const last = request.messages[request.messages.length - 1];
	if (last?.role === 'tool') return { reply: `Tool result: ${last.content.slice(0, OPENAI_TOOL_RESULT_ECHO_LIMIT)}` };
	for (let i = request.messages.length - 1; i >= 0; i--) {
		if (request.messages[i].role === 'user') return { reply: `You said: ${request.messages[i].content}` };
	}
	return { reply: 'You said: ' };
}

/** A text split into up to 4 word-aligned pieces (one stream chunk each); '' → []. */
export function openAIChunks(text: string): string[] {
	if (text === '') return [];
	const words = text.split(/(?<=\s)(?=\S)/).filter((w) => w !== '');
	const n = Math.min(words.length, 4);
	const size = Math.ceil(words.length / n);
	const out: string[] = [];
	for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
	return out;
}

/** Function-call arguments split into up to 3 pieces (by length; '' → ['']). */
function argumentPieces(args: string): string[] {
	if (args.length < 3) return [args];
	const size = Math.ceil(args.length / 3);
	const out: string[] = [];
	for (let i = 0; i < args.length; i += size) out.push(args.slice(i, i + size));
	return out;
}

/** Rough token count (4 characters a token, at least 1). SANDBOX CHOICE: no tokenizer. */
function tokens(text: string): number {
	return Math.max(1, Math.ceil(text.length / 4));
}


/** Text of a message content: a string, or the text of its parts (text / input_text / output_text). */
function textOf(content: unknown): string {
	if (content === undefined || content === null) return '';
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		const texts: string[] = [];
		for (const part of content) {
			if (typeof part === 'string') texts.push(part);
			else if (isPlainObject(part) && typeof part.text === 'string') texts.push(part.text);
			else if (isPlainObject(part) && typeof part.refusal === 'string') texts.push(part.refusal);
		}
		return texts.join('\n');
	}
	return JSON.stringify(content);
}

function parseArguments(args: unknown): unknown {
	if (typeof args !== 'string') return args ?? {};
	try {
		return JSON.parse(args);
	} catch {
		return args;
	}
}

function clone<T>(v: T): T {
	return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

type Input = Record<string, unknown>;

/** What a turn becomes once decided: the text (null when only calling tools) and the calls with ids. */
interface ResolvedTurn {
	text: string | null;
	calls: Array<{ id: string; name: string; arguments: string }>;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

// =====================================================================================
// Provider
// =====================================================================================

export class OpenAIProvider implements ProviderModule {
	readonly name = 'openai';
	readonly mounts: MountDef[];

	// ---- state (containers are mutated in place by reset(), so references stay valid)
	/** valid API keys (OPENAI_API_KEY) */
	readonly apiKeys = new Set<string>();
	/** GET /models (a copy of OPENAI_MODELS; editable) */
	readonly models: OpenAIModel[] = [];
	/** every model call that passed validation, normalized, in arrival order */
	readonly requests: OpenAIChatRequest[] = [];
	/** scripted turns not consumed yet */
	readonly queue: OpenAIScriptedTurn[] = [];
	/** answers when the queue is empty; reset() restores {@link openAIEchoTurn} */
	defaultTurn: (request: OpenAIChatRequest) => OpenAITurn = openAIEchoTurn;
	/** pause between streamed writes (0 = next event-loop turn) */
	streamChunkDelayMs = 0;
	/** the provider's clock (epoch ms) for `created` / `created_at`; reset() restores Date.now */
	clock: () => number = Date.now;

	private counter = 0;

	constructor() {
		this.mounts = [
			{
				name: 'openai',
				basePath: '/v1',
				routes: [
					{ method: 'GET', path: '/models', handler: () => this.listModels() },
					{ method: 'GET', path: '/models/:id', handler: (c) => this.guard(() => this.getModel(c)) },
					{ method: 'POST', path: '/chat/completions', handler: (c) => this.guard(() => this.chatCompletions(c)) },
					{ method: 'POST', path: '/responses', handler: (c) => this.guard(() => this.responses(c)) },
				],
			},
		];
		this.reset();
	}

	// ---------------------------------------------------------------- scripting API

	/** Queue turns; each model call (either API) takes the next one. Returns this. */
	script(...turns: OpenAIScriptedTurn[]): this {
		this.queue.push(...turns);
		return this;
	}

	/** Turns still queued. */
	get pending(): number {
		return this.queue.length;
	}

	/** The normalized model calls (same as `requests`, a copy). */
	chatRequests(): OpenAIChatRequest[] {
		return this.requests.slice();
	}

	/** The latest model call. */
	lastChatRequest(): OpenAIChatRequest | undefined {
		return this.requests[this.requests.length - 1];
	}

	// ---------------------------------------------------------------- ProviderModule

	reset(): void {
		this.apiKeys.clear();
		this.apiKeys.add(OPENAI_API_KEY);
		this.models.length = 0;
		this.models.push(...OPENAI_MODELS.map((m) => ({ ...m })));
		this.requests.length = 0;
		this.queue.length = 0;
		this.defaultTurn = openAIEchoTurn;
		this.streamChunkDelayMs = 0;
		this.clock = Date.now;
		this.counter = 0;
	}

	/**
	 * `Authorization: Bearer <key>`. Missing or unknown key → 401 invalid_api_key.
	 * SANDBOX CHOICE: a missing header also gets code invalid_api_key (OpenAI sends code null).
	 */
	authenticate(ctx: RequestContext): HandlerResult | undefined {
		const header = ctx.header('authorization') ?? '';
		const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
		if (m && this.apiKeys.has(m[1])) return undefined;
		const message = m
			? `Incorrect API key provided: ${m[1].length > 8 ? `${m[1].slice(0, 3)}*****${m[1].slice(-4)}` : m[1]}. You can find your API key at https://platform.openai.com/account/api-keys.`
			: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
		return errorResult(401, message, 'invalid_request_error', null, 'invalid_api_key');
	}

	notFound(ctx: RequestContext): HandlerResult {
		return errorResult(404, `Invalid URL (${ctx.method} /v1${ctx.path})`, 'invalid_request_error');
	}

	methodNotAllowed(ctx: RequestContext): HandlerResult {
		return errorResult(405, `Invalid method for URL (${ctx.method} /v1${ctx.path})`, 'invalid_request_error');
	}

	/**
	 * Fault bodies in OpenAI's error shape. SANDBOX CHOICE: a 429 carries `retry-after-ms: 10`
	 * so the SDK's retries do not sleep (it honours that header).
	 */
	faultDefaults(status: number): FaultDefaults {
		const messages: Record<number, [string, string | null]> = {
			400: ['Bad request', null],
			401: ['Incorrect API key provided.', 'invalid_api_key'],
			403: ['You are not allowed to sample from this model', null],
			404: ['Not found', null],
			429: ['Rate limit reached for requests', 'rate_limit_exceeded'],
			500: ['The server had an error while processing your request. Sorry about that!', null],
			503: ['The engine is currently overloaded, please try again later', null],
		};
		const [message, code] = messages[status] ?? [http.STATUS_CODES[status] ?? 'Error', null];
		const body = { error: { message, type: defaultErrorType(status), param: null, code } };
		return status === 429 ? { body, headers: { 'retry-after-ms': '10' } } : { body };
	}

	// ---------------------------------------------------------------- internals

	private guard(fn: () => HandlerResult): HandlerResult {
		try {
			return fn();
		} catch (e) {
			if (e instanceof ApiError) return errorResult(e.status, e.message, e.type, e.param, e.code, e.headers);
			throw e;
		}
	}

	/** deterministic ids: `<prefix>sandbox<n>` (one counter for all kinds, reset by reset()) */
	private next(prefix: string): string {
		this.counter++;
		return `${prefix}sandbox${String(this.counter).padStart(6, '0')}`;
	}

	private nowSeconds(): number {
		return Math.floor(this.clock() / 1000);
	}

	private json(ctx: RequestContext): Input {
		if (ctx.bodyKind === 'none') throw invalid(null, 'You must provide a JSON body with Content-Type: application/json.');
		if (ctx.bodyKind !== 'json' || ctx.bodyError || !isPlainObject(ctx.body)) {
			throw invalid(
				null,
				"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
			);
		}
		return ctx.body;
	}

	private requireModel(d: Input): string {
		if (d.model === undefined || d.model === null) throw invalid('model', "Missing required parameter: 'model'.", 'missing_required_parameter');
		if (typeof d.model !== 'string' || d.model === '') {
			throw invalid('model', "Invalid type for 'model': expected a string.", 'invalid_type');
		}
		return d.model;
	}

	private optBoolean(d: Input, name: string): boolean {
		const v = d[name];
		if (v === undefined || v === null) return false;
		if (typeof v !== 'boolean') throw invalid(name, `Invalid type for '${name}': expected a boolean, but got ${typeof v} instead.`, 'invalid_type');
		return v;
	}

	private optArray(d: Input, name: string): unknown[] {
		const v = d[name];
		if (v === undefined || v === null) return [];
		if (!Array.isArray(v)) throw invalid(name, `Invalid type for '${name}': expected an array, but got ${typeof v} instead.`, 'invalid_type');
		return v;
	}

	/** Takes the next turn (queue, else default), records it on the request and resolves ids and arguments. */
	private decide(request: OpenAIChatRequest): OpenAITurn {
		let turn: OpenAITurn | undefined | null;
		let scripted = false;
		const queued = this.queue.shift();
		if (queued !== undefined) {
			scripted = true;
			turn = typeof queued === 'function' ? queued(request) : queued;
		}
		if (turn === undefined || turn === null) {
			scripted = false;
			turn = this.defaultTurn(request);
		}
		request.turn = clone(turn);
		request.scripted = scripted;
		return turn;
	}

	private resolve(turn: OpenAITurn): ResolvedTurn {
		if (turn.error) {
			const e = turn.error;
			const status = e.status ?? 500;
			throw new ApiError(
				status,
				e.message ?? (status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : http.STATUS_CODES[status] ?? 'Error'),
				e.type ?? defaultErrorType(status),
				e.param ?? null,
				e.code ?? null,
				e.headers,
			);
		}
		const specs = turn.toolCalls ?? (turn.toolCall ? [turn.toolCall] : []);
		const calls = specs.map((s) => ({
			id: s.id ?? this.next('call_'),
			name: s.name,
			arguments: typeof s.arguments === 'string' ? s.arguments : JSON.stringify(s.arguments ?? {}),
		}));
		if (calls.length === 0) return { text: turn.reply ?? '', calls };
		return { text: turn.reply === undefined || turn.reply === '' ? null : turn.reply, calls };
	}

	private promptTokens(request: OpenAIChatRequest): number {
		const text = request.messages.map((m) => m.content + JSON.stringify(m.toolCalls ?? '')).join('') + JSON.stringify(request.tools);
		return tokens(text);
	}

	private completionTokens(r: ResolvedTurn): number {
		return tokens((r.text ?? '') + r.calls.map((c) => c.name + c.arguments).join(''));
	}

	// ---------------------------------------------------------------- /models

	private listModels(): HandlerResult {
		return { status: 200, body: { object: 'list', data: this.models.map((m) => ({ ...m })) } };
	}

	private getModel(ctx: RequestContext): HandlerResult {
		const model = this.models.find((m) => m.id === ctx.params.id);
		if (!model) {
			throw new ApiError(404, `The model '${ctx.params.id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
		}
		return { status: 200, body: { ...model } };
	}

	// ---------------------------------------------------------------- /chat/completions

	private normalizeChat(d: Input, seq: number): OpenAIChatRequest {
		const model = this.requireModel(d);
		if (d.messages === undefined || d.messages === null) {
			throw invalid('messages', "Missing required parameter: 'messages'.", 'missing_required_parameter');
		}
		if (!Array.isArray(d.messages)) throw invalid('messages', "Invalid type for 'messages': expected an array.", 'invalid_type');
		if (d.messages.length === 0) {
			throw invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'empty_array');
		}
		const messages: OpenAIChatMessage[] = d.messages.map((m, i) => {
			if (!isPlainObject(m)) throw invalid(`messages[${i}]`, `Invalid type for 'messages[${i}]': expected an object.`, 'invalid_type');
			const role = m.role;
			switch (role) {
				case 'system':
				case 'developer':
					return { role: 'system', content: textOf(m.content) };
				case 'user':
					return { role: 'user', content: textOf(m.content) };
				case 'assistant': {
					const msg: OpenAIChatMessage = { role: 'assistant', content: textOf(m.content) };
					if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
						msg.toolCalls = m.tool_calls.filter(isPlainObject).map((tc) => {
							const fn = isPlainObject(tc.function) ? tc.function : {};
							return { id: String(tc.id ?? ''), name: String(fn.name ?? ''), arguments: parseArguments(fn.arguments) };
						});
					} else if (isPlainObject(m.function_call)) {
						// legacy function calling
						const fn = m.function_call;
						msg.toolCalls = [{ id: String(fn.name ?? ''), name: String(fn.name ?? ''), arguments: parseArguments(fn.arguments) }];
					}
					return msg;
				}
				case 'tool':
					return { role: 'tool', content: textOf(m.content), toolCallId: String(m.tool_call_id ?? '') };
				case 'function':
					// legacy function result: its name stands for the call id
					return { role: 'tool', content: textOf(m.content), toolCallId: String(m.name ?? '') };
				default:
					throw invalid(
						`messages[${i}].role`,
						`Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
						'invalid_value',
					);
			}
		});
		const tools: OpenAIChatTool[] = [];
		for (const t of this.optArray(d, 'tools')) {
			if (isPlainObject(t) && isPlainObject(t.function)) tools.push(toolOf(t.function));
		}
		for (const f of this.optArray(d, 'functions')) {
			if (isPlainObject(f)) tools.push(toolOf(f));
		}
		return this.requestOf('chat', d, seq, model, messages, tools);
	}

	/** The normalized record of one model call, the same for both APIs. */
	private requestOf(api: OpenAIApi, d: Record<string, unknown>, seq: number, model: string, messages: OpenAIChatMessage[], tools: OpenAIChatTool[]): OpenAIChatRequest {
		return {
			seq,
			api,
			model,
			stream: this.optBoolean(d, 'stream'),
			messages,
			tools,
			...(d.tool_choice !== undefined ? { toolChoice: clone(d.tool_choice) } : {}),
			raw: clone(d),
		};
	}

	/** Records a model call and decides its turn. */
	private take(request: OpenAIChatRequest) {
		this.requests.push(request);
		return { request, resolved: this.resolve(this.decide(request)) };
	}

	private chatCompletions(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const { request, resolved } = this.take(this.normalizeChat(d, ctx.request.seq));

		const id = this.next('chatcmpl-');
		const created = this.nowSeconds();
		const model = request.model;
		const system_fingerprint = 'fp_sandbox';
		const finish_reason = resolved.calls.length > 0 ? 'tool_calls' : 'stop';
		const prompt_tokens = this.promptTokens(request);
		const completion_tokens = this.completionTokens(resolved);
		const usage = {
			prompt_tokens,
			completion_tokens,
			total_tokens: prompt_tokens + completion_tokens,
			prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
			completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
		};
		const headers = { 'x-request-id': `req_sandbox_${ctx.request.seq}`, 'openai-processing-ms': '1' };

		if (!request.stream) {
			const message: Record<string, unknown> = { role: 'assistant', content: resolved.text, refusal: null, annotations: [] };
			if (resolved.calls.length > 0) {
				message.tool_calls = resolved.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
			}
			return {
				status: 200,
				headers,
				body: {
					id,
					object: 'chat.completion',
					created,
					model,
					choices: [{ index: 0, message, logprobs: null, finish_reason }],
					usage,
					service_tier: 'default',
					system_fingerprint,
				},
			};
		}

		const streamOptions = isPlainObject(d.stream_options) ? d.stream_options : {};
		const includeUsage = streamOptions.include_usage === true;
		const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
			`data: ${JSON.stringify({
				id,
				object: 'chat.completion.chunk',
				created,
				model,
				service_tier: 'default',
				system_fingerprint,
				choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
				...(includeUsage ? { usage: null } : {}),
			})}\n\n`;
		const events: string[] = [];
		// the role chunk: content '' for an answer, null when the turn only calls tools (as OpenAI does)
		events.push(chunk({ role: 'assistant', content: resolved.text === null ? null : '', refusal: null }));
		for (const piece of openAIChunks(resolved.text ?? '')) events.push(chunk({ content: piece }));
		resolved.calls.forEach((c, index) => {
			events.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
			for (const piece of argumentPieces(c.arguments)) {
				if (piece !== '') events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
			}
		});
		events.push(chunk({}, finish_reason));
		if (includeUsage) {
			events.push(
				`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint, choices: [], usage })}\n\n`,
			);
		}
		events.push('data: [DONE]\n\n');
		return { status: 200, headers: { ...SSE_HEADERS, ...headers }, stream: paced(events, this.streamChunkDelayMs) };
	}

	// ---------------------------------------------------------------- /responses

	private normalizeResponses(d: Input, seq: number): OpenAIChatRequest {
		const model = this.requireModel(d);
		const messages: OpenAIChatMessage[] = [];
		if (d.instructions !== undefined && d.instructions !== null) {
			if (typeof d.instructions !== 'string') throw invalid('instructions', "Invalid type for 'instructions': expected a string.", 'invalid_type');
			messages.push({ role: 'system', content: d.instructions });
		}
		// SANDBOX CHOICE: `input` is required (the real API also accepts a stored prompt or
		// previous_response_id / conversation instead; the sandbox keeps no responses).
		if (d.input === undefined || d.input === null) throw invalid('input', "Missing required parameter: 'input'.", 'missing_required_parameter');
		if (typeof d.input === 'string') {
			messages.push({ role: 'user', content: d.input });
		} else if (Array.isArray(d.input)) {
			if (d.input.length === 0) {
				throw invalid('input', "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'empty_array');
			}
			d.input.forEach((item, i) => {
				if (!isPlainObject(item)) throw invalid(`input[${i}]`, `Invalid type for 'input[${i}]': expected an object.`, 'invalid_type');
				const type = item.type ?? 'message';
				if (type === 'message') {
					const role = item.role;
					if (role === 'system' || role === 'developer') messages.push({ role: 'system', content: textOf(item.content) });
					else if (role === 'user' || role === 'assistant') messages.push({ role, content: textOf(item.content) });
					else {
						throw invalid(
							`input[${i}].role`,
							`Invalid value: '${String(role)}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`,
							'invalid_value',
						);
					}
				} else if (type === 'function_call') {
					// merged into the assistant message right before (= one Chat Completions assistant message)
					const call: OpenAIChatToolCall = { id: String(item.call_id ?? ''), name: String(item.name ?? ''), arguments: parseArguments(item.arguments) };
					const last = messages[messages.length - 1];
					if (last?.role === 'assistant') (last.toolCalls ??= []).push(call);
					else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
				} else if (type === 'function_call_output') {
					messages.push({ role: 'tool', content: textOf(item.output), toolCallId: String(item.call_id ?? '') });
				}
				// other items (reasoning, built-in tool calls and outputs, item_reference, …) are not part of the normalized conversation
			});
		} else {
			throw invalid('input', "Invalid type for 'input': expected a string or an array of input items.", 'invalid_type');
		}
		const tools: OpenAIChatTool[] = [];
		for (const t of this.optArray(d, 'tools')) {
			if (isPlainObject(t) && t.type === 'function') tools.push(toolOf(t));
		}
		return this.requestOf('responses', d, seq, model, messages, tools);
	}

	private responses(ctx: RequestContext): HandlerResult {
		const d = this.json(ctx);
		const { request, resolved } = this.take(this.normalizeResponses(d, ctx.request.seq));

		const id = this.next('resp_');
		const created_at = this.nowSeconds();
		const input_tokens = this.promptTokens(request);
		const output_tokens = this.completionTokens(resolved);
		const usage = {
			input_tokens,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: input_tokens + output_tokens,
		};
		const text = isPlainObject(d.text) ? d.text : {};
		const base = (status: string, output: unknown[], withUsage: boolean): Record<string, unknown> => ({
			id,
			object: 'response',
			created_at,
			status,
			background: false,
			error: null,
			incomplete_details: null,
			instructions: d.instructions ?? null,
			max_output_tokens: d.max_output_tokens ?? null,
			max_tool_calls: null,
			model: request.model,
			output,
			parallel_tool_calls: d.parallel_tool_calls ?? true,
			previous_response_id: d.previous_response_id ?? null,
			reasoning: { effort: null, summary: null },
			service_tier: 'default',
			store: d.store ?? true,
			temperature: d.temperature ?? 1,
			text: { format: text.format ?? { type: 'text' }, verbosity: text.verbosity ?? 'medium' },
			tool_choice: d.tool_choice ?? 'auto',
			tools: clone(d.tools ?? []),
			top_p: d.top_p ?? 1,
			truncation: d.truncation ?? 'disabled',
			usage: withUsage ? usage : null,
			user: d.user ?? null,
			metadata: d.metadata ?? {},
		});

		// output items: the message (when there is text), then one function_call per call
		interface Item {
			item: Record<string, unknown>;
			kind: 'message' | 'function_call';
			text: string;
		}
		const items: Item[] = [];
		if (resolved.text !== null) {
			items.push({
				kind: 'message',
				text: resolved.text,
				item: {
					id: this.next('msg_'),
					type: 'message',
					status: 'completed',
					content: [{ type: 'output_text', annotations: [], logprobs: [], text: resolved.text }],
					role: 'assistant',
				},
			});
		}
		for (const c of resolved.calls) {
			items.push({
				kind: 'function_call',
				text: c.arguments,
				item: { id: this.next('fc_'), type: 'function_call', status: 'completed', arguments: c.arguments, call_id: c.id, name: c.name },
			});
		}
		const output = items.map((i) => i.item);
		const headers = { 'x-request-id': `req_sandbox_${ctx.request.seq}`, 'openai-processing-ms': '1' };

		if (!request.stream) {
			// SANDBOX CHOICE: output_text (an SDK convenience, not on the wire) is included for plain-HTTP clients
			return { status: 200, headers, body: { ...base('completed', output, true), output_text: resolved.text ?? '' } };
		}

		let seqNo = 0;
		const events: string[] = [];
		const event = (type: string, data: Record<string, unknown>): void => {
			events.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seqNo++, ...data })}\n\n`);
		};
		event('response.created', { response: base('in_progress', [], false) });
		event('response.in_progress', { response: base('in_progress', [], false) });
		items.forEach(({ item, kind, text: itemText }, output_index) => {
			const item_id = item.id as string;
			if (kind === 'message') {
				event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
				event('response.content_part.added', {
					item_id,
					output_index,
					content_index: 0,
					part: { type: 'output_text', annotations: [], logprobs: [], text: '' },
				});
				for (const delta of openAIChunks(itemText)) {
					event('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
				}
				event('response.output_text.done', { item_id, output_index, content_index: 0, text: itemText, logprobs: [] });
				event('response.content_part.done', {
					item_id,
					output_index,
					content_index: 0,
					part: { type: 'output_text', annotations: [], logprobs: [], text: itemText },
				});
			} else {
				event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
				for (const delta of argumentPieces(itemText)) {
					if (delta !== '') event('response.function_call_arguments.delta', { item_id, output_index, delta });
				}
				event('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: itemText });
			}
			event('response.output_item.done', { output_index, item });
		});
		event('response.completed', { response: base('completed', output, true) });
		return { status: 200, headers: { ...SSE_HEADERS, ...headers }, stream: paced(events, this.streamChunkDelayMs) };
	}
}

function toolOf(t: Record<string, unknown>): OpenAIChatTool {
	return {
		name: String(t.name ?? ''),
		description: typeof t.description === 'string' ? t.description : '',
		parameters: isPlainObject(t.parameters) ? clone(t.parameters) : {},
	};
}
