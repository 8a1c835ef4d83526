/**
 * OpenAI-compatible chat model of the sandbox (providers/openai.ts): the Chat Completions and
 * Responses wire formats (JSON and streamed), auth and errors in OpenAI's shape, the script
 * queue and its default turn, and the request log normalized to one shape for both APIs.
 *
 * The `openai` SDK is not a dependency of this repo, so the contract is driven with plain fetch;
 * the last block also drives it with the clients n8n itself uses (the `openai` SDK and
 * `@langchain/openai`'s ChatOpenAI of the n8n install cached by scripts/lib/n8n-install.js),
 * when that install is present.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import { rawPost } from './raw-post';
import * as os from 'os';
import * as path from 'path';
import {
	OPENAI_API_KEY,
	OPENAI_MODEL_IDS,
	OPENAI_TOOL_RESULT_ECHO_LIMIT,
	openAIEchoTurn,
	type OpenAIChatRequest,
	Sandbox,
	startSandbox,
} from './index';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.reset());

interface Reply {
	status: number;
	headers: Headers;
	body: any;
	text: string;
}

async function call(
	method: string,
	urlPath: string,
	opts: { json?: unknown; raw?: string; contentType?: string; key?: string | null } = {},
): Promise<Reply> {
	const headers: Record<string, string> = {};
	if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? OPENAI_API_KEY}`;
	let body: string | undefined;
	if (opts.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(opts.json);
	} else if (opts.raw !== undefined) {
		headers['content-type'] = opts.contentType ?? 'application/json';
		body = opts.raw;
	}
	const res = await fetch(`${sb.baseUrl('openai')}${urlPath}`, { method, headers, body });
	const text = await res.text();
	let parsed: unknown = text;
	if ((res.headers.get('content-type') ?? '').includes('application/json')) parsed = text ? JSON.parse(text) : undefined;
	return { status: res.status, headers: res.headers, body: parsed, text };
}

const chat = (json: Record<string, unknown>): Promise<Reply> => call('POST', '/chat/completions', { json });
const responses = (json: Record<string, unknown>): Promise<Reply> => call('POST', '/responses', { json });

interface SseEvent {
	event?: string;
	data: string;
}

function sseEvents(text: string): SseEvent[] {
	return text
		.split('\n\n')
		.filter((e) => e.trim() !== '')
		.map((e) => {
			const lines = e.split('\n');
			const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
			const data = lines
				.filter((l) => l.startsWith('data: '))
				.map((l) => l.slice(6))
				.join('\n');
			return event === undefined ? { data } : { event, data };
		});
}

/** The `data:` JSON objects of a Chat Completions stream (the `[DONE]` sentinel checked and dropped). */
function chatChunks(text: string): any[] {
	const events = sseEvents(text);
	expect(events[events.length - 1]).toEqual({ data: '[DONE]' });
	return events.slice(0, -1).map((e) => JSON.parse(e.data));
}

/** What a client rebuilds from Chat Completions chunks. */
function reassembleChat(chunks: any[]): { role?: string; content: string; toolCalls: Array<{ id: string; name: string; arguments: string }>; finish?: string } {
	const out: ReturnType<typeof reassembleChat> = { content: '', toolCalls: [] };
	for (const c of chunks) {
		const choice = c.choices[0];
		if (!choice) continue;
		const d = choice.delta;
		if (d.role) out.role = d.role;
		if (typeof d.content === 'string') out.content += d.content;
		for (const tc of d.tool_calls ?? []) {
			const slot = (out.toolCalls[tc.index] ??= { id: '', name: '', arguments: '' });
			if (tc.id) slot.id = tc.id;
			if (tc.function?.name) slot.name = tc.function.name;
			if (tc.function?.arguments) slot.arguments += tc.function.arguments;
		}
		if (choice.finish_reason) out.finish = choice.finish_reason;
	}
	return out;
}

/** Raw HTTP/1.1 POST over a socket; returns the head and the body's chunk frames as sent. */

const WEATHER_TOOL_PARAMS = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const chatTool = { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: WEATHER_TOOL_PARAMS } };
const responsesTool = { type: 'function', name: 'get_weather', description: 'Weather of a city', parameters: WEATHER_TOOL_PARAMS, strict: null };

// =====================================================================================

