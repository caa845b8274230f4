/**
 * Memory and start-up of `intercom-bridge serve` on each database, beside the bare database process
 * (bench/bare-server.ts) in the same run (issue #21 items 2 and 3). Every process is the real
 * command, spawned on its own: RSS is read from /proc (VmRSS, the same way for all, after two forced
 * collections: bench/gc-on-signal.ts),
 * start-up is the time from spawning to the first 200 of `GET /healthz`.
 *
 * `serve` runs as the npm package runs it: the bin with the bundled CLI (scripts/bundle-cli.ts),
 * built into a temporary copy of the package for the run, never into the checkout (a dist/ there
 * would shadow the sources for every later run). BENCH_SERVE_FROM=source runs the checkout's
 * TypeScript sources instead.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleCli } from "../scripts/bundle-cli.ts";
import { pgliteStore } from "../src/db/pglite.ts";
import { postgresStore } from "../src/db/postgres.ts";
import type { Store } from "../src/store/create-store.ts";
import { load, webhookRequest } from "./load.ts";
import { type Seeded, seedBenchStore } from "./seed.ts";
import { median } from "./time-slices.ts";

/** What the service may add to its bare process (issue #21): 80 MB. */
export const MEMORY_TARGET_BYTES = 80 * 1024 * 1024;
/** How much the service's RSS may move from 10k to 100k requests: 10%. */
export const MEMORY_GROWTH_TARGET = 0.1;
/** The service's start may take this many times the bare database's start. */
export const STARTUP_TARGET_RATIO = 1.5;

/** Memory of one database's pair of processes. */
export interface FootprintRow {
	database: "pglite" | "postgres";
	bare: { idle: number; loaded: number; requests: number };
	service: { idle: number; rss10k: number; requests10k: number; loaded: number; requests: number };
	/** Requests that were not answered 2xx (should be 0 on both sides). */
	failures: { bare: number; service: number };
}

/** Start-up of one database's pair of processes: ms from spawn to the first 200, each start. */
export interface StartupRow {
	database: "pglite" | "postgres";
	bare: number[];
	service: number[];
}

const packageRoot = new URL("..", import.meta.url).pathname;
const barePath = new URL("./bare-server.ts", import.meta.url).pathname;
/** Which `serve` runs (BENCH_SERVE_FROM): `bundle` (default, what npm users run) or `source`. */
export const serveFrom = process.env.BENCH_SERVE_FROM === "source" ? "source" : "bundle";

/**
 * A temporary copy of the package with the bundled CLI: bin/, package.json, migrations/ and
 * dist/bin/, and node_modules linked to the repository's (PGlite stays outside the bundle).
 * Returns the bin's path and the cleanup.
 */
async function builtPackage(): Promise<{ bin: string; cleanup: () => Promise<void> }> {
	const root = await mkdtemp(join(tmpdir(), "bench-cli-"));
	for (const entry of ["bin", "migrations", "package.json"])
		await cp(join(packageRoot, entry), join(root, entry), { recursive: true });
	await symlink(join(packageRoot, "../../node_modules"), join(root, "node_modules"), "dir");
	await mkdir(join(root, "dist"));
	await bundleCli(root);
	return {
		bin: join(root, "bin/intercom-bridge.js"),
		cleanup: () => rm(root, { recursive: true, force: true }),
	};
}
const gcPath = new URL("./gc-on-signal.ts", import.meta.url).pathname;
/** Seconds each process may spend on its load after the first 10k requests (BENCH_MEMORY_SECONDS). */
const memorySeconds = Number(process.env.BENCH_MEMORY_SECONDS ?? 150);
/** Starts of each process (BENCH_STARTS). */
const starts = Number(process.env.BENCH_STARTS ?? 5);

async function freePort(): Promise<number> {
	const s = createServer();
	await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
	const address = s.address();
	await new Promise((resolve) => s.close(resolve));
	return typeof address === "object" && address ? address.port : 0;
}

