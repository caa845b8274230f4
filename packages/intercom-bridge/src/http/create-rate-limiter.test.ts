import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./create-rate-limiter.ts";

describe("createRateLimiter", () => {
	const clock = () => {
		const c = { t: 1_000_000, now: () => c.t };
		return c;
	};

	it("allows a burst of capacity, then refuses with the seconds until a token is back", () => {
		const c = clock();
		const limiter = createRateLimiter({ capacity: 3, periodMs: 60_000, now: c.now });
		expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
		expect(limiter.take("a")).toBe(20); // one token per 20 s
		expect(limiter.retryAfterSeconds("a")).toBe(20);
		c.t += 15_000;
		expect(limiter.retryAfterSeconds("a")).toBe(5);
		c.t += 5_000;
		expect(limiter.take("a")).toBe(0);
		expect(limiter.take("a")).toBe(20);
	});

	it("keeps keys apart, and a refused take costs nothing", () => {
		const c = clock();
		const limiter = createRateLimiter({ capacity: 1, periodMs: 1000, now: c.now });
		expect(limiter.take("a")).toBe(0);
		for (let i = 0; i < 10; i++) expect(limiter.take("a")).toBe(1);
		expect(limiter.take("b")).toBe(0);
		c.t += 1000;
		expect(limiter.take("a")).toBe(0);
	});

	it("forgets full buckets and tracks at most maxKeys, dropping the least recently used", () => {
		const c = clock();
		const limiter = createRateLimiter({ capacity: 2, periodMs: 1000, now: c.now, maxKeys: 2 });
		limiter.take("a");
		limiter.take("b");
		limiter.take("a");
		limiter.take("c"); // drops b, used least recently
		expect(limiter.size).toBe(2);
		expect(limiter.retryAfterSeconds("a")).toBe(1);
		c.t += 1000;
		expect(limiter.retryAfterSeconds("a")).toBe(0);
		expect(limiter.retryAfterSeconds("c")).toBe(0);
		expect(limiter.size).toBe(0);
	});

	it("never refuses with capacity 0", () => {
		const limiter = createRateLimiter({ capacity: 0, periodMs: 1000 });
		for (let i = 0; i < 100; i++) expect(limiter.take("a")).toBe(0);
		expect(limiter.size).toBe(0);
	});
});
