#!/usr/bin/env node
// `npm run bench` (issue 13): runs every bench piece, each in its own process on the Node.js of
// the cached n8n install (created with scripts/lib/n8n-install.js if absent), with n8n-core /
// n8n-workflow / n8n-nodes-base resolved from that install for our nodes and n8n's alike
// (bench/lib/register.js). Prints a table of ratios and rewrites bench/RESULTS.md.
//   npm run bench -- --skip-n8n     without the real-n8n piece
//   npm run bench -- --no-build     measure dist/ as it is
//   npm run bench -- --render <all.json>   rewrite the tables from a run's raw results
//   env BENCH_ITEMS, BENCH_ROUNDS, BENCH_RATES, BENCH_STEP_SECONDS, BENCH_TRIGGER_SAMPLES
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureN8n } = require('../scripts/lib/n8n-install');
const { cleanNpmEnv: cleanEnv } = require('../scripts/lib/n8n-run');

const REPO = path.resolve(__dirname, '..');
const PACKAGE = require(path.join(REPO, 'package.json'));
const args = process.argv.slice(2);
const skipN8n = args.includes('--skip-n8n');
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

const n8n = ensureN8n(process.env.N8N_VERSION || undefined);
const modules = path.join(n8n.appDir, 'node_modules');
// Always the code as it is now (a stale dist/ would be measured otherwise); --no-build skips it.
if ((!args.includes('--no-build') && !args.includes('--render')) || !PACKAGE.n8n.nodes.every((file) => fs.existsSync(path.join(REPO, file)))) {
	log('npm run build');
	const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit', env: cleanEnv({}) });
	if (built.status !== 0) process.exit(built.status || 1);
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-bridge-bench-out-'));
function piece(name, file) {
	const out = path.join(outDir, `${name}.json`);
	const started = Date.now();
	log(`${name}: ${file}`);
	const result = spawnSync(n8n.node.nodeBin, ['--expose-gc', '-r', path.join(__dirname, 'lib', 'register.js'), path.join(__dirname, file)], {
		cwd: REPO,
		stdio: ['ignore', 'inherit', 'inherit'],
		env: cleanEnv({ BENCH_OUT: out, BENCH_N8N_MODULES: modules, N8N_LOG_LEVEL: 'silent' }),
	});
	log(`${name}: ${Math.round((Date.now() - started) / 1000)} s`);
	if (result.status !== 0 || !fs.existsSync(out)) {
		log(`${name} FAILED (exit ${result.status})`);
		return { failed: true };
	}
	return JSON.parse(fs.readFileSync(out, 'utf8'));
}

if (args.includes('--soak')) {
	// `npm run soak`: the fault run alone; its report is bench/SOAK.md.
	const soak = piece('soak', 'soak.ts');
	writeSoakReport(soak);
	process.exit(soak.failed || !soak.pass ? 1 : 0);
}

function writeSoakReport(r) {
	const head = [
		'# Faults at scale in queue mode (`npm run soak`)',
		'',
		'Rewritten by `npm run soak` (bench/soak.ts), one section per n8n version (`N8N_VERSION=1.123.81 npm run soak` for n8n 1.x). A real n8n in queue mode (Redis with an append-only file, PostgreSQL, main, two webhook processors, one worker with concurrency 5; the package installed), one workflow: Digishare Trigger → Digishare Send answering "Re: <the customer\'s text>". ' +
			'Customer messages flow at a steady rate, alternately to both webhook processors, each with its own message ID and text; a delivery not answered 200 is sent again a second later to the other processor (a provider behind a load balancer retrying, same message ID). ' +
			'Faults one after the other, with a quiet spell after each; then the deliveries stop and the sandbox is watched until every acknowledged message has its reply. Each window runs from its fault to the next one; a message is counted in the window it was first sent in.',
		'',
	];
	const out = [
		`## n8n ${r.n8nVersion ?? process.env.N8N_VERSION ?? '?'}`,
		'',
		`Date: ${new Date().toISOString()}; ${r.rate ?? '?'} messages/s; ${r.downSeconds ?? '?'} s down; ${r.quietSeconds ?? '?'} s quiet after each fault.`,
		'',
	];
	if (r.failed) out.push('**The run failed** (see its output).', '');
	else {
		out.push('| window | sent | acknowledged | on the first try | after retries | never | replied once | no reply | more than one reply | what the retried got |', '|---|---|---|---|---|---|---|---|---|---|');
		for (const w of r.windows) out.push(`| ${w.window} | ${w.sent} | ${w.acked} | ${w.ackedFirstTry} | ${w.retried} | ${w.neverAcked} | ${w.oneReply} | ${w.noReply.length ? w.noReply.join(', ') : 0} | ${w.duplicateReplies.length ? w.duplicateReplies.join(', ') : 0} | ${w.failures.join(', ') || '–'} |`);
		out.push('', `Executions in n8n: ${Object.entries(r.executions).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
		if (r.lost.length) out.push(`Without a reply: ${r.lost.map((text) => `${text} (execution ${r.lostExecutions[text].join('; ') || 'none found'})`).join(', ')}.`, '');
		out.push(
			`Result: ${r.pass ? '**pass**' : '**FAIL**'} — every acknowledged message replied to exactly once, except what the killed worker had taken (n8n runs a queued execution at most once: it sets Bull's maxStalledCount to 0, so an execution a killed worker had started is never run again and its queue recovery later marks it crashed; at most the worker's concurrency, ${r.workerConcurrency}). Lost that way: ${r.lostToTheKilledWorker.length}; duplicates: ${r.duplicated.length}.`,
			'',
		);
	}
	const file = path.join(__dirname, 'SOAK.md');
	const sections = new Map();
	if (fs.existsSync(file)) {
		for (const part of fs.readFileSync(file, 'utf8').split(/^(?=## n8n )/m).slice(1)) sections.set(part.split('\n')[0], part.trimEnd());
	}
	sections.set(out[0], out.join('\n').trimEnd());
	const ordered = [...sections.entries()].sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
	fs.writeFileSync(file, `${[...head, ...ordered.map(([, text]) => `${text}\n`)].join('\n')}`);
	log('report written to bench/SOAK.md');
}

// `--render <all.json>`: the tables again from a run's raw results (no piece runs).
const renderFrom = args.includes('--render') ? args[args.indexOf('--render') + 1] : undefined;
const results = renderFrom ? JSON.parse(fs.readFileSync(renderFrom, 'utf8')) : {
	sends: piece('sends', 'sends.ts'),
	triggers: piece('triggers', 'triggers.ts'),
	load: piece('load', 'load.js'),
	n8n: skipN8n ? { skipped: true } : piece('real-n8n', 'real-n8n.ts'),
	n8nSends: skipN8n ? { skipped: true } : piece('real-n8n-providers', 'real-n8n-providers.ts'),
	n8nResume: skipN8n ? { skipped: true } : piece('real-n8n-resume', 'real-n8n-resume.ts'),
	queueSizing: skipN8n ? { skipped: true } : piece('queue-sizing', 'queue-sizing.ts'),
};

// ---------- table ----------
const f = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : Number(v).toFixed(d));
const ok = (pass) => (pass ? 'yes' : '**NO**');
const lines = [];
const table = (head, rows) => {
	lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
	for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
	lines.push('');
};

const s = results.sends;
lines.push(`### 1. In process (not a real n8n): sequential sends in n8n's engine driven by the bench (${s.items ?? '?'} items, median of ${s.rounds ?? '?'} interleaved rounds)`, '');
lines.push('The bench drives n8n-core in its own process with an in-memory credential store: no database read or decryption per credential read. A real n8n pays those; section 4b measures there.', '');
if (s.failed) lines.push('failed (see output)', '');
else
	table(
		['Operation', 'ours ms/item', 'HTTP Request 4.2 ms/item', 'ratio ours/HTTP', '≤ 1.0'],
		s.sends.map((r) => [r.name, f(r.oursMsPerItem, 3), f(r.httpMsPerItem, 3), f(r.ratio), ok(r.ratio <= 1)]),
	);
if (!s.failed) {
	const b = s.batching;
	lines.push(`### 2. Batching: Digishare send, ${b.items} items, API answers in ${b.delayMs} ms`, '');
	table(
		['Run', 'ms/item', 'speed-up vs sequential', '≥ 5×'],
		[
			['ours sequential', f(b.sequentialMsPerItem), '1.00', ''],
			['ours batching {batchSize 10, batchInterval 0}', b.hasBatching ? f(b.batchedMsPerItem) : 'n/a (no `batching` parameter yet)', b.hasBatching ? f(b.sequentialMsPerItem / b.batchedMsPerItem) : 'n/a', b.hasBatching ? ok(b.sequentialMsPerItem / b.batchedMsPerItem >= 5) : 'n/a'],
			['HTTP Request default (fires all items at once)', f(b.httpDefaultMsPerItem), f(b.sequentialMsPerItem / b.httpDefaultMsPerItem), ''],
			['HTTP Request options.batching {10, 0}', f(b.httpBatchedMsPerItem), f(b.sequentialMsPerItem / b.httpBatchedMsPerItem), ''],
		],
	);
	lines.push('### Where the time goes per item (timers around n8n-core execute-context calls, one run each)', '');
	const rows = [];
	for (const [name, one] of Object.entries(s.breakdown)) {
		if (name.startsWith('profile')) continue;
		for (const [who, t] of Object.entries(one)) {
			const parts = Object.entries(t)
				.filter(([k]) => k !== 'wallUs')
				.map(([k, v]) => `${k} ${f(v.callsPerItem, 1)}× ${f(v.us, 0)} µs`);
			rows.push([name, who === 'ours' ? 'ours' : 'HTTP Request', f(t.wallUs, 0), parts.join('; ')]);
		}
	}
	table(['Operation', 'node', 'wall µs/item', 'calls per item, µs per item (async calls: wall time while awaited)'], rows);
	lines.push('CPU profile, Digishare send vs HTTP Request (self time per item, scaled to wall; in-process sandbox excluded):', '');
	const pd = s.breakdown.profileDigishare;
	const ph = s.breakdown.profileHttpRequest;
	const cats = [...new Set([...pd.rows.map((r) => r.name), ...ph.rows.map((r) => r.name)])];
	const get = (p, n) => p.rows.find((r) => r.name === n)?.usPerItem;
	table(['category', 'Digishare µs/item', 'HTTP Request µs/item'], [
		['wall', f(pd.wallUsPerItem, 0), f(ph.wallUsPerItem, 0)],
		['sandbox (fake API, same process)', f(pd.sandboxUsPerItem, 0), f(ph.sandboxUsPerItem, 0)],
		['inside the node (execute() incl. callees)', f(pd.insideNodeUsPerItem, 0), f(ph.insideNodeUsPerItem, 0)],
		...cats.map((c) => [c, f(get(pd, c), 0), f(get(ph, c), 0)]),
	]);
	lines.push('n8n-workflow/luxon time by first caller outside n8n-workflow (Digishare): ' + pd.n8nWorkflowCallers.map((c) => `${c.name} ${f(c.usPerItem, 0)} µs`).join('; '), '');
}

const t = results.triggers;
lines.push('### 3. Trigger cost per delivery, in process (harness webhook front end of n8n 2.41)', '');
if (t.failed) lines.push('failed', '');
else {
	table(
		['Trigger', 'median µs', 'p99 µs', 'n8n front end alone median/p99 µs', 'net (ours) median/p99 µs', 'JSON.parse median/p99 µs', 'net p99 ≤ 200 µs'],
		t.triggers.map((r) => [r.name, f(r.medianUs, 0), f(r.p99Us, 0), `${f(r.frontMedianUs, 0)} / ${f(r.frontP99Us, 0)}`, `${f(r.netMedianUs, 0)} / ${f(r.netP99Us, 0)}`, `${f(r.jsonParse.medianUs, 1)} / ${f(r.jsonParse.p99Us, 1)}`, ok(r.netP99Us <= 200)]),
	);
	table(
		['Trigger', 'dedupe keys 0: med/p99 µs', '100', '500'],
		t.triggers.map((r) => [r.name, ...r.dedupeWindow.map((w) => `${f(w.medianUs, 0)} / ${f(w.p99Us, 0)}`)]),
	);
	table(
		['Trigger', 'static data keys', 'static data JSON bytes', 'median µs', 'p99 µs', 'front end alone median µs', 'heap per delivery KB (items kept)', 'item JSON bytes'],
		t.triggers.flatMap((r) => r.staticData.map((x) => [r.name, x.keys, x.staticDataBytes, f(x.medianUs, 0), f(x.p99Us, 0), f(x.frontMedianUs, 0), f(x.heapPerDeliveryKB, 1), x.itemBytes])),
	);
}

const n = results.n8n;
lines.push('### 4. Real n8n: webhook acknowledgement latency and rate', '');
if (n.skipped) lines.push('skipped (`--skip-n8n`)', '');
else if (n.failed) lines.push('failed (see output)', '');
else {
	lines.push(
		`n8n ${n.n8nVersion} on Node ${n.nodeVersion}, ${n.stepSeconds} s per step at fixed request rates (open loop); (a) Digishare Trigger → Digishare, (b) Webhook → HTTP Request 4.2. ` +
			`Before each step n8n had finished every execution of the previous one and idled ${n.idleSeconds ?? '?'} s; the workflow that goes first alternates by rate; a workflow is not driven above the first rate it failed. ` +
			`Pass: ${n.criterion ?? 'p99 ≤ 1 s, no errors'}.`,
		'',
	);
	table(
		['rate req/s', 'workflow', 'sent', 'errors', 'ack p50 ms', 'ack p99 ms', 'acks/s', 'replies at API', 'drain after step ms', 'n8n CPU ms/request', 'pass'],
		n.steps.map((r) => [r.rate, r.workflow === 'ours' ? '(a) ours' : '(b) Webhook+HTTP', r.sent, r.errors, f(r.p50Ms, 1), f(r.p99Ms, 1), f(r.ackPerSecond, 1), r.replies, r.drainMs ?? 'n/a', f(r.n8nCpuMsPerRequest, 1), r.pass === undefined ? 'n/a' : ok(r.pass)]),
	);
	if (n.sustainable) {
		const top = (key) => `${n.sustainable[key]} req/s${n.sustainable.untilTop?.[key] ? ' (passed every rate tried)' : ` (failed ${n.firstFailedRate[key]})`}`;
		lines.push(`Sustainable rate: (a) ours ${top('ours')}, (b) Webhook+HTTP Request ${top('http')}; ratio (a)/(b) ${f(n.ratio)} (target ≥ 0.95): ${ok(n.ratio >= 0.95)}.`, '');
	} else if (n.saturation) lines.push(`Saturation (first rate with p99 > 1 s or errors): ours ${n.saturation.ours}, Webhook+HTTP Request ${n.saturation.http}.`, '');
}

const rs = results.n8nSends;
lines.push("### 4b. Real n8n: every provider's main send beside n8n's HTTP Request node", '');
if (rs.skipped) lines.push('skipped (`--skip-n8n`)', '');
else if (rs.failed) lines.push('failed (see output)', '');
else {
	lines.push(
		`n8n ${rs.n8nVersion}, the package installed as a community package; each sender makes the same request to the sandbox (HTTP Request 4.2 copies ours: method, URL, headers, body). ` +
			'Time is what n8n recorded for the sender node (`executionTime` in the run data). ' +
			`One item: Webhook → sender, ${rs.deliveries} executions each, one after another, senders alternating (median ms). ` +
			`${rs.items} items: Webhook → Split Out → sender, median of ${rs.rounds} executions each (ms per item); ours sends one item after the other unless Batching is set, the HTTP Request node fires every item's request at once.`,
		'',
	);
	table(
		['Send', 'shape', 'ours', 'HTTP Request, token inline', 'HTTP Request, Header Auth credential', 'ours / credential', 'ours / inline', 'ours ≤ credential'],
		rs.providers.flatMap((p) => [
			[p.name, 'one item, median ms', f(p.one.ours.medianMs, 1), f(p.one.httpInline.medianMs, 1), f(p.one.httpCredential.medianMs, 1), f(p.ratios.oneVsCredential), f(p.ratios.oneVsInline), ok(p.ratios.oneVsCredential <= 1)],
			[p.name, `${rs.items} items, ms/item`, f(p.many.ours.msPerItem, 3), f(p.many.httpInline.msPerItem, 3), f(p.many.httpCredential.msPerItem, 3), f(p.ratios.manyVsCredential), f(p.ratios.manyVsInline), ok(p.ratios.manyVsCredential <= 1)],
			[p.name, `${rs.items} items, ours with Batching ${rs.batchSize}, ms/item`, f(p.many.oursBatched.msPerItem, 3), f(p.many.httpInline.msPerItem, 3), f(p.many.httpCredential.msPerItem, 3), f(p.ratios.batchedVsCredential), f(p.ratios.batchedVsInline), ok(p.ratios.batchedVsCredential <= 1)],
		]),
	);
}

const rr = results.n8nResume;
lines.push('### 4c. Real n8n: Send and Wait for Reply, reply → resumed execution, beside n8n\'s Wait node', '');
if (rr.skipped) lines.push('skipped (`--skip-n8n`)', '');
else if (rr.failed) lines.push('failed (see output)', '');
else {
	lines.push(
		`n8n ${rr.n8nVersion}: from posting the reply to the resumed execution's next provider call reaching the sandbox (the same Digishare Send in both). ` +
			"Ours: the reply goes to the Digishare Trigger, which posts it to the waiting node's signed resume URL; n8n's: the reply is posted to the Wait node's resume URL directly. Rounds alternate.",
		'',
	);
	table(
		['workflow', 'rounds', 'median ms', 'p99 ms'],
		[
			['Digishare Trigger → Send and Wait for Reply (resumed by the trigger)', rr.ours.rounds, f(rr.ours.medianMs, 1), f(rr.ours.p99Ms, 1)],
			["Webhook → Wait node (resumed through its resume URL)", rr.wait.rounds, f(rr.wait.medianMs, 1), f(rr.wait.p99Ms, 1)],
		],
	);
	lines.push(`Ratio ours/Wait node: ${f(rr.ratio)} (ours adds the trigger's delivery and its own POST to n8n's resume URL).`, '');
}

const q = results.queueSizing;
lines.push('### 6. Queue mode: sizing under load, by expression-engine setting', '');
if (q.skipped) lines.push('skipped (`--skip-n8n`)', '');
else if (q.failed) lines.push('failed (see output)', '');
else {
	lines.push(
		`n8n ${q.n8nVersion} in queue mode: Redis, PostgreSQL, main, **one** webhook processor, **one** worker (concurrency ${q.workerConcurrency}); (a) Digishare Trigger (1.1) → Digishare reply, (b) Webhook → HTTP Request making the same reply. ${q.stepSeconds} s per rate, open loop. ` +
			`Pass: ${q.criterion}. CPU per delivery from /proc for each process over the step (a process saturates near 1000 ms of CPU per second).`,
		'',
	);
	table(
		['setting', 'rate/s', 'workflow', 'sent', 'errors', 'answer p50 ms', 'answer p99 ms', 'replies', 'drain ms', 'webhook processor CPU ms/delivery', 'worker CPU ms/delivery', 'pass'],
		q.settings.flatMap((setting) => setting.steps.map((r) => [setting.setting, r.rate, r.workflow === 'ours' ? '(a) ours' : '(b) Webhook+HTTP', r.sent, r.errors, f(r.p50Ms, 0), f(r.p99Ms, 0), r.replies, r.drainMs, f(r.webhookCpuMsPerDelivery, 1), f(r.workerCpuMsPerDelivery, 1), ok(r.pass)])),
	);
	// The webhook processor keeps up while it answers (no error, p99 ≤ 1 s); the worker keeps up
	// while every reply is at the API within KEEP_UP_MS of the step's last delivery.
	const KEEP_UP_MS = 2000;
	const highest = (setting, who, keepsUp) => {
		let best = 0;
		for (const rate of q.rates) {
			const step = setting.steps.find((r) => r.workflow === who && r.rate === rate);
			if (!step || !keepsUp(step)) return { rate: best, failedAt: step ? rate : null };
			best = rate;
		}
		return { rate: best, failedAt: null };
	};
	const answers = (r) => r.errors === 0 && r.p99Ms <= 1000 && r.replies === r.sent;
	const drains = (r) => answers(r) && r.drainMs <= KEEP_UP_MS;
	const show = (x) => `${x.rate}/s${x.failedAt === null ? ' (every rate tried)' : ` (not ${x.failedAt}/s)`}`;
	const cpu = (setting, who, key) => {
		const values = setting.steps.filter((r) => r.workflow === who && answers(r)).map((r) => r[key]);
		return values.length ? values.sort((a, b) => a - b)[Math.floor(values.length / 2)] : NaN;
	};
	lines.push(
		`Keeps up: the **webhook processor** while every delivery is answered 200 with p99 ≤ 1 s; the **worker** while, besides, every reply reached the API within ${KEEP_UP_MS / 1000} s of the step's last delivery (above that, executions queue up in Redis and replies come late). CPU: median over the rates the webhook processor kept up with.`,
		'',
	);
	table(
		['setting', '(a) ours: webhook processor keeps up to', '(b) Webhook+HTTP: webhook processor keeps up to', '(a) ours: worker keeps up to', '(b): worker keeps up to', '(a) webhook processor CPU ms/delivery → per core', '(b) webhook processor CPU ms/delivery → per core', '(a) worker CPU ms/execution → per core'],
		q.settings.map((setting) => {
			const w = cpu(setting, 'ours', 'webhookCpuMsPerDelivery');
			const h = cpu(setting, 'http', 'webhookCpuMsPerDelivery');
			const k = cpu(setting, 'ours', 'workerCpuMsPerDelivery');
			return [setting.setting, show(highest(setting, 'ours', answers)), show(highest(setting, 'http', answers)), show(highest(setting, 'ours', drains)), show(highest(setting, 'http', drains)), `${f(w, 1)} → ${f(1000 / w, 0)}/s`, `${f(h, 1)} → ${f(1000 / h, 0)}/s`, `${f(k, 1)} → ${f(1000 / k, 0)}/s`];
		}),
	);
}

const l = results.load;
lines.push('### 5. Cold require of dist/ files (fresh process, after n8n-workflow)', '');
if (l.failed) lines.push('failed', '');
else table(['file', 'median ms', 'max ms', '< 25 ms'], l.files.map((r) => [r.file, f(r.medianMs, 1), f(r.maxMs, 1), ok(r.medianMs < 25)]));

const cpus = os.cpus();
const header = [
	`Date: ${new Date().toISOString()}`,
	`Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}`,
	`Node.js: ${n8n.node.version} (the cached n8n install's; orchestrator ${process.version})`,
	`n8n: ${n8n.version} (cached install ${n8n.appDir}); n8n-core ${require(path.join(modules, 'n8n-core', 'package.json')).version}, n8n-workflow ${require(path.join(modules, 'n8n-workflow', 'package.json')).version}, n8n-nodes-base ${require(path.join(modules, 'n8n-nodes-base', 'package.json')).version}`,
	`Package: ${PACKAGE.name} ${PACKAGE.version}`,
	'',
];
const tableText = [...header, ...lines].join('\n');
process.stdout.write(`\n${tableText}\n`);
const md = [
	'# Benchmark results (issue 13)',
	'',
	'Rewritten by `npm run bench` (`npm run bench -- --skip-n8n` without the real-n8n part). Ratios come from runs made side by side in one process (interleaved A/B rounds, medians); absolute numbers depend on the machine.',
	'',
	'How it works: `bench/run.js` runs each piece in its own process on the Node.js of the cached n8n install (`scripts/lib/n8n-install.js`, created if absent); `bench/lib/register.js` transpiles TypeScript on the fly and resolves `n8n-core`, `n8n-workflow`, `n8n-nodes-base` and `@n8n/*` from that install, so our nodes and n8n\'s HTTP Request node run on the same engine. Pieces: `bench/sends.ts` (1, 2, breakdown), `bench/triggers.ts` (3), `bench/real-n8n.ts` (4), `bench/real-n8n-providers.ts` (4b), `bench/real-n8n-resume.ts` (4c), `bench/load.js` (5), `bench/queue-sizing.ts` (6); `npm run soak` runs `bench/soak.ts` alone (bench/SOAK.md). Everything is loopback (test/sandbox).',
	'',
	tableText,
	'',
].join('\n');
fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), md);
fs.writeFileSync(path.join(outDir, 'all.json'), JSON.stringify(results, null, 2));
log(`raw results: ${path.join(outDir, 'all.json')}; table written to bench/RESULTS.md`);
