/**
 * Intercom's rate limits: a quota per 10-second window, announced on every authenticated answer
 * by `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds), and
 * enforced with 429 `rate_limit_exceeded` (docs/intercom.md §2). No `Retry-After` is documented,
 * but one is honoured when present.
 */

/** The longest the client waits for a window to reset; Intercom's windows are 10 s, so more means something is off. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** Added on top of the reset so that clients sharing a quota do not all retry in the same millisecond. */
const RESET_JITTER_MS = 1_000;

/** What the last answer said about the current window. */
export interface RateLimitState {
	limit: number | undefined;
	remaining: number | undefined;
	/** When the window resets, in epoch milliseconds. */
	resetAt: number | undefined;
}

function intHeader(headers: Headers, name: string): number | undefined {
	const raw = headers.get(name);
	if (raw === null || raw.trim() === "") return undefined;
	const n = Number(raw);
	return Number.isFinite(n) ? n : undefined;
}

/** Reads the `X-RateLimit-*` headers (absent on unauthenticated answers, hence all optional). */
export function readRateLimit(headers: Headers): RateLimitState {
	const reset = intHeader(headers, "x-ratelimit-reset");
	return {
		limit: intHeader(headers, "x-ratelimit-limit"),
		remaining: intHeader(headers, "x-ratelimit-remaining"),
		resetAt: reset === undefined ? undefined : reset * 1000,
	};
}

/** `Retry-After` in milliseconds from `now`: either delta-seconds or an HTTP date. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
	const raw = headers.get("retry-after");
	if (raw === null || raw.trim() === "") return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return seconds * 1000;
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : date - now;
}

/**
 * How long to wait after a 429 before the next attempt: until `Retry-After`, else until
 * `X-RateLimit-Reset`, plus up to a second of jitter. `undefined` when neither header is there
 * (the caller then backs off exponentially).
 */
export function rateLimitWaitMs(headers: Headers, now: number, random: () => number): number | undefined {
	const base = retryAfterMs(headers, now) ?? waitUntil(readRateLimit(headers).resetAt, now);
	if (base === undefined) return undefined;
	return Math.max(0, base) + random() * RESET_JITTER_MS;
}

function waitUntil(resetAt: number | undefined, now: number): number | undefined {
	return resetAt === undefined ? undefined : resetAt - now;
}

/** Remembers the latest window state so the client can hold back instead of running into a 429. */
export interface RateLimitTracker {
	observe(headers: Headers): void;
	/** Milliseconds to wait before the next request: > 0 only when the window is used up and resets soon. */
	waitBeforeNextMs(): number;
	state(): RateLimitState;
}

/**
 * Creates a tracker for one token (one client).
 * @example const rl = createRateLimitTracker({ now: Date.now, random: Math.random }); rl.observe(res.headers);
 */
export function createRateLimitTracker(deps: { now: () => number; random: () => number }): RateLimitTracker {
	let current: RateLimitState = { limit: undefined, remaining: undefined, resetAt: undefined };
	return {
		observe(headers) {
			const next = readRateLimit(headers);
			// Unauthenticated answers carry no headers; keep what we knew rather than forget it.
			if (next.remaining !== undefined || next.resetAt !== undefined) current = next;
		},
		waitBeforeNextMs() {
			const { remaining, resetAt } = current;
			if (remaining === undefined || remaining > 0 || resetAt === undefined) return 0;
			const wait = resetAt - deps.now();
			if (wait <= 0 || wait > MAX_RATE_LIMIT_WAIT_MS) return 0;
			// The window will be fresh after this wait; don't wait again for the same window.
			current = { ...current, remaining: undefined };
			return wait + deps.random() * RESET_JITTER_MS;
		},
		state: () => ({ ...current }),
	};
}
