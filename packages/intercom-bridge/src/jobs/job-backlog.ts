/**
 * The conversation-links backlog as operators need to see it (docs/reliability.md O14): how many jobs
 * wait, how old the oldest is, how many retry, and the dead ones (attempts used up) with their
 * last error; and a way to run dead jobs again once the cause is fixed.
 *
 * The counts come from the store (src/store/job-store.ts reads pg-boss's job table: pg-boss has no
 * count per site); running a job again goes through pg-boss's API (job-queue.ts). Before the queue
 * exists (no webhook or runner has started yet) every count is 0. pg-boss keeps finished jobs,
 * dead ones included, for its deletion delay (7 days).
 */
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import type { HealthBacklogs, JobBacklog } from "../store/job-store.ts";
import {
	CONTACT_ERASURE_QUEUE,
	CONTACT_SYNC_QUEUE,
	CONVERSATION_LINKS_QUEUE,
	getJobQueue,
	INTERCOM_EVENTS_QUEUE,
	type JobQueue,
} from "./job-queue.ts";

export type { HealthBacklogs, JobBacklog };

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

/** The backlog of the links queue (of one site when `siteId` is given). */
export function getJobBacklog(store: Store, options: { siteId?: number } = {}): Promise<JobBacklog> {
	return store.jobBacklog(options);
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
	const rows = await store.deadJobs(options);
	return rows.map((r) => ({
		id: r.id,
		activityId: Number(r.data.activityId),
		siteId: Number(r.data.siteId),
		contactGuid: r.contactGuid,
		activityTitle: r.activityTitle,
		// The runner records the attempts made (a permanent error ends a job early); else count them.
		attempts: attemptsOf(r.output) ?? r.retryCount + 1,
		error: errorText(r.output),
		failedAt: new Date(r.failedAt ?? 0),
	}));
}

/**
 * Runs dead jobs of a site again, with their full number of attempts: those in `ids`, or all of
 * the site's when `ids` is omitted. Jobs that are not dead (or not the site's) are left alone.
 * @returns how many jobs were queued again.
 */
export async function redriveDeadJobs(
	store: Store,
	options: { siteId: number; ids?: string[]; logger?: Logger },
): Promise<number> {
	const dead = await store.deadJobs({ siteId: options.siteId, ids: options.ids, limit: 1000 });
	return runAgain(store, CONVERSATION_LINKS_QUEUE, dead, options.logger);
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

/**
 * What `/healthz` reports of the queues, all sites, read in one statement: the links backlog (as
 * {@link getJobBacklog}) and the other queues' `{ pending, dead }`.
 */
export function getHealthBacklogs(store: Store): Promise<HealthBacklogs> {
	return store.healthBacklogs();
}

/** The backlog of the erasure queue. */
export async function getErasureBacklog(store: Store): Promise<ErasureBacklog> {
	return backlogOf(await store.erasureBacklog());
}

/** A queue's counts from the store's row, with the latest dead job's error as text. */
function backlogOf(row: { pending: number; dead: number; lastOutput: unknown }): ErasureBacklog {
	return {
		pending: row.pending,
		dead: row.dead,
		lastError: row.dead > 0 ? errorText(row.lastOutput) : null,
	};
}

/** Sends `dead` jobs of `name` again, each with all its attempts. @returns how many were queued. */
async function runAgain(
	store: Store,
	name: Parameters<JobQueue["runAgain"]>[0],
	dead: ReadonlyArray<{ id: string; data: object; retryLimit: number }>,
	logger?: Logger,
): Promise<number> {
	if (dead.length === 0) return 0;
	const queue = getJobQueue(store, logger);
	await queue.ensure();
	return queue.runAgain(name, dead);
}

/** Runs every dead erasure job again, with all its attempts. @returns how many were queued. */
export async function redriveDeadErasures(store: Store, logger?: Logger): Promise<number> {
	return runAgain(store, CONTACT_ERASURE_QUEUE, await store.deadErasureJobs(), logger);
}

/** The backlog of the contact-sync queue (all sites: a job names a contact, not a site). */
export async function getContactSyncBacklog(store: Store): Promise<ErasureBacklog> {
	return backlogOf(await store.contactSyncBacklog());
}

/** Runs every dead contact-sync job again, with all its attempts. @returns how many were queued. */
export async function redriveDeadContactSyncs(store: Store, logger?: Logger): Promise<number> {
	return runAgain(store, CONTACT_SYNC_QUEUE, await store.deadContactSyncJobs(), logger);
}

/** The backlog of the Intercom events queue (decision 0023), of one site when `siteId` is given. */
export async function getIntercomEventsBacklog(
	store: Store,
	options: { siteId?: number } = {},
): Promise<ErasureBacklog> {
	return backlogOf(await store.intercomEventsBacklog(options.siteId));
}

/** Runs a site's dead Intercom event jobs again, with all their attempts. @returns how many were queued. */
export async function redriveDeadIntercomEvents(
	store: Store,
	options: { siteId: number; logger?: Logger },
): Promise<number> {
	return runAgain(
		store,
		INTERCOM_EVENTS_QUEUE,
		await store.deadIntercomEventJobs(options.siteId),
		options.logger,
	);
}
