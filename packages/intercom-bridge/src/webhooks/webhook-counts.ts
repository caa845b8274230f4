/** The counters the webhook routes keep of what they refused or ignored; the bridge reads them for /healthz. */

/** What the webhook routes refused or ignored since `since` (process-local; docs/reliability.md O14). */
export interface WebhookCounts {
	/** When counting began (ISO 8601). */
	since: string;
	/** Requests answered 401: missing or wrong API key or signature. */
	unauthorized: number;
	/** Requests answered 429 by the per-address limits. */
	rateLimited: number;
	/** Signed notifications acknowledged (200) but logged nothing: the site maps no type to their topic. */
	notificationsUnmapped: number;
	/** …: the type mapped to their topic is disabled or not accepted on the site. */
	notificationsTypeRefused: number;
	/** …: they name no contact of ours (no GUID `external_id`, or an unknown or erased one). */
	notificationsUnknownContact: number;
}

/** Fresh webhook counters. */
export const createWebhookCounts = (now: () => number = Date.now): WebhookCounts => ({
	since: new Date(now()).toISOString(),
	unauthorized: 0,
	rateLimited: 0,
	notificationsUnmapped: 0,
	notificationsTypeRefused: 0,
	notificationsUnknownContact: 0,
});
