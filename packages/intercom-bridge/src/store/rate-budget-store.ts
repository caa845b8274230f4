/**
 * Intercom's rate limit as one budget per workspace, shared by every instance on the database
 * (decision 0024): each call takes a slot of the current 10-second window in one statement, the
 * answers' `X-RateLimit-*` headers teach the real limit, and a 429 blocks the window until its
 * reset. The policy lives in `intercom/rate-budget.ts`; this file only keeps the rows.
 */
import { sql } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { rowsOf } from "./database.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** Intercom counts in 10-second windows (docs/intercom.md §2). */
export const RATE_WINDOW_MS = 10_000;

/** Who asks: `live` may use the whole window, `bulk` leaves the reserve to `live`. */
export type RatePriority = "live" | "bulk";

/** Options of {@link RateBudgetStore.takeRateBudget}. */
export interface TakeRateBudgetOptions {
	/** Slots to take at once (1–1000). Default 1. */
	n?: number;
	/** Default `live`. */
	priority?: RatePriority;
	/** Share of each window only `live` may use, 0–0.5. Default 0.05. */
	reserveShare?: number;
	/** Slots a window allows before any answer taught the limit. Default 10. */
	unknownLimit?: number;
}

/** What {@link RateBudgetStore.takeRateBudget} answers. */
export interface RateBudgetTake {
	/** The slots were taken: make the call(s) now. */
	granted: boolean;
	/** When not granted: the earliest time (epoch ms) worth asking again. */
	retryAt: number;
	/** When granted: the end of the window the slots count in (epoch ms); a call sent later counts in the next. */
	windowEnd?: number;
	/** Slots used in the window after this take (or at the refusal), for logs and tests. */
	used: number;
	/** The learned limit per window, or null before the first answer. */
	windowLimit: number | null;
}

/** The largest slot count the bulk class may reach in a window of `limit` (live: `limit`). */
export function bulkCap(limit: number, reserveShare: number): number {
	if (limit <= 1) return limit;
	return Math.max(1, limit - Math.max(1, Math.ceil(limit * reserveShare)));
}

function checkKey(key: string): string {
	if (typeof key !== "string" || key.length === 0 || key.length > 160) {
		throw new ValidationError("A rate budget key is 1 to 160 characters (e.g. `app:us:abc123`).");
	}
	return key;
}

const windowOf = (now: number) => Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;

