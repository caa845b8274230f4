/**
 * SIGTERM to the real service (runService) under webhook load while jobs run: new connections are
 * refused at once (ECONNREFUSED, not 503); the requests under way finish, answered with
 * `Connection: close`; the job runner claims nothing more and finishes the running jobs; and the
 * process exits 0 within the 10 s drain bound. Every acknowledged request has its effect, none
 * twice, and a fresh instance works the jobs left (docs/reliability.md O13).
 */
import { once } from "node:events";
import { request } from "node:http";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { sleep, waitFor } from "../harness/wait-for.ts";
import {
	duplicatedActivities,
	lostAcknowledged,
	type Outcome,
	portSockets,
	runLoad,
	startBridgeProcess,
	statusCounts,
	useFaultEnvironment,
} from "./fault-env.ts";
import { activityJobs, linkJobs, waitForLinks } from "./jobs-state.ts";

const LOAD_WORKERS = 8;

/** The port of a service's URL. */
const portOf = (url: string) => Number(new URL(url).port);

/**
 * Waits until the service has read every request sent to it: each of its connections has no
 * unread bytes (the requests are in its handlers, not in a socket buffer). `also` adds a condition.
 */
async function serviceHasReadAll(url: string, what: string, also: () => boolean = () => true) {
	let last = { listening: false, connections: 0, unread: 0 };
	await waitFor(
		async () => {
			last = await portSockets(portOf(url));
			return last.connections > 0 && last.unread === 0 && also();
		},
		{ deadlineMs: 60_000, intervalMs: 50, describe: () => `${what}; last seen ${JSON.stringify(last)}` },
	);
}

/**
 * A logactivity request on a connection of its own whose body is sent in two parts: the server has
 * it under way (headers read, body awaited) until `finish()` sends the rest.
 */
function splitRequest(url: string, apiKey: string, guid: string, value: string) {
	const body = JSON.stringify({ ContactGUID: guid, ActivityType: "pagevisit", ActivityValue: value });
	const req = request(`${url}/intercom/logactivity`, {
		method: "POST",
		agent: false,
		headers: {
			"content-type": "application/json",
			"x-api-key": apiKey,
			"content-length": Buffer.byteLength(body),
		},
	});
	const response = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
		req.on("response", (res) => {
			res.resume();
			res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
			res.on("error", reject);
		});
		req.on("error", reject);
	});
	response.catch(() => {});
	req.write(body.slice(0, 20));
	return { response, finish: () => req.end(body.slice(20)) };
}

