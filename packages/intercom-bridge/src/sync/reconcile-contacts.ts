/**
 * Reconciliation (decision 0032): compares a site's local contacts with the users its Intercom
 * workspace holds, by `external_id` (the contact GUID), and lists the differences. What "should
 * be there" is exactly what the contact sync would send now (`contactSyncPlan`), so the policy
 * lives in one place.
 */
import { ValidationError } from "../errors.ts";
import type { ContactsApi } from "../intercom/contacts.ts";
import type { Contact as IntercomContact } from "../intercom/intercom-types.ts";
import type { Store } from "../store/create-store.ts";
import { type ContactAttributesHook, contactSyncPlan } from "./sync-contact.ts";

/** What reconciliation uses of the Intercom client (created with bulk priority by the caller). */
export interface ReconcileClient {
	contacts: Pick<ContactsApi, "search">;
}

/** One difference of a field between what the sync would send and what Intercom has. */
export interface FieldMismatch {
	guid: string;
	intercomId: string;
	field: "name" | "email";
	local: string | null;
	intercom: string | null;
}

/** The differences found for one site. */
export interface ReconcileReport {
	siteId: number;
	/** Local contacts counted as eligible (the sync would send them). */
	eligible: number;
	/** Intercom users read (with an `external_id`). */
	intercomUsers: number;
	/** Eligible here, absent in Intercom. */
	missing: string[];
	/** In Intercom with an `external_id` that is unknown here or that the policy does not allow. */
	unexpected: Array<{ externalId: string; intercomId: string; reason: "unknown" | "not-eligible" }>;
	mismatched: FieldMismatch[];
	/** More than one Intercom user with one `external_id`, or one email. */
	duplicates: Array<{ key: "external_id" | "email"; value: string; intercomIds: string[] }>;
	/** missing + unexpected + mismatched + duplicates. */
	differences: number;
}

const norm = (v: string | null | undefined): string | null =>
	v === undefined || v === null || v === "" ? null : v;

/**
 * Reconciles one site. Reads every Intercom user page by page (search, role `user`), and every
 * local contact in GUID order; holds both sides' keys in memory (one entry a contact).
 * @throws {ValidationError} when the site does not sync contacts or has no access token.
 */
export async function reconcileContacts(input: {
	store: Store;
	siteId: number;
	client: ReconcileClient;
	customAttributes?: ContactAttributesHook;
	/** Search page size (1–150). Default 150. */
	perPage?: number;
	/**
	 * People read just now by `external_id` (`GET /contacts/find_by_external_id`, which does not
	 * lag), e.g. those a fix has just sent: each takes the place of search's copy of itself (same
	 * id), or joins its `external_id` when search does not show it yet. Another id under the same
	 * `external_id` stays, so a duplicate still shows.
	 */
	fresh?: IntercomContact[];
	/** Stops the comparison between contacts (the client's calls take the same signal). */
	signal?: AbortSignal;
}): Promise<ReconcileReport> {
	const { store, siteId, client } = input;
	const sites = await store.listSites();
	const site = sites.find((s) => s.id === siteId);
	if (!site)
		throw new ValidationError(
			`Site ${siteId} does not exist; list them with \`intercom-bridge sites list\`.`,
			"site",
		);
	const settings = await store.getSettings(site.id);
	if (!settings.syncContacts || !settings.accessToken)
		throw new ValidationError(
			`Site ${site.codeName} does not sync contacts (set syncContacts=true and connect Intercom first).`,
			"site",
		);

	const found = await client.contacts.search(
		{ field: "role", operator: "=", value: "user" },
		{ all: true, perPage: input.perPage ?? 150 },
	);
	const people = found.data;
	if (input.fresh?.length) {
		const at = new Map(people.map((p, i) => [p.id, i]));
		for (const c of input.fresh) {
			const i = at.get(c.id);
			if (i === undefined) people.push(c);
			else people[i] = c;
		}
	}
	const byExternal = new Map<string, IntercomContact[]>();
	const byEmail = new Map<string, IntercomContact[]>();
	for (const c of people) {
		const email = c.email?.toLowerCase();
		if (email) byEmail.set(email, [...(byEmail.get(email) ?? []), c]);
		if (c.external_id) byExternal.set(c.external_id, [...(byExternal.get(c.external_id) ?? []), c]);
	}

	const report: ReconcileReport = {
		siteId,
		eligible: 0,
		intercomUsers: [...byExternal.values()].reduce((n, l) => n + l.length, 0),
		missing: [],
		unexpected: [],
		mismatched: [],
		duplicates: [],
		differences: 0,
	};
	const siteIds = sites.map((s) => s.id);
	const seen = new Set<string>();
	for await (const contact of store.exportContacts()) {
		input.signal?.throwIfAborted();
		seen.add(contact.guid);
		const onNoSite = !(await store.isContactOnSites(contact.guid, siteIds));
		const plan = await contactSyncPlan(
			{ store, ...(input.customAttributes && { customAttributes: input.customAttributes }) },
			contact,
			site,
			settings,
			onNoSite,
		);
		const there = byExternal.get(contact.guid) ?? [];
		if ("skip" in plan) {
			for (const c of there)
				report.unexpected.push({ externalId: contact.guid, intercomId: c.id ?? "", reason: "not-eligible" });
			continue;
		}
		report.eligible++;
		const first = there[0];
		if (!first) {
			report.missing.push(contact.guid);
			continue;
		}
		for (const field of ["name", "email"] as const) {
			const local = norm(plan.body[field]);
			const remote = norm(first[field]);
			const same = field === "email" ? local?.toLowerCase() === remote?.toLowerCase() : local === remote;
			if (!same)
				report.mismatched.push({
					guid: contact.guid,
					intercomId: first.id ?? "",
					field,
					local,
					intercom: remote,
				});
		}
	}
	for (const [externalId, list] of byExternal) {
		if (list.length > 1)
			report.duplicates.push({
				key: "external_id",
				value: externalId,
				intercomIds: list.map((c) => c.id ?? ""),
			});
		if (!seen.has(externalId))
			for (const c of list) report.unexpected.push({ externalId, intercomId: c.id ?? "", reason: "unknown" });
	}
	for (const [email, list] of byEmail)
		if (list.length > 1)
			report.duplicates.push({ key: "email", value: email, intercomIds: list.map((c) => c.id ?? "") });
	report.differences =
		report.missing.length + report.unexpected.length + report.mismatched.length + report.duplicates.length;
	return report;
}
