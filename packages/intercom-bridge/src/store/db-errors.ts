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

// Five digits or capitals with at least one digit: not a Node socket code such as EPIPE.
const SQLSTATE = /^(?=.*[0-9])[0-9A-Z]{5}$/;

/**
 * The first `code` on the error or its `cause` chain (a few levels) that `accept` takes: drivers
 * and pools wrap the error that carries the SQLSTATE or the socket code.
 */
function codeOn(err: unknown, accept: (code: string) => boolean): string | undefined {
	let current: unknown = err;
	for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === "string" && accept(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * The SQLSTATE of a driver error (`23505`, `40001`, ...), searching `cause` a few levels; undefined
 * when there is none. The one reader of SQLSTATE codes: the error answers (http/error-response.ts)
 * and {@link translateDbError} both use it.
 */
export const sqlState = (err: unknown): string | undefined => codeOn(err, (code) => SQLSTATE.test(code));

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
	return sqlState(err) === "23505";
}

/**
 * Maps an unknown error from a query to an IntercomBridgeError where one fits; returns other errors
 * unchanged. `conflictMessage` is used for unique violations.
 */
export function translateDbError(err: unknown, conflictMessage?: string): unknown {
	if (err instanceof IntercomBridgeError) return err;
	const state = sqlState(err);
	if (state === "23505" && conflictMessage) return new ConflictError(conflictMessage);
	const message = messageOf(err);
	if (
		(state && UNAVAILABLE_SQLSTATE.test(state)) ||
		codeOn(err, (code) => UNAVAILABLE_NODE_CODES.has(code)) ||
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
