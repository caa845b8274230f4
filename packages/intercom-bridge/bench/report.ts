/** Renders the benchmark results as BENCHMARKS.md: the machine, the date, the tables and the verdicts. */
import { cpus, totalmem } from "node:os";
import type { BackfillBenchResult } from "./backfill.ts";
import { type FootprintRow, renderFootprint, type StartupRow } from "./footprint.ts";
import type { LoadResult } from "./load.ts";
import type { RateBudgetResult } from "./rate-budget.ts";
import type { SliceComparison } from "./time-slices.ts";

/**
 * The webhook targets against the baseline on PostgreSQL: issue #19 asked for at least 75% of its
 * throughput with p99 at most 1.6×, issue #21 for at least 80% and 1.5×; the stricter pair is shown.
 */
const WEBHOOK_TARGETS = { throughput: 0.8, p99: 1.5 };

/**
 * The Messenger helper's targets (issue #21): its own work (its cost beyond the floor's, what any
 * helper must add) at most 3 points of the 2 KB page's throughput, and at most 3% of the
 * throughput of the page a Hono app renders. The own work is checked on the "own" comparison (the
 * floor against the helper's page under one load: one paired A/B), not on helper − floor, which
 * is the difference of two A/Bs and carries the noise of both (decision 0046).
 */
const HELPER_TARGETS = { ownWorkPoints: 0.03, appPage: 0.03 };

/** Everything one `npm run bench` measured. */
export interface BenchResults {
	seconds: number;
	webhooks: Array<{
		endpoint: string;
		database: string;
		bridge: LoadResult;
		baseline: LoadResult | null;
		/** With a baseline: the medians over rounds of the bridge's throughput and p99 against the baseline's in the same round. */
		ratios: { rounds: number; throughput: number; p99: number } | null;
		/** SQL statements the bridge sends per request (the baseline sends 1). */
		statements: number;
	}>;
	page: {
		/** Seconds each comparison was measured, and the length of a slice of one variant. */
		seconds: number;
		sliceMs: number;
		/** Whether the server and the load generator each had a core of their own (pin-cpus.ts). */
		pinned: boolean;
		/**
		 * Each A/B comparison under one load (time-slices.ts). helper: the 2 KB page without and
		 * with the helper; control: the bare page against itself; padded: the bare page against
		 * itself made as long as with the helper; floor: the bare page against itself with only what
		 * any helper must add (those bytes, the Cache-Control header, one await); appHelper: a
		 * product list a Hono app renders, without and with the helper; medianHelper: the page of the median web page's
		 * size without and with the helper; own: the floor (A) against the helper's page (B), the
		 * helper's own work in one paired comparison; appFloor, appOwn: the floor and the own work on
		 * the Hono page (its floor has no await: decision 0047); appSettings: the Hono page against
		 * itself padded with the visitor's settings alone.
		 */
		comparisons: Record<
			| "helper"
			| "control"
			| "padded"
			| "floor"
			| "medianHelper"
			| "appHelper"
			| "own"
			| "appFloor"
			| "appOwn"
			| "appSettings",
			SliceComparison & { p99: number; errors: number }
		>;
		/** Length of the median-sized bare page. */
		medianBytes: number;
		/** Length of the framework-rendered bare page. */
		appBytes: number;
		queriesPerView: number;
		statements: string[];
		bytesAdded: number;
		/** Bytes the helper adds to the Hono page (body and headers). */
		appBytesAdded: number;
		/** Bytes of `<script>window.intercomSettings={…}</script>` on that page: the settings without a loader. */
		settingsBytes: number;
		anonymous: LoadResult;
	};
	/** `intercom-bridge serve` beside the bare database process, each database (bench/footprint.ts). */
	memory: FootprintRow[];
	startup: StartupRow[];
	/** Intercom's rate limit: the shared budget under synthetic load, and the backfill (issue #20 item 6). */
	intercomRate?: { rateBudget: RateBudgetResult[]; backfill: BackfillBenchResult[] };
	/** PGlite's ceiling (bench/pglite-baseline.ts); null when PGlite was not measured. */
	pgliteCeiling?: {
		/** The bare insert loop: mean of the runs before and after the webhooks, and each run. */
		insertLoop: { rate: number; rates: number[]; cpuMicros: number };
	} | null;
}

/**
 * The webhook targets on PGlite (issue #21): at least 30% of the bare PGlite insert loop's rate
 * measured in the same run, and p99 at most 100 ms at 50 connections.
 */
