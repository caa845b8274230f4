/**
 * The Intercom client of a site's background work (backfill, reconciliation): every call with
 * priority `bulk` on the workspace's shared rate budget (decision 0024), under the key contact
 * sync uses, so such work takes what live changes leave and never starves them.
 */
import { ValidationError } from "../errors.ts";
import { createIntercomClient, type IntercomClient } from "../intercom/create-intercom-client.ts";
import type { EndpointsResolver } from "../intercom/endpoints.ts";
import { createSharedRateBudget, rateBudgetKey } from "../intercom/rate-budget.ts";
import type { Logger } from "../logger.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Store } from "../store/create-store.ts";
import type { Site } from "../store/site-store.ts";
import type { DataAttributeMapping } from "./ensure-data-attributes.ts";
import type { ContactAttributesHook } from "./sync-contact.ts";

/** What a site's background sync work (backfill, reconciliation) is given. */
export interface SiteSyncWorkOptions {
	store: Store;
	logger: Logger;
	/** The site's code name. */
	site: string;
	endpoints: EndpointsResolver;
	fetch?: typeof fetch;
	/** Stops the work cleanly. */
	signal?: AbortSignal;
	/**
	 * The data attribute mapping (decision 0030), as the job runner's contact sync has it: checked
	 * against the workspace, only usable attributes sent. Pass the service's, so this work sends
	 * what live sync sends. Default: none.
	 */
	dataAttributes?: DataAttributeMapping;
	/** Computed custom attributes, as contact sync sends them (the runner's `contactAttributes`). */
	customAttributes?: ContactAttributesHook;
}

/**
 * The site by code name, with its settings, when it syncs contacts and has an access token.
 * @throws ValidationError naming what to set (field `site`, `syncContacts` or `accessToken`).
 */
export async function syncingSite(
	store: Store,
	code: string,
): Promise<{ site: Site; settings: SiteSettings & { accessToken: string } }> {
	const site = await store.getSite(code);
	if (!site) throw new ValidationError(`No site "${code}" (see \`intercom-bridge sites list\`).`, "site");
	const settings = await store.getSettings(site.id);
	if (!settings.syncContacts)
		throw new ValidationError(
			`Site "${site.codeName}" does not sync contacts: set syncContacts to true first.`,
			"syncContacts",
		);
	const { accessToken } = settings;
	if (!accessToken)
		throw new ValidationError(
			`Site "${site.codeName}" has no Intercom access token: connect it first.`,
			"accessToken",
		);
	return { site, settings: { ...settings, accessToken } };
}

/** A bulk-priority client for the site whose `settings` (with an access token) are given. */
export function bulkIntercomClient(input: {
	store: Store;
	settings: SiteSettings & { accessToken: string };
	endpoints: EndpointsResolver;
	logger: Logger;
	fetch?: typeof fetch;
	signal?: AbortSignal;
}): IntercomClient {
	const { store, settings, signal } = input;
	const token = settings.accessToken;
	return createIntercomClient({
		token,
		region: settings.region,
		endpoints: input.endpoints(settings.region),
		logger: input.logger,
		...(input.fetch ? { fetch: input.fetch } : {}),
		// The same key as the job runner's live calls (the app's, when known): one budget per workspace.
		rateBudget: createSharedRateBudget({
			store,
			key: rateBudgetKey({ appId: settings.appId, region: settings.region, token }),
		}),
	}).withCallOptions({ priority: "bulk", ...(signal ? { signal } : {}) });
}
