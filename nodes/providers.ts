/**
 * The provider registry: what the package knows about each provider outside its own folder.
 * Adding a provider is one folder in nodes/ with the files every provider has (CONTRIBUTING.md)
 * plus one entry here; test/structure.test.ts fails while either is incomplete.
 *
 * This file imports nothing, so any file of the package may read it.
 */
export interface ProviderEntry {
	/** `provider` of the chat events its trigger emits, and the start of their `sessionId`s. */
	id: string;
	displayName: string;
	/** nodes/<folder>/ */
	folder: string;
	/** Class names: nodes/<folder>/<node>.node.ts and <trigger>.node.ts */
	node: string;
	trigger: string;
	/** Credential type names, each in credentials/<Name>.credentials.ts */
	credentials: readonly string[];
	/**
	 * The keys its nodes keep in the workflow's memory (nodes/shared/memory/), by purpose. Each
	 * starts with `memoryKeyPrefix`; only declared keys can be read or written, and only they
	 * travel with a trigger's items to a queue-mode worker.
	 */
	memoryKeyPrefix: string;
	memory: Readonly<Record<string, string>>;
	/** The `event` values its trigger emits, by purpose. */
	events: Readonly<Record<string, string>>;
	/**
	 * What answers a Send and Wait for Reply node's wait (nodes/shared/send-and-wait.ts): the
	 * events that carry a reply, those that end the conversation (and so the wait), and the side
	 * that replies (a message from the waiting side itself, e.g. the echo of our own send, never
	 * counts). Its memory names where the waits are kept (`memory.waits`).
	 */
	replies: {
		messages: readonly string[];
		ends: readonly string[];
		from: 'customer' | 'agent';
	};
}

const digishare = {
	id: 'digishare',
	displayName: 'Digishare LiveChat',
	folder: 'Digishare',
	node: 'Digishare',
	trigger: 'DigishareTrigger',
	credentials: ['digishareApi', 'digishareWebhookApi'],
	memoryKeyPrefix: 'digishare',
	memory: {
		/** Conversation → the Send and Wait for Reply execution waiting on it. */
		waits: 'digishareWaits',
	},
	events: {
		newConversation: 'live_chat.new_conversation',
		newMessage: 'live_chat.new_message',
		conversationArchived: 'live_chat.conversation_archived',
		contactCreated: 'third.created',
		contactUpdated: 'third.updated',
		contactDeleted: 'third.deleted',
		contactTagsChanged: 'third.tags-changed',
		ticketCreated: 'ticket.created',
		ticketUpdated: 'ticket.updated',
		ticketDeleted: 'ticket.deleted',
	},
	replies: {
		messages: ['live_chat.new_message'],
		ends: ['live_chat.conversation_archived'],
		from: 'customer',
	},
} as const satisfies ProviderEntry;

const liveChatAi = {
	id: 'livechatai',
	displayName: 'LiveChatAI',
	folder: 'LiveChatAi',
	node: 'LiveChatAi',
	trigger: 'LiveChatAiTrigger',
	credentials: ['liveChatAiApi'],
	memoryKeyPrefix: 'liveChatAi',
	memory: {
		/** Conversation Key → LiveChatAI conversation ID (Send Message). */
		conversations: 'liveChatAiConversations',
		/** IDs of the messages the LiveChatAI node posted, which its trigger skips. */
		ownMessages: 'liveChatAiOwnMessages',
		/** Conversation → the Send and Wait for Reply execution waiting on it. */
		waits: 'liveChatAiWaits',
	},
	events: {
		newConversation: 'newConversation',
		newCustomerMessage: 'newCustomerMessage',
		humanRequested: 'humanRequested',
		conversationClosed: 'conversationClosed',
	},
	replies: {
		messages: ['newCustomerMessage'],
		ends: ['conversationClosed'],
		from: 'customer',
	},
} as const satisfies ProviderEntry;

const livePerson = {
	id: 'liveperson',
	displayName: 'LivePerson',
	folder: 'LivePerson',
	node: 'LivePerson',
	trigger: 'LivePersonTrigger',
	credentials: ['livePersonApi'],
	memoryKeyPrefix: 'livePerson',
	memory: {
		/** Consumer ID → the conversation the LivePerson node opened for it. */
		consumerConversations: 'livePersonConversations',
		/** Conversation ID → consumer ID, read by the LivePerson Trigger. */
		conversationConsumers: 'livePersonConsumers',
		/** Conversation → the Send and Wait for Reply execution waiting on it. */
		waits: 'livePersonWaits',
	},
	events: {
		content: 'ms.MessagingEventNotification.ContentEvent',
		richContent: 'ms.MessagingEventNotification.RichContentEvent',
		acceptStatus: 'ms.MessagingEventNotification.AcceptStatusEvent',
		chatState: 'ms.MessagingEventNotification.ChatStateEvent',
		conversationChange: 'cqm.ExConversationChangeNotification',
	},
	// A conversation change ends a wait only when it closes the conversation (`event:messageType`).
	replies: {
		messages: ['ms.MessagingEventNotification.ContentEvent', 'ms.MessagingEventNotification.RichContentEvent'],
		ends: ['cqm.ExConversationChangeNotification:conversation_closed'],
		from: 'agent',
	},
} as const satisfies ProviderEntry;

const omnidesk = {
	id: 'omnidesk',
	displayName: 'Omnidesk',
	folder: 'Omnidesk',
	node: 'Omnidesk',
	trigger: 'OmnideskTrigger',
	credentials: ['omnideskApi'],
	memoryKeyPrefix: 'omnidesk',
	memory: {
		/** The Omnidesk Trigger's chatServer, recorded at activation for the Omnidesk node. */
		chatServer: 'omnideskChatServer',
		/** Chat session → the Send and Wait for Reply execution waiting on it. */
		waits: 'omnideskWaits',
	},
	// The four hookpoints Omnidesk posts to below the chatServer.
	events: {
		messageForCustomer: 'messageForCustomer',
		uploadForCustomer: 'uploadForCustomer',
		typingIndicatorForCustomer: 'typingIndicatorForCustomer',
		endSession: 'endSession',
	},
	replies: {
		messages: ['messageForCustomer', 'uploadForCustomer'],
		ends: ['endSession'],
		from: 'agent',
	},
} as const satisfies ProviderEntry;

export const PROVIDERS = { digishare, liveChatAi, livePerson, omnidesk } as const;

export type ProviderKey = keyof typeof PROVIDERS;

/** Every provider's entry, in registry order. */
export const PROVIDER_ENTRIES: readonly ProviderEntry[] = Object.values(PROVIDERS);
