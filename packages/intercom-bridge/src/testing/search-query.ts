/**
 * Intercom's search query language (docs/intercom.md §1.4), evaluated for real: single and
 * compound filters, at most 2 levels of compound nesting and 15 filters per group, the operator
 * rules per field type, dates by calendar day in the workspace timezone, dotted fields and
 * `custom_attributes.x`. A query that Intercom would refuse is refused with a 400 here too, so a
 * client cannot pass the emulator with queries the real API rejects.
 */
import { badRequest } from "./intercom-error.ts";

/**
 * How a field is matched. `date` compares calendar days; `id` allows only `=`/`!=` (tag_id);
 * `list` matches when any element matches (contact_ids); `words` matches `=` word by word (source.body).
 */
export type SearchFieldType = "string" | "integer" | "boolean" | "date" | "id" | "list" | "words";

export interface SearchSpec {
	/** Searchable fields by dotted name. `custom_attributes.*` is always accepted. */
	fields: Record<string, SearchFieldType>;
	/** Reads a field from a record; dotted paths by default. */
	read?: (record: unknown, field: string) => unknown;
	/** IANA timezone for day-granular dates. */
	timezone: string;
	/** Conversations describe `>`/`<` as "greater (or equal)" and also take `<=`/`>=`. */
	inclusiveDates: boolean;
}

export type Predicate = (record: unknown) => boolean;

const OPERATORS_BY_TYPE: Record<SearchFieldType, readonly string[]> = {
	string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
	boolean: ["=", "!=", "IN", "NIN"],
	integer: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
	date: ["=", "<", ">"],
	id: ["=", "!="],
	list: ["=", "!=", "IN", "NIN"],
	words: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
};

const MAX_DEPTH = 2;
const MAX_GROUP = 15;

