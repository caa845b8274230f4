/**
 * The backfill on the shared rate budget (decision 0031): N named contacts sent to the emulator,
 * limited to BENCH_BACKFILL_PER_MINUTE calls a minute, by one instance, then by two instances on
 * one PostgreSQL database (each its own store and pool, each backfilling a site of the same
 * workspace, so both draw on one budget), while a visitor's change is synced live about every
 * 2 seconds from the (last) instance.
 *
 * Measures over the whole windows of the backfill: calls Intercom accepted as a share of the limit
 * (target ≥ 90%), the share of answers that were 429 (target ≤ 0.1%), and the live-sync latency
 * (a new contact written locally until the emulator has it; p50, p99). The live path is contact
 * sync's own call (`syncContactToIntercom`, priority live), without the job queue's coalescing
 * delay, which adds its fixed seconds on top.
 *
 * Standalone: `node --conditions=dev-source packages/intercom-bridge/bench/backfill.ts`, or
 * `BENCH_ONLY=backfill npm run bench`. BENCH_BACKFILL_CONTACTS (default 1200) and
 * BENCH_BACKFILL_PER_MINUTE (default 3000): real time about N × 2 calls ÷ the limit, twice that for
 * two instances.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { postgresStore } from "../src/db/postgres.ts";
import { createIntercomClient } from "../src/intercom/create-intercom-client.ts";
import { createSharedRateBudget, rateBudgetKey } from "../src/intercom/rate-budget.ts";
import { createLogger } from "../src/logger.ts";
import type { Store } from "../src/store/create-store.ts";
import { runBackfill } from "../src/sync/run-backfill.ts";
import { syncContactToIntercom } from "../src/sync/sync-contact.ts";
import { createIntercomEmulator } from "../src/testing/index.ts";
import { startPostgres } from "../test/harness/postgres-server.ts";

const WINDOW_MS = 10_000;
const APP_ID = "benchapp";

/** One run's numbers. */
export interface BackfillBenchResult {
	instances: number;
	contacts: number;
	perMinute: number;
	seconds: number;
	windows: number;
	callsPerSecond: number;
	shareOfLimit: number;
	answers: number;
	refused: number;
	refusedShare: number;
	liveSyncs: number;
	liveP50: number;
	liveP99: number;
	liveMax: number;
	/** People in the emulator at the end (must be N plus the live ones). */
	people: number;
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0
		? Number.NaN
		: (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freshDatabase(postgresUrl: string): Promise<string> {
	const admin = new pg.Client({ connectionString: postgresUrl });
	await admin.connect();
	const name = `bench_backfill_${randomBytes(4).toString("hex")}`;
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(postgresUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** One run: `instances` stores, each backfilling its own site of one workspace. */
export async function measureBackfill(options: {
	postgresUrl: string;
	instances: number;
	contacts: number;
	perMinute: number;
}): Promise<BackfillBenchResult> {
	const { instances, contacts, perMinute } = options;
	const token = `tok_bench_backfill_${randomBytes(4).toString("hex")}`;
	const emulator = createIntercomEmulator({
		tokens: [token],
		apps: [{ appId: APP_ID }],
		rateLimitPerMinute: perMinute,
	});
	const server = await emulator.listen();
	const endpoints = (r?: "us" | "eu" | "au") => emulator.endpoints(r);
	const databaseUrl = await freshDatabase(options.postgresUrl);
	const secretKey = randomBytes(32);
	const logger = createLogger({ level: "silent" });
	const stores: Store[] = [];
	try {
		for (let i = 0; i < instances; i++) {
			const store = postgresStore({ connectionString: databaseUrl, secretKey });
			await store.prepare();
			stores.push(store);
		}
		const first = stores[0] as Store;
		const sites: string[] = [];
		for (let i = 0; i < instances; i++) {
			const site =
				i === 0
					? await first.requireSite("default")
					: await first.createSite({ codeName: `s${i}`, displayName: `Site ${i}` });
			for (const [k, v] of Object.entries({
				appId: APP_ID,
				accessToken: token,
				sendContactData: "always",
				syncContacts: "true",
			}))
				await first.setSetting(site.id, k, v);
			sites.push(site.codeName);
		}
		const seed = new pg.Client({ connectionString: databaseUrl });
		await seed.connect();
		await seed.query(
			`insert into contacts (guid, email, first_name) select gen_random_uuid(), 'b' || g || '@example.com', 'B' || g from generate_series(1, $1::int) g`,
			[contacts],
		);
		await seed.end();

		// The live side: a visitor's change, synced on the same budget with priority live.
		const liveStore = stores[stores.length - 1] as Store;
		const liveSite = await liveStore.requireSite(sites[sites.length - 1] as string);
		const liveClient = createIntercomClient({
			token,
			endpoints: endpoints("us"),
			fetch: (input, init) => globalThis.fetch(input, init),
			rateBudget: createSharedRateBudget({ store: liveStore, key: rateBudgetKey({ region: "us", token }) }),
		});
		const liveDeps = {
			store: liveStore,
			logger,
			endpoints,
			fetch: globalThis.fetch,
			createClient: () => liveClient,
		};
		const latencies: number[] = [];
		let running = true;
		const live = (async () => {
			let n = 0;
			await sleep(WINDOW_MS); // after the warm-up window
			while (running) {
				const started = performance.now();
				const contact = await liveStore.createContact({ email: `live${n++}@example.com` });
				await syncContactToIntercom(liveDeps, { guid: contact.guid }, { siteId: liveSite.id });
				while (!emulator.contacts().some((c) => c.external_id === contact.guid)) await sleep(5);
				latencies.push(performance.now() - started);
				await sleep(2000 * (0.5 + Math.random()));
			}
		})();

		const started = Date.now();
		const results = await Promise.all(
			stores.map((store, i) =>
				runBackfill({
					store,
					logger,
					site: sites[i] as string,
					endpoints,
					fetch: (input, init) => globalThis.fetch(input, init),
				}),
			),
		);
		const ended = Date.now();
		running = false;
		await live;
		for (const r of results)
			if (r.outcome !== "done") throw new Error(`backfill ended ${r.outcome}: ${r.run.lastError}`);
		// Whole windows from the second one (the first teaches the budget the limit) to the last full one.
		const firstWindow = (Math.floor(started / WINDOW_MS) + 1) * WINDOW_MS;
		const lastWindow = Math.floor(ended / WINDOW_MS) * WINDOW_MS;
		const windows = Math.max(1, (lastWindow - firstWindow) / WINDOW_MS);
		const answers = emulator.requests.filter((r) => r.path.startsWith("/contacts"));
		const accepted = answers.filter(
			(r) => r.status !== 429 && r.at >= firstWindow && r.at < lastWindow,
		).length;
		const refused = answers.filter((r) => r.status === 429).length;
		const sorted = [...latencies].sort((a, b) => a - b);
		return {
			instances,
			contacts,
			perMinute,
			seconds: (ended - started) / 1000,
			windows,
			callsPerSecond: accepted / (windows * (WINDOW_MS / 1000)),
			shareOfLimit: accepted / (windows * Math.ceil(perMinute / 6)),
			answers: answers.length,
			refused,
			refusedShare: refused / Math.max(1, answers.length),
			liveSyncs: sorted.length,
			liveP50: percentile(sorted, 0.5),
			liveP99: percentile(sorted, 0.99),
			liveMax: sorted.at(-1) ?? Number.NaN,
			people: emulator.contacts().length,
		};
	} finally {
		for (const store of stores) await store.close();
		await server.close();
	}
}

/** One line per run, for the console. */
export function formatBackfill(r: BackfillBenchResult): string {
	return (
		`${r.instances} instance(s), ${r.contacts} contacts, ${r.perMinute}/min: ${r.seconds.toFixed(0)} s, ${r.windows} whole windows, ` +
		`${r.callsPerSecond.toFixed(2)} calls/s = ${(r.shareOfLimit * 100).toFixed(1)}% of the limit; 429s ${r.refused}/${r.answers} = ${(r.refusedShare * 100).toFixed(3)}%; ` +
		`live sync ${r.liveSyncs}: p50 ${r.liveP50.toFixed(0)} ms, p99 ${r.liveP99.toFixed(0)} ms, max ${r.liveMax.toFixed(0)} ms; people in Intercom ${r.people}`
	);
}

/** One instance, then two, on databases created at `postgresUrl`'s server. */
export async function backfillBench(
	postgresUrl: string,
	log: (line: string) => void,
): Promise<BackfillBenchResult[]> {
	const contacts = Number(process.env.BENCH_BACKFILL_CONTACTS ?? 1200);
	const perMinute = Number(process.env.BENCH_BACKFILL_PER_MINUTE ?? 3000);
	const results: BackfillBenchResult[] = [];
	for (const instances of [1, 2]) {
		const result = await measureBackfill({ postgresUrl, instances, contacts, perMinute });
		log(`  ${formatBackfill(result)}`);
		results.push(result);
	}
	return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const postgres = await startPostgres();
	try {
		process.stdout.write("backfill on PostgreSQL\n");
		await backfillBench(postgres.url, (line) => process.stdout.write(`${line}\n`));
	} finally {
		await postgres.stop();
	}
}
