/**
 * Retention (docs/reliability.md P4): rows that only ever grow are deleted once they are old enough to
 * serve no purpose, in batches so no statement holds locks for long.
 *
 * - `webhook_deliveries`: one row per webhook, for deduplication and the operator's trail. A
 *   notification id only matters while a redelivery would still be accepted (`notificationMaxAgeMs`,
 *   24 h by default) and a Series body hash for its dedup window (60 s), so 30 days is generous.
 * - `admin_login_attempts`: the sign-in audit trail and the throttle's memory (1 hour); kept 90 days.
 */
import { ConfigError } from "../errors.ts";
import type { Store } from "../store/create-store.ts";
import type { RetentionSweep } from "../store/privacy-store.ts";

export type { RetentionSweep };

export interface RetentionOptions {
	/** Days webhook delivery records are kept. Default 30; at least 2 (longer than a notification stays acceptable). */
	webhookDeliveriesDays?: number;
	/** Days sign-in attempts are kept. Default 90; at least 1 (the throttle looks back an hour). */
	loginAttemptsDays?: number;
}

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

/** Deletes what is older than the retention allows (in batches); returns how many rows went. */
export function sweepRetention(
	store: Pick<Store, "sweepRetention">,
	options: Required<RetentionOptions> & { now: () => number },
): Promise<RetentionSweep> {
	return store.sweepRetention({
		webhookDeliveriesDays: options.webhookDeliveriesDays,
		loginAttemptsDays: options.loginAttemptsDays,
		now: options.now(),
	});
}
