/**
 * Retention (docs/reliability.md P4) on PGlite and PostgreSQL: webhook delivery records and sign-in
 * attempts older than their retention go, in batches; newer ones stay; the limits are checked.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { createJobRunner } from "../../src/jobs/create-job-runner.ts";
import { resolveRetention, sweepRetention } from "../../src/jobs/sweep-retention.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const DAY = 86_400_000;

describe.each([pgliteFactory, postgresFactory])("retention on $kind", (factory) => {
	let store: Store;
	beforeEach(async () => {
		store = await factory.ready();
	});
	afterEach(async () => {
		await store.close();
	});

	const count = async (table: string) =>
		rowsOf<{ n: number }>(
			await storeInternals(store).db.execute(sql`select count(*)::int as n from ${sql.raw(table)}`),
		)[0]?.n ?? -1;
	/** `n` delivery records received `daysAgo` days before NOW. */
	const deliveries = (n: number, daysAgo: number, tag: string) =>
		storeInternals(store).db.execute(sql`
			insert into webhook_deliveries (site_id, endpoint, delivery_key, status, received_at)
			select 1, 'logactivity', ${tag} || i, 'logged', ${new Date(NOW - daysAgo * DAY).toISOString()}::timestamptz
			from generate_series(1, ${n}) as i`);
	const attempts = (n: number, daysAgo: number) =>
		storeInternals(store).db.execute(sql`
			insert into admin_login_attempts (email, ip, success, at)
			select 'a@example.com', '203.0.113.9', false, ${new Date(NOW - daysAgo * DAY).toISOString()}::timestamptz
			from generate_series(1, ${n})`);

	it("deletes what is older than the retention, in batches, and keeps the rest", async () => {
		await deliveries(5003, 31, "old-"); // more than one batch of 5000
		await deliveries(7, 29, "new-");
		await attempts(4, 91);
		await attempts(2, 89);
		const gone = await sweepRetention(store, { ...resolveRetention(), now: () => NOW });
		expect(gone).toEqual({ webhookDeliveries: 5003, loginAttempts: 4 });
		expect(await count("webhook_deliveries")).toBe(7);
		expect(await count("admin_login_attempts")).toBe(2);
		// Nothing more to do the second time.
		expect(await sweepRetention(store, { ...resolveRetention(), now: () => NOW })).toEqual({
			webhookDeliveries: 0,
			loginAttempts: 0,
		});
	});

	it("follows the configured days, also from the job runner", async () => {
		await deliveries(3, 3, "x-");
		await attempts(1, 2);
		const runner = createJobRunner({
			store,
			logger: createLogger({ level: "silent" }),
			retention: { webhookDeliveriesDays: 2, loginAttemptsDays: 1, intervalMinutes: 0 },
			now: () => NOW,
		});
		expect(await runner.sweepRetention()).toEqual({ webhookDeliveries: 3, loginAttempts: 1 });
	});
});

describe("resolveRetention", () => {
	it("refuses retention too short to be safe, naming the option", () => {
		expect(() => resolveRetention({ webhookDeliveriesDays: 1 })).toThrow(ConfigError);
		expect(() => resolveRetention({ webhookDeliveriesDays: 1 })).toThrow(
			/retention.webhookDeliveriesDays.*at least 2/,
		);
		expect(() => resolveRetention({ loginAttemptsDays: 0.5 })).toThrow(/retention.loginAttemptsDays/);
		expect(() => resolveRetention({ loginAttemptsDays: Number.NaN })).toThrow(ConfigError);
		expect(resolveRetention()).toEqual({ webhookDeliveriesDays: 30, loginAttemptsDays: 90 });
	});
});
