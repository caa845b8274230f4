/**
 * The only module that speaks SQL to pg-boss's tables (docs/decisions/0016-pg-boss-12.md). Everything
 * else about jobs goes through pg-boss's public API (src/jobs/). Two things stay here because
 * pg-boss has no public API that does them at the same cost:
 * - the conversation-links job's INSERT, written by the webhook's one statement together with the
 *   activity (`conversationLinksJobText`; a test compares its row with pg-boss's own `send`);
 * - the backlog counts for the console and the health check, per site and with the jobs waiting
 *   for a token, which pg-boss could only give by loading every retained job (`findJobs`).
 * Both depend on pg-boss's job table, so pg-boss is pinned to an exact version. A third, run once:
 * the upgrade from pg-boss 10's job schema, which pg-boss 12 cannot migrate (`renamePgBoss10Schema`
 * and the methods after it; the queue re-sends the kept jobs through pg-boss's `insert`).
 */
import { type SQL, sql } from "drizzle-orm";
import { StoreUnavailableError } from "../errors.ts";
import { type Queryable, rowsOf, type Tx } from "./database.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** pg-boss's schema (its default; the queue's sender and runner use the default). */
export const PG_BOSS_SCHEMA = "pgboss";

/** Name of the pg-boss queue that fills activities' conversation links. */
export const CONVERSATION_LINKS_QUEUE = "intercom-bridge-conversation-links";

/** Name of the pg-boss queue that erases contacts in Intercom (docs/reliability.md P3). */
export const CONTACT_ERASURE_QUEUE = "intercom-bridge-contact-erasure";

/** Name of the pg-boss queue that sends the site's activities to Intercom as data events (decision 0023). */
export const INTERCOM_EVENTS_QUEUE = "intercom-bridge-intercom-events";

const job = sql.raw(`${PG_BOSS_SCHEMA}.job`);

/** Name of the pg-boss queue that sends local contact changes to Intercom (decision 0025). */
export const CONTACT_SYNC_QUEUE = "intercom-bridge-contact-sync";

/**
 * The coalescing window of contact sync, in seconds: a contact's sync job starts this long after
 * the change that queued it, and the changes meanwhile (the queue's `stately` policy keeps one
 * waiting job per contact) ride on it: the job reads the contact's latest state when it runs.
 */
export const CONTACT_SYNC_DELAY_SECONDS = 3;

/**
 * The INSERT of a contact-sync job (see {@link markContactForSync}), over a row `a` of the job's
 * parameters: `guid`, `data` and singleton `key`. It writes nothing unless the queue exists, the
 * contact holds something about a person (an email or a name) and a site syncs contacts: that
 * last one is read in the same statement, so it is as fresh as the change that marks the contact.
 */
const CONTACT_SYNC_JOB_TEXT = queueJobText(CONTACT_SYNC_QUEUE, {
	from: "a join contacts c on c.guid = a.guid",
	data: "a.data",
	retryLimit: "q.retry_limit",
	delaySeconds: CONTACT_SYNC_DELAY_SECONDS,
	singletonKey: "a.key",
	queueRequired: true,
	where: `(nullif(btrim(c.email), '') is not null or nullif(btrim(c.first_name), '') is not null
				or nullif(btrim(c.last_name), '') is not null)
			and exists (select 1 from site_settings where key = 'syncContacts' and value = 'true')`,
});

/**
 * The stores that found pg-boss's job table and a site syncing contacts once: from then on
 * {@link markContactForSync} skips its first read and writes the job with one statement, which
 * reads the setting itself. Only that "yes" is kept: a remembered "no" could miss the changes made
 * after a site (of any process) starts syncing, and a remembered "yes" costs nothing wrong (when no
 * site syncs any more, the INSERT writes no row). pg-boss never drops its job table.
 */
const syncGateOpen = new WeakSet<object>();

