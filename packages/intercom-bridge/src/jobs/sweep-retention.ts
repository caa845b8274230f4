/**
 * Retention (docs/reliability.md P4): rows that only ever grow are deleted once they are old enough to
 * serve no purpose, in batches so no statement holds locks for long.
 *
 * - `webhook_deliveries`: one row per webhook, for deduplication and the operator's trail. A
 *   notification id only matters while a redelivery would still be accepted (`notificationMaxAgeMs`,
 *   24 h by default) and a Series body hash for its dedup window (60 s), so 30 days is generous.
 * - `admin_login_attempts`: the sign-in audit trail and the throttle's memory (1 hour); kept 90 days.
 */
import { sql } from "drizzle-orm";
import { ConfigError } from "../errors.ts";
import type { Store } from "../store/create-store.ts";
import { rowsOf } from "../store/database.ts";
import { storeInternals } from "../store/store-internals.ts";

export interface RetentionOptions {
	/** Days webhook delivery records are kept. Default 30; at least 2 (longer than a notification stays acceptable). */
	webhookDeliveriesDays?: number;
	/** Days sign-in attempts are kept. Default 90; at least 1 (the throttle looks back an hour). */
	loginAttemptsDays?: number;
}

/** Rows deleted by one sweep, per table. */
export interface RetentionSweep {
	webhookDeliveries: number;
	loginAttempts: number;
}

/** Rows deleted per statement. */
const BATCH = 5000;
const DAY_MS = 86_400_000;

/** {@link RetentionOptions} checked, with defaults. @throws ConfigError naming the option. */
export function resolveRetention(options: RetentionOptions = {}): Required<RetentionOptions> {
	const days = (name: keyof RetentionOptions, fallback: number, min: number) => {
		const value = options[name] ?? fallback;
		if (!(Number.isFinite(value) && value >= min)) {
			throw new ConfigError(`retention.${name} must be a number of days, at least ${min} (got ${value}).`);
		}
		return value;
	};
	return {
		webhookDeliveriesDays: days("webhookDeliveriesDays", 30, 2),
		loginAttemptsDays: days("loginAttemptsDays", 90, 1),
	};
}

/** Deletes what is older than the retention allows; returns how many rows went. */
export async function sweepRetention(
	store: Store,
	options: Required<RetentionOptions> & { now: () => number },
): Promise<RetentionSweep> {
	const purge = async (table: string, column: string, days: number) => {
		const before = new Date(options.now() - days * DAY_MS).toISOString();
		let total = 0;
		for (;;) {
			const rows = rowsOf<{ n: number }>(
				await storeInternals(store).db.execute(sql`
					with gone as (
						delete from ${sql.raw(table)} where ctid in (
							select ctid from ${sql.raw(table)} where ${sql.raw(column)} < ${before}::timestamptz limit ${BATCH}
						) returning 1
					)
					select count(*)::int as n from gone`),
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
}