const PGLITE_TARGETS = { ofInsertLoop: 0.3, p99Ms: 100 };

/** The PGlite section: each webhook against the insert loop and the bare HTTP server on PGlite. */
function renderPglite(r: BenchResults): string[] {
	const loop = r.pgliteCeiling?.insertLoop;
	const rows = r.webhooks.filter((w) => w.database === "pglite");
	if (!loop || rows.length === 0) return [];
	return [
		"",
		"## Webhooks on PGlite",
		"",
		`Data directories on disk, as the default store runs. The ceiling is a bare Node process with PGlite doing single-row INSERTs in a loop: ${rps(loop.rate)} inserts/s (mean of ${loop.rates.map(rps).join(" and ")}, before and after the webhooks), ${loop.cpuMicros} µs CPU per insert. ` +
			"The bare HTTP server on PGlite (node:http, one UPDATE/INSERT per request, pglite-baseline.ts) ran in turn with the bridge, as on PostgreSQL.",
		"",
		"| endpoint | bridge req/s | p99 | server CPU/request | bare HTTP req/s | p99 | of the insert loop (≥ 30%) | p99 (≤ 100 ms) | of bare HTTP (in-round median) |",
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|",
		...rows.map((w) => {
			const ofLoop = w.bridge.rps / loop.rate;
			return `| ${w.endpoint} | ${rps(w.bridge.rps)} | ${ms(w.bridge.p99)} | ${w.bridge.serverCpuMicros ?? "–"} µs | ${w.baseline ? rps(w.baseline.rps) : "–"} | ${w.baseline ? ms(w.baseline.p99) : "–"} | ${pct(ofLoop)} ${verdict(ofLoop >= PGLITE_TARGETS.ofInsertLoop)} | ${ms(w.bridge.p99)} ${verdict(w.bridge.p99 <= PGLITE_TARGETS.p99Ms)} | ${w.ratios ? pct(w.ratios.throughput) : "–"} |`;
		}),
	];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const rps = (v: number) => v.toFixed(0);
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");

/** The Markdown text of BENCHMARKS.md. */
export function renderReport(r: BenchResults, now = new Date()): string {
	const cpu = cpus();
	const lines = [
		"# Benchmarks",
		"",
		"Written by `npm run bench` (packages/intercom-bridge/bench/run.ts); do not edit by hand.",
		"Absolute numbers on shared machines are noise: **the ratios, measured in the same run, are the result.**",
		"",
		`- Date: ${now.toISOString()}`,
		`- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${mb(totalmem())} memory, Node ${process.version}`,
		`- Load: autocannon over loopback, 50 connections, ${r.seconds} s per measurement after a 2 s warm-up;`,
		"  servers in their own processes; PostgreSQL 15 throw-away cluster (fsync off, synchronous_commit off, for both sides).",
		"- Baseline: bare node:http + node-postgres (pool of 10, like the store) doing the single UPDATE/INSERT.",
		`- Webhooks on PostgreSQL: ${r.webhooks.find((w) => w.ratios)?.ratios?.rounds ?? 0} rounds of baseline and bridge in turn, ${Math.max(2, Math.round(r.seconds / 2))} s each after 1 s of warm-up;`,
		"  req/s and latencies are medians over the rounds, and each ratio is the median of the ratios within a round.",
		"- The bridge runs concurrent webhooks together, up to 16 per statement (docs/decisions/0006-group-commit-webhooks.md);",
		"  statements/request is counted on requests sent one at a time, where each runs alone.",
		"",
		"## Webhooks",
		"",
		"| endpoint | database | bridge req/s | p50 | p99 | baseline req/s | p50 | p99 | throughput ratio (≥ 80%) | p99 ratio (≤ 1.5×) | non-2xx | statements/request (baseline 1) |",
		"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
	];
	for (const w of r.webhooks) {
		const b = w.baseline;
		const tput = w.ratios?.throughput ?? (b ? w.bridge.rps / b.rps : null);
		const p99 = w.ratios?.p99 ?? (b ? w.bridge.p99 / Math.max(b.p99, 1) : null);
		lines.push(
			`| ${w.endpoint} | ${w.database} | ${rps(w.bridge.rps)} | ${ms(w.bridge.p50)} | ${ms(w.bridge.p99)} | ${b ? rps(b.rps) : "–"} | ${b ? ms(b.p50) : "–"} | ${b ? ms(b.p99) : "–"} | ${tput === null ? "–" : `${pct(tput)}${w.database === "postgres" ? ` ${verdict(tput >= WEBHOOK_TARGETS.throughput)}` : " (info)"}`} | ${p99 === null ? "–" : `${p99.toFixed(2)}×${w.database === "postgres" ? ` ${verdict(p99 <= WEBHOOK_TARGETS.p99)}` : " (info)"}`} | ${w.bridge.non2xx + w.bridge.errors} | ${w.statements.toFixed(1)} |`,
		);
	}
	const us = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${v} µs`);
	lines.push(
		"",
		"Where the CPU goes, per request (server process; PostgreSQL's processes, from /proc; the rest of the two cores is autocannon's):",
		"",
		"| endpoint | database | bridge server | bridge PostgreSQL | baseline server | baseline PostgreSQL |",
		"|---|---|---:|---:|---:|---:|",
		...r.webhooks.map(
			(w) =>
				`| ${w.endpoint} | ${w.database} | ${us(w.bridge.serverCpuMicros)} | ${w.database === "postgres" ? us(w.bridge.postgresCpuMicros) : "(in the server)"} | ${us(w.baseline?.serverCpuMicros)} | ${us(w.baseline?.postgresCpuMicros)} |`,
		),
	);
	const p = r.page;
	const c = p.comparisons;
	// The verdict's figure: one paired comparison. helper − floor is shown beside it for reference.
	const ownWork = c.own.throughput;
	const ownByDifference = c.helper.throughput - c.floor.throughput;
	const points = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} points`;
	const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}%`;
	const costCell = (x: SliceComparison) =>
		`${signed(x.throughput)} throughput, ${signed(x.cpu)} server CPU (${x.pairs} slices)`;
	const pair = (x: SliceComparison) =>
		`${rps(x.a.rps)} / ${rps(x.b.rps)} req/s, server CPU ${x.a.cpuMicros.toFixed(1)} / ${x.b.cpuMicros.toFixed(1)} µs/request`;
	lines.push(
		"",
		"PGlite rows above are compared with the bare HTTP server on PGlite, for information; their targets are in the PGlite section.",
		...renderPglite(r),
		"",
		"## Messenger helper on a page (PostgreSQL, known contact by cookie)",
		"",
		`Each comparison serves the page without (A) and with (B) under one load of ${p.seconds} s, switching every ${p.sliceMs} ms, ` +
			"so that both see the same machine (bench/time-slices.ts). A cost is the median over B's slices of B's throughput against the A slices on either side." +
			(p.pinned
				? " The server has one core and autocannon the other (taskset), so the server is what saturates."
				: " The server and autocannon were not pinned to cores (no taskset): expect more noise."),
		"",
		"| measurement | value | target |",
		"|---|---:|---|",
		`| 2 KB page without / with helper | ${pair(c.helper)}, p99 ${ms(c.helper.p99)} | |`,
		`| cost of the helper on the 2 KB page | ${costCell(c.helper)} | the floor (below) plus the helper's own work |`,
		`| the bare page against itself (noise floor) | ${costCell(c.control)} | |`,
		`| the bare page against itself padded with the helper's bytes | ${costCell(c.padded)} | the bytes alone; the rest of the helper's cost is its work |`,
		`| the bare page with only what any helper must add: the bytes, \`Cache-Control: private, no-store\`, one await (the floor) | ${costCell(c.floor)} | |`,
		`| **the helper's own work on the 2 KB page** (the floor as A against the helper's page as B, under one load) | ${points(ownWork)} of throughput, ${points(c.own.cpu)} of server CPU (${c.own.pairs} slices; server CPU ${c.own.a.cpuMicros.toFixed(1)} / ${c.own.b.cpuMicros.toFixed(1)} µs/request); noise floor (control) ${points(c.control.throughput)} | ≤ 3 points of throughput ${verdict(ownWork <= HELPER_TARGETS.ownWorkPoints)} (the verdict uses this paired comparison, not the difference of two below) |`,
		`| the same as a difference, for reference (the helper's cost − the floor's: two comparisons, so the noise of both) | ${points(ownByDifference)} of throughput, ${points(c.helper.cpu - c.floor.cpu)} of server CPU | |`,
		`| page of the median web page's size (${(p.medianBytes / 1024).toFixed(0)} KB) without / with helper | ${pair(c.medianHelper)} | |`,
		`| cost of the helper on that page (information) | ${costCell(c.medianHelper)} | |`,
		`| page a Hono app renders (30-item product list with hono/html, the bridge's middleware; ${(p.appBytes / 1024).toFixed(1)} KB) without / with helper | ${pair(c.appHelper)} | |`,
		`| **cost of the helper on the page a Hono app renders** | ${costCell(c.appHelper)} | ≤ 3% of throughput ${verdict(c.appHelper.throughput <= HELPER_TARGETS.appPage)} |`,
		`| the Hono page with only what any helper must add: the helper's ${p.appBytesAdded} bytes and \`Cache-Control: private, no-store\` (its floor; no await) | ${costCell(c.appFloor)} | information (decision 0047) |`,
		`| the helper's own work on the Hono page (that floor as A against the helper's page as B, under one load) | ${points(c.appOwn.throughput)} of throughput, ${points(c.appOwn.cpu)} of server CPU (${c.appOwn.pairs} slices) | information |`,
		`| the Hono page with the visitor's settings alone (${p.settingsBytes} bytes: \`<script>window.intercomSettings={…}</script>\`, what an install with identity verification adds whatever its loader) | ${costCell(c.appSettings)} | information |`,
		`| database statements per page view | ${p.queriesPerView.toFixed(2)} | ≤ 1 indexed read (+ the background re-check of the site and its settings, at most every 0.1 s) ${verdict(p.queriesPerView <= 1.05)} |`,
		`| bytes the helper adds to the response (body and headers) | ${p.bytesAdded} | |`,
		`| new anonymous visitors (contact created, cookie set) | ${rps(p.anonymous.rps)} /s, p99 ${ms(p.anonymous.p99)} | |`,
		"",
		// The last statements the store sent by the end of the 200 counted views: the page view's own
		// read, if any, and whatever ran in the background meanwhile (the site re-check, the job
		// queue's upkeep), all of which the count above includes.
		`Statements sent during the 200 counted page views (the view's read and background work: the site re-check, the job queue's upkeep): \`${p.statements.join("` / `") || "none"}\``,
		"",
		...renderFootprint(r.memory, r.startup),
	);
	if (r.intercomRate) lines.push(...intercomRateSection(r.intercomRate));
	return lines.join("\n");
}

