/**
 * Files at the providers' limits, in both directions, in both n8n binary-data modes the harness
 * can run (`default`: bytes in memory as base64; `filesystem`: bytes in n8n's binary-data folder,
 * items carry only an id):
 *
 * - LivePerson hosted files (liveperson.md §5.1: JPG/JPEG/PNG/GIF, ≤ 3 MB): exactly 3 MiB goes
 *   through GenerateURLForUploadFile → swift PUT → hosted/file publish with the bytes intact
 *   (sha256 of what swift stores); one byte more, another type, or bytes that are no image are
 *   refused before any request. Download File brings what was uploaded — and what an agent sent,
 *   announced through the LivePerson Trigger — back as binary data with the same sha256.
 * - Omnidesk attachments (omnidesk.md §4.2/§5: no size or type limit documented, so the node sets
 *   none): a 10 MiB file reaches addAttachment byte for byte with its name and type, and an
 *   agent's 10 MiB file posted to uploadForCustomer comes out of the Omnidesk Trigger intact.
 *
 * The input files come out of a small node that stores them with `prepareBinaryData`, as a Read
 * File or HTTP Request node would: in filesystem mode the nodes under test read them from disk.
 */
import { createHash, randomBytes } from 'crypto';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { OmnideskTrigger } from '../../nodes/Omnidesk/OmnideskTrigger.node';
import { LIMITS } from '../../nodes/LivePerson/schemas';
import { retryPolicy } from '../../nodes/shared/transport';
import { callWebhook, ensureN8nCore, runWorkflow, runWebhookWorkflow, START_NODE_TYPE } from '../harness';
import { LIVEPERSON_ACCOUNT_ID, OMNIDESK_CHAT_ACCOUNT_TOKEN, startFakeServer, startSandbox, type FakeServer, type Sandbox } from '../sandbox';
import {
	LIVEPERSON_CREDENTIAL_REFERENCE,
	LIVEPERSON_TRIGGER_TYPE,
	LIVEPERSON_TYPE,
	freshProcess,
	livePersonCredentialTypes,
	livePersonCredentials,
	livePersonNodeTypes,
	runLivePerson,
} from '../liveperson/fixtures';
import { OMNIDESK_TYPE, omnideskCredentialTypes, omnideskCredentials, omnideskNodeTypes, runOmnidesk } from '../omnidesk/fixtures';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------
// Test files
// ---------------------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

/** `size` bytes that start like a real file of that format (what LivePerson sniffs), then random. */
function fileOf(signature: Buffer, size: number): Buffer {
	return Buffer.concat([signature, randomBytes(size - signature.length)]);
}

/** Files the File Source node hands out, by key (test code shares the process with the node). */
const FILES = new Map<string, { data: Buffer; fileName: string; mimeType: string }>();

/** Emits `FILES[item.json.file]` as binary `data` through n8n's binary-data service. */
class FileSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'File Source',
		name: 'fileSource',
		group: ['transform'],
		version: 1,
		description: 'Test node: a stored file as binary data',
		defaults: { name: 'File Source' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let index = 0; index < items.length; index++) {
			const file = FILES.get(String(items[index].json.file));
			if (!file) throw new NodeOperationError(this.getNode(), `no test file ${String(items[index].json.file)}`);
			const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
			out.push({ json: {}, binary: { data: binary }, pairedItem: { item: index } });
		}
		return [out];
	}
}
const FILE_SOURCE_TYPE = 'test.fileSource';

function addFile(key: string, data: Buffer, fileName: string, mimeType: string): string {
	FILES.set(key, { data, fileName, mimeType });
	return key;
}

/** The bytes of an output binary, wherever this binary-data mode keeps them. */
async function bytesOf(binary: IBinaryData | undefined): Promise<Buffer> {
	expect(binary).toBeDefined();
	return await Container.get(BinaryDataService).getAsBuffer(binary!);
}

// ---------------------------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------------------------