/** Resident memory of a process, bytes (VmRSS). */
function rssOf(pid: number): number {
	const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
	return Number(kb ?? 0) * 1024;
}

interface Spawned {
	child: ChildProcess;
	url: string;
	/** ms from spawn to the first 200 of /healthz. */
	startMs: number;
	stop(): Promise<void>;
}

/** Spawns a process listening on a free port and waits for the first 200 of its /healthz. */
async function spawnAndWait(args: string[], env: Record<string, string>): Promise<Spawned> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const started = performance.now();
	const child = spawn(process.execPath, ["--expose-gc", "--import", gcPath, ...args], {
		env: { ...process.env, ...env, PORT: String(port) },
		stdio: ["ignore", "ignore", "inherit"],
	});
	let exited = false;
	child.once("exit", () => {
		exited = true;
	});
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (exited) throw new Error(`${args.join(" ")} exited before answering /healthz`);
		if (Date.now() > deadline) {
			child.kill("SIGKILL");
			throw new Error(`${args.join(" ")} did not answer /healthz within 120 s`);
		}
		const ok = await fetch(`${url}/healthz`).then(
			(r) => r.status === 200,
			() => false,
		);
		if (ok) break;
		await new Promise((r) => setTimeout(r, 10));
	}
	const startMs = performance.now() - started;
	return {
		child,
		url,
		startMs,
		async stop() {
			if (exited) return;
			child.kill("SIGKILL");
			await once(child, "exit");
		},
	};
}

/** How to start the bare process and the service on one database. */
interface Target {
	database: "pglite" | "postgres";
	bare: () => Promise<Spawned>;
	service: () => Promise<Spawned>;
	seeded: Seeded;
	cleanup: () => Promise<void>;
}

async function seed(store: Store): Promise<Seeded> {
	try {
		await store.prepare();
		return await seedBenchStore(store);
	} finally {
		await store.close();
	}
}

async function pgliteTarget(binPath: string, secretKey: string): Promise<Target> {
	const dataDir = await mkdtemp(join(tmpdir(), "bench-footprint-"));
	const seeded = await seed(await pgliteStore({ dataDir, secretKey }));
	const serviceEnv = { INTERCOM_BRIDGE_DATA_DIR: dataDir, INTERCOM_BRIDGE_SECRET_KEY: secretKey };
	return {
		database: "pglite",
		seeded,
		bare: () =>
			spawnAndWait([barePath], { BARE_DATA_DIR: join(dataDir, "pglite"), BARE_API_KEY: seeded.apiKey }),
		service: () => spawnAndWait([binPath, "serve"], { ...serviceEnv, LOG_LEVEL: "warn" }),
		cleanup: () => rm(dataDir, { recursive: true, force: true }),
	};
}

async function postgresTarget(binPath: string, url: string, secretKey: string): Promise<Target> {
	const seeded = await seed(postgresStore({ connectionString: url, secretKey }));
	return {
		database: "postgres",
		seeded,
		bare: () => spawnAndWait([barePath], { DATABASE_URL: url, BARE_API_KEY: seeded.apiKey }),
		service: () =>
			spawnAndWait([binPath, "serve"], {
				DATABASE_URL: url,
				INTERCOM_BRIDGE_SECRET_KEY: secretKey,
				LOG_LEVEL: "warn",
			}),
		cleanup: async () => {},
	};
}

/**
 * RSS once the process has been quiet a moment (timers and lazy work of the start settle) and
 * has collected its garbage (gc-on-signal.ts).
 */
async function settledRss(pid: number): Promise<number> {
	await new Promise((r) => setTimeout(r, 2000));
	process.kill(pid, "SIGUSR2");
	await new Promise((r) => setTimeout(r, 1000));
	return rssOf(pid);
}

