/**
 * A small multipart/form-data encoder, so request bodies are byte-for-byte what the provider
 * documents on every n8n version (no dependency on which FormData n8n's HTTP client accepts).
 */
import { randomBytes } from 'crypto';

export interface FormFile {
	filename: string;
	contentType: string;
	data: Buffer;
}

export type FormValue = string | number | boolean | FormFile;

export interface EncodedForm {
	/** Bytes for multipart; a string for url-encoded (n8n's HTTP client re-reads url-encoded string bodies). */
	body: Buffer | string;
	contentType: string;
}

function isFile(value: FormValue): value is FormFile {
	return typeof value === 'object' && value !== null && Buffer.isBuffer((value as FormFile).data);
}

/** Quotes a header parameter value (RFC 7578: escape quotes, no line breaks). */
function quoted(value: string): string {
	return `"${value.replace(/[\r\n]/g, ' ').replace(/"/g, '%22')}"`;
}

export function encodeMultipart(fields: Array<[string, FormValue]>): EncodedForm {
	const boundary = `----LiveChatBridge${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of fields) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}`;
		let data: Buffer;
		if (isFile(value)) {
			head += `; filename=${quoted(value.filename)}\r\nContent-Type: ${value.contentType || 'application/octet-stream'}`;
			data = value.data;
		} else {
			data = Buffer.from(String(value), 'utf8');
		}
		parts.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'), data, Buffer.from('\r\n', 'utf8'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function encodeUrlEncoded(fields: Array<[string, FormValue]>): EncodedForm {
	const params = new URLSearchParams();
	for (const [name, value] of fields) {
		if (isFile(value)) continue;
		params.append(name, String(value));
	}
	return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
}