/** Reads `a.b.c` from nested objects. */
export function readPath(record: unknown, field: string): unknown {
	let value: unknown = record;
	for (const key of field.split(".")) {
		if (typeof value !== "object" || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of unix seconds in a timezone. */
export function dayOf(seconds: number, timezone: string): string {
	let fmt = dayFormatters.get(timezone);
	if (!fmt) {
		fmt = new Intl.DateTimeFormat("en-CA", {
			timeZone: timezone,
			year: "numeric",
			month: "2-digit",
			day: "2-digit",
		});
		dayFormatters.set(timezone, fmt);
	}
	return fmt.format(new Date(seconds * 1000));
}

/** Validates a query (throws a 400 `IntercomHttpError`) and returns its predicate. */
export function compileSearchQuery(query: unknown, spec: SearchSpec): Predicate {
	return compileNode(query, spec, 0);
}

function compileNode(node: unknown, spec: SearchSpec, depth: number): Predicate {
	if (typeof node !== "object" || node === null || Array.isArray(node)) {
		throw badRequest("query must be an object: {field, operator, value} or {operator: AND|OR, value: [...]}");
	}
	const { operator, value } = node as Record<string, unknown>;
	if (operator === "AND" || operator === "OR") {
		if (depth >= MAX_DEPTH)
			throw badRequest(`Search queries support a maximum of ${MAX_DEPTH} nested filters`);
		if (!Array.isArray(value) || value.length === 0) {
			throw badRequest(`${operator} filters need a non-empty array of filters as value`);
		}
		if (value.length > MAX_GROUP) {
			throw badRequest(`Search queries support a maximum of ${MAX_GROUP} filters in each AND or OR group`);
		}
		const parts = value.map((child) => compileNode(child, spec, depth + 1));
		return operator === "AND" ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
	}
	return compileFilter(node as Record<string, unknown>, spec);
}

function fieldType(field: string, value: unknown, spec: SearchSpec): SearchFieldType {
	const known = spec.fields[field];
	if (known) return known;
	if (field.startsWith("custom_attributes.") && field.length > "custom_attributes.".length) {
		// Custom attributes are typed in Intercom's data settings; the filter's value stands in for that type.
		const sample = Array.isArray(value) ? value[0] : value;
		if (typeof sample === "boolean") return "boolean";
		if (typeof sample === "number") return "integer";
		return "string";
	}
	throw badRequest(`'${field}' is not a searchable field`);
}

function compileFilter(filter: Record<string, unknown>, spec: SearchSpec): Predicate {
	const { field, operator, value } = filter;
	if (typeof field !== "string" || field === "") throw badRequest("Each filter needs a field");
	if (typeof operator !== "string") throw badRequest(`Filter on '${field}' needs an operator`);
	if (!("value" in filter)) throw badRequest(`Filter on '${field}' needs a value`);
	const type = fieldType(field, value, spec);
	const allowed =
		type === "date" && spec.inclusiveDates
			? [...OPERATORS_BY_TYPE.date, "<=", ">="]
			: OPERATORS_BY_TYPE[type];
	if (!allowed.includes(operator)) {
		throw badRequest(
			`Operator '${operator}' is not supported for '${field}' (${type}); use one of ${allowed.join(" ")}`,
		);
	}
	checkValue(field, type, operator, value);
	const read = spec.read ?? readPath;
	const test = matcher(type, operator, value, spec);
	return (record) => test(read(record, field));
}

function checkValue(field: string, type: SearchFieldType, operator: string, value: unknown): void {
	const isList = operator === "IN" || operator === "NIN";
	if (isList !== Array.isArray(value)) {
		throw badRequest(
			isList
				? `${operator} on '${field}' needs an array value`
				: `'${field}' ${operator} needs a single value`,
		);
	}
	const items = Array.isArray(value) ? value : [value];
	for (const item of items) {
		if (item === null && (operator === "=" || operator === "!=")) continue;
		const ok =
			type === "integer" || type === "date"
				? Number.isInteger(item)
				: type === "boolean"
					? typeof item === "boolean" || item === "true" || item === "false"
					: typeof item === "string" || (Number.isInteger(item) && type !== "words");
		if (!ok) throw badRequest(`Value ${JSON.stringify(item)} does not fit '${field}' (${type})`);
	}
	if (["~", "!~", "^", "$"].includes(operator) && typeof value !== "string") {
		throw badRequest(`${operator} on '${field}' needs a string value`);
	}
}

const isBlank = (v: unknown) => v === null || v === undefined || v === "";

function matcher(
	type: SearchFieldType,
	operator: string,
	value: unknown,
	spec: SearchSpec,
): (v: unknown) => boolean {
	if (value === null)
		return operator === "=" ? (v) => isBlank(v) || (Array.isArray(v) && v.length === 0) : (v) => !isBlank(v);
	if (type === "date") return dateMatcher(operator, value as number, spec);
	if (type === "list") {
		const wanted = (Array.isArray(value) ? value : [value]).map(String);
		const any = (v: unknown) => Array.isArray(v) && v.some((x) => wanted.includes(String(x)));
		return operator === "=" || operator === "IN" ? any : (v) => !any(v);
	}
	if (type === "words") return wordsMatcher(operator, value);
	const norm = (x: unknown): unknown =>
		type === "boolean" && typeof x === "string"
			? x === "true"
			: type === "string" && typeof x === "number"
				? String(x)
				: x;
	const want = Array.isArray(value) ? value.map(norm) : norm(value);
	const lower = (x: unknown) => String(x ?? "").toLowerCase();
	switch (operator) {
		case "=":
			return (v) => norm(v) === want;
		case "!=":
			return (v) => norm(v) !== want;
		case "IN":
			return (v) => (want as unknown[]).includes(norm(v));
		case "NIN":
			return (v) => !(want as unknown[]).includes(norm(v));
		case "~":
			return (v) => !isBlank(v) && lower(v).includes(lower(want));
		case "!~":
			return (v) => isBlank(v) || !lower(v).includes(lower(want));
		case "^":
			return (v) => !isBlank(v) && lower(v).startsWith(lower(want));
		case "$":
			return (v) => !isBlank(v) && lower(v).endsWith(lower(want));
		default: {
			const n = want as number;
			const num = (v: unknown) => typeof v === "number";
			if (operator === "<") return (v) => num(v) && (v as number) < n;
			if (operator === ">") return (v) => num(v) && (v as number) > n;
			if (operator === "<=") return (v) => num(v) && (v as number) <= n;
			return (v) => num(v) && (v as number) >= n;
		}
	}
}

function dateMatcher(operator: string, seconds: number, spec: SearchSpec): (v: unknown) => boolean {
	if (spec.inclusiveDates && operator !== "=") {
		const ge = operator === ">" || operator === ">=";
		return (v) => typeof v === "number" && (ge ? v >= seconds : v <= seconds);
	}
	// Contacts: whole calendar days in the workspace timezone; `> day` starts at the next day.
	const day = dayOf(seconds, spec.timezone);
	return (v) => {
		if (typeof v !== "number") return false;
		const d = dayOf(v, spec.timezone);
		return operator === "=" ? d === day : operator === ">" ? d > day : d < day;
	};
}

function wordsMatcher(operator: string, value: unknown): (v: unknown) => boolean {
	const words = (v: unknown) =>
		String(v ?? "")
			.replace(/<[^>]+>/g, " ")
			.toLowerCase()
			.split(/[^\p{L}\p{N}_]+/u)
			.filter(Boolean);
	const lower = (x: unknown) => String(x).toLowerCase();
	// `= "need support"` matches nothing: a phrase is never one word.
	const hasWord = (v: unknown, w: unknown) => words(v).includes(lower(w));
	switch (operator) {
		case "=":
			return (v) => hasWord(v, value);
		case "!=":
			return (v) => !hasWord(v, value);
		case "IN":
			return (v) => (value as unknown[]).some((w) => hasWord(v, w));
		case "NIN":
			return (v) => !(value as unknown[]).some((w) => hasWord(v, w));
		case "~":
			return (v) => lower(v ?? "").includes(lower(value));
		case "!~":
			return (v) => !lower(v ?? "").includes(lower(value));
		case "^":
			return (v) => words(v)[0]?.startsWith(lower(value)) ?? false;
		default:
			return (v) => words(v).at(-1)?.endsWith(lower(value)) ?? false;
	}
}
