/**
 * The bridge as a service process for the fault tests: PostgreSQL store, webhook routes over
 * node:http, and the job runner calling the Intercom emulator at EMULATOR_URL (JOB_CONCURRENCY
 * jobs at once, default 2; JOB_LEASE_SECONDS, default 900). Migrates on start (as every instance does), then tells the parent its
 * port over IPC.
 */
import { createServer } from "node:http";
import { toNodeHandler } from "../../src/adapters/node.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { postgresStore } from "../../src/db/postgres.ts";
import { createJobRunner } from "../../src/jobs/create-job-runner.ts";
import { createLogger } from "../../src/logger.ts";
import { emulatorEndpoints } from "./emulator-endpoints.ts";

const endpoints = emulatorEndpoints(process.env.EMULATOR_URL ?? "");

const logger = createLogger({ level: process.env.LOG_LEVEL ?? "silent" });
const store = postgresStore({
	connectionString: process.env.DATABASE_URL,
	secretKey: process.env.INTERCOM_BRIDGE_SECRET_KEY,
	onPoolError: () => {},
});
await store.prepare();
const bridge = createIntercomBridge({ store, logger, endpoints });
const handler = toNodeHandler(bridge);
const server = createServer((req, res) => {
	handler(req, res).catch(() => {
		res.statusCode = 500;
		res.end();
	});
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const runner = createJobRunner({
	store,
	logger,
	endpoints,
	pollingIntervalSeconds: 0.5,
	retryDelaySeconds: 1,
	retryBackoff: false,
	concurrency: Number(process.env.JOB_CONCURRENCY ?? 2),
	leaseSeconds: Number(process.env.JOB_LEASE_SECONDS ?? 900),
});
await runner.start();
const address = server.address();
process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
