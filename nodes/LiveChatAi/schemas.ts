/** LiveChatAI's documented limits (API reference v2). */

export const LIMITS = {
	/** Largest page LiveChatAI serves (perPage / limit 1–100). */
	pageSize: 100,
} as const;
