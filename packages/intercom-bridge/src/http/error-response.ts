/**
 * The one place where a thrown error becomes an HTTP answer, for every part that answers requests:
 * the bridge's live-site routes and webhooks (JSON `{ "error": { "code", "message" } }`) and the
 * console (an HTML page). The status, code and message are decided here once; the caller only
 * chooses the format. Never a stack trace: anything unexpected is logged and answered 500; a lost
 * or busy database, and a credential the secret key cannot decrypt, are 503 with `Retry-After`.
 *
 * @example
 * app.onError((err, c) => errorToResponse(err, { as: "json", logger, context: { path: c.req.path } }));
 */
import { HTTPException } from "hono/http-exception";
import { IntercomBridgeError, publicMessage, RateLimitedError, StoreUnavailableError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { sqlState } from "../store/db-errors.ts";

/** Seconds a client (Intercom, a browser) is told to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** What an error is answered with, whatever the format. */
export interface ErrorAnswer {
	status: number;
	code: string;
	/** Safe to show: says what is wrong and what to do, never internals. */
	message: string;
	headers: Record<string, string>;
}

/** How {@link errorToResponse} writes the answer: JSON for APIs, or an HTML page (the console's). */
export type ErrorFormat =
	| { as: "json" }
	| { as: "html"; page: (answer: ErrorAnswer) => string | Promise<string> };

/** What {@link errorToResponse} needs besides the error. */
export type ErrorToResponseOptions = ErrorFormat & {
	logger: Logger;
	/** Fields for the log line (path, endpoint), so the operator can tell where it happened. */
	context?: Record<string, unknown>;
	/** Prefix of the log message, e.g. "webhook". Default "request". */
	label?: string;
};

const retry = { "Retry-After": String(RETRY_AFTER_SECONDS) };

/**
 * The status, code and message for `err`, logging what the operator must see. Driver errors of
 * SQLSTATE class 40 (serialization failure, deadlock) mean "try again": 503. Class 22 (a value the
 * database refuses, e.g. a NUL character) is the sender's fault: 400.
 */
export function errorAnswer(
	err: unknown,
	logger: Logger,
	context: Record<string, unknown> = {},
	label = "request",
): ErrorAnswer {
	if (err instanceof HTTPException) {
		const status = err.status;
		if (status >= 500) return internal(err, logger, context, label);
		return {
			status,
			code: status === 404 ? "NOT_FOUND" : status === 403 ? "FORBIDDEN" : "BAD_REQUEST",
			message: err.message,
			headers: {},
		};
	}
	if (err instanceof StoreUnavailableError) {
		logger.warn(context, `${label}: database unavailable, answered 503`);
		return { status: 503, code: err.code, message: publicMessage(err), headers: { ...retry } };
	}
	if (err instanceof IntercomBridgeError && err.code === "SECRET_KEY_MISMATCH") {
		logger.warn(context, `${label}: a site credential cannot be decrypted with the secret key, answered 503`);
		return { status: 503, code: err.code, message: publicMessage(err), headers: { ...retry } };
	}
	if (err instanceof IntercomBridgeError && err.status < 500) {
		const headers: Record<string, string> =
			err instanceof RateLimitedError ? { "Retry-After": String(err.retryAfterSeconds) } : {};
		return { status: err.status, code: err.code, message: publicMessage(err), headers };
	}
	const state = sqlState(err);
	if (state?.startsWith("40")) {
		logger.warn({ ...context, sqlState: state }, `${label}: database busy, answered 503`);
		return {
			status: 503,
			code: "STORE_UNAVAILABLE",
			message: "The database is busy; nothing was written. Retry later.",
			headers: { ...retry },
		};
	}
	if (state?.startsWith("22")) {
		return {
			status: 400,
			code: "VALIDATION_FAILED",
			message: "A value in the body cannot be stored (e.g. a NUL character).",
			headers: {},
		};
	}
	return internal(err, logger, context, label);
}

function internal(
	err: unknown,
	logger: Logger,
	context: Record<string, unknown>,
	label: string,
): ErrorAnswer {
	const name = err instanceof Error ? err.name : typeof err;
	const message = err instanceof Error ? err.message : String(err);
	logger.error({ ...context, err: { name, message, sqlState: sqlState(err) } }, `${label}: unexpected error`);
	return { status: 500, code: "INTERNAL", message: "Internal error; see the server log.", headers: {} };
}

/** The JSON body of an error answer: `{ "error": { "code", "message" } }`. */
export const errorBody = (code: string, message: string): string =>
	JSON.stringify({ error: { code, message } });

/** A JSON error response (`Cache-Control: no-store`: an error is about this request only). */
export function jsonErrorResponse(
	status: number,
	code: string,
	message: string,
	headers?: HeadersInit,
): Response {
	const response = new Response(errorBody(code, message), { status, headers });
	response.headers.set("Content-Type", "application/json");
	response.headers.set("Cache-Control", "no-store");
	return response;
}

/** Turns anything thrown while handling a request into its response, in the format asked for. */
export async function errorToResponse(err: unknown, options: ErrorToResponseOptions): Promise<Response> {
	const answer = errorAnswer(err, options.logger, options.context, options.label);
	if (options.as === "json")
		return jsonErrorResponse(answer.status, answer.code, answer.message, answer.headers);
	const response = new Response(String(await options.page(answer)), {
		status: answer.status,
		headers: answer.headers,
	});
	response.headers.set("Content-Type", "text/html; charset=UTF-8");
	response.headers.set("Cache-Control", "no-store");
	return response;
}
