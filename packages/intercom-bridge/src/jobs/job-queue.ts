/**
 * The queue of the conversation-links job, shared by the webhook routes (which enqueue inside
 * their transaction) and the job runner (which works it). One per store: pg-boss's schema and the
 * queue are created once, on first use, by whichever comes first.
 */
import type PgBoss from "pg-boss";
import { StoreUnavailableError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import type { Tx } from "../store/database.ts";
import { drizzleBossDb, storeBossDb } from "./pg-boss-db.ts";

/** Name of the pg-boss queue that fills activities' conversation links. */
export const CONVERSATION_LINKS_QUEUE = "intercom-bridge-conversation-links";

/** Name of the pg-boss queue that erases contacts in Intercom (docs/reliability.md P3). */
export const CONTACT_ERASURE_QUEUE = "intercom-bridge-contact-erasure";

/** Attempts of an erasure job: with the doubling delay from 60 s, they span about 2 days. */
export const CONTACT_ERASURE_ATTEMPTS = 12;

/** Data of a contact-erasure job: the GUIDs Intercom knows the person by (`external_id`). */
export interface ContactErasureJob {
	externalIds: string[];
	/**
	 * A deletion after a withdrawn consent (the site's `onWithdrawal=delete`): only this site's
	 * workspace, and only if the contact (`guid`) has not agreed to `consent` again by the time the
	 * job runs. Without it, an erasure: every connected workspace.
	 */
	withdrawal?: { siteId: number; guid: string; consent: string };
}

/** pg-boss's schema (its default; the queue's sender and runner use the default). */
export const PG_BOSS_SCHEMA = "pgboss";

/**
 * An INSERT of conversation-links jobs for a data-modifying CTE, so a webhook can write its
 * activity and the job in one statement. It writes the row pg-boss 10's own `send` writes
 * (plans.js `insertJob`): the queue's policy, dead letter, expiry, retention and retry delay,
 * with our retry limit. pg-boss is pinned to an exact version because this depends on its table;
 * a test compares this row with one written by `boss.send`. A missing queue makes the statement
 * fail (the job table has no partition for it), so the activity is not written either.
 * @param input.from a FROM list with one row per job
 * @param input.data the job's data: a jsonb expression over `from`'s columns ({@link ConversationLinksJob})
 * @param input.retryLimit an SQL integer expression: attempts after the first
 */
export function conversationLinksJobText(input: { from: string; data: string; retryLimit: string }): string {
	return `insert into ${PG_BOSS_SCHEMA}.job
			(name, data, priority, start_after, dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
		select '${CONVERSATION_LINKS_QUEUE}', ${input.data}, 0, now(), q.dead_letter,
			coalesce(q.expire_seconds, 900) * interval '1s',
			now() + cast(coalesce((q.retention_minutes * 60)::text, '14 days') as interval),
			${input.retryLimit},
			case when coalesce(q.retry_backoff, false) then greatest(coalesce(q.retry_delay, 0), 1)
				else coalesce(q.retry_delay, 0) end,
			coalesce(q.retry_backoff, false),
			q.policy
		from ${input.from}
			left join ${PG_BOSS_SCHEMA}.queue q on q.name = '${CONVERSATION_LINKS_QUEUE}'
		returning id`;
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
}

const queues = new WeakMap<Store, JobQueue>();

/** The job queue of a store (one per store, created on first call). */
export function getJobQueue(store: Store, logger?: Logger): JobQueue {
	const existing = queues.get(store);
	if (existing) return existing;
	let ready: Promise<void> | undefined;
	// A pg-boss instance that only sends (it never works jobs); loaded on first use so that importing
	// the bridge loads no database driver (pg-boss requires pg).
	let boss: PgBoss | undefined;
	/** Inserts a job with the caller's transaction, so it commits (or not) with the caller's work. */
	async function sendInTransaction(
		tx: Tx,
		name: string,
		data: object,
		options: Pick<PgBoss.SendOptions, "retryLimit" | "retryDelay" | "retryBackoff">,
	): Promise<string> {
		if (!boss) throw new StoreUnavailableError("The job queue is not ready; call ensure() first and retry.");
		const id = await boss.send(name, { ...data }, { ...options, db: drizzleBossDb(tx) });
		if (!id) throw new StoreUnavailableError(`The job queue ${name} is missing; retry later.`);
		return id;
	}
	const queue: JobQueue = {
		ensure() {
			ready ??= (async () => {
				const { default: PgBossClass } = await import("pg-boss");
				const create = () => {
					const instance = new PgBossClass({
						db: storeBossDb(store),
						supervise: false,
						schedule: false,
						migrate: true,
					});
					instance.on("error", (err: Error) =>
						logger?.error({ err: { name: err.name, message: err.message } }, "pg-boss error"),
					);
					return instance;
				};
				// Instances starting together on an empty database race to create pg-boss's schema and
				// the queue; the loser's statement fails on what the winner just made. A fresh try
				// then finds it in place.
				let sender = create();
				for (let attempt = 1; ; attempt++) {
					try {
						await sender.start();
						// Defaults for jobs queued before a runner has set its own policy (createJobRunner updates it).
						await sender.createQueue(CONVERSATION_LINKS_QUEUE, {
							name: CONVERSATION_LINKS_QUEUE,
							retryDelay: 30,
							retryBackoff: true,
							expireInSeconds: 900,
						});
						await sender.createQueue(CONTACT_ERASURE_QUEUE, {
							name: CONTACT_ERASURE_QUEUE,
							retryLimit: CONTACT_ERASURE_ATTEMPTS - 1,
							retryDelay: 60,
							retryBackoff: true,
							expireInSeconds: 900,
						});
						break;
					} catch (err) {
						if (attempt >= 4) throw err;
						await sender.stop({ graceful: false, wait: false }).catch(() => {});
						await new Promise((r) => setTimeout(r, 150 * attempt + Math.random() * 200));
						sender = create();
					}
				}
				boss = sender;
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
	};
	queues.set(store, queue);
	return queue;
}