let sandbox: Sandbox;
/** Where the sandbox's webhook clients post (LivePerson notifications, Omnidesk hookpoints): the test replays them into n8n. */
let sink: FakeServer;
beforeAll(async () => {
	retryPolicy.backoffMs = [0, 0, 0];
	sandbox = await startSandbox();
	sink = await startFakeServer(() => ({ raw: 'ok' }));
});
afterAll(async () => {
	await sandbox.close();
	await sink.close();
	await useBinaryDataMode('default');
});
beforeEach(() => {
	sandbox.reset();
	sink.requests.length = 0;
	freshProcess();
});

/** n8n's BinaryDataService as n8n starts it with N8N_DEFAULT_BINARY_DATA_MODE=`mode`. */
async function useBinaryDataMode(mode: 'default' | 'filesystem'): Promise<void> {
	await ensureN8nCore();
	Container.get(BinaryDataConfig).mode = mode;
	await Container.get(BinaryDataService).init();
}

/** Proves which mode stored an output binary: in memory (base64 in `data`) or on disk (an id). */
function expectStoredIn(mode: 'default' | 'filesystem', binary: IBinaryData | undefined): void {
	if (mode === 'default') {
		expect(binary?.id).toBeUndefined();
	} else {
		expect(binary?.id).toMatch(/^filesystem-v2:/);
		expect(binary?.data).toBe('filesystem-v2');
	}
}

/** A NodeOperationError of the LivePerson node about its Input Binary Field (n8n keeps the error as a plain object). */
function expectRefusedByNode(run: { status: string; nodeError(name: string): Error | undefined }): void {
	expect(run.status).toBe('error');
	expect(run.nodeError('LivePerson')).toMatchObject({
		name: 'NodeOperationError',
		node: { name: 'LivePerson' },
		description: expect.stringContaining('Fix the "Input Binary Field" parameter'),
	});
}

/** Start → File Source(file) → LivePerson(parameters). */
async function sendThroughLivePerson(fileKey: string, parameters: Record<string, unknown>) {
	const result = await runWorkflow({
		nodeTypes: { ...livePersonNodeTypes, [FILE_SOURCE_TYPE]: new FileSource() },
		credentialTypes: livePersonCredentialTypes,
		credentials: livePersonCredentials(sandbox),
		triggerItems: [{ json: { file: fileKey } }],
		nodes: [
			{ type: START_NODE_TYPE },
			{ type: FILE_SOURCE_TYPE, name: 'File Source' },
			{
				type: LIVEPERSON_TYPE,
				name: 'LivePerson',
				credentials: LIVEPERSON_CREDENTIAL_REFERENCE,
				parameters: { resource: 'message', operation: 'sendFile', binaryPropertyName: 'data', ...parameters },
			},
		],
	});
	return Object.assign(result, { items: result.output('LivePerson') });
}

/** Start → File Source(file) → Omnidesk Upload Attachment. */
async function uploadToOmnidesk(fileKey: string, sessionId: string) {
	const result = await runWorkflow({
		nodeTypes: { ...omnideskNodeTypes, [FILE_SOURCE_TYPE]: new FileSource() },
		credentialTypes: omnideskCredentialTypes,
		credentials: omnideskCredentials(sandbox),
		triggerItems: [{ json: { file: fileKey } }],
		nodes: [
			{ type: START_NODE_TYPE },
			{ type: FILE_SOURCE_TYPE, name: 'File Source' },
			{
				type: OMNIDESK_TYPE,
				name: 'Omnidesk',
				credentials: { omnideskApi: { id: 'od1', name: 'Omnidesk account' } },
				parameters: { resource: 'chat', operation: 'uploadAttachment', chatSessionId: sessionId, binaryPropertyName: 'data', chatServer: CHAT_SERVER },
			},
		],
	});
	return Object.assign(result, { items: result.output('Omnidesk') });
}

const CHAT_SERVER = 'https://n8n.example.com/webhook/5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90/hookpoint';
const OMNIDESK_WEBHOOK_ID = '5d1f0a52-8c3e-4e4b-9a57-0f6f3f1d2b90';
const LIVEPERSON_WEBHOOK_ID = '0c7d5e1a-3b2f-4c6d-8e9f-a1b2c3d4e5f6';

