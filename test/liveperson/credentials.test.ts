/**
 * The LivePerson API credential's Test button, as n8n runs it (preAuthentication, then the test
 * request): app credentials really fetch an AppJWT from sentinel; pasted tokens are checked.
 */
import type { IDataObject } from 'n8n-workflow';
import { LivePersonApi } from '../../credentials/LivePersonApi.credentials';
import { testCredential } from '../harness';
import { LIVEPERSON_ACCOUNT_ID, LIVEPERSON_CLIENT_ID, LIVEPERSON_CLIENT_SECRET, LIVEPERSON_SECOND_ACCOUNT_ID, startSandbox, type Sandbox } from '../sandbox';
import { livePersonCredentialData } from './fixtures';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => sandbox.reset());
afterAll(async () => {
	await sandbox.close();
});

const test_ = (data: IDataObject) => testCredential({ credentialType: new LivePersonApi(), data: livePersonCredentialData(sandbox, data) });

test('app credentials: OK after really getting an AppJWT (client ID and secret in the form body)', async () => {
	const result = await test_({});
	expect(result).toMatchObject({ status: 'OK' });
	const [request] = sandbox.requestsFor('liveperson-sentinel', 'POST');
	expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
	expect(request.body).toEqual({ client_id: LIVEPERSON_CLIENT_ID, client_secret: LIVEPERSON_CLIENT_SECRET });
	expect(request.query).toMatchObject({ v: '1.0', grant_type: 'client_credentials' });
	expect(sandbox.liveperson.tokenRequestCount).toBe(1);
});

test('a wrong client secret: Error with LivePerson’s message, without the secret', async () => {
	const result = await test_({ clientSecret: 'lpsec_wrong_secret_0001' });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^LivePerson refused the Connector App’s client ID and secret: /);
	expect(result.message).not.toContain('lpsec_wrong_secret_0001');
});

test('an account the Domain API does not know: Error naming it', async () => {
	const result = await test_({ accountId: '99999999' });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^LivePerson refused the service lookup for account 99999999: /);
});

test('tokens: well-formed tokens of this account pass; garbage, another account or an expired AppJWT fail, naming the token', async () => {
	const app = sandbox.liveperson.issueAppJwt();
	const consumer = sandbox.liveperson.issueConsumerJws('pasted');
	expect(await test_({ authMode: 'tokens', appToken: app, consumerToken: consumer })).toMatchObject({ status: 'OK' });
	expect(await test_({ authMode: 'tokens', appToken: 'not-a-jwt', consumerToken: consumer })).toMatchObject({
		status: 'Error',
		message: 'The AppJWT is not a JWT (three base64url parts)',
	});
	expect(await test_({ authMode: 'tokens', appToken: app, consumerToken: 'x.y' })).toMatchObject({
		status: 'Error',
		message: 'The ConsumerJWS is not a JWS (three base64url parts)',
	});
	expect(await test_({ authMode: 'tokens', accountId: LIVEPERSON_SECOND_ACCOUNT_ID, appToken: app, consumerToken: consumer })).toMatchObject({
		status: 'Error',
		message: `The AppJWT is for account ${LIVEPERSON_ACCOUNT_ID}, not ${LIVEPERSON_SECOND_ACCOUNT_ID}`,
	});
	sandbox.liveperson.appJwtLifetimeSeconds = -10;
	const expired = sandbox.liveperson.issueAppJwt();
	const result = await test_({ authMode: 'tokens', appToken: expired, consumerToken: consumer });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^The AppJWT expired at .*: paste a new one, or use App Credentials$/);
});