/**
 * Intercom's rate limit (issue #20 item 6, decisions 0024 and 0034): calls Intercom accepted as a
 * share of the limit (target ≥ 90%), 429s (target ≤ 0.1%), live calls' latency meanwhile.
 * Exported so the section can be rendered alone.
 */
export function intercomRateSection(r: NonNullable<BenchResults["intercomRate"]>): string[] {
	const share = (v: number) => `${(v * 100).toFixed(1)}% ${verdict(v >= 0.9)}`;
	const refused = (n: number, of: number, v: number) =>
		`${n} of ${of} = ${(v * 100).toFixed(3)}% ${verdict(v <= 0.001)}`;
	const lines = [
		"## Intercom rate limit (PostgreSQL, emulator over loopback)",
		"",
		"Shared budget under synthetic bulk load (bench/rate-budget.ts; instances are stores in one process, a live call every ~2.5 s):",
		"",
		"| instances | limit/min | calls/s | share of limit (≥ 90%) | 429s (≤ 0.1%) | live p50 / p99 |",
		"|---:|---:|---:|---|---|---|",
		...r.rateBudget.map(
			(b) =>
				`| ${b.instances} | ${b.perMinute} | ${b.callsPerSecond.toFixed(1)} | ${share(b.shareOfLimit)} | ${refused(b.refused, b.answers, b.refusedShare)} | ${ms(b.liveP50)} / ${ms(b.liveP99)} (${b.liveCalls}) |`,
		),
		"",
		"Backfill (bench/backfill.ts; each instance its own process backfilling its site of one workspace, the emulator in another, a visitor's change synced live every ~2 s from a third):",
		"",
		"| instances | contacts | limit/min | time | calls/s | share of limit (≥ 90%) | 429s (≤ 0.1%) | live sync p50 / p99 | people (duplicates) |",
		"|---:|---:|---:|---:|---:|---|---|---|---|",
		...r.backfill.map(
			(b) =>
				`| ${b.instances} | ${b.contacts} | ${b.perMinute} | ${b.seconds.toFixed(0)} s | ${b.callsPerSecond.toFixed(1)} | ${share(b.shareOfLimit)} | ${refused(b.refused, b.answers, b.refusedShare)} | ${ms(b.liveP50)} / ${ms(b.liveP99)} (${b.liveSyncs}) | ${b.people} (${b.duplicates}) |`,
		),
		"",
	];
	return lines;
}
