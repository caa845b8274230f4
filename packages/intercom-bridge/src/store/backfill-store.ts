/**
 * Backfill runs (decision 0031): one row per site with its state, cursor, counts and lease. The
 * runner (src/sync/run-backfill.ts) takes the lease, advances the cursor with the counts in one
 * statement, and ends the run; a run whose lease ran out (its runner died) is taken over.
 */
import { and, asc, count, gt, or, sql } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { rowsOf } from "./database.ts";
import { contacts, settingsAudit } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** The state of a backfill run. */
export type BackfillState = "running" | "paused" | "done" | "failed";

/** A site's backfill run, as kept. */
export interface BackfillRun {
	siteId: number;
	state: BackfillState;
	/** The last contact done (all before it in GUID order are done too); null before the first. */
	cursorGuid: string | null;
	total: number;
	sent: number;
	skipped: number;
	failed: number;
	leaseOwner: string | null;
	/** Epoch ms. */
	leaseUntil: number;
	lastError: string | null;
	startedBy: string | null;
	startedAt: Date;
	updatedAt: Date;
	finishedAt: Date | null;
}

/** What {@link BackfillStore.claimBackfill} answers. */
export interface BackfillClaim {
	/** This owner runs the backfill now. */
	claimed: boolean;
	/** The run after the claim (or as another runner holds it). */
	run: BackfillRun;
}

interface Row {
	site_id: number;
	state: BackfillState;
	cursor_guid: string | null;
	total: number;
	sent: number;
	skipped: number;
	failed: number;
	lease_owner: string | null;
	lease_until: string | number;
	last_error: string | null;
	started_by: string | null;
	started_at: string | Date;
	updated_at: string | Date;
	finished_at: string | Date | null;
}

const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

function toRun(r: Row): BackfillRun {
	return {
		siteId: Number(r.site_id),
		state: r.state,
		cursorGuid: r.cursor_guid,
		total: Number(r.total),
		sent: Number(r.sent),
		skipped: Number(r.skipped),
		failed: Number(r.failed),
		leaseOwner: r.lease_owner,
		leaseUntil: Number(r.lease_until),
		lastError: r.last_error,
		startedBy: r.started_by,
		startedAt: toDate(r.started_at),
		updatedAt: toDate(r.updated_at),
		finishedAt: r.finished_at === null ? null : toDate(r.finished_at),
	};
}

function checkOwner(owner: string): string {
	if (typeof owner !== "string" || owner.length === 0 || owner.length > 100)
		throw new ValidationError("A backfill lease owner is 1 to 100 characters.");
	return owner;
}

function checkLease(leaseMs: number): number {
	if (!(Number.isInteger(leaseMs) && leaseMs >= 100 && leaseMs <= 3_600_000))
		throw new ValidationError(`A backfill lease is 100 ms to 1 hour (got ${leaseMs}).`);
	return leaseMs;
}

/** Named contacts only: an anonymous visitor is never sent (as contact sync has it). */
const named = or(
	sql`nullif(btrim(${contacts.email}), '') is not null`,
	sql`nullif(btrim(${contacts.firstName}), '') is not null`,
	sql`nullif(btrim(${contacts.lastName}), '') is not null`,
);