/** Sends update-contact webhooks until `total` are done or `deadline` passes; returns how many and failures. */
async function webhooksUntil(url: string, seeded: Seeded, from: number, total: number, deadline: number) {
	const request = webhookRequest("updatecontact", seeded.apiKey, seeded.guids);
	let done = from;
	let failures = 0;
	while (done < total && (done === from || Date.now() < deadline)) {
		const r = await load({ url, request, amount: Math.min(10_000, total - done) });
		done += r.requests;
		failures += r.non2xx + r.errors;
	}
	return { done, failures };
}

async function memoryOf(t: Target, log: (line: string) => void): Promise<FootprintRow> {
	const mb = (v: number) => `${(v / 1048576).toFixed(0)} MB`;
	const bare = await t.bare();
	const pid = bare.child.pid ?? 0;
	const bareIdle = await settledRss(pid);
	const bareLoad = await webhooksUntil(bare.url, t.seeded, 0, 100_000, Date.now() + memorySeconds * 1000);
	const bareLoaded = await settledRss(pid);
	await bare.stop();
	log(`  ${t.database} bare: idle ${mb(bareIdle)}, after ${bareLoad.done} ${mb(bareLoaded)}`);
	const service = await t.service();
	const spid = service.child.pid ?? 0;
	const idle = await settledRss(spid);
	const first = await webhooksUntil(service.url, t.seeded, 0, 10_000, Date.now());
	const rss10k = await settledRss(spid);
	const rest = await webhooksUntil(
		service.url,
		t.seeded,
		first.done,
		100_000,
		Date.now() + memorySeconds * 1000,
	);
	const loaded = await settledRss(spid);
	await service.stop();
	log(
		`  ${t.database} service: idle ${mb(idle)}, after ${first.done} ${mb(rss10k)}, after ${rest.done} ${mb(loaded)}`,
	);
	return {
		database: t.database,
		bare: { idle: bareIdle, loaded: bareLoaded, requests: bareLoad.done },
		service: { idle, rss10k, requests10k: first.done, loaded, requests: rest.done },
		failures: { bare: bareLoad.failures, service: first.failures + rest.failures },
	};
}

async function startupOf(t: Target, log: (line: string) => void): Promise<StartupRow> {
	// One start of each first, not counted: the service's first start on a database does one-time
	// work (the first administrator), and the file cache warms for both.
	for (const start of [t.bare, t.service]) await (await start()).stop();
	const row: StartupRow = { database: t.database, bare: [], service: [] };
	for (let i = 0; i < starts; i++) {
		// Bare and service in turn, the order swapped every round, so both see the same machine.
		const order = i % 2 ? (["service", "bare"] as const) : (["bare", "service"] as const);
		for (const who of order) {
			const s = await t[who]();
			row[who].push(Math.round(s.startMs));
			await s.stop();
		}
	}
	log(
		`  ${t.database} start-up: bare ${row.bare.join(", ")} ms; service ${row.service.join(", ")} ms (median ${median(row.bare)} / ${median(row.service)})`,
	);
	return row;
}

/** Runs the memory rows (`memory`) and/or the start-up rows (`startup`) on PGlite and PostgreSQL. */
export async function footprintBench(input: {
	postgresUrl: string;
	secretKey: Uint8Array;
	memory: boolean;
	startup: boolean;
	log: (line: string) => void;
}): Promise<{ memory: FootprintRow[] | null; startup: StartupRow[] | null }> {
	const key = Buffer.from(input.secretKey).toString("base64");
	const built =
		serveFrom === "bundle"
			? await builtPackage()
			: { bin: join(packageRoot, "bin/intercom-bridge.js"), cleanup: async () => {} };
	const targets = [
		await pgliteTarget(built.bin, key),
		await postgresTarget(built.bin, input.postgresUrl, key),
	];
	const result = {
		memory: input.memory ? ([] as FootprintRow[]) : null,
		startup: input.startup ? ([] as StartupRow[]) : null,
	};
	try {
		for (const t of targets) {
			if (result.startup) result.startup.push(await startupOf(t, input.log));
			if (result.memory) result.memory.push(await memoryOf(t, input.log));
		}
	} finally {
		for (const t of targets) await t.cleanup();
		await built.cleanup();
	}
	return result;
}

