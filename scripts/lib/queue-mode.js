// A real n8n in queue mode on this machine, for the queue-mode end-to-end suite
// (test/e2e-queue/): a private Redis and a private PostgreSQL cluster, then one main process,
// N webhook processors and one worker, each n8n process with its own user folder holding the
// packed package, all on 127.0.0.1. See /work/shared/n8n-facts.md "Queue mode recipe".
//
//   ensureRedis()          path of redis-server (installs the Debian package as root if missing)
//   startRedis({ dir })    redis-server on a free loopback port → { host, port, stop() }
//   startPostgres({ dir }) a private PostgreSQL cluster → { host, port, database, user, password, stop() }
//   startQueueMode({...})  all of it → { mainUrl, webhookUrls, workerHealthUrl, apiKey, …, stop(), restart() }
//
// Every process runs in its own process group. Nothing is left running after stop(), after a
// failed start (what was started is stopped again), or when the calling process exits or gets
// SIGINT/SIGTERM in between (startQueueMode's exit guard, like test/e2e/global-setup.js).
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const run = require('./n8n-run');

const HOST = '127.0.0.1';

function log(line) {
	process.stderr.write(`[queue-mode] ${line}\n`);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** An executable file named `name` on PATH or in the usual system folders, or undefined. */
function findExecutable(name) {
	const dirs = [...(process.env.PATH || '').split(path.delimiter), '/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin', '/sbin'];
	for (const dir of dirs.filter(Boolean)) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			if (fs.statSync(file).isFile()) return file;
		} catch {
			// not here
		}
	}
	return undefined;
}

