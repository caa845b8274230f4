/**
 * Cursor pagination of Intercom's search endpoints. The cursor goes in the JSON **body**
 * (`pagination: {per_page, starting_after}`); in the query string Intercom ignores it and answers
 * page 1 again (docs/intercom.md §1.4), which is how naive loops never end.
 */
import { IntercomApiError, ValidationError } from "../errors.ts";

/** Intercom's largest page. */
export const MAX_PER_PAGE = 150;

/**
 * `all: true` stops with an error after this many pages (150,000 records at 150 a page) rather than
 * run without end; narrow the query or page with `startingAfter` beyond that.
 */
export const MAX_PAGES = 1000;

/** Paging options shared by both searches. */
export interface PageOptions {
	/** Results per page, 1–150 (Intercom's default: 50 for contacts, 20 for conversations; 150 with `all`). */
	perPage?: number;
	/** The `next` cursor of an earlier page. */
	startingAfter?: string;
	/** Follow `pages.next.starting_after` through every page. */
	all?: boolean;
}

/** The body's `pagination` object. */
export interface Pagination {
	per_page?: number;
	starting_after?: string;
}

/** One page as read from Intercom. */
export interface Page<Item> {
	items: Item[];
	totalCount: number;
	next: string | null;
}

/** Reads `pages.next.starting_after` of a `cursor_pages` object, tolerating its absence. */
export function nextCursor(
	pages: { next?: { starting_after?: string | null } | null } | null | undefined,
): string | null {
	const cursor = pages?.next?.starting_after;
	return typeof cursor === "string" && cursor !== "" ? cursor : null;
}

function checkPerPage(perPage: number | undefined): void {
	if (perPage === undefined) return;
	if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
		throw new ValidationError(
			`perPage must be an integer from 1 to ${MAX_PER_PAGE} (got ${perPage}).`,
			"perPage",
		);
	}
}

/**
 * Fetches one page, or every page with `all: true`, concatenating the items.
 *
 * @example
 * const { items } = await collectPages("POST /contacts/search", { all: true }, (pagination) => fetchPage(pagination));
 * @throws {ValidationError} for a bad `perPage`.
 * @throws {IntercomApiError} when Intercom repeats a cursor or the result exceeds {@link MAX_PAGES} pages.
 */
export async function collectPages<Item>(
	operation: string,
	options: PageOptions,
	fetchPage: (pagination: Pagination | undefined) => Promise<Page<Item>>,
): Promise<Page<Item>> {
	checkPerPage(options.perPage);
	const perPage = options.perPage ?? (options.all ? MAX_PER_PAGE : undefined);
	const pagination = (cursor: string | undefined): Pagination | undefined => {
		if (perPage === undefined && cursor === undefined) return undefined;
		return {
			...(perPage !== undefined && { per_page: perPage }),
			...(cursor !== undefined && { starting_after: cursor }),
		};
	};

	const first = await fetchPage(pagination(options.startingAfter));
	if (!options.all) return first;

	const items = [...first.items];
	const seen = new Set<string>(options.startingAfter === undefined ? [] : [options.startingAfter]);
	let next = first.next;
	for (let pages = 1; next !== null; pages++) {
		if (seen.has(next)) {
			throw new IntercomApiError(
				`Intercom ${operation} answered a cursor it had already given; stopped after ${pages} pages instead of looping.`,
				{ httpStatus: 200 },
			);
		}
		if (pages >= MAX_PAGES) {
			throw new IntercomApiError(
				`Intercom ${operation} has more than ${MAX_PAGES} pages; narrow the query or page with startingAfter.`,
				{ httpStatus: 200 },
			);
		}
		seen.add(next);
		const page = await fetchPage(pagination(next));
		items.push(...page.items);
		next = page.next;
	}
	return { items, totalCount: first.totalCount, next: null };
}
