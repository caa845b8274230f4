/**
 * One Intercom rate budget per workspace, shared by every client and every instance (decision
 * 0024). The client asks the budget before each call and tells it what each answer's
 * `X-RateLimit-*` headers said; the budget itself is kept wherever its creator wants: the store's
 * rows for the product ({@link createSharedRateBudget}), memory in a unit test.
 */
import { createHash } from "node:crypto";
import type { Region } from "../settings/setting-keys.ts";

/**
 * Who a call is for. `live`: in reaction to a visitor or an operator (privacy, Messenger, a
 * webhook's follow-up), may use the whole window. `bulk`: background work such as a backfill,
 * leaves a reserve of each window to `live` so it can never starve it.
 */
export type CallPriority = "live" | "bulk";

/** What {@link RateBudget.take} answers: go now, or ask again at `retryAt` (epoch ms). */
export interface RateBudgetGrant {
	granted: boolean;
	retryAt: number;
	/**
	 * When granted: the end of the window the slot counts in (epoch ms). A call that could not be
	 * sent before then (a slow database, a stalled process) takes a slot again rather than land,
	 * uncounted, in the next window.
	 */
	windowEnd?: number;
}

/** What an answer's headers said about the current window (`resetAt` in epoch ms). */
export interface RateBudgetObservation {
	limit: number;
	remaining: number;
	resetAt: number;
}

/**
 * The budget a client consults: `take` before every attempt, `observe` after every answer that
 * carried the headers, `blocked` after a 429. A budget that throws is bypassed (with a warning):
 * Intercom's own 429 and headers still hold the client back.
 */
export interface RateBudget {
	take(priority: CallPriority): Promise<RateBudgetGrant>;
	observe(seen: RateBudgetObservation): Promise<void>;
	blocked(resetAt: number): Promise<void>;
}

/** The store methods a shared budget needs (the store's rate-budget methods fit). */
export interface RateBudgetStore {
	takeRateBudget(
		key: string,
		options: { priority: CallPriority; reserveShare: number },
	): Promise<RateBudgetGrant>;
	observeRateBudget(key: string, seen: RateBudgetObservation): Promise<void>;
	blockRateBudget(key: string, until: number): Promise<void>;
}

/**
 * The key a workspace's budget is kept under. Intercom counts per app and workspace; several
 * sites may use one workspace (with one token or several), so the workspace's app id is the key
 * when known, with the region (an app id is unique per region). Without an app id, the token's
 * SHA-256 stands in (never the token itself).
 * @example rateBudgetKey({ appId: "abc123", region: "eu", token }) // "app:eu:abc123"
 */
export function rateBudgetKey(input: { appId?: string | null; region?: Region; token: string }): string {
	const appId = input.appId?.trim();
	if (appId) return `app:${input.region ?? "us"}:${appId.slice(0, 120)}`;
	return `token:${createHash("sha256").update(input.token).digest("hex").slice(0, 40)}`;
}

/** Options of {@link createSharedRateBudget}. */
export interface SharedRateBudgetOptions {
	store: RateBudgetStore;
	/** See {@link rateBudgetKey}. */
	key: string;
	/** Share of each window kept for `live` calls, 0–0.5. Default 0.05. */
	reserveShare?: number;
}

/**
 * A budget kept in the store, shared by all instances on its database. Each call takes its slot
 * in one statement; answers are written back only when they can change something (a new limit,
 * a new window, or few calls left), so most calls cost one round trip, not two.
 * @example
 * const rateBudget = createSharedRateBudget({ store, key: rateBudgetKey({ appId, region, token }) });
 * const intercom = createIntercomClient({ token, region, rateBudget });
 */
export function createSharedRateBudget(options: SharedRateBudgetOptions): RateBudget {
	const { store, key } = options;
	const reserveShare = options.reserveShare ?? 0.05;
	let lastLimit: number | undefined;
	let lastReset: number | undefined;
	return {
		take: (priority) => store.takeRateBudget(key, { priority, reserveShare }),
		async observe(seen) {
			const fresh = seen.limit !== lastLimit || seen.resetAt !== lastReset;
			// Few calls left: someone else may be using the quota; let every instance know.
			const low = seen.remaining < Math.max(1, seen.limit * 0.2);
			lastLimit = seen.limit;
			lastReset = seen.resetAt;
			if (fresh || low) await store.observeRateBudget(key, seen);
		},
		blocked: (resetAt) => store.blockRateBudget(key, resetAt),
	};
}
