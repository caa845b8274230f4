/**
 * Turns driver errors into our error hierarchy: a broken connection becomes
 * StoreUnavailableError (HTTP 503, so senders retry), a unique violation a ConflictError.
 */
import { ConflictError, IntercomBridgeError, StoreUnavailableError } from "../errors.ts";

/** SQLSTATE classes and Node socket codes that mean "the database is not there right now". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-4]|58)/;
const UNAVAILABLE_NODE_CODES = new Set([
	"ECONNREFUSED",
	"ECONNRESET",
	"ETIMEDOUT",
	"EPIPE",
	"ENOTFOUND",
	"EAI_AGAIN",
	"EHOSTUNREACH",
]);

function findCode(err: unknown): string | undefined {
	let current: unknown = err;
	for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === "string") return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function messageOf(err: unknown): string {
	let current: unknown = err;
	let text = "";
	for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
		text = current.message;
		current = current.cause;
	}
	return text;
}

/** True when `err` is a PostgreSQL unique violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
	return findCode(err) === "23505";
}

/**
 * Maps an unknown error from a query to an IntercomBridgeError where one fits; returns other errors
 * unchanged. `conflictMessage` is used for unique violations.
 */
export function translateDbError(err: unknown, conflictMessage?: string): unknown {
	if (err instanceof IntercomBridgeError) return err;
	const code = findCode(err);
	if (code === "23505" && conflictMessage) return new ConflictError(conflictMessage);
	const message = messageOf(err);
	if (
		(code && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) ||
		/Connection terminated|connection is closed|PGlite is closed|Client was closed|Cannot use a pool after calling end|not queryable/i.test(
			message,
		)
	) {
		return new StoreUnavailableError(
			"The database is unavailable; nothing was written. Retry later, and check DATABASE_URL or the data directory.",
			{ cause: err },
		);
	}
	return err;
}
