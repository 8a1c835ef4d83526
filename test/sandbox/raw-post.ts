/**
 * A POST written on a raw socket, for contract tests of streamed answers: the response head and each
 * HTTP chunk of a chunked body as it came on the wire.
 */
import * as net from 'net';
import type { Sandbox } from './server';

export function rawPost(sb: Sandbox, mount: string, bearer: string, path: string, json: unknown): Promise<{ head: string; chunks: string[] }> {
	const body = JSON.stringify(json);
	const target = new URL(`${sb.baseUrl(mount)}${path}`);
	return new Promise((resolve, reject) => {
		const socket = net.connect(sb.port, sb.host);
		const parts: Buffer[] = [];
		socket.on('data', (d) => parts.push(d));
		socket.on('error', reject);
		socket.on('end', () => {
			const all = Buffer.concat(parts);
			const sep = all.indexOf('\r\n\r\n');
			const head = all.subarray(0, sep).toString('latin1');
			let rest = all.subarray(sep + 4);
			const chunks: string[] = [];
			for (;;) {
				const eol = rest.indexOf('\r\n');
				const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
				if (!(size > 0)) break;
				chunks.push(rest.subarray(eol + 2, eol + 2 + size).toString('utf8'));
				rest = rest.subarray(eol + 2 + size + 2);
			}
			resolve({ head, chunks });
		});
		socket.write(
			`POST ${target.pathname} HTTP/1.1\r\nHost: ${sb.host}:${sb.port}\r\nAuthorization: Bearer ${bearer}\r\n` +
				`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
		);
	});
}
