import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The static secret Digishare sends with each webhook delivery (Digishare has no signatures):
 * a custom header, a Bearer token, or Basic auth, as configured on the webhook in Digishare.
 * Tested by the Digishare Trigger (`testedBy`), which checks the fields are complete.
 */
export class DigishareWebhookApi implements ICredentialType {
	name = 'digishareWebhookApi';

	displayName = 'Digishare Webhook Secret API';

	icon: Icon = {
		light: 'file:../nodes/Digishare/digishare.svg',
		dark: 'file:../nodes/Digishare/digishare.dark.svg',
	};

	documentationUrl = 'https://docs.digishare.ma/developer-guides/webhooks';

	properties: INodeProperties[] = [
		{
			displayName:
				'Enter the same values as in the webhook\'s authentication settings in Digishare (Advanced Settings → API Provider → Custom Webhooks). Which ones are used depends on the trigger\'s "Authentication" setting.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Digishare-Secret',
			description: 'Used with Header Secret authentication: the extra header Digishare sends',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'Used with Basic Auth only',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The header value (Header Secret), the token (Bearer Token) or the password (Basic Auth) Digishare sends',
		},
	];
}