const mb = (v: number) => `${(v / 1048576).toFixed(0)} MB`;
const serveFromText = () =>
	serveFrom === "bundle"
		? "the bin running the bundled CLI, as the npm package does"
		: "the bin running the checkout's TypeScript sources, BENCH_SERVE_FROM=source";
const signedMb = (v: number) => `${v < 0 ? "−" : "+"}${mb(Math.abs(v))}`;
const verdict = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");
const count = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

/** The Markdown of the memory and start-up sections of BENCHMARKS.md. */
export function renderFootprint(memory: FootprintRow[] | null, startup: StartupRow[] | null): string[] {
	const lines: string[] = [];
	if (memory) {
		lines.push(
			"## Memory (`intercom-bridge serve` beside the bare database process, update-contact webhooks)",
			"",
			`RSS (VmRSS from /proc, 2 s after the load stopped, after two forced GCs) of the real \`serve\` command (${serveFromText()}) and of a bare process of the same database:`,
			"node:http + PGlite on the same data directory, or node:http + a node-postgres pool, running the one UPDATE per webhook (bench/bare-server.ts).",
			"",
			"| database | bare idle | bare after load | service idle | service after 10k | service after load | service − bare (≤ 80 MB) | 10k → load (within 10%) |",
			"|---|---:|---:|---:|---:|---:|---|---|",
		);
		for (const m of memory) {
			const idleAdded = m.service.idle - m.bare.idle;
			const loadedAdded = m.service.loaded - m.bare.loaded;
			const growth = m.service.loaded / m.service.rss10k - 1;
			const short = m.service.requests < 100_000 || m.bare.requests < 100_000;
			lines.push(
				`| ${m.database} | ${mb(m.bare.idle)} | ${mb(m.bare.loaded)} (${count(m.bare.requests)}) | ${mb(m.service.idle)} | ${mb(m.service.rss10k)} | ${mb(m.service.loaded)} (${count(m.service.requests)}) | idle ${signedMb(idleAdded)}, loaded ${signedMb(loadedAdded)} ${verdict(Math.max(idleAdded, loadedAdded) <= MEMORY_TARGET_BYTES)} | ${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}% ${verdict(Math.abs(growth) <= MEMORY_GROWTH_TARGET)} |`,
			);
			if (short)
				lines.push(
					`|  | (fewer than 100k requests: the time budget of ${memorySeconds} s per process ran out) | | | | | | |`,
				);
			if (m.failures.bare + m.failures.service > 0)
				lines.push(
					`|  | non-2xx or errors: bare ${m.failures.bare}, service ${m.failures.service} | | | | | | |`,
				);
		}
		lines.push("");
	}
	if (startup) {
		lines.push(
			"## Start-up (spawn to the first 200 of `GET /healthz`)",
			"",
			`\`intercom-bridge serve\` (${serveFromText()}) on a database already migrated (nothing to do),`,
			"beside the bare database process's own start (open, `select 1`, 200),",
			`started in turn ${startup[0]?.bare.length ?? 0} times each after one unmeasured start of each; medians.`,
			"",
			"| database | bare | service | service / bare (≤ 1.5×) |",
			"|---|---:|---:|---|",
		);
		for (const s of startup) {
			const ratio = median(s.service) / median(s.bare);
			lines.push(
				`| ${s.database} | ${median(s.bare)} ms | ${median(s.service)} ms | ${ratio.toFixed(2)}× ${verdict(ratio <= STARTUP_TARGET_RATIO)} |`,
			);
		}
		lines.push("");
	}
	return lines;
}
