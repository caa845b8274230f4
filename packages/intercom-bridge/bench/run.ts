/**
 * `npm run bench`: measures the bridge against a bare baseline in the same run and writes
 * BENCHMARKS.md at the repository root. Loopback only; about 21 minutes on 2 cores (1,246 s on
 * 2026-12-03, before the page part's "own" comparison added about 22 s; the page part alone takes
 * about 3 minutes): about 10 for webhooks, page, PGlite, memory and start-up (BENCH_SECONDS sets the
 * seconds per measurement, default 8), about 11 for the Intercom rate-limit parts.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import type { AutocannonRequest } from "autocannon";
import pg from "pg";
import { startPostgres } from "../test/harness/postgres-server.ts";
import { backfillBench } from "./backfill.ts";
import { openCountedStore } from "./counted-store.ts";
import { footprintBench } from "./footprint.ts";
import { type BenchServer, type LoadResult, load, startServer, webhookRequest } from "./load.ts";
import { measurePgliteInsertLoop } from "./pglite-baseline.ts";
import { pinProcesses } from "./pin-cpus.ts";
import { postgresCpuMicrosBetween, postgresCpuSnapshot } from "./process-cpu.ts";
import { rateBudgetBench } from "./rate-budget.ts";
import { type BenchResults, renderReport } from "./report.ts";
import { BROWSER_UA, type Seeded, seedBenchStore } from "./seed.ts";
import { compareSlices, median, type Slice } from "./time-slices.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
/**
 * BENCH_ONLY=webhooks|page|pglite|memory|startup|rate-budget|backfill (comma-separated) runs only those parts, for
 * working on one number; such a partial run prints its results and leaves BENCHMARKS.md alone.
 * rate-budget (bench/rate-budget.ts, about 100 s; BENCH_RATE_SECONDS, BENCH_RATE_PER_MINUTE,
 * BENCH_RATE_LIVE_MS) and backfill (bench/backfill.ts, about 9 minutes: 20,000 contacts at
 * 10,000 calls a minute by one instance, then by two processes; BENCH_BACKFILL_CONTACTS,
 * BENCH_BACKFILL_PER_MINUTE, BENCH_BACKFILL_INSTANCES, BENCH_BACKFILL_CONCURRENCY) are part of
 * the full run too.
 * BENCH_CMP=helper,appHelper,... (with BENCH_ONLY=page) runs only those page comparisons. "own"
 * serves the floor against the helper's page under one load: the helper's own work as one paired
 * A/B, the figure its target is checked on (helper − floor, the difference of two A/Bs, is
 * printed beside it for reference).
 */
