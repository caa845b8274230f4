/**
 * PostgreSQL stopped under load (`pg_ctl stop -m immediate`), then restarted: the bridge answers
 * 503 with Retry-After while the database is gone, never 500, acknowledges requests again once it
 * is back, and every request that got a 2xx has its effect in the database afterwards
 * (docs/reliability.md W11, X3 b).
 */
import { createServer, type Server } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toNodeHandler } from "../../src/adapters/node.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { type PostgresServer, startPostgres } from "../harness/postgres-server.ts";
import { sleep } from "../harness/wait-for.ts";
import { faultStore, HOOK_TIMEOUT_MS, lostAcknowledged, runLoad, statusCounts } from "./fault-env.ts";

describe("PostgreSQL stopped during load", () => {
	let postgres: PostgresServer;
	let store: Store;
	let server: Server;
	let url: string;
	let apiKey: string;
	let guids: string[];

	beforeAll(async () => {
		// A cluster of its own: this test kills it, and other files share the global one.
		postgres = await startPostgres();
		const client = new pg.Client({ connectionString: postgres.url });
		await client.connect();
		await client.query("create database faults");
		await client.end();
		const seeded = await faultStore(postgres.url.replace(/\/postgres$/, "/faults"), 4000);
		({ store, apiKey, guids } = seeded);
		await getJobQueue(store).ensure();
		const bridge = createIntercomBridge({
			store,
			logger: createLogger({ level: process.env.FAULT_LOG ?? "silent" }),
		});
		const handler = toNodeHandler(bridge);
		server = createServer((req, res) => void handler(req, res));
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		const address = server.address();
		url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
	}, HOOK_TIMEOUT_MS);

	afterAll(async () => {
		// Whatever hangs on the way out, the cluster must not outlive the test (the sleep is only
		// a bound on a wait that could otherwise hang).
		try {
			server?.closeAllConnections();
			const closed = Promise.all([
				new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
				store?.close().catch(() => {}),
			]);
			await Promise.race([closed, sleep(5000)]);
		} finally {
			await postgres?.stop();
		}
	}, HOOK_TIMEOUT_MS);

	it("answers 503 with Retry-After, never 500, recovers, and loses no acknowledged request", async () => {
		// Each phase lasts until what it is for has been seen, however slow the machine: the load
		// keeps going (repeat) until the recovery is seen, and fails the test if it never is.
		const load = runLoad({ urls: [url], apiKey, guids, workers: 16, repeat: true });
		const phases: Record<string, number> = {};
		try {
			await load.until("an acknowledged request before the outage", (o) => o.status === 200);
			phases.beforeKill = load.outcomes.length;
			await postgres.kill();
			const killedAt = Date.now();
			await load.until("a 503 during the outage", (o) => o.startedAt >= killedAt && o.status === 503);
			phases.duringOutage = load.outcomes.length;
			await postgres.restart();
			const restartedAt = Date.now();
			phases.restartMs = restartedAt - killedAt;
			// The bridge recovered: a request sent after the restart was acknowledged again.
			await load.until(
				"an acknowledged request after the restart (the bridge did not recover)",
				(o) => o.startedAt >= restartedAt && o.status === 200,
				90_000,
			);
			phases.recoveryMs = Date.now() - restartedAt;
		} finally {
			await load.stop();
		}
		const outcomes = load.outcomes;
		const statuses = statusCounts(outcomes);
		console.info("postgres stopped:", JSON.stringify({ ...phases, total: outcomes.length, statuses }));
		expect(Object.keys(statuses).every((s) => s === "200" || s === "503")).toBe(true);
		expect(outcomes.filter((o) => o.status === 503).every((o) => Number(o.retryAfter) > 0)).toBe(true);
		expect(await lostAcknowledged(store, outcomes)).toEqual([]);
	}, 240_000);
});
