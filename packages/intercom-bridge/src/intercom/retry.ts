/**
 * When to repeat a failed request, and how long to wait first. Only requests that are safe to
 * repeat are ever retried: a `POST /contacts` that timed out may still have created the contact,
 * and a second one would create it twice (docs/intercom.md §8, "Verdict").
 */

/** First backoff step; attempt n waits up to BASE · 2^n. */
const BACKOFF_BASE_MS = 500;
/** Upper bound of one backoff wait. */
const BACKOFF_CAP_MS = 20_000;

/** Statuses that say "try again later": 408 request timeout, 429 rate limited, every 5xx. */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

/**
 * Exponential backoff with "full jitter" (a random wait between 0 and the exponential step), which
 * spreads retries of many clients better than a fixed step plus a little noise.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example backoffMs(0, Math.random) // 0..500
 */
export function backoffMs(attempt: number, random: () => number): number {
	return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/** Whether `err` comes from our own deadline (`AbortSignal.timeout`). */
export function isTimeout(err: unknown, signal: AbortSignal): boolean {
	if (signal.aborted) return true;
	return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

/**
 * A promise that rejects when `signal` aborts. Raced against the request, it makes the deadline
 * hold even for a `fetch` that ignores its signal.
 */
export function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
	let onAbort = (): void => {};
	const promise = new Promise<never>((_, reject) => {
		onAbort = () => reject(signal.reason);
		if (signal.aborted) onAbort();
		else signal.addEventListener("abort", onAbort, { once: true });
	});
	// The race may settle the other way; never let this promise count as an unhandled rejection.
	promise.catch(() => {});
	return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}
