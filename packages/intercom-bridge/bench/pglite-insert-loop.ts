/**
 * The bare PGlite insert loop (issue #21's ceiling for the embedded database): a Node process with
 * nothing but PGlite, opened on a data directory on disk as the default store opens it, one table,
 * and single-row parameterised INSERTs awaited one after another. Forked by bench/pglite-baseline.ts;
 * prints one JSON line: inserts per second and the process CPU per insert.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";

const seconds = Number(process.env.BENCH_LOOP_SECONDS ?? 8);
const dir = await mkdtemp(join(tmpdir(), "intercom-bridge-bench-loop-"));
try {
	// The options of db/pglite.ts: only the data directory.
	const pglite = await PGlite.create({ dataDir: join(dir, "pglite") });
	await pglite.exec(
		"create table items (id bigserial primary key, guid uuid not null, value text, created_at timestamptz not null default now())",
	);
	const guid = "6f1c2f52-7c6b-4f3e-9f7b-0d9b3c1e2a11";
	const insert = (n: number) =>
		pglite.query("insert into items (guid, value) values ($1, $2)", [guid, `page ${n}`]);
	// One second of warm-up, not counted.
	let n = 0;
	for (const end = Date.now() + 1000; Date.now() < end; ) await insert(n++);
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	let count = 0;
	for (const end = t0 + seconds * 1000; performance.now() < end; count++) await insert(n++);
	const elapsed = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	await pglite.close();
	process.stdout.write(
		`${JSON.stringify({ inserts: count, rate: count / elapsed, cpuMicros: Math.round((cpu.user + cpu.system) / Math.max(1, count)) })}\n`,
	);
} finally {
	await rm(dir, { recursive: true, force: true });
}
