import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import type { WebhookDayCount } from "../store/overview-store.ts";
import { createWebhookDayTally } from "./webhook-day-tally.ts";

const DAY1 = Date.parse("2026-12-01T23:59:59Z");
const DAY2 = Date.parse("2026-12-02T00:00:01Z");

function fakeStore() {
	const writes: WebhookDayCount[][] = [];
	let failing = false;
	return {
		writes,
		fail(on: boolean) {
			failing = on;
		},
		async addWebhookDayCounts(rows: readonly WebhookDayCount[]) {
			if (failing) throw new Error("database unavailable");
			writes.push([...rows]);
		},
	};
}

describe("webhook day tally", () => {
	it("sums outcomes per site and UTC day and writes them in one call", async () => {
		const store = fakeStore();
		const clock = { now: DAY1 };
		const tally = createWebhookDayTally({
			store,
			logger: createLogger({ level: "silent" }),
			now: () => clock.now,
		});
		tally.count(1, "accepted");
		tally.count(1, "accepted");
		tally.count(1, "duplicates");
		tally.count(2, "refused");
		clock.now = DAY2;
		tally.count(1, "refused");
		await tally.flush();
		expect(store.writes).toHaveLength(1);
		expect(store.writes[0]).toEqual([
			{ siteId: 1, day: "2026-12-01", accepted: 2, duplicates: 1, refused: 0 },
			{ siteId: 2, day: "2026-12-01", accepted: 0, duplicates: 0, refused: 1 },
			{ siteId: 1, day: "2026-12-02", accepted: 0, duplicates: 0, refused: 1 },
		]);
		// Written counts are gone from memory: nothing is written twice.
		await tally.flush();
		expect(store.writes).toHaveLength(1);
	});

	it("keeps the counts of a failed write for the next one", async () => {
		const store = fakeStore();
		const tally = createWebhookDayTally({
			store,
			logger: createLogger({ level: "silent" }),
			now: () => DAY1,
		});
		tally.count(3, "accepted");
		store.fail(true);
		await tally.flush();
		expect(store.writes).toHaveLength(0);
		tally.count(3, "accepted");
		store.fail(false);
		await tally.flush();
		expect(store.writes).toEqual([
			[{ siteId: 3, day: "2026-12-01", accepted: 2, duplicates: 0, refused: 0 }],
		]);
	});

	it("writes by itself a moment after the first count", async () => {
		const store = fakeStore();
		const tally = createWebhookDayTally({
			store,
			logger: createLogger({ level: "silent" }),
			now: () => DAY1,
			flushMs: 10,
		});
		tally.count(1, "accepted");
		await expect.poll(() => store.writes.length, { timeout: 10_000 }).toBe(1);
	});
});
