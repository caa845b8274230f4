/**
 * A backfill killed mid-run (decision 0031): `intercom-bridge sync backfill` as a child process on
 * PostgreSQL against the listening emulator, SIGKILLed once its cursor moved; a second start
 * refuses while the dead run's lease lasts, then takes it over from the cursor and finishes:
 * every named contact is in Intercom exactly once, none missing, and the JSON lines say so.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../../src/db/postgres.ts";
import type { Store } from "../../src/store/create-store.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { createPostgresDatabase, TEST_SECRET_KEY } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";
import { HOOK_TIMEOUT_MS, TOKEN } from "./fault-env.ts";

const APP_ID = "abc123";
const N = 200;

describe("backfill killed mid-run", () => {
	// A limit that makes the run last seconds, so the kill lands in the middle.
	const emulator = createIntercomEmulator({
		tokens: [TOKEN],
		apps: [{ appId: APP_ID }],
		rateLimitPerMinute: 1800,
	});
	let listening: EmulatorServer;
	let databaseUrl: string;
	let store: Store;
	let siteId: number;
	const children: ChildProcess[] = [];

	beforeAll(async () => {
		listening = await emulator.listen();
		databaseUrl = await createPostgresDatabase();
		store = postgresStore({
			connectionString: databaseUrl,
			secretKey: TEST_SECRET_KEY,
			onPoolError: () => {},
		});
		await store.prepare();
		const site = await store.requireSite("default");
		siteId = site.id;
		const settings = {
			enabled: "true",
			appId: APP_ID,
			sendContactData: "always",
			accessToken: TOKEN,
			syncContacts: "true",
		};
		for (const [k, v] of Object.entries(settings)) await store.setSetting(site.id, k, v);
		await storeInternals(store).db.execute(
			sql`insert into contacts (guid, email) select gen_random_uuid(), 'k' || g || '@example.com' from generate_series(1, ${N}) g`,
		);
	}, HOOK_TIMEOUT_MS);
	afterAll(async () => {
		for (const child of children)
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
		await store?.close();
		await listening?.close();
	}, HOOK_TIMEOUT_MS);

	/** `sync backfill --site default` in a child process; its stdout lines and exit code. */
	function backfillProcess() {
		const child = fork(
			new URL("./backfill-cli-process.ts", import.meta.url),
			["sync", "backfill", "--site", "default", "--lease-seconds", "2"],
			{
				execArgv: ["--conditions=dev-source", "--no-warnings"],
				env: {
					...process.env,
					DATABASE_URL: databaseUrl,
					EMULATOR_URL: listening.url,
					INTERCOM_BRIDGE_SECRET_KEY: TEST_SECRET_KEY.toString("base64"),
					LOG_LEVEL: "silent",
				},
				stdio: ["ignore", "pipe", "pipe", "ipc"],
			},
		);
		children.push(child);
		let out = "";
		let err = "";
		child.stdout?.setEncoding("utf8").on("data", (c: string) => {
			out += c;
		});
		child.stderr?.setEncoding("utf8").on("data", (c: string) => {
			err += c;
		});
		const exited = once(child, "exit").then(([code]) => code as number | null);
		return {
			child,
			exited, // Whole lines only: a SIGKILL may cut the last one short.
			lines: () => out.split("\n").slice(0, -1).filter(Boolean),
			stderr: () => err,
		};
	}

	it("resumes from the cursor and ends with every contact in Intercom exactly once", async () => {
		const first = backfillProcess();
		// Killed once the cursor moved (some contacts done, most not).
		const moved = await waitFor(
			async () => {
				const run = await store.getBackfill(siteId);
				return run && run.sent >= 20 ? run : null;
			},
			{ deadlineMs: 60_000, describe: () => `the cursor to move; stderr: ${first.stderr()}` },
		);
		first.child.kill("SIGKILL");
		await first.exited;
		const killed = await store.getBackfill(siteId);
		expect(killed?.state).toBe("running");
		expect(killed?.sent).toBeGreaterThanOrEqual(moved.sent);
		expect(killed?.sent).toBeLessThan(N);
		// Non-TTY output is JSON lines.
		expect(first.lines().length).toBeGreaterThan(0);
		for (const line of first.lines()) expect(JSON.parse(line)).toMatchObject({ event: "progress" });

		// While the dead run's lease lasts, another start does not run it (exit 1, says why)…
		const early = await store.getBackfill(siteId);
		if (early && early.leaseUntil > Date.now() + 500) {
			const busy = backfillProcess();
			const code = await busy.exited;
			if ((await store.getBackfill(siteId))?.leaseOwner === early.leaseOwner) {
				expect(code).toBe(1);
				expect(busy.stderr()).toMatch(/Another runner is running the backfill/);
			}
		}
		// …and once it ran out, a start takes it over from the cursor and finishes.
		await waitFor(async () => ((await store.getBackfill(siteId))?.leaseUntil ?? 0) < Date.now(), {
			deadlineMs: 30_000,
			describe: "the dead run's lease to run out",
		});
		const second = backfillProcess();
		expect(await second.exited).toBe(0);
		const last = JSON.parse(second.lines().at(-1) ?? "{}");
		expect(last).toMatchObject({ event: "done", state: "done", total: N, sent: N, failed: 0 });
		const people = emulator.contacts();
		expect(people).toHaveLength(N);
		expect(new Set(people.map((c) => c.external_id)).size).toBe(N);
	}, 180_000);
});
