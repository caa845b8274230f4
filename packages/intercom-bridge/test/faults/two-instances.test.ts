/**
 * Two instances on one PostgreSQL database, started at the same moment on an empty database (so
 * their migrations race), with the load split between them: no activity lost or duplicated, and
 * each links job runs once (docs/reliability.md O3).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../../src/db/postgres.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { createPostgresDatabase, TEST_SECRET_KEY } from "../harness/databases.ts";
import { sleep } from "../harness/wait-for.ts";
import { APP_ID } from "../webhooks/webhook-testbed.ts";
import {
	type BridgeProcess,
	faultStore,
	HOOK_TIMEOUT_MS,
	lostAcknowledged,
	runLoad,
	startBridgeProcess,
	TOKEN,
} from "./fault-env.ts";
import { activityJobs, waitForLinks } from "./jobs-state.ts";

const REQUESTS = 300;

describe("two instances on one PostgreSQL", () => {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: APP_ID }] });
	let listening: EmulatorServer;
	let databaseUrl: string;
	let store: Store | undefined;
	let instances: BridgeProcess[] = [];

	beforeAll(async () => {
		listening = await emulator.listen();
		databaseUrl = await createPostgresDatabase();
	}, HOOK_TIMEOUT_MS);

	afterAll(async () => {
		for (const p of instances) await p.kill();
		await store?.close();
		await listening?.close();
	}, HOOK_TIMEOUT_MS);

	it("migrate concurrently, then share the load and the jobs without loss or duplicates", async () => {
		instances = await Promise.all([
			startBridgeProcess(databaseUrl, listening.url),
			startBridgeProcess(databaseUrl, listening.url),
		]);
		const check = postgresStore({ connectionString: databaseUrl, secretKey: TEST_SECRET_KEY });
		const applied = rowsOf<{ n: number }>(
			await storeInternals(check).db.execute(sql`select count(*)::int as n from intercom_bridge_migrations`),
		);
		expect(applied[0]?.n).toBeGreaterThan(0);
		await check.close();

		const seeded = await faultStore(databaseUrl, REQUESTS);
		store = seeded.store;
		for (const guid of seeded.guids) {
			emulator.seedContact({ role: "user", external_id: guid });
			emulator.seedConversations(guid, 1);
		}
		// The instances cache site settings for up to 2 s (wall clock, whatever the machine's speed):
		// once that has passed they see the seeded site. (Polling them with its key instead would
		// count failed authentications against the address the load comes from.)
		await sleep(2200);
		const load = runLoad({
			urls: instances.map((i) => i.url),
			apiKey: seeded.apiKey,
			guids: seeded.guids,
			workers: 20,
		});
		const outcomes = await load.finished();
		expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 200));
		expect(await lostAcknowledged(store, outcomes)).toEqual([]);

		await waitForLinks(store, 120_000);
		const { activities, orphanJobs } = await activityJobs(store);
		expect(activities).toHaveLength(REQUESTS / 2);
		expect(orphanJobs).toBe(0);
		expect(activities.every((a) => a.states?.join() === "completed" && a.retries === 0)).toBe(true);
		// Each job ran once: one person lookup and one conversation search per activity.
		const finds = emulator.requests.filter((r) => r.path.startsWith("/contacts/find_by_external_id/"));
		const perGuid = new Map<string, number>();
		for (const r of finds) perGuid.set(r.path, (perGuid.get(r.path) ?? 0) + 1);
		const searches = emulator.requests.filter(
			(r) => r.method === "POST" && r.path === "/conversations/search",
		);
		console.info("two instances:", {
			activities: activities.length,
			finds: finds.length,
			searches: searches.length,
		});
		expect(finds).toHaveLength(REQUESTS / 2);
		expect([...perGuid.values()].every((n) => n === 1)).toBe(true);
		expect(searches).toHaveLength(REQUESTS / 2);
	}, 300_000);
});
