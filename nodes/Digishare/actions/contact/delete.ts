import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { idParameter } from '../../../shared/parameters';
import { digishareRequest } from '../../api';
import { contactIdProperty } from './fields';

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['delete'] } }, [
	contactIdProperty,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = idParameter(this, itemIndex, 'contactId', 'Contact ID', { required: true });
	await digishareRequest.call(this, {
		method: 'DELETE',
		path: `/thirds/${encodeURIComponent(contactId)}`,
		itemIndex,
	});
	return { id: contactId, deleted: true };
}
