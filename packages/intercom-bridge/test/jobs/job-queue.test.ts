/**
 * The job queue on a database pg-boss 10 ran on: pg-boss 12 cannot upgrade that job schema, so the
 * queue renames it, lets pg-boss 12 create its own and re-sends the jobs still to run, once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CONVERSATION_LINKS_QUEUE, getJobQueue } from "../../src/jobs/job-queue.ts";
import type { Store } from "../../src/store/create-store.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";

interface RawClient {
	query(text: string): Promise<{ rows: Array<Record<string, unknown>> }>;
	exec?(text: string): Promise<unknown>;
}

const raw = (store: Store) => storeInternals(store).client as RawClient;

/** Runs several statements: PGlite's `exec`, or the pool's simple query. */
async function run(store: Store, text: string): Promise<void> {
	const client = raw(store);
	if (client.exec) await client.exec(text);
	else await client.query(text);
}

async function select<T>(store: Store, text: string): Promise<T[]> {
	return (await raw(store).query(text)).rows as T[];
}

const CREATED = "00000000-0000-4000-8000-000000000001";
const RETRY = "00000000-0000-4000-8000-000000000002";
const COMPLETED = "00000000-0000-4000-8000-000000000003";
const OTHER = "00000000-0000-4000-8000-000000000004";
const ACTIVE = "00000000-0000-4000-8000-000000000005";

/**
 * What pg-boss 10.4 leaves: schema version 24 and its job table (plans.js `createTableJob`),
 * partitioned by queue, with a created, a retrying, a completed and an active links job (its
 * worker was of the old version: it runs again), and a job of a queue this package does not use.
 */
async function pgBoss10Schema(store: Store): Promise<void> {
	await run(
		store,
		`create schema pgboss;
		create type pgboss.job_state as enum ('created', 'retry', 'active', 'completed', 'cancelled', 'failed');
		create table pgboss.version (version int primary key, maintained_on timestamptz, cron_on timestamptz, monitored_on timestamptz);
		insert into pgboss.version (version) values (24);
		create table pgboss.job (
			id uuid not null default gen_random_uuid(), name text not null, priority integer not null default(0),
			data jsonb, state pgboss.job_state not null default('created'), retry_limit integer not null default(2),
			retry_count integer not null default(0), retry_delay integer not null default(0),
			retry_backoff boolean not null default false, start_after timestamp with time zone not null default now(),
			started_on timestamp with time zone, singleton_key text, singleton_on timestamp without time zone,
			expire_in interval not null default interval '15 minutes', created_on timestamp with time zone not null default now(),
			completed_on timestamp with time zone, keep_until timestamp with time zone not null default now() + interval '14 days',
			output jsonb, dead_letter text, policy text
		) partition by list (name);
		create table pgboss.jlinks partition of pgboss.job for values in ('${CONVERSATION_LINKS_QUEUE}');
		create table pgboss.jother partition of pgboss.job default;
		insert into pgboss.job (id, name, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after)
		values
			('${CREATED}', '${CONVERSATION_LINKS_QUEUE}', '{"activityId": 1, "siteId": 1, "externalIds": ["g1"]}', 'created', 4, 0, 30, true, now()),
			('${RETRY}', '${CONVERSATION_LINKS_QUEUE}', '{"activityId": 2, "siteId": 1, "externalIds": ["g2"]}', 'retry', 4, 2, 30, true, now() + interval '1 minute'),
			('${COMPLETED}', '${CONVERSATION_LINKS_QUEUE}', '{"activityId": 3, "siteId": 1, "externalIds": ["g3"]}', 'completed', 4, 0, 30, true, now()),
			('${OTHER}', 'someone-elses-queue', '{}', 'created', 2, 0, 0, false, now()),
			('${ACTIVE}', '${CONVERSATION_LINKS_QUEUE}', '{"activityId": 5, "siteId": 1, "externalIds": ["g5"]}', 'active', 4, 1, 30, true, now());`,
	);
}

function recordingLogger() {
	const warnings: string[] = [];
	const errors: string[] = [];
	const logger = {
		warn: (_fields: unknown, message: string) => void warnings.push(message),
		info: () => {},
		debug: () => {},
		error: (fields: { err?: { message?: string } }) => void errors.push(String(fields.err?.message)),
		child: () => logger,
	} as unknown as Parameters<typeof getJobQueue>[1];
	return { logger, warnings, errors };
}

interface JobRow {
	id: string;
	data: { activityId: number };
	state: string;
	retry_count: number;
	retry_limit: number;
	retry_delay: number;
	retry_backoff: boolean;
}

