/**
 * The Intercom side of erasing a contact (docs/reliability.md P3): in every workspace a site is connected
 * to, the person is looked up by each erased GUID (`external_id`) and deleted with
 * `DELETE /contacts/{id}`. Intercom's delete is permanent. A person already gone counts as done;
 * any other failure throws, and pg-boss tries again later (about two days of attempts).
 * The same job deletes the person in one site's workspace when they withdraw the consent that
 * allowed sending their data and the site says so (`onWithdrawal=delete`, docs/reliability.md P2),
 * or scrubs them there (`onWithdrawal=scrub`, decision 0026): `PUT /contacts/{id}` with `name`
 * null, `email` empty (the 2.16 schema types it a string, not nullable) and each mapped custom
 * attribute null (the usable ones of the site's data attribute mapping, and the hook's); the `external_id` (our `user_id`) stays. Each withdrawal's outcome is an audit
 * row of the site (`scrub-done`, `delete-done`, `…-skipped`).
 */
import { IntercomApiError } from "../errors.ts";
import { clientForSite } from "../intercom/client-for-site.ts";
import type { ContactAttributesHook } from "../sync/sync-contact.ts";
import { type ConversationLinksDeps, intercomContactIds } from "./conversation-links-job.ts";
import type { ContactErasureJob } from "./job-queue.ts";

/** What one erasure did. */
export interface ErasureOutcome {
	/** Sites whose workspace was searched (connected sites; workspaces shared by sites count twice). */
	sites: number;
	/** Intercom contacts deleted. */
	deleted: number;
	/** Intercom contacts scrubbed (a withdrawal with `scrub`). */
	scrubbed?: number;
	/** A withdrawal's deletion not done: the contact agreed again before it ran. */
	skipped?: "agreed-again";
}

/** The body that scrubs a contact: no name, no email, each mapped custom attribute cleared. */
export function scrubBody(attributeNames: readonly string[]): {
	name: null;
	email: string;
	custom_attributes?: Record<string, null>;
} {
	return {
		name: null,
		email: "",
		...(attributeNames.length > 0
			? { custom_attributes: Object.fromEntries(attributeNames.map((k) => [k, null])) }
			: {}),
	};
}

/**
 * The custom attributes a scrub clears in a site's workspace: every attribute of the data attribute
 * mapping the site's check found usable (only those were ever sent; decision 0030), and the keys
 * the `contactAttributes` hook returns for the contact.
 */
async function scrubbedAttributes(
	deps: Pick<ConversationLinksDeps, "store"> & { customAttributes?: ContactAttributesHook },
	site: { id: number; codeName: string },
	guid: string,
): Promise<string[]> {
	const names = new Set<string>();
	for (const check of await deps.store.listDataAttributeChecks(site.id)) {
		if (check.status === "ok" || check.status === "created") names.add(check.attribute);
	}
	const contact = deps.customAttributes ? await deps.store.getContact(guid) : undefined;
	if (contact) for (const key of Object.keys(deps.customAttributes?.(contact, site) ?? {})) names.add(key);
	return [...names];
}

export async function eraseInIntercom(
	deps: Omit<ConversationLinksDeps, "storeTranscripts"> & { customAttributes?: ContactAttributesHook },
	job: ContactErasureJob,
): Promise<ErasureOutcome> {
	let sites = 0;
	let deleted = 0;
	let scrubbed = 0;
	const withdrawal = job.withdrawal;
	const action = withdrawal?.action ?? "delete";
	// Re-checked now, not when queued (docs/reliability.md P1): a contact who agreed again keeps their record.
	if (withdrawal && (await deps.store.isAgreed(withdrawal.guid, withdrawal.consent))) {
		await deps.store.recordIntercomAction({
			siteId: withdrawal.siteId,
			guid: withdrawal.guid,
			action: `${action}-skipped`,
			actor: "job (agreed again)",
		});
		return { sites, deleted, skipped: "agreed-again" };
	}
	for (const site of await deps.store.listSites()) {
		if (withdrawal && site.id !== withdrawal.siteId) continue;
		const settings = await deps.store.getSettings(site.id);
		if (!settings.accessToken) continue;
		sites++;
		const client = clientForSite(deps, settings);
		if (withdrawal && action === "scrub") {
			const mapped = await scrubbedAttributes(deps, site, withdrawal.guid);
			for (const id of await intercomContactIds(client, job.externalIds)) {
				try {
					await client.contacts.update(id, scrubBody(mapped));
					scrubbed++;
				} catch (err) {
					if (err instanceof IntercomApiError && err.httpStatus === 404) continue;
					throw err;
				}
			}
			continue;
		}
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
	if (withdrawal) {
		const done = action === "scrub" ? scrubbed : deleted;
		await deps.store.recordIntercomAction({
			siteId: withdrawal.siteId,
			guid: withdrawal.guid,
			action: done > 0 ? `${action}-done` : `${action}-skipped`,
			actor: done > 0 ? "job" : "job (not in Intercom)",
		});
	}
	return { sites, deleted, ...(action === "scrub" && withdrawal ? { scrubbed } : {}) };
}
