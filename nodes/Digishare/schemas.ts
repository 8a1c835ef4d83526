/**
 * Digishare payload schemas: the documented limits of outgoing messages (checked before
 * sending, so the error names the field) and the shape of inbound webhook deliveries.
 * Limits: docs `livechat/1.incoming-messages/0.constraints.md` (WhatsApp-style limits).
 */
import { z } from 'zod';

export const LIMITS = {
	textLength: 4096,
	buttons: 3,
	buttonTitle: 20,
	header: 60,
	listRows: 10,
	rowTitle: 24,
} as const;

const header = z
	.object({
		type: z.literal('text'),
		text: z.string().max(LIMITS.header, { message: `Header must be at most ${LIMITS.header} characters` }),
	})
	.optional();

const bodyText = z.object({
	text: z
		.string()
		.min(1, { message: 'Body Text is required' })
		.max(LIMITS.textLength, { message: `Body Text must be at most ${LIMITS.textLength} characters` }),
});

export const textMessage = z.object({
	type: z.literal('text'),
	body: z
		.string()
		.min(1, { message: 'Text is required' })
		.max(LIMITS.textLength, { message: `Text must be at most ${LIMITS.textLength} characters` }),
});

export const locationMessage = z.object({
	type: z.literal('location'),
	body: z.object({
		latitude: z
			.number({ message: 'Latitude must be a number' })
			.min(-90, { message: 'Latitude must be between -90 and 90' })
			.max(90, { message: 'Latitude must be between -90 and 90' }),
		longitude: z
			.number({ message: 'Longitude must be a number' })
			.min(-180, { message: 'Longitude must be between -180 and 180' })
			.max(180, { message: 'Longitude must be between -180 and 180' }),
		name: z.string(),
		address: z.string(),
	}),
});

export const buttonsMessage = z.object({
	type: z.literal('interactive'),
	body: z.object({
		type: z.literal('button'),
		header,
		body: bodyText,
		action: z.object({
			buttons: z
				.array(
					z.object({
						type: z.literal('reply'),
						reply: z.object({
							id: z.string().min(1, { message: 'Button ID is required' }),
							title: z
								.string()
								.min(1, { message: 'Button Title is required' })
								.max(LIMITS.buttonTitle, {
									message: `Button Title must be at most ${LIMITS.buttonTitle} characters`,
								}),
						}),
					}),
				)
				.min(1, { message: 'Add at least one button' })
				.max(LIMITS.buttons, { message: `At most ${LIMITS.buttons} buttons are allowed` }),
		}),
	}),
});

const listRow = z.object({
	id: z.string().min(1, { message: 'Row ID is required' }),
	title: z
		.string()
		.min(1, { message: 'Row Title is required' })
		.max(LIMITS.rowTitle, { message: `Row Title must be at most ${LIMITS.rowTitle} characters` }),
	description: z.string().optional(),
});

export const listMessage = z.object({
	type: z.literal('interactive'),
	body: z.object({
		type: z.literal('list'),
		header,
		body: bodyText,
		action: z.object({
			button: z.string().min(1, { message: 'List Button Label is required' }),
			sections: z
				.array(z.object({ title: z.string(), rows: z.array(listRow).min(1) }))
				.min(1, { message: 'Add at least one row' })
				.refine((sections) => sections.reduce((sum, section) => sum + section.rows.length, 0) <= LIMITS.listRows, {
					message: `A list can have at most ${LIMITS.listRows} rows in all`,
				}),
		}),
	}),
});

export const locationRequestMessage = z.object({
	type: z.literal('interactive'),
	body: z.object({
		type: z.literal('location_request_message'),
		body: bodyText,
		action: z.object({ name: z.literal('send_location') }),
	}),
});

// ---------------------------------------------------------------------------------------------
// Inbound webhooks (docs: webhooks/LiveChat/*, OAS)
// ---------------------------------------------------------------------------------------------

const id = z.union([z.string().min(1), z.number()], { message: 'is missing (a non-empty ID is required)' });

export const envelope = z.object({
	event: z.string({ message: 'Missing "event"' }).min(1, { message: 'Missing "event"' }),
	data: z.record(z.string(), z.unknown(), { message: 'Missing "data" object' }),
});

export const newConversation = z.object({
	data: z.object({
		id,
		data: z
			.object({
				created_at: z.string().optional(),
				third: z.object({ id: id.optional(), name: z.string().nullable().optional() }).passthrough().optional(),
			})
			.passthrough()
			.optional(),
	}),
});

export const newMessage = z.object({
	data: z.object({
		id,
		data: z
			.object({
				conversation_id: id.optional(),
				body: z.unknown(),
				type: z.string().optional(),
				sender: z
					.object({
						model_type: z.string().optional(),
						name: z.string().nullable().optional(),
					})
					.passthrough()
					.nullable()
					.optional(),
			})
			.passthrough(),
	}),
});

export const conversationArchived = z.object({
	data: z.object({ conversation_id: id, archived_at: z.string().optional() }).passthrough(),
});

const isRecordId = (value: unknown) => (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));

/**
 * Contact (third.*) and ticket (ticket.*) events: the record's ID at `data.id` (or `data.data.id`),
 * without which the delivery says nothing a workflow could act on.
 */
export const recordEvent = z
	.object({
		data: z.object({ id: z.unknown().optional(), data: z.object({ id: z.unknown().optional() }).passthrough().optional() }).passthrough(),
	})
	.refine((payload) => isRecordId(payload.data.id) || isRecordId(payload.data.data?.id), {
		message: 'is missing (a non-empty contact or ticket ID is required)',
		path: ['data', 'id'],
	});
