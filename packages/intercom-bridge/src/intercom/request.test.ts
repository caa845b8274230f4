import { describe, expect, it } from "vitest";
import { IntercomApiError } from "../errors.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import { contact, errorList, fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

const TOKEN = "tok_test";

describe("rate limits", () => {
	it("after a 429 sends nothing before X-RateLimit-Reset, then succeeds", async () => {
		const clock = fakeClock(1_800_000_000_000);
		const resetSeconds = 1_800_000_007; // 7 s after "now"
		const { fetch, calls } = scriptedFetch(
			(_, i) =>
				i === 0
					? errorList(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds", {
							"X-RateLimit-Limit": "167",
							"X-RateLimit-Remaining": "0",
							"X-RateLimit-Reset": String(resetSeconds),
						})
					: json(200, contact("c1")),
			clock.now,
		);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock, random: () => 0.5 });
		const found = await client.contacts.get("c1");
		expect(found.id).toBe("c1");
		expect(calls).toHaveLength(2);
		expect(calls[1]?.at).toBeGreaterThanOrEqual(resetSeconds * 1000);
		expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
	});

	it("honours Retry-After when present", async () => {
		const clock = fakeClock();
		const { fetch, calls } = scriptedFetch(
			(_, i) =>
				i === 0 ? errorList(429, "rate_limit_exceeded", "slow down", { "Retry-After": "3" }) : json(200, {}),
			clock.now,
		);
		await createIntercomClient({ token: TOKEN, fetch, ...clock, random: () => 0 }).contacts.delete("c1");
		expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBe(3000);
	});

	it("gives up at once when the window resets later than it is willing to wait", async () => {
		const clock = fakeClock(1_800_000_000_000);
		const { fetch, calls } = scriptedFetch(
			() => errorList(429, "rate_limit_exceeded", "x", { "X-RateLimit-Reset": String(1_800_000_000 + 3600) }),
			clock.now,
		);
		const err = await createIntercomClient({ token: TOKEN, fetch, ...clock })
			.contacts.get("c1")
			.catch((e: unknown) => e);
		expect(err).toMatchObject({ httpStatus: 429, intercomCode: "rate_limit_exceeded" });
		expect(calls).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
	});

	it("holds the next request back when the window is used up, without a 429", async () => {
		const clock = fakeClock(1_800_000_000_000);
		const reset = 1_800_000_004;
		const { fetch, calls } = scriptedFetch(
			(_, i) =>
				json(200, contact(`c${i}`), {
					"X-RateLimit-Remaining": i === 0 ? "0" : "166",
					"X-RateLimit-Reset": String(reset),
				}),
			clock.now,
		);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock, random: () => 0 });
		await client.contacts.create({ email: "a@example.com" });
		await client.contacts.create({ email: "b@example.com" });
		expect(calls[1]?.at).toBeGreaterThanOrEqual(reset * 1000);
	});

	it("does not retry a create after a 429", async () => {
		const clock = fakeClock();
		const { fetch, calls } = scriptedFetch(() => errorList(429, "rate_limit_exceeded", "x"), clock.now);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock });
		await expect(client.contacts.create({ role: "lead" })).rejects.toMatchObject({ httpStatus: 429 });
		expect(calls).toHaveLength(1);
	});
});

describe("retries", () => {
	it("retries a GET on 5xx with backoff and succeeds", async () => {
		const clock = fakeClock();
		const { fetch, calls } = scriptedFetch(
			(_, i) => (i < 2 ? errorList(503, "service_unavailable", "down") : json(200, contact("c1"))),
			clock.now,
		);
		const found = await createIntercomClient({ token: TOKEN, fetch, ...clock, random: () => 1 }).contacts.get(
			"c1",
		);
		expect(found.id).toBe("c1");
		expect(calls).toHaveLength(3);
		// Full jitter with random() = 1 gives the whole exponential step: 500 ms, then 1000 ms.
		expect(clock.sleeps).toEqual([500, 1000]);
	});

	it("never retries POST /contacts on 5xx", async () => {
		const clock = fakeClock();
		const { fetch, calls } = scriptedFetch(() => errorList(502, "server_error", "bad gateway"), clock.now);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock });
		await expect(client.contacts.create({ email: "a@example.com" })).rejects.toMatchObject({
			httpStatus: 502,
		});
		expect(calls.filter((c) => c.route === "POST /contacts")).toHaveLength(1);
	});

	it("stops after maxRetries and reports the last status", async () => {
		const clock = fakeClock();
		const { fetch, calls } = scriptedFetch(() => errorList(500, "server_error", "boom"), clock.now);
		const client = createIntercomClient({ token: TOKEN, fetch, ...clock, maxRetries: 2 });
		await expect(client.me()).rejects.toMatchObject({ httpStatus: 500, intercomCode: "server_error" });
		expect(calls).toHaveLength(3);
	});

	it("retries a network error on a search", async () => {
		const clock = fakeClock();
		let n = 0;
		const fetch = (async () => {
			n++;
			if (n === 1) throw new TypeError("fetch failed");
			return json(200, { type: "list", data: [], total_count: 0, pages: null });
		}) as typeof globalThis.fetch;
		const result = await createIntercomClient({ token: TOKEN, fetch, ...clock }).contacts.search({
			field: "email",
			operator: "=",
			value: "x@example.com",
		});
		expect(result.totalCount).toBe(0);
		expect(n).toBe(2);
	});

	it("does not retry 4xx other than 408/429", async () => {
		const clock = fakeClock();
		const { fetch, calls } = scriptedFetch(() => errorList(400, "parameter_invalid", "nope"), clock.now);
		await expect(createIntercomClient({ token: TOKEN, fetch, ...clock }).me()).rejects.toBeInstanceOf(
			IntercomApiError,
		);
		expect(calls).toHaveLength(1);
	});
});

describe("deadlines", () => {
	const hang = (() => new Promise<Response>(() => {})) as typeof fetch;

	it("times out a request whose fetch never answers", async () => {
		const started = Date.now();
		const err = await createIntercomClient({ token: TOKEN, fetch: hang, timeoutMs: 30, maxRetries: 0 })
			.me()
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).toMatchObject({ httpStatus: 0 });
		expect((err as Error).message).toContain("timed out after 30 ms");
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it("retries a timed-out GET but never a timed-out create", async () => {
		const clock = fakeClock();
		let calls = 0;
		const fetch = ((input: RequestInfo | URL) => {
			calls++;
			const method = input instanceof Request ? input.method : "GET";
			if (method === "GET" && calls > 1) return Promise.resolve(json(200, contact("c1")));
			return new Promise<Response>(() => {});
		}) as typeof globalThis.fetch;
		const client = createIntercomClient({ token: TOKEN, fetch, timeoutMs: 20, ...clock });
		expect((await client.contacts.get("c1")).id).toBe("c1");
		expect(calls).toBe(2);

		calls = 0;
		await expect(client.contacts.create({ email: "a@example.com" })).rejects.toThrow(/timed out/);
		expect(calls).toBe(1);
	});
});
