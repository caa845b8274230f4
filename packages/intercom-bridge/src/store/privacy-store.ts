/**
 * Erasure (docs/reliability.md P3) and retention (P4) in the store: the contact's rows and
 * tombstones in one transaction, and the batched deletion of records that only grow.
 */
import { eq, sql } from "drizzle-orm";
import { NotFoundError } from "../errors.ts";
import { isGuid, mergedGuids } from "./contact-store.ts";
import { rowsOf, type Tx } from "./database.ts";
import { guidHash } from "./guid-hash.ts";
import { erasedContacts } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** Rows deleted by one retention sweep, per table. */
export interface RetentionSweep {
	webhookDeliveries: number;
	loginAttempts: number;
}

/** What an erasure removed, handed to the caller's work inside the same transaction. */
export interface ErasedContact {
	/** The GUIDs erased: the contact's and those merged into it. */
	guids: string[];
	/** Activities deleted with it. */
	activities: number;
}

/** Rows deleted per retention statement, so no statement holds locks for long. */
const BATCH = 5000;
const DAY_MS = 86_400_000;

export function createPrivacyStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/** True when `guid` belonged to an erased contact. */
		async isContactErased(guid: string): Promise<boolean> {
			if (!isGuid(guid)) return false;
			const rows = await guard(() =>
				db
					.select({ h: erasedContacts.guidHash })
					.from(erasedContacts)
					.where(eq(erasedContacts.guidHash, guidHash(guid))),
			);
			return rows.length > 0;
		},

		/**
		 * Erases a contact found by its GUID or a GUID merged into it, in one transaction: locks it
		 * (a webhook or merge under way finishes first, or waits and finds nothing), deletes it with
		 * its activities, consent history and merge records (on delete cascade), keeps a tombstone per
		 * GUID (its SHA-256 only), and runs `inTransaction` (the jobs' part) before committing.
		 * @throws NotFoundError for an unknown GUID (also one erased before).
		 * @throws StoreUnavailableError when the database is unreachable (nothing is half-done).
		 */
		async eraseContact<T>(
			guid: string,
			inTransaction: (tx: Tx, erased: ErasedContact) => Promise<T>,
		): Promise<ErasedContact & { result: T }> {
			const asked = guid.toLowerCase();
			return guard(() =>
				db.transaction(async (tx) => {
					const [found] = rowsOf<{ guid: string }>(
						await tx.execute(sql`
						select guid::text as guid from contacts where guid = ${asked}::uuid
						union all
						select into_guid::text from contact_merges where old_guid = ${asked}::uuid
						limit 1`),
					);
					if (!found) throw new NotFoundError(`Contact ${asked} not found.`);
					await tx.execute(sql`select 1 from contacts where guid = ${found.guid}::uuid for update`);
					const guids = [found.guid, ...(await mergedGuids(tx, found.guid))];
					const [counted] = rowsOf<{ n: number }>(
						await tx.execute(
							sql`select count(*)::int as n from activities where contact_guid = ${found.guid}::uuid`,
						),
					);
					await tx.execute(sql`delete from contacts where guid = ${found.guid}::uuid`);
					await tx
						.insert(erasedContacts)
						.values(guids.map((g) => ({ guidHash: guidHash(g) })))
						.onConflictDoNothing();
					const erased = { guids, activities: counted?.n ?? 0 };
					return { ...erased, result: await inTransaction(tx, erased) };
				}),
			);
		},

		/**
		 * Deletes webhook deliveries and sign-in attempts older than their retention (days before
		 * `now`), in batches. @returns how many rows went, per table.
		 */
		async sweepRetention(options: {
			webhookDeliveriesDays: number;
			loginAttemptsDays: number;
			now: number;
		}): Promise<RetentionSweep> {
			const purge = async (table: string, column: string, days: number) => {
				const before = new Date(options.now - days * DAY_MS).toISOString();
				let total = 0;
				for (;;) {
					const rows = rowsOf<{ n: number }>(
						await guard(() =>
							db.execute(sql`
							with gone as (
								delete from ${sql.raw(table)} where ctid in (
									select ctid from ${sql.raw(table)} where ${sql.raw(column)} < ${before}::timestamptz limit ${BATCH}
								) returning 1
							)
							select count(*)::int as n from gone`),
						),
					);
					const n = rows[0]?.n ?? 0;
					total += n;
					if (n < BATCH) return total;
				}
			};
			return {
				webhookDeliveries: await purge("webhook_deliveries", "received_at", options.webhookDeliveriesDays),
				loginAttempts: await purge("admin_login_attempts", "at", options.loginAttemptsDays),
			};
		},
	};
}

export type PrivacyStore = ReturnType<typeof createPrivacyStore>;
