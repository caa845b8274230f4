/**
 * The young-generation trade of `intercom-bridge serve` (docs/decisions/0041): the real command,
 * started through the bin, under update-contact webhooks with each semi-space setting in turn,
 * on PostgreSQL and PGlite. Per setting and round: RSS and the heap's spaces idle and after the
 * load (after two forced GCs, bench/gc-on-signal.ts), req/s and the service's CPU µs a request
 * over a timed window after a warm-up. Run from the repository root:
 *   node_modules/.bin/node --conditions=dev-source packages/intercom-bridge/bench/semi-space.ts
 * SEMI_VARIANTS=bin,semi4,semi8,semi16,node (default all); SEMI_DATABASES=postgres,pglite;
 * SEMI_ROUNDS (2); SEMI_SECONDS (8, the timed window); SEMI_REQUESTS (total per process, 50000).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pgliteStore } from "../src/db/pglite.ts";
import { postgresStore } from "../src/db/postgres.ts";
import type { Store } from "../src/store/create-store.ts";
import { freePort, startPostgres } from "../test/harness/postgres-server.ts";
import { load, webhookRequest } from "./load.ts";
import { type Seeded, seedBenchStore } from "./seed.ts";

const binPath = new URL("../bin/intercom-bridge.js", import.meta.url).pathname;
const gcPath = new URL("./gc-on-signal.ts", import.meta.url).pathname;
/** Node flags of each setting; the bin leaves any semi-space flag alone. */
const ALL: Record<string, string[]> = {
	bin: [],
	semi4: ["--max-semi-space-size=4"],
	semi8: ["--max-semi-space-size=8"],
	semi16: ["--max-semi-space-size=16"],
	node: ["--semi-space-growth-factor=2"],
	saver: ["--memory-saver-mode"],
	size: ["--optimize-for-size"],
	semi8saver: ["--max-semi-space-size=8", "--memory-saver-mode"],
};
const variants = (process.env.SEMI_VARIANTS ?? "bin,semi4,semi8,semi16,node").split(",");
const databases = (process.env.SEMI_DATABASES ?? "postgres,pglite").split(",");
const rounds = Number(process.env.SEMI_ROUNDS ?? 2);
const seconds = Number(process.env.SEMI_SECONDS ?? 8);
const total = Number(process.env.SEMI_REQUESTS ?? 50_000);
const mb = (v: number) => (v / 1048576).toFixed(0);

function cpuMicros(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
	const f = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
	return (Number(f[11]) + Number(f[12])) * 10_000;
}

interface Report {
	rss: number;
	heapTotal: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
	spaces: Record<string, { size: number; used: number }>;
}

