/**
 * Works the background jobs (conversation links, erasures in Intercom, Intercom events) with pg-boss on the store's own database:
 * the PGlite instance for the embedded store, the connection pool for PostgreSQL. Several
 * processes on one PostgreSQL database share the work (pg-boss claims with SKIP LOCKED).
 *
 * @example
 * const runner = createJobRunner({ store, logger });
 * await runner.start();   // creates pg-boss's schema on first run
 * // … on shutdown:
 * await runner.stop();    // stops fetching, waits for running jobs (at most 10 s)
 */
import type { JobResult, JobWithMetadata, PgBoss } from "pg-boss";
import { ConfigError } from "../errors.ts";
import { createCallCounter, type IntercomCallCounts } from "../intercom/create-call-counter.ts";
import { createIntercomClient } from "../intercom/create-intercom-client.ts";
import { type EndpointsResolver, realIntercom } from "../intercom/endpoints.ts";
import { createSharedRateBudget, rateBudgetKey } from "../intercom/rate-budget.ts";
import { createLogger, type Logger } from "../logger.ts";
import { setBounded } from "../store/cache-helpers.ts";
import type { Store } from "../store/create-store.ts";
import { storeBossOptions } from "../store/pg-boss-db.ts";
import { checkDataAttributeMapping, type DataAttributeMapping } from "../sync/ensure-data-attributes.ts";
import {
	type ContactAttributesHook,
	type ContactSyncJob,
	isPermanentSyncError,
	syncContactToIntercom,
} from "../sync/sync-contact.ts";
import { eraseInIntercom } from "./contact-erasure-job.ts";
import {
	fillConversationLinks,
	type LinksClientFactory,
	PermanentJobError,
} from "./conversation-links-job.ts";
import { sendIntercomEvent } from "./intercom-event-job.ts";
import {
	CONTACT_ERASURE_QUEUE,
	CONTACT_SYNC_QUEUE,
	CONVERSATION_LINKS_QUEUE,
	type ContactErasureJob,
	type ConversationLinksJob,
	getJobQueue,
	INTERCOM_EVENTS_QUEUE,
	type IntercomEventJob,
	type JobQueue,
} from "./job-queue.ts";
import {
	type RetentionOptions,
	type RetentionSweep,
	resolveRetention,
	sweepRetention,
} from "./sweep-retention.ts";

export interface JobRunnerOptions {
	store: Store;
	/** Default: a pino logger at LOG_LEVEL. */
	logger?: Logger;
	/** Intercom hosts per region. Default: the real Intercom; tests pass the emulator's. */
	endpoints?: EndpointsResolver;
	/** Builds the REST client for a site's token. Default: `createIntercomClient`. */
	createClient?: LinksClientFactory;
	/** The fetch Intercom is called with (counted, then handed to `createClient`). Default the global fetch. */
	fetch?: typeof fetch;
	/**
	 * The data attribute mapping of contact sync (decision 0030): contact field → Intercom custom data
	 * attribute, the same for every site's workspace. Before a sync sends custom attributes the
	 * mapping is checked against the workspace (`ensureDataAttributes`: missing attributes are
	 * created, mismatches recorded and shown on the site's "Intercom data access" page) and only
	 * usable attributes are sent; a withdrawal's scrub clears them. `intercom-bridge serve` reads it
	 * from `INTERCOM_BRIDGE_DATA_ATTRIBUTES` (JSON). Default: none.
	 * @example { "customFields.plan": { attribute: "plan", type: "string" } }
	 */
	dataAttributes?: DataAttributeMapping;
	/**
	 * Computed custom attributes a contact sends to a site's workspace with contact sync, and clears
	 * on a withdrawal's scrub (decisions 0025 and 0026); their data attributes must exist. Prefer
	 * `dataAttributes`, which checks them. Default: none.
	 */
	contactAttributes?: ContactAttributesHook;
	/** Also store conversation transcripts in the activity comment. Default false. */
	storeTranscripts?: boolean;
	/** First retry delay in seconds; doubled (with jitter) for each further attempt. Default 30. */
	retryDelaySeconds?: number;
	/** Double the retry delay per attempt. Default true. */
	retryBackoff?: boolean;
	/** How often a worker looks for jobs, in seconds (at least 0.5). Default 1. */
	pollingIntervalSeconds?: number;
	/**
	 * Jobs a worker takes per look (worked one after the other, each with its own outcome). pg-boss
	 * waits out the polling interval even after finding jobs, so this sets the throughput:
	 * concurrency × batchSize / pollingIntervalSeconds jobs a second at most. Default 5.
	 */
	batchSize?: number;
	/** When Intercom refuses the token, the job waits this long (seconds) without spending an attempt. Default 900. */
	authRetryDelaySeconds?: number;
	/** …at most this many times, then gives up (default 96: a day at 15 minutes). */
	maxAuthWaits?: number;
	/** Jobs worked at once by this process (also caps parallel Intercom calls). Default 2. */
	concurrency?: number;
	/**
	 * How long records that only grow are kept, and how often (minutes, default 60; 0 never) old
	 * ones are deleted: webhook deliveries 30 days, sign-in attempts 90 days by default.
	 */
	retention?: RetentionOptions & { intervalMinutes?: number };
	/**
	 * How long a worker holds a job it claimed (seconds). A job whose worker died (SIGKILL, a lost
	 * machine) runs again once its lease is over, within one more lease (the expiry check runs that
	 * often, at most every minute). Longer than the longest job: one still running when its lease
	 * ends is run a second time meanwhile (harmless here, the links are written whole). Default 900.
	 */
	leaseSeconds?: number;
	/** The clock (ms) retention counts from. Default Date.now. */
	now?: () => number;
}