describe('mount, auth and errors', () => {
	it('mounts at /openai/v1', () => {
		expect(sb.baseUrl('openai')).toBe(`${sb.url}/openai/v1`);
		expect(sb.openai.name).toBe('openai');
		expect(sb.mountNames()).toContain('openai');
	});

	it('401 invalid_api_key without or with a wrong bearer key; the scheme is case-insensitive', async () => {
		let r = await call('GET', '/models', { key: null });
		expect(r.status).toBe(401);
		expect(r.body).toEqual({
			error: { message: expect.stringContaining("didn't provide an API key"), type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
		});
		r = await call('POST', '/chat/completions', { key: 'sk-wrong-key-0000', json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } });
		expect(r.status).toBe(401);
		expect(r.body).toEqual({
			error: { message: expect.stringMatching(/^Incorrect API key provided: sk-\*+0000\./), type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
		});
		r = await call('POST', '/responses', { key: 'nope', json: { model: 'gpt-4o-mini', input: 'hi' } });
		expect(r.status).toBe(401);
		expect(sb.openai.requests).toHaveLength(0); // rejected calls are not model calls
		const res = await fetch(`${sb.baseUrl('openai')}/models`, { headers: { authorization: `bearer ${OPENAI_API_KEY}` } });
		expect(res.status).toBe(200);
	});

	it('unknown routes 404 and wrong methods 405, in the OpenAI error shape', async () => {
		let r = await call('GET', '/nope');
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ error: { message: 'Invalid URL (GET /v1/nope)', type: 'invalid_request_error', param: null, code: null } });
		r = await call('GET', '/chat/completions');
		expect(r.status).toBe(405);
		expect(r.headers.get('allow')).toBe('POST');
		expect(r.body.error).toMatchObject({ type: 'invalid_request_error' });
	});

	it('400 for a body that is not JSON, a missing or non-string model, missing / empty messages, an unknown role', async () => {
		const cases: Array<[string, Parameters<typeof call>[2], string | null, string | null]> = [
			['/chat/completions', { raw: '{"model": ' }, null, null],
			['/chat/completions', {}, null, null],
			['/chat/completions', { json: { messages: [{ role: 'user', content: 'x' }] } }, 'model', 'missing_required_parameter'],
			['/chat/completions', { json: { model: 42, messages: [{ role: 'user', content: 'x' }] } }, 'model', 'invalid_type'],
			['/chat/completions', { json: { model: 'gpt-4o-mini' } }, 'messages', 'missing_required_parameter'],
			['/chat/completions', { json: { model: 'gpt-4o-mini', messages: 'hi' } }, 'messages', 'invalid_type'],
			['/chat/completions', { json: { model: 'gpt-4o-mini', messages: [] } }, 'messages', 'empty_array'],
			['/chat/completions', { json: { model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] } }, 'messages[0].role', 'invalid_value'],
			['/chat/completions', { json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: 'yes' } }, 'stream', 'invalid_type'],
			['/responses', { json: { model: 'gpt-4o-mini' } }, 'input', 'missing_required_parameter'],
			['/responses', { json: { input: 'hi' } }, 'model', 'missing_required_parameter'],
			['/responses', { json: { model: 'gpt-4o-mini', input: [] } }, 'input', 'empty_array'],
			['/responses', { json: { model: 'gpt-4o-mini', input: 7 } }, 'input', 'invalid_type'],
		];
		sb.openai.script({ reply: 'kept for the next valid call' });
		for (const [p, opts, param, code] of cases) {
			const r = await call('POST', p, opts);
			expect({ p, opts, status: r.status }).toEqual({ p, opts, status: 400 });
			expect(r.body).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param, code } });
		}
		// rejected requests neither count as model calls nor consume the script
		expect(sb.openai.requests).toHaveLength(0);
		expect(sb.openai.pending).toBe(1);
	});

	it('faults answer in the OpenAI error shape (429 with retry-after-ms so SDK retries do not sleep)', async () => {
		sb.fault({ provider: 'openai', path: '/chat/completions', status: 429 });
		let r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after-ms')).toBe('10');
		expect(r.body).toEqual({ error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' } });
		sb.fault({ provider: 'openai', status: 500 });
		r = await responses({ model: 'gpt-4o-mini', input: 'hi' });
		expect(r.status).toBe(500);
		expect(r.body.error).toMatchObject({ type: 'server_error', param: null, code: null });
	});
});