const links = (store: Store) =>
	select<JobRow>(
		store,
		`select id::text as id, data, state::text as state, retry_count, retry_limit, retry_delay, retry_backoff
		from pgboss.job where name = '${CONVERSATION_LINKS_QUEUE}' order by id`,
	);

const renamedSchemas = async (store: Store) =>
	(
		await select<{ s: string }>(
			store,
			"select nspname::text as s from pg_namespace where nspname like 'pgboss\\_v10\\_%' order by 1",
		)
	).map((r) => r.s);

const stores: Store[] = [];
afterEach(async () => {
	for (const s of stores.splice(0).reverse()) await s.close();
});

describe.each([pgliteFactory, postgresFactory])("upgrading pg-boss 10's job schema on $kind", (factory) => {
	it("renames it, re-sends the jobs still to run with their data and attempts, once", async () => {
		const store = await factory.ready();
		stores.push(store);
		await pgBoss10Schema(store);
		const { logger, warnings, errors } = recordingLogger();

		await getJobQueue(store, logger).ensure();
		expect(errors).toEqual([]);

		const [version] = await select<{ version: number }>(store, "select version from pgboss.version");
		expect(version?.version).toBeGreaterThan(24);
		const jobs = await links(store);
		// The completed job is not re-sent; the pending and the active ones keep their id, data and
		// attempts used.
		expect(jobs.map((j) => [j.id, j.data.activityId, j.state, j.retry_count, j.retry_limit])).toEqual([
			[CREATED, 1, "created", 0, 4],
			[RETRY, 2, "created", 2, 4],
			[ACTIVE, 5, "created", 1, 4],
		]);
		expect(jobs.every((j) => j.retry_delay === 30 && j.retry_backoff)).toBe(true);
		const [unknown] = await select<{ n: number }>(
			store,
			"select count(*)::int as n from pgboss.job where name = 'someone-elses-queue'",
		);
		expect(unknown?.n).toBe(0);

		// The old schema is kept whole under its new name, and the log says how to drop it.
		const schemas = await renamedSchemas(store);
		expect(schemas).toHaveLength(1);
		const [kept] = await select<{ n: number }>(store, `select count(*)::int as n from ${schemas[0]}.job`);
		expect(kept?.n).toBe(5);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain(`drop schema ${schemas[0]} cascade`);
		expect(warnings[0]).toContain("1 of unknown queues");

		// A later start re-sends nothing, even once the re-sent jobs are gone (worked and deleted).
		await run(store, `delete from pgboss.job where name = '${CONVERSATION_LINKS_QUEUE}'`);
		expect(await store.renamePgBoss10Schema([CONVERSATION_LINKS_QUEUE])).toBeNull();
		expect(await store.transaction((tx) => store.pgBoss10JobsToResend(tx, 10))).toEqual([]);
		const second = await factory.second(store);
		if (second) {
			stores.push(second);
			const again = recordingLogger();
			await getJobQueue(second, again.logger).ensure();
			expect(again.warnings).toEqual([]);
			expect(again.errors).toEqual([]);
		}
		expect(await links(store)).toEqual([]);
		expect(await renamedSchemas(store)).toEqual(schemas);
	});

	it("finishes on the next start a re-send that did not happen", async () => {
		const store = await factory.ready();
		stores.push(store);
		await pgBoss10Schema(store);
		// A start that renamed the schema and stopped before re-sending anything.
		const renamed = await store.renamePgBoss10Schema([CONVERSATION_LINKS_QUEUE]);
		expect(renamed).toMatchObject({ toResend: 3, unknown: 1 });

		const { logger, warnings, errors } = recordingLogger();
		await getJobQueue(store, logger).ensure();
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
		expect((await links(store)).map((j) => [j.id, j.retry_count])).toEqual([
			[CREATED, 0],
			[RETRY, 2],
			[ACTIVE, 1],
		]);
	});
});

describe("two instances starting together on PostgreSQL", () => {
	it("upgrade pg-boss 10's schema once", async () => {
		const store = await postgresFactory.ready();
		stores.push(store);
		const second = await postgresFactory.second(store);
		if (!second) throw new Error("PostgreSQL gives a second store");
		stores.push(second);
		await pgBoss10Schema(store);
		const a = recordingLogger();
		const b = recordingLogger();

		await Promise.all([getJobQueue(store, a.logger).ensure(), getJobQueue(second, b.logger).ensure()]);

		expect([...a.errors, ...b.errors]).toEqual([]);
		expect([...a.warnings, ...b.warnings]).toHaveLength(1);
		expect(await renamedSchemas(store)).toHaveLength(1);
		expect((await links(store)).map((j) => j.id)).toEqual([CREATED, RETRY, ACTIVE]);
	});
});
