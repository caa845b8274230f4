import { describe, expect, it } from "vitest";
import {
	decodePreviousWebhookApiKeys,
	encodePreviousWebhookApiKeys,
	maskSecret,
	parseSetting,
	SETTING_KEYS,
	toSiteSettings,
} from "./setting-keys.ts";

describe("setting keys", () => {
	it("has exactly the documented keys", () => {
		expect(SETTING_KEYS).toEqual([
			"enabled",
			"appId",
			"clientId",
			"clientSecret",
			"identityVerificationSecret",
			"sendContactData",
			"sendContactDataConsent",
			"onWithdrawal",
			"syncContacts",
			"region",
			"identityMode",
			"accessToken",
			"webhookDedupField",
			"webhookApiKey",
		]);
	});

	it.each([
		["enabled", "On", "true"],
		["enabled", "0", "false"],
		["region", "AU", "au"],
		["identityMode", "jwt", "jwt"],
		["sendContactData", "consent", "consent"],
		["onWithdrawal", "Delete", "delete"],
		["onWithdrawal", "scrub", "scrub"],
		["syncContacts", "yes", "true"],
		["webhookDedupField", " EventId ", "EventId"],
		["appId", " a1b2c3 ", "a1b2c3"],
	])("normalises %s=%s", (key, raw, expected) => {
		expect(parseSetting(key, raw).value).toBe(expected);
	});

	it.each([
		["enabled", "perhaps", /Allowed values: true, false/],
		["appId", "ABC", /lowercase letters and digits/],
		["appId", "<script>", /lowercase letters and digits/],
		["identityMode", "rsa", /Allowed values: hash, jwt/],
		["onWithdrawal", "forget", /Allowed values: stop, scrub, delete/],
		["syncContacts", "sometimes", /Allowed values: true, false/],
		["clientId", "a\nb", /control characters/],
		["webhookApiKey", "short", /16 to 200 characters/],
		["webhookDedupField", "Event Id", /a body field name/],
		["webhookDedupField", "1st", /a body field name/],
		["nope", "x", /Unknown setting "nope"/],
	])("rejects %s=%j", (key, raw, message) => {
		expect(() => parseSetting(key, raw)).toThrow(message);
	});

	it("applies defaults for missing or unknown stored values", () => {
		const s = toSiteSettings(new Map([["region", { value: "mars", updatedAt: new Date() }]]));
		expect(s).toMatchObject({
			enabled: false,
			region: "us",
			identityMode: "hash",
			sendContactData: "never",
			onWithdrawal: "stop",
			syncContacts: false,
			appId: null,
		});
	});

	it("masks secrets", () => {
		expect(maskSecret(null)).toBe("not set");
		expect(maskSecret("short")).toBe("set");
		expect(maskSecret("0123456789abcdef4f2a")).toBe("set, ends with …4f2a");
	});
});

describe("replaced webhook API keys", () => {
	const at = (iso: string) => new Date(iso);
	it("reads the list and a single previous key stored by older versions, newest first", () => {
		const values = new Map([
			[
				"webhookApiKey.previousKeys",
				{
					value: encodePreviousWebhookApiKeys([
						{ key: "second-key-0123456789", replacedAt: at("2026-12-01T11:00:00Z") },
					]),
					updatedAt: at("2026-12-01T11:00:00Z"),
				},
			],
			["webhookApiKey.previous", { value: "first-key-0123456789", updatedAt: at("2026-12-01T10:00:00Z") }],
		]);
		expect(toSiteSettings(values).previousWebhookApiKeys).toEqual([
			{ key: "second-key-0123456789", replacedAt: at("2026-12-01T11:00:00Z") },
			{ key: "first-key-0123456789", replacedAt: at("2026-12-01T10:00:00Z") },
		]);
	});

	it("counts anything malformed as no key", () => {
		for (const stored of ["", "not json", "{}", '[{"key":1,"replacedAt":2}]', '[{"key":"k"}]', "[null]"]) {
			expect(decodePreviousWebhookApiKeys(stored), stored).toEqual([]);
		}
	});
});
