// Temporary probe: CPU seconds per process during one load run.

import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { startPostgres } from "../test/harness/postgres-server.ts";
import { openCountedStore } from "./counted-store.ts";
import { load, startServer, webhookRequest } from "./load.ts";
import { seedBenchStore } from "./seed.ts";

const secretKey = randomBytes(32);
const postgres = await startPostgres();
const c = new pg.Client({ connectionString: postgres.url });
await c.connect();
await c.query("create database probe");
await c.end();
const u = new URL(postgres.url);
u.pathname = "/probe";
const url = u.toString();
const { store } = await openCountedStore(url, secretKey);
await store.prepare();
const seeded = await seedBenchStore(store);
await store.close();
const mode = process.env.PROBE_MODE ?? "bridge";
const srv = await startServer({
	BENCH_SECRET_KEY: secretKey.toString("base64"),
	DATABASE_URL: url,
	...(mode === "baseline" ? { BENCH_MODE: "baseline", BENCH_SEEDED: JSON.stringify(seeded) } : {}),
});
const cpu = () => {
	const m = new Map<string, number>();
	for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
		let stat: string;
		let uid: string;
		try {
			stat = readFileSync(`/proc/${pid}/stat`, "utf8");
			uid = /Uid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "";
		} catch {
			continue;
		}
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		const ticks = Number(fields[11]) + Number(fields[12]);
		const key =
			pid === String(srv.child.pid)
				? "server"
				: pid === String(process.pid)
					? "autocannon"
					: uid !== "0"
						? "postgres"
						: "other";
		m.set(key, (m.get(key) ?? 0) + ticks / 100);
	}
	return m;
};
const endpoint = (process.env.PROBE_ENDPOINT ?? "updatecontact") as "updatecontact";
const request = webhookRequest(endpoint, seeded.apiKey, seeded.guids);
await load({ url: srv.url, request, seconds: 2 });
const before = cpu();
const r = await load({ url: srv.url, request, seconds: 10 });
const after = cpu();
console.log(mode, endpoint, r.rps.toFixed(0), "req/s p50", r.p50, "p99", r.p99);
for (const [k, v] of after) console.log(" ", k, ((v - (before.get(k) ?? 0)) / 10).toFixed(2), "cores");
await srv.stop();
await postgres.stop();
