import { describe, expect, it } from "vitest";
import { requestOrigin } from "../http/request-info.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import { apiKeyOf, authenticateWebhook, verifyApiKey, verifySignature } from "./verify-webhook-auth.ts";

const BODY = new TextEncoder().encode('{"type":"notification_event","id":"notif_1"}');
// printf '%s' "$BODY" | openssl dgst -sha1 -hmac 'client-secret'
const DIGEST = "13797c35881a6d148849117ba78d4c0cb600d405";

describe("verifySignature", () => {
	it.each([
		[`sha1=${DIGEST}`, true],
		[`sha1=${DIGEST.toUpperCase()}`, true],
		[` sha1=${DIGEST} `, true],
		[`sha256=${DIGEST}`, false],
		[`sha1=${DIGEST.slice(1)}`, false],
		[`sha1=${DIGEST}00`, false],
		[`sha1=${DIGEST.slice(1)}z`, false],
		[`sha1=${DIGEST}, sha1=${DIGEST}`, false],
		["", false],
	])("%s → %s", (header, ok) => {
		expect(verifySignature(BODY, header, "client-secret").ok).toBe(ok);
	});

	it("fails closed without a secret", () => {
		expect(verifySignature(BODY, `sha1=${DIGEST}`, null)).toEqual({
			ok: false,
			reason: expect.stringContaining("no clientSecret"),
		});
	});
});

describe("API keys", () => {
	const settings = (rotatedAt: number) => ({
		webhookApiKey: "current-key-0123456789",
		previousWebhookApiKeys: [{ key: "previous-key-0123456789", replacedAt: new Date(rotatedAt) }],
	});

	it("reads X-Api-Key, XperienceApiKey and Bearer, in that order", () => {
		expect(apiKeyOf(new Headers({ "x-api-key": "a", xperienceapikey: "b", authorization: "Bearer c" }))).toBe(
			"a",
		);
		expect(apiKeyOf(new Headers({ XperienceApiKey: "b", authorization: "Bearer c" }))).toBe("b");
		expect(apiKeyOf(new Headers({ authorization: "bearer  c " }))).toBe("c");
		expect(apiKeyOf(new Headers({ authorization: "Basic c" }))).toBeNull();
	});

	it("accepts the previous key only within the grace period", () => {
		const at = 1_000_000;
		const check = (key: string, now: number) => verifyApiKey(key, settings(at), { now, gracePeriodMs: 1000 });
		expect(check("current-key-0123456789", at + 5000)).toEqual({ ok: true, method: "apiKey" });
		expect(check("previous-key-0123456789", at + 1000)).toEqual({ ok: true, method: "previousApiKey" });
		expect(check("previous-key-0123456789", at + 1001).ok).toBe(false);
		expect(check("current-key-012345678", at).ok).toBe(false);
		expect(verifyApiKey(null, settings(at), { now: at, gracePeriodMs: 1000 }).ok).toBe(false);
	});

	it("accepts each replaced key until its own grace period ends", () => {
		const keys = {
			webhookApiKey: "third-key-0123456789",
			previousWebhookApiKeys: [
				{ key: "second-key-0123456789", replacedAt: new Date(5000) },
				{ key: "first-key-0123456789", replacedAt: new Date(2000) },
			],
		};
		const check = (key: string, now: number) => verifyApiKey(key, keys, { now, gracePeriodMs: 1000 });
		expect(check("first-key-0123456789", 3000)).toEqual({ ok: true, method: "previousApiKey" });
		expect(check("first-key-0123456789", 3001)).toEqual({
			ok: false,
			reason: "a replaced API key whose grace period is over",
		});
		expect(check("second-key-0123456789", 3001)).toEqual({ ok: true, method: "previousApiKey" });
		expect(check("second-key-0123456789", 6000)).toEqual({ ok: true, method: "previousApiKey" });
		expect(check("second-key-0123456789", 6001).ok).toBe(false);
		expect(check("third-key-0123456789", 1_000_000)).toEqual({ ok: true, method: "apiKey" });
		expect(check("fourth-key-0123456789", 3000)).toEqual({ ok: false, reason: "wrong API key" });
	});

	it("does not fall back to the key when a signature header is present", () => {
		const headers = new Headers({
			"x-hub-signature": `sha1=${"0".repeat(40)}`,
			"x-api-key": "current-key-0123456789",
		});
		const site = { ...settings(0), clientSecret: "client-secret" } as unknown as SiteSettings;
		expect(authenticateWebhook({ headers, bytes: BODY, settings: site, now: 0, gracePeriodMs: 0 }).ok).toBe(
			false,
		);
		headers.delete("x-hub-signature");
		expect(authenticateWebhook({ headers, bytes: BODY, settings: site, now: 0, gracePeriodMs: 0 }).ok).toBe(
			true,
		);
		expect(
			authenticateWebhook({
				headers,
				bytes: BODY,
				settings: site,
				now: 0,
				gracePeriodMs: 0,
				requireSignature: true,
			}).ok,
		).toBe(false);
	});
});

describe("the webhook site host (requestOrigin)", () => {
	const request = new Request("http://internal:8080/intercom/updatecontact", {
		headers: { host: "internal:8080", "x-forwarded-host": "evil.example, www.example.com" },
	});
	it("uses X-Forwarded-Host only behind a trusted proxy, and its nearest entry", () => {
		expect(requestOrigin(request, false).host).toBe("internal:8080");
		expect(requestOrigin(request, true).host).toBe("www.example.com");
	});
});

describe("a replaced client secret", () => {
	const HOUR = 3_600_000;
	const site = (replacedAt: number) =>
		({
			clientSecret: "new-client-secret",
			previousClientSecret: { secret: "client-secret", replacedAt: new Date(replacedAt) },
			webhookApiKey: null,
			previousWebhookApiKeys: [],
		}) as unknown as SiteSettings;
	const signedWithOld = new Headers({ "x-hub-signature": `sha1=${DIGEST}` });
	const check = (settings: SiteSettings, now: number) =>
		authenticateWebhook({ headers: signedWithOld, bytes: BODY, settings, now, gracePeriodMs: 24 * HOUR });

	it("still verifies signatures made with it during the grace period", () => {
		expect(check(site(0), 23 * HOUR)).toEqual({ ok: true, method: "previousSignature" });
	});

	it("refuses them once the grace period is over, saying why", () => {
		expect(check(site(0), 25 * HOUR)).toEqual({
			ok: false,
			reason: "signed with the previous clientSecret, whose grace period is over",
		});
	});

	it("prefers the current secret and refuses a signature made with neither", () => {
		const current = { ...site(0), clientSecret: "client-secret", previousClientSecret: null } as SiteSettings;
		expect(check(current, 0)).toEqual({ ok: true, method: "signature" });
		const headers = new Headers({ "x-hub-signature": `sha1=${"0".repeat(40)}` });
		expect(
			authenticateWebhook({ headers, bytes: BODY, settings: site(0), now: 0, gracePeriodMs: 24 * HOUR }),
		).toEqual({ ok: false, reason: "X-Hub-Signature does not match the body" });
	});
});
