import { describe, expect, it } from "vitest";
import { ConfigError, OAuthError } from "../errors.ts";
import type { AdminWithApp } from "./intercom-types.ts";
import { authorizationUrl, exchangeCode, workspaceOf } from "./oauth.ts";
import { errorList, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

const SECRET = "shh-client-secret-42";
const CODE = "code-abc-987";

describe("authorizationUrl", () => {
	it.each([
		["us", "https://app.intercom.com/oauth"],
		["eu", "https://app.eu.intercom.com/oauth"],
		["au", "https://app.au.intercom.com/oauth"],
	] as const)("points region %s at %s with client_id, state and redirect_uri only", (region, base) => {
		const url = new URL(
			authorizationUrl({
				clientId: "cid",
				state: "s t&x",
				redirectUri: "https://example.com/cb?a=1",
				region,
			}),
		);
		expect(`${url.origin}${url.pathname}`).toBe(base);
		expect([...url.searchParams]).toEqual([
			["client_id", "cid"],
			["state", "s t&x"],
			["redirect_uri", "https://example.com/cb?a=1"],
		]);
	});

	it("uses overriding endpoints and requires a state", () => {
		const endpoints = {
			api: "http://127.0.0.1:9/api",
			messenger: "",
			app: "http://127.0.0.1:9/app",
			widget: "",
		};
		expect(authorizationUrl({ clientId: "c", state: "s", redirectUri: "r", endpoints })).toMatch(
			/^http:\/\/127\.0\.0\.1:9\/app\/oauth\?client_id=c&/,
		);
		expect(() => authorizationUrl({ clientId: "c", state: "", redirectUri: "r" })).toThrow(ConfigError);
	});
});

describe("exchangeCode", () => {
	it("posts code, client id and secret to a regional token endpoint when asked, and reads access_token", async () => {
		const { fetch, calls } = scriptedFetch(() =>
			json(200, { token: "old-field", access_token: "tok-1", token_type: "Bearer" }),
		);
		const result = await exchangeCode({
			code: CODE,
			clientId: "cid",
			clientSecret: SECRET,
			region: "eu",
			fetch,
		});
		expect(result).toEqual({ token: "tok-1", tokenType: "Bearer" });
		expect(calls[0]?.url.href).toBe("https://api.eu.intercom.io/auth/eagle/token");
		expect(calls[0]?.method).toBe("POST");
		expect(Object.fromEntries(new URLSearchParams(String(calls[0]?.body)))).toEqual({
			code: CODE,
			client_id: "cid",
			client_secret: SECRET,
		});
	});

	it("falls back to the `token` field, at Intercom's documented global endpoint by default", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, { token: "tok-2" }));
		expect(await exchangeCode({ code: CODE, clientId: "cid", clientSecret: SECRET, fetch })).toEqual({
			token: "tok-2",
			tokenType: "Bearer",
		});
		expect(calls[0]?.url.href).toBe("https://api.intercom.io/auth/eagle/token");
	});

	it("turns an error.list into an OAuthError without the secret or code", async () => {
		const { fetch } = scriptedFetch(() => errorList(401, "unauthorized", "Invalid client secret"));
		const err = await exchangeCode({ code: CODE, clientId: "cid", clientSecret: SECRET, fetch }).catch(
			(e: unknown) => e,
		);
		expect(err).toBeInstanceOf(OAuthError);
		expect(err).toMatchObject({ oauthCode: "unauthorized" });
		const message = (err as Error).message;
		expect(message).toContain("Invalid client secret");
		expect(message).toMatch(/expires after about 5 minutes/);
		expect(message).not.toContain(SECRET);
		expect(message).not.toContain(CODE);
	});

	it("reports a non-JSON answer and an answer without a token", async () => {
		const html = scriptedFetch(() => new Response("<html>Bad gateway</html>", { status: 502 }));
		await expect(
			exchangeCode({ code: CODE, clientId: "c", clientSecret: SECRET, fetch: html.fetch }),
		).rejects.toMatchObject({
			oauthCode: "invalid_response",
			message: expect.stringMatching(/502 with a body that is not JSON/),
		});
		const empty = scriptedFetch(() => json(200, { token_type: "Bearer" }));
		await expect(
			exchangeCode({ code: CODE, clientId: "c", clientSecret: SECRET, fetch: empty.fetch }),
		).rejects.toMatchObject({
			oauthCode: "invalid_response",
			message: expect.stringMatching(/without a token/),
		});
	});

	it("times out", async () => {
		const hang = (() => new Promise<Response>(() => {})) as typeof fetch;
		await expect(
			exchangeCode({ code: CODE, clientId: "c", clientSecret: SECRET, fetch: hang, timeoutMs: 20 }),
		).rejects.toMatchObject({ oauthCode: "timeout" });
	});
});

describe("workspaceOf", () => {
	const me = (app: Record<string, unknown> | undefined) =>
		({ type: "admin", app }) as unknown as AdminWithApp;

	it("reads the App ID and the region of /me, whatever the region's case", () => {
		expect(workspaceOf(me({ id_code: "abc123", region: "US" }))).toEqual({ appId: "abc123", region: "us" });
		expect(workspaceOf(me({ id_code: "abc123", region: "eu" }))).toEqual({ appId: "abc123", region: "eu" });
		expect(workspaceOf(me({ id_code: "abc123", region: " AU " }))).toEqual({ appId: "abc123", region: "au" });
	});

	it("gives null rather than guess when a value is missing or unknown", () => {
		expect(workspaceOf(me(undefined))).toBeNull();
		expect(workspaceOf(me({ id_code: "abc123" }))).toBeNull();
		expect(workspaceOf(me({ id_code: "abc123", region: "Mars" }))).toBeNull();
		expect(workspaceOf(me({ id_code: "", region: "US" }))).toBeNull();
	});
});
