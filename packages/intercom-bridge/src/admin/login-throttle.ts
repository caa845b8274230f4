/**
 * Sign-in throttling, from the rows of `admin_login_attempts` (which double as the sign-in audit
 * trail; the store reads and writes them).
 *
 * Threat model: online password guessing against one account, password spraying across accounts
 * from one address, and (the reason for the first rule) someone who only wants to keep an
 * administrator out. So failures are counted per email *and* address: a guesser is slowed down on
 * the addresses it uses, while the administrator, from an address without recent failures for
 * that email, still gets in with the right password.
 *
 * - Per email and address: from the 5th failure since the last success, each further try waits
 *   30 s, doubling up to 15 min.
 * - Per address (across emails, against spraying): the same from the 20th failure.
 * - Per email across all addresses, a ceiling against guessing spread over many addresses: once
 *   the email has 20 failures within the hour, an address that already failed for it waits the
 *   longest delay after each failure. It never refuses an address without failures for the email,
 *   so it slows guessing down without ever locking the right password out of a clean address.
 *
 * Addresses count by {@link addressKey}: an IPv6 client by its /64, as the other per-address limits.
 * When the address is unknown (no connection address, no trusted proxy), "unknown" is one address.
 * The limits are keyed on the email as typed, whether or not an account has it, so a 429 tells
 * nothing about which emails exist. Refused attempts are not recorded: they cannot lengthen the
 * delay. `admin-users set-password` stops counting an email's failures (store.resetAdminPassword).
 *
 * In front of those, a limit on attempts per address in memory (docs/reliability.md W16): each attempt
 * costs database reads and a deliberately slow password hash, so a flood from one address is
 * refused before it reaches either, and writes nothing.
 */
import { addressKey } from "../http/client-address.ts";
import { createRateLimiter } from "../http/create-rate-limiter.ts";
import type { Store } from "../store/create-store.ts";

export interface LoginThrottleOptions {
	store: Store;
	now: () => number;
	/** Failures per email and address before delays start. Default 5. */
	maxFailuresPerEmail?: number;
	/** Failures per address (across emails) before delays start. Default 20. */
	maxFailuresPerIp?: number;
	/**
	 * Failures per email from all addresses within the hour above which an address that failed for
	 * it waits the longest delay after each failure. Default 20.
	 */
	maxFailuresPerEmailAllAddresses?: number;
	/** Sign-in attempts per address and minute, successful or not, before 429s. Default 10. */
	maxAttemptsPerMinutePerIp?: number;
}

/** Failures older than this no longer count. */
const WINDOW_MS = 60 * 60_000;
/** First delay once over the limit; it doubles with each further failure. */
const BASE_DELAY_MS = 30_000;
/** Longest delay. */
const MAX_DELAY_MS = 15 * 60_000;

/** Builds the throttle. */
export function createLoginThrottle(options: LoginThrottleOptions) {
	const { store } = options;
	const perEmail = options.maxFailuresPerEmail ?? 5;
	const perIp = options.maxFailuresPerIp ?? 20;
	const perEmailAll = options.maxFailuresPerEmailAllAddresses ?? 20;
	const attempts = createRateLimiter({
		capacity: options.maxAttemptsPerMinutePerIp ?? 10,
		periodMs: 60_000,
		now: options.now,
	});

	/** Wait after `f.n` failures when `limit` are free: 30 s at the limit, doubling, at most 15 min. */
	function waitMs(f: { n: number; last: Date | null }, limit: number, fixedMs?: number): number {
		if (f.n < limit || !f.last) return 0;
		const delay = fixedMs ?? Math.min(BASE_DELAY_MS * 2 ** (f.n - limit), MAX_DELAY_MS);
		return Math.max(0, f.last.getTime() + delay - options.now());
	}

	return {
		/**
		 * Counts a sign-in attempt from `ip` in memory; returns the seconds to wait when the address
		 * is over its attempts per minute (then nothing else may be done for it), else 0.
		 */
		admit(ip: string | null): number {
			return ip === null ? 0 : attempts.take(addressKey(ip));
		},

		/** Seconds to wait before this email may try again from this address; 0 when it may try now. */
		async retryAfterSeconds(email: string, ip: string | null): Promise<number> {
			const since = new Date(options.now() - WINDOW_MS);
			const ipKey = ip === null ? null : addressKey(ip);
			const [pair, all, byAddress] = await Promise.all([
				store.countLoginFailures({ email, ipKey }, since, { sinceLastSuccess: true }),
				store.countLoginFailures({ email }, since),
				ipKey === null ? null : store.countLoginFailures({ ipKey }, since, { sinceLastSuccess: true }),
			]);
			const waits = [
				waitMs(pair, perEmail),
				// Under attack from many addresses: one failure for this email from here is enough.
				all.n >= perEmailAll ? waitMs(pair, 1, MAX_DELAY_MS) : 0,
				byAddress ? waitMs(byAddress, perIp) : 0,
			];
			return Math.ceil(Math.max(...waits) / 1000);
		},

		/** Records an attempt (also the audit trail of sign-ins). */
		async record(email: string, ip: string | null, success: boolean): Promise<void> {
			await store.recordLoginAttempt({ email, ip, ipKey: ip === null ? null : addressKey(ip), success });
		},

		/** The latest sign-in attempts, newest first (for the audit page). */
		async recent(limit = 50) {
			return store.recentLoginAttempts(limit);
		},
	};
}

/** The login throttle. See {@link createLoginThrottle}. */
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
