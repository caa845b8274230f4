/**
 * Contact sync (decision 0025): the contact-sync job sends a contact's latest state to the
 * Intercom workspace of every site that syncs contacts and whose data policy allows it. The store
 * queues the job with every local change (src/store/job-store.ts `markContactForSync`); webhook
 * changes queue nothing, so what came from Intercom is never sent back.
 *
 * Per site, in order:
 * - the site must sync contacts (`syncContacts=true`) and have an access token;
 * - the contact must belong to the site (activities or disclosures there), or to no site yet;
 * - the data policy (the Messenger's own decision, `isDataSharingAllowed`) must allow sharing, and
 *   the contact must not be anonymous: otherwise nothing is sent at all;
 * - the disclosure log gets its row (channel `api`) before the call;
 * - `upsertByExternalId(guid, …)`: find by `external_id`, else create, and a 409 from a lagging
 *   lookup updates the contact it names: never a duplicate.
 * A merge job (`mergedFrom`) then merges the person Intercom knows by the merged GUID into the
 * survivor, where Intercom allows it (a lead into a user).
 *
 * Custom attributes come from the runner's data attribute mapping (decision 0030): checked with
 * `ensureDataAttributes` (once per mapping and site, answered from the store afterwards), and only
 * the usable attributes are sent (`mappedCustomAttributes`); the `contactAttributes` hook adds
 * computed ones on top.
 */
import { IntercomApiError } from "../errors.ts";
import { clientForSite, type SiteClientInput } from "../intercom/client-for-site.ts";
import type { ContactsApi } from "../intercom/contacts.ts";
import type { DataAttributesApi } from "../intercom/data-attributes.ts";
import type { EndpointsResolver } from "../intercom/endpoints.ts";
import type { Contact as IntercomContact, UpdateContactBody } from "../intercom/intercom-types.ts";
import type { Logger } from "../logger.ts";
import { isDataSharingAllowed, personalFields } from "../messenger/build-messenger-settings.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Contact } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";
import {
	type DataAttributeMapping,
	ensureDataAttributes,
	mappedCustomAttributes,
} from "./ensure-data-attributes.ts";

/** Data of a contact-sync job (written by the store; see `markContactForSync`). */
export interface ContactSyncJob {
	/** The contact's GUID (its `external_id` in Intercom). */
	guid: string;
	/** A merge: the GUID merged into `guid`, whose person in Intercom is merged into the survivor. */
	mergedFrom?: string;
}

/**
 * The hook for mapped custom attributes: what a contact sends as `custom_attributes` to a site's
 * workspace (only when the data policy allows sharing). Return plain values; `null` clears one.
 * The data attributes must exist in the workspace (Intercom refuses unknown ones).
 */
export type ContactAttributesHook = (
	contact: Contact,
	site: { id: number; codeName: string },
) => Record<string, string | number | boolean | null> | undefined;

/**
 * The merge of one Intercom contact into another (`POST /contacts/merge`: a lead into a user), as
 * the client's `contacts.merge` has it.
 */
export type MergeContacts = (
	fromId: string,
	intoId: string,
	options?: { skipDuplicateValidation?: boolean },
) => Promise<unknown>;

/** What contact sync uses of the Intercom client. */
export interface SyncClient {
	contacts: Pick<ContactsApi, "search" | "upsertByExternalId"> & { merge: MergeContacts };
	/** Asked by `ensureDataAttributes` when a mapping is set (and not yet checked for the site). */
	dataAttributes: Pick<DataAttributesApi, "list" | "create">;
}

/** What contact sync needs; the job runner passes its own. */
export interface ContactSyncDeps {
	store: Store;
	logger: Logger;
	endpoints: EndpointsResolver;
	fetch: typeof fetch;
	createClient: (input: SiteClientInput) => SyncClient;
	/**
	 * Contact field → Intercom data attribute, for every site's workspace (decision 0030). Checked
	 * with `ensureDataAttributes` before a sync; only usable attributes are sent. Default: none.
	 */
	dataAttributes?: DataAttributeMapping;
	/** Computed custom attributes (see {@link ContactAttributesHook}), sent after the mapped ones. Default: none. */
	customAttributes?: ContactAttributesHook;
}

