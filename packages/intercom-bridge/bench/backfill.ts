/**
 * The backfill on the shared rate budget (decisions 0031, 0034): N named contacts sent to the
 * emulator at BENCH_BACKFILL_PER_MINUTE calls a minute (default 10,000, Intercom's and the
 * emulator's default), by one instance, then by two instances: **each instance is its own
 * process** (bench/backfill-worker.ts, `runBackfill` as the CLI runs it) on one PostgreSQL
 * database, and the emulator runs in a third (bench/backfill-emulator.ts), so that none of them
 * steals the others' event loop. With two instances the contacts are split between two sites of
 * one workspace (half have an activity on each site): each process backfills its site, both draw
 * on one budget. Meanwhile this process (a third instance on the same database and budget) syncs a
 * visitor's change live about every 2 seconds.
 *
 * Measures over the whole windows of the backfill: calls Intercom accepted as a share of the limit
 * (target ≥ 90%), the share of answers that were 429 (target ≤ 0.1%), and the live-sync latency
 * (a new contact written locally until the emulator has it; p50, p99). The live path is contact
 * sync's own call (`syncContactToIntercom`, priority live), without the job queue's coalescing
 * delay, which adds its fixed seconds on top.
 *
 * Standalone: `node --conditions=dev-source packages/intercom-bridge/bench/backfill.ts`, or
 * `BENCH_ONLY=backfill npm run bench` (part of the full run too). BENCH_BACKFILL_CONTACTS (default
 * 20,000), BENCH_BACKFILL_PER_MINUTE (default 10,000), BENCH_BACKFILL_INSTANCES (default `1,2`),
 * BENCH_BACKFILL_CONCURRENCY (default: runBackfill's), BENCH_PROF=<dir> (CPU profiles of the
 * workers). Real time: about N × 2 calls ÷ the limit per run (20,000 at 10,000/min: 4 minutes).
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { postgresStore } from "../src/db/postgres.ts";
import { createIntercomClient } from "../src/intercom/create-intercom-client.ts";
import { createSharedRateBudget, rateBudgetKey } from "../src/intercom/rate-budget.ts";
import { createLogger } from "../src/logger.ts";
import { syncContactToIntercom } from "../src/sync/sync-contact.ts";
import { emulatorEndpoints } from "../test/faults/emulator-endpoints.ts";
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
	/** People sharing an external id with another (must be 0). */
	duplicates: number;
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

/** A child process of this bench, started with the dev-source condition; its IPC messages. */
function child(script: string, env: Record<string, string>, profile?: string) {
	const proc = fork(new URL(script, import.meta.url), [], {
		execArgv: [
			"--conditions=dev-source",
			"--no-warnings",
			...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
		],
		env: { ...process.env, ...env },
		stdio: ["ignore", "inherit", "inherit", "ipc"],
	});
	const next = (type: string) =>
		new Promise<Record<string, unknown>>((resolve, reject) => {
			const onMessage = (m: Record<string, unknown>) => {
				if (m?.type !== type) return;
				proc.off("message", onMessage);
				proc.off("exit", onExit);
				resolve(m);
			};
			const onExit = (code: number | null) =>
				reject(new Error(`${script} exited (${code}) before sending "${type}"`));
			proc.on("message", onMessage);
			proc.once("exit", onExit);
		});
	return { proc, next };
}

