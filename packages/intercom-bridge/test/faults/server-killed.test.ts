/**
 * The service killed with SIGKILL under load, then started again: no acknowledged update or
 * activity is lost, every activity has exactly its one links job (nothing half-written), and the
 * job queue resumes, filling the links, also of the jobs the killed worker held, once their lease
 * is over (docs/reliability.md X3 c, O1, O2).
 */
import { describe, expect, it } from "vitest";
import { waitFor } from "../harness/wait-for.ts";
import { lostAcknowledged, runLoad, startBridgeProcess, useFaultEnvironment } from "./fault-env.ts";
import { activityJobs, linkJobs, waitForLinks } from "./jobs-state.ts";

describe("service killed with SIGKILL during load", () => {
	const env = useFaultEnvironment(3000);

	it("loses nothing acknowledged, writes nothing half, and resumes the job queue", async () => {
		const { databaseUrl, listening, processes, store, apiKey, guids, emulator } = env();
		// A slow Intercom for the first calls, so the worker holds jobs when it is killed.
		emulator.inject({ kind: "latency", ms: 5000, times: 4 });
		// A short lease, so the jobs the killed worker held run again within the test.
		const lease = { JOB_LEASE_SECONDS: "5" };
		const first = await startBridgeProcess(databaseUrl, listening.url, { env: lease });
		processes.push(first);
		const load = runLoad({ urls: [first.url], apiKey, guids, workers: 12, repeat: true });
		// Killed once requests were acknowledged and the worker holds jobs (waiting on Intercom).
		await load.until("an acknowledged request", (o) => o.status === 200);
		await waitFor(async () => (await linkJobs(store)).some((j) => j.state === "active"), {
			deadlineMs: 60_000,
			describe: async () =>
				`a links job claimed by the worker; jobs: ${JSON.stringify(await linkJobs(store))}`,
		});
		await first.kill("SIGKILL");
		const outcomes = await load.stop();
		const acked = outcomes.filter((o) => o.status === 200).length;
		expect(acked).toBeGreaterThan(0);
		expect(outcomes.every((o) => o.status === 200 || o.status === null)).toBe(true);

		// Jobs the worker had claimed when it died stay `active` until their lease is over.
		const atKill = await activityJobs(store);
		const leased = new Set(atKill.activities.filter((a) => a.states?.includes("active")).map((a) => a.id));
		expect(leased.size).toBeGreaterThan(0);

		// Each worker takes at most 2 jobs a second (pg-boss waits out its polling interval after a
		// job), and the load leaves a few hundred: 8 of them keep the link check well within its time.
		const second = await startBridgeProcess(databaseUrl, listening.url, {
			env: { ...lease, JOB_CONCURRENCY: "8" },
		});
		processes.push(second);
		expect(await lostAcknowledged(store, outcomes)).toEqual([]);
		const after = await activityJobs(store);
		expect(after.activities.every((a) => a.states?.length === 1)).toBe(true);
		expect(after.orphanJobs).toBe(0);
		console.info("SIGKILL:", {
			sent: outcomes.length,
			acknowledged: acked,
			activities: after.activities.length,
			leasedAtKill: leased.size,
		});
		await waitForLinks(store, 180_000);
		// The held jobs were run again after their lease: each has its links from a second attempt.
		const rerun = (await activityJobs(store)).activities.filter((a) => leased.has(a.id));
		expect(rerun.every((a) => a.comment && a.retries >= 1)).toBe(true);
	}, 360_000);
});
