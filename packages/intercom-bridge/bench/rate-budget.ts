/**
 * The shared Intercom rate budget under load (decision 0024): one and then two instances (each its
 * own store and pool on one PostgreSQL database) push bulk calls at the emulator, limited to
 * 600 calls a minute (100 per 10-second window), while a live call is made every second.
 *
 * Measures, over whole windows after a warm-up window: the calls Intercom accepted as a share of
 * the limit (target ≥ 90%), the share of answers that were 429 (target ≤ 0.1%), and the latency of
 * the live calls (p50, p99), which wait only when the live reserve itself is used up.
 *
 * Standalone: `node --conditions=dev-source packages/intercom-bridge/bench/rate-budget.ts`
 * (BENCH_RATE_SECONDS, default 30; BENCH_RATE_PER_MINUTE, default 600; BENCH_RATE_LIVE_MS, the mean
 * pause between live calls, default 2500), or
 * `BENCH_ONLY=rate-budget npm run bench`. Real time: about 2 × (seconds + 20) s.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { postgresStore } from "../src/db/postgres.ts";
import { createIntercomClient, type IntercomClient } from "../src/intercom/create-intercom-client.ts";
import { createSharedRateBudget, rateBudgetKey } from "../src/intercom/rate-budget.ts";
import type { Store } from "../src/store/create-store.ts";
import { createIntercomEmulator } from "../src/testing/index.ts";
import { startPostgres } from "../test/harness/postgres-server.ts";

const WINDOW_MS = 10_000;
const TOKEN = "tok_bench_rate_budget";

/** One run's numbers. */
export interface RateBudgetResult {
	instances: number;
	perMinute: number;
	/** Whole windows measured. */
	windows: number;
	/** Accepted calls (bulk and live) per second, and as a share of the limit. */
	callsPerSecond: number;
	shareOfLimit: number;
	/** Accepted bulk calls alone, as a share of the limit. */
	bulkShareOfLimit: number;
	/** Answers that were 429, over every answer of the run (warm-up included). */
	answers: number;
	refused: number;
	refusedShare: number;
	/** Live calls made during the bulk load, and their latency in ms. */
	liveCalls: number;
	liveP50: number;
	liveP99: number;
	liveMax: number;
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0
		? Number.NaN
		: (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs bulk load from `instances` stores on `databaseUrl` for `seconds` of whole windows. */
export async function measureRateBudget(options: {
	databaseUrl: string;
	instances: number;
	seconds: number;
	perMinute: number;
	/** Bulk calls in flight per instance. Default 16. */
	concurrency?: number;
	/** Mean pause between two live calls (ms). Default 2500: four a window, within a 5% reserve of 100. */
	liveEveryMs?: number;
}): Promise<RateBudgetResult> {
	const { instances, perMinute } = options;
	const liveEveryMs = options.liveEveryMs ?? 2500;
	const concurrency = options.concurrency ?? 16;
	const emulator = createIntercomEmulator({ tokens: [TOKEN], rateLimitPerMinute: perMinute });
	const server = await emulator.listen();
	const endpoints = emulator.endpoints();
	const secretKey = randomBytes(32);
	const stores: Store[] = [];
	try {
		for (let i = 0; i < instances; i++) {
			const store = postgresStore({ connectionString: options.databaseUrl, secretKey });
			await store.prepare();
			stores.push(store);
		}
		// Each run its own workspace key, so runs do not inherit each other's window.
		const key = rateBudgetKey({
			appId: `bench-${randomBytes(4).toString("hex")}`,
			region: "us",
			token: TOKEN,
		});
		const clients: IntercomClient[] = stores.map((store) =>
			createIntercomClient({ token: TOKEN, endpoints, rateBudget: createSharedRateBudget({ store, key }) }),
		);
		// One warm-up window (the budget learns the limit), then whole windows measured.
		const firstWindow = (Math.floor(Date.now() / WINDOW_MS) + 2) * WINDOW_MS;
		const windows = Math.max(1, Math.round(options.seconds / (WINDOW_MS / 1000)));
		const end = firstWindow + windows * WINDOW_MS;
		let stop = false;
		let bulkFailures = 0;
		const bulk = clients.flatMap((client) => {
			const view = client.withCallOptions({ priority: "bulk" });
			return Array.from({ length: concurrency }, async () => {
				while (!stop) {
					try {
						await view.me();
					} catch {
						bulkFailures++;
					}
				}
			});
		});
		const liveLatencies: number[] = [];
		let liveAccepted = 0;
		const live = (async () => {
			while (Date.now() < firstWindow) await sleep(200);
			let n = 0;
			while (Date.now() < end - 1000) {
				const client = clients[n++ % clients.length] as IntercomClient;
				const started = performance.now();
				await client.me();
				liveLatencies.push(performance.now() - started);
				liveAccepted++;
				// A visitor's change every `liveEveryMs` on average, at random points of the windows.
				await sleep(liveEveryMs * (0.5 + Math.random()));
			}
		})();
		while (Date.now() < end) await sleep(200);
		await live;
		stop = true;
		await Promise.all(bulk);
		if (bulkFailures > 0) throw new Error(`${bulkFailures} bulk calls failed`);
		const answers = emulator.requests.filter((r) => r.path === "/me");
		const accepted = answers.filter((r) => r.status === 200 && r.at >= firstWindow && r.at < end).length;
		const refused = answers.filter((r) => r.status === 429).length;
		const limitPerWindow = Math.ceil(perMinute / 6);
		const sorted = [...liveLatencies].sort((a, b) => a - b);
		return {
			instances,
			perMinute,
			windows,
			callsPerSecond: accepted / (windows * (WINDOW_MS / 1000)),
			shareOfLimit: accepted / (windows * limitPerWindow),
			bulkShareOfLimit: (accepted - liveAccepted) / (windows * limitPerWindow),
			answers: answers.length,
			refused,
			refusedShare: refused / Math.max(1, answers.length),
			liveCalls: sorted.length,
			liveP50: percentile(sorted, 0.5),
			liveP99: percentile(sorted, 0.99),
			liveMax: sorted.at(-1) ?? Number.NaN,
		};
	} finally {
		for (const store of stores) await store.close();
		await server.close();
	}
}

/** One line per run, for the console. */
export function formatRateBudget(r: RateBudgetResult): string {
	return (
		`${r.instances} instance(s), ${r.perMinute}/min, ${r.windows} windows: ${r.callsPerSecond.toFixed(2)} calls/s = ` +
		`${(r.shareOfLimit * 100).toFixed(1)}% of the limit (bulk alone ${(r.bulkShareOfLimit * 100).toFixed(1)}%); 429s ${r.refused}/${r.answers} = ${(r.refusedShare * 100).toFixed(2)}%; ` +
		`live ${r.liveCalls} calls p50 ${r.liveP50.toFixed(0)} ms, p99 ${r.liveP99.toFixed(0)} ms, max ${r.liveMax.toFixed(0)} ms`
	);
}

/** Both runs (one instance, two instances) on a database created at `postgresUrl`'s server. */
export async function rateBudgetBench(
	postgresUrl: string,
	log: (line: string) => void,
): Promise<RateBudgetResult[]> {
	const seconds = Number(process.env.BENCH_RATE_SECONDS ?? 30);
	const perMinute = Number(process.env.BENCH_RATE_PER_MINUTE ?? 600);
	const admin = new pg.Client({ connectionString: postgresUrl });
	await admin.connect();
	const name = `bench_rate_${randomBytes(4).toString("hex")}`;
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(postgresUrl);
	url.pathname = `/${name}`;
	const results: RateBudgetResult[] = [];
	for (const instances of [1, 2]) {
		const liveEveryMs = Number(process.env.BENCH_RATE_LIVE_MS ?? 2500);
		const result = await measureRateBudget({
			databaseUrl: url.toString(),
			instances,
			seconds,
			perMinute,
			liveEveryMs,
		});
		log(`  ${formatRateBudget(result)}`);
		results.push(result);
	}
	return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const postgres = await startPostgres();
	try {
		process.stdout.write("rate budget on PostgreSQL\n");
		await rateBudgetBench(postgres.url, (line) => process.stdout.write(`${line}\n`));
	} finally {
		await postgres.stop();
	}
}
