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
	/** Takes `n` slots (default 1) at once, or none; `used` and `windowLimit` say where the window stands. */
	takeRateBudget(
		key: string,
		options: { priority: CallPriority; reserveShare: number; n?: number },
	): Promise<RateBudgetGrant & { used?: number; windowLimit?: number | null }>;
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
	/**
	 * Most `bulk` slots taken in one statement and handed out locally (decision 0034). The batch is
	 * also at most 1% of the window's limit (so slots left unused when a window ends cost at most
	 * 1% of it) and 1 until an answer taught the limit. Default 32; 1 turns batching off.
	 */
	bulkBatch?: number;
	/** The clock the slots' windows are read on (epoch ms). Default `Date.now`. */
	now?: () => number;
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
	const maxBatch = Math.max(1, Math.floor(options.bulkBatch ?? 32));
	const now = options.now ?? Date.now;
	let lastLimit: number | undefined;
	let lastReset: number | undefined;
	// The `remaining` last written for the current window, so a low window is written every 1% of it, not every answer.
	let lastWritten: number | undefined;

	// Bulk slots taken ahead, valid until their window ends; one refill at a time.
	const pool = { left: 0, windowEnd: 0 };
	// Where the window stood at the last take: the next batch never asks beyond the bulk cap.
	const seenWindow = { end: 0, used: 0, limit: null as number | null };
	let refilling: Promise<RateBudgetGrant | undefined> | undefined;

	const batchSize = () => {
		const limit = seenWindow.limit;
		if (limit === null || maxBatch <= 1) return 1;
		const used = now() < seenWindow.end ? seenWindow.used : 0;
		const room = bulkCapOf(limit, reserveShare) - used;
		return Math.max(1, Math.min(maxBatch, Math.floor(limit / 100), room));
	};

	/** Takes a batch into the pool; answers the refusal when none could be taken. */
	const refill = async (): Promise<RateBudgetGrant | undefined> => {
		let asked = batchSize();
		let take = await store.takeRateBudget(key, { priority: "bulk", reserveShare, n: asked });
		// The window had room for fewer (another instance took some): one slot, as unbatched.
		if (!take.granted && asked > 1) {
			asked = 1;
			take = await store.takeRateBudget(key, { priority: "bulk", reserveShare });
		}
		if (take.windowLimit !== undefined) seenWindow.limit = take.windowLimit;
		if (take.used !== undefined) {
			seenWindow.used = take.used;
			seenWindow.end = take.windowEnd ?? Math.floor(now() / 10_000) * 10_000 + 10_000;
		}
		if (!take.granted) return take;
		// All or nothing: a grant is every slot asked.
		pool.left = asked;
		pool.windowEnd = take.windowEnd ?? Number.POSITIVE_INFINITY;
		return undefined;
	};

	const takeBulk = async (): Promise<RateBudgetGrant> => {
		for (;;) {
			const t = now();
			if (pool.left > 0 && t < pool.windowEnd) {
				pool.left--;
				return {
					granted: true,
					retryAt: t,
					...(Number.isFinite(pool.windowEnd) ? { windowEnd: pool.windowEnd } : {}),
				};
			}
			if (!refilling) {
				refilling = refill().finally(() => {
					refilling = undefined;
				});
			}
			const refused = await refilling;
			if (refused) return refused;
		}
	};

	return {
		take: (priority) =>
			priority === "bulk" && maxBatch > 1
				? takeBulk()
				: store.takeRateBudget(key, { priority, reserveShare }),
		async observe(seen) {
			const fresh = seen.limit !== lastLimit || seen.resetAt !== lastReset;
			if (fresh) lastWritten = undefined;
			// Few calls left: someone else may be using the quota; let every instance know, every 1% of the window.
			const low = seen.remaining < Math.max(1, seen.limit * 0.2);
			const step = Math.max(1, Math.floor(seen.limit / 100));
			const due =
				lastWritten === undefined ||
				lastWritten - seen.remaining >= step ||
				(seen.remaining === 0 && lastWritten !== 0);
			lastLimit = seen.limit;
			lastReset = seen.resetAt;
			if (fresh || (low && due)) {
				lastWritten = seen.remaining;
				await store.observeRateBudget(key, seen);
			}
		},
		blocked: (resetAt) => store.blockRateBudget(key, resetAt),
	};
}

/** The bulk class's cap in a window of `limit` (the store's `bulkCap`, same arithmetic). */
function bulkCapOf(limit: number, reserveShare: number): number {
	if (limit <= 1) return limit;
	return Math.max(1, limit - Math.max(1, Math.ceil(limit * reserveShare)));
}