export function createBackfillStore(ctx: StoreContext) {
	const { db } = ctx;
	const columns = sql`site_id, state, cursor_guid, total, sent, skipped, failed, lease_owner,
		lease_until::float8 as lease_until, last_error, started_by, started_at, updated_at, finished_at`;
	return {
		/** The site's backfill run, or null when none was ever started. */
		async getBackfill(siteId: number): Promise<BackfillRun | null> {
			const rows = rowsOf<Row>(
				await guard(() => db.execute(sql`select ${columns} from sync_backfills where site_id = ${siteId}`)),
			);
			return rows[0] ? toRun(rows[0]) : null;
		},

		/**
		 * Takes the site's backfill for `owner` until now + `leaseMs`, in one statement: a new run when
		 * none exists or the last one is done (cursor and counts from zero); the same run, from its
		 * cursor, when it is paused, failed, or running under a lease that ran out (its runner died)
		 * or is this owner's. A run held by another live runner is not taken (`claimed: false`).
		 */
		async claimBackfill(
			siteId: number,
			input: { owner: string; leaseMs: number; total: number; startedBy?: string },
		): Promise<BackfillClaim> {
			const owner = checkOwner(input.owner);
			const leaseMs = checkLease(input.leaseMs);
			const now = ctx.now();
			const fresh = sql`b.state = 'done'`;
			const rows = rowsOf<Row>(
				await guard(() =>
					db.execute(sql`
						insert into sync_backfills as b (site_id, state, total, lease_owner, lease_until, started_by)
						values (${siteId}, 'running', ${input.total}::int, ${owner}, ${now + leaseMs}::bigint,
							${input.startedBy ?? null})
						on conflict (site_id) do update set
							state = 'running',
							cursor_guid = case when ${fresh} then null else b.cursor_guid end,
							sent = case when ${fresh} then 0 else b.sent end,
							skipped = case when ${fresh} then 0 else b.skipped end,
							failed = case when ${fresh} then 0 else b.failed end,
							started_at = case when ${fresh} then now() else b.started_at end,
							started_by = case when ${fresh} then excluded.started_by else b.started_by end,
							total = excluded.total,
							lease_owner = excluded.lease_owner,
							lease_until = excluded.lease_until,
							last_error = null,
							finished_at = null,
							updated_at = now()
						where b.state <> 'running' or b.lease_until < ${now}::bigint or b.lease_owner = ${owner}
						returning ${columns}`),
				),
			);
			if (rows[0]) return { claimed: true, run: toRun(rows[0]) };
			const run = await this.getBackfill(siteId);
			if (!run) throw new ValidationError(`No site with id ${siteId}.`);
			return { claimed: false, run };
		},

		/**
		 * Moves the cursor to `cursorGuid` (when given) and adds the counts, renewing the lease, in one
		 * statement; only while `owner` holds the run. Returns false when the lease was lost (another
		 * runner took the run over): the caller must stop.
		 */
		async advanceBackfill(
			siteId: number,
			input: {
				owner: string;
				leaseMs: number;
				cursorGuid?: string;
				sent?: number;
				skipped?: number;
				failed?: number;
			},
		): Promise<boolean> {
			const owner = checkOwner(input.owner);
			const leaseMs = checkLease(input.leaseMs);
			const now = ctx.now();
			const rows = rowsOf<{ site_id: number }>(
				await guard(() =>
					db.execute(sql`
						update sync_backfills set
							cursor_guid = coalesce(${input.cursorGuid ?? null}::uuid, cursor_guid),
							sent = sent + ${input.sent ?? 0}::int,
							skipped = skipped + ${input.skipped ?? 0}::int,
							failed = failed + ${input.failed ?? 0}::int,
							lease_until = ${now + leaseMs}::bigint,
							updated_at = now()
						where site_id = ${siteId} and state = 'running' and lease_owner = ${owner}
						returning site_id`),
				),
			);
			return rows.length > 0;
		},

		/**
		 * Ends `owner`'s run as `done`, `paused` (stopped; a new start resumes) or `failed` (with the
		 * error; a new start resumes too), releasing the lease. False when `owner` no longer held it.
		 */
		async endBackfill(
			siteId: number,
			input: { owner: string; state: "done" | "paused" | "failed"; error?: string },
		): Promise<boolean> {
			const owner = checkOwner(input.owner);
			const rows = rowsOf<{ site_id: number }>(
				await guard(() =>
					db.execute(sql`
						update sync_backfills set
							state = ${input.state}, lease_owner = null, lease_until = 0,
							last_error = ${input.error?.slice(0, 1000) ?? null},
							finished_at = case when ${input.state} = 'done' then now() else null end,
							updated_at = now()
						where site_id = ${siteId} and state = 'running' and lease_owner = ${owner}
						returning site_id`),
				),
			);
			return rows.length > 0;
		},

		/**
		 * Records who started or paused a site's backfill, or had reconciliation send the missing and
		 * changed contacts again, in its audit log (kind `sync`, key `backfill` or `reconcile`).
		 */
		async recordBackfillAudit(
			siteId: number,
			action: "backfill-start" | "backfill-pause" | "reconcile-fix",
			actor: string,
		) {
			if (!actor.trim()) throw new ValidationError("The audit row's actor is required.", "actor");
			const key = action === "reconcile-fix" ? "reconcile" : "backfill";
			await guard(() =>
				db.insert(settingsAudit).values({ siteId, kind: "sync", key, action, actor: actor.slice(0, 254) }),
			);
		},

		/** How many contacts a backfill looks at: the named ones (anonymous visitors are never sent). */
		async countBackfillContacts(): Promise<number> {
			const [row] = await guard(() => db.select({ n: count() }).from(contacts).where(named));
			return row?.n ?? 0;
		},

		/** The next `limit` named contacts after `afterGuid`, in GUID order (the backfill's order). */
		async listBackfillContacts(afterGuid: string | null, limit: number) {
			const n = Math.min(Math.max(Math.trunc(limit), 1), 1000);
			return guard(() =>
				db
					.select()
					.from(contacts)
					.where(and(named, afterGuid ? gt(contacts.guid, afterGuid) : undefined))
					.orderBy(asc(contacts.guid))
					.limit(n),
			);
		},
	};
}

export type BackfillStore = ReturnType<typeof createBackfillStore>;