/** What one sync did, per site. */
export interface ContactSyncOutcome {
	/** Sites whose workspace got the contact. */
	sent: number[];
	/** Sites that sync contacts but did not get this one, with why. */
	skipped: Array<{ siteId: number; reason: "policy" | "anonymous" | "not-on-site" | "no-token" }>;
	/** The merge of `mergedFrom`, when the job was a merge. */
	merge?: "merged" | "not-in-intercom" | "not-a-lead" | "refused";
}

/** The site's data policy for the contact, read now (the consent may have changed since the job was queued). */
async function policyAllows(store: Store, settings: SiteSettings, guid: string): Promise<boolean> {
	const code = settings.sendContactData === "consent" ? settings.sendContactDataConsent : null;
	const agreed = code ? { [code]: await store.isAgreed(guid, code) } : {};
	return isDataSharingAllowed(settings, agreed);
}

/** The body sent for a contact: `role`, `name`, `email` and the mapped custom attributes. */
export function contactSyncBody(
	contact: Contact,
	custom: Record<string, unknown> | undefined,
): UpdateContactBody & { name?: string; email?: string } {
	const body: UpdateContactBody & { name?: string; email?: string } = {
		role: "user",
		...personalFields(contact),
	};
	if (custom && Object.keys(custom).length > 0) body.custom_attributes = custom;
	return body;
}

/**
 * What the sync would send a site's workspace for a contact now, or why it sends nothing (the site
 * syncs contacts and has a token: the caller checks). Shared by the sync and reconciliation, so
 * both apply the same data policy. `membership`: true when the contact belongs to no site yet (false:
 * the plan asks the store about this site), or the ids of the sites it belongs to, already read
 * (empty: none). `customOf` gives
 * the custom attributes once the contact is known to be sent (the sync asks Intercom which mapped
 * attributes are usable); without it, the `customAttributes` hook's.
 */
export async function contactSyncPlan(
	deps: Pick<ContactSyncDeps, "store" | "customAttributes">,
	contact: Contact,
	site: { id: number; codeName: string },
	settings: SiteSettings,
	membership: boolean | ReadonlySet<number>,
	customOf?: () => Promise<Record<string, unknown> | undefined>,
): Promise<
	| { body: UpdateContactBody & { name?: string; email?: string } }
	| { skip: "policy" | "anonymous" | "not-on-site" }
> {
	const onSite =
		typeof membership === "boolean"
			? membership || (await deps.store.isContactOnSites(contact.guid, [site.id]))
			: membership.size === 0 || membership.has(site.id);
	if (!onSite) return { skip: "not-on-site" };
	if (!(await policyAllows(deps.store, settings, contact.guid))) return { skip: "policy" };
	// Anonymous (no name, no email): nothing is sent, and Intercom is not asked anything.
	if (Object.keys(personalFields(contact)).length === 0) return { skip: "anonymous" };
	const custom = customOf
		? await customOf()
		: (deps.customAttributes?.(contact, { id: site.id, codeName: site.codeName }) ?? undefined);
	return { body: contactSyncBody(contact, custom) };
}

/**
 * Runs one contact-sync job (to every site, or to `options.siteId` only). Intercom's errors propagate (the runner decides retry or dead letter).
 * A contact that is gone (erased, or merged and then erased) is nothing to send.
 */