/** Runs a command synchronously; throws with the end of its output when it fails. */
function runSync(cmd, args, { env, input, quiet } = {}) {
	const result = spawnSync(cmd, args, { encoding: 'utf8', env: env || process.env, input, maxBuffer: 64 * 1024 * 1024 });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		const output = `${result.stdout || ''}${result.stderr || ''}`.trim().split('\n').slice(-30).join('\n');
		if (quiet) return result;
		throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status}:\n${output}`);
	}
	return result;
}

/**
 * `apt-get install` of Debian packages, noninteractive, without recommends; `apt-get update`
 * only when the first install fails (an old package list). Services the packages bring are not
 * started: invoke-rc.d asks /usr/sbin/policy-rc.d, which is made to say "no" (exit 101) for the
 * install when the machine has none.
 */
function aptInstall(packages) {
	if (!isRoot()) throw new Error(`${packages.join(', ')} missing and not root: install the Debian package(s) ${packages.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = ['install', '-y', '--no-install-recommends', ...packages];
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\n# written by queue-mode.js for one apt-get install: start no services\nexit 101\n', { mode: 0o755 });
	try {
		const first = runSync('apt-get', install, { env, quiet: true });
		if (first.status !== 0) {
			runSync('apt-get', ['update'], { env });
			runSync('apt-get', install, { env });
			return 'apt-get install (after apt-get update)';
		}
		return 'apt-get install';
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
}

/** Stops and disables a system service a package may have started: we run our own instances. */
function stopSystemService(name) {
	const done = [];
	if (fs.existsSync('/run/systemd/system') && findExecutable('systemctl')) {
		if (runSync('systemctl', ['disable', '--now', name], { quiet: true }).status === 0) done.push('systemctl disable --now');
	} else {
		if (findExecutable('service') && runSync('service', [name, 'status'], { quiet: true }).status === 0) {
			if (runSync('service', [name, 'stop'], { quiet: true }).status === 0) done.push('service stop');
		}
		if (findExecutable('update-rc.d') && runSync('update-rc.d', [name, 'disable'], { quiet: true }).status === 0) done.push('update-rc.d disable');
	}
	return done;
}

/** Path of `redis-server`; installs the Debian package `redis-server` when missing and root. */
function ensureRedis() {
	const found = findExecutable('redis-server');
	if (found) {
		log(`redis-server found at ${found}`);
		return found;
	}
	const started = Date.now();
	const how = aptInstall(['redis-server']);
	const stopped = stopSystemService('redis-server');
	const bin = findExecutable('redis-server');
	if (!bin) throw new Error('redis-server is still missing after installing the Debian package redis-server');
	log(`redis-server installed with ${how} in ${seconds(Date.now() - started)} (${bin}; system service: ${stopped.length ? stopped.join(', ') : 'not started'})`);
	return bin;
}

/** One RESP PING over a raw TCP socket: true when Redis answers +PONG. */
function redisPing(port, host = HOST, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('latin1');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/**
 * redis-server as a child process in its own process group on a free loopback port, without
 * persistence, working folder `dir`; waits until it answers PING. → { host, port, pid, logFile, stop() }
 */
async function startRedis({ dir, logFile = path.join(dir, 'redis.log'), bin = findExecutable('redis-server') || ensureRedis(), timeoutMs = 20000, port, persist = false }) {
	fs.mkdirSync(dir, { recursive: true });
	port = port || (await run.freePort());
	// `persist`: an append-only file written at every command, as a production Redis for n8n's
	// queue should be (a restart keeps the queued jobs); otherwise nothing is kept.
	const durability = persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
	const args = ['--port', String(port), '--bind', HOST, '--save', '', ...durability, '--dir', dir, '--daemonize', 'no'];
	const proc = run.spawnGroup(bin, args, { logFile, cwd: dir });
	try {
		await run.waitUntil(proc, `redis-server on ${HOST}:${port}`, () => redisPing(port), { timeoutMs, intervalMs: 100, describeFailure: () => `\n${run.tail(logFile)}` });
	} catch (error) {
		await proc.stop(2000);
		throw error;
	}
	return { host: HOST, port, pid: proc.pid, logFile, stop: () => proc.stop(), killSync: () => run.killGroup(proc.pid, 'SIGKILL') };
}

/** bin folder of the highest PostgreSQL installed under /usr/lib/postgresql/<N>/bin, or undefined. */
function findPostgresBin(base = '/usr/lib/postgresql') {
	let versions = [];
	try {
		versions = fs.readdirSync(base).filter((v) => /^\d+(\.\d+)?$/.test(v) && fs.existsSync(path.join(base, v, 'bin', 'initdb')));
	} catch {
		return undefined;
	}
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? { version: versions[0], binDir: path.join(base, versions[0], 'bin') } : undefined;
}

function ensurePostgresBin() {
	const found = findPostgresBin();
	if (found) return found;
	const started = Date.now();
	const how = aptInstall(['postgresql']);
	const installed = findPostgresBin();
	if (!installed) throw new Error('no /usr/lib/postgresql/<N>/bin/initdb after installing the Debian package postgresql');
	// Its postinstall may create the system cluster "main"; policy-rc.d kept it from starting.
	const stopped = stopSystemService('postgresql');
	log(`PostgreSQL ${installed.version} installed with ${how} in ${seconds(Date.now() - started)} (system service: ${stopped.length ? stopped.join(', ') : 'not started'})`);
	return installed;
}

/** Adds o+x to every ancestor of `dir` that lacks it, so the postgres user can reach `dir`. */
function makeTraversable(dir) {
	for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
		const { mode } = fs.statSync(current);
		if (!(mode & 0o001)) fs.chmodSync(current, (mode & 0o7777) | 0o001);
		if (current === path.dirname(current)) break;
	}
}

/**
 * A private PostgreSQL cluster in `dir` (data, socket folder) on a free loopback port, with a
 * role `n8n` (random password) owning a database `n8n`. As root everything runs as the
 * `postgres` OS user (`runuser -u postgres --`). → { host, port, database, user, password, stop() }
 */
async function startPostgres({ dir, logFile = path.join(dir, 'postgres.log') }) {
	const { binDir, version } = ensurePostgresBin();
	const asPostgres = isRoot();
	const data = path.join(dir, 'data');
	const socketDir = path.join(dir, 'run');
	fs.mkdirSync(socketDir, { recursive: true });
	// The server writes its log inside `dir` (the postgres OS user may not reach `logFile`'s folder,
	// e.g. a checkout in a 0700 temp folder); `logFile` points at it while it runs and is a copy after.
	const serverLog = path.join(dir, 'postgres.log');
	fs.writeFileSync(serverLog, '', { flag: 'a' });
	if (asPostgres) {
		const id = (flag) => Number(runSync('id', [flag, 'postgres']).stdout.trim());
		const [uid, gid] = [id('-u'), id('-g')];
		for (const target of [dir, socketDir, serverLog]) fs.chownSync(target, uid, gid);
		makeTraversable(dir);
	}
	if (path.resolve(logFile) !== serverLog) {
		fs.rmSync(logFile, { force: true });
		fs.symlinkSync(serverLog, logFile);
	}
	const keepLog = () => {
		if (path.resolve(logFile) === serverLog) return;
		try {
			fs.rmSync(logFile, { force: true });
			fs.copyFileSync(serverLog, logFile);
		} catch {
			// the server never wrote one
		}
	};
	const pg = (tool, args, options) => {
		const cmd = path.join(binDir, tool);
		return asPostgres ? runSync('runuser', ['-u', 'postgres', '--', cmd, ...args], options) : runSync(cmd, args, options);
	};
	const started = Date.now();
	pg('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync']);
	const port = await run.freePort();
	const options = `-p ${port} -k ${socketDir} -c listen_addresses=${HOST} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	// The postmaster's pid (first line of postmaster.pid), for when pg_ctl cannot stop it (its
	// data folder already removed by an exit handler that ran first).
	let postmasterPid = 0;
	let running = true;
	const stopSync = (mode) => {
		if (!running) return;
		running = false;
		const stopped = pg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'], { quiet: true });
		if (stopped.status !== 0 && postmasterPid > 0) {
			try {
				process.kill(postmasterPid, 'SIGQUIT'); // immediate shutdown of the postmaster and its backends
			} catch {
				// already gone
			}
		}
		keepLog();
	};
	try {
		pg('pg_ctl', ['-D', data, '-l', serverLog, '-o', options, '-w', '-t', '60', 'start']);
		postmasterPid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
		const password = crypto.randomBytes(18).toString('hex');
		const sql = `CREATE ROLE n8n LOGIN PASSWORD '${password}';\nCREATE DATABASE n8n OWNER n8n;\n`;
		pg('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-f', '-'], { input: sql });
		log(`PostgreSQL ${version} cluster ready on ${HOST}:${port} in ${seconds(Date.now() - started)}`);
		return {
			host: HOST,
			port,
			database: 'n8n',
			user: 'n8n',
			password,
			version,
			logFile,
			async stop() {
				stopSync('fast');
			},
			/** Stops the server for a while (fast shutdown: clients are disconnected); `start()` brings it back. */
			async pause() {
				pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			},
			async start() {
				pg('pg_ctl', ['-D', data, '-l', serverLog, '-o', options, '-w', '-t', '60', 'start']);
				postmasterPid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
			},
			/** For exit handlers: immediate shutdown, synchronously. */
			killSync() {
				stopSync('immediate');
			},
		};
	} catch (error) {
		stopSync('immediate');
		throw error;
	}
}

/** A one-line preload giving one n8n process its own os.hostname() (n8n's host ID derives from it). */
function writeHostnamePreload(file, hostname) {
	fs.writeFileSync(
		file,
		`'use strict';\n// queue-mode.js: a host name of its own for this n8n process (n8n derives its host ID from it)\nrequire('os').hostname = () => ${JSON.stringify(hostname)};\n`,
	);
}

