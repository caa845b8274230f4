/**
 * The error the webhook endpoints throw to answer with a given status. It becomes a response in
 * http/error-response.ts, like every other error: `{ "error": { "code", "message" } }`.
 */
import { type ErrorCode, IntercomBridgeError } from "../errors.ts";

/** An error answered with a given status (the reference's 4xx messages, 401, 413, 415). */
export class WebhookHttpError extends IntercomBridgeError {
	constructor(status: number, code: ErrorCode, message: string) {
		super(code, message);
		this.name = "WebhookHttpError";
		// ERROR_CODES fixes one status per code; hooks may answer 403/409/422 with VALIDATION_FAILED.
		(this as { status: number }).status = status;
	}
}
