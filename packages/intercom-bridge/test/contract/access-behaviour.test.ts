/**
 * Who may call the emulator and how often: bearer tokens and revocation, Intercom-Version, the
 * per-token 10-second rate-limit window, OAuth authorize → token → API call, region bases, faults.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_TTL_MS, createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { at, caller } from "./call.ts";

describe("auth and versions", () => {
	it("answers 401 Access Token Invalid without rate-limit headers, and after revocation", async () => {
		const emulator = createIntercomEmulator({ tokens: ["good-token"] });
		const bad = await caller(emulator, "bad-token")("GET", "/me");
		expect(bad.status).toBe(401);
		expect(at(bad.body, "errors", 0)).toEqual({ code: "unauthorized", message: "Access Token Invalid" });
		expect(bad.headers.get("x-ratelimit-limit")).toBeNull();
		const call = caller(emulator, "good-token");
		expect((await call("GET", "/me")).status).toBe(200);
		emulator.revokeToken("good-token");
		expect((await call("GET", "/me")).status).toBe(401);
		expect(emulator.requests.every((r) => !JSON.stringify(r).includes("good-token"))).toBe(true);
	});

	it("records Intercom-Version and rejects unknown values", async () => {
		const emulator = createIntercomEmulator({ tokens: ["t-version"] });
		const call = caller(emulator, "t-version");
		expect((await call("GET", "/me", undefined, { "Intercom-Version": "Preview" })).status).toBe(200);
		const bad = await call("GET", "/me", undefined, { "Intercom-Version": "3.0" });
		expect(bad.status).toBe(400);
		expect(emulator.requests.map((r) => r.version)).toEqual(["Preview", "3.0"]);
	});
});

describe("rate limit", () => {
	it("counts per token in 10-second windows, sends headers, answers 429 and resets", async () => {
		let now = 1_700_000_000_000; // a window boundary
		const emulator = createIntercomEmulator({ tokens: ["t-a", "t-b"], rateLimitPer10s: 3, now: () => now });
		const a = caller(emulator, "t-a");
		const first = await a("GET", "/me");
		expect(first.headers.get("x-ratelimit-limit")).toBe("3");
		expect(first.headers.get("x-ratelimit-remaining")).toBe("2");
		expect(first.headers.get("x-ratelimit-reset")).toBe(String(now / 1000 + 10));
		await a("GET", "/me");
		await a("GET", "/me");
		const limited = await a("GET", "/me");
		expect(limited.status).toBe(429);
		expect(at(limited.body, "errors", 0)).toEqual({
			code: "rate_limit_exceeded",
			message: "Exceeded rate limit of 3 in 10_seconds",
		});
		expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
		expect((await caller(emulator, "t-b")("GET", "/me")).status).toBe(200);
		now += 10_000;
		expect((await a("GET", "/me")).headers.get("x-ratelimit-remaining")).toBe("2");
	});

	it("takes the limit per minute as Intercom states it: a sixth per window, rounded up", async () => {
		const now = 1_700_000_005_000; // mid-window: the reset is still the window's end
		const per600 = createIntercomEmulator({ tokens: ["t"], rateLimitPerMinute: 600, now: () => now });
		const first = await caller(per600, "t")("GET", "/me");
		expect(first.headers.get("x-ratelimit-limit")).toBe("100");
		expect(first.headers.get("x-ratelimit-remaining")).toBe("99");
		expect(first.headers.get("x-ratelimit-reset")).toBe(String(1_700_000_010));
		const per1000 = createIntercomEmulator({ tokens: ["t"], rateLimitPerMinute: 1000 });
		expect((await caller(per1000, "t")("GET", "/me")).headers.get("x-ratelimit-limit")).toBe("167");
		expect(() => createIntercomEmulator({ rateLimitPerMinute: 0 })).toThrow(/whole number/);
	});

	it("injects faults: forced 429, 5xx, malformed JSON, latency, timeout", async () => {
		const emulator = createIntercomEmulator({ tokens: ["t-f"] });
		const call = caller(emulator, "t-f");
		emulator.inject({ kind: "rate_limit" });
		expect((await call("GET", "/me")).status).toBe(429);
		emulator.inject({ kind: "status", status: 503, times: 2, path: "/contacts" });
		expect((await call("GET", "/me")).status).toBe(200);
		expect((await call("GET", "/contacts/x")).status).toBe(503);
		expect((await call("GET", "/contacts/x")).status).toBe(503);
		expect((await call("GET", "/contacts/x")).status).toBe(404);
		emulator.inject({ kind: "malformed_json" });
		await expect(call("GET", "/me")).rejects.toThrow(SyntaxError);
		emulator.inject({ kind: "latency", ms: 120 });
		const started = Date.now();
		expect((await call("GET", "/me")).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(100);
		emulator.inject({ kind: "timeout", ms: 50 });
		expect((await call("GET", "/me")).status).toBe(408);
	});
});

describe("OAuth and regions over a real server", () => {
	let now = Date.now();
	const emulator = createIntercomEmulator({
		oauthClients: [
			{
				clientId: "client-1",
				clientSecret: "secret-1",
				redirectUris: ["https://site.example/oauth/callback"],
			},
		],
		apps: [{ appId: "au123456", region: "au" }],
		now: () => now,
	});
	let server: EmulatorServer;
	beforeAll(async () => {
		server = await emulator.listen();
	});
	afterAll(() => server.close());

	const authorize = async (region: "us" | "eu" | "au", state: string) => {
		const { app } = emulator.endpoints(region);
		const query = new URLSearchParams({
			client_id: "client-1",
			state,
			redirect_uri: "https://site.example/oauth/callback",
		});
		const page = await fetch(`${app}/oauth?${query}`);
		const html = await page.text();
		expect(page.status).toBe(200);
		expect(html).toContain('id="authorize"');
		// Submit the page's form as a browser would.
		const action = new URL(/action="([^"]+)"/.exec(html)?.[1] ?? "", page.url);
		const fields = Object.fromEntries(
			[...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
		);
		const res = await fetch(action, {
			method: "POST",
			body: new URLSearchParams({ ...fields, decision: "authorize" }),
			redirect: "manual",
		});
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get("location") ?? "");
		expect(`${location.origin}${location.pathname}`).toBe("https://site.example/oauth/callback");
		expect(location.searchParams.get("state")).toBe(state);
		return location.searchParams.get("code") ?? "";
	};
	const exchange = (region: "us" | "eu" | "au", body: BodyInit, type: string) =>
		fetch(`${emulator.endpoints(region).api}/auth/eagle/token`, {
			method: "POST",
			headers: { "Content-Type": type, Accept: "application/json" },
			body,
		});

	it("authorize → token (form) → API call on the region's base; the code is single-use", async () => {
		const code = await authorize("au", "st-1");
		const form = new URLSearchParams({ code, client_id: "client-1", client_secret: "secret-1" });
		const res = await exchange("au", form, "application/x-www-form-urlencoded");
		const tokens = (await res.json()) as { token: string; access_token: string; token_type: string };
		expect(res.status).toBe(200);
		expect(tokens.token_type).toBe("Bearer");
		expect(tokens.access_token).toBe(tokens.token);
		const me = await fetch(`${emulator.endpoints("au").api}/me`, {
			headers: { Authorization: `Bearer ${tokens.access_token}` },
		});
		const body = (await me.json()) as { app: { id_code: string; region: string } };
		expect(body.app).toMatchObject({ id_code: "au123456", region: "AU" });
		expect(emulator.requests.at(-1)).toMatchObject({ region: "au", path: "/me", status: 200 });
		const again = await exchange("au", form, "application/x-www-form-urlencoded");
		expect(again.status).toBe(401);
		expect(((await again.json()) as { type: string }).type).toBe("error.list");
	});

	it("rejects an expired code, a wrong secret and a redirect URI that is not registered", async () => {
		const expired = await authorize("eu", "st-2");
		now += CODE_TTL_MS + 1;
		const json = (code: string, secret = "secret-1") =>
			JSON.stringify({ code, client_id: "client-1", client_secret: secret });
		expect((await exchange("eu", json(expired), "application/json")).status).toBe(401);
		const fresh = await authorize("us", "st-3");
		expect((await exchange("us", json(fresh, "wrong"), "application/json")).status).toBe(401);
		const evil = await fetch(
			`${emulator.endpoints("us").app}/oauth?client_id=client-1&redirect_uri=https://evil.example/cb`,
		);
		expect(evil.status).toBe(400);
	});

	it("hands out distinct bases per region on one server", () => {
		const us = emulator.endpoints("us");
		const eu = emulator.endpoints("eu");
		expect(new Set([us.api, eu.api, emulator.endpoints("au").api]).size).toBe(3);
		expect(eu.api.startsWith(server.url)).toBe(true);
		expect(us.widget).toBe(eu.widget);
	});
});
