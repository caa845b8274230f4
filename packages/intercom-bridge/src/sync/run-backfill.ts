/**
 * The backfill of one site (decision 0031): every named contact, in GUID order, through the
 * contact-sync function (`syncContactToIntercom` for that site only: the data policy, anonymous
 * and not-on-site skips, the disclosure first, upsert by `external_id`, so a second run creates
 * nothing new). Calls go out with priority `bulk` on the workspace's shared rate budget, a few in
 * flight, so the budget (not the runner) sets the pace and live sync keeps its reserve.
 *
 * The cursor moves only past contacts done with all before them (contiguous), together with the
 * counts, in one statement that renews the lease; a runner killed mid-way leaves the run
 * `running` with a lease that runs out, and the next start takes it over from the cursor
 * (redoing at most the contacts in flight, which the upsert makes harmless).
 */
import { randomUUID } from "node:crypto";
import type { BackfillRun } from "../store/backfill-store.ts";
import { bulkIntercomClient, type SiteSyncWorkOptions, syncingSite } from "./bulk-intercom-client.ts";
import { isPermanentSyncError, syncContactToIntercom } from "./sync-contact.ts";

/** Options of {@link runBackfill}. */
export interface BackfillOptions extends SiteSyncWorkOptions {
	/** Contacts in flight at once. Default 8: enough that the rate budget is the limit. */
	concurrency?: number;
	/** Contacts read per page. Default 200. */
	pageSize?: number;
	/** How long the lease lasts without renewal (ms): a dead runner's run is taken over after it. Default 30 000. */
	leaseMs?: number;
	/** Who started it, for the run's record (e.g. `cli:ada`, `admin:3`). */
	startedBy?: string;
	/** Called after each cursor move and at the end, with the run as kept. */
	onProgress?: (run: BackfillRun) => void;
	/** The lease owner id. Default a random one per run. */
	owner?: string;
}

/** What {@link runBackfill} ends with. */
export interface BackfillResult {
	/** `busy`: another runner holds the run; nothing was done. */
	outcome: "done" | "paused" | "failed" | "busy" | "lost";
	run: BackfillRun;
}