export function createRateBudgetStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/**
		 * Takes `n` slots of the current window of budget `key`, in one statement: a new window
		 * starts from zero, a blocked budget or a full window refuses (nothing taken). Many instances
		 * may call at once; the row lock of the upsert orders them, no take is lost.
		 */
		async takeRateBudget(key: string, options: TakeRateBudgetOptions = {}): Promise<RateBudgetTake> {
			checkKey(key);
			const n = options.n ?? 1;
			const reserveShare = options.reserveShare ?? 0.05;
			const unknownLimit = options.unknownLimit ?? 10;
			if (!(Number.isInteger(n) && n >= 1 && n <= 1000))
				throw new ValidationError(`takeRateBudget: n must be a whole number from 1 to 1000 (got ${n}).`);
			if (!(reserveShare >= 0 && reserveShare <= 0.5))
				throw new ValidationError(
					`takeRateBudget: reserveShare must be from 0 to 0.5 (got ${reserveShare}).`,
				);
			if (!(Number.isInteger(unknownLimit) && unknownLimit >= 1))
				throw new ValidationError(
					`takeRateBudget: unknownLimit must be a whole number ≥ 1 (got ${unknownLimit}).`,
				);
			const now = ctx.now();
			const ws = windowOf(now);
			const bulk = options.priority === "bulk";
			// The cap by class, computed from the row's learned limit (see bulkCap, same arithmetic).
			const limit = sql`coalesce(b.window_limit, ${unknownLimit}::int)`;
			const cap = bulk
				? sql`case when ${limit} <= 1 then ${limit} else greatest(1, ${limit} - greatest(1, ceil(${limit} * ${reserveShare}::float8)::int)) end`
				: limit;
			const usedBefore = sql`(case when b.window_start < excluded.window_start then 0 else b.used end)`;
			const rows = rowsOf<{
				granted: boolean;
				used: number;
				window_limit: number | null;
				blocked: number;
				window_start: number;
			}>(
				await guard(() =>
					db.execute(sql`
						with up as (
							insert into intercom_rate_budgets as b (budget_key, window_start, used)
							values (${key}, ${ws}::bigint, ${n}::int)
							on conflict (budget_key) do update set
								window_start = greatest(b.window_start, excluded.window_start),
								used = ${usedBefore} + ${n}::int,
								updated_at = now()
							where b.blocked_until <= ${now}::bigint and ${usedBefore} + ${n}::int <= ${cap}
							returning true as granted, used, window_limit, blocked_until::float8 as blocked,
								window_start::float8 as window_start
						)
						select granted, used, window_limit, blocked, window_start from up
						union all
						select false, used, window_limit, blocked_until::float8, window_start::float8
						from intercom_rate_budgets where budget_key = ${key} and not exists (select 1 from up)`),
				),
			);
			const row = rows[0];
			if (row?.granted) {
				return {
					granted: true,
					retryAt: now,
					windowEnd: Number(row.window_start) + RATE_WINDOW_MS,
					used: row.used,
					windowLimit: row.window_limit,
				};
			}
			// Refused: the window is full or blocked. (No row at all means another instance inserted
			// it after this statement's snapshot: ask again in a moment.)
			const blocked = Number(row?.blocked ?? 0);
			const retryAt = !row ? now + 50 : blocked > now ? blocked : ws + RATE_WINDOW_MS;
			return { granted: false, retryAt, used: row?.used ?? 0, windowLimit: row?.window_limit ?? null };
		},

		/**
		 * Learns from an answer's `X-RateLimit-*` headers: the limit per window, and, when Intercom
		 * counted more calls in this window than the budget granted (another client of the same
		 * workspace), raises `used` to Intercom's count. `resetAt` is epoch ms.
		 */
		async observeRateBudget(key: string, seen: { limit: number; remaining: number; resetAt: number }) {
			checkKey(key);
			const { limit, remaining, resetAt } = seen;
			if (![limit, remaining, resetAt].every(Number.isFinite) || limit < 1 || limit > 1_000_000) return;
			const usedByIntercom = Math.max(0, Math.min(limit, Math.round(limit - remaining)));
			// The answer belongs to the row's window when its reset is that window's end (1 s of
			// rounding allowed: the header has whole seconds).
			await guard(() =>
				db.execute(sql`
					update intercom_rate_budgets set
						window_limit = ${Math.round(limit)}::int,
						used = case
							when ${resetAt}::bigint > window_start
								and ${resetAt}::bigint <= window_start + ${RATE_WINDOW_MS + 1000}::bigint
							then greatest(used, ${usedByIntercom}::int) else used end,
						updated_at = now()
					where budget_key = ${key}
						and (window_limit is distinct from ${Math.round(limit)}::int or used < ${usedByIntercom}::int)`),
			);
		},

		/**
		 * Blocks budget `key` until `until` (epoch ms): Intercom answered 429, so no instance calls
		 * before the window resets. Creates the row when missing; never shortens a block.
		 */
		async blockRateBudget(key: string, until: number): Promise<void> {
			checkKey(key);
			if (!Number.isFinite(until)) return;
			const now = ctx.now();
			// A reset far away is not a 10-second window: cap the block at one minute.
			const capped = Math.round(Math.min(until, now + 60_000));
			await guard(() =>
				db.execute(sql`
					insert into intercom_rate_budgets as b (budget_key, window_start, used, blocked_until)
					values (${key}, ${windowOf(now)}::bigint, 0, ${capped}::bigint)
					on conflict (budget_key) do update set
						blocked_until = greatest(b.blocked_until, excluded.blocked_until), updated_at = now()`),
			);
		},

		/** The row of budget `key` (for the console and tests), or null. */
		async readRateBudget(key: string) {
			checkKey(key);
			const [row] = rowsOf<{
				window_start: number;
				used: number;
				window_limit: number | null;
				blocked_until: number;
			}>(
				await guard(() =>
					db.execute(sql`
						select window_start::float8 as window_start, used, window_limit, blocked_until::float8 as blocked_until
						from intercom_rate_budgets where budget_key = ${key}`),
				),
			);
			if (!row) return null;
			return {
				windowStart: Number(row.window_start),
				used: row.used,
				windowLimit: row.window_limit,
				blockedUntil: Number(row.blocked_until),
			};
		},
	};
}

export type RateBudgetStore = ReturnType<typeof createRateBudgetStore>;
