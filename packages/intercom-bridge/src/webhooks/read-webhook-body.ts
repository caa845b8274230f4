/**
 * Reads a webhook's body as raw bytes, within a size limit, before anything else looks at it: the
 * signature is computed over exactly these bytes (docs/reliability.md W1, W7, W8).
 */
import { BODY_INCOMPLETE_MESSAGE } from "../http/answer-client-error.ts";
import { isRequestBodyIncomplete, knownRequestBody } from "../http/known-body.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

/** Default largest body: 64 KiB (Standard Webhooks recommends payloads under 20 kB). */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export interface WebhookBody {
	/** The bytes as received. */
	bytes: Uint8Array;
	/** The bytes decoded as UTF-8 (validated). */
	text: string;
}

/**
 * True for `application/json` with any parameters (`; charset=utf-8`), in any case.
 */
export function isJsonContentType(header: string | null): boolean {
	if (!header) return false;
	const type = header.split(";", 1)[0]?.trim().toLowerCase();
	return type === "application/json";
}

/** A body cut short by the client (it closed or reset the connection): its fault, never a 500. */
export const bodyIncomplete = () => new WebhookHttpError(400, "BODY_INCOMPLETE", BODY_INCOMPLETE_MESSAGE);

const tooLarge = (limit: number) =>
	new WebhookHttpError(413, "PAYLOAD_TOO_LARGE", `Request body is larger than ${limit} bytes.`);

/**
 * Checks the content type and reads the body, stopping as soon as it passes `limit` bytes.
 * @throws WebhookHttpError 415 (not JSON), 413 (too large), 400 (length mismatch, not UTF-8),
 *   400 BODY_INCOMPLETE (the client closed the connection mid-body).
 */
export async function readWebhookBody(
	request: Request,
	limit = DEFAULT_BODY_LIMIT_BYTES,
): Promise<WebhookBody> {
	if (!isJsonContentType(request.headers.get("content-type"))) {
		throw new WebhookHttpError(
			415,
			"UNSUPPORTED_MEDIA_TYPE",
			"Content-Type must be application/json (send the body as JSON).",
		);
	}
	const declared = request.headers.get("content-length");
	const declaredLength = declared !== null && /^\d+$/.test(declared.trim()) ? Number(declared) : null;
	if (declaredLength !== null && declaredLength > limit) throw tooLarge(limit);

	const known = knownRequestBody(request);
	if (known && known.byteLength > limit) throw tooLarge(limit);
	if (known && isRequestBodyIncomplete(request)) throw bodyIncomplete();
	const chunks: Uint8Array[] = known ? [known] : [];
	let total = known?.byteLength ?? 0;
	if (!known && request.body) {
		const reader = request.body.getReader();
		for (;;) {
			let next: ReadableStreamReadResult<Uint8Array>;
			try {
				next = await reader.read();
			} catch {
				// The stream of a request fails only when its connection does: the client went away.
				throw bodyIncomplete();
			}
			const { done, value } = next;
			if (done) break;
			total += value.byteLength;
			if (total > limit) {
				// Stop reading: the rest of a huge body is never buffered.
				await reader.cancel().catch(() => {});
				throw tooLarge(limit);
			}
			chunks.push(value);
		}
	}
	if (declaredLength !== null && declaredLength !== total) {
		throw new WebhookHttpError(
			400,
			"VALIDATION_FAILED",
			`Content-Length says ${declaredLength} bytes but the body has ${total}.`,
		);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	let text: string;
	try {
		text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
	} catch {
		throw new WebhookHttpError(400, "VALIDATION_FAILED", "Request body is not valid UTF-8.");
	}
	return { bytes, text };
}