async function settled(pid: number, file: string): Promise<Report> {
	await new Promise((r) => setTimeout(r, Number(process.env.SEMI_SETTLE_MS ?? 2000)));
	const before = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0;
	process.kill(pid, "SIGUSR2");
	const deadline = Date.now() + 10_000;
	for (;;) {
		const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
		if (lines.length > before) {
			const r = JSON.parse(lines.at(-1) ?? "{}") as Report;
			const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
			return { ...r, rss: Number(kb) * 1024 };
		}
		if (Date.now() > deadline) throw new Error("no memory report");
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** The largest resident mappings of a process and its thread count (SEMI_SMAPS=1). */
function smapsTop(pid: number): string {
	const rows: { name: string; size: number; rss: number }[] = [];
	let cur: { name: string; size: number; rss: number } | null = null;
	for (const l of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
		const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(l);
		if (head) {
			cur = {
				name: head[3] || "[anon]",
				size: (Number.parseInt(head[2] ?? "0", 16) - Number.parseInt(head[1] ?? "0", 16)) / 1024,
				rss: 0,
			};
			rows.push(cur);
		} else if (cur && l.startsWith("Rss:")) cur.rss = Number(/(\d+)/.exec(l)?.[1]);
	}
	const threads = /Threads:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
	const byName = new Map<string, number>();
	for (const r of rows) byName.set(r.name, (byName.get(r.name) ?? 0) + r.rss);
	const hist = new Map<number, { n: number; rss: number }>();
	for (const r of rows.filter((r) => r.name === "[anon]")) {
		const k = r.size < 1024 ? r.size / 1000 : Math.round(r.size / 1024);
		const h = hist.get(k) ?? { n: 0, rss: 0 };
		h.n++;
		h.rss += r.rss;
		hist.set(k, h);
	}
	const histText = [...hist]
		.sort((a, b) => b[1].rss - a[1].rss)
		.slice(0, 10)
		.map(([k, h]) => `${h.n}×${k}MB:${(h.rss / 1024).toFixed(0)}`)
		.join(" ");
	const top = rows.sort((a, b) => b.rss - a.rss).slice(0, 12);
	return `  threads ${threads}; by name (MB): ${[...byName]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 6)
		.map(([n, v]) => `${n.split("/").at(-1)} ${(v / 1024).toFixed(0)}`)
		.join(
			", ",
		)}\n  anon by size (count×size:rss MB): ${histText}\n  top mappings (rss/size MB): ${top.map((r) => `${(r.rss / 1024).toFixed(1)}/${(r.size / 1024).toFixed(0)} ${r.name.split("/").at(-1)}`).join(", ")}`;
}

const line = (r: Report) =>
	`rss ${mb(r.rss)} heap ${mb(r.heapUsed)}/${mb(r.heapTotal)} ext ${mb(r.external)} ab ${mb(r.arrayBuffers)} ` +
	Object.entries(r.spaces)
		.map(([k, v]) => `${k.replace("_space", "")} ${mb(v.used)}/${mb(v.size)}`)
		.join(" ");

async function run(env: Record<string, string>, flags: string[], seeded: Seeded, label: string) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const file = join(tmpdir(), `semi-${process.pid}-${label}-${Date.now()}.jsonl`);
	const child = spawn(process.execPath, ["--expose-gc", "--import", gcPath, ...flags, binPath, "serve"], {
		env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "warn", BENCH_MEMORY_REPORT: file },
		stdio: ["ignore", "ignore", "inherit"],
	});
	const pid = child.pid ?? 0;
	try {
		const deadline = Date.now() + 120_000;
		while (
			!(await fetch(`${url}/healthz`).then(
				(r) => r.ok,
				() => false,
			))
		) {
			if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${label} did not start`);
			await new Promise((r) => setTimeout(r, 20));
		}
		const idle = await settled(pid, file);
		if (process.env.SEMI_SMAPS) console.log(smapsTop(pid));
		const request = webhookRequest("updatecontact", seeded.apiKey, seeded.guids);
		await load({ url, request, amount: 10_000 });
		const c0 = cpuMicros(pid);
		const timed = await load({ url, request, seconds });
		const cpu = (cpuMicros(pid) - c0) / timed.requests;
		const busyRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
		let done = 10_000 + timed.requests;
		if (done < total) done += (await load({ url, request, amount: total - done })).requests;
		const loaded = await settled(pid, file);
		if (process.env.SEMI_SMAPS) console.log(smapsTop(pid));
		console.log(
			`${label}: ${timed.rps.toFixed(0)} req/s, ${cpu.toFixed(0)} µs CPU/req, errors ${timed.errors + timed.non2xx}, RSS at the end of the window ${mb(busyRss)} MB\n  idle   ${line(idle)}\n  ${String(done).padEnd(6)} ${line(loaded)}`,
		);
	} finally {
		child.kill("SIGKILL");
		if (child.exitCode === null) await once(child, "exit");
		await rm(file, { force: true });
	}
}

async function seed(store: Store): Promise<Seeded> {
	try {
		await store.prepare();
		return await seedBenchStore(store);
	} finally {
		await store.close();
	}
}

const key = Buffer.alloc(32, 7).toString("base64");
const postgres = databases.includes("postgres") ? await startPostgres() : null;
const dataDir = await mkdtemp(join(tmpdir(), "bench-semi-"));
try {
	const targets: { name: string; env: Record<string, string>; seeded: Seeded }[] = [];
	if (postgres) {
		const client = new pg.Client({ connectionString: postgres.url });
		await client.connect();
		await client.query("create database semi");
		await client.end();
		const url = new URL(postgres.url);
		url.pathname = "/semi";
		const env = { DATABASE_URL: url.toString(), INTERCOM_BRIDGE_SECRET_KEY: key };
		targets.push({
			name: "postgres",
			env,
			seeded: await seed(postgresStore({ connectionString: env.DATABASE_URL, secretKey: key })),
		});
	}
	if (databases.includes("pglite")) {
		const env = { INTERCOM_BRIDGE_DATA_DIR: dataDir, INTERCOM_BRIDGE_SECRET_KEY: key };
		targets.push({ name: "pglite", env, seeded: await seed(await pgliteStore({ dataDir, secretKey: key })) });
	}
	for (const t of targets)
		for (let round = 0; round < rounds; round++)
			for (const v of round % 2 ? [...variants].reverse() : variants)
				await run(t.env, ALL[v] ?? [], t.seeded, `${t.name} ${v} r${round + 1}`);
} finally {
	await postgres?.stop();
	await rm(dataDir, { recursive: true, force: true });
}