/**
 * Readiness of a webhook processor: /healthz/readiness 200 (2.x answers it once the process
 * is fully started; 1.x as soon as the database is migrated, before the webhook routes are
 * mounted) and n8n's own webhook handler answering an unknown production webhook (JSON 404;
 * before the routes exist Express answers HTML).
 */
async function webhookProcessorReady(url) {
	if ((await run.probe(`${url}/healthz`)).status !== 200) return false;
	if ((await run.probe(`${url}/healthz/readiness`)).status !== 200) return false;
	const unknown = await run.probe(`${url}/webhook/queue-mode-readiness-probe/${crypto.randomUUID()}`);
	return unknown.status === 404 && unknown.type.includes('application/json');
}

async function workerReady(healthUrl) {
	return (await run.probe(`${healthUrl}/healthz`)).status === 200 && (await run.probe(`${healthUrl}/healthz/readiness`)).status === 200;
}

/**
 * n8n in queue mode: Redis, PostgreSQL, one main (`n8n start`, production webhooks off, manual
 * executions offloaded), `webhookProcessors` × `n8n webhook`, one `n8n worker`, each n8n process
 * with its own user folder (the tarball installed in its .n8n/nodes), host name, ports and log
 * file `<logDir>/<name>.log`, all sharing one encryption key, Redis and database. `root` is a
 * folder of its own for this instance: stop() removes it.
 *
 * Returns { mainUrl, webhookUrls, workerHealthUrl, apiKey, cookie, browserId, version,
 * logFiles, redis, postgres, processes, stop(), restart(), killSync() }.
 */
