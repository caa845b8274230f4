/**
 * Delivery keys of webhook requests (docs/reliability.md W12): a notification `id`; for a Series
 * body the value of the site's dedup field, or its SHA-256. The store claims them in the statement
 * or transaction that does the work (store/delivery-store.ts `claimDelivery`).
 */
import { createHash } from "node:crypto";
import type { BodyFields } from "./body-fields.ts";
import type { WebhookRequest } from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

/** Key of a Series body: its SHA-256 over the raw bytes. */
export function bodyDeliveryKey(bytes: Uint8Array): string {
	return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * How long a key from the site's dedup field counts: longer than delivery records are kept (30
 * days by default, see sweep-retention.ts), so in effect for as long as the record exists.
 */
export const FIELD_KEY_WINDOW_MS = 400 * 24 * 3600 * 1000;

/**
 * The delivery key of a Series request and how long it counts (docs/reliability.md W12): the value of the
 * site's `webhookDedupField` when the body has one (any case of the name), else the SHA-256 of the
 * body within `dedupWindowMs`; null when neither applies (no field value and the window is 0).
 * @throws WebhookHttpError 400 when the field's value is neither a string nor a number.
 */
export function seriesDeliveryKey(
	request: Pick<WebhookRequest, "bytes" | "settings">,
	fields: BodyFields,
	dedupWindowMs: number,
): { deliveryKey: string; windowMs: number } | null {
	const name = request.settings.webhookDedupField;
	const value = name ? fields.get(name) : undefined;
	if (name && value !== undefined && value !== null) {
		if (typeof value !== "string" && typeof value !== "number") {
			throw new WebhookHttpError(
				400,
				"VALIDATION_FAILED",
				`${name} (this site's dedup field) must be a string or a number.`,
			);
		}
		const text = String(value).trim();
		if (text !== "") {
			// Hashed: any length fits the key column, and no value is kept in the delivery record.
			const digest = createHash("sha256").update(`${name.toLowerCase()}\u0000${text}`).digest("hex");
			return { deliveryKey: `field:${digest}`, windowMs: FIELD_KEY_WINDOW_MS };
		}
	}
	return dedupWindowMs > 0 ? { deliveryKey: bodyDeliveryKey(request.bytes), windowMs: dedupWindowMs } : null;
}
