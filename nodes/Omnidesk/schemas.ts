/**
 * Omnidesk's documented field patterns (API specification, chat controller), checked before
 * sending so the error names the field. Keys are the labels the user sees.
 */
import { z } from 'zod';

export const PATTERNS = {
	chatServer: /^[a-zA-Z0-9.:/-]+$/,
	chatAccountToken: /^[a-zA-Z0-9]+$/,
	/** notifyUserNewChatMessage allows a leading "+" (a phone number as session ID). */
	sessionIdWithPlus: /^\+?[a-zA-Z0-9-]+$/,
	sessionId: /^[a-zA-Z0-9-]+$/,
	customerName: /^[a-zA-Z 0-9]+$/,
	phoneNumber: /^\+[0-9]+$/,
} as const;

export const chatServer = z
	.string()
	.min(5, { message: 'must be at least 5 characters' })
	.regex(PATTERNS.chatServer, {
		message: 'may contain only letters, digits and . : / - (no _ ? & = or spaces)',
	});

export const chatAccountToken = z
	.string()
	.min(10, { message: 'must be at least 10 characters (check the Omnidesk credential)' })
	.regex(PATTERNS.chatAccountToken, { message: 'may contain only letters and digits (check the Omnidesk credential)' });

export const sessionIdWithPlus = z
	.string()
	.min(1, { message: 'is required' })
	.regex(PATTERNS.sessionIdWithPlus, { message: 'may contain only letters, digits and -, with an optional leading +' });

export const sessionId = z
	.string()
	.min(1, { message: 'is required' })
	.regex(PATTERNS.sessionId, { message: 'may contain only letters, digits and -' });

export const customerName = z.string().regex(PATTERNS.customerName, {
	message: 'may contain only letters (no accents), digits and spaces',
});

export const emailAddress = z.string().email({ message: 'must be an e-mail address' });

export const phoneNumber = z.string().regex(PATTERNS.phoneNumber, {
	message: 'must start with + followed by digits only, e.g. +31612345678',
});

export const positiveInteger = z.number().int({ message: 'must be a whole number' }).min(1, { message: 'must be 1 or more' });
