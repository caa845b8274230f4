/**
 * Webhook deliveries: one row per (site, endpoint, delivery key), for idempotency and audit.
 *
 * A delivery key (a notification `id`; for a Series body the value of the site's dedup field, or
 * its SHA-256) is claimed with the unique index of `webhook_deliveries` inside the statement or
 * transaction that does the work, so of 20 concurrent copies exactly one proceeds and the others
 * see a duplicate. If the work fails, the claim rolls back with it, so a retry by Intercom is
 * processed (docs/reliability.md W12).
 */
import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { runInTransaction } from "./prepared-statement.ts";
import { webhookDeliveries } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

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
 * Claims a delivery key inside the caller's transaction. True for the first claim (go ahead),
 * false for a duplicate. Concurrent claims of one key serialise on the unique index (PostgreSQL)
 * or the single connection (PGlite).
 */
export async function claimDelivery(q: Queryable, input: ClaimInput): Promise<boolean> {
	// The same INSERT the one-statement webhook updates and logs embed, so all ways claim alike.
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
	return (await runInTransaction(q, text, values)).length > 0;
}

/** Stores a short note on a claimed delivery (what was skipped and why; never a value). */
export async function noteDelivery(
	q: Queryable,
	key: Pick<ClaimInput, "siteId" | "endpoint" | "deliveryKey">,
	detail: string,
): Promise<void> {
	await q
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
 * The claim as an INSERT for a data-modifying CTE, so a statement can claim and do its work at
 * once (one round trip, atomic without a transaction). A row is claimed for each row of `from` (a
 * FROM list that yields one row when the work can go ahead, none otherwise), so a request that is
 * refused claims nothing. RETURNING yields the row when the claim is won: a new key, or (with
 * `windowSecs`) a key last seen longer ago than the window. Concurrent claims of one key wait on
 * the unique index; the loser sees the winner's row and returns nothing.
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

export function createDeliveryStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/** A delivery by key, or null. */
		async getDelivery(
			siteId: number,
			endpoint: string,
			deliveryKey: string,
		): Promise<WebhookDelivery | null> {
			const [row] = await guard(() =>
				db
					.select()
					.from(webhookDeliveries)
					.where(
						and(
							eq(webhookDeliveries.siteId, siteId),
							eq(webhookDeliveries.endpoint, endpoint),
							eq(webhookDeliveries.deliveryKey, deliveryKey),
						),
					),
			);
			return row ?? null;
		},

		/** The latest deliveries of a site, newest first. */
		async listDeliveries(siteId: number, limit = 100): Promise<WebhookDelivery[]> {
			return guard(() =>
				db
					.select()
					.from(webhookDeliveries)
					.where(eq(webhookDeliveries.siteId, siteId))
					.orderBy(desc(webhookDeliveries.id))
					.limit(limit),
			);
		},
	};
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