/** One run: `instances` worker processes, each backfilling its own site of one workspace. */
export async function measureBackfill(options: {
	postgresUrl: string;
	instances: number;
	contacts: number;
	perMinute: number;
	concurrency?: number;
	profileDir?: string;
}): Promise<BackfillBenchResult> {
	const { instances, contacts, perMinute } = options;
	const token = `tok_bench_backfill_${randomBytes(4).toString("hex")}`;
	const emulator = child("./backfill-emulator.ts", {
		BENCH_EMULATOR_TOKEN: token,
		BENCH_EMULATOR_APP_ID: APP_ID,
		BENCH_EMULATOR_PER_MINUTE: String(perMinute),
	});
	const procs = [emulator.proc];
	const databaseUrl = await freshDatabase(options.postgresUrl);
	const secretKey = randomBytes(32);
	const logger = createLogger({ level: "silent" });
	const store = postgresStore({ connectionString: databaseUrl, secretKey });
	try {
		const emulatorUrl = String((await emulator.next("listening")).url);
		const endpoints = emulatorEndpoints(emulatorUrl);
		await store.prepare();
		const sites: Array<{ id: number; codeName: string }> = [];
		for (let i = 0; i < instances; i++) {
			const site =
				i === 0
					? await store.requireSite("default")
					: await store.createSite({ codeName: `s${i}`, displayName: `Site ${i}` });
			for (const [k, v] of Object.entries({
				appId: APP_ID,
				accessToken: token,
				sendContactData: "always",
				syncContacts: "true",
			}))
				await store.setSetting(site.id, k, v);
			sites.push(site);
		}
		// N named contacts, each with an activity on one of the sites (in turn): each site's backfill
		// sends its share and passes the others' as not on site.
		const seed = new pg.Client({ connectionString: databaseUrl });
		await seed.connect();
		await seed.query(
			`insert into contacts (guid, email, first_name) select gen_random_uuid(), 'b' || g || '@example.com', 'B' || g from generate_series(1, $1::int) g`,
			[contacts],
		);
		await seed.query(
			`insert into activities (contact_guid, site_id, type_id, title, origin)
			 select guid, ($1::int[])[1 + (row_number() over (order by guid))::int % $2::int], 1, 'Seen', 'api' from contacts`,
			[sites.map((s) => s.id), instances],
		);
		await seed.end();

		// The live side: a visitor's change, synced on the same budget with priority live.
		const liveSite = sites[sites.length - 1] as { id: number };
		const liveClient = createIntercomClient({
			token,
			endpoints: endpoints("us"),
			rateBudget: createSharedRateBudget({
				store,
				key: rateBudgetKey({ appId: APP_ID, region: "us", token }),
			}),
		});
		const liveDeps = { store, logger, endpoints, fetch: globalThis.fetch, createClient: () => liveClient };
		const arrivals = new Map<string, (at: number) => void>();
		emulator.proc.on("message", (m: { type?: string; email?: string; at?: number }) => {
			if (m?.type === "arrived" && m.email) arrivals.get(m.email)?.(m.at ?? Date.now());
		});
		const latencies: number[] = [];
		let running = true;
		const live = (async () => {
			let n = 0;
			await sleep(WINDOW_MS); // after the warm-up window
			while (running) {
				const email = `live${n++}@example.com`;
				const arrived = new Promise<number>((resolve) => arrivals.set(email, resolve));
				const started = Date.now();
				const contact = await store.createContact({ email });
				await syncContactToIntercom(liveDeps, { guid: contact.guid }, { siteId: liveSite.id });
				const at = await Promise.race([arrived, sleep(30_000).then(() => Date.now())]);
				arrivals.delete(email);
				latencies.push(at - started);
				await sleep(2000 * (0.5 + Math.random()));
			}
		})();

		const started = Date.now();
		const workers = sites.map((site) => {
			const worker = child(
				"./backfill-worker.ts",
				{
					DATABASE_URL: databaseUrl,
					BENCH_SECRET_KEY: secretKey.toString("base64"),
					BENCH_SITE: site.codeName,
					BENCH_EMULATOR_URL: emulatorUrl,
					...(options.concurrency ? { BENCH_BACKFILL_CONCURRENCY: String(options.concurrency) } : {}),
				},
				options.profileDir,
			);
			procs.push(worker.proc);
			return worker.next("done");
		});
		const results = await Promise.all(workers);
		const ended = Date.now();
		running = false;
		await live;
		for (const r of results)
			if (r.outcome !== "done") throw new Error(`backfill ended ${r.outcome}: ${r.error}`);
		emulator.proc.send({ type: "stats" });
		const stats = (await emulator.next("stats")) as unknown as {
			answers: Array<[number, number]>;
			people: number;
			externalIds: number;
		};
		// Whole windows from the second one (the first teaches the budget the limit) to the last full one.
		const firstWindow = (Math.floor(started / WINDOW_MS) + 1) * WINDOW_MS;
		const lastWindow = Math.floor(ended / WINDOW_MS) * WINDOW_MS;
		const windows = Math.max(1, (lastWindow - firstWindow) / WINDOW_MS);
		const accepted = stats.answers.filter(
			([at, status]) => status !== 429 && at >= firstWindow && at < lastWindow,
		).length;
		const refused = stats.answers.filter(([, status]) => status === 429).length;
		const sorted = [...latencies].sort((a, b) => a - b);
		return {
			instances,
			contacts,
			perMinute,
			seconds: (ended - started) / 1000,
			windows,
			callsPerSecond: accepted / (windows * (WINDOW_MS / 1000)),
			shareOfLimit: accepted / (windows * Math.ceil(perMinute / 6)),
			answers: stats.answers.length,
			refused,
			refusedShare: refused / Math.max(1, stats.answers.length),
			liveSyncs: sorted.length,
			liveP50: percentile(sorted, 0.5),
			liveP99: percentile(sorted, 0.99),
			liveMax: sorted.at(-1) ?? Number.NaN,
			people: stats.people,
			duplicates: stats.people - stats.externalIds,
		};
	} finally {
		await store.close();
		for (const proc of procs) if (proc.exitCode === null && proc.signalCode === null) proc.kill();
	}
}

/** One line per run, for the console. */
export function formatBackfill(r: BackfillBenchResult): string {
	return (
		`${r.instances} instance(s), ${r.contacts} contacts, ${r.perMinute}/min: ${r.seconds.toFixed(0)} s, ${r.windows} whole windows, ` +
		`${r.callsPerSecond.toFixed(2)} calls/s = ${(r.shareOfLimit * 100).toFixed(1)}% of the limit; 429s ${r.refused}/${r.answers} = ${(r.refusedShare * 100).toFixed(3)}%; ` +
		`live sync ${r.liveSyncs}: p50 ${r.liveP50.toFixed(0)} ms, p99 ${r.liveP99.toFixed(0)} ms, max ${r.liveMax.toFixed(0)} ms; people in Intercom ${r.people} (${r.duplicates} duplicates)`
	);
}

/** One instance, then two, on databases created at `postgresUrl`'s server. */
export async function backfillBench(
	postgresUrl: string,
	log: (line: string) => void,
): Promise<BackfillBenchResult[]> {
	const contacts = Number(process.env.BENCH_BACKFILL_CONTACTS ?? 20_000);
	const perMinute = Number(process.env.BENCH_BACKFILL_PER_MINUTE ?? 10_000);
	const concurrency = process.env.BENCH_BACKFILL_CONCURRENCY
		? Number(process.env.BENCH_BACKFILL_CONCURRENCY)
		: undefined;
	const profileDir = process.env.BENCH_PROF || undefined;
	const counts = (process.env.BENCH_BACKFILL_INSTANCES ?? "1,2")
		.split(",")
		.map(Number)
		.filter((n) => n >= 1);
	const results: BackfillBenchResult[] = [];
	for (const instances of counts) {
		const result = await measureBackfill({
			postgresUrl,
			instances,
			contacts,
			perMinute,
			...(concurrency ? { concurrency } : {}),
			...(profileDir ? { profileDir } : {}),
		});
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