/**
 * Marks a contact for sync to Intercom in the caller's transaction (decision 0025): a contact-sync
 * job keyed by its GUID, starting after {@link CONTACT_SYNC_DELAY_SECONDS}. Written here, with the
 * row pg-boss 12's own `send` writes (see {@link queueJobText}; test/sync compares
 * them: "writes the sync job's row as pg-boss's own send would"), so that every store
 * path that changes a contact marks it without knowing about jobs. Does nothing when no site syncs
 * contacts, when pg-boss's schema or the queue is not there yet, or when the contact holds nothing
 * about a person (no email, no name: an anonymous visitor). Until the store has seen a site sync
 * contacts, that costs one read; after, none (the INSERT checks; see `syncGateOpen`). A job
 * already waiting for the contact stays the only one (`on conflict do nothing` over pg-boss's
 * unique index of the `stately` policy). A merge (`mergedFrom`) is its own job, keyed by the
 * merged GUID, so its data is never folded into another's.
 * Webhook paths (contact-update.ts) never call it: what came from Intercom is not sent back.
 * @param store the store's context (what remembers that the gate was open)
 * @returns true when a job was written.
 */
export async function markContactForSync(
	store: StoreContext,
	q: Queryable,
	guid: string,
	mergedFrom?: string,
): Promise<boolean> {
	if (!syncGateOpen.has(store)) {
		const [gate] = rowsOf<{ ready: boolean }>(
			await q.execute(sql`select to_regclass(${`${PG_BOSS_SCHEMA}.job`}) is not null
				and exists (select 1 from site_settings where key = 'syncContacts' and value = 'true') as ready`),
		);
		if (!gate?.ready) return false;
		syncGateOpen.add(store);
	}
	const data = JSON.stringify(mergedFrom ? { guid, mergedFrom } : { guid });
	const key = mergedFrom ? `merge:${mergedFrom}` : guid;
	const rows = rowsOf<{ id: unknown }>(
		await q.execute(
			sql`with a as (select ${guid}::uuid as guid, ${data}::jsonb as data, ${key}::text as key)
				${sql.raw(CONTACT_SYNC_JOB_TEXT)}`,
		),
	);
	return rows.length > 0;
}

/**
 * An INSERT of conversation-links jobs for a data-modifying CTE, so a webhook can write its
 * activity and the job in one statement. It writes the row pg-boss 12's own `send` writes
 * (plans.js `insertJobs`): the queue's policy, dead letter, expiry, deletion, retention, retry
 * delay and heartbeat, with our retry limit, on pg-boss's clock (`job_now()`). A test compares this
 * row with one written by `boss.send` ("writes the links job's row as pg-boss's own send would").
 * A missing queue makes the statement fail (the job table's foreign key to the queue), so the
 * activity is not written either.
 * @param input.from a FROM list with one row per job
 * @param input.data the job's data: a jsonb expression over `from`'s columns
 * @param input.retryLimit an SQL integer expression: attempts after the first
 */
export function conversationLinksJobText(input: { from: string; data: string; retryLimit: string }): string {
	return queueJobText(CONVERSATION_LINKS_QUEUE, input);
}

/**
 * The same INSERT for any of our queues (see {@link conversationLinksJobText}): a job written in
 * the caller's statement or transaction, committed with it or not at all.
 * @param input.delaySeconds the job starts this long after now (pg-boss's `startAfter`); default 0
 * @param input.singletonKey an SQL text expression: the job's singleton key; a job already waiting
 * with it (the queue's `stately` policy) stays the only one (`on conflict do nothing`)
 * @param input.queueRequired write no job (instead of failing) when the queue does not exist
 * @param input.where an SQL condition over `from`: only its rows get a job
 */
export function queueJobText(
	queue: typeof CONVERSATION_LINKS_QUEUE | typeof INTERCOM_EVENTS_QUEUE | typeof CONTACT_SYNC_QUEUE,
	input: {
		from: string;
		data: string;
		retryLimit: string;
		delaySeconds?: number;
		singletonKey?: string;
		queueRequired?: boolean;
		where?: string;
	},
): string {
	const s = PG_BOSS_SCHEMA;
	const startAfter = input.delaySeconds
		? `${s}.job_now() + ${Math.trunc(input.delaySeconds)} * interval '1s'`
		: `${s}.job_now()`;
	return `insert into ${s}.job
			(name, data, priority, start_after, created_on, singleton_key, expire_seconds, deletion_seconds,
				keep_until, retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter,
				heartbeat_seconds)
		select '${queue}', ${input.data}, 0, ${startAfter}, ${s}.job_now(), ${input.singletonKey ?? "null"},
			coalesce(q.expire_seconds, 900), coalesce(q.deletion_seconds, 604800),
			${startAfter} + coalesce(q.retention_seconds, 1209600) * interval '1s',
			${input.retryLimit}, coalesce(q.retry_delay, 0), coalesce(q.retry_backoff, false),
			q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds
		from ${input.from}
			${input.queueRequired ? "join" : "left join"} ${s}.queue q on q.name = '${queue}'
		${input.where ? `where ${input.where}` : ""}
		${input.singletonKey ? "on conflict do nothing" : ""}
		returning id`;
}