export async function syncContactToIntercom(
	deps: ContactSyncDeps,
	job: ContactSyncJob,
	options: { siteId?: number } = {},
): Promise<ContactSyncOutcome> {
	const outcome: ContactSyncOutcome = { sent: [], skipped: [] };
	const contact = await deps.store.getContact(job.guid);
	if (!contact) return outcome;
	const sites = await deps.store.listSites({ cached: true });
	// A contact belongs to the sites it has activities on or was disclosed from; a new one (from
	// code, the CLI or a first identify) to none yet, and then every syncing site may have it.
	// One statement for all sites (decision 0034: a backfill asks it for every contact).
	const onSites = new Set(
		await deps.store.contactSiteIds(
			contact.guid,
			sites.map((s) => s.id),
		),
	);
	for (const site of sites) {
		// A backfill sends to its one site (decision 0031).
		if (options.siteId !== undefined && site.id !== options.siteId) continue;
		const settings = await deps.store.getSettings(site.id);
		if (!settings.syncContacts) continue;
		if (!settings.accessToken) {
			outcome.skipped.push({ siteId: site.id, reason: "no-token" });
			continue;
		}
		const client = clientForSite(deps, settings);
		const plan = await contactSyncPlan(deps, contact, site, settings, onSites, async () => ({
			...(await mappedAttributes(deps, client, site.id, contact)),
			...deps.customAttributes?.(contact, { id: site.id, codeName: site.codeName }),
		}));
		if ("skip" in plan) {
			outcome.skipped.push({ siteId: site.id, reason: plan.skip });
			continue;
		}
		const { body } = plan;
		// What is sent is on record first (docs/reliability.md P5), as the Messenger does.
		const code = settings.sendContactData === "consent" ? settings.sendContactDataConsent : null;
		await deps.store.recordDisclosure({
			siteId: site.id,
			guid: contact.guid,
			recipient: "intercom",
			channel: "api",
			fields: [
				"external_id",
				...(["name", "email"] as const).filter((k) => body[k] !== undefined),
				...Object.keys(body.custom_attributes ?? {}),
			],
			policy: settings.sendContactData,
			...(code ? { consentCode: code } : {}),
		});
		const survivor = await client.contacts.upsertByExternalId(contact.guid, body);
		outcome.sent.push(site.id);
		if (job.mergedFrom && survivor.id)
			outcome.merge = await mergeInIntercom(client, job.mergedFrom, survivor);
	}
	return outcome;
}

/**
 * The mapped custom attributes of a contact for a site's workspace: those whose data attribute
 * exists there with the mapped type (checked once per mapping, decision 0029), converted.
 */
async function mappedAttributes(
	deps: ContactSyncDeps,
	client: SyncClient,
	siteId: number,
	contact: Contact,
): Promise<Record<string, string | number | boolean | null>> {
	const mapping = deps.dataAttributes;
	if (!mapping || Object.keys(mapping).length === 0) return {};
	const { usable } = await ensureDataAttributes({ store: deps.store, siteId, client, mapping });
	return mappedCustomAttributes(contact, usable);
}

/**
 * Merges the person Intercom knows by the merged GUID into the survivor. Intercom merges a lead
 * into a user only; a merged GUID that is a user there stays a separate person (the survivor now
 * carries the data).
 */
async function mergeInIntercom(
	client: SyncClient,
	mergedFrom: string,
	survivor: IntercomContact,
): Promise<NonNullable<ContactSyncOutcome["merge"]>> {
	// Search finds leads too (find_by_external_id finds users only); it lags behind writes, so a
	// person made moments ago may be missed: then it stays separate, as without a merge.
	const found = await client.contacts.search(
		{ field: "external_id", operator: "=", value: mergedFrom },
		{ perPage: 5 },
	);
	const other = found.data.find((c) => c.external_id === mergedFrom && c.id !== survivor.id);
	if (!other?.id) return "not-in-intercom";
	if (other.role !== "lead") return "not-a-lead";
	try {
		// The site merged them: they are one person even when they share no email or phone.
		await client.contacts.merge(other.id, survivor.id as string, { skipDuplicateValidation: true });
	} catch (err) {
		// 404: merged by an earlier attempt (the search lags behind). Another refusal leaves two
		// people in Intercom, which is where they were; the survivor is up to date either way.
		if (err instanceof IntercomApiError && err.httpStatus === 404) return "merged";
		if (isPermanentSyncError(err)) return "refused";
		throw err;
	}
	return "merged";
}

/** True for an Intercom answer another attempt cannot change (4xx other than 408, 409 and 429). */
export function isPermanentSyncError(err: unknown): boolean {
	if (!(err instanceof IntercomApiError)) return false;
	const s = err.httpStatus;
	return s >= 400 && s < 500 && s !== 408 && s !== 409 && s !== 429 && s !== 401 && s !== 403;
}
