/**
 * Reconciliation of one site as the CLI (`sync reconcile`) and the console's Sync page run it
 * (decision 0032): compare the site's contacts with Intercom's; with `fix`, send the missing and
 * changed contacts again through contact sync (the same path as live sync and the backfill: data
 * policy, disclosure row, upsert by `external_id`), then compare again. People in Intercom that
 * are unexpected or duplicated are reported only: deleting or merging people in a workspace is a
 * decision for a person, never made here.
 *
 * Every call goes out with priority `bulk` on the workspace's shared rate budget.
 */
import { StoppedError } from "../errors.ts";
import type { Contact as IntercomContact } from "../intercom/intercom-types.ts";
import { bulkIntercomClient, type SiteSyncWorkOptions, syncingSite } from "./bulk-intercom-client.ts";
import { type ReconcileReport, reconcileContacts } from "./reconcile-contacts.ts";
import { isPermanentSyncError, syncContactToIntercom } from "./sync-contact.ts";

/** Options of {@link reconcileSite}. */
export interface ReconcileSiteOptions extends SiteSyncWorkOptions {
	/** Send the missing and changed contacts again, then compare again. Default false. */
	fix?: boolean;
	/** At most this many contacts sent by one fix; the rest wait for another run. Default: all. */
	fixLimit?: number;
	/** Contacts in flight at once during a fix. Default 4. */
	concurrency?: number;
	/** Who asked for the fix, for the site's audit log (e.g. `cli:ada`, an admin's email). */
	actor?: string;
	/** Search page size (1–150). Default 150. */
	perPage?: number;
}

/** What a fix did. */
export interface ReconcileFix {
	/** GUIDs sent again (they were missing or changed). */
	sent: string[];
	/** GUIDs the sync sent nothing for now (no longer eligible, or gone). */
	skipped: string[];
	/** GUIDs Intercom refused for good, with its message. */
	failed: Array<{ guid: string; error: string }>;
	/** Missing or changed contacts left for another run by `fixLimit`. */
	notAttempted: number;
	/** The comparison after the fix; the contacts just sent are read by `external_id` (search lags). */
	after: ReconcileReport;
}

/** What {@link reconcileSite} found, and did with `fix`. */
export interface ReconcileSiteResult {
	site: string;
	/** The comparison (before any fix). */
	report: ReconcileReport;
	fix?: ReconcileFix;
}

/**
 * Compares a site's contacts with its Intercom workspace and, with `fix`, repairs what the sync
 * can repair. Intercom's transient errors (after the client's retries) propagate: run it again,
 * the upsert makes a second send harmless.
 * @throws ValidationError when the site is unknown, does not sync contacts or has no access token.
 * @throws StoppedError when `signal` aborts; its message says what was done (the fix's workers
 *   have all ended by then).
 */
export async function reconcileSite(options: ReconcileSiteOptions): Promise<ReconcileSiteResult> {
	const { store, signal } = options;
	const { site, settings } = await syncingSite(store, options.site);
	const logger = options.logger.child({ component: "reconcile", site: site.codeName });
	const client = bulkIntercomClient({
		store,
		settings,
		endpoints: options.endpoints,
		logger,
		...(options.fetch ? { fetch: options.fetch } : {}),
		...(signal ? { signal } : {}),
	});
	const compare = (fresh?: IntercomContact[]) =>
		reconcileContacts({
			store,
			siteId: site.id,
			client,
			...(options.customAttributes ? { customAttributes: options.customAttributes } : {}),
			...(options.perPage ? { perPage: options.perPage } : {}),
			...(fresh ? { fresh } : {}),
			...(signal ? { signal } : {}),
		});
	let report: ReconcileReport;
	try {
		report = await compare();
	} catch (err) {
		if (signal?.aborted)
			throw new StoppedError(
				`Reconciliation of "${site.codeName}" stopped while comparing with Intercom; nothing was changed.`,
				{ cause: err },
			);
		throw err;
	}
	logger.info({ eligible: report.eligible, differences: report.differences }, "reconcile: compared");
	if (!options.fix) return { site: site.codeName, report };

	const wanted = [...new Set([...report.missing, ...report.mismatched.map((m) => m.guid)])];
	const limit = options.fixLimit ?? wanted.length;
	const todo = wanted.slice(0, Math.max(0, limit));
	if (todo.length > 0 && options.actor)
		await store.recordBackfillAudit(site.id, "reconcile-fix", options.actor);
	const deps = {
		store,
		logger,
		endpoints: options.endpoints,
		fetch: options.fetch ?? globalThis.fetch,
		createClient: () => client,
		...(options.dataAttributes ? { dataAttributes: options.dataAttributes } : {}),
		...(options.customAttributes ? { customAttributes: options.customAttributes } : {}),
	};
	const fix: Omit<ReconcileFix, "after"> = {
		sent: [],
		skipped: [],
		failed: [],
		notAttempted: wanted.length - todo.length,
	};
	const fresh: IntercomContact[] = [];
	let next = 0;
	// After an error another attempt could fix, the other workers stop taking contacts too.
	let stopped = false;
	const worker = async () => {
		for (let guid = todo[next++]; guid !== undefined && !stopped; guid = todo[next++]) {
			signal?.throwIfAborted();
			try {
				const outcome = await syncContactToIntercom(deps, { guid }, { siteId: site.id });
				if (!outcome.sent.includes(site.id)) {
					fix.skipped.push(guid);
					continue;
				}
			} catch (err) {
				if (!isPermanentSyncError(err)) {
					stopped = true;
					throw err;
				}
				fix.failed.push({ guid, error: (err as Error).message });
				continue;
			}
			fix.sent.push(guid);
			// Search may not show a person for minutes after a write; the lookup by external_id does.
			const now = await client.contacts.findByExternalId(guid);
			if (now) fresh.push(now);
		}
	};
	// Every worker ends before this returns or throws: nothing writes to the store after a stop.
	const ended = await Promise.allSettled(
		Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 4), todo.length) }, worker),
	);
	const sentSoFar = () =>
		`sent ${fix.sent.length} of ${todo.length} contact(s) again (${fix.skipped.length} no longer to be sent, ${fix.failed.length} refused by Intercom)`;
	if (signal?.aborted)
		throw new StoppedError(
			`Reconciliation of "${site.codeName}" stopped during the fix: ${sentSoFar()}; the contacts in flight may have reached Intercom or not. Run it again to finish: sending a contact again only updates it.`,
			{ cause: signal.reason },
		);
	const failed = ended.find((e) => e.status === "rejected");
	if (failed) throw failed.reason;
	let after: ReconcileReport;
	try {
		after = await compare(fresh);
	} catch (err) {
		if (signal?.aborted)
			throw new StoppedError(
				`Reconciliation of "${site.codeName}" stopped while comparing again after the fix, which ${sentSoFar()}.`,
				{ cause: err },
			);
		throw err;
	}
	logger.info(
		{ sent: fix.sent.length, failed: fix.failed.length, differences: after.differences },
		"reconcile: fixed",
	);
	return { site: site.codeName, report, fix: { ...fix, after } };
}
