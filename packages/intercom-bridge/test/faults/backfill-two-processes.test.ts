/**
 * Two instances as two processes on one PostgreSQL database (decisions 0024, 0031, 0034): each runs
 * `intercom-bridge sync backfill` for its own site of one workspace, so both draw on the
 * workspace's one rate budget, with a limit small enough that it binds. Together they stay under
 * the limit (no 429 from the emulator, whose windows are Intercom's), both finish, and every
 * contact is in Intercom exactly once.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../../src/db/postgres.ts";
import type { Store } from "../../src/store/create-store.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { createPostgresDatabase, TEST_SECRET_KEY } from "../harness/databases.ts";
import { type BackfillCli, startBackfillCli } from "./backfill-cli-child.ts";
import { HOOK_TIMEOUT_MS, TOKEN } from "./fault-env.ts";

const APP_ID = "twoproc";
/** Contacts per site. */
const PER_SITE = 60;
/** Calls per 10-second window: half of the runs' 2 × 2 × PER_SITE calls, so the budget binds. */
const PER_WINDOW = 120;

describe("two backfill processes on one PostgreSQL database", () => {
	const emulator = createIntercomEmulator({
		tokens: [TOKEN],
		apps: [{ appId: APP_ID }],
		rateLimitPer10s: PER_WINDOW,
	});
	let listening: EmulatorServer;
	let databaseUrl: string;
	let store: Store;
	const sites: Array<{ id: number; codeName: string }> = [];
	const clis: BackfillCli[] = [];

	beforeAll(async () => {
		listening = await emulator.listen();
		databaseUrl = await createPostgresDatabase();
		store = postgresStore({
			connectionString: databaseUrl,
			secretKey: TEST_SECRET_KEY,
			onPoolError: () => {},
		});
		await store.prepare();
		sites.push(await store.requireSite("default"));
		sites.push(await store.createSite({ codeName: "second", displayName: "Second" }));
		for (const site of sites)
			for (const [k, v] of Object.entries({
				enabled: "true",
				appId: APP_ID,
				sendContactData: "always",
				accessToken: TOKEN,
				syncContacts: "true",
			}))
				await store.setSetting(site.id, k, v);
		// Each contact belongs to one site (an activity there): each run sends its half.
		const { db } = storeInternals(store);
		await db.execute(
			sql`insert into contacts (guid, email) select gen_random_uuid(), 't' || g || '@example.com' from generate_series(1, ${2 * PER_SITE}) g`,
		);
		await db.execute(sql`
			insert into activities (contact_guid, site_id, type_id, title, origin)
			select guid, case when row_number() over (order by guid) % 2 = 0 then ${sites[0]?.id}::int else ${sites[1]?.id}::int end, 1, 'Seen', 'api'
			from contacts`);
	}, HOOK_TIMEOUT_MS);
	afterAll(async () => {
		for (const { child } of clis)
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
		await store?.close();
		await listening?.close();
	}, HOOK_TIMEOUT_MS);

	it("share the budget: no 429, both finish, every contact exactly once", async () => {
		for (const site of sites)
			clis.push(
				startBackfillCli(["--site", site.codeName], {
					DATABASE_URL: databaseUrl,
					EMULATOR_URL: listening.url,
					INTERCOM_BRIDGE_SECRET_KEY: TEST_SECRET_KEY.toString("base64"),
				}),
			);
		const codes = await Promise.all(clis.map((c) => c.exited));
		expect(codes, clis.map((c) => c.stderr()).join("\n")).toEqual([0, 0]);
		for (const cli of clis)
			expect(cli.events().at(-1)).toMatchObject({ event: "done", state: "done", sent: PER_SITE, failed: 0 });

		const answers = emulator.requests.filter((r) => r.path.startsWith("/contacts"));
		expect(answers.filter((r) => r.status === 429)).toHaveLength(0);
		// The budget bound: the runs spread over more than one window.
		const windows = new Set(answers.map((r) => Math.floor(r.at / 10_000)));
		expect(windows.size).toBeGreaterThan(1);
		const people = emulator.contacts();
		expect(people).toHaveLength(2 * PER_SITE);
		expect(new Set(people.map((c) => c.external_id)).size).toBe(2 * PER_SITE);
	}, 180_000);
});
