import type { IHookFunctions } from 'n8n-workflow';

/**
 * `webhookMethods` of a trigger whose provider has no API to register webhooks (the user enters
 * the URL in the provider's UI or manifest): activation has nothing to create or delete remotely.
 */
export const nothingToRegister = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
