/**
 * Intercom's rate limit: a per-token budget per 10-second window (docs/intercom.md §2), with
 * `X-RateLimit-Limit`, `-Remaining` and `-Reset` (unix seconds) on authenticated responses.
 */

export interface RateLimitVerdict {
	allowed: boolean;
	headers: Record<string, string>;
}

export interface RateLimiter {
	/** Counts one request for `token` and says whether it fits the current window. */
	take(token: string): RateLimitVerdict;
	/** Headers of a forced 429 (fault injection) for `token`'s current window. */
	exhausted(token: string): Record<string, string>;
	reset(): void;
}

const WINDOW_MS = 10_000;

/** A limiter over fixed 10-second windows aligned to the clock, as the reset header implies. */
export function createRateLimiter(limit: number, now: () => number): RateLimiter {
	const windows = new Map<string, { start: number; used: number }>();
	const current = (token: string) => {
		const start = Math.floor(now() / WINDOW_MS) * WINDOW_MS;
		let window = windows.get(token);
		if (!window || window.start !== start) {
			window = { start, used: 0 };
			windows.set(token, window);
		}
		return window;
	};
	const headers = (start: number, remaining: number) => ({
		"X-RateLimit-Limit": String(limit),
		"X-RateLimit-Remaining": String(Math.max(0, remaining)),
		"X-RateLimit-Reset": String(Math.ceil((start + WINDOW_MS) / 1000)),
	});
	return {
		take(token) {
			const window = current(token);
			window.used++;
			return { allowed: window.used <= limit, headers: headers(window.start, limit - window.used) };
		},
		exhausted(token) {
			return headers(current(token).start, 0);
		},
		reset() {
			windows.clear();
		},
	};
}

/** The 429 message Intercom sends. */
export function rateLimitMessage(limit: number): string {
	return `Exceeded rate limit of ${limit} in 10_seconds`;
}
