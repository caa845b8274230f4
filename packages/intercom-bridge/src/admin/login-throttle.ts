/**
 * Sign-in throttling per email and per IP, from the rows of `admin_login_attempts` (which double as
 * the sign-in audit trail).
 *
 * Threat model: online password guessing against one account (per-email limit) and password
 * spraying across accounts from one address (per-IP limit, higher because offices share one). The
 * limit is keyed on the email as typed, whether or not an account has it, so a 429 tells nothing
 * about which emails exist. Refused attempts are not recorded: they cannot lengthen the delay.
 *
 * In front of those, a limit on attempts per IP in memory (docs/reliability.md W16): each attempt costs
 * database reads and a deliberately slow password hash, so a flood from one address is refused
 * before it reaches either, and writes nothing.
 */
import { and, count, desc, eq, gt, max } from "drizzle-orm";
import { addressKey } from "../http/client-address.ts";
import { createRateLimiter } from "../http/create-rate-limiter.ts";
import type { Store } from "../store/create-store.ts";
import { adminLoginAttempts } from "../store/schema.ts";

export interface LoginThrottleOptions {
	store: Store;
	now: () => number;
	/** Failures per email before delays start. Default 5. */
	maxFailuresPerEmail?: number;
	/** Failures per IP before delays start. Default 20. */
	maxFailuresPerIp?: number;
	/** Sign-in attempts per IP and minute, successful or not, before 429s. Default 10. */
	maxAttemptsPerMinutePerIp?: number;
}

/** Failures older than this no longer count. */
const WINDOW_MS = 60 * 60_000;
/** First delay once over the limit; it doubles with each further failure. */
const BASE_DELAY_MS = 30_000;
/** Longest delay. */
const MAX_DELAY_MS = 15 * 60_000;

/** Normalises an email for throttling and the audit trail. */
export const attemptEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);

/** Builds the throttle. */
export function createLoginThrottle(options: LoginThrottleOptions) {
	const { db } = options.store;
	const perEmail = options.maxFailuresPerEmail ?? 5;
	const perIp = options.maxFailuresPerIp ?? 20;
	const attempts = createRateLimiter({
		capacity: options.maxAttemptsPerMinutePerIp ?? 10,
		periodMs: 60_000,
		now: options.now,
	});

	async function failures(column: "email" | "ip", value: string) {
		const since = new Date(options.now() - WINDOW_MS);
		const col = column === "email" ? adminLoginAttempts.email : adminLoginAttempts.ip;
		// Failures since the last success (for this email or IP) within the window.
		const [lastOk] = await db
			.select({ at: max(adminLoginAttempts.at) })
			.from(adminLoginAttempts)
			.where(and(eq(col, value), eq(adminLoginAttempts.success, true), gt(adminLoginAttempts.at, since)));
		const from = lastOk?.at && lastOk.at > since ? lastOk.at : since;
		const [row] = await db
			.select({ n: count(), last: max(adminLoginAttempts.at) })
			.from(adminLoginAttempts)
			.where(and(eq(col, value), eq(adminLoginAttempts.success, false), gt(adminLoginAttempts.at, from)));
		return { n: row?.n ?? 0, last: row?.last ?? null };
	}

	function waitMs(f: { n: number; last: Date | null }, limit: number): number {
		if (f.n < limit || !f.last) return 0;
		const delay = Math.min(BASE_DELAY_MS * 2 ** (f.n - limit), MAX_DELAY_MS);
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

		/** Seconds to wait before this email may try again from this IP; 0 when it may try now. */
		async retryAfterSeconds(email: string, ip: string | null): Promise<number> {
			const byEmail = waitMs(await failures("email", attemptEmail(email)), perEmail);
			const byIp = ip ? waitMs(await failures("ip", ip), perIp) : 0;
			return Math.ceil(Math.max(byEmail, byIp) / 1000);
		},

		/** Records an attempt (also the audit trail of sign-ins). */
		async record(email: string, ip: string | null, success: boolean): Promise<void> {
			await db.insert(adminLoginAttempts).values({
				email: attemptEmail(email),
				ip: ip?.slice(0, 64) ?? null,
				success,
				at: new Date(options.now()),
			});
		},

		/** The latest sign-in attempts, newest first (for the audit page). */
		async recent(limit = 50) {
			return db.select().from(adminLoginAttempts).orderBy(desc(adminLoginAttempts.id)).limit(limit);
		},
	};
}

/** The login throttle. See {@link createLoginThrottle}. */
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
