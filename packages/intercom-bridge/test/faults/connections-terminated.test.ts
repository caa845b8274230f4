/**
 * PostgreSQL backends terminated under load (`pg_terminate_backend`, as a failover or an admin
 * does): every connection of the test database is killed in a few storms while webhooks arrive on
 * both endpoints. The bridge answers 2xx or 503 with Retry-After, never 500; every acknowledged
 * request has its effect, none twice, each activity with its one links job; and it recovers once
 * the storms end (docs/reliability.md W11, X3 a). The service runs in a child process with its job
 * runner, which must survive the storms too (pg-boss used to end the process there: see
 * create-job-runner.ts, settleTolerantDb).
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../harness/wait-for.ts";
import {
	duplicatedActivities,
	HOOK_TIMEOUT_MS,
	lostAcknowledged,
	runLoad,
	startBridgeProcess,
	statusCounts,
	useFaultEnvironment,
} from "./fault-env.ts";
import { activityJobs } from "./jobs-state.ts";

const STORMS = 5;
const RECOVERY = 100;

describe("PostgreSQL connections terminated during load", () => {
	let admin: pg.Client | undefined;
	const env = useFaultEnvironment(6000, async () => {
		await admin?.end().catch(() => {});
	});

	beforeAll(async () => {
		// The terminating client sits in another database, out of its own storms' reach.
		const adminUrl = new URL(env().databaseUrl);
		adminUrl.pathname = "/postgres";
		admin = new pg.Client({ connectionString: adminUrl.toString() });
		await admin.connect();
	}, HOOK_TIMEOUT_MS);

	it("answers 2xx or 503, never 500, loses and doubles nothing, and recovers", async () => {
		const { databaseUrl, listening, processes, store, apiKey, guids } = env();
		const bridge = await startBridgeProcess(databaseUrl, listening.url);
		processes.push(bridge);
		const database = new URL(databaseUrl).pathname.slice(1);
		const recoveryGuids = guids.slice(-RECOVERY);
		const load = runLoad({
			urls: [bridge.url],
			apiKey,
			guids: guids.slice(0, -RECOVERY),
			workers: 12,
			repeat: true,
		});
		// Each storm waits for its conditions, not for time: the load acknowledged something since
		// the last storm (the bridge is connected and working), and the storm killed at least one
		// connection (tried again until it does, as the bridge may not have reconnected yet).
		const terminated: number[] = [];
		const sentAt: number[] = [];
		let outcomes: typeof load.outcomes;
		try {
			let since = 0;
			for (let storm = 0; storm < STORMS; storm++) {
				const after = since;
				await load.until(
					`an acknowledged request before storm ${storm + 1}`,
					(o) => o.status === 200 && o.startedAt >= after,
				);
				const n = await waitFor(
					async () =>
						(
							await admin?.query<{ n: number }>(
								`select count(*) filter (where pg_terminate_backend(pid))::int as n
								from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
								[database],
							)
						)?.rows[0]?.n ?? 0,
					{ deadlineMs: 60_000, describe: `storm ${storm + 1} to find a connection of the bridge to kill` },
				);
				since = Date.now();
				terminated.push(n);
				sentAt.push(load.outcomes.length);
			}
			// The load goes on until the bridge has acknowledged a request sent after the last storm.
			await load.until(
				"an acknowledged request after the storms",
				(o) => o.status === 200 && o.startedAt >= since,
			);
		} finally {
			outcomes = await load.stop();
		}

		// After the storms: a fresh batch is acknowledged in full.
		const recovery = await runLoad({
			urls: [bridge.url],
			apiKey,
			guids: recoveryGuids,
			workers: 8,
			valuePrefix: "recovery-",
		}).finished();

		const counts = statusCounts(outcomes);
		console.info(
			"connections terminated:",
			JSON.stringify({
				terminated,
				sentAt,
				total: outcomes.length,
				statuses: counts,
				exit: [bridge.child.exitCode, bridge.child.signalCode],
			}),
		);
		// The bridge process survived, and every storm hit its connections (its pool, shared with the
		// job runner).
		expect([bridge.child.exitCode, bridge.child.signalCode]).toEqual([null, null]);
		expect(terminated).toHaveLength(STORMS);
		expect(Object.keys(counts).every((s) => s === "200" || s === "503")).toBe(true);
		expect(outcomes.filter((o) => o.status === 503).every((o) => Number(o.retryAfter) > 0)).toBe(true);
		expect(counts["200"] ?? 0).toBeGreaterThan(0);
		expect(recovery.map((o) => o.status)).toEqual(recovery.map(() => 200));

		expect(await lostAcknowledged(store, [...outcomes, ...recovery])).toEqual([]);
		expect(await duplicatedActivities(store)).toEqual([]);
		// Activity and job are written together: never one without the other, never two jobs.
		const { activities, orphanJobs } = await activityJobs(store);
		expect(activities.filter((a) => a.states?.length !== 1)).toEqual([]);
		expect(orphanJobs).toBe(0);

		// The job runner survived the storms too: it goes on filling links (at its pace of about
		// 2 jobs a second per worker, so not all of them here).
		const linked = async () => (await activityJobs(store)).activities.filter((a) => a.comment).length;
		const before = await linked();
		let after = before;
		await waitFor(
			async () => {
				after = await linked();
				return after >= before + 4;
			},
			{
				deadlineMs: 60_000,
				intervalMs: 250,
				describe: () =>
					`4 more links after the storms; ${after - before} of ${activities.length} activities so far`,
			},
		);
		console.info("links:", { activities: activities.length, before, after });
	}, 300_000);
});
