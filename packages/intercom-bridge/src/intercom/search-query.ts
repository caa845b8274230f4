/**
 * Intercom's search query language (docs/intercom.md §1.4) and a client-side check of its
 * documented limits, so a query Intercom would reject fails before it costs a request, with a
 * message that points at the offending part.
 */

import { ValidationError } from "../errors.ts";
import type { components } from "../generated/intercom-openapi.ts";

/** The operators of a single filter: `~` contains, `!~` does not contain, `^` starts with, `$` ends with. */
export type SearchOperator = NonNullable<components["schemas"]["single_filter_search_request"]["operator"]>;

/** One condition, e.g. `{ field: "external_id", operator: "=", value: guid }`. `IN`/`NIN` take arrays. */
export interface SearchFilter {
	field: string;
	operator: SearchOperator;
	value: string | number | boolean | null | Array<string | number>;
}

/**
 * Conditions combined with AND or OR. The type lets one group hold filters and groups together,
 * which SDK users ask for (intercom-node#458) and the emulator evaluates; the 2.16 schema, though,
 * wants one kind per group, as in `(1 OR 2) AND (3 OR 4)`. Prefer that shape to stay within it.
 */
export interface SearchGroup {
	operator: "AND" | "OR";
	value: SearchQuery[];
}

/** A whole search query: one filter or a group. */
export type SearchQuery = SearchFilter | SearchGroup;

/** Intercom's limits: "max 2 nested filters" and "max 15 filters for each AND or OR group". */
export const SEARCH_LIMITS = { maxNestingDepth: 2, maxPerGroup: 15 } as const;

const OPERATORS: ReadonlySet<string> = new Set<SearchOperator>([
	"=",
	"!=",
	"IN",
	"NIN",
	"<",
	"<=",
	">",
	">=",
	"~",
	"!~",
	"^",
	"$",
]);

function fail(path: string, problem: string): never {
	throw new ValidationError(`Intercom search query: ${path} ${problem}`, path);
}

function isScalar(value: unknown): boolean {
	return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function checkFilter(node: Record<string, unknown>, path: string): void {
	const { field, operator, value } = node;
	if (typeof field !== "string" || field.trim() === "") fail(path, "needs a non-empty `field`.");
	if (typeof operator !== "string" || !OPERATORS.has(operator)) {
		fail(
			path,
			`has operator ${JSON.stringify(operator)}; use one of ${[...OPERATORS].join(" ")}, or AND/OR for a group.`,
		);
	}
	if (operator === "IN" || operator === "NIN") {
		const ok = Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number");
		if (!ok) fail(path, `uses ${operator}, which needs an array of strings or numbers as \`value\`.`);
	} else if (!isScalar(value)) {
		fail(
			path,
			`uses ${operator}, which needs a string, number, boolean or null \`value\` (arrays go with IN/NIN).`,
		);
	}
}

function checkNode(node: unknown, path: string, depth: number): void {
	if (typeof node !== "object" || node === null || Array.isArray(node)) {
		fail(
			path,
			"must be an object: a filter {field, operator, value} or a group {operator: AND|OR, value: [...]}.",
		);
	}
	const record = node as Record<string, unknown>;
	if (record.operator !== "AND" && record.operator !== "OR") {
		checkFilter(record, path);
		return;
	}
	const level = depth + 1;
	if (level > SEARCH_LIMITS.maxNestingDepth) {
		fail(
			path,
			`nests AND/OR groups ${level} levels deep; Intercom allows at most ${SEARCH_LIMITS.maxNestingDepth}.`,
		);
	}
	const { value } = record;
	if (!Array.isArray(value) || value.length === 0)
		fail(path, `is an ${record.operator} group without conditions.`);
	if (value.length > SEARCH_LIMITS.maxPerGroup) {
		fail(
			path,
			`has ${value.length} conditions; Intercom allows at most ${SEARCH_LIMITS.maxPerGroup} per AND/OR group. Split it into nested groups or use IN.`,
		);
	}
	value.forEach((child, i) => {
		checkNode(child, `${path}.value[${i}]`, level);
	});
}

/**
 * Checks a query against Intercom's documented rules: known operators, array values only with
 * `IN`/`NIN`, AND/OR groups nested at most 2 levels deep, at most 15 conditions per group.
 *
 * @example
 * validateSearchQuery({ operator: "AND", value: [
 *   { operator: "OR", value: [{ field: "role", operator: "=", value: "user" }, { field: "role", operator: "=", value: "lead" }] },
 *   { field: "email_domain", operator: "=", value: "example.com" },
 * ] });
 * @throws {ValidationError} naming the path of the offending part (e.g. `query.value[2]`) and the limit.
 */
export function validateSearchQuery(query: unknown): asserts query is SearchQuery {
	checkNode(query, "query", 0);
}
