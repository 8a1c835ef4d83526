// The sandbox's stand-in shop in `npm run dev`: the order-status example looks orders up there
// (orders A-1001 … A-1003) instead of https://shop.example.com.
'use strict';

const EXAMPLE_SHOP = 'https://shop.example.com/api';

module.exports = {
	name: 'Shop (stand-in)',

	credentials() {
		return [];
	},

	prepareWorkflow(workflow, _lib, sandbox) {
		for (const node of workflow.nodes) {
			if (node.type !== 'n8n-nodes-base.httpRequest' || typeof node.parameters?.url !== 'string') continue;
			node.parameters.url = node.parameters.url.replace(EXAMPLE_SHOP, sandbox.baseUrl('shop'));
		}
		return workflow;
	},

	describeRequest(request) {
		if (!request || request.provider !== 'shop') return '';
		return `the shop was asked for ${request.path} → ${request.response?.status ?? '…'}`;
	},
};
