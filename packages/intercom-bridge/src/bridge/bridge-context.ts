/** What the bridge's parts (live site, messenger, webhooks, jobs) share. */
import type { WebhookDayTally } from "../webhooks/webhook-day-tally.ts";
import type { ResolvedBridgeOptions } from "./bridge-options.ts";

export interface BridgeContext {
	readonly options: ResolvedBridgeOptions;
	/** Counters the webhook routes keep (the bridge reads them for /healthz); optional in tests. */
	readonly webhookCounts?: WebhookCounts;
	/** Webhook outcomes per site and day, for the console's overview; optional in tests. */
	readonly webhookTally?: WebhookDayTally;
}

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