export interface JobRunner {
	/** The queue the webhooks enqueue to. */
	readonly queue: JobQueue;
	/** Creates pg-boss's schema when missing and starts working jobs. Idempotent. */
	start(): Promise<void>;
	/** Stops fetching jobs and waits for those running (at most 10 s); leaves the database open. */
	stop(): Promise<void>;
	/** What Intercom answered this runner since it was created: requests, 429s, 401/403s, 5xx, no answer. */
	intercomCalls(): IntercomCallCounts;
	/** Deletes records older than the retention now (the runner also does it every `retention.intervalMinutes`). */
	sweepRetention(): Promise<RetentionSweep>;
}

const defaultClientFactory: LinksClientFactory = ({ token, region, endpoints, logger, fetch, rateBudget }) =>
	createIntercomClient({ token, region, endpoints, logger, fetch, ...(rateBudget ? { rateBudget } : {}) });

/**
 * One client per workspace token for all the runner's jobs, rather than one per job, and every
 * client on the workspace's rate budget kept in the store: all jobs of all instances share
 * Intercom's limit and hold back together instead of each learning it from its own 429
 * (docs/reliability.md O7, decision 0024). A new token (the site reconnected) gets a new client.
 */
function sharedClients(create: LinksClientFactory, store: Store): LinksClientFactory {
	const clients = new Map<string, ReturnType<LinksClientFactory>>();
	return (input) => {
		const budgetKey = rateBudgetKey({ appId: input.appId, region: input.region, token: input.token });
		const key = `${input.endpoints.api} ${budgetKey} ${rateBudgetKey({ token: input.token })}`;
		let client = clients.get(key);
		if (!client) {
			client = create({ ...input, rateBudget: createSharedRateBudget({ store, key: budgetKey }) });
			setBounded(clients, 100, key, client);
		}
		return client;
	};
}