/** Attempts of an Intercom event job after the first (with the queue's doubling delay from 60 s: about 17 hours). */
export const INTERCOM_EVENT_RETRY_LIMIT = 9;

/**
 * Queues the Intercom event job of a site activity in the caller's transaction (decision 0023).
 * @throws StoreUnavailableError when pg-boss's schema or the queue is missing (the transaction
 * then rolls back: an opted-in type's activity is not recorded without its event).
 */
export async function enqueueIntercomEventJob(tx: Tx, activityId: number, siteId: number): Promise<void> {
	const [ready] = rowsOf<{ ok: boolean }>(
		await tx.execute(sql`select to_regclass(${`${PG_BOSS_SCHEMA}.queue`}) is not null as ok`),
	);
	const [queued] = ready?.ok
		? rowsOf<{ ok: boolean }>(
				await tx.execute(
					sql`select exists (select 1 from ${sql.raw(`${PG_BOSS_SCHEMA}.queue`)} where name = ${INTERCOM_EVENTS_QUEUE}) as ok`,
				),
			)
		: [];
	if (!queued?.ok) {
		throw new StoreUnavailableError(
			"The Intercom events job queue does not exist yet, so this activity (its type is sent to Intercom) was not recorded. Start the job runner once (it creates the queue) and retry.",
		);
	}
	await tx.execute(
		sql.raw(
			queueJobText(INTERCOM_EVENTS_QUEUE, {
				from: "(select 1) one",
				// Both are integers from our own rows: safe to write into the text.
				data: `jsonb_build_object('activityId', ${Math.trunc(activityId)}, 'siteId', ${Math.trunc(siteId)})`,
				retryLimit: String(INTERCOM_EVENT_RETRY_LIMIT),
			}),
		),
	);
}

/** Counts of the links queue, for one site or all. */
export interface JobBacklog {
	/** Waiting for a worker: new, or failed and waiting for their retry. */
	pending: number;
	/** Of `pending`, those that failed before and wait for another attempt. */
	retrying: number;
	/** Of `pending`, those put off because Intercom refused the site's token: reconnect the site. */
	waitingForToken: number;
	/** Being worked now. */
	active: number;
	/** Attempts used up: the activity stays without links unless the job is run again. */
	dead: number;
	/** Age in seconds of the oldest pending job (null when none). */
	oldestPendingSeconds: number | null;
}

/** A dead links job as stored, with its activity (null when the activity is gone). */
export interface DeadJobRow {
	id: string;
	data: Record<string, unknown>;
	contactGuid: string | null;
	activityTitle: string | null;
	retryCount: number;
	retryLimit: number;
	output: unknown;
	failedAt: Date | null;
}

/** The erasure queue's counts and the latest dead job's output. */
export interface ErasureBacklogRow {
	pending: number;
	dead: number;
	lastOutput: unknown;
}

/** pg-boss 10's job schema version (pg-boss 12 migrates from 25 on). */
export const PG_BOSS_10_SCHEMA_VERSION = 24;

/** Where pg-boss 10's schema is moved: `pgboss_v10_` and the UTC time of the move. */
const RENAMED_SCHEMA = /^pgboss_v10_[0-9]{14}$/;

/** The table, in the renamed schema, of the jobs to re-send to pg-boss 12 and whether they were. */
const RESEND_TABLE = "v12_resend";

/** Serialises the upgrade and the re-sending among instances starting together (any bigint). */
const UPGRADE_LOCK = sql`pg_advisory_xact_lock(hashtext('intercom-bridge: pg-boss 10 upgrade'))`;

/** A job of pg-boss 10 still to run, with what pg-boss 12's `insert` needs to create it again. */
export interface PgBoss10Job {
	/** The renamed schema it is kept in. */
	schema: string;
	id: string;
	name: string;
	data: Record<string, unknown> | null;
	priority: number;
	retryLimit: number;
	retryCount: number;
	retryDelay: number;
	retryBackoff: boolean;
	startAfter: Date;
	singletonKey: string | null;
	expireInSeconds: number;
	/** Seconds from now to pg-boss 10's `keep_until` (at least 1). */
	retentionSeconds: number;
}

