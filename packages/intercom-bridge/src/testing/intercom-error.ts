/**
 * Intercom's error envelope (`error` schema): `{type:"error.list", request_id, errors:[{code, message}]}`.
 */
import { randomUUID } from "node:crypto";

/** An error the route handlers throw; the app turns it into an `error.list` response. */
export class IntercomHttpError extends Error {
	readonly status: number;
	readonly errorCode: string;
	readonly headers: Record<string, string>;

	constructor(status: number, errorCode: string, message: string, headers: Record<string, string> = {}) {
		super(message);
		this.name = "IntercomHttpError";
		this.status = status;
		this.errorCode = errorCode;
		this.headers = headers;
	}
}

/** The JSON body of an Intercom error. */
export function errorBody(
	code: string,
	message: string,
): {
	type: "error.list";
	request_id: string;
	errors: { code: string; message: string }[];
} {
	return { type: "error.list", request_id: randomUUID(), errors: [{ code, message }] };
}

/** An `error.list` response. */
export function errorResponse(
	status: number,
	code: string,
	message: string,
	headers: Record<string, string> = {},
): Response {
	return Response.json(errorBody(code, message), { status, headers });
}

/** The 404 every unknown id gets. */
export const notFound = (): IntercomHttpError =>
	new IntercomHttpError(404, "not_found", "Resource Not Found");

/** A 400 for a body or query the emulator refuses. */
export const badRequest = (message: string, code = "bad_request"): IntercomHttpError =>
	new IntercomHttpError(400, code, message);
