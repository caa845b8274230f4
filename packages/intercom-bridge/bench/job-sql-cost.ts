/**
 * `node --conditions=dev-source packages/intercom-bridge/bench/job-sql-cost.ts`: what the SQL on
 * pg-boss's tables in src/store/job-store.ts saves over pg-boss's public API, on PGlite and on
 * PostgreSQL (docs/decisions/0016-pg-boss-12.md). Prints, does not write BENCHMARKS.md.
 *
 * - Activity and links job: one statement (the job INSERT in the activity's CTE, as the webhook
 *   writes it) against a transaction of the activity INSERT and `boss.send({ db: tx })`.
 * - Backlog: the store's counting query against counting what `boss.findJobs` returns, with
 *   BACKLOG_JOBS finished jobs in the queue (as a week of webhooks leaves them).
 * JOB_BENCH_SECONDS per measurement (default 4), JOB_BENCH_CONCURRENCY requests at once (default 8).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { CONVERSATION_LINKS_QUEUE, getJobQueue } from "../src/jobs/job-queue.ts";
import type { Store } from "../src/store/create-store.ts";
import { conversationLinksJobText } from "../src/store/job-store.ts";
import { storeBossOptions } from "../src/store/pg-boss-db.ts";
import { preparedStatement, runInTransaction, runPrepared } from "../src/store/prepared-statement.ts";
import { storeInternals } from "../src/store/store-internals.ts";
import { startPostgres } from "../test/harness/postgres-server.ts";
import { openCountedStore } from "./counted-store.ts";
import { seedBenchStore } from "./seed.ts";
import { median } from "./time-slices.ts";

const seconds = Number(process.env.JOB_BENCH_SECONDS ?? 4);
const concurrency = Number(process.env.JOB_BENCH_CONCURRENCY ?? 8);
const backlogJobs = Number(process.env.BACKLOG_JOBS ?? 20_000);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
	rps: number;
	p50: number;
	p99: number;
}

/** Runs `op` from `concurrency` loops for `seconds`; rate and latency percentiles (ms). */
async function measure(op: () => Promise<unknown>, loops = concurrency, runSeconds = seconds): Promise<Run> {
	const latencies: number[] = [];
	const end = performance.now() + runSeconds * 1000;
	await Promise.all(
		Array.from({ length: loops }, async () => {
			while (performance.now() < end) {
				const t = performance.now();
				await op();
				latencies.push(performance.now() - t);
			}
		}),
	);
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
	return { rps: latencies.length / runSeconds, p50: at(0.5), p99: at(0.99) };
}

const fmt = (r: Run) => `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;

async function onDatabase(label: string, store: Store) {
	await store.prepare();
	const seeded = await seedBenchStore(store);
	const queue = getJobQueue(store);
	await queue.ensure();
	let n = 0;
	const guid = () => seeded.guids[n++ % seeded.guids.length] ?? "";

	const oneStatement = preparedStatement(
		"bench_activity_and_job",
		`with act as (
			insert into activities (contact_guid, site_id, type_id, title, origin)
			select $1::uuid, $2::int, $3::int, 'Bench', 'intercom-series' returning id, contact_guid, site_id
		),
		job as (${conversationLinksJobText({
			from: "act",
			data: "jsonb_build_object('activityId', act.id, 'siteId', act.site_id, 'externalIds', jsonb_build_array(act.contact_guid::text))",
			retryLimit: "$4::int",
		})})
		select id from act`,
	);
	const cte = () =>
		runPrepared(storeInternals(store), oneStatement, [guid(), seeded.siteId, seeded.typeId, 7]);
	const send = () =>
		store.transaction(async (tx) => {
			const g = guid();
			const [row] = await runInTransaction<{ id: number }>(
				tx,
				"insert into activities (contact_guid, site_id, type_id, title, origin) values ($1::uuid, $2::int, $3::int, 'Bench', 'intercom-series') returning id",
				[g, seeded.siteId, seeded.typeId],
			);
			await queue.enqueueConversationLinks(
				tx,
				{ activityId: Number(row?.id), siteId: seeded.siteId, externalIds: [g] },
				{ maxAttempts: 8 },
			);
		});
	await measure(cte, concurrency, 1);
	await measure(send, concurrency, 1);
	// Rounds in turn (ABAB), so a drift of the shared machine weighs on both.
	const runs: Record<"cte" | "send", Run[]> = { cte: [], send: [] };
	for (let round = 0; round < 3; round++) {
		runs.cte.push(await measure(cte));
		runs.send.push(await measure(send));
	}
	const combined = (rs: Run[]): Run => ({
		rps: median(rs.map((r) => r.rps)),
		p50: median(rs.map((r) => r.p50)),
		p99: median(rs.map((r) => r.p99)),
	});
	const [a, b] = [combined(runs.cte), combined(runs.send)];
	log(`${label} activity+job, ${concurrency} at once: one statement ${fmt(a)}`);
	log(`${label} activity+job, ${concurrency} at once: transaction + boss.send ${fmt(b)}`);
	log(
		`${label} activity+job: send reaches ${((b.rps / a.rps) * 100).toFixed(0)}% of the one statement's rate`,
	);

	// Backlog with a week's finished jobs.
	await runPrepared(
		storeInternals(store),
		preparedStatement(
			"bench_finished_jobs",
			`with src as (select g as activity_id from generate_series(1, $1::int) g),
			ins as (${conversationLinksJobText({
				from: "src",
				data: "jsonb_build_object('activityId', -src.activity_id, 'siteId', 1, 'externalIds', jsonb_build_array('x'))",
				retryLimit: "7",
			})})
			select count(*) from ins`,
		),
		[backlogJobs],
	);
	await storeInternals(store).db.execute(
		sql`update pgboss.job set state = 'completed', completed_on = now() where name = ${CONVERSATION_LINKS_QUEUE} and (data->>'activityId')::int < 0`,
	);
	const boss = new PgBoss({
		...(await storeBossOptions(store)),
		supervise: false,
		schedule: false,
		migrate: false,
	});
	boss.on("error", () => {});
	await boss.start();
	const viaFindJobs = async () => {
		const jobs = await boss.findJobs(CONVERSATION_LINKS_QUEUE, {
			data: { siteId: seeded.siteId },
			limit: 100_000,
		});
		return jobs.filter((j) => j.state === "created" || j.state === "retry").length;
	};
	const sqlBacklog = await measure(() => store.jobBacklog({ siteId: seeded.siteId }), 1);
	const findBacklog = await measure(viaFindJobs, 1);
	log(`${label} backlog of a site, ${backlogJobs} finished jobs: store query ${fmt(sqlBacklog)}`);
	log(`${label} backlog of a site, ${backlogJobs} finished jobs: findJobs ${fmt(findBacklog)}`);
	await boss.stop({ graceful: false });
}

const secretKey = randomBytes(32);
const pglite = await openCountedStore(null, secretKey);
await onDatabase("PGlite", pglite.store);
await pglite.store.close();
const server = await startPostgres();
try {
	const postgres = await openCountedStore(server.url, secretKey);
	await onDatabase("PostgreSQL", postgres.store);
	await postgres.store.close();
} finally {
	await server.stop();
}