/** What {@link JobStore.renamePgBoss10Schema} did. */
export interface PgBoss10Rename {
	/** The schema pg-boss 10's is now called. */
	schema: string;
	/** Jobs still to run of the given queues, kept to be re-sent. */
	toResend: number;
	/** Jobs still to run of other queues, left in the renamed schema only. */
	unknown: number;
}

/** What `/healthz` reports of the queues (all sites): see {@link JobStore.healthBacklogs}. */
export interface HealthBacklogs {
	/** The conversation-links backlog. */
	links: JobBacklog;
	erasures: { pending: number; dead: number };
	contactSync: { pending: number; dead: number };
	intercomEvents: { pending: number; dead: number };
}

/** A condition on the job (aliased `j`) being of the site, or true. */
const forSite = (siteId: number | undefined) =>
	siteId === undefined ? sql`true` : sql`j.data->>'siteId' = ${String(siteId)}`;

/** A queue's counts as one statement reads them (see queueCounts in createJobStore). */
interface QueueCountsRow {
	name: string;
	/** Created or retrying. */
	waiting: number;
	retrying: number;
	/** Waiting jobs put off for a refused token. */
	token: number;
	active: number;
	dead: number;
	/** Seconds since the oldest waiting job was created. */
	oldest: number | null;
}

const EMPTY_BACKLOG: JobBacklog = {
	pending: 0,
	retrying: 0,
	waitingForToken: 0,
	active: 0,
	dead: 0,
	oldestPendingSeconds: null,
};

/** A queue's {@link JobBacklog} from its counts. */
function backlogOfRow(row: QueueCountsRow): JobBacklog {
	return {
		pending: row.waiting,
		retrying: row.retrying,
		waitingForToken: row.token,
		active: row.active,
		dead: row.dead,
		oldestPendingSeconds: row.oldest === null ? null : Math.max(0, Math.floor(row.oldest)),
	};
}

