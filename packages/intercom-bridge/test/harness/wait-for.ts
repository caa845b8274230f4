/**
 * Waiting on conditions instead of time, for every test that waits: poll what is awaited until it
 * holds or a generous deadline passes. A busy machine then makes a test slower, never red; a
 * regression (the condition never holds) still fails it, at the deadline, saying what was awaited
 * and what was last seen.
 */

/** How {@link waitFor} waits. */
export interface WaitForOptions {
	/** The longest wait in ms: generous, since only a regression should ever reach it. */
	deadlineMs: number;
	/**
	 * What is awaited, for the error. A function is called at the deadline and should also say
	 * what was seen instead (e.g. the statuses so far), so that a failure explains itself.
	 */
	describe: string | (() => string | Promise<string>);
	/** The pause between two checks, in ms (default 100). */
	intervalMs?: number;
}

/**
 * Calls `check` until it returns a truthy value, and resolves with that value.
 * @throws once `deadlineMs` has passed, naming what was awaited and what was last seen (an error
 *   thrown by `check` itself is not retried: it is passed on).
 */
export async function waitFor<T>(
	check: () => T | Promise<T>,
	options: WaitForOptions,
): Promise<NonNullable<T>> {
	const started = Date.now();
	for (;;) {
		const value = await check();
		if (value) return value as NonNullable<T>;
		if (Date.now() - started > options.deadlineMs) {
			const what = typeof options.describe === "function" ? await options.describe() : options.describe;
			throw new Error(`Waited ${options.deadlineMs} ms in vain for ${what}.`);
		}
		await sleep(options.intervalMs ?? 100);
	}
}

/**
 * A pause, for the few waits that have no condition to poll: a bound a test measures (a drip
 * feed), or a grace period that only keeps a wait from hanging forever. Never a wait for progress.
 */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
