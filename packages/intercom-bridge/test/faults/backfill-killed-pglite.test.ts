/**
 * A backfill killed mid-run on PGlite (decision 0031; backfill-killed.test.ts does it on
 * PostgreSQL): `intercom-bridge sync backfill` in a child process on a PGlite data directory on
 * disk, SIGKILLed once its cursor moved (PGlite allows one process per directory, so the test
 * reads progress from the CLI's JSON lines and opens the directory only while no CLI runs). After
 * the dead run's lease, a second start takes it over from the cursor: every named contact is in
 * Intercom exactly once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteStore } from "../../src/db/pglite.ts";
import type { BackfillRun } from "../../src/store/backfill-store.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { TEST_SECRET_KEY } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";
import { type BackfillCli, startBackfillCli } from "./backfill-cli-child.ts";
import { HOOK_TIMEOUT_MS, TOKEN } from "./fault-env.ts";

const APP_ID = "pglitekill";
const N = 150;

describe("backfill killed mid-run on PGlite", () => {
	// A limit that makes the run last seconds, so the kill lands in the middle.
	const emulator = createIntercomEmulator({
		tokens: [TOKEN],
		apps: [{ appId: APP_ID }],
		rateLimitPerMinute: 1800,
	});
	let listening: EmulatorServer;
	let dataDir: string;
	let siteId: number;
	const clis: BackfillCli[] = [];

	/** The site's run, read with the directory opened in this process (no CLI may be running). */
	async function readRun(): Promise<BackfillRun | null> {
		const store = await pgliteStore({ dataDir, secretKey: TEST_SECRET_KEY });
		try {
			return await store.getBackfill(siteId);
		} finally {
			await store.close();
		}
	}

	function backfill() {
		const cli = startBackfillCli(["--site", "default", "--lease-seconds", "2"], {
			DATABASE_URL: undefined,
			DATABASE_URL_FILE: undefined,
			INTERCOM_BRIDGE_DATA_DIR: dataDir,
			EMULATOR_URL: listening.url,
			INTERCOM_BRIDGE_SECRET_KEY: TEST_SECRET_KEY.toString("base64"),
		});
		clis.push(cli);
		return cli;
	}

	beforeAll(async () => {
		listening = await emulator.listen();
		dataDir = await mkdtemp(join(tmpdir(), "ib-backfill-kill-"));
		const store = await pgliteStore({ dataDir, secretKey: TEST_SECRET_KEY });
		await store.prepare();
		const site = await store.requireSite("default");
		siteId = site.id;
		for (const [k, v] of Object.entries({
			enabled: "true",
			appId: APP_ID,
			sendContactData: "always",
			accessToken: TOKEN,
			syncContacts: "true",
		}))
			await store.setSetting(site.id, k, v);
		await storeInternals(store).db.execute(
			sql`insert into contacts (guid, email) select gen_random_uuid(), 'p' || g || '@example.com' from generate_series(1, ${N}) g`,
		);
		await store.close();
	}, HOOK_TIMEOUT_MS);
	afterAll(async () => {
		for (const { child } of clis)
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
		await listening?.close();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	}, HOOK_TIMEOUT_MS);

	it("resumes from the cursor after a SIGKILL and ends with every contact exactly once", async () => {
		const first = backfill();
		// Killed once the cursor moved (some contacts done, most not).
		await waitFor(() => first.events().some((e) => e.event === "progress" && Number(e.sent) >= 20), {
			deadlineMs: 90_000,
			describe: () =>
				`the cursor to move; stdout: ${first.lines().slice(-3).join(" | ")}; stderr: ${first.stderr()}`,
		});
		first.child.kill("SIGKILL");
		await first.exited;
		// The directory opens again after the kill (PGlite recovers), with the run left running.
		const killed = await readRun();
		expect(killed?.state).toBe("running");
		expect(killed?.sent).toBeGreaterThanOrEqual(20);
		expect(killed?.sent).toBeLessThan(N);

		// Once the dead run's lease ran out, a start takes it over from the cursor and finishes.
		await waitFor(() => Date.now() > (killed?.leaseUntil ?? 0), {
			deadlineMs: 30_000,
			describe: "the dead run's lease to run out",
		});
		const second = backfill();
		expect(await second.exited, second.stderr()).toBe(0);
		expect(second.events()[0]).toMatchObject({ event: "progress", sent: killed?.sent });
		expect(second.events().at(-1)).toMatchObject({
			event: "done",
			state: "done",
			total: N,
			sent: N,
			failed: 0,
		});
		const people = emulator.contacts();
		expect(people).toHaveLength(N);
		expect(new Set(people.map((c) => c.external_id)).size).toBe(N);
	}, 240_000);
});
