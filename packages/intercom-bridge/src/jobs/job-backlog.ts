/**
 * The conversation-links backlog as operators need to see it (docs/reliability.md O14): how many jobs
 * wait, how old the oldest is, how many retry, and the dead ones (attempts used up) with their
 * last error; and a way to run dead jobs again once the cause is fixed.
 *
 * Read straight from pg-boss's job table (pg-boss is pinned to an exact version; job-queue.ts
 * writes the same table). Before the queue exists (no webhook or runner has started yet) every
 * count is 0. pg-boss keeps finished jobs, dead ones included, for its retention (7 days).
 */
import { type SQL, sql } from "drizzle-orm";
import type { Store } from "../store/create-store.ts";
import { rowsOf } from "../store/database.ts";
import { storeInternals } from "../store/store-internals.ts";
import { CONTACT_ERASURE_QUEUE, CONVERSATION_LINKS_QUEUE, PG_BOSS_SCHEMA } from "./job-queue.ts";

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

/** A dead job and why it died. */
export interface DeadJob {
	id: string;
	activityId: number;
	siteId: number;
	/** The activity's contact and title (null when the activity is gone). */
	contactGuid: string | null;
	activityTitle: string | null;
	/** Attempts made. */
	attempts: number;
	/** The last error, as the runner recorded it. */
	error: string;
	/** When the last attempt failed. */
	failedAt: Date;
}

const job = sql.raw(`${PG_BOSS_SCHEMA}.job`);
const queue = CONVERSATION_LINKS_QUEUE;

// Stores whose job table was found: it is never dropped, so it is looked up once, not per call.
const withQueueTable = new WeakSet<Store>();

async function hasQueueTable(store: Store): Promise<boolean> {
	if (withQueueTable.has(store)) return true;
	const rows = rowsOf<{ t: string | null }>(
		await storeInternals(store).db.execute(sql`select to_regclass(${`${PG_BOSS_SCHEMA}.job`})::text as t`),
	);
	if (rows[0]?.t) withQueueTable.add(store);
	return Boolean(rows[0]?.t);
}

/**
 * Queues dead jobs of `name` (those `where` selects) again: the attempts start over (retry_count
 * 0, and the retry delay with them), now rather than after a delay. @returns how many.
 */
async function redrive(store: Store, name: string, where: SQL): Promise<number> {
	if (!(await hasQueueTable(store))) return 0;
	const rows = rowsOf<{ id: string }>(
		await storeInternals(store).db.execute(sql`
			update ${job} as j
			set state = 'retry', retry_count = 0, start_after = now(), started_on = null,
				completed_on = null, output = null,
				-- pg-boss drops jobs that wait past keep_until: give the new run the usual 14 days.
				keep_until = greatest(keep_until, now() + interval '14 days')
			where name = ${name} and state = 'failed' and ${where}
			returning id::text as id`),
	);
	return rows.length;
}

/** A condition on the job (aliased `j`) being of the site, or true. */
const forSite = (siteId: number | undefined) =>
	siteId === undefined ? sql`true` : sql`j.data->>'siteId' = ${String(siteId)}`;

/** The backlog of the links queue (of one site when `siteId` is given). */
export async function getJobBacklog(store: Store, options: { siteId?: number } = {}): Promise<JobBacklog> {
	const empty: JobBacklog = {
		pending: 0,
		retrying: 0,
		waitingForToken: 0,
		active: 0,
		dead: 0,
		oldestPendingSeconds: null,
	};
	if (!(await hasQueueTable(store))) return empty;
	// Finished jobs are the bulk of the table: they are skipped by the state filter.
	const [row] = rowsOf<{
		pending: number;
		retrying: number;
		token: number;
		active: number;
		dead: number;
		oldest: number | null;
	}>(
		await storeInternals(store).db.execute(sql`
			select
				count(*) filter (where state in ('created', 'retry'))::int as pending,
				count(*) filter (where state = 'retry')::int as retrying,
				count(*) filter (where state in ('created', 'retry') and data ? 'authWaits')::int as token,
				count(*) filter (where state = 'active')::int as active,
				count(*) filter (where state = 'failed')::int as dead,
				extract(epoch from now() - min(created_on) filter (where state in ('created', 'retry')))::float8 as oldest
			from ${job} j
			where name = ${queue} and state in ('created', 'retry', 'active', 'failed') and ${forSite(options.siteId)}`),
	);
	if (!row) return empty;
	return {
		pending: row.pending,
		retrying: row.retrying,
		waitingForToken: row.token,
		active: row.active,
		dead: row.dead,
		oldestPendingSeconds: row.oldest === null ? null : Math.max(0, Math.floor(row.oldest)),
	};
}

