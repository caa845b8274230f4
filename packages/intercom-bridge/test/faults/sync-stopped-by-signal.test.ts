/**
 * Ctrl-C and SIGTERM to the CLI's long sync commands (src/cli/stop-on-signals.ts), as child
 * processes on a PGlite data directory against the listening emulator: `sync reconcile --fix`
 * interrupted once its fix has sent some contacts exits 130 and says on stderr how many it sent;
 * `sync backfill` terminated once its cursor moved exits 143 with its run `paused`. Both stop
 * cleanly: the store is closed (the data directory's lock is released, which a process killed by
 * the signal leaves behind) and the directory opens again.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../src/db/data-dir-lock.ts";
import { pgliteStore } from "../../src/db/pglite.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { TEST_SECRET_KEY } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";
import { type BackfillCli, startCli } from "./backfill-cli-child.ts";
import { HOOK_TIMEOUT_MS, TOKEN } from "./fault-env.ts";

const APP_ID = "stopsig";
const N = 120;

describe("sync commands stopped by a signal (PGlite)", () => {
	// A low limit, so the work lasts long enough for the signal to land in the middle.
	const emulator = createIntercomEmulator({
		tokens: [TOKEN],
		apps: [{ appId: APP_ID }],
		rateLimitPerMinute: 600,
	});
	let listening: EmulatorServer;
	let dataDir: string;
	let siteId: number;
	const clis: BackfillCli[] = [];

	/** Opens the directory in this process (no CLI may be running) for `read`. */
	async function withDir<T>(read: (store: Awaited<ReturnType<typeof pgliteStore>>) => Promise<T>) {
		const store = await pgliteStore({ dataDir, secretKey: TEST_SECRET_KEY });
		try {
			return await read(store);
		} finally {
			await store.close();
		}
	}

	function cli(argv: string[]) {
		const started = startCli(argv, {
			DATABASE_URL: undefined,
			DATABASE_URL_FILE: undefined,
			INTERCOM_BRIDGE_DATA_DIR: dataDir,
			EMULATOR_URL: listening.url,
			INTERCOM_BRIDGE_SECRET_KEY: TEST_SECRET_KEY.toString("base64"),
		});
		clis.push(started);
		return started;
	}

	/** The exit code, awaited with a deadline (the stop must not hang). */
	async function exitOf(run: BackfillCli): Promise<number | null> {
		let code: number | null | undefined;
		void run.exited.then((c) => {
			code = c;
		});
		await waitFor(() => code !== undefined, {
			deadlineMs: 60_000,
			describe: () => `the CLI to exit after the signal; stderr: ${run.stderr()}`,
		});
		return code ?? null;
	}

	beforeAll(async () => {
		listening = await emulator.listen();
		dataDir = await mkdtemp(join(tmpdir(), "ib-stop-signal-"));
		await withDir(async (store) => {
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
				sql`insert into contacts (guid, email) select gen_random_uuid(), 's' || g || '@example.com' from generate_series(1, ${N}) g`,
			);
		});
	}, HOOK_TIMEOUT_MS);
	afterAll(async () => {
		for (const { child } of clis)
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
		await listening?.close();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	}, HOOK_TIMEOUT_MS);

	it("reconcile --fix: Ctrl-C stops it with exit 130, what it sent on stderr, the store closed", async () => {
		const run = cli(["sync", "reconcile", "--site", "default", "--fix"]);
		// Interrupted once the fix has sent a few of the missing contacts (far from all of them).
		await waitFor(() => emulator.contacts().length >= 3, {
			deadlineMs: 90_000,
			describe: () =>
				`the fix to send contacts; emulator has ${emulator.contacts().length}; stderr: ${run.stderr()}`,
		});
		run.child.kill("SIGINT");
		expect(await exitOf(run)).toBe(130);
		expect(run.stderr()).toMatch(
			/^Interrupted \(SIGINT\): Reconciliation of "default" stopped during the fix: sent \d+ of 120 contact\(s\) again/,
		);
		expect(run.stderr()).toContain("Run it again to finish");
		expect(run.lines()).toEqual([]);
		expect(emulator.contacts().length).toBeLessThan(N);
		expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
		// The fix was on record before it sent anything.
		const audit = await withDir((store) => store.listSettingsAudit(siteId));
		expect(audit.map((a) => a.action)).toContain("reconcile-fix");
	}, 240_000);

	it("backfill: SIGTERM stops it with exit 143 and the run paused", async () => {
		const before = emulator.contacts().length;
		const run = cli(["sync", "backfill", "--site", "default"]);
		await waitFor(() => run.events().some((e) => e.event === "progress" && Number(e.sent) >= 3), {
			deadlineMs: 90_000,
			describe: () =>
				`the backfill's cursor to move; stdout: ${run.lines().slice(-2).join(" | ")}; stderr: ${run.stderr()}`,
		});
		run.child.kill("SIGTERM");
		expect(await exitOf(run)).toBe(143);
		expect(run.stderr()).toMatch(/^Terminated \(SIGTERM\): Backfill paused at \[/);
		expect(run.stderr()).toContain("again to resume");
		expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
		const paused = await withDir((store) => store.getBackfill(siteId));
		expect(paused?.state).toBe("paused");
		expect(emulator.contacts().length - before).toBeLessThan(N);
	}, 240_000);
});
