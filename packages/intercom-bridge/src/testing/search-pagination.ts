/**
 * Body pagination of the search endpoints: `pagination: {per_page, starting_after}` in the request
 * body, `pages: {type, page, per_page, total_pages, next?: {page, starting_after}}` in the answer.
 * The cursor is opaque base64 of a JSON array, as Intercom's (`"Wy0xLCI1ZjIy…"` = `[-1,"5f22…`).
 */
import { badRequest } from "./intercom-error.ts";

export interface PageResult<T> {
	items: T[];
	total_count: number;
	pages: {
		type: "pages";
		page: number;
		per_page: number;
		total_pages: number;
		next?: { page: number; starting_after: string };
	};
}

const MAX_PER_PAGE = 150;

/** Reads `pagination` from a search body and cuts one page out of the full, sorted result. */
export function paginate<T extends { id: string }>(
	all: T[],
	pagination: unknown,
	defaultPerPage: number,
): PageResult<T> {
	let perPage = defaultPerPage;
	let offset = 0;
	if (pagination !== undefined && pagination !== null) {
		if (typeof pagination !== "object" || Array.isArray(pagination))
			throw badRequest("pagination must be an object");
		const { per_page, starting_after } = pagination as Record<string, unknown>;
		if (per_page !== undefined && per_page !== null) {
			if (!Number.isInteger(per_page) || (per_page as number) < 1 || (per_page as number) > MAX_PER_PAGE) {
				throw badRequest(`per_page must be an integer from 1 to ${MAX_PER_PAGE}`, "parameter_invalid");
			}
			perPage = per_page as number;
		}
		if (starting_after !== undefined && starting_after !== null) {
			offset = decodeCursor(starting_after, all);
		}
	}
	const items = all.slice(offset, offset + perPage);
	const end = offset + items.length;
	const pages: PageResult<T>["pages"] = {
		type: "pages",
		page: Math.floor(offset / perPage) + 1,
		per_page: perPage,
		total_pages: Math.ceil(all.length / perPage),
	};
	const last = items.at(-1);
	if (end < all.length && last) {
		pages.next = { page: pages.page + 1, starting_after: encodeCursor(end, last.id) };
	}
	return { items, total_count: all.length, pages };
}

function encodeCursor(offset: number, lastId: string): string {
	return Buffer.from(JSON.stringify([offset, lastId])).toString("base64");
}

/** The offset a cursor points at; follows the last id if the result moved since the page was read. */
function decodeCursor(cursor: unknown, all: { id: string }[]): number {
	const invalid = () => badRequest("starting_after is not a valid cursor", "parameter_invalid");
	if (typeof cursor !== "string") throw invalid();
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
	} catch {
		throw invalid();
	}
	if (!Array.isArray(parsed) || !Number.isInteger(parsed[0]) || typeof parsed[1] !== "string")
		throw invalid();
	const [offset, lastId] = parsed as [number, string];
	if (all[offset - 1]?.id === lastId) return offset;
	const moved = all.findIndex((item) => item.id === lastId);
	return moved >= 0 ? moved + 1 : Math.min(Math.max(offset, 0), all.length);
}
