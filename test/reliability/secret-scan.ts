/**
 * Secret scan for the reliability campaign: everything a user, an operator or the database could
 * see of a run — the error (message, description, stack, cause), the output items, the whole
 * execution record n8n stores, the workflow static data (kept unencrypted), what n8n keeps of the
 * credentials (must stay encrypted), and every log line (n8n's Logger, LoggerProxy and console) —
 * searched for every credential secret and every token the nodes obtained.
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import type { RunWorkflowResult } from '../harness';

export interface ScanReport {
	/** runs captured */
	captured: number;
	/** distinct secrets searched for */
	secrets: number;
	/** occurrences found (should be 0) */
	occurrences: number;
	/** "<where>: <secret prefix>…" for each finding */
	found: string[];
}

function errorText(error: unknown): string {
	if (!error) return '';
	const e = error as Error & { description?: unknown; cause?: unknown; context?: unknown };
	return [e.message, String(e.description ?? ''), e.stack ?? '', safeJson(e.cause), safeJson(e.context), safeJson(e)].join('\n');
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? '';
	} catch {
		return String(value);
	}
}

export function secretScan() {
	const texts: Array<{ where: string; text: string }> = [];
	const secrets = new Set<string>();
	let captured = 0;
	const logLines: string[] = [];

	// n8n's Logger singleton: node code (this.logger) and LoggerProxy both end in its log()
	const logger = Container.get(Logger) as unknown as { log(level: string, message: string, meta?: object): void };
	const originalLog = logger.log.bind(logger);
	logger.log = (level, message, meta = {}) => {
		logLines.push(`${level} ${message} ${safeJson(meta)}`);
		originalLog(level, message, meta);
	};
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		const original = console[method].bind(console);
		console[method] = (...args: unknown[]) => {
			logLines.push(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '));
			original(...args);
		};
	}

	return {
		/** Records what these runs let anyone see. */
		capture(...results: Array<Partial<RunWorkflowResult> & { items?: unknown }>) {
			for (const result of results) {
				captured++;
				texts.push({ where: 'error', text: errorText(result.error) });
				texts.push({ where: 'output items', text: safeJson(result.items) });
				texts.push({ where: 'execution record', text: safeJson(result.run) });
				texts.push({ where: 'static data', text: safeJson(result.staticData) });
				const store = result.credentialsStore as unknown as { entries?: Map<string, { encrypted: string }> } | undefined;
				for (const entry of store?.entries?.values() ?? []) texts.push({ where: 'stored credential', text: entry.encrypted });
			}
		},
		addSecrets(values: Iterable<string>) {
			for (const value of values) if (value && value.length >= 8) secrets.add(value);
		},
		report(): ScanReport {
			const all = [...texts, ...logLines.map((text) => ({ where: 'log', text }))];
			const found: string[] = [];
			for (const secret of secrets) {
				for (const { where, text } of all) {
					if (text.includes(secret)) found.push(`${where}: ${secret.slice(0, 6)}…`);
				}
			}
			return { captured, secrets: secrets.size, occurrences: found.length, found };
		},
	};
}