/** Opens a new connection and sends a GET: the status, or the connection error's code. */
async function probe(url: string): Promise<number | string> {
	return new Promise((resolve) => {
		const req = request(`${url}/healthz`, { agent: false }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
		req.end();
	});
}

describe("SIGTERM to the service during load", () => {
	const lockers: pg.Client[] = [];
	const env = useFaultEnvironment(1600, async () => {
		for (const locker of lockers) await locker.end().catch(() => {});
	});

	it("drains requests and jobs, exits 0, loses and doubles nothing", async () => {
		const { emulator, databaseUrl, listening, processes, store, apiKey, guids } = env();
		// Slow Intercom for the first jobs, so the service is working some when the signal comes.
		emulator.inject({ kind: "latency", ms: 1500, times: 4 });
		const service = await startBridgeProcess(databaseUrl, listening.url, {
			script: "service-process.ts",
			env: { LOG_LEVEL: "info" },
		});
		processes.push(service);
		const warmup = await runLoad({
			urls: [service.url],
			apiKey,
			guids: guids.slice(0, 20),
			workers: 4,
			valuePrefix: "a-",
		}).finished();
		expect(warmup.map((o) => o.status)).toEqual(warmup.map(() => 200));
		// The job runner polls every 2 s: wait until it has claimed a job.
		await waitFor(async () => (await linkJobs(store)).some((j) => j.state === "active"), {
			deadlineMs: 60_000,
			describe: async () => `a links job claimed; jobs: ${JSON.stringify(await linkJobs(store))}`,
		});
		// The service's health names the backlog and what it counted (O14): the webhooks it refused
		// and what Intercom answered its jobs.
		const health = (await (await fetch(`${service.url}/healthz`)).json()) as Record<string, unknown>;
		expect(health).toMatchObject({
			status: "ok",
			database: "postgres",
			jobs: { dead: 0 },
			webhooks: { unauthorized: 0, rateLimited: 0 },
			intercom: { unauthorized: 0, rateLimited: 0 },
		});
		expect((health.intercom as { requests: number }).requests).toBeGreaterThan(0);

		const split = splitRequest(service.url, apiKey, guids[20] as string, "split-0");
		const load = runLoad({
			urls: [service.url],
			apiKey,
			guids: guids.slice(21),
			workers: LOAD_WORKERS,
			valuePrefix: "b-",
		});
		await load.until("an acknowledged request of the load", (o) => o.status === 200);
		// Hold the webhooks' writes (and the jobs' comment updates) in the database, so that when the
		// signal comes every sender has a request under way in the service and none is between two:
		// every sender waits for an answer, none came since the last look, and the service has read
		// every request sent to it.
		const locker = new pg.Client({ connectionString: databaseUrl });
		lockers.push(locker);
		await locker.connect();
		await locker.query("begin");
		await locker.query("lock table activities, contacts in share mode");
		let answers = -1;
		await serviceHasReadAll(service.url, `all ${LOAD_WORKERS} senders held in the service`, () => {
			const still = answers === load.outcomes.length;
			answers = load.outcomes.length;
			return still && load.inFlight() === LOAD_WORKERS;
		});
		const sentBeforeSignal = load.outcomes.length;
		const activeAtSignal = (await linkJobs(store)).filter((j) => j.state === "active").map((j) => j.id);

		const signalAt = Date.now();
		const exit = once(service.child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
		service.child.kill("SIGTERM");
		const shutdownLine = await service.waitForOutput(/"msg":"shutting down"/);
		const shutdownAt = (JSON.parse(shutdownLine) as { time: number }).time;
		// The listener closes as the line is logged (the same tick); the kernel's table shows when.
		await waitFor(async () => !(await portSockets(portOf(service.url))).listening, {
			deadlineMs: 30_000,
			describe: "the service to stop listening",
		});
		// No new connection gets in; the requests under way go on, the split one receives its body.
		const refused = await probe(service.url);
		split.finish();
		// Nothing can be answered while the lock is held: a short look for a (wrong) early answer.
		await sleep(100);
		const heldAtRelease = load.outcomes.length - sentBeforeSignal;
		await locker.query("commit");
		const splitAnswer = await split.response;
		// The bound only keeps a hung process from hanging the test; the assertions say what is right.
		const [code, signal] = await Promise.race([exit, sleep(60_000).then(() => [null, "timeout"] as const)]);
		const exitedAt = Date.now();
		const outcomes = await load.stop();

		const beforeSignal = outcomes.filter((o) => o.startedAt < signalAt);
		const underWay = beforeSignal.filter((o) => o.endedAt >= signalAt);
		const afterShutdown = outcomes.filter((o) => o.startedAt > shutdownAt);
		const jobsAtExit = await linkJobs(store);
		const jobStates: Record<string, number> = {};
		for (const j of jobsAtExit) jobStates[j.state] = (jobStates[j.state] ?? 0) + 1;
		console.info(
			"SIGTERM:",
			JSON.stringify({
				exit: [code, signal],
				exitMs: exitedAt - signalAt,
				handledMs: shutdownAt - signalAt,
				refused,
				split: splitAnswer,
				beforeSignal: statusCounts(beforeSignal),
				underWay: statusCounts(underWay),
				answeredWhileHeld: heldAtRelease,
				afterShutdown: statusCounts(afterShutdown),
				afterShutdownErrors: [...new Set(afterShutdown.map((o) => o.error))],
				activeAtSignal: activeAtSignal.length,
				jobsAtExit: jobStates,
			}),
		);
		expect([code, signal]).toEqual([0, null]);
		// Well within the 10 s drain bound plus closing the store, with room for a busy machine's
		// scheduling; a drain that waited for nothing or hung would miss it.
		expect(exitedAt - signalAt).toBeLessThan(20_000);
		expect(refused).toBe("ECONNREFUSED");
		// Every request under way when the signal came was answered, none cut off.
		expect(heldAtRelease).toBe(0);
		expect(underWay).toHaveLength(LOAD_WORKERS);
		expect(beforeSignal.map((o) => o.status)).toEqual(beforeSignal.map(() => 200));
		expect(splitAnswer).toEqual({ status: 200, connection: "close" });
		// Those answers closed their connections: the senders' next requests found no listener.
		expect(afterShutdown.map((o) => o.error ?? o.status)).toEqual(afterShutdown.map(() => "ECONNREFUSED"));

		const acknowledged: Outcome[] = [
			...warmup,
			...outcomes,
			{
				kind: "logactivity",
				guid: guids[20] as string,
				value: "split-0",
				status: splitAnswer.status,
				retryAfter: null,
				startedAt: 0,
				endedAt: 0,
			},
		];
		expect(await lostAcknowledged(store, acknowledged)).toEqual([]);
		expect(await duplicatedActivities(store)).toEqual([]);

		// The runner claimed nothing once shutting down, and left no lease behind: the jobs it was
		// working when the signal came were finished.
		expect(jobsAtExit.filter((j) => j.startedOn !== null && j.startedOn > shutdownAt + 100)).toEqual([]);
		expect(jobsAtExit.filter((j) => j.state === "active")).toEqual([]);
		const states = new Map(jobsAtExit.map((j) => [j.id, j.state]));
		expect(activeAtSignal.map((id) => states.get(id))).toEqual(activeAtSignal.map(() => "completed"));

		// A fresh instance works the jobs left, each once.
		const fresh = await startBridgeProcess(databaseUrl, listening.url, { env: { JOB_CONCURRENCY: "8" } });
		processes.push(fresh);
		await waitForLinks(store, 120_000);
		const { activities, orphanJobs } = await activityJobs(store);
		expect(orphanJobs).toBe(0);
		expect(activities.filter((a) => a.states?.join() !== "completed")).toEqual([]);
		const finds = new Map<string, number>();
		for (const r of emulator.requests.filter((r) => r.path.startsWith("/contacts/find_by_external_id/"))) {
			finds.set(r.path, (finds.get(r.path) ?? 0) + 1);
		}
		expect(finds.size).toBe(activities.length);
		expect([...finds.values()].filter((n) => n !== 1)).toEqual([]);
		await fresh.kill();
	}, 300_000);

	it("exits 0 after 10 s when a request never finishes, dropping its connection", async () => {
		const { databaseUrl, listening, processes, apiKey, guids } = env();
		const service = await startBridgeProcess(databaseUrl, listening.url, {
			script: "service-process.ts",
			env: { LOG_LEVEL: "info" },
		});
		processes.push(service);
		const stuck = splitRequest(service.url, apiKey, guids.at(-1) as string, "stuck-0");
		const stuckAnswer = stuck.response.then(
			(answer) => answer.status,
			(err: NodeJS.ErrnoException) => err.code ?? err.message,
		);
		// The request is under way once the service has read what was sent of it.
		await serviceHasReadAll(service.url, "the stuck request read by the service");
		const signalAt = Date.now();
		const exit = once(service.child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
		service.child.kill("SIGTERM");
		const [code, signal] = await Promise.race([exit, sleep(60_000).then(() => [null, "timeout"] as const)]);
		const exitMs = Date.now() - signalAt;
		const answer = await stuckAnswer;
		console.info("SIGTERM with a stuck request:", { exit: [code, signal], exitMs, answer });
		expect([code, signal]).toEqual([0, null]);
		// It waited for the request up to the 10 s bound, then exited (closing the store takes at
		// most 5 s more; the rest is room for a busy machine's scheduling).
		expect(exitMs).toBeGreaterThanOrEqual(9_500);
		expect(exitMs).toBeLessThan(25_000);
		expect(answer).toBe("ECONNRESET");
	}, 180_000);
});
