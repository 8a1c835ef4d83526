/** Credential tests as n8n runs them, against the sandbox. */
import { DigishareApi } from '../../credentials/DigishareApi.credentials';
import { DigishareWebhookApi } from '../../credentials/DigishareWebhookApi.credentials';
import { testCredential } from '../harness';
import { DIGISHARE_CLIENT_ID, DIGISHARE_CLIENT_SECRET, DIGISHARE_PAT, startSandbox, type Sandbox } from '../sandbox';
import { nodeTypes } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.reset());
afterAll(async () => {
	await sandbox.close();
});

test('a valid Personal Access Token passes: GET /user/profile with the bearer token', async () => {
	const result = await testCredential({
		credentialType: new DigishareApi(),
		data: { authMode: 'accessToken', accessToken: DIGISHARE_PAT, baseUrl: `${sandbox.baseUrl('digishare')}/` },
	});
	expect(result.status).toBe('OK');
	const requests = sandbox.requestsFor('digishare', 'GET', '/user/profile');
	expect(requests).toHaveLength(1);
	expect(requests[0].headers.authorization).toBe(`Bearer ${DIGISHARE_PAT}`);
});

test('a wrong token fails', async () => {
	const result = await testCredential({
		credentialType: new DigishareApi(),
		data: { authMode: 'accessToken', accessToken: 'nope-nope-nope', baseUrl: sandbox.baseUrl('digishare') },
	});
	expect(result.status).toBe('Error');
	expect(result.message).not.toContain('nope-nope-nope');
});

test('client credentials pass: a token is fetched and used for the profile call', async () => {
	const result = await testCredential({
		credentialType: new DigishareApi(),
		data: {
			authMode: 'clientCredentials',
			clientId: DIGISHARE_CLIENT_ID,
			clientSecret: DIGISHARE_CLIENT_SECRET,
			baseUrl: sandbox.baseUrl('digishare'),
		},
	});
	expect(result.status).toBe('OK');
	expect(sandbox.requestsFor('digishare', 'POST', '/oauth/token')).toHaveLength(1);
	const profile = sandbox.requestsFor('digishare', 'GET', '/user/profile');
	expect(profile[0].headers.authorization).toMatch(/^Bearer /);
	expect(profile[0].headers.authorization).not.toBe(`Bearer ${DIGISHARE_PAT}`);
});

test('wrong client credentials fail without showing the secret', async () => {
	const result = await testCredential({
		credentialType: new DigishareApi(),
		data: { authMode: 'clientCredentials', clientId: DIGISHARE_CLIENT_ID, clientSecret: 'wrong-secret-xyz', baseUrl: sandbox.baseUrl('digishare') },
	});
	expect(result.status).toBe('Error');
	expect(result.message).not.toContain('wrong-secret-xyz');
});

test('the webhook secret credential is tested by the trigger', async () => {
	const ok = await testCredential({
		credentialType: new DigishareWebhookApi(),
		nodeTypes,
		data: { headerName: 'X-Digishare-Secret', username: '', secret: 's3cret' },
	});
	expect(ok.status).toBe('OK');
	const empty = await testCredential({
		credentialType: new DigishareWebhookApi(),
		nodeTypes,
		data: { headerName: 'X-Digishare-Secret', username: '', secret: '' },
	});
	expect(empty).toMatchObject({ status: 'Error', message: 'Secret is empty' });
	const badHeader = await testCredential({
		credentialType: new DigishareWebhookApi(),
		nodeTypes,
		data: { headerName: 'Bad Header:', secret: 's3cret' },
	});
	expect(badHeader).toMatchObject({ status: 'Error', message: 'Header Name is not a valid HTTP header name' });
});
