/** Paged list endpoints, the same way for every provider: pages until the limit or the end. */

export interface PageResult<T> {
	items: T[];
	/** True when there is a next page to fetch. */
	hasMore: boolean;
}

/**
 * Fetches pages until `limit` items were collected (or all of them with `limit` undefined).
 * `page(n)` performs the request for page n (1-based) and returns its items.
 */
export async function collectPages<T>(
	page: (pageNumber: number) => Promise<PageResult<T>>,
	limit: number | undefined,
	maxPages = 10000,
): Promise<T[]> {
	const all: T[] = [];
	for (let pageNumber = 1; pageNumber <= maxPages; pageNumber++) {
		const result = await page(pageNumber);
		all.push(...result.items);
		if (limit !== undefined && all.length >= limit) return all.slice(0, limit);
		if (!result.hasMore || result.items.length === 0) break;
	}
	return all;
}