describe('models', () => {
	it('GET /models lists the models (what n8n\'s model list and credential test read)', async () => {
		const r = await call('GET', '/models');
		expect(r.status).toBe(200);
		expect(r.body.object).toBe('list');
		expect(r.body.data.map((m: { id: string }) => m.id)).toEqual(OPENAI_MODEL_IDS);
		expect(OPENAI_MODEL_IDS).toEqual(expect.arrayContaining(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini']));
		for (const m of r.body.data) expect(m).toEqual({ id: expect.any(String), object: 'model', created: expect.any(Number), owned_by: expect.any(String) });
	});

	it('GET /models/:id returns the model, 404 model_not_found otherwise; the list is editable state', async () => {
		let r = await call('GET', '/models/gpt-4o-mini');
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ id: 'gpt-4o-mini', object: 'model', created: expect.any(Number), owned_by: 'system' });
		r = await call('GET', '/models/gpt-9');
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ error: { message: "The model 'gpt-9' does not exist", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
		sb.openai.models.push({ id: 'ft:gpt-4o-mini:acme::abc123', object: 'model', created: 1, owned_by: 'acme' });
		r = await call('GET', `/models/${encodeURIComponent('ft:gpt-4o-mini:acme::abc123')}`);
		expect(r.status).toBe(200);
		sb.reset();
		expect(sb.openai.models.map((m) => m.id)).toEqual(OPENAI_MODEL_IDS);
	});
});

describe('Chat Completions', () => {
	it('non-streaming: the default turn echoes the last user message', async () => {
		const r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }] });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/json');
		expect(r.body).toEqual({
			id: expect.stringMatching(/^chatcmpl-/),
			object: 'chat.completion',
			created: expect.any(Number),
			model: 'gpt-4o-mini',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'You said: Hello there', refusal: null, annotations: [] },
					logprobs: null,
					finish_reason: 'stop',
				},
			],
			usage: expect.objectContaining({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) }),
			service_tier: 'default',
			system_fingerprint: expect.any(String),
		});
		expect(r.body.usage.total_tokens).toBe(r.body.usage.prompt_tokens + r.body.usage.completion_tokens);
		expect(Math.abs(r.body.created - Date.now() / 1000)).toBeLessThan(5);
	});

	it('non-streaming tool call, then the tool result, then the final answer', async () => {
		sb.openai.script({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } });
		const ask = [{ role: 'user', content: 'Weather in Paris?' }];
		let r = await chat({ model: 'gpt-4o-mini', messages: ask, tools: [chatTool] });
		expect(r.body.choices[0]).toEqual({
			index: 0,
			message: {
				role: 'assistant',
				content: null,
				refusal: null,
				annotations: [],
				tool_calls: [{ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
			},
			logprobs: null,
			finish_reason: 'tool_calls',
		});
		const assistant = r.body.choices[0].message;
		const callId = assistant.tool_calls[0].id;
		r = await chat({
			model: 'gpt-4o-mini',
			messages: [...ask, assistant, { role: 'tool', tool_call_id: callId, content: 'Sunny, 21 °C' }],
			tools: [chatTool],
		});
		expect(r.body.choices[0].message.content).toBe('Tool result: Sunny, 21 °C');
		expect(r.body.choices[0].finish_reason).toBe('stop');
		expect(sb.openai.requests[1].messages.slice(-2)).toEqual([
			{ role: 'assistant', content: '', toolCalls: [{ id: callId, name: 'get_weather', arguments: { city: 'Paris' } }] },
			{ role: 'tool', content: 'Sunny, 21 °C', toolCallId: callId },
		]);
	});

	it('streaming: a role chunk, the content in pieces, a finish chunk, the usage chunk when asked, [DONE]', async () => {
		sb.openai.script({ reply: 'The quick brown fox jumps over the lazy dog.' });
		const r = await chat({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Go' }], stream: true, stream_options: { include_usage: true } });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		const chunks = chatChunks(r.text);
		for (const c of chunks) {
			expect(c).toMatchObject({ id: chunks[0].id, object: 'chat.completion.chunk', created: expect.any(Number), model: 'gpt-4.1-mini' });
		}
		expect(chunks[0].choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
		const pieces = chunks.slice(1, -2).map((c) => c.choices[0].delta.content);
		expect(pieces.length).toBeGreaterThan(1);
		expect(pieces.join('')).toBe('The quick brown fox jumps over the lazy dog.');
		expect(chunks[chunks.length - 2].choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
		const usageChunk = chunks[chunks.length - 1];
		expect(usageChunk.choices).toEqual([]);
		expect(usageChunk.usage).toEqual(expect.objectContaining({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) }));
		// with include_usage every other chunk carries usage: null (as OpenAI sends it)
		expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
		expect(reassembleChat(chunks)).toEqual({ role: 'assistant', content: 'The quick brown fox jumps over the lazy dog.', toolCalls: [], finish: 'stop' });
	});

	it('streaming without include_usage: no usage chunk; each event is its own HTTP chunk', async () => {
		const { head, chunks } = await rawPost(sb, 'openai', OPENAI_API_KEY, '/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one two three four five' }], stream: true });
		expect(head).toMatch(/^HTTP\/1\.1 200/);
		expect(head).toMatch(/transfer-encoding: chunked/i);
		expect(chunks[chunks.length - 1]).toBe('data: [DONE]\n\n');
		for (const c of chunks) expect(c).toMatch(/^data: .*\n\n$/s);
		const parsed = chunks.slice(0, -1).map((c) => JSON.parse(c.slice(6)));
		expect(parsed.some((c) => 'usage' in c)).toBe(false);
		expect(reassembleChat(parsed).content).toBe('You said: one two three four five');
	});

	it('streaming tool calls: header delta (id, name, empty arguments) then argument pieces, per index; finish_reason tool_calls', async () => {
		sb.openai.script({
			reply: 'Let me check.',
			toolCalls: [
				{ name: 'get_weather', arguments: { city: 'Paris' } },
				{ name: 'get_weather', arguments: { city: 'Rabat' }, id: 'call_custom' },
			],
		});
		const r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Paris and Rabat?' }], tools: [chatTool], stream: true });
		const chunks = chatChunks(r.text);
		const headers = chunks.filter((c) => c.choices[0].delta.tool_calls?.[0]?.id);
		expect(headers.map((c) => c.choices[0].delta.tool_calls)).toEqual([
			[{ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '' } }],
			[{ index: 1, id: 'call_custom', type: 'function', function: { name: 'get_weather', arguments: '' } }],
		]);
		const argPieces = chunks.filter((c) => c.choices[0].delta.tool_calls && !c.choices[0].delta.tool_calls[0].id);
		expect(argPieces.length).toBeGreaterThan(2);
		for (const c of argPieces) expect(Object.keys(c.choices[0].delta.tool_calls[0]).sort()).toEqual(['function', 'index']);
		const rebuilt = reassembleChat(chunks);
		expect(rebuilt).toEqual({
			role: 'assistant',
			content: 'Let me check.',
			toolCalls: [
				{ id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"city":"Paris"}' },
				{ id: 'call_custom', name: 'get_weather', arguments: '{"city":"Rabat"}' },
			],
			finish: 'tool_calls',
		});
	});

	it('a tool call alone streams a role chunk with content null; string arguments are sent verbatim', async () => {
		sb.openai.script({ toolCall: { name: 'get_weather', arguments: '{"city": broken' } });
		const r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], tools: [chatTool], stream: true });
		const chunks = chatChunks(r.text);
		expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null, refusal: null });
		expect(reassembleChat(chunks).toolCalls[0].arguments).toBe('{"city": broken');
	});
});

