/**
 * Per-key token buckets in memory, for ingress limits (docs/reliability.md W16): each key (a client
 * address) holds up to `capacity` tokens, refilled at `capacity` per `periodMs`; a request that
 * finds less than one token is refused with the seconds until one is back.
 *
 * Memory is bounded: at most `maxKeys` keys are tracked, the oldest dropped first. The buckets live
 * in the process, so with several instances each enforces its own limit; that is enough against
 * a flood from one address, which is what per-address limits are for.
 */
import { setBounded } from "../store/cache-helpers.ts";

export interface RateLimiterOptions {
	/** Tokens a key starts with and can save up (the burst). 0 turns the limiter off. */
	capacity: number;
	/** Time in which an empty bucket fills up again (ms). */
	periodMs: number;
	/** Clock (ms). Default Date.now. */
	now?: () => number;
	/** Keys tracked at most. Default 10 000. */
	maxKeys?: number;
}

export interface RateLimiter {
	/** Seconds until `key` has a token again; 0 when it has one now. Takes nothing. */
	retryAfterSeconds(key: string): number;
	/** Takes a token from `key`'s bucket; returns what {@link retryAfterSeconds} would have before. */
	take(key: string): number;
	/** Number of keys tracked (for tests and metrics). */
	readonly size: number;
}

/** Builds a limiter. With `capacity` 0 it never refuses and tracks nothing. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
	const { capacity, periodMs } = options;
	const now = options.now ?? Date.now;
	const maxKeys = options.maxKeys ?? 10_000;
	const perMs = capacity / periodMs;
	const buckets = new Map<string, { tokens: number; at: number }>();

	/** The bucket of `key` refilled up to now (a full bucket is not stored: it needs no state). */
	function level(key: string, t: number): number {
		const bucket = buckets.get(key);
		if (!bucket) return capacity;
		const tokens = Math.min(capacity, bucket.tokens + (t - bucket.at) * perMs);
		if (tokens >= capacity) buckets.delete(key);
		return tokens;
	}

	const wait = (tokens: number) => (tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)));

	return {
		retryAfterSeconds(key) {
			if (capacity <= 0) return 0;
			return wait(level(key, now()));
		},
		take(key) {
			if (capacity <= 0) return 0;
			const t = now();
			const tokens = level(key, t);
			const before = wait(tokens);
			if (before === 0) {
				buckets.delete(key); // re-inserted last: the least recently used are dropped first
				setBounded(buckets, maxKeys, key, { tokens: tokens - 1, at: t });
			}
			return before;
		},
		get size() {
			return buckets.size;
		},
	};
}