/** Creates a job runner; nothing runs until `start()`. */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
	const { store } = options;
	// A bad mapping stops the start-up, naming the field, rather than failing every sync job.
	if (options.dataAttributes) checkDataAttributeMapping(options.dataAttributes);
	const logger = (options.logger ?? createLogger()).child({ component: "jobs" });
	const queue = getJobQueue(store, logger);
	const calls = createCallCounter();
	const deps = {
		fetch: calls.counted(options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
		store,
		logger,
		endpoints: options.endpoints ?? realIntercom,
		createClient: sharedClients(options.createClient ?? defaultClientFactory, store),
		storeTranscripts: options.storeTranscripts ?? false,
		...(options.contactAttributes ? { customAttributes: options.contactAttributes } : {}),
		...(options.dataAttributes ? { dataAttributes: options.dataAttributes } : {}),
	};
	const retention = resolveRetention(options.retention);
	const sweepEveryMinutes = options.retention?.intervalMinutes ?? 60;
	const sweep = () => sweepRetention(store, { ...retention, now: options.now ?? Date.now });
	let sweeper: ReturnType<typeof setInterval> | undefined;
	let firstSweep: ReturnType<typeof setTimeout> | undefined;
	const leaseSeconds = options.leaseSeconds ?? 900;
	if (!(Number.isInteger(leaseSeconds) && leaseSeconds >= 5 && leaseSeconds <= 86_400)) {
		throw new ConfigError(
			`leaseSeconds must be a whole number of seconds from 5 to 86400 (got ${leaseSeconds}).`,
		);
	}
	const authRetryDelaySeconds = options.authRetryDelaySeconds ?? 900;
	const maxAuthWaits = options.maxAuthWaits ?? 96;
	let boss: PgBoss | undefined;
	let starting: Promise<void> | undefined;

	async function handle(job: JobWithMetadata<ConversationLinksJob>, worker: PgBoss): Promise<void> {
		const log = { jobId: job.id, activityId: job.data.activityId, attempt: job.retryCount + 1 };
		try {
			const outcome = await fillConversationLinks(deps, job.data);
			if (outcome.kind !== "unauthorized") {
				logger.info({ ...log, ...outcome }, "conversation links: done");
				return;
			}
			const waits = (job.data.authWaits ?? 0) + 1;
			if (waits > maxAuthWaits) {
				logger.warn(
					log,
					"conversation links: Intercom keeps refusing the token; gave up (reconnect the site)",
				);
				return;
			}
			// A refused token is not the job's fault: a fresh copy waits, and the attempts stay unspent.
			await worker.send(
				CONVERSATION_LINKS_QUEUE,
				{ ...job.data, authWaits: waits },
				{
					startAfter: authRetryDelaySeconds,
					retryLimit: job.retryLimit,
				},
			);
			logger.warn(
				{ ...log, waits },
				"conversation links: Intercom refused the token; reconnect the site (job put off)",
			);
		} catch (err) {
			const last = job.retryCount >= job.retryLimit || err instanceof PermanentJobError;
			const detail = { ...log, err: { name: (err as Error).name, message: (err as Error).message } };
			if (last) logger.warn(detail, "conversation links: gave up; the activity stays without links");
			else logger.info(detail, "conversation links: failed, will retry");
			throw err;
		}
	}

	return {
		queue,
		intercomCalls: () => calls.snapshot(),
		sweepRetention: sweep,
		start() {
			starting ??= (async () => {
				await queue.ensure();
				const { PgBoss: PgBossClass } = await import("pg-boss");
				const worker = new PgBossClass({
					...(await storeBossOptions(store)),
					supervise: true,
					schedule: false,
					migrate: false,
					// pg-boss 12 finds expired leases in its monitor pass, which supervision runs: at least
					// once a lease (both default to 60 s).
					monitorIntervalSeconds: Math.min(60, leaseSeconds),
					superviseIntervalSeconds: Math.min(60, leaseSeconds),
				});
				worker.on("error", (err: Error) =>
					logger.error({ err: { name: err.name, message: err.message } }, "pg-boss error"),
				);
				await worker.start();
				await worker.updateQueue(CONVERSATION_LINKS_QUEUE, {
					retryDelay: options.retryDelaySeconds ?? 30,
					retryBackoff: options.retryBackoff ?? true,
					expireInSeconds: leaseSeconds,
				});
				// Contact sync keeps its own attempts and policy; the retry delay is the runner's, as for the
				// links. pg-boss copies it into each job when it is queued, so it applies to jobs queued from now.
				await worker.updateQueue(CONTACT_SYNC_QUEUE, {
					retryDelay: options.retryDelaySeconds ?? 30,
					retryBackoff: options.retryBackoff ?? true,
				});
				const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
				// Erasures are few: one worker, one job at a time; a failure is retried by pg-boss.
				await worker.work(
					CONTACT_ERASURE_QUEUE,
					{ pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
					async ([job]: JobWithMetadata<ContactErasureJob>[]) => {
						if (!job) return;
						const log = { jobId: job.id, attempt: job.retryCount + 1 };
						try {
							const outcome = await eraseInIntercom(deps, job.data);
							const kind = job.data.withdrawal ? "withdrawal" : "erasure";
							logger.info({ ...log, kind, ...outcome }, "contact erasure in Intercom: done");
						} catch (err) {
							const detail = { ...log, err: { name: (err as Error).name, message: (err as Error).message } };
							if (job.retryCount >= job.retryLimit) {
								logger.error(
									detail,
									"contact erasure in Intercom: gave up; delete the person in Intercom by hand",
								);
								const w = job.data.withdrawal;
								if (w) {
									await store
										.recordIntercomAction({
											siteId: w.siteId,
											guid: w.guid,
											action: `${w.action ?? "delete"}-failed`,
											actor: "job",
										})
										.catch(() => {});
								}
							} else logger.warn(detail, "contact erasure in Intercom: failed, will retry");
							throw err;
						}
					},
				);
				// Site activities as Intercom data events (decision 0023): one worker, one job a time; a
				// failure is retried by pg-boss, a permanent one is dead at once (as the links jobs).
				await worker.work(
					INTERCOM_EVENTS_QUEUE,
					{ pollingIntervalSeconds, batchSize: 1, includeMetadata: true, perJobResults: true },
					async (jobs: JobWithMetadata<IntercomEventJob>[]) => {
						const results: JobResult[] = [];
						for (const job of jobs) {
							const log = { jobId: job.id, activityId: job.data.activityId, attempt: job.retryCount + 1 };
							try {
								const outcome = await sendIntercomEvent(deps, job.data);
								logger.info({ ...log, ...outcome }, "intercom event: done");
								results.push({ id: job.id, status: "completed" });
							} catch (err) {
								const permanent = err instanceof PermanentJobError;
								const error = { name: (err as Error).name, message: (err as Error).message };
								if (permanent || job.retryCount >= job.retryLimit)
									logger.warn({ ...log, err: error }, "intercom event: gave up; the activity stays unsent");
								else logger.info({ ...log, err: error }, "intercom event: failed, will retry");
								results.push({
									id: job.id,
									status: permanent ? "deadletter" : "failed",
									output: { ...error, attempts: job.retryCount + 1 },
								});
							}
						}
						return results;
					},
				);
				// Contact sync: one job per contact at a time (the queue's stately policy); a permanent
				// refusal goes to the failed state at once, where the console shows it (decision 0025).
				await worker.work(
					CONTACT_SYNC_QUEUE,
					{
						pollingIntervalSeconds,
						batchSize: Math.max(1, options.batchSize ?? 5),
						includeMetadata: true,
						perJobResults: true,
					},
					async (jobs: JobWithMetadata<ContactSyncJob>[]) => {
						const results: JobResult[] = [];
						for (const job of jobs) {
							const log = { jobId: job.id, attempt: job.retryCount + 1 };
							try {
								const outcome = await syncContactToIntercom(deps, job.data);
								logger.info({ ...log, ...outcome }, "contact sync: done");
								results.push({ id: job.id, status: "completed" });
							} catch (err) {
								const permanent = isPermanentSyncError(err);
								const detail = {
									...log,
									err: { name: (err as Error).name, message: (err as Error).message },
								};
								if (permanent || job.retryCount >= job.retryLimit)
									logger.warn(detail, "contact sync: gave up; the next change of the contact tries again");
								else logger.info(detail, "contact sync: failed, will retry");
								results.push({
									id: job.id,
									status: permanent ? "deadletter" : "failed",
									output: {
										name: (err as Error).name,
										message: (err as Error).message,
										attempts: job.retryCount + 1,
									},
								});
							}
						}
						return results;
					},
				);
				// Each job of a batch gets its own outcome (pg-boss would fail a whole batch when the handler
				// throws); a permanent error leaves a job no further attempt (failed for good, "dead").
				await worker.work(
					CONVERSATION_LINKS_QUEUE,
					{
						pollingIntervalSeconds,
						batchSize: Math.max(1, options.batchSize ?? 5),
						localConcurrency: Math.max(1, options.concurrency ?? 2),
						includeMetadata: true,
						perJobResults: true,
					},
					async (jobs: JobWithMetadata<ConversationLinksJob>[]) => {
						const results: JobResult[] = [];
						for (const job of jobs) {
							try {
								await handle(job, worker);
								results.push({ id: job.id, status: "completed" });
							} catch (err) {
								results.push({
									id: job.id,
									status: err instanceof PermanentJobError ? "deadletter" : "failed",
									output: {
										name: (err as Error).name,
										message: (err as Error).message,
										attempts: job.retryCount + 1,
									},
								});
							}
						}
						return results;
					},
				);
				boss = worker;
				if (sweepEveryMinutes > 0) {
					const run = () =>
						sweep().then(
							(gone) => {
								if (gone.webhookDeliveries + gone.loginAttempts > 0)
									logger.info(gone, "retention: deleted old records");
							},
							(err: unknown) =>
								logger.warn(
									{ err: { name: (err as Error).name, message: (err as Error).message } },
									"retention sweep failed",
								),
						);
					// Once soon after start, then on the interval; neither keeps the process alive.
					firstSweep = setTimeout(run, 30_000);
					firstSweep.unref();
					sweeper = setInterval(run, sweepEveryMinutes * 60_000);
					sweeper.unref();
				}
			})().catch((err: unknown) => {
				starting = undefined;
				throw err;
			});
			return starting;
		},
		async stop() {
			clearTimeout(firstSweep);
			clearInterval(sweeper);
			sweeper = undefined;
			await starting?.catch(() => {});
			starting = undefined;
			const worker = boss;
			boss = undefined;
			await worker?.stop({ graceful: true, timeout: 10_000 });
		},
	};
}
