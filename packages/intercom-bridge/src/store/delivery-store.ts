/** Webhook deliveries: one row per (site, endpoint, delivery key), for idempotency and audit. */
import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { webhookDeliveries } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/**
 * Claims a delivery key inside the caller's transaction. Returns true for the first claim and
 * false when the key was seen before (a duplicate), even under concurrent claims: the unique
 * index decides.
 */
export async function claimDelivery(
	q: Queryable,
	input: {
		siteId: number;
		endpoint: string;
		deliveryKey: string;
		status: string;
		responseStatus?: number;
		detail?: string;
	},
): Promise<boolean> {
	const rows = await q
		.insert(webhookDeliveries)
		.values(input)
		.onConflictDoNothing({
			target: [webhookDeliveries.siteId, webhookDeliveries.endpoint, webhookDeliveries.deliveryKey],
		})
		.returning({ id: webhookDeliveries.id });
	return rows.length > 0;
}

export function createDeliveryStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/** Records a delivery unless its key was seen; true when it is new. See {@link claimDelivery}. */
		recordDelivery: (input: Parameters<typeof claimDelivery>[1]) => guard(() => claimDelivery(db, input)),

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
