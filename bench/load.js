// Piece 5 of `npm run bench`: cold require of every node and credential file in dist/, each in a
// fresh child process after n8n-workflow is loaded. Prints JSON (or writes BENCH_OUT).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const PACKAGE = require(path.join(REPO, 'package.json'));
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS || 7);

const child = `
const t0 = process.hrtime.bigint();
require('n8n-workflow');
const t1 = process.hrtime.bigint();
require(process.argv[1]);
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ workflowMs: Number(t1 - t0) / 1e6, fileMs: Number(t2 - t1) / 1e6 }));
`;

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

const files = [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials];
const rows = [];
for (const file of files) {
	const times = [];
	let workflowMs = [];
	for (let i = 0; i < ROUNDS; i++) {
		const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'lib', 'register.js'), '-e', child, path.join(REPO, file)], {
			cwd: REPO,
			encoding: 'utf8',
			env: process.env,
		});
		if (r.status !== 0) throw new Error(`${file}: ${r.stderr}`);
		const out = JSON.parse(r.stdout);
		times.push(out.fileMs);
		workflowMs.push(out.workflowMs);
	}
	rows.push({ file, medianMs: median(times), maxMs: Math.max(...times), n8nWorkflowMs: median(workflowMs) });
	process.stderr.write(`[bench] load ${file}: ${median(times).toFixed(1)} ms\n`);
}
const text = JSON.stringify({ rounds: ROUNDS, files: rows }, null, 2);
if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, text);
else console.log(text);
