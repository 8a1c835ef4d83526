// The restart channel of the e2e suites: a loopback HTTP server in jest's global-setup process (the
// one that owns the n8n processes; test files may run in a jest worker). `POST /restart` (bearer
// token) restarts n8n — one restart at a time — and answers when it is ready again, or 500 with
// the error; `GET /processes` lists what runs now. test/e2e/context.ts `restartN8n()` calls it.
const crypto = require('node:crypto');
const http = require('node:http');

/** `target`: `{ restart(): Promise<{ ms }>, processes(): Record<string, { pid, url }> }`. */
function startControlServer(target, log) {
	const token = crypto.randomBytes(16).toString('hex');
	let restarting = Promise.resolve();
	const server = http.createServer((req, res) => {
		const answer = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'bad token' });
		if (req.method === 'POST' && req.url === '/restart') {
			log('restart requested by a test');
			restarting = restarting
				.then(() => target.restart())
				.then(
					({ ms }) => answer(200, { restarted: true, ms, processes: target.processes() }),
					(error) => answer(500, { error: String(error && error.stack ? error.stack : error) }),
				);
			return undefined;
		}
		if (req.method === 'GET' && req.url === '/processes') return answer(200, target.processes());
		return answer(404, { error: `no ${req.method} ${req.url}` });
	});
	// A restart takes up to a few minutes: no server-side timeouts on these requests.
	server.requestTimeout = 0;
	server.headersTimeout = 0;
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, token }));
	});
}

/** Closes the server and any connection still open. */
async function stopControlServer(control) {
	await new Promise((resolve) => {
		control.server.close(resolve);
		control.server.closeAllConnections();
	});
}

module.exports = { startControlServer, stopControlServer };
