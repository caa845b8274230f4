/**
 * Turns an Intercom error answer into an {@link IntercomApiError}, or an {@link IntercomAuthError}
 * when the token was refused, so callers can tell "reconnect" apart from everything else.
 */
import { IntercomApiError, IntercomAuthError } from "../errors.ts";

/** What we read out of an `error.list` body; every part may be missing on a non-Intercom answer (a proxy's 502 page). */
export interface ParsedErrorList {
	code: string | undefined;
	message: string | undefined;
	requestId: string | undefined;
}

/** Reads Intercom's `{type:"error.list", request_id, errors:[{code, message}]}`, tolerating anything else. */
export function parseErrorList(body: unknown): ParsedErrorList {
	const result: ParsedErrorList = { code: undefined, message: undefined, requestId: undefined };
	if (typeof body !== "object" || body === null) return result;
	const record = body as Record<string, unknown>;
	if (typeof record.request_id === "string") result.requestId = record.request_id;
	const first: unknown = Array.isArray(record.errors) ? record.errors[0] : undefined;
	if (typeof first === "object" && first !== null) {
		const item = first as Record<string, unknown>;
		if (typeof item.code === "string") result.code = item.code;
		if (typeof item.message === "string") result.message = item.message;
	}
	return result;
}

/** A 401, or any `token_*` / `missing_authorization` code: the token is revoked, unknown or missing. */
export function isAuthFailure(status: number, code: string | undefined): boolean {
	return status === 401 || code === "missing_authorization" || (code?.startsWith("token_") ?? false);
}

/**
 * Builds the error for a non-2xx answer. `operation` is the method and path template (e.g.
 * `GET /contacts/{contact_id}`): no ids, no personal data, never the token.
 *
 * @example throw toIntercomError("GET /me", response, errorBody);
 */
export function toIntercomError(operation: string, response: Response, body: unknown): IntercomApiError {
	const parsed = parseErrorList(body);
	const requestId = parsed.requestId ?? response.headers.get("x-request-id") ?? undefined;
	const what =
		parsed.message ?? (typeof body === "string" ? "(the answer is not JSON)" : response.statusText);
	const details = {
		httpStatus: response.status,
		intercomCode: parsed.code,
		requestId,
		body,
	};
	const tail = requestId ? ` (request id ${requestId})` : "";
	const head = `Intercom ${operation} answered ${response.status}${parsed.code ? ` ${parsed.code}` : ""}: ${what || "no message"}`;
	if (isAuthFailure(response.status, parsed.code)) {
		return new IntercomAuthError(
			`${head}${tail}. The access token was refused (revoked or invalid): reconnect the site to Intercom.`,
			details,
		);
	}
	return new IntercomApiError(`${head}${tail}`, details);
}
