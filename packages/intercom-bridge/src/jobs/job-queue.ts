/**
 * The queue of the conversation-links job, shared by the webhook routes (which enqueue inside
 * their transaction) and the job runner (which works it). One per store: pg-boss's schema and the
 * queue are created once, on first use, by whichever comes first.
 */
import type { PgBoss, SendOptions } from "pg-boss";
import { StoreUnavailableError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import type { Tx } from "../store/database.ts";
import {
	CONTACT_ERASURE_QUEUE,
	CONTACT_SYNC_QUEUE,
	CONVERSATION_LINKS_QUEUE,
	INTERCOM_EVENTS_QUEUE,
} from "../store/job-store.ts";
import { storeBossOptions, transactionBossDb } from "../store/pg-boss-db.ts";
import { onStoreClose } from "../store/store-lifecycle.ts";

// The webhook's statement (src/webhooks/log-activity.ts) writes the links job with the store's SQL.
export {
	CONTACT_ERASURE_QUEUE,
	CONTACT_SYNC_QUEUE,
	CONVERSATION_LINKS_QUEUE,
	conversationLinksJobText,
	INTERCOM_EVENT_RETRY_LIMIT,
	INTERCOM_EVENTS_QUEUE,
	PG_BOSS_SCHEMA,
} from "../store/job-store.ts";

/** Attempts of an erasure job: with the doubling delay from 60 s, they span about 2 days. */
export const CONTACT_ERASURE_ATTEMPTS = 12;

/** Attempts of a contact-sync job: with the doubling delay from 30 s, they span about 4 hours. */
export const CONTACT_SYNC_ATTEMPTS = 10;

/** Data of a contact-erasure job: the GUIDs Intercom knows the person by (`external_id`). */
export interface ContactErasureJob {
	externalIds: string[];
	/**
	 * A deletion or scrub after a withdrawn consent (the site's `onWithdrawal=delete` or `scrub`):
	 * only this site's workspace, and only if the contact (`guid`) has not agreed to `consent` again
	 * by the time the job runs. Without it, an erasure: every connected workspace. `action` is
	 * `delete` when missing (jobs queued before scrub existed).
	 */
	withdrawal?: { siteId: number; guid: string; consent: string; action?: "delete" | "scrub" };
}

/**
 * Data of an Intercom event job (decision 0023): the site activity to send as a data event. Queued
 * by `store.recordActivity` in the activity's transaction; what is sent is read when it runs.
 */
export interface IntercomEventJob {
	activityId: number;
	siteId: number;
}

/** Data of a conversation-links job. */
export interface ConversationLinksJob {
	/** The activity whose comment receives the links. */
	activityId: number;
	/** The site whose Intercom workspace and token are used. */
	siteId: number;
	/** Intercom `external_id`s to look the person up by: the GUID Intercom sent, and the surviving one. */
	externalIds: string[];
	/** How often the job was put off because Intercom refused the token (does not count as an attempt). */
	authWaits?: number;
}

export interface JobQueue {
	/** Creates pg-boss's schema and the queue when missing. Idempotent; runs once per store. */
	ensure(): Promise<void>;
	/**
	 * Inserts a conversation-links job in the caller's transaction (committed with it, or not at all).
	 * Call {@link ensure} first, outside the transaction (on PGlite it would wait for the transaction).
	 * @returns the job id.
	 * @throws StoreUnavailableError when the queue is not ready or missing (the transaction then rolls back).
	 */
	enqueueConversationLinks(
		tx: Tx,
		data: ConversationLinksJob,
		options: { maxAttempts: number },
	): Promise<string>;
	/**
	 * Inserts a contact-erasure job in the caller's transaction (see {@link enqueueConversationLinks}).
	 * @returns the job id.
	 */
	enqueueContactErasure(tx: Tx, data: ContactErasureJob): Promise<string>;
	/**
	 * Deletes, in the caller's transaction, the conversation-links jobs whose data names one of
	 * `guids` (any state: their data holds the GUIDs). Call {@link ensure} first. @returns how many.
	 */
	deleteConversationLinksJobs(tx: Tx, guids: readonly string[]): Promise<number>;
	/**
	 * Queues jobs again with their full number of attempts: a fresh copy of each (same data and
	 * retry limit) replaces the dead one, in one transaction. Call {@link ensure} first.
	 * @returns how many were queued.
	 */
	runAgain(
		name:
			| typeof CONVERSATION_LINKS_QUEUE
			| typeof CONTACT_ERASURE_QUEUE
			| typeof CONTACT_SYNC_QUEUE
			| typeof INTERCOM_EVENTS_QUEUE,
		jobs: ReadonlyArray<{ id: string; data: object; retryLimit: number }>,
	): Promise<number>;
}

const queues = new WeakMap<Store, JobQueue>();

/** The queues this package uses: jobs of pg-boss 10 in others are not re-sent. */
const KNOWN_QUEUES = [
	CONVERSATION_LINKS_QUEUE,
	CONTACT_ERASURE_QUEUE,
	INTERCOM_EVENTS_QUEUE,
	CONTACT_SYNC_QUEUE,
];

/** A contact-sync job's singleton key (see the store's `markContactForSync`); none for other queues. */
function syncKey(name: string, data: object): { singletonKey?: string } {
	if (name !== CONTACT_SYNC_QUEUE) return {};
	const { guid, mergedFrom } = data as { guid?: unknown; mergedFrom?: unknown };
	if (typeof mergedFrom === "string") return { singletonKey: `merge:${mergedFrom}` };
	return typeof guid === "string" ? { singletonKey: guid } : {};
}

/** Jobs kept from pg-boss 10 re-sent per transaction. */
const RESEND_BATCH = 500;

/** The job queue of a store (one per store, created on first call). */
export function getJobQueue(store: Store, logger?: Logger): JobQueue {
	const existing = queues.get(store);
	if (existing) return existing;
	let ready: Promise<void> | undefined;
	// A pg-boss instance that only sends (it never works jobs); loaded on first use so that importing
	// the bridge loads no database driver (pg-boss requires pg).
	let boss: PgBoss | undefined;
	const startedBoss = (): PgBoss => {
		if (!boss) throw new StoreUnavailableError("The job queue is not ready; call ensure() first and retry.");
		return boss;
	};
	/** Inserts a job with the caller's transaction, so it commits (or not) with the caller's work. */
	async function sendInTransaction(
		tx: Tx,
		name: string,
		data: object,
		options: Pick<SendOptions, "retryLimit" | "retryDelay" | "retryBackoff">,
	): Promise<string> {
		const id = await startedBoss().send(name, { ...data }, { ...options, db: transactionBossDb(tx) });
		if (!id) throw new StoreUnavailableError(`The job queue ${name} is missing; retry later.`);
		return id;
	}
	/**
	 * Re-sends the jobs kept from pg-boss 10 and not re-sent yet, with their ids (pg-boss skips an id
	 * it has), options and attempts used, marking them re-sent in the same transaction: a start that
	 * fails midway leaves the rest to the next one. A no-op once done.
	 */
	async function resendPgBoss10Jobs(sender: PgBoss): Promise<void> {
		for (;;) {
			const sent = await store.transaction(async (tx) => {
				const jobs = await store.pgBoss10JobsToResend(tx, RESEND_BATCH);
				const db = transactionBossDb(tx);
				for (const name of new Set(jobs.map((j) => j.name))) {
					await sender.insert(
						name,
						jobs
							.filter((j) => j.name === name)
							.map((j) => ({
								id: j.id,
								data: j.data ?? {},
								priority: j.priority,
								retryLimit: j.retryLimit,
								retryDelay: j.retryDelay,
								retryBackoff: j.retryBackoff,
								startAfter: j.startAfter,
								...(j.singletonKey === null ? {} : { singletonKey: j.singletonKey }),
								expireInSeconds: j.expireInSeconds,
								retentionSeconds: j.retentionSeconds,
							})),
						{ db },
					);
				}
				await store.markPgBoss10JobsResent(tx, jobs);
				return jobs.length;
			});
			if (sent > 0) logger?.info({ jobs: sent }, "re-sent jobs kept from pg-boss 10");
			if (sent < RESEND_BATCH) return;
		}
	}
	const queue: JobQueue = {
		ensure() {
			ready ??= (async () => {
				const { PgBoss: PgBossClass } = await import("pg-boss");
				const database = await storeBossOptions(store);
				const create = () => {
					const instance = new PgBossClass({
						...database,
						supervise: false,
						schedule: false,
						migrate: true,
						// It only sends: no place in pg-boss's instance registry.
						registerInstance: false,
					});
					instance.on("error", (err: Error) =>
						logger?.error({ err: { name: err.name, message: err.message } }, "pg-boss error"),
					);
					return instance;
				};
				// Instances starting together on an empty database race to create pg-boss's schema and
				// the queue; the loser's statement fails on what the winner just made. A fresh try
				// then finds it in place.
				// pg-boss 12 cannot migrate the job schema pg-boss 10 left (version 24): move it aside,
				// keeping its jobs still to run, so pg-boss 12 creates its own; they are re-sent below.
				const renamed = await store.renamePgBoss10Schema(KNOWN_QUEUES);
				if (renamed) {
					logger?.warn(
						{ schema: renamed.schema, toResend: renamed.toResend, unknownJobs: renamed.unknown },
						`pg-boss 10's job schema was renamed ${renamed.schema}; its ${renamed.toResend} job(s) still to run ` +
							`are re-sent to pg-boss 12${renamed.unknown > 0 ? `, ${renamed.unknown} of unknown queues stay there` : ""}. ` +
							`Once nothing there is needed: drop schema ${renamed.schema} cascade`,
					);
				}
				let sender = create();
				for (let attempt = 1; ; attempt++) {
					try {
						await sender.start();
						// Defaults for jobs queued before a runner has set its own policy (createJobRunner updates it).
						await sender.createQueue(CONVERSATION_LINKS_QUEUE, {
							retryDelay: 30,
							retryBackoff: true,
							expireInSeconds: 900,
						});
						// The event job is written by the store's SQL, which takes these from the queue row.
						await sender.createQueue(INTERCOM_EVENTS_QUEUE, {
							retryDelay: 60,
							retryBackoff: true,
							expireInSeconds: 900,
						});
						await sender.createQueue(CONTACT_ERASURE_QUEUE, {
							retryLimit: CONTACT_ERASURE_ATTEMPTS - 1,
							retryDelay: 60,
							retryBackoff: true,
							expireInSeconds: 900,
						});
						// One waiting and one running job per contact (pg-boss's `stately` policy, keyed by the
						// GUID): the changes made while one waits ride on it (decision 0025).
						await sender.createQueue(CONTACT_SYNC_QUEUE, {
							policy: "stately",
							retryLimit: CONTACT_SYNC_ATTEMPTS - 1,
							retryDelay: 30,
							retryBackoff: true,
							expireInSeconds: 900,
						});
						break;
					} catch (err) {
						if (attempt >= 4) throw err;
						await sender.stop({ graceful: false }).catch(() => {});
						await new Promise((r) => setTimeout(r, 150 * attempt + Math.random() * 200));
						sender = create();
					}
				}
				try {
					await resendPgBoss10Jobs(sender);
				} catch (err) {
					await sender.stop({ graceful: false }).catch(() => {});
					throw err;
				}
				boss = sender;
				// The sender keeps a poll timer (pg-boss's background migrations) that would hold the
				// process open after the store closes; it stops first. Stopped, it sends nothing more.
				onStoreClose(store, async () => {
					boss = undefined;
					ready = undefined;
					await sender.stop({ graceful: false, close: false });
				});
			})().catch((err: unknown) => {
				ready = undefined; // let the next request try again (e.g. the database was down)
				logger?.error(
					{ err: { name: (err as Error).name, message: (err as Error).message } },
					"job queue not ready",
				);
				throw new StoreUnavailableError("The job queue is not ready; nothing was written. Retry later.", {
					cause: err,
				});
			});
			return ready;
		},
		enqueueConversationLinks: (tx, data, options) =>
			sendInTransaction(tx, CONVERSATION_LINKS_QUEUE, data, { retryLimit: options.maxAttempts - 1 }),
		enqueueContactErasure: (tx, data) =>
			sendInTransaction(tx, CONTACT_ERASURE_QUEUE, data, {
				retryLimit: CONTACT_ERASURE_ATTEMPTS - 1,
				retryDelay: 60,
				retryBackoff: true,
			}),
		async deleteConversationLinksJobs(tx, guids) {
			const worker = startedBoss();
			const db = transactionBossDb(tx);
			const ids = new Set<string>();
			for (const guid of guids) {
				// pg-boss matches data by containment: every job whose externalIds hold this GUID.
				for (const job of await worker.findJobs(CONVERSATION_LINKS_QUEUE, {
					data: { externalIds: [guid] },
					limit: 100_000,
					db,
				})) {
					ids.add(job.id);
				}
			}
			if (ids.size > 0) await worker.deleteJob(CONVERSATION_LINKS_QUEUE, [...ids], { db });
			return ids.size;
		},
		async runAgain(name, jobs) {
			if (jobs.length === 0) return 0;
			const worker = startedBoss();
			const gone = new Error("a job to run again is gone");
			try {
				return await store.transaction(async (tx) => {
					const db = transactionBossDb(tx);
					// pg-boss answers `{ jobs, requested, affected }` (its d.ts declares the type empty).
					const { affected } = (await worker.deleteJob(
						name,
						jobs.map((j) => j.id),
						{ db },
					)) as { affected?: number };
					// Another operator ran one again meanwhile: roll back rather than queue it twice.
					if (affected !== jobs.length) throw gone;
					for (const job of jobs) {
						await worker.send(
							name,
							{ ...job.data },
							{ retryLimit: job.retryLimit, db, ...syncKey(name, job.data) },
						);
					}
					return jobs.length;
				});
			} catch (err) {
				if (err === gone) return 0;
				throw err;
			}
		},
	};
	queues.set(store, queue);
	return queue;
}