describe('Responses API', () => {
	it('non-streaming reply: a message output item with output_text; instructions become the system message', async () => {
		const r = await responses({ model: 'gpt-4o-mini', instructions: 'You are terse.', input: 'Bonjour' });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			id: expect.stringMatching(/^resp_/),
			object: 'response',
			created_at: expect.any(Number),
			status: 'completed',
			error: null,
			incomplete_details: null,
			instructions: 'You are terse.',
			model: 'gpt-4o-mini',
			output: [
				{
					type: 'message',
					id: expect.stringMatching(/^msg_/),
					status: 'completed',
					role: 'assistant',
					content: [{ type: 'output_text', text: 'You said: Bonjour', annotations: [] }],
				},
			],
			output_text: 'You said: Bonjour',
			parallel_tool_calls: true,
			text: { format: { type: 'text' } },
			tool_choice: 'auto',
			tools: [],
			usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) },
		});
		expect(r.body.usage.total_tokens).toBe(r.body.usage.input_tokens + r.body.usage.output_tokens);
		expect(sb.openai.requests[0].messages).toEqual([
			{ role: 'system', content: 'You are terse.' },
			{ role: 'user', content: 'Bonjour' },
		]);
	});

	it('non-streaming function call, then function_call_output, then the final answer', async () => {
		sb.openai.script({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } });
		const input: unknown[] = [{ role: 'user', content: 'Weather in Paris?' }];
		let r = await responses({ model: 'gpt-4o-mini', input, tools: [responsesTool] });
		expect(r.body.output).toEqual([
			{ type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
		]);
		expect(r.body.output_text).toBe('');
		expect(r.body.tools).toEqual([responsesTool]);
		const fc = r.body.output[0];
		const long = 'x'.repeat(OPENAI_TOOL_RESULT_ECHO_LIMIT + 50);
		r = await responses({ model: 'gpt-4o-mini', input: [...input, fc, { type: 'function_call_output', call_id: fc.call_id, output: long }], tools: [responsesTool] });
		expect(r.body.output_text).toBe(`Tool result: ${'x'.repeat(OPENAI_TOOL_RESULT_ECHO_LIMIT)}`);
		expect(sb.openai.requests[1].messages).toEqual([
			{ role: 'user', content: 'Weather in Paris?' },
			{ role: 'assistant', content: '', toolCalls: [{ id: fc.call_id, name: 'get_weather', arguments: { city: 'Paris' } }] },
			{ role: 'tool', content: long, toolCallId: fc.call_id },
		]);
	});

	it('streaming reply: typed events with increasing sequence_number; the deltas rebuild the text', async () => {
		sb.openai.script({ reply: 'Streaming works across several pieces of text.' });
		const r = await responses({ model: 'gpt-4o', input: 'Go', stream: true });
		expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		const events = sseEvents(r.text).map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
		for (const e of events) expect(e.data.type).toBe(e.event);
		expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
		const types = events.map((e) => e.event);
		const deltas = events.filter((e) => e.event === 'response.output_text.delta');
		expect(deltas.length).toBeGreaterThan(1);
		expect(types).toEqual([
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.content_part.added',
			...deltas.map(() => 'response.output_text.delta'),
			'response.output_text.done',
			'response.content_part.done',
			'response.output_item.done',
			'response.completed',
		]);
		expect(events[0].data.response).toMatchObject({ object: 'response', status: 'in_progress', output: [], model: 'gpt-4o' });
		expect(events[2].data).toMatchObject({ output_index: 0, item: { type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
		const itemId = events[2].data.item.id;
		for (const d of deltas) expect(d.data).toMatchObject({ item_id: itemId, output_index: 0, content_index: 0 });
		expect(deltas.map((d) => d.data.delta).join('')).toBe('Streaming works across several pieces of text.');
		expect(events.find((e) => e.event === 'response.output_text.done')!.data.text).toBe('Streaming works across several pieces of text.');
		const completed = events[events.length - 1].data.response;
		expect(completed).toMatchObject({
			status: 'completed',
			output: [{ type: 'message', id: itemId, status: 'completed', content: [{ type: 'output_text', text: 'Streaming works across several pieces of text.' }] }],
			usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) },
		});
	});

	it('streaming function call: output_item.added with empty arguments, argument deltas, .done events, then the result turn', async () => {
		sb.openai.script({ toolCall: { name: 'get_weather', arguments: { city: 'Casablanca' } } }, { reply: 'It is sunny.' });
		let r = await responses({ model: 'gpt-4o-mini', input: 'Weather?', tools: [responsesTool], stream: true });
		const events = sseEvents(r.text).map((e) => JSON.parse(e.data));
		const added = events.find((e) => e.type === 'response.output_item.added');
		expect(added.item).toEqual({ type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '', status: 'in_progress' });
		const argDeltas = events.filter((e) => e.type === 'response.function_call_arguments.delta');
		expect(argDeltas.length).toBeGreaterThan(1);
		expect(argDeltas.map((e) => e.delta).join('')).toBe('{"city":"Casablanca"}');
		expect(events.find((e) => e.type === 'response.function_call_arguments.done')).toMatchObject({ item_id: added.item.id, arguments: '{"city":"Casablanca"}' });
		expect(events.find((e) => e.type === 'response.output_item.done').item).toMatchObject({ status: 'completed', arguments: '{"city":"Casablanca"}' });
		const completed = events[events.length - 1];
		expect(completed.type).toBe('response.completed');
		const output = completed.response.output;
		expect(output).toEqual([{ ...added.item, arguments: '{"city":"Casablanca"}', status: 'completed' }]);

		// as langchain replays it: the previous output items, then the result
		r = await responses({
			model: 'gpt-4o-mini',
			input: [{ type: 'message', role: 'user', content: 'Weather?' }, ...output, { type: 'function_call_output', call_id: added.item.call_id, output: 'sunny' }],
			tools: [responsesTool],
			stream: true,
		});
		const text = sseEvents(r.text)
			.map((e) => JSON.parse(e.data))
			.filter((e) => e.type === 'response.output_text.delta')
			.map((e) => e.delta)
			.join('');
		expect(text).toBe('It is sunny.');
	});

	it('a reply with tool calls: the message item first, then the function calls', async () => {
		sb.openai.script({ reply: 'Checking both.', toolCalls: [{ name: 'a' }, { name: 'b', arguments: { n: 1 } }] });
		const r = await responses({ model: 'gpt-4o-mini', input: 'x' });
		expect(r.body.output.map((o: { type: string }) => o.type)).toEqual(['message', 'function_call', 'function_call']);
		expect(r.body.output[1]).toMatchObject({ name: 'a', arguments: '{}' });
		expect(r.body.output_text).toBe('Checking both.');
	});
});

