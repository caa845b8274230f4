import { ValidationError } from "../errors.ts";
import { hasControlCharacters } from "../text/has-control-characters.ts";

/**
 * Checks a code name (sites, activity types, consents): letters, digits, `_`, `-` and `.`,
 * starting with a letter, at most 100 characters. Returns it trimmed.
 * @throws ValidationError that says what is allowed.
 */
export function checkCodeName(raw: string, what: string): string {
	const value = raw.trim();
	if (!/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(value)) {
		throw new ValidationError(
			`"${raw}" is not a valid ${what} code name: start with a letter, then up to 99 letters, digits, "_", "-" or ".".`,
			"codeName",
		);
	}
	return value;
}

/** Checks a display name: 1 to 200 characters, no control characters. */
export function checkDisplayName(raw: string, what: string): string {
	const value = raw.trim();
	if (value.length === 0 || value.length > 200 || hasControlCharacters(value)) {
		throw new ValidationError(
			`The ${what} display name must be 1 to 200 characters without control characters.`,
			"displayName",
		);
	}
	return value;
}