describe.each(['default', 'filesystem'] as const)('binary data mode "%s"', (mode) => {
	beforeAll(async () => {
		await useBinaryDataMode(mode);
	});

	describe('LivePerson → Message → Send File / Download File (JPG, JPEG, PNG, GIF; ≤ 3 MB)', () => {
		test.each([
			['PNG', PNG_SIGNATURE, 'receipt.png', 'image/png'],
			['JPEG', JPEG_SIGNATURE, 'photo.jpeg', 'image/jpeg'],
		])('exactly 3 MiB of %s: swift stores the same sha256; Download File gives it back with its type and name', async (fileType, signature, fileName, mimeType) => {
			const data = fileOf(signature, 3 * MiB);
			expect(data.length).toBe(LIMITS.fileBytes);
			const sent = await sendThroughLivePerson(addFile(`lp-${fileType}`, data, fileName, mimeType), { consumerId: 'digishare:files-1', caption: 'At the limit' });
			expect(sent.error).toBeUndefined();
			const relativePath = sent.items[0].json.relativePath as string;
			expect(sent.items[0].json).toEqual({
				status: 'sent',
				consumerId: 'digishare:files-1',
				fileName,
				relativePath: expect.stringMatching(/^\/v1\/AUTH_async-images\//),
				fileType,
				conversationId: expect.any(String),
				sequence: expect.any(Number),
			});

			// What LivePerson received: the size asked for, the exact bytes in swift, the publish.
			const sends = sandbox.requestsFor('liveperson-msg', 'POST', /\/conversation\/send$/).map((request) => request.body as { type: string; body: unknown });
			expect(sends.map((body) => body.type)).toEqual(['ms.GenerateURLForUploadFile', 'ms.PublishEvent']);
			expect(sends[0].body).toEqual({ fileSize: 3 * MiB, fileType });
			expect(sends[1].body).toMatchObject({ event: { type: 'ContentEvent', contentType: 'hosted/file', message: { relativePath, fileType, caption: 'At the limit' } } });
			const [put] = sandbox.requestsFor('liveperson-swift', 'PUT');
			expect(put.headers['content-type']).toBe(mimeType);
			expect(put.headers['content-length']).toBe(String(3 * MiB));
			const stored = sandbox.liveperson.file(relativePath);
			expect(stored?.uploads).toBe(1);
			expect(sha256(stored!.data!)).toBe(sha256(data));

			const downloaded = await runLivePerson(sandbox, { resource: 'message', operation: 'downloadFile', consumerId: 'digishare:files-1', relativePath, binaryPropertyName: 'file' });
			expect(downloaded.error).toBeUndefined();
			const binary = downloaded.items[0].binary?.file;
			expectStoredIn(mode, binary);
			expect(sha256(await bytesOf(binary))).toBe(sha256(data));
			const storedName = relativePath.split('/').pop();
			expect(binary).toMatchObject({ mimeType, fileName: storedName, fileExtension: fileType });
			expect(downloaded.items[0].json).toEqual({ relativePath, fileName: storedName, size: 3 * MiB, consumerId: 'digishare:files-1' });
		});

		test('3 MiB + 1 byte: refused naming the limit; LivePerson receives nothing (no upload URL, no swift, no lookup)', async () => {
			const data = fileOf(PNG_SIGNATURE, 3 * MiB + 1);
			const run = await sendThroughLivePerson(addFile('lp-over', data, 'big.png', 'image/png'), { consumerId: 'digishare:files-2' });
			expectRefusedByNode(run);
			expect(run.error?.message).toBe(`Input Binary Field: holds ${3 * MiB + 1} bytes; LivePerson accepts files up to 3 MB (3145728 bytes)`);
			expect(sandbox.requestsFor('liveperson-swift')).toHaveLength(0);
			expect(sandbox.requestsFor('liveperson-msg')).toHaveLength(0);
			expect(sandbox.requests).toHaveLength(0);
		});

		test('a PDF is refused before any request, naming the accepted types', async () => {
			const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1000)]);
			const run = await sendThroughLivePerson(addFile('lp-pdf', pdf, 'invoice.pdf', 'application/pdf'), { consumerId: 'digishare:files-3' });
			expectRefusedByNode(run);
			expect(run.error?.message).toBe('Input Binary Field: holds a application/pdf (invoice.pdf); LivePerson accepts JPG, JPEG, PNG and GIF');
			expect(sandbox.requests).toHaveLength(0);
		});

		test('a PDF named .png is refused before the upload (LivePerson would refuse it only at the publish, after storing it)', async () => {
			const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1000)]);
			const run = await sendThroughLivePerson(addFile('lp-fake-png', pdf, 'scan.png', 'image/png'), { consumerId: 'digishare:files-4' });
			expectRefusedByNode(run);
			expect(run.error?.message).toBe(
				'Input Binary Field: holds scan.png (PNG by its name or MIME type), but its bytes are not a JPG, JPEG, PNG or GIF image; LivePerson accepts JPG, JPEG, PNG and GIF',
			);
			expect(sandbox.requests).toHaveLength(0);
		});

		test('a PNG saved as .jpg goes out as what it is (fileType PNG, image/png), so LivePerson accepts the publish', async () => {
			const data = fileOf(PNG_SIGNATURE, 20000);
			const run = await sendThroughLivePerson(addFile('lp-misnamed', data, 'photo.jpg', 'image/jpeg'), { consumerId: 'digishare:files-5' });
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({ status: 'sent', fileType: 'PNG' });
			const [upload] = sandbox.requestsFor('liveperson-msg', 'POST', /\/conversation\/send$/);
			expect(upload.body).toMatchObject({ type: 'ms.GenerateURLForUploadFile', body: { fileSize: 20000, fileType: 'PNG' } });
			expect(sandbox.requestsFor('liveperson-swift', 'PUT')[0].headers['content-type']).toBe('image/png');
			expect(sha256(sandbox.liveperson.file(run.items[0].json.relativePath as string)!.data!)).toBe(sha256(data));
		});

		test('inbound: an agent’s 3 MiB PNG, announced by a signed webhook, comes out of Trigger → Download File with the same sha256', async () => {
			const consumerId = 'digishare:agent-files';
			const conversation = sandbox.liveperson.startConversation(consumerId);
			sandbox.liveperson.webhookUrl = sink.url;
			const data = fileOf(PNG_SIGNATURE, 3 * MiB);
			await sandbox.liveperson.agentFile(conversation.conversationId, { name: 'screenshot.png', contentType: 'image/png', data, caption: 'Here you go' });
			const [delivery] = sink.requests;
			const headerNames = ['content-type', 'x-liveperson-account-id', 'x-liveperson-client-id', 'x-liveperson-signature'];
			const headers = Object.fromEntries(headerNames.map((name) => [name, String(delivery.headers[name])]));
			expect(headers['x-liveperson-account-id']).toBe(LIVEPERSON_ACCOUNT_ID);

			const { webhook, run } = await runWebhookWorkflow({
				nodeTypes: livePersonNodeTypes,
				credentialTypes: livePersonCredentialTypes,
				credentials: livePersonCredentials(sandbox),
				nodes: [
					{ type: LIVEPERSON_TRIGGER_TYPE, name: 'LivePerson Trigger', webhookId: LIVEPERSON_WEBHOOK_ID, credentials: LIVEPERSON_CREDENTIAL_REFERENCE, parameters: { events: ['content'] } },
					// Relative Path keeps its default expression: the trigger's raw.event.message.relativePath.
					{ type: LIVEPERSON_TYPE, name: 'LivePerson', credentials: LIVEPERSON_CREDENTIAL_REFERENCE, parameters: { resource: 'message', operation: 'downloadFile', consumerId } },
				],
				request: { method: 'POST', headers, body: delivery.rawBody },
			});
			expect(webhook.status).toBe(200);
			expect(run?.error).toBeUndefined();
			expect(run?.output('LivePerson Trigger')[0].json).toMatchObject({ messageType: 'file', text: 'Here you go' });
			const [item] = run!.output('LivePerson');
			const relativePath = item.json.relativePath as string;
			expect(sandbox.liveperson.file(relativePath)?.uploadedBy).toBe('agent');
			const binary = item.binary?.data;
			expectStoredIn(mode, binary);
			expect(sha256(await bytesOf(binary))).toBe(sha256(data));
			expect(binary).toMatchObject({ mimeType: 'image/png', fileName: relativePath.split('/').pop() });
			expect(item.json).toMatchObject({ size: 3 * MiB });
		});
	});

	describe('Omnidesk (no file size or type limit documented: the node sets none)', () => {
		const SESSION = 'sess-files-1';
		const openSession = async () => {
			const opened = await runOmnidesk(sandbox, { resource: 'chat', operation: 'sendMessage', chatSessionId: SESSION, message: 'I will send a file', chatServer: CHAT_SERVER });
			expect(opened.error).toBeUndefined();
		};

		test('Upload Attachment of 10 MiB: the multipart "file" part Omnidesk receives has the same sha256, name and content type', async () => {
			await openSession();
			const data = randomBytes(10 * MiB);
			const fileName = 'Handleiding 2024 – überblick.pdf';
			const run = await uploadToOmnidesk(addFile('od-10mib', data, fileName, 'application/pdf'), SESSION);
			expect(run.error).toBeUndefined();
			const [request] = sandbox.requestsFor('omnidesk', 'POST', '/api/v2/chat/addAttachment');
			expect(request.bodyKind).toBe('multipart');
			const body = request.body as { fields: Record<string, string>; files: Array<{ field: string; filename: string; contentType: string; data: Buffer }> };
			expect(body.fields).toEqual({ sessionID: SESSION, chatServer: CHAT_SERVER, chatAccountToken: OMNIDESK_CHAT_ACCOUNT_TOKEN });
			expect(body.files).toHaveLength(1);
			expect(body.files[0]).toMatchObject({ field: 'file', filename: fileName, contentType: 'application/pdf' });
			expect(sha256(body.files[0].data)).toBe(sha256(data));
			const [attachment] = sandbox.omnidesk.session(SESSION)!.attachments;
			expect({ filename: attachment.filename, contentType: attachment.contentType, size: attachment.size }).toEqual({ filename: fileName, contentType: 'application/pdf', size: 10 * MiB });
			expect(sha256(attachment.data)).toBe(sha256(data));
			expect(run.items[0].json).toMatchObject({ message: 'Attachment uploaded.', chatSessionId: SESSION, fileName, fileSize: 10 * MiB });
		});

		test('inbound: an agent’s 10 MiB file posted to uploadForCustomer comes out of the Omnidesk Trigger with the same sha256, name and type', async () => {
			const data = randomBytes(10 * MiB);
			const fileName = 'Offerte – Müller & Zn.docx';
			const mimeType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
			// What Omnidesk posts (the sandbox's hookpoint client), captured, then delivered to the trigger.
			await sandbox.omnidesk.pushToChatServer(sink.url, 'uploadForCustomer', { sessionID: SESSION }, { file: { name: fileName, contentType: mimeType, data } });
			const [delivery] = sink.requests;
			expect(sha256(delivery.rawBody)).toBe(sha256(sandbox.omnidesk.hookCalls[0].rawBody));

			const result = await callWebhook({
				nodeType: new OmnideskTrigger(),
				node: { name: 'Omnidesk Trigger', webhookId: OMNIDESK_WEBHOOK_ID },
				request: {
					method: 'POST',
					path: `${OMNIDESK_WEBHOOK_ID}/hookpoint/uploadForCustomer`,
					headers: { 'content-type': String(delivery.headers['content-type']) },
					body: delivery.rawBody,
				},
			});
			expect({ status: result.status, body: result.body }).toEqual({ status: 200, body: 'ok' });
			const [item] = result.items![0];
			expect(item.json).toMatchObject({ provider: 'omnidesk', event: 'uploadForCustomer', conversationId: SESSION, messageType: 'file', text: fileName });
			const binary = item.binary?.data;
			expectStoredIn(mode, binary);
			expect(binary).toMatchObject({ fileName, mimeType });
			expect(sha256(await bytesOf(binary))).toBe(sha256(data));
		});
	});
});
