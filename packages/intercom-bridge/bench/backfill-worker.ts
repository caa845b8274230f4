/**
 * One instance of the backfill bench: its own process, its own store (PostgreSQL pool), running
 * `runBackfill` for one site against the emulator at BENCH_EMULATOR_URL, as the CLI's
 * `sync backfill` does. Tells its parent `{ type: "done", outcome, sent, skipped, failed, error }`
 * over IPC, then exits.
 *
 * Environment: DATABASE_URL, BENCH_SECRET_KEY (base64), BENCH_SITE, BENCH_EMULATOR_URL,
 * BENCH_BACKFILL_CONCURRENCY (default: runBackfill's).
 */
import { postgresStore } from "../src/db/postgres.ts";
import { createLogger } from "../src/logger.ts";
import { runBackfill } from "../src/sync/run-backfill.ts";
import { emulatorEndpoints } from "../test/faults/emulator-endpoints.ts";

const store = postgresStore({
	connectionString: process.env.DATABASE_URL ?? "",
	secretKey: Buffer.from(process.env.BENCH_SECRET_KEY ?? "", "base64"),
});
const concurrency = process.env.BENCH_BACKFILL_CONCURRENCY;
try {
	const result = await runBackfill({
		store,
		logger: createLogger({ level: "silent" }),
		site: process.env.BENCH_SITE ?? "default",
		endpoints: emulatorEndpoints(process.env.BENCH_EMULATOR_URL ?? ""),
		...(concurrency ? { concurrency: Number(concurrency) } : {}),
	});
	process.send?.({
		type: "done",
		outcome: result.outcome,
		sent: result.run.sent,
		skipped: result.run.skipped,
		failed: result.run.failed,
		error: result.run.lastError,
	});
} catch (err) {
	process.send?.({ type: "done", outcome: "error", error: (err as Error).message });
} finally {
	await store.close();
	process.disconnect?.();
}
