/** The counters the webhook routes keep of what they refused; the bridge reads them for /healthz. */

/** What the webhook routes refused since `since` (process-local; docs/reliability.md O14). */
export interface WebhookCounts {
	/** When counting began (ISO 8601). */
	since: string;
	/** Requests answered 401: missing or wrong API key or signature. */
	unauthorized: number;
	/** Requests answered 429 by the per-address limits. */
	rateLimited: number;
}

/** Fresh webhook counters. */
export const createWebhookCounts = (now: () => number = Date.now): WebhookCounts => ({
	since: new Date(now()).toISOString(),
	unauthorized: 0,
	rateLimited: 0,
});
