/**
 * n8n's table of production webhooks, as far as it decides which workflows can be active at once.
 *
 * n8n 2.41 stores every production webhook of an activated workflow in `webhook_entity`, whose
 * primary key is (webhookPath, method) across the whole instance (packages/cli
 * `active-workflow-manager.ts` addWebhooks → `webhook.service.ts` storeWebhook; the path is
 * `getNodeWebhookPath`'s result without leading/trailing slashes). A second workflow whose trigger
 * yields a path already stored fails its insert (`UNIQUE constraint failed:
 * webhook_entity.webhookPath, webhook_entity.method`), stays "active", and its URLs answer 404.
 * That happens to a trigger whose path depends on neither the node's webhook ID nor the workflow:
 * a fixed path with `isFullPath: true`.
 *
 * The harness refuses such a trigger before running it (callWebhook, runWebhookWorkflow,
 * runWebhookMethod): it registers the node as n8n would in two workflows with different IDs and
 * different webhook IDs, and throws when any (path, method) is shared — or appears twice within
 * the one node.
 */
import { randomUUID } from 'node:crypto';

import type { IHttpRequestMethods, INode, INodeTypes, IWebhookData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';

/** WebhookService.getNodeWebhooks */
export function getNodeWebhooks(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
): IWebhookData[] {
	if (node.disabled === true) return [];
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (nodeType.description.webhooks === undefined) return [];
	const workflowId = workflow.id || '__UNSAVED__';
	const mode = 'internal';
	const returnData: IWebhookData[] = [];
	for (const webhookDescription of nodeType.description.webhooks) {
		let nodeWebhookPath = workflow.expression.getSimpleParameterValue(node, webhookDescription.path, mode, {});
		if (nodeWebhookPath === undefined) continue;
		nodeWebhookPath = nodeWebhookPath.toString();
		if (nodeWebhookPath.startsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(1);
		if (nodeWebhookPath.endsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(0, -1);
		const isFullPath = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.isFullPath,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const restartWebhook = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.restartWebhook,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const path = NodeHelpers.getNodeWebhookPath(workflowId, node, nodeWebhookPath, isFullPath, restartWebhook);
		const webhookMethods = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.httpMethod,
			mode,
			{},
			undefined,
			'GET',
		);
		if (webhookMethods === undefined) continue;
		let webhookId: string | undefined;
		if ((path.startsWith(':') || path.includes('/:')) && node.webhookId) webhookId = node.webhookId;
		for (const httpMethod of String(webhookMethods).split(',')) {
			if (!httpMethod) continue;
			returnData.push({
				httpMethod: httpMethod.trim() as IHttpRequestMethods,
				node: node.name,
				path,
				webhookDescription,
				workflowId,
				workflowExecuteAdditionalData: additionalData,
				webhookId,
			});
		}
	}
	return returnData;
}


/**
 * The `webhook_entity` keys (`METHOD path`) n8n stores for `node` in `workflow`. A waiting node's
 * resume webhook (`restartWebhook`) is never stored: n8n serves it for a waiting execution only
 * (`getWorkflowWebhooks(…, ignoreRestartWebhooks = true)` at activation).
 */
export function storedWebhookKeys(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
): string[] {
	return getNodeWebhooks(workflow, node, additionalData)
		.filter((webhook) => webhook.webhookDescription.restartWebhook !== true)
		.map(
		(webhook) => `${webhook.httpMethod} ${webhook.path.replace(/^\/+/, '').replace(/\/+$/, '')}`,
	);
}

/** Stored keys of `node` as n8n registers it in a workflow of its own (`webhookId` as given). */
function keysInOwnWorkflow(
	nodeTypes: INodeTypes,
	copy: INode,
	workflowId: string,
	additionalData: IWorkflowExecuteAdditionalData,
): string[] {
	const workflow = new Workflow({ id: workflowId, nodes: [copy], connections: {}, active: true, nodeTypes });
	return storedWebhookKeys(workflow, copy, additionalData);
}

/**
 * Throws when n8n could not keep `node` active in two workflows at once (or in even one): see the
 * file header.
 */
export function refuseSharedWebhookPaths(
	nodeTypes: INodeTypes,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
): void {
	const first = keysInOwnWorkflow(nodeTypes, node, 'harness-registry-a', additionalData);
	const twice = first.filter((key, index) => first.indexOf(key) !== index);
	if (twice.length) {
		throw new UnexpectedError(
			`Node type "${node.type}" declares the webhook ${twice[0]} twice: n8n stores webhooks by (path, method), so the second one is never registered`,
		);
	}
	const duplicate: INode = { ...node, webhookId: randomUUID() };
	const second = new Set(keysInOwnWorkflow(nodeTypes, duplicate, 'harness-registry-b', additionalData));
	const shared = first.filter((key) => second.has(key));
	if (shared.length) {
		throw new UnexpectedError(
			`Node type "${node.type}" would be stored by n8n under the same webhook ${shared[0]} in every workflow ` +
				'(webhook_entity is unique on path and method): a second active workflow with this trigger would never be reached. ' +
				"Use a path below the node's webhook ID (no isFullPath with a fixed path).",
		);
	}
}
