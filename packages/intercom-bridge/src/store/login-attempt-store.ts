/**
 * Sign-in attempts of the console: the audit trail of sign-ins and the memory of the sign-in
 * throttle (src/admin/login-throttle.ts decides; this file only reads and writes the rows).
 */
import { and, count, desc, eq, gt, isNull, max, type SQL } from "drizzle-orm";
import { adminLoginAttempts } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** Normalises an email for throttling and the audit trail (as typed, whether or not an account has it). */
export const attemptEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);

/** Which attempts to count: those of one email, of one address key, or of both together. */
export interface LoginAttemptFilter {
	email?: string;
	/** The address key (see addressKey); `null` counts the attempts whose address was unknown. */
	ipKey?: string | null;
}

export function createLoginAttemptStore(ctx: StoreContext) {
	const { db } = ctx;

	function matching(filter: LoginAttemptFilter): SQL[] {
		const where: SQL[] = [eq(adminLoginAttempts.counted, true)];
		if (filter.email !== undefined) where.push(eq(adminLoginAttempts.email, attemptEmail(filter.email)));
		if (filter.ipKey !== undefined)
			where.push(
				filter.ipKey === null ? isNull(adminLoginAttempts.ipKey) : eq(adminLoginAttempts.ipKey, filter.ipKey),
			);
		return where;
	}

	return {
		/** Records a sign-in attempt. `ipKey` is the key per-address limits count under. */
		async recordLoginAttempt(input: {
			email: string;
			ip: string | null;
			ipKey: string | null;
			success: boolean;
		}): Promise<void> {
			await guard(() =>
				db.insert(adminLoginAttempts).values({
					email: attemptEmail(input.email),
					ip: input.ip?.slice(0, 64) ?? null,
					ipKey: input.ipKey?.slice(0, 64) ?? null,
					success: input.success,
					at: new Date(ctx.now()),
				}),
			);
		},

		/**
		 * Counted failed sign-ins matching `filter` after `since`; with `sinceLastSuccess`, only those
		 * after the latest successful sign-in matching the same filter. Returns their number and the
		 * time of the latest.
		 */
		async countLoginFailures(
			filter: LoginAttemptFilter,
			since: Date,
			options: { sinceLastSuccess?: boolean } = {},
		): Promise<{ n: number; last: Date | null }> {
			let from = since;
			if (options.sinceLastSuccess) {
				const [ok] = await guard(() =>
					db
						.select({ at: max(adminLoginAttempts.at) })
						.from(adminLoginAttempts)
						.where(
							and(
								...matching(filter),
								eq(adminLoginAttempts.success, true),
								gt(adminLoginAttempts.at, since),
							),
						),
				);
				if (ok?.at && ok.at > since) from = ok.at;
			}
			const [row] = await guard(() =>
				db
					.select({ n: count(), last: max(adminLoginAttempts.at) })
					.from(adminLoginAttempts)
					.where(
						and(...matching(filter), eq(adminLoginAttempts.success, false), gt(adminLoginAttempts.at, from)),
					),
			);
			return { n: row?.n ?? 0, last: row?.last ?? null };
		},

		/**
		 * Stops counting the failed sign-ins of an email (they stay in the audit trail): lifts the
		 * sign-in throttle for that email from every address. Returns how many were cleared.
		 */
		async clearLoginFailures(email: string): Promise<number> {
			const rows = await guard(() =>
				db
					.update(adminLoginAttempts)
					.set({ counted: false })
					.where(and(...matching({ email }), eq(adminLoginAttempts.success, false)))
					.returning({ id: adminLoginAttempts.id }),
			);
			return rows.length;
		},

		/** The latest sign-in attempts, newest first (for the audit page). */
		async recentLoginAttempts(limit = 50) {
			return guard(() =>
				db.select().from(adminLoginAttempts).orderBy(desc(adminLoginAttempts.id)).limit(limit),
			);
		},
	};
}

export type LoginAttemptStore = ReturnType<typeof createLoginAttemptStore>;
