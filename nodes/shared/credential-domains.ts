/**
 * n8n's "Allowed HTTP Request Domains" fields, declared by our credentials themselves. n8n adds this
 * pair to every credential that authenticates requests unless the credential already has it
 * (n8n 1.x load-nodes-and-credentials `injectDomainRestrictionFields`, n8n 2.x n8n-workflow
 * `credential-domain-restrictions`), and n8n's HTTP Request node reads the values under these
 * names. n8n's own pair shows "Allowed Domains" with `displayOptions.show`, which n8n 1.x's public
 * API turns into a rule requiring `allowedDomains` in every credential that does not say
 * `allowedHttpRequestDomains` — so `POST /api/v1/credentials` refused a correct credential. Ours
 * hides it for the two other choices instead: the same form, no such rule (issue 22).
 */
import type { INodeProperties } from 'n8n-workflow';

export const domainRestrictionProperties: INodeProperties[] = [
	{
		displayName: 'Allowed HTTP Request Domains',
		name: 'allowedHttpRequestDomains',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Allow all requests when used in the HTTP Request node' },
			{ name: 'Specific Domains', value: 'domains', description: 'Restrict requests to specific domains' },
			{ name: 'None', value: 'none', description: 'Block all requests when used in the HTTP Request node' },
		],
		default: 'all',
		description: 'Control which domains this credential can be used with in HTTP Request nodes',
	},
	{
		displayName: 'Allowed Domains',
		name: 'allowedDomains',
		type: 'string',
		default: '',
		placeholder: 'example.com, *.subdomain.com',
		description: 'Comma-separated list of allowed domains (supports wildcards with *)',
		displayOptions: { hide: { allowedHttpRequestDomains: ['all', 'none'] } },
	},
];
