/**
 * The fixed contact fields, with the column lengths of the reference (Kentico contacts). The
 * store rejects longer values; the update-contact webhook truncates to these limits first, as the
 * reference does.
 */

import { ValidationError } from "../errors.ts";
import { hasControlCharacters } from "../text/has-control-characters.ts";

/** Maximum length of each text field (null = unlimited). */
export const CONTACT_FIELD_LIMITS = {
	email: 254,
	firstName: 100,
	middleName: 100,
	lastName: 100,
	jobTitle: 50,
	address1: 100,
	city: 100,
	zip: 100,
	mobilePhone: 26,
	businessPhone: 26,
	notes: null,
	companyName: 100,
} as const;

export type ContactFieldName = keyof typeof CONTACT_FIELD_LIMITS;
export const CONTACT_FIELD_NAMES = Object.keys(CONTACT_FIELD_LIMITS) as ContactFieldName[];

/** Editable fields of a contact; `null` clears a field. */
export type ContactFields = { [K in ContactFieldName]?: string | null } & {
	customFields?: Record<string, unknown>;
};

/**
 * A practical email check: one `@`, a dotted domain, no spaces or control characters, at most 254
 * characters (RFC 5321). Stricter than the RFC on purpose: such addresses also go to Intercom.
 */
export function isValidEmail(value: string): boolean {
	return (
		value.length <= 254 &&
		!hasControlCharacters(value) &&
		/^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(
			value,
		)
	);
}

/**
 * Trims and checks the given fields. Empty strings become null.
 * @throws ValidationError naming the field and its limit.
 */
export function checkContactFields(input: ContactFields): ContactFields {
	const out: ContactFields = {};
	for (const name of CONTACT_FIELD_NAMES) {
		if (!(name in input)) continue;
		const raw = input[name];
		if (raw === undefined) continue;
		if (raw !== null && typeof raw !== "string") {
			throw new ValidationError(`Contact field ${name} must be a string or null.`, name);
		}
		const value = raw === null ? null : raw.trim() === "" ? null : raw.trim();
		const limit = CONTACT_FIELD_LIMITS[name];
		if (value !== null && limit !== null && value.length > limit) {
			throw new ValidationError(
				`Contact field ${name} is ${value.length} characters long; the limit is ${limit}.`,
				name,
			);
		}
		if (name === "email" && value !== null && !isValidEmail(value)) {
			throw new ValidationError(`"${value}" is not a valid email address.`, "email");
		}
		out[name] = value;
	}
	if (input.customFields !== undefined) {
		const cf = input.customFields;
		if (cf === null || typeof cf !== "object" || Array.isArray(cf)) {
			throw new ValidationError("customFields must be an object.", "customFields");
		}
		if (JSON.stringify(cf).length > 64 * 1024) {
			throw new ValidationError("customFields must be at most 64 KiB as JSON.", "customFields");
		}
		out.customFields = cf;
	}
	return out;
}

/** Truncates text to `limit` characters without splitting a surrogate pair. */
export function truncate(value: string, limit: number | null): string {
	if (limit === null || value.length <= limit) return value;
	const cut = value.slice(0, limit);
	const last = cut.charCodeAt(cut.length - 1);
	return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
