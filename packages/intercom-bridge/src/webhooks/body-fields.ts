/**
 * Reading a Series body: keys are matched case-insensitively (`ContactGUID`, `contactGuid` and
 * `CONTACTGUID` are the same key, as in the reference), values are checked for type, and keys the
 * endpoint does not know are ignored.
 */
import { isGuid } from "../store/contact-store.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

/** Case-insensitive view of a body object. */
export interface BodyFields {
	/** The value of a key (any case), or undefined. When a key appears in several cases, the first wins. */
	get(key: string): unknown;
	/**
	 * A trimmed string value; null when absent, null or blank.
	 * @throws WebhookHttpError 400 when the value is not a string, or holds a NUL character.
	 */
	text(key: string): string | null;
}

const bad = (message: string) => new WebhookHttpError(400, "VALIDATION_FAILED", message);

/** Builds the case-insensitive view. */
export function bodyFields(body: Readonly<Record<string, unknown>>): BodyFields {
	const byLower = new Map<string, { key: string; value: unknown }>();
	for (const [key, value] of Object.entries(body)) {
		const lower = key.toLowerCase();
		if (!byLower.has(lower)) byLower.set(lower, { key, value });
	}
	const get = (key: string) => byLower.get(key.toLowerCase())?.value;
	return {
		get,
		text(key) {
			const value = get(key);
			if (value === undefined || value === null) return null;
			if (typeof value !== "string") throw bad(`${key} must be a string.`);
			// PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
			if (value.includes("\u0000")) throw bad(`${key} must not contain a NUL character.`);
			const trimmed = value.trim();
			return trimmed === "" ? null : trimmed;
		},
	};
}

/**
 * The contact GUID of a body (`ContactGUID`, any case), lowercased.
 * @throws WebhookHttpError 400 with the reference's messages.
 */
export function contactGuidOf(fields: BodyFields): string {
	const value = fields.get("ContactGUID");
	if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
		throw bad("Contact identifier is not provided.");
	}
	if (typeof value !== "string" || !isGuid(value.trim()))
		throw bad("Contact identifier is in incorrect format.");
	return value.trim().toLowerCase();
}
