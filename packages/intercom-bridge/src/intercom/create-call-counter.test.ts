import { describe, expect, it } from "vitest";
import { createCallCounter } from "./create-call-counter.ts";

describe("createCallCounter", () => {
	it("counts requests by the answer: 429, 401/403, 5xx, and none", async () => {
		const counter = createCallCounter(() => Date.parse("2026-11-26T09:00:00Z"));
		const statuses = [200, 429, 401, 403, 500, 503, 404];
		const fetch = counter.counted(async () => new Response(null, { status: statuses.shift() ?? 200 }));
		for (let i = 0; i < 7; i++) await fetch("https://api.intercom.io/me");
		const failing = counter.counted(async () => {
			throw new TypeError("fetch failed");
		});
		await expect(failing("https://api.intercom.io/me")).rejects.toThrow("fetch failed");
		expect(counter.snapshot()).toEqual({
			since: "2026-11-26T09:00:00.000Z",
			requests: 8,
			rateLimited: 1,
			unauthorized: 2,
			serverErrors: 2,
			noAnswer: 1,
		});
	});
});