describe('scripting', () => {
	it('turns are taken in order across both APIs, then the default turn answers', async () => {
		sb.openai.script({ reply: 'first' }, { reply: 'second' });
		sb.openai.script({ reply: 'third' });
		expect(sb.openai.pending).toBe(3);
		expect((await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] })).body.choices[0].message.content).toBe('first');
		expect((await responses({ model: 'gpt-4o-mini', input: 'b' })).body.output_text).toBe('second');
		const streamed = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'c' }], stream: true });
		expect(reassembleChat(chatChunks(streamed.text)).content).toBe('third');
		expect(sb.openai.pending).toBe(0);
		expect((await responses({ model: 'gpt-4o-mini', input: 'd' })).body.output_text).toBe('You said: d');
		expect(sb.openai.requests.map((q) => [q.api, q.stream, q.scripted, q.turn])).toEqual([
			['chat', false, true, { reply: 'first' }],
			['responses', false, true, { reply: 'second' }],
			['chat', true, true, { reply: 'third' }],
			['responses', false, false, { reply: 'You said: d' }],
		]);
	});

	it('the default turn: the last user message (memory tests see each turn), or the last tool result cut to 200 characters', async () => {
		const history = [
			{ role: 'user', content: 'My name is Adil.' },
			{ role: 'assistant', content: 'You said: My name is Adil.' },
			{ role: 'user', content: 'What is my name?' },
		];
		let r = await chat({ model: 'gpt-4o-mini', messages: history });
		expect(r.body.choices[0].message.content).toBe('You said: What is my name?');
		r = await chat({
			model: 'gpt-4o-mini',
			messages: [
				...history,
				{ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
				{ role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'y'.repeat(300) }] },
			],
		});
		expect(r.body.choices[0].message.content).toBe(`Tool result: ${'y'.repeat(200)}`);
		// no user message at all
		r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'only a system prompt' }] });
		expect(r.body.choices[0].message.content).toBe('You said: ');
	});

	it('a function turn decides from the normalized request; undefined falls back to the default turn', async () => {
		const seen: OpenAIChatRequest[] = [];
		sb.openai.script(
			(request) => {
				seen.push(request);
				return { toolCall: { name: request.tools[0].name, arguments: { city: request.messages[request.messages.length - 1].content } } };
			},
			() => undefined,
		);
		let r = await responses({ model: 'gpt-4o-mini', input: 'Tangier', tools: [responsesTool] });
		expect(r.body.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Tangier"}' });
		expect(seen[0]).toMatchObject({ api: 'responses', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tangier' }], tools: [{ name: 'get_weather' }] });
		r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'next' }] });
		expect(r.body.choices[0].message.content).toBe('You said: next');
		expect(sb.openai.requests[1]).toMatchObject({ scripted: false, turn: { reply: 'You said: next' } });
	});

	it('an error turn answers an OpenAI error in script order (unlike faults, which match by path)', async () => {
		sb.openai.script({ reply: 'ok' }, { error: { status: 429, message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }, { error: {} });
		expect((await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] })).status).toBe(200);
		let r = await responses({ model: 'gpt-4o-mini', input: 'b' });
		expect(r.status).toBe(429);
		expect(r.body).toEqual({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
		r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'c' }], stream: true });
		expect(r.status).toBe(500);
		expect(r.body.error).toMatchObject({ type: 'server_error' });
		expect(sb.openai.requests).toHaveLength(3);
	});

	it('defaultTurn can be replaced; reset() (and sandbox.reset()) restores the echo, empties the queue and the log', async () => {
		sb.openai.defaultTurn = () => ({ reply: 'always this' });
		expect((await responses({ model: 'gpt-4o-mini', input: 'x' })).body.output_text).toBe('always this');
		sb.openai.script({ reply: 'queued' });
		sb.openai.streamChunkDelayMs = 5;
		sb.reset();
		expect(sb.openai.pending).toBe(0);
		expect(sb.openai.requests).toEqual([]);
		expect(sb.openai.defaultTurn).toBe(openAIEchoTurn);
		expect(sb.openai.streamChunkDelayMs).toBe(0);
		expect((await responses({ model: 'gpt-4o-mini', input: 'x' })).body.output_text).toBe('You said: x');
		expect(sb.openai.chatRequests()).toHaveLength(1);
		expect(sb.openai.lastChatRequest()).toBe(sb.openai.requests[0]);
	});

	it('ids are deterministic after reset() and the clock is settable', async () => {
		sb.openai.clock = () => 1_700_000_000_000;
		sb.openai.script({ toolCall: { name: 'get_weather', arguments: {} } });
		const r = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
		expect(r.body.created).toBe(1_700_000_000);
		expect(r.body.choices[0].message.tool_calls[0].id).toBe('call_sandbox000001');
		expect(r.body.id).toBe('chatcmpl-sandbox000002');
	});
});