const only = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const part = (name: string) => only.size === 0 || only.has(name);
const secretKey = randomBytes(32);
const servers: BenchServer[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (r: LoadResult) =>
	`${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}` +
	(r.serverCpuMicros === undefined
		? ""
		: `, CPU/request: server ${r.serverCpuMicros} µs` +
			(r.postgresCpuMicros === null || r.postgresCpuMicros === undefined
				? ""
				: `, PostgreSQL ${r.postgresCpuMicros} µs`)) +
	(r.statementsPerRequest ? `, ${r.statementsPerRequest.toFixed(3)} statements/request under load` : "");

/** The rate-budget and backfill parts (issue #20 item 6), each when selected. */
async function intercomRateParts(postgresUrl: string): Promise<BenchResults["intercomRate"]> {
	const rateBudget = [];
	const backfill = [];
	if (part("rate-budget")) {
		log("rate budget on PostgreSQL");
		rateBudget.push(...(await rateBudgetBench(postgresUrl, log)));
	}
	if (part("backfill")) {
		log("backfill on PostgreSQL");
		backfill.push(...(await backfillBench(postgresUrl, log)));
	}
	return { rateBudget, backfill };
}

async function server(env: Record<string, string>): Promise<BenchServer> {
	const started = await startServer({ BENCH_SECRET_KEY: secretKey.toString("base64"), ...env });
	servers.push(started);
	return started;
}

async function createDatabase(baseUrl: string, name: string): Promise<string> {
	const client = new pg.Client({ connectionString: baseUrl });
	await client.connect();
	await client.query(`create database ${name}`);
	await client.end();
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

async function seedPostgres(url: string): Promise<Seeded> {
	const { store } = await openCountedStore(url, secretKey);
	await store.prepare();
	const seeded = await seedBenchStore(store);
	await store.close();
	return seeded;
}

/**
 * A timed load, with the CPU the server process and PostgreSQL's processes spent per request
 * (where the time goes, for reading the ratio; the warm-up is not counted).
 */
async function measuredLoad(
	target: BenchServer,
	request: AutocannonRequest,
	onPostgres: boolean,
	runSeconds = seconds,
	warmupSeconds = 2,
): Promise<LoadResult> {
	if (warmupSeconds > 0) await load({ url: target.url, request, seconds: warmupSeconds });
	const pgCpu = async () => (onPostgres ? postgresCpuSnapshot() : null);
	const [stats0, pg0] = [await target.stats(), await pgCpu()];
	const result = await load({ url: target.url, request, seconds: runSeconds });
	const [stats1, pg1] = [await target.stats(), await pgCpu()];
	const perRequest = (micros: number) => Math.round(micros / Math.max(1, result.requests));
	return {
		...result,
		serverCpuMicros: perRequest(stats1.cpuMicros - stats0.cpuMicros),
		postgresCpuMicros: pg0 && pg1 ? perRequest(postgresCpuMicrosBetween(pg0, pg1)) : null,
		statementsPerRequest: (stats1.queries - stats0.queries) / Math.max(1, result.requests),
	};
}

/** Rounds of baseline and bridge for each webhook (BENCH_WEBHOOK_ROUNDS). */
const webhookRounds = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 4);

/** Several runs as one: medians of the rates and latencies, CPU per request over all requests. */
function combine(runs: LoadResult[]): LoadResult {
	const requests = runs.reduce((n, r) => n + r.requests, 0);
	const perRequest = (value: (r: LoadResult) => number | null | undefined) => {
		if (runs.some((r) => value(r) === null || value(r) === undefined)) return null;
		return Math.round(runs.reduce((n, r) => n + (value(r) ?? 0) * r.requests, 0) / Math.max(1, requests));
	};
	return {
		rps: median(runs.map((r) => r.rps)),
		p50: median(runs.map((r) => r.p50)),
		p99: median(runs.map((r) => r.p99)),
		requests,
		non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
		errors: runs.reduce((n, r) => n + r.errors, 0),
		serverCpuMicros: perRequest((r) => r.serverCpuMicros) ?? undefined,
		postgresCpuMicros: perRequest((r) => r.postgresCpuMicros),
		statementsPerRequest:
			runs.reduce((n, r) => n + (r.statementsPerRequest ?? 0) * r.requests, 0) / Math.max(1, requests),
	};
}

async function webhooks(bridge: BenchServer, seeded: Seeded, database: string, baseline?: BenchServer) {
	const rows: BenchResults["webhooks"] = [];
	for (const endpoint of ["updatecontact", "logactivity"] as const) {
		const request = webhookRequest(endpoint, seeded.apiKey, seeded.guids);
		const onPostgres = database === "postgres";
		let base: LoadResult | null = null;
		let measured: LoadResult;
		let ratios: BenchResults["webhooks"][number]["ratios"] = null;
		if (baseline) {
			// Rounds of baseline and bridge in turn (ABBA), each ratio taken within its round: one run
			// of each moved the ratio between 64% and 111% on this VM as the machine drifted.
			const segment = Math.max(2, Math.round(seconds / 2));
			const runs: { baseline: LoadResult[]; bridge: LoadResult[] } = { baseline: [], bridge: [] };
			for (let round = 0; round < webhookRounds; round++) {
				const order = round % 2 ? (["bridge", "baseline"] as const) : (["baseline", "bridge"] as const);
				for (const who of order) {
					const target = who === "baseline" ? baseline : bridge;
					runs[who].push(await measuredLoad(target, request, onPostgres, segment, 1));
				}
			}
			base = combine(runs.baseline);
			measured = combine(runs.bridge);
			const within = (f: (own: LoadResult, theirs: LoadResult) => number) =>
				median(runs.bridge.map((r, i) => f(r, runs.baseline[i] ?? r)));
			ratios = {
				rounds: webhookRounds,
				throughput: within((r, b) => r.rps / b.rps),
				p99: within((r, b) => r.p99 / Math.max(b.p99, 1)),
			};
			log(`  ${endpoint} baseline: ${fmt(base)}`);
			log(
				`  ${endpoint} ratios (median of ${webhookRounds} rounds): throughput ${(ratios.throughput * 100).toFixed(0)}%, p99 ${ratios.p99.toFixed(2)}×`,
			);
		} else {
			measured = await measuredLoad(bridge, request, onPostgres);
		}
		log(`  ${endpoint} ${database} bridge: ${fmt(measured)}`);
		// Statements per request, counted on 50 requests sent one by one: the cost the ratio reflects.
		// First let the requests still in flight when the load stopped finish.
		await new Promise((r) => setTimeout(r, 1000));
		const before = (await bridge.stats()).queries;
		await load({ url: bridge.url, request, amount: 50, connections: 1 });
		const statements = ((await bridge.stats()).queries - before) / 50;
		log(`  ${endpoint} ${database}: ${statements} statements/request`);
		if (process.env.BENCH_DEBUG) {
			const histogram = new Map<string, number>();
			for (const q of (await bridge.stats()).recent.slice(-Math.round(statements * 50))) {
				const key = q.replace(/\s+/g, " ").slice(0, 90);
				histogram.set(key, (histogram.get(key) ?? 0) + 1);
			}
			for (const [q, n] of histogram) log(`    ${n}× ${q}`);
		}
		rows.push({ endpoint, database, bridge: measured, baseline: base, ratios, statements });
	}
	return rows;
}

/**
 * The page comparisons: each serves variant A and B of one page in alternating slices of time
 * under one load (time-slices.ts); the cost is B's against A's.
 */
/** What a comparison's variants are built from: bytes the helper adds to each page, and its settings alone. */
interface PageBytes {
	/** Body and header bytes the helper adds to the 2 KB page. */
	page: number;
	/** The same on the page the Hono app renders. */
	app: number;
	/** `<script>window.intercomSettings={…}</script>`: the visitor's settings, without the loader. */
	settings: number;
}

const PAGE_COMPARISONS = [
	{ name: "helper", path: "/ab", variants: (_: PageBytes) => ["/bare", "/page"] },
	// The bare page against itself: the noise floor.
	{ name: "control", path: "/ab", variants: (_: PageBytes) => ["/bare", "/bare"] },
	{ name: "padded", path: "/ab", variants: (b: PageBytes) => ["/bare", `/padded?bytes=${b.page}`] },
	// What any helper must add, without its work: the bytes, the Cache-Control header, one await.
	{ name: "floor", path: "/ab", variants: (b: PageBytes) => ["/bare", `/floor?bytes=${b.page}`] },
	{ name: "medianHelper", path: "/median/ab", variants: (_: PageBytes) => ["/bare", "/page"] },
	// A page a framework renders (Hono, hono/html, a 30-item product list): at most 3% (report.ts).
	{ name: "appHelper", path: "/app/ab", variants: (_: PageBytes) => ["/bare", "/page"] },
	// The helper's own work directly: the floor (A) against the helper's page (B), same bytes.
	{ name: "own", path: "/ab", variants: (b: PageBytes) => [`/floor?bytes=${b.page}`, "/page"] },
	// The same three on the Hono page (decision 0047): what any helper must add there (its bytes and
	// the header; no await, since the helper's Hono script needs none for a known visitor), the
	// helper's own work beyond it, and the visitor's settings alone (what an install with identity
	// verification puts on the page whatever its loader).
	{ name: "appFloor", path: "/app/ab", variants: (b: PageBytes) => ["/bare", `/floor?bytes=${b.app}`] },
	{ name: "appOwn", path: "/app/ab", variants: (b: PageBytes) => [`/floor?bytes=${b.app}`, "/page"] },
	{
		name: "appSettings",
		path: "/app/ab",
		variants: (b: PageBytes) => ["/bare", `/padded?bytes=${b.settings}`],
	},
] as const;

/** Seconds each page comparison is measured (BENCH_PAGE_SECONDS), after 2 s of warm-up. */
const pageSeconds = Number(process.env.BENCH_PAGE_SECONDS ?? 20);
/**
 * Length of a slice of one variant. Shorter slices give more pairs (with 250 ms, 31 pairs left
 * about ±4 points between runs); the requests in flight at a switch (50 connections, 2–3 ms)
 * blur about 3% of a slice, which shrinks a cost by that share, not more.
 */
const SLICE_MS = 100;

async function page(bridge: BenchServer): Promise<BenchResults["page"]> {
	const known = { "user-agent": BROWSER_UA, cookie: bridge.cookie };
	const get = (path: string, headers: Record<string, string>) => ({ method: "GET", path, headers });
	const body = async (path: string) => (await fetch(`${bridge.url}${path}`, { headers: known })).text();
	// Body and header lines ("name: value\r\n"): the helper also adds Cache-Control: private, no-store.
	const responseBytes = async (path: string) => {
		const res = await fetch(`${bridge.url}${path}`, { headers: known });
		let bytes = Buffer.byteLength(await res.text());
		for (const [name, value] of res.headers) bytes += name.length + value.length + 4;
		return bytes;
	};
	const bytesAdded = (await responseBytes("/page")) - (await responseBytes("/bare"));
	const appBytesAdded = (await responseBytes("/app/page")) - (await responseBytes("/app/bare"));
	// The settings statement up to the loader's IIFE, as a script of its own.
	const settings = /window\.intercomSettings=\{.*?\}(?=;\(function)/.exec(await body("/app/page"))?.[0];
	if (!settings) throw new Error("the Hono page has no window.intercomSettings before the loader");
	const settingsBytes = Buffer.byteLength(`<script>${settings}</script>`);
	const bytes: PageBytes = { page: bytesAdded, app: appBytesAdded, settings: settingsBytes };
	// The server on one core, autocannon (this process) on the other: see pin-cpus.ts.
	const unpin = pinProcesses([
		{ pid: bridge.child.pid ?? 0, cpus: "0" },
		{ pid: process.pid, cpus: "1" },
	]);
	const comparisons = {} as BenchResults["page"]["comparisons"];
	const warmupSeconds = 2;
	try {
		const named = process.env.BENCH_CMP?.split(",");
		for (const c of PAGE_COMPARISONS.filter((x) => !named || named.includes(x.name))) {
			await bridge.command({ type: "slice", variants: c.variants(bytes), sliceMs: SLICE_MS });
			const run = await load({
				url: bridge.url,
				request: get(c.path, known),
				seconds: warmupSeconds + pageSeconds,
			});
			const { slices } = await bridge.command<{ slices: Slice[] }>({ type: "sliceStop" });
			const compared = compareSlices(slices, Math.ceil((warmupSeconds * 1000) / SLICE_MS));
			comparisons[c.name] = { ...compared, p99: run.p99, errors: run.non2xx + run.errors };
			log(
				`  ${c.name}: A ${compared.a.rps.toFixed(0)} req/s ${compared.a.cpuMicros.toFixed(1)} µs, B ${compared.b.rps.toFixed(0)} req/s ${compared.b.cpuMicros.toFixed(1)} µs; ` +
					`cost ${(compared.throughput * 100).toFixed(1)}% throughput, ${(compared.cpu * 100).toFixed(1)}% CPU (${compared.pairs} pairs)`,
			);
		}
	} finally {
		unpin?.();
	}
	const { helper, floor, own, control } = comparisons;
	if (own) {
		// The target of the helper's own work (report.ts): the floor against the helper's page, paired.
		log(
			`  helper's own work (own: floor A vs page B): ${(own.throughput * 100).toFixed(1)} points of throughput, ` +
				`${(own.b.cpuMicros - own.a.cpuMicros).toFixed(1)} µs of server CPU a view` +
				(control ? `; noise floor (control): ${(control.throughput * 100).toFixed(1)} points` : ""),
		);
	}
	const { appOwn } = comparisons;
	if (appOwn) {
		log(
			`  helper's own work on the Hono page (appOwn: floor A vs page B): ${(appOwn.throughput * 100).toFixed(1)} points of throughput, ` +
				`${(appOwn.b.cpuMicros - appOwn.a.cpuMicros).toFixed(1)} µs of server CPU a view`,
		);
	}
	if (helper && floor) {
		// For reference: the same quantity as the difference of two comparisons (noise of both).
		log(
			`  helper − floor (reference): ${((helper.throughput - floor.throughput) * 100).toFixed(1)} points of throughput, ` +
				`${(helper.b.cpuMicros - helper.a.cpuMicros - (floor.b.cpuMicros - floor.a.cpuMicros)).toFixed(1)} µs of server CPU a view`,
		);
	}
	await new Promise((r) => setTimeout(r, 1000)); // let requests in flight finish
	const before = await bridge.stats();
	const views = 200;
	for (let i = 0; i < views; i++) await body("/page");
	const after = await bridge.stats();
	const anonymous = await load({
		url: bridge.url,
		request: get("/page", { "user-agent": BROWSER_UA }),
		seconds,
	});
	const result: BenchResults["page"] = {
		seconds: pageSeconds,
		sliceMs: SLICE_MS,
		pinned: unpin !== null,
		comparisons,
		medianBytes: (await body("/median/bare")).length,
		appBytes: (await body("/app/bare")).length,
		queriesPerView: (after.queries - before.queries) / views,
		statements: [...new Set(after.recent.map((q) => q.replace(/\s+/g, " ").slice(0, 160)))],
		bytesAdded,
		appBytesAdded,
		settingsBytes,
		anonymous,
	};
	log(`  queries/view ${result.queriesPerView}, +${bytesAdded} bytes, anonymous: ${fmt(anonymous)}`);
	return result;
}

/**
 * The webhooks on PGlite against its practical ceilings (issue #21): the bare insert loop in its own
 * process, measured before and after the webhooks (the mean is the figure), and the bare HTTP server
 * on PGlite as the in-run baseline (ABBA rounds, as on PostgreSQL). Everything on data directories
 * on disk, as the default store runs.
 */
async function pgliteWebhooks(): Promise<{
	rows: BenchResults["webhooks"];
	ceiling: BenchResults["pgliteCeiling"];
}> {
	log("webhooks on PGlite (data directory on disk)");
	const before = await measurePgliteInsertLoop(seconds);
	log(`  bare PGlite insert loop: ${before.rate.toFixed(0)} inserts/s, CPU ${before.cpuMicros} µs/insert`);
	const lite = await server({ BENCH_PGLITE_DISK: "1" });
	if (!lite.seeded) throw new Error("the PGlite server reported no seed");
	const baseline = await server({ BENCH_MODE: "pglite-baseline", BENCH_SEEDED: JSON.stringify(lite.seeded) });
	const rows = await webhooks(lite, lite.seeded, "pglite", baseline);
	await baseline.stop();
	await lite.stop();
	const after = await measurePgliteInsertLoop(seconds);
	log(`  bare PGlite insert loop: ${after.rate.toFixed(0)} inserts/s, CPU ${after.cpuMicros} µs/insert`);
	const insertLoop = {
		rate: (before.rate + after.rate) / 2,
		rates: [before.rate, after.rate],
		cpuMicros: Math.round((before.cpuMicros + after.cpuMicros) / 2),
	};
	for (const row of rows) {
		log(
			`  ${row.endpoint} pglite: ${((row.bridge.rps / insertLoop.rate) * 100).toFixed(0)}% of the insert loop, p99 ${row.bridge.p99} ms`,
		);
	}
	return { rows, ceiling: { insertLoop } };
}

async function main() {
	const started = Date.now();
	const postgres = await startPostgres();
	try {
		const url = await createDatabase(postgres.url, "bench");
		const seeded = await seedPostgres(url);
		const rows: BenchResults["webhooks"] = [];
		let pageResult: BenchResults["page"] | null = null;
		let footprint: Awaited<ReturnType<typeof footprintBench>> | null = null;
		let pgliteCeiling: BenchResults["pgliteCeiling"] = null;
		if (part("webhooks") || part("page")) {
			const pgBridge = await server({ DATABASE_URL: url });
			if (part("webhooks")) {
				log("webhooks on PostgreSQL");
				const baseline = await server({
					DATABASE_URL: url,
					BENCH_MODE: "baseline",
					BENCH_SEEDED: JSON.stringify(seeded),
				});
				rows.push(...(await webhooks(pgBridge, seeded, "postgres", baseline)));
				await baseline.stop();
			}
			if (part("page")) {
				log("Messenger page on PostgreSQL");
				pageResult = await page(pgBridge);
			}
			await pgBridge.stop();
		}
		if (part("pglite")) {
			const lite = await pgliteWebhooks();
			rows.push(...lite.rows);
			pgliteCeiling = lite.ceiling;
		}
		if (part("memory") || part("startup")) {
			log("memory and start-up of `serve` beside the bare database (bench/footprint.ts)");
			footprint = await footprintBench({
				postgresUrl: await createDatabase(postgres.url, "bench_footprint"),
				secretKey,
				memory: part("memory"),
				startup: part("startup"),
				log,
			});
		}
		const intercomRate = await intercomRateParts(postgres.url);
		if (only.size > 0 || !pageResult || !footprint?.memory || !footprint.startup) {
			log(`partial run (BENCH_ONLY=${[...only].join(",")}): BENCHMARKS.md left as it is`);
			return;
		}
		const results: BenchResults = {
			seconds,
			webhooks: rows,
			page: pageResult,
			memory: footprint.memory,
			startup: footprint.startup,
			intercomRate,
			pgliteCeiling,
		};
		const target = new URL("../../../BENCHMARKS.md", import.meta.url);
		await writeFile(target, renderReport(results));
		log(`wrote ${target.pathname} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	} finally {
		for (const s of servers) await s.stop();
		await postgres.stop();
	}
}

await main();
