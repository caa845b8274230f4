/**
 * Idempotency of webhook deliveries, inside the transaction that does the work: a delivery key
 * (a notification `id`; for a Series body the value of the site's dedup field, or its SHA-256) is claimed with the unique index of
 * `webhook_deliveries`, so of 20 concurrent copies exactly one proceeds and the others see a
 * duplicate. If the work fails, the transaction rolls back and the claim with it, so a retry by
 * Intercom is processed (docs/reliability.md W12).
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import { runInTransaction } from "../store/prepared-statement.ts";
import { webhookDeliveries } from "../store/schema.ts";
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

export interface ClaimInput {
	siteId: number;
	/** `updatecontact`, `logactivity` or `webhooks`. */
	endpoint: string;
	deliveryKey: string;
	/** Short outcome for the audit row, e.g. `updated`. */
	status: string;
	/**
	 * A key seen longer ago than this (ms) counts as new again and is re-claimed; omit for keys that
	 * are unique for ever (notification ids).
	 */
	windowMs?: number;
}

/**
 * Claims a delivery key. True for the first claim (go ahead), false for a duplicate.
 * Concurrent claims of one key serialise on the unique index (PostgreSQL) or the single
 * connection (PGlite).
 */
export async function claimWebhookDelivery(tx: Tx, input: ClaimInput): Promise<boolean> {
	// The same INSERT the one-statement handlers embed, so both ways claim alike.
	const text = claimDeliveryText({
		from: "(select 1) as go",
		siteId: "$1::int",
		endpoint: "$2::text",
		deliveryKey: "$3::text",
		status: "$4::text",
		detail: "null::text",
		windowSecs: input.windowMs === undefined ? undefined : "$5::float8",
	});
	const values = [input.siteId, input.endpoint, input.deliveryKey, input.status];
	if (input.windowMs !== undefined) values.push(input.windowMs / 1000);
	return (await runInTransaction(tx, text, values)).length > 0;
}

/** Stores a short note on a claimed delivery (what was skipped and why; never a value). */
export async function noteWebhookDelivery(
	tx: Tx,
	key: Pick<ClaimInput, "siteId" | "endpoint" | "deliveryKey">,
	detail: string,
): Promise<void> {
	await tx
		.update(webhookDeliveries)
		.set({ detail })
		.where(
			and(
				eq(webhookDeliveries.siteId, key.siteId),
				eq(webhookDeliveries.endpoint, key.endpoint),
				eq(webhookDeliveries.deliveryKey, key.deliveryKey),
			),
		);
}

/**
 * The claim as an INSERT for a data-modifying CTE, so a handler can claim and do its work in one
 * statement (one round trip, atomic without a transaction). A row is claimed for each row of
 * `from` (a FROM list that yields one row when the work can go ahead, none otherwise), so a
 * request that is refused claims nothing. RETURNING yields the row when the claim is won: a new
 * key, or (with `windowSecs`) a key last seen longer ago than the window. Concurrent claims of one
 * key wait on the unique index; the loser sees the winner's row and returns nothing.
 * Values are SQL expressions, typically parameters such as `$3::int`.
 */
export function claimDeliveryText(input: {
	from: string;
	siteId: string;
	endpoint: string;
	deliveryKey: string;
	status: string;
	detail: string;
	windowSecs?: string;
	/** A condition on the rows of `from`. */
	where?: string;
	/** What to return of a won claim. Default `id`. */
	returning?: string;
}): string {
	const onConflict =
		input.windowSecs === undefined
			? "do nothing"
			: `do update set received_at = now(), status = excluded.status, detail = excluded.detail
				where webhook_deliveries.received_at < now() - make_interval(secs => ${input.windowSecs})`;
	return `insert into webhook_deliveries (site_id, endpoint, delivery_key, status, response_status, detail)
		select ${input.siteId}, ${input.endpoint}, ${input.deliveryKey}, ${input.status}, 200, ${input.detail}
		from ${input.from}${input.where ? ` where ${input.where}` : ""}
		on conflict (site_id, endpoint, delivery_key) ${onConflict}
		returning ${input.returning ?? "id"}`;
}
