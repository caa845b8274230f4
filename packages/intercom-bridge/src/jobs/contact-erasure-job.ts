/**
 * The Intercom side of erasing a contact (docs/reliability.md P3): in every workspace a site is connected
 * to, the person is looked up by each erased GUID (`external_id`) and deleted with
 * `DELETE /contacts/{id}`. Intercom's delete is permanent. A person already gone counts as done;
 * any other failure throws, and pg-boss tries again later (about two days of attempts).
 * The same job deletes the person in one site's workspace when they withdraw the consent that
 * allowed sending their data and the site says so (`onWithdrawal=delete`, docs/reliability.md P2).
 */
import { IntercomApiError } from "../errors.ts";
import { type ConversationLinksDeps, intercomContactIds } from "./conversation-links-job.ts";
import type { ContactErasureJob } from "./job-queue.ts";

/** What one erasure did. */
export interface ErasureOutcome {
	/** Sites whose workspace was searched (connected sites; workspaces shared by sites count twice). */
	sites: number;
	/** Intercom contacts deleted. */
	deleted: number;
	/** A withdrawal's deletion not done: the contact agreed again before it ran. */
	skipped?: "agreed-again";
}

export async function eraseInIntercom(
	deps: Omit<ConversationLinksDeps, "storeTranscripts">,
	job: ContactErasureJob,
): Promise<ErasureOutcome> {
	let sites = 0;
	let deleted = 0;
	const withdrawal = job.withdrawal;
	// Re-checked now, not when queued (docs/reliability.md P1): a contact who agreed again keeps their record.
	if (withdrawal && (await deps.store.isAgreed(withdrawal.guid, withdrawal.consent))) {
		return { sites, deleted, skipped: "agreed-again" };
	}
	for (const site of await deps.store.listSites()) {
		if (withdrawal && site.id !== withdrawal.siteId) continue;
		const settings = await deps.store.getSettings(site.id);
		if (!settings.accessToken) continue;
		sites++;
		const client = deps.createClient({
			token: settings.accessToken,
			region: settings.region,
			endpoints: deps.endpoints(settings.region),
			logger: deps.logger,
			fetch: deps.fetch,
			appId: settings.appId,
		});
		for (const id of await intercomContactIds(client, job.externalIds)) {
			try {
				await client.contacts.delete(id);
				deleted++;
			} catch (err) {
				// Deleted meanwhile (another site on the same workspace, an earlier attempt): done.
				if (err instanceof IntercomApiError && err.httpStatus === 404) continue;
				throw err;
			}
		}
	}
	return { sites, deleted };
}
