import { describe, expect, it } from "vitest";
import { createIntercomClient } from "./create-intercom-client.ts";
import {
	type CallPriority,
	createSharedRateBudget,
	type RateBudget,
	type RateBudgetObservation,
	rateBudgetKey,
} from "./rate-budget.ts";
import { contact, errorList, fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

const TOKEN = "tok_budget";
const T0 = 1_800_000_000_000; // a window boundary

/** A budget in memory with the store's rules: `limit` slots a 10-s window, `reserve` of them live only. */
function memoryBudget(now: () => number, limit: number, reserve: number) {
	let window = -1;
	let used = 0;
	let blockedUntil = 0;
	const log: { takes: CallPriority[]; observed: RateBudgetObservation[]; blocked: number[] } = {
		takes: [],
		observed: [],
		blocked: [],
	};
	const budget: RateBudget = {
		async take(priority) {
			log.takes.push(priority);
			const t = now();
			const ws = Math.floor(t / 10_000) * 10_000;
			if (ws !== window) {
				window = ws;
				used = 0;
			}
			if (blockedUntil > t) return { granted: false, retryAt: blockedUntil };
			const cap = priority === "bulk" ? limit - reserve : limit;
			if (used + 1 > cap) return { granted: false, retryAt: ws + 10_000 };
			used++;
			return { granted: true, retryAt: t };
		},
		async observe(seen) {
			log.observed.push(seen);
		},
		async blocked(resetAt) {
			log.blocked.push(resetAt);
			blockedUntil = resetAt;
		},
	};
	return { budget, log };
}

const limited = (remaining: number) => ({
	"X-RateLimit-Limit": "3",
	"X-RateLimit-Remaining": String(remaining),
	"X-RateLimit-Reset": String((T0 + 10_000) / 1000),
});

describe("a client on a rate budget", () => {
	it("asks the budget before each call, waits for the next window when refused, and reports the headers", async () => {
		const clock = fakeClock(T0);
		const { budget, log } = memoryBudget(clock.now, 2, 0);
		const { fetch, calls } = scriptedFetch(() => json(200, contact("c1"), limited(1)), clock.now);
		const client = createIntercomClient({
			token: TOKEN,
			fetch,
			...clock,
			random: () => 0,
			rateBudget: budget,
		});
		for (let i = 0; i < 3; i++) await client.contacts.get("c1");
		expect(calls.map((c) => c.at)).toEqual([T0, T0, T0 + 10_000]);
		expect(log.takes).toEqual(["live", "live", "live", "live"]);
		expect(log.observed[0]).toEqual({ limit: 3, remaining: 1, resetAt: T0 + 10_000 });
	});

	it("bulk calls leave the reserve to live calls", async () => {
		const clock = fakeClock(T0);
		const { budget } = memoryBudget(clock.now, 3, 1);
		const { fetch, calls } = scriptedFetch(() => json(200, contact("c1")), clock.now);
		const client = createIntercomClient({
			token: TOKEN,
			fetch,
			...clock,
			random: () => 0,
			rateBudget: budget,
		});
		const bulk = client.withCallOptions({ priority: "bulk" });
		await bulk.contacts.get("c1");
		await bulk.contacts.get("c1");
		await client.contacts.get("c1"); // live: the reserved slot, this window
		await bulk.contacts.get("c1"); // bulk: next window
		expect(calls.map((c) => c.at)).toEqual([T0, T0, T0, T0 + 10_000]);
	});

	it("tells the budget about a 429 and retries after the reset", async () => {
		const clock = fakeClock(T0 + 4000);
		const { budget, log } = memoryBudget(clock.now, 100, 5);
		const { fetch, calls } = scriptedFetch(
			(_, i) => (i === 0 ? errorList(429, "rate_limit_exceeded", "x", limited(0)) : json(200, contact("c1"))),
			clock.now,
		);
		const client = createIntercomClient({
			token: TOKEN,
			fetch,
			...clock,
			random: () => 0,
			rateBudget: budget,
		});
		expect((await client.contacts.get("c1")).id).toBe("c1");
		expect(log.blocked).toEqual([T0 + 10_000]);
		expect(calls[1]?.at).toBeGreaterThanOrEqual(T0 + 10_000);
	});

	it("stops waiting when the call's signal aborts, and past the cap fails saying why", async () => {
		const clock = fakeClock(T0);
		const { budget } = memoryBudget(clock.now, 0, 0);
		const { fetch, calls } = scriptedFetch(() => json(200, contact("c1")), clock.now);
		const client = createIntercomClient({
			token: TOKEN,
			fetch,
			...clock,
			random: () => 0,
			rateBudget: budget,
			budgetWaitCapMs: 30_000,
		});
		await expect(client.contacts.get("c1")).rejects.toMatchObject({
			httpStatus: 429,
			intercomCode: "rate_budget_exhausted",
		});
		expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
		const stop = new AbortController();
		stop.abort(new Error("shutting down"));
		await expect(client.withCallOptions({ signal: stop.signal }).contacts.get("c1")).rejects.toThrow(
			"shutting down",
		);
		expect(calls).toHaveLength(0);
	});

	it("a call's signal also ends the attempt in flight, without a retry", async () => {
		const clock = fakeClock(T0);
		const { budget } = memoryBudget(clock.now, 10, 0);
		const { fetch, calls } = scriptedFetch(() => new Promise<Response>(() => {}), clock.now);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock, rateBudget: budget });
		const stop = new AbortController();
		const pending = client.withCallOptions({ signal: stop.signal }).contacts.get("c1");
		for (let i = 0; i < 10_000 && calls.length === 0; i++)
			await new Promise((resolve) => setImmediate(resolve));
		stop.abort();
		await expect(pending).rejects.toThrow("was aborted by its caller");
		expect(calls).toHaveLength(1);
	});

	it("takes a fresh slot when the granted one's window ended before the call could go", async () => {
		const clock = fakeClock(T0 + 9_990);
		let takes = 0;
		const slow: RateBudget = {
			async take() {
				takes++;
				const windowEnd = Math.floor(clock.now() / 10_000) * 10_000 + 10_000;
				// The first answer arrives after its window is over (a stalled database).
				if (takes === 1) await clock.sleep(50);
				return { granted: true, retryAt: clock.now(), windowEnd };
			},
			observe: async () => {},
			blocked: async () => {},
		};
		const { fetch, calls } = scriptedFetch(() => json(200, contact("c1")), clock.now);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock, rateBudget: slow });
		await client.contacts.get("c1");
		expect(takes).toBe(2);
		expect(calls).toHaveLength(1);
	});

	it("calls without the budget when the budget cannot be asked", async () => {
		const clock = fakeClock(T0);
		const broken: RateBudget = {
			take: async () => {
				throw new Error("database down");
			},
			observe: async () => {
				throw new Error("database down");
			},
			blocked: async () => {},
		};
		const { fetch, calls } = scriptedFetch(() => json(200, contact("c1"), limited(2)), clock.now);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock, rateBudget: broken });
		expect((await client.contacts.get("c1")).id).toBe("c1");
		expect(calls).toHaveLength(1);
	});
});