describe('request normalization', () => {
	it('the same conversation through both APIs gives the same messages and tools', async () => {
		const system = 'You are a helpful assistant';
		await chat({
			model: 'gpt-4o-mini',
			messages: [
				{ role: 'system', content: system },
				{ role: 'user', content: 'Hi, I am Adil' },
				{ role: 'assistant', content: 'You said: Hi, I am Adil' },
				{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
				{ role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
				{ role: 'tool', tool_call_id: 'call_9', content: 'Sunny' },
			],
			tools: [chatTool],
			tool_choice: 'auto',
			temperature: 0.2,
		});
		await responses({
			model: 'gpt-4o-mini',
			instructions: system,
			input: [
				{ role: 'user', content: 'Hi, I am Adil' },
				// as langchain replays an earlier Responses answer: the output items themselves
				{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'You said: Hi, I am Adil', annotations: [] }] },
				{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
				{ type: 'message', role: 'assistant', content: 'Checking.' },
				{ type: 'function_call', id: 'fc_1', call_id: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
				{ type: 'reasoning', id: 'rs_1', summary: [] },
				{ type: 'function_call_output', call_id: 'call_9', output: 'Sunny' },
			],
			tools: [responsesTool, { type: 'web_search' }],
			tool_choice: 'auto',
		});
		const [c, rs] = sb.openai.requests;
		const expected = [
			{ role: 'system', content: system },
			{ role: 'user', content: 'Hi, I am Adil' },
			{ role: 'assistant', content: 'You said: Hi, I am Adil' },
			{ role: 'user', content: 'Weather in Paris?' },
			{ role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Paris' } }] },
			{ role: 'tool', content: 'Sunny', toolCallId: 'call_9' },
		];
		expect(c.messages).toEqual(expected);
		expect(rs.messages).toEqual(expected);
		const tools = [{ name: 'get_weather', description: 'Weather of a city', parameters: WEATHER_TOOL_PARAMS }];
		expect(c.tools).toEqual(tools);
		expect(rs.tools).toEqual(tools); // function tools only
		expect(c).toMatchObject({ api: 'chat', model: 'gpt-4o-mini', stream: false, toolChoice: 'auto', raw: { temperature: 0.2 } });
		expect(rs).toMatchObject({ api: 'responses', toolChoice: 'auto', raw: { instructions: system } });
		expect(c.seq).toBe(sb.requestsFor('openai', 'POST', '/chat/completions')[0].seq);
	});

	it('developer messages count as system; parts are joined; images dropped; legacy functions and function messages', async () => {
		await chat({
			model: 'gpt-5-mini',
			messages: [
				{ role: 'developer', content: 'dev prompt' },
				{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'text', text: 'here' }] },
				{ role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":1}' } },
				{ role: 'function', name: 'lookup', content: 'found' },
			],
			functions: [{ name: 'lookup', parameters: { type: 'object' } }],
		});
		await responses({ model: 'gpt-5-mini', input: [{ role: 'developer', content: 'dev prompt' }, { role: 'user', content: 'hey' }] });
		const [c, rs] = sb.openai.requests;
		expect(c.messages).toEqual([
			{ role: 'system', content: 'dev prompt' },
			{ role: 'user', content: 'look\nhere' },
			{ role: 'assistant', content: '', toolCalls: [{ id: 'lookup', name: 'lookup', arguments: { q: 1 } }] },
			{ role: 'tool', content: 'found', toolCallId: 'lookup' },
		]);
		expect(c.tools).toEqual([{ name: 'lookup', description: '', parameters: { type: 'object' } }]);
		expect(rs.messages).toEqual([
			{ role: 'system', content: 'dev prompt' },
			{ role: 'user', content: 'hey' },
		]);
		expect(sb.openai.requests[1].turn).toEqual({ reply: 'You said: hey' });
	});
});

// =====================================================================================
// The clients n8n uses, from the cached n8n install (skipped when it is not there)
// =====================================================================================

/** `require` as @n8n/n8n-nodes-langchain of the newest cached n8n 2.x resolves (what the OpenAI Chat Model node loads). */
function n8nLangchainRequire(): NodeJS.Require | undefined {
	const root = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-livechat-bridge');
	let dirs: string[];
	try {
		dirs = fs.readdirSync(root);
	} catch {
		return undefined;
	}
	const installs = dirs
		.filter((d) => /^n8n-2\.\d+\.\d+-/.test(d) && fs.existsSync(path.join(root, d, '.complete')))
		.map((d) => ({ d, v: d.slice(4).split('-')[0].split('.').map(Number) }))
		.sort((a, b) => b.v[0] - a.v[0] || b.v[1] - a.v[1] || b.v[2] - a.v[2]);
	for (const { d } of installs) {
		const base = path.join(root, d, 'node_modules', '@n8n', 'n8n-nodes-langchain', 'package.json');
		if (!fs.existsSync(base)) continue;
		const req = createRequire(base);
		try {
			req.resolve('@langchain/openai');
			req.resolve('openai');
			return req;
		} catch {
			continue;
		}
	}
	return undefined;
}

const n8nRequire = n8nLangchainRequire();
const describeWithN8n = n8nRequire ? describe : describe.skip;

describeWithN8n('the clients of n8n\'s OpenAI Chat Model node (cached n8n install)', () => {
	/* eslint-disable @typescript-eslint/no-explicit-any */
	const req = n8nRequire as NodeJS.Require;
	const lcOpenAI = (): any => req('@langchain/openai');
	const lcMessages = (): any => createRequire(req.resolve('@langchain/openai'))('@langchain/core/messages');
	const OpenAI = (): any => req('openai').default ?? req('openai');

	it('the openai SDK: models, both APIs JSON and streamed, its stream helpers, 401 as AuthenticationError', async () => {
		const Client = OpenAI();
		const client = new Client({ apiKey: OPENAI_API_KEY, baseURL: sb.baseUrl('openai'), maxRetries: 0 });
		const models = await client.models.list();
		expect(models.data.map((m: { id: string }) => m.id)).toEqual(OPENAI_MODEL_IDS);

		const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
		expect(completion.choices[0].message.content).toBe('You said: hi');

		sb.openai.script({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } });
		const chatStream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'w' }], tools: [chatTool] });
		const final = await chatStream.finalChatCompletion();
		expect(final.choices[0].message.tool_calls[0].function).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
		expect(final.choices[0].finish_reason).toBe('tool_calls');

		const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'hello' });
		expect(response.output_text).toBe('You said: hello');

		const types: string[] = [];
		for await (const event of await client.responses.create({ model: 'gpt-4o-mini', input: 'streamed', stream: true })) types.push(event.type);
		expect(types[types.length - 1]).toBe('response.completed');
		const helper = client.responses.stream({ model: 'gpt-4o-mini', input: 'via the helper' });
		expect((await helper.finalResponse()).output_text).toBe('You said: via the helper');

		const bad = new Client({ apiKey: 'sk-wrong', baseURL: sb.baseUrl('openai'), maxRetries: 0 });
		await expect(bad.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
	});

	it.each([
		['Chat Completions', false],
		['Responses', true],
	])('ChatOpenAI with tools over %s: tool call then final answer, invoke and stream, same normalized history', async (_name, useResponsesApi) => {
		const { ChatOpenAI } = lcOpenAI();
		const { SystemMessage, HumanMessage, AIMessage, ToolMessage } = lcMessages();
		const model = new ChatOpenAI({ apiKey: OPENAI_API_KEY, model: 'gpt-4o-mini', configuration: { baseURL: sb.baseUrl('openai') }, useResponsesApi, maxRetries: 0 }).bindTools([
			chatTool,
		]);
		const history = [new SystemMessage('sys'), new HumanMessage('earlier'), new AIMessage('You said: earlier'), new HumanMessage('Weather in Paris?')];
		// `.stream()` goes through _streamResponseChunks as n8n's streaming agent does. (ChatOpenAI with
		// `streaming: true` + invoke() on Chat Completions would also fetch a tiktoken file from the
		// internet to estimate tokens, which hangs offline; n8n's node does not set `streaming`.)
		const streamed = async (messages: unknown[]): Promise<any> => {
			let acc: any;
			for await (const chunk of await model.stream(messages)) acc = acc ? acc.concat(chunk) : chunk;
			return acc;
		};
		for (const run of [(m: unknown[]) => model.invoke(m), streamed]) {
			sb.reset();
			sb.openai.script({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } }, { reply: 'Sunny in Paris.' });
			const first = await run(history);
			expect(first.tool_calls).toEqual([expect.objectContaining({ name: 'get_weather', args: { city: 'Paris' }, id: expect.stringMatching(/^call_/) })]);
			const second = await run([...history, first, new ToolMessage({ content: 'Sunny, 21 °C', tool_call_id: first.tool_calls[0].id })]);
			expect(second.text).toBe('Sunny in Paris.');
			expect(sb.openai.pending).toBe(0);
			expect(sb.openai.requests.map((q) => q.api)).toEqual(useResponsesApi ? ['responses', 'responses'] : ['chat', 'chat']);
			expect(sb.openai.requests[0].tools).toEqual([{ name: 'get_weather', description: 'Weather of a city', parameters: WEATHER_TOOL_PARAMS }]);
			expect(sb.openai.requests[1].messages).toEqual([
				{ role: 'system', content: 'sys' },
				{ role: 'user', content: 'earlier' },
				{ role: 'assistant', content: 'You said: earlier' },
				{ role: 'user', content: 'Weather in Paris?' },
				{ role: 'assistant', content: '', toolCalls: [{ id: first.tool_calls[0].id, name: 'get_weather', arguments: { city: 'Paris' } }] },
				{ role: 'tool', content: 'Sunny, 21 °C', toolCallId: first.tool_calls[0].id },
			]);
		}
	});

	it('ChatOpenAI without a script: the default echo, streamed token by token', async () => {
		const { ChatOpenAI } = lcOpenAI();
		const model = new ChatOpenAI({ apiKey: OPENAI_API_KEY, model: 'gpt-4o-mini', configuration: { baseURL: sb.baseUrl('openai') }, useResponsesApi: true, maxRetries: 0 });
		const tokens: string[] = [];
		for await (const chunk of await model.stream('one two three four')) if (chunk.text) tokens.push(chunk.text);
		expect(tokens.length).toBeGreaterThan(1);
		expect(tokens.join('')).toBe('You said: one two three four');
	});
});