export function createJobStore(ctx: StoreContext) {
	const { db } = ctx;
	// Found once: pg-boss never drops its job table.
	let tableFound = false;
	async function hasJobTable(): Promise<boolean> {
		if (tableFound) return true;
		const rows = rowsOf<{ t: string | null }>(
			await db.execute(sql`select to_regclass(${`${PG_BOSS_SCHEMA}.job`})::text as t`),
		);
		tableFound = Boolean(rows[0]?.t);
		return tableFound;
	}

	/**
	 * Each of these queues' counts, of the jobs matching `where` (on `j`), in one statement; a queue
	 * without a job has no row. No rows before pg-boss has made its table.
	 */
	async function queueCounts(queues: readonly string[], where: SQL): Promise<QueueCountsRow[]> {
		if (!(await hasJobTable())) return [];
		return rowsOf<QueueCountsRow>(
			await db.execute(sql`
				select name,
					count(*) filter (where state in ('created', 'retry'))::int as waiting,
					count(*) filter (where state = 'retry')::int as retrying,
					count(*) filter (where state in ('created', 'retry') and data ? 'authWaits')::int as token,
					count(*) filter (where state = 'active')::int as active,
					count(*) filter (where state = 'failed')::int as dead,
					extract(epoch from now() - min(created_on) filter (where state in ('created', 'retry')))::float8 as oldest
				from ${job} j
				where name in (${sql.join(
					queues.map((q) => sql`${q}`),
					sql`, `,
				)})
					and state in ('created', 'retry', 'active', 'failed') and ${where}
				group by name`),
		);
	}

	return {
		/**
		 * When pg-boss's schema is pg-boss 10's (version 24), renames it `pgboss_v10_<UTC time>` after
		 * copying, in a table of it, the jobs of `queues` still to run (created, retry, and active: their
		 * worker was of the old version), so pg-boss 12 can create its own schema and they can be re-sent.
		 * One transaction under an advisory lock: of instances starting together one renames, the
		 * others then find no pg-boss 10 schema. @returns null when there was nothing to upgrade.
		 */
		async renamePgBoss10Schema(queues: readonly string[]): Promise<PgBoss10Rename | null> {
			return guard(() =>
				db.transaction(async (tx) => {
					await tx.execute(sql`select ${UPGRADE_LOCK}`);
					const [found] = rowsOf<{ t: string | null }>(
						await tx.execute(sql`select to_regclass(${`${PG_BOSS_SCHEMA}.version`})::text as t`),
					);
					if (!found?.t) return null;
					const [version] = rowsOf<{ version: number }>(
						await tx.execute(
							sql`select max(version)::int as version from ${sql.raw(`${PG_BOSS_SCHEMA}.version`)}`,
						),
					);
					if (version?.version !== PG_BOSS_10_SCHEMA_VERSION) return null;
					const names = sql.join(
						queues.map((q) => sql`${q}`),
						sql`, `,
					);
					await tx.execute(
						sql.raw(`create table ${PG_BOSS_SCHEMA}.${RESEND_TABLE} (
							id uuid primary key, name text not null, data jsonb, priority int not null,
							retry_limit int not null, retry_count int not null, retry_delay int not null,
							retry_backoff boolean not null, start_after timestamptz not null, singleton_key text,
							expire_in interval not null, keep_until timestamptz not null, resent_on timestamptz)`),
					);
					await tx.execute(sql`
						insert into ${sql.raw(`${PG_BOSS_SCHEMA}.${RESEND_TABLE}`)}
							(id, name, data, priority, retry_limit, retry_count, retry_delay, retry_backoff,
								start_after, singleton_key, expire_in, keep_until)
						select id, name, data, priority, retry_limit, retry_count, retry_delay, retry_backoff,
							start_after, singleton_key, expire_in, keep_until
						from ${job}
						where state in ('created', 'retry', 'active') and name in (${names})`);
					const [counts] = rowsOf<{ kept: number; unknown: number }>(
						await tx.execute(sql`
							select (select count(*)::int from ${sql.raw(`${PG_BOSS_SCHEMA}.${RESEND_TABLE}`)}) as kept,
								(select count(*)::int from ${job}
									where state in ('created', 'retry', 'active') and name not in (${names})) as unknown`),
					);
					const [stamp] = rowsOf<{ s: string }>(
						await tx.execute(sql`select to_char(now() at time zone 'utc', 'YYYYMMDDHH24MISS') as s`),
					);
					const schema = `pgboss_v10_${stamp?.s}`;
					if (!RENAMED_SCHEMA.test(schema)) throw new Error(`unexpected schema name ${schema}`);
					await tx.execute(sql.raw(`alter schema ${PG_BOSS_SCHEMA} rename to ${schema}`));
					return { schema, toResend: counts?.kept ?? 0, unknown: counts?.unknown ?? 0 };
				}),
			);
		},

		/**
		 * In the caller's transaction, after taking the upgrade's advisory lock (so two instances do
		 * not re-send the same job): up to `limit` jobs kept from pg-boss 10 and not re-sent yet.
		 */
		async pgBoss10JobsToResend(tx: Tx, limit: number): Promise<PgBoss10Job[]> {
			await tx.execute(sql`select ${UPGRADE_LOCK}`);
			const schemas = rowsOf<{ s: string }>(
				await tx.execute(sql`
					select table_schema::text as s from information_schema.tables
					where table_schema like 'pgboss\_v10\_%' and table_name = ${RESEND_TABLE}
					order by table_schema`),
			)
				.map((r) => r.s)
				.filter((s) => RENAMED_SCHEMA.test(s));
			const out: PgBoss10Job[] = [];
			for (const schema of schemas) {
				if (out.length >= limit) break;
				const rows = rowsOf<{
					id: string;
					name: string;
					data: Record<string, unknown> | string | null;
					priority: number;
					retry_limit: number;
					retry_count: number;
					retry_delay: number;
					retry_backoff: boolean;
					start_after: Date | string;
					singleton_key: string | null;
					expire_seconds: number;
					retention_seconds: number;
				}>(
					await tx.execute(sql`
						select id::text as id, name, data, priority, retry_limit, retry_count, retry_delay,
							retry_backoff, start_after, singleton_key,
							greatest(1, ceil(extract(epoch from expire_in)))::int as expire_seconds,
							greatest(1, ceil(extract(epoch from keep_until - now())))::int as retention_seconds
						from ${sql.raw(`${schema}.${RESEND_TABLE}`)}
						where resent_on is null order by start_after, id limit ${limit - out.length}`),
				);
				for (const r of rows) {
					out.push({
						schema,
						id: r.id,
						name: r.name,
						data: typeof r.data === "string" ? JSON.parse(r.data) : r.data,
						priority: r.priority,
						retryLimit: r.retry_limit,
						retryCount: r.retry_count,
						retryDelay: r.retry_delay,
						retryBackoff: r.retry_backoff,
						startAfter: new Date(r.start_after),
						singletonKey: r.singleton_key,
						expireInSeconds: r.expire_seconds,
						retentionSeconds: r.retention_seconds,
					});
				}
			}
			return out;
		},

		/**
		 * In the caller's transaction, once pg-boss 12's `insert` wrote them with the same ids: gives the
		 * re-sent jobs their attempts used so far (`insert` has no such option) and marks them re-sent
		 * in the renamed schema, so a later start does not send them again.
		 */
		async markPgBoss10JobsResent(
			tx: Tx,
			jobs: ReadonlyArray<Pick<PgBoss10Job, "schema" | "id">>,
		): Promise<void> {
			const bySchema = new Map<string, string[]>();
			for (const j of jobs) {
				if (!RENAMED_SCHEMA.test(j.schema)) throw new Error(`unexpected schema name ${j.schema}`);
				bySchema.set(j.schema, [...(bySchema.get(j.schema) ?? []), j.id]);
			}
			for (const [schema, ids] of bySchema) {
				const resend = sql.raw(`${schema}.${RESEND_TABLE}`);
				const list = sql.join(
					ids.map((id) => sql`${id}::uuid`),
					sql`, `,
				);
				await tx.execute(sql`
					update ${job} j set retry_count = r.retry_count
					from ${resend} r
					where r.id = j.id and j.id in (${list}) and j.state in ('created', 'retry')`);
				await tx.execute(sql`update ${resend} set resent_on = now() where id in (${list})`);
			}
		},

		/**
		 * The conversation-links backlog (of one site when `siteId` is given). All zero before pg-boss's
		 * schema exists. Finished jobs, the bulk of the table, are skipped by the state filter.
		 */
		async jobBacklog(options: { siteId?: number } = {}): Promise<JobBacklog> {
			return guard(async () => {
				const [row] = await queueCounts([CONVERSATION_LINKS_QUEUE], forSite(options.siteId));
				return row ? backlogOfRow(row) : { ...EMPTY_BACKLOG };
			});
		},

		/**
		 * The counts `/healthz` reports, every queue at once and all sites, in one statement: the
		 * links backlog as {@link jobBacklog} reads it and the other queues' `{ pending, dead }` as
		 * their own backlog reads count them. One round trip instead of four on each health check
		 * (docs/decisions/0044-serve-start-on-postgres.md).
		 */
		async healthBacklogs(): Promise<HealthBacklogs> {
			return guard(async () => {
				const rows = await queueCounts(
					[CONVERSATION_LINKS_QUEUE, CONTACT_ERASURE_QUEUE, CONTACT_SYNC_QUEUE, INTERCOM_EVENTS_QUEUE],
					sql`true`,
				);
				const of = (name: string) => rows.find((r) => r.name === name);
				const counts = (name: string) => {
					const r = of(name);
					return r ? { pending: r.waiting + r.active, dead: r.dead } : { pending: 0, dead: 0 };
				};
				const links = of(CONVERSATION_LINKS_QUEUE);
				return {
					links: links ? backlogOfRow(links) : { ...EMPTY_BACKLOG },
					erasures: counts(CONTACT_ERASURE_QUEUE),
					contactSync: counts(CONTACT_SYNC_QUEUE),
					intercomEvents: counts(INTERCOM_EVENTS_QUEUE),
				};
			});
		},

		/**
		 * The dead links jobs of a site (those in `ids` only, when given), the latest failures first,
		 * with their activity's contact and title.
		 */
		async deadJobs(options: { siteId: number; ids?: string[]; limit?: number }): Promise<DeadJobRow[]> {
			const ids = options.ids?.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
			if (ids && ids.length === 0) return [];
			return guard(async () => {
				if (!(await hasJobTable())) return [];
				const which = ids
					? sql`j.id in (${sql.join(
							ids.map((id) => sql`${id}::uuid`),
							sql`, `,
						)})`
					: sql`true`;
				const rows = rowsOf<{
					id: string;
					data: Record<string, unknown> | string;
					contact_guid: string | null;
					title: string | null;
					retry_count: number;
					retry_limit: number;
					output: unknown;
					completed_on: Date | string | null;
				}>(
					await db.execute(sql`
						select j.id::text as id, j.data, a.contact_guid::text as contact_guid, a.title,
							j.retry_count, j.retry_limit, j.output, j.completed_on
						from ${job} j
						left join activities a on a.id::text = j.data->>'activityId'
						where j.name = ${CONVERSATION_LINKS_QUEUE} and j.state = 'failed'
							and ${forSite(options.siteId)} and ${which}
						order by j.completed_on desc nulls last
						limit ${options.limit ?? 100}`),
				);
				return rows.map((r) => ({
					id: r.id,
					data: typeof r.data === "string" ? JSON.parse(r.data) : r.data,
					contactGuid: r.contact_guid,
					activityTitle: r.title,
					retryCount: r.retry_count,
					retryLimit: r.retry_limit,
					output: r.output,
					failedAt: r.completed_on === null ? null : new Date(r.completed_on),
				}));
			});
		},

		/** The erasure queue's backlog: waiting or running, dead, and the latest dead job's output. */
		erasureBacklog: (): Promise<ErasureBacklogRow> => queueBacklog(CONTACT_ERASURE_QUEUE),
		/** The contact-sync queue's backlog (same counts as {@link erasureBacklog}). */
		contactSyncBacklog: (): Promise<ErasureBacklogRow> => queueBacklog(CONTACT_SYNC_QUEUE),

		/** The ids of the dead erasure jobs (at most 1000). */
		deadErasureJobs: () => deadJobsOf(CONTACT_ERASURE_QUEUE),
		/** The ids of the dead contact-sync jobs (at most 1000). */
		deadContactSyncJobs: () => deadJobsOf(CONTACT_SYNC_QUEUE),
		/** The Intercom events queue's backlog (decision 0023), of one site when `siteId` is given. */
		intercomEventsBacklog: (siteId?: number): Promise<ErasureBacklogRow> =>
			queueBacklog(INTERCOM_EVENTS_QUEUE, siteId),
		/** The dead Intercom event jobs (at most 1000), of one site when `siteId` is given. */
		deadIntercomEventJobs: (siteId?: number) => deadJobsOf(INTERCOM_EVENTS_QUEUE, siteId),
	};

	/** Only the jobs whose data names this site (event jobs carry `siteId`); all without one. */
	function ofSite(siteId: number | undefined): SQL {
		return siteId === undefined ? sql`true` : sql`j.data->>'siteId' = ${String(siteId)}`;
	}

	async function queueBacklog(name: string, siteId?: number): Promise<ErasureBacklogRow> {
		return guard(async () => {
			if (!(await hasJobTable())) return { pending: 0, dead: 0, lastOutput: null };
			const [row] = rowsOf<{ pending: number; dead: number; output: unknown }>(
				await db.execute(sql`
						select
							count(*) filter (where state in ('created', 'retry', 'active'))::int as pending,
							count(*) filter (where state = 'failed')::int as dead,
							(array_agg(output order by completed_on desc) filter (where state = 'failed'))[1] as output
						from ${job} j
						where name = ${name} and state in ('created', 'retry', 'active', 'failed') and ${ofSite(siteId)}`),
			);
			return { pending: row?.pending ?? 0, dead: row?.dead ?? 0, lastOutput: row?.output ?? null };
		});
	}

	async function deadJobsOf(
		name: string,
		siteId?: number,
	): Promise<Array<{ id: string; data: Record<string, unknown>; retryLimit: number }>> {
		return guard(async () => {
			if (!(await hasJobTable())) return [];
			const rows = rowsOf<{ id: string; data: Record<string, unknown> | string; retry_limit: number }>(
				await db.execute(sql`
						select j.id::text as id, j.data, j.retry_limit from ${job} j
						where j.name = ${name} and j.state = 'failed' and ${ofSite(siteId)}
						order by j.completed_on limit 1000`),
			);
			return rows.map((r) => ({
				id: r.id,
				data: typeof r.data === "string" ? JSON.parse(r.data) : r.data,
				retryLimit: r.retry_limit,
			}));
		});
	}
}

export type JobStore = ReturnType<typeof createJobStore>;