describe("the shared budget", () => {
	it("keys by workspace when the app id is known, else by a hash of the token", () => {
		expect(rateBudgetKey({ appId: " abc123 ", region: "eu", token: "t" })).toBe("app:eu:abc123");
		const byToken = rateBudgetKey({ appId: null, token: "secret-token" });
		expect(byToken).toMatch(/^token:[0-9a-f]{40}$/);
		expect(byToken).not.toContain("secret");
	});

	it("writes an answer back only when it can change something", async () => {
		const writes: RateBudgetObservation[] = [];
		const budget = createSharedRateBudget({
			key: "k",
			store: {
				takeRateBudget: async () => ({ granted: true, retryAt: 0 }),
				observeRateBudget: async (_key, seen) => {
					writes.push(seen);
				},
				blockRateBudget: async () => {},
			},
		});
		await budget.observe({ limit: 100, remaining: 90, resetAt: 10 }); // first: written
		await budget.observe({ limit: 100, remaining: 89, resetAt: 10 }); // same window, plenty left
		await budget.observe({ limit: 100, remaining: 10, resetAt: 10 }); // few left: written
		await budget.observe({ limit: 100, remaining: 99, resetAt: 20 }); // new window: written
		expect(writes.map((w) => w.remaining)).toEqual([90, 10, 99]);
	});

	it("takes bulk slots in batches of 1% of the limit, within the bulk cap, valid in their window only", async () => {
		let now = T0;
		let windowStart = T0;
		let used = 0;
		const asked: number[] = [];
		const cap = 950; // limit 1000, reserve 5%
		const budget = createSharedRateBudget({
			key: "k",
			now: () => now,
			store: {
				async takeRateBudget(_key, { priority, n = 1 }) {
					expect(priority).toBe("bulk");
					asked.push(n);
					const ws = Math.floor(now / 10_000) * 10_000;
					if (ws !== windowStart) [windowStart, used] = [ws, 0];
					if (used + n > cap) return { granted: false, retryAt: ws + 10_000, used, windowLimit: 1000 };
					used += n;
					return { granted: true, retryAt: now, windowEnd: ws + 10_000, used, windowLimit: 1000 };
				},
				observeRateBudget: async () => {},
				blockRateBudget: async () => {},
			},
		});
		const take = () => budget.take("bulk");
		// Before the limit is known, one slot; then 10 (1% of 1000) at a time, shared by concurrent callers.
		const grants = await Promise.all(Array.from({ length: 21 }, take));
		expect(grants.every((g) => g.granted && g.windowEnd === T0 + 10_000)).toBe(true);
		expect(asked).toEqual([1, 10, 10]);
		// The 21st slot of the batch is left; it is not used in the next window, which takes anew.
		now = T0 + 10_000;
		expect(await take()).toMatchObject({ granted: true, windowEnd: T0 + 20_000 });
		expect(asked).toEqual([1, 10, 10, 10]);
		// Another instance filled the window up to 5 below the cap: a batch is refused, one slot is taken.
		used = cap - 5;
		for (let i = 0; i < 9; i++) await take(); // the pool's 9 left
		expect(await take()).toMatchObject({ granted: true });
		expect(asked.slice(-2)).toEqual([10, 1]);
		// A full window answers when to ask again.
		used = cap;
		expect(await take()).toMatchObject({ granted: false, retryAt: T0 + 20_000 });
	});
});