/**
 * Runs (or resumes) the site's backfill until every contact is done, the signal aborts, the lease
 * is lost, or a contact fails in a way another attempt could fix (then the run is `failed` and a
 * new start retries from it). A contact Intercom refuses for good counts as failed and is passed.
 * @throws ValidationError when the site is unknown, does not sync contacts or has no access token.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
	const { store, logger, signal } = options;
	const { site, settings } = await syncingSite(store, options.site);
	const owner = options.owner ?? `backfill:${randomUUID()}`;
	const leaseMs = options.leaseMs ?? 30_000;
	const concurrency = Math.max(1, options.concurrency ?? 8);
	const pageSize = Math.max(1, options.pageSize ?? 200);
	const total = await store.countBackfillContacts();
	const claim = await store.claimBackfill(site.id, {
		owner,
		leaseMs,
		total,
		...(options.startedBy ? { startedBy: options.startedBy } : {}),
	});
	if (!claim.claimed) return { outcome: "busy", run: claim.run };
	const log = logger.child({ component: "backfill", site: site.codeName });
	log.info({ cursor: claim.run.cursorGuid, total }, "backfill: running");

	// Bulk calls on the workspace's shared budget, under the same key contact sync uses.
	const client = bulkIntercomClient({
		store,
		settings,
		endpoints: options.endpoints,
		logger: log,
		...(options.fetch ? { fetch: options.fetch } : {}),
		...(signal ? { signal } : {}),
	});
	const deps = {
		store,
		logger: log,
		endpoints: options.endpoints,
		fetch: options.fetch ?? globalThis.fetch,
		createClient: () => client,
		...(options.dataAttributes ? { dataAttributes: options.dataAttributes } : {}),
		...(options.customAttributes ? { customAttributes: options.customAttributes } : {}),
	};

	let lost = false;
	let stopError: Error | undefined;
	// Counts of contacts done but not yet written with the cursor.
	const pending = { sent: 0, skipped: 0, failed: 0 };
	let doneCursor: string | undefined;
	const report = async () => {
		const run = await store.getBackfill(site.id);
		if (run) options.onProgress?.(run);
	};
	// One write at a time: a later cursor must never be overwritten by an earlier one.
	let writes: Promise<void> = Promise.resolve();
	const write = async () => {
		const delta = { ...pending };
		pending.sent = pending.skipped = pending.failed = 0;
		const cursor = doneCursor;
		let held: boolean;
		try {
			held = await store.advanceBackfill(site.id, {
				owner,
				leaseMs,
				...(cursor ? { cursorGuid: cursor } : {}),
				...delta,
			});
		} catch (err) {
			// Not written: the counts go with the next write (the cursor is the latest anyway).
			pending.sent += delta.sent;
			pending.skipped += delta.skipped;
			pending.failed += delta.failed;
			throw err;
		}
		if (!held) lost = true;
		await report();
	};
	const flush = () => {
		writes = writes.catch(() => {}).then(write);
		return writes;
	};
	// The lease is renewed while a slow page works (e.g. the budget holds calls back).
	const heartbeat = setInterval(
		() => {
			flush().catch((err) => log.warn({ err: (err as Error).message }, "backfill: heartbeat failed"));
		},
		Math.max(50, Math.floor(leaseMs / 3)),
	);
	heartbeat.unref?.();

	let after = claim.run.cursorGuid;
	try {
		await report();
		for (;;) {
			if (signal?.aborted || lost || stopError) break;
			const page = await store.listBackfillContacts(after, pageSize);
			if (page.length === 0) break;
			// A sliding window of `concurrency` contacts; the cursor follows the contiguous done prefix.
			// What each contact came to; counted only once the cursor passes it (the counts match the cursor).
			const done = new Array<keyof typeof pending | undefined>(page.length);
			let prefix = 0;
			let next = 0;
			let sinceFlush = 0;
			const worker = async () => {
				for (;;) {
					if (signal?.aborted || lost || stopError) return;
					const i = next++;
					const contact = page[i];
					if (!contact) return;
					try {
						const outcome = await syncContactToIntercom(deps, { guid: contact.guid }, { siteId: site.id });
						done[i] = outcome.sent.includes(site.id) ? "sent" : "skipped";
					} catch (err) {
						if (signal?.aborted) return;
						if (!isPermanentSyncError(err)) {
							stopError ??= err as Error;
							return;
						}
						log.warn(
							{ guid: contact.guid, err: (err as Error).message },
							"backfill: Intercom refused a contact",
						);
						done[i] = "failed";
					}
					for (let d = done[prefix]; d; d = done[prefix]) {
						pending[d]++;
						doneCursor = page[prefix]?.guid;
						prefix++;
					}
					if (++sinceFlush >= 50) {
						sinceFlush = 0;
						await flush();
					}
				}
			};
			await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, worker));
			await flush();
			if (prefix < page.length) break;
			after = page[page.length - 1]?.guid ?? after;
		}
	} catch (err) {
		stopError ??= err as Error;
	} finally {
		clearInterval(heartbeat);
	}
	if (lost) {
		const run = (await store.getBackfill(site.id)) as BackfillRun;
		log.warn("backfill: another runner took the run over; stopped");
		return { outcome: "lost", run };
	}
	const state = stopError ? "failed" : signal?.aborted ? "paused" : "done";
	if (
		!(await store.endBackfill(site.id, { owner, state, ...(stopError ? { error: stopError.message } : {}) }))
	)
		return { outcome: "lost", run: (await store.getBackfill(site.id)) as BackfillRun };
	const run = (await store.getBackfill(site.id)) as BackfillRun;
	options.onProgress?.(run);
	if (stopError)
		log.warn({ err: stopError.message }, "backfill: failed; a new start resumes from the cursor");
	else log.info({ state, sent: run.sent, skipped: run.skipped, failed: run.failed }, "backfill: stopped");
	return { outcome: state, run };
}
