/** LivePerson's documented limits (Connector API / SEND API, liveperson.md §8). */

export const LIMITS = {
	/** LivePerson rejects a request JSON longer than this. */
	requestChars: 5000,
	/** Files: images only, up to 3 MB. */
	fileBytes: 3 * 1024 * 1024,
} as const;

/** The image formats LivePerson's file sharing takes, by the name its SEND API uses. */
export const IMAGE_MIME_TYPES = { PNG: 'image/png', JPEG: 'image/jpeg', GIF: 'image/gif' } as const;
