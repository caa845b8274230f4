/**
 * Errors of the webhook endpoints and how they become responses: `{ "error": { "code", "message" } }`
 * with the status of the error, never a stack trace. Anything unexpected is logged and answered
 * 500; a lost database, or a credential the secret key cannot decrypt, is answered 503 with
 * `Retry-After` so Intercom retries.
 */
import { type ErrorCode, IntercomBridgeError, publicMessage, StoreUnavailableError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/** An error answered with a given status (the reference's 4xx messages, 401, 413, 415). */
export class WebhookHttpError extends IntercomBridgeError {
	constructor(status: number, code: ErrorCode, message: string) {
		super(code, message);
		this.name = "WebhookHttpError";
		// ERROR_CODES fixes one status per code; hooks may answer 403/409/422 with VALIDATION_FAILED.
		(this as { status: number }).status = status;
	}
}

/** Seconds Intercom is told to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** SQLSTATE of a driver error, if any (searching `cause` a few levels). */
function sqlState(err: unknown): string | undefined {
	let current: unknown = err;
	for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** JSON error response. */
export function errorResponse(
	status: number,
	code: string,
	message: string,
	headers?: HeadersInit,
): Response {
	const response = Response.json({ error: { code, message } }, { status, headers });
	response.headers.set("Cache-Control", "no-store");
	return response;
}

/**
 * Turns anything thrown while handling a webhook into a response. Driver errors of class 40
 * (serialization failure, deadlock) and 08/57 (connection) mean "try again": 503. Class 22 (a value
 * the database refuses, e.g. a NUL character) is the sender's fault: 400.
 */
export function toErrorResponse(err: unknown, logger: Logger, endpoint: string): Response {
	if (err instanceof StoreUnavailableError) {
		logger.warn({ endpoint }, "webhook: database unavailable, answered 503");
		return errorResponse(503, err.code, publicMessage(err), { "Retry-After": String(RETRY_AFTER_SECONDS) });
	}
	if (err instanceof IntercomBridgeError && err.code === "SECRET_KEY_MISMATCH") {
		logger.warn(
			{ endpoint },
			"webhook: a site credential cannot be decrypted with the secret key, answered 503",
		);
		return errorResponse(503, err.code, publicMessage(err), { "Retry-After": String(RETRY_AFTER_SECONDS) });
	}
	if (err instanceof IntercomBridgeError && err.status < 500) {
		return errorResponse(err.status, err.code, publicMessage(err));
	}
	const state = sqlState(err);
	if (state?.startsWith("40")) {
		return errorResponse(
			503,
			"STORE_UNAVAILABLE",
			"The database is busy; nothing was written. Retry later.",
			{
				"Retry-After": String(RETRY_AFTER_SECONDS),
			},
		);
	}
	if (state?.startsWith("22")) {
		return errorResponse(
			400,
			"VALIDATION_FAILED",
			"A value in the body cannot be stored (e.g. a NUL character).",
		);
	}
	const name = err instanceof Error ? err.name : typeof err;
	const message = err instanceof Error ? err.message : String(err);
	logger.error({ endpoint, err: { name, message, sqlState: state } }, "webhook: unexpected error");
	return errorResponse(500, "INTERNAL", "Internal error; see the server log.");
}
