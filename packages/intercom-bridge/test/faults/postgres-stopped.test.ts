/**
 * PostgreSQL stopped under load (`pg_ctl stop -m immediate`), then restarted: the bridge answers
 * 503 with Retry-After while the database is gone, never 500, and every request that got a 2xx has
 * its effect in the database afterwards (docs/reliability.md W11, X3 b).
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
import { faultStore, lostAcknowledged, runLoad } from "./fault-env.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
	});

	afterAll(async () => {
		// Whatever hangs on the way out, the cluster must not outlive the test.
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
	});

	it("answers 503 with Retry-After, never 500, and loses no acknowledged request", async () => {
		const load = runLoad({ urls: [url], apiKey, guids, workers: 16 });
		await sleep(1000);
		const beforeKill = load.outcomes.length;
		await postgres.kill();
		await sleep(1500);
		const duringOutage = load.outcomes.length;
		await postgres.restart();
		await sleep(2000);
		const outcomes = await load.stop();

		const statuses = new Map<number | null, number>();
		for (const o of outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
		console.info(
			"postgres stopped:",
			JSON.stringify({ beforeKill, duringOutage, total: outcomes.length, statuses: [...statuses] }),
		);
		expect([...statuses.keys()].every((s) => s === 200 || s === 503)).toBe(true);
		expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
		expect(outcomes.filter((o) => o.status === 503).every((o) => Number(o.retryAfter) > 0)).toBe(true);
		// The bridge recovered: requests after the restart were acknowledged again.
		expect(outcomes.slice(duringOutage).some((o) => o.status === 200)).toBe(true);
		expect(await lostAcknowledged(store, outcomes)).toEqual([]);
	}, 60_000);
});