/** The error text of a job's output (the runner stores `{ name, message }`). */
function errorText(output: unknown): string {
	if (output && typeof output === "object") {
		const { name, message } = output as { name?: unknown; message?: unknown };
		if (typeof message === "string")
			return typeof name === "string" && name !== "Error" ? `${name}: ${message}` : message;
	}
	return output === null || output === undefined
		? "(no error recorded)"
		: JSON.stringify(output).slice(0, 500);
}

const attemptsOf = (output: unknown): number | undefined => {
	const n = (output as { attempts?: unknown } | null)?.attempts;
	return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
};

/** The dead jobs of a site, the latest failures first. */
export async function listDeadJobs(
	store: Store,
	options: { siteId: number; limit?: number },
): Promise<DeadJob[]> {
	if (!(await hasQueueTable(store))) return [];
	const rows = rowsOf<{
		id: string;
		activity_id: string | null;
		site_id: string | null;
		contact_guid: string | null;
		title: string | null;
		retry_count: number;
		output: unknown;
		completed_on: Date | string | null;
	}>(
		await storeInternals(store).db.execute(sql`
			select j.id::text as id, j.data->>'activityId' as activity_id, j.data->>'siteId' as site_id,
				a.contact_guid::text as contact_guid, a.title, j.retry_count, j.output, j.completed_on
			from ${job} j
			left join activities a on a.id::text = j.data->>'activityId'
			where j.name = ${queue} and j.state = 'failed' and ${forSite(options.siteId)}
			order by j.completed_on desc nulls last
			limit ${options.limit ?? 100}`),
	);
	return rows.map((r) => ({
		id: r.id,
		activityId: Number(r.activity_id),
		siteId: Number(r.site_id),
		contactGuid: r.contact_guid,
		activityTitle: r.title,
		// The runner records the attempts made (a permanent error ends a job early); else count them.
		attempts: attemptsOf(r.output) ?? r.retry_count + 1,
		error: errorText(r.output),
		failedAt: new Date(r.completed_on ?? 0),
	}));
}

/**
 * Runs dead jobs of a site again, with their full number of attempts: those in `ids`, or all of
 * the site's when `ids` is omitted. Jobs that are not dead (or not the site's) are left alone.
 * @returns how many jobs were queued again.
 */
export async function redriveDeadJobs(
	store: Store,
	options: { siteId: number; ids?: string[] },
): Promise<number> {
	const ids = options.ids?.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
	if (ids && ids.length === 0) return 0;
	const which = ids
		? sql`id in (${sql.join(
				ids.map((id) => sql`${id}::uuid`),
				sql`, `,
			)})`
		: sql`true`;
	return redrive(store, queue, sql`${forSite(options.siteId)} and ${which}`);
}

/** The erasures in Intercom (one job per erased contact, across all sites' workspaces). */
export interface ErasureBacklog {
	/** Waiting or running (retried with growing delays for about two days). */
	pending: number;
	/** Gave up: the person may still be in Intercom. */
	dead: number;
	/** The latest dead job's error, for the notice. */
	lastError: string | null;
}

/** The backlog of the erasure queue. */
export async function getErasureBacklog(store: Store): Promise<ErasureBacklog> {
	if (!(await hasQueueTable(store))) return { pending: 0, dead: 0, lastError: null };
	const [row] = rowsOf<{ pending: number; dead: number; output: unknown }>(
		await storeInternals(store).db.execute(sql`
			select
				count(*) filter (where state in ('created', 'retry', 'active'))::int as pending,
				count(*) filter (where state = 'failed')::int as dead,
				(array_agg(output order by completed_on desc) filter (where state = 'failed'))[1] as output
			from ${job} j
			where name = ${CONTACT_ERASURE_QUEUE} and state in ('created', 'retry', 'active', 'failed')`),
	);
	return {
		pending: row?.pending ?? 0,
		dead: row?.dead ?? 0,
		lastError: row && row.dead > 0 ? errorText(row.output) : null,
	};
}

/** Runs every dead erasure job again, with all its attempts. @returns how many were queued. */
export const redriveDeadErasures = (store: Store): Promise<number> =>
	redrive(store, CONTACT_ERASURE_QUEUE, sql`true`);
