/**
 * The backfill of a site (decision 0031) on PGlite and PostgreSQL against the Intercom emulator:
 * N named contacts make exactly N people in Intercom; a second run creates nothing new; anonymous
 * contacts are never sent; the data policy `never` sends nothing; a run stopped by its signal is
 * `paused` and the next start finishes it from the cursor without duplicates.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { runBackfill } from "../../src/sync/run-backfill.ts";
import type { IntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { emulatorSite, syncingSite as syncingSiteOf } from "../harness/emulator-site.ts";

const N = 40;

describe.each([pgliteFactory, postgresFactory])("backfill on $kind", (factory) => {
	let emulator: IntercomEmulator;
	let store: Store;
	const logger = createLogger({ level: "silent" });
	const syncingSite = (settings: Record<string, string> = {}) => syncingSiteOf(store, settings);

	/** `n` named contacts and `anonymous` ones without name or email; the named GUIDs. */
	async function seedContacts(n: number, anonymous = 0): Promise<string[]> {
		const db = storeInternals(store).db;
		await db.execute(
			sql`insert into contacts (guid, email, first_name) select gen_random_uuid(), 'c' || g || '@example.com', 'C' || g from generate_series(1, ${n}) g`,
		);
		if (anonymous > 0)
			await db.execute(
				sql`insert into contacts (guid) select gen_random_uuid() from generate_series(1, ${anonymous})`,
			);
		const rows = await store.listBackfillContacts(null, 1000);
		return rows.map((c) => c.guid);
	}

	const backfill = (extra: Partial<Parameters<typeof runBackfill>[0]> = {}) =>
		runBackfill({
			store,
			logger,
			site: "default",
			endpoints: (r) => emulator.endpoints(r),
			fetch: emulator.fetch,
			pageSize: 7,
			...extra,
		});

	beforeEach(async () => {
		({ emulator, store } = await emulatorSite(factory));
	});
	afterEach(async () => {
		await store.close();
	});

	it("sends every named contact once; a second run creates nothing new", async () => {
		await syncingSite();
		const guids = await seedContacts(N, 5);
		expect(guids).toHaveLength(N);
		const progress: number[] = [];
		const first = await backfill({ onProgress: (run) => progress.push(run.sent) });
		expect(first.outcome).toBe("done");
		expect(first.run).toMatchObject({ state: "done", total: N, sent: N, skipped: 0, failed: 0 });
		expect(first.run.cursorGuid).toBe(guids.at(-1));
		// Progress was reported along the way, never going back.
		expect(progress.length).toBeGreaterThan(2);
		expect([...progress].sort((a, b) => a - b)).toEqual(progress);
		const people = emulator.contacts();
		expect(people.map((c) => c.external_id).sort()).toEqual([...guids].sort());
		const second = await backfill();
		expect(second.run).toMatchObject({ state: "done", sent: N });
		expect(emulator.contacts()).toHaveLength(N);
		expect(new Set(emulator.contacts().map((c) => c.id)).size).toBe(N);
	});

	it("sends nothing for a site whose data policy is never", async () => {
		await syncingSite({ sendContactData: "never" });
		await seedContacts(10);
		const result = await backfill();
		expect(result.run).toMatchObject({ state: "done", total: 10, sent: 0, skipped: 10 });
		expect(emulator.contacts()).toHaveLength(0);
		expect(emulator.requests.filter((r) => r.path.startsWith("/contacts"))).toHaveLength(0);
	});

	it("refuses a site that does not sync contacts, saying what to set", async () => {
		const site = await syncingSite();
		await store.setSetting(site.id, "syncContacts", "false");
		await expect(backfill()).rejects.toThrow(/syncContacts/);
		await expect(backfill({ site: "nope" })).rejects.toThrow(/No site "nope"/);
	});

	it("stops cleanly on its signal (paused) and the next start finishes from the cursor", async () => {
		await syncingSite();
		const guids = await seedContacts(N);
		const controller = new AbortController();
		const first = await backfill({
			signal: controller.signal,
			concurrency: 2,
			onProgress: (run) => {
				if (run.sent >= 10) controller.abort();
			},
		});
		expect(first.run.lastError).toBeNull();
		expect(first.outcome).toBe("paused");
		expect(first.run.state).toBe("paused");
		expect(first.run.sent).toBeGreaterThanOrEqual(10);
		expect(first.run.sent).toBeLessThan(N);
		const resumed = await backfill();
		expect(resumed.run).toMatchObject({ state: "done", sent: N, total: N });
		expect(
			emulator
				.contacts()
				.map((c) => c.external_id)
				.sort(),
		).toEqual([...guids].sort());
	});

	it("a run held by a live runner is not started twice; a dead runner's run is taken over", async () => {
		const site = await syncingSite();
		await seedContacts(5);
		const held = await store.claimBackfill(site.id, { owner: "other", leaseMs: 60_000, total: 5 });
		expect(held.claimed).toBe(true);
		const busy = await backfill();
		expect(busy.outcome).toBe("busy");
		expect(emulator.contacts()).toHaveLength(0);
		// The other runner died: its lease runs out (here: a lease of 100 ms, then waited out by the claim).
		await store.claimBackfill(site.id, { owner: "other", leaseMs: 100, total: 5 });
		const started = Date.now();
		let result = await backfill();
		while (result.outcome === "busy" && Date.now() - started < 10_000) result = await backfill();
		expect(result.run).toMatchObject({ state: "done", sent: 5 });
	});
});