async function startQueueMode({
	n8n,
	tarball,
	root,
	logDir,
	webhookProcessors = 2,
	workerConcurrency = 5,
	readyTimeoutMs = 240000,
	stopGraceMs = 20000,
	guardExit = true,
	env = {},
	redisPersist = false,
}) {
	const startedAt = Date.now();
	fs.mkdirSync(root, { recursive: true });
	fs.mkdirSync(logDir, { recursive: true });

	// Everything started so far, for stop() and for the exit guard.
	let redis;
	let postgres;
	const processes = new Map(); // name → running n8n instance (startN8n)
	let removed = false;
	const killSync = () => {
		for (const instance of processes.values()) run.killGroup(instance.pid, 'SIGKILL');
		processes.clear();
		redis?.killSync();
		postgres?.killSync();
		if (!removed) fs.rmSync(root, { recursive: true, force: true });
		removed = true;
	};
	const disarm = guardExit ? run.exitGuard(killSync) : () => {};

	const stopProcesses = async () => {
		const running = [...processes.entries()];
		const infos = await Promise.all(running.map(async ([name, instance]) => [name, await instance.stop(stopGraceMs)]));
		processes.clear();
		return Object.fromEntries(infos);
	};
	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			try {
				const exits = await stopProcesses();
				await redis?.stop();
				await postgres?.stop();
				return exits;
			} finally {
				killSync(); // leftovers, if a stop above failed; removes root
				disarm();
			}
		})();
		return stopping;
	};

	try {
		const redisBin = ensureRedis();
		const [redisStart, postgresStart] = await Promise.allSettled([
			startRedis({ dir: path.join(root, 'redis'), logFile: path.join(logDir, 'redis.log'), bin: redisBin, persist: redisPersist }),
			startPostgres({ dir: path.join(root, 'postgres'), logFile: path.join(logDir, 'postgres.log') }),
		]);
		if (redisStart.status === 'fulfilled') redis = redisStart.value;
		if (postgresStart.status === 'fulfilled') postgres = postgresStart.value;
		if (redisStart.status === 'rejected') throw redisStart.reason;
		if (postgresStart.status === 'rejected') throw postgresStart.reason;
		log(`Redis on ${redis.host}:${redis.port}, PostgreSQL on ${postgres.host}:${postgres.port} after ${seconds(Date.now() - startedAt)}`);

		// Ports: n8n port and task broker port per process, plus the worker's health-check port.
		const names = ['main', ...Array.from({ length: webhookProcessors }, (_, i) => `webhook-${i + 1}`), 'worker'];
		const ports = await run.freePorts(names.length * 2 + 1);
		const encryptionKey = crypto.randomBytes(24).toString('hex');
		const specs = names.map((name, i) => ({
			name,
			port: ports[2 * i],
			runnerPort: ports[2 * i + 1],
			userFolder: path.join(root, `n8n-${name}`),
			logFile: path.join(logDir, `${name}.log`),
			preload: path.join(root, `hostname-${name}.js`),
			url: `http://${HOST}:${ports[2 * i]}`,
		}));
		const byName = Object.fromEntries(specs.map((spec) => [spec.name, spec]));
		const main = byName.main;
		const webhooks = specs.filter((spec) => spec.name.startsWith('webhook-'));
		const healthPort = ports[ports.length - 1];
		const workerHealthUrl = `http://${HOST}:${healthPort}`;
		const productionBase = webhooks.length ? webhooks[0].url : main.url;

		const common = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// The production URLs n8n shows: the first webhook processor. 2.x reads N8N_WEBHOOK_URL,
			// 1.x only WEBHOOK_URL (which n8nEnv sets to each process's own URL otherwise).
			N8N_WEBHOOK_URL: `${productionBase}/`,
			WEBHOOK_URL: `${productionBase}/`,
			N8N_EDITOR_BASE_URL: `${main.url}/`,
		};
		const extraEnv = {
			// Without webhook processors, main keeps serving production webhooks.
			main: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: webhooks.length ? 'true' : 'false', OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
			worker: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: HOST },
		};
		const commandOf = (spec) => {
			if (spec.name === 'main') return { command: 'start', args: [] };
			if (spec.name === 'worker') return { command: 'worker', args: [`--concurrency=${workerConcurrency}`] };
			return { command: 'webhook', args: [] };
		};

		for (const spec of specs) {
			fs.writeFileSync(spec.logFile, '');
			writeHostnamePreload(spec.preload, `livechat-queue-${spec.name}-${crypto.randomBytes(3).toString('hex')}`);
		}

		const startOne = async (spec) => {
			if (stopping) throw new Error('queue mode is being stopped');
			const { command, args } = commandOf(spec);
			const instance = await run.startN8n({
				n8n,
				userFolder: spec.userFolder,
				port: spec.port,
				runnerPort: spec.runnerPort,
				logFile: spec.logFile,
				command,
				args,
				env: { ...common, ...env, ...(extraEnv[spec.name] ?? {}), NODE_OPTIONS: `--require ${spec.preload}` },
			});
			processes.set(spec.name, instance);
			return instance;
		};
		const waitOne = async (spec, instance) => {
			const t0 = Date.now();
			const options = { timeoutMs: readyTimeoutMs, describeFailure: () => `\n--- ${spec.logFile} (last lines) ---\n${run.tail(spec.logFile)}` };
			if (spec.name === 'main') await run.waitReady(instance, options);
			else if (spec.name === 'worker') await run.waitUntil(instance, 'n8n worker', () => workerReady(workerHealthUrl), options);
			else await run.waitUntil(instance, `n8n webhook processor ${spec.name}`, () => webhookProcessorReady(spec.url), options);
			return Date.now() - t0;
		};
		// Main first: it runs the database migrations the other processes expect to be done.
		const startAll = async (whileMainBoots = () => {}) => {
			const t0 = Date.now();
			const mainInstance = await startOne(main);
			whileMainBoots();
			await waitOne(main, mainInstance);
			const mainMs = Date.now() - t0;
			const others = specs.filter((spec) => spec !== main);
			await Promise.all(others.map(async (spec) => waitOne(spec, await startOne(spec))));
			log(`n8n ${n8n.version}: main ready in ${seconds(mainMs)}, ${others.map((s) => s.name).join(', ')} ready ${seconds(Date.now() - t0 - mainMs)} later`);
		};

		// The package into each process's own user folder: main's first, the others' while main boots.
		const install = (list) => {
			const t0 = Date.now();
			for (const spec of list) run.installPackage(spec.userFolder, tarball);
			return Date.now() - t0;
		};
		let installMs = install([main]);
		await startAll(() => {
			installMs += install(specs.filter((spec) => spec !== main));
			log(`${path.basename(tarball)} installed into ${specs.length} user folders (${seconds(installMs)})`);
		});

		const session = await run.ownerSession(main.url);
		const apiKey = await run.createApiKey(session);
		log(`queue mode up in ${seconds(Date.now() - startedAt)}: main ${main.url}, webhook processors ${webhooks.map((s) => s.url).join(' ')}, worker health ${workerHealthUrl}`);

		let restarting;
		const restart = () => {
			if (stopping) return Promise.reject(new Error('queue mode is stopped'));
			restarting ??= (async () => {
				const r0 = Date.now();
				try {
					const exits = await stopProcesses();
					const stamp = new Date().toISOString();
					for (const spec of specs) fs.appendFileSync(spec.logFile, `\n===== queue-mode.js: restart at ${stamp} =====\n`);
					await startAll();
					log(`restart: every n8n process stopped and ready again in ${seconds(Date.now() - r0)}`);
					return { ms: Date.now() - r0, exits };
				} finally {
					restarting = undefined;
				}
			})();
			return restarting;
		};

		return {
			mainUrl: main.url,
			webhookUrls: webhooks.map((spec) => spec.url),
			workerHealthUrl,
			apiKey,
			cookie: session.cookie,
			browserId: session.browserId,
			version: n8n.version,
			logFiles: Object.fromEntries([
				...specs.map((spec) => [spec.name, spec.logFile]),
				['redis', redis.logFile],
				['postgres', postgres.logFile],
			]),
			redis: { host: redis.host, port: redis.port },
			postgres: { host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password },
			/** Running n8n processes by name (pids change on restart). */
			get processes() {
				return Object.fromEntries([...processes.entries()].map(([name, instance]) => [name, { pid: instance.pid, url: byName[name].url }]));
			},
			startupMs: Date.now() - startedAt,
			stop,
			restart,
			killSync,
			// Faults, one part at a time (scripts/soak.js):
			/** Signals one n8n process's group (default SIGKILL) and waits until it is gone. */
			async kill(name, signal = 'SIGKILL') {
				const instance = processes.get(name);
				if (!instance) throw new Error(`no running n8n process "${name}"`);
				run.killGroup(instance.pid, signal);
				await instance.exited;
				processes.delete(name);
			},
			/** Starts one n8n process again (same folders, ports, keys) and waits until it is ready. */
			async start(name) {
				const spec = byName[name];
				if (!spec) throw new Error(`no n8n process "${name}"`);
				if (processes.has(name)) throw new Error(`"${name}" is running`);
				fs.appendFileSync(spec.logFile, `\n===== queue-mode.js: ${name} started again at ${new Date().toISOString()} =====\n`);
				return await waitOne(spec, await startOne(spec));
			},
			/** Stops one n8n process gracefully (SIGTERM) and starts it again. */
			async restartOne(name) {
				const instance = processes.get(name);
				if (!instance) throw new Error(`no running n8n process "${name}"`);
				await instance.stop(stopGraceMs);
				processes.delete(name);
				return await this.start(name);
			},
			/** Redis stopped (SIGTERM) and started again on the same port and folder. */
			async restartRedis() {
				await redis.stop();
				redis = await startRedis({ dir: path.join(root, 'redis'), logFile: path.join(logDir, 'redis.log'), bin: redisBin, port: redis.port, persist: redisPersist });
			},
			/** PostgreSQL down (fast shutdown) for `ms`, then up again on the same port. */
			async pausePostgres(ms) {
				await postgres.pause();
				await new Promise((resolve) => setTimeout(resolve, ms));
				await postgres.start();
			},
		};
	} catch (error) {
		await stop().catch((stopError) => log(`cleanup after the failed start also failed: ${stopError.message}`));
		throw error;
	}
}

module.exports = { ensureRedis, startRedis, startPostgres, startQueueMode, redisPing, findPostgresBin };
