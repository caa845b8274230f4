// Temporary probe: Node CPU per query for the bridge's statement vs the baseline's, 50 in flight.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { UPDATE_NOCLAIM_FOR_PROBE, UPDATE_STATEMENT_FOR_PROBE } from "../src/webhooks/update-contact.ts";
import { startPostgres } from "../test/harness/postgres-server.ts";
import { openCountedStore } from "./counted-store.ts";
import { seedBenchStore } from "./seed.ts";

const postgres = await startPostgres();
const { store } = await openCountedStore(postgres.url, randomBytes(32));
await store.prepare();
const seeded = await seedBenchStore(store);
await store.close();
const pool = new pg.Pool({ connectionString: postgres.url, max: 10 });
const N = 20000;
async function run(name: string, one: (i: number) => Promise<unknown>) {
	let i = 0;
	const worker = async () => {
		while (i < N) await one(i++);
	};
	await Promise.all(Array.from({ length: 50 }, worker)); // warm
	i = 0;
	const cpu = process.cpuUsage();
	const t = performance.now();
	await Promise.all(Array.from({ length: 50 }, worker));
	const used = process.cpuUsage(cpu);
	const ms = performance.now() - t;
	console.log(
		name,
		((N / ms) * 1000).toFixed(0),
		"q/s",
		((used.user + used.system) / N).toFixed(0),
		"µs CPU/query",
	);
}
const g = (i: number) => seeded.guids[i % seeded.guids.length];
await run("baseline", (i) =>
	pool.query("update contacts set first_name = $1, notes = $2, updated_at = now() where guid = $3", [
		`a${i}`,
		`n${i}`,
		g(i),
	]),
);
await run("baseline-named", (i) =>
	pool.query({
		name: "b",
		text: "update contacts set first_name = $1, notes = $2, updated_at = now() where guid = $3",
		values: [`a${i}`, `n${i}`, g(i)],
	}),
);
const st = UPDATE_STATEMENT_FOR_PROBE;
await run("bridge", (i) =>
	pool.query({
		name: st.name,
		text: st.text,
		values: [
			g(i),
			`a${i}`,
			null,
			null,
			null,
			null,
			null,
			null,
			null,
			null,
			`n${i}`,
			null,
			null,
			null,
			seeded.siteId,
			`k${i}-${Math.random()}`,
			60,
			null,
		],
	}),
);
const nc = UPDATE_NOCLAIM_FOR_PROBE;
await run("bridge-noclaim", (i) =>
	pool.query({
		name: nc.name,
		text: nc.text,
		values: [g(i), `a${i}`, null, null, null, null, null, null, null, null, `n${i}`, null, null, null],
	}),
);
await run("insert-delivery-only", (i) =>
	pool.query({
		name: "d",
		text: "insert into webhook_deliveries (site_id, endpoint, delivery_key, status, response_status) values ($1, 'x', $2, 'u', 200) on conflict do nothing",
		values: [seeded.siteId, `k${i}-${Math.random()}`],
	}),
);
await run("bridge-unnamed", (i) =>
	pool.query({
		text: st.text,
		values: [
			g(i),
			`a${i}`,
			null,
			null,
			null,
			null,
			null,
			null,
			null,
			null,
			`n${i}`,
			null,
			null,
			null,
			seeded.siteId,
			`k${i}-${Math.random()}`,
			60,
			null,
		],
	}),
);
await pool.end();
await postgres.stop();
