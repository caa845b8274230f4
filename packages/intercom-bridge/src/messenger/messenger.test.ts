import { createHmac as nodeHmac } from "node:crypto";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { jwtVerify } from "jose";
import { parse } from "parse5";
import { describe, expect, it } from "vitest";
import { intercomEndpoints } from "../intercom/endpoints.ts";
import { type SiteSettings, toSiteSettings } from "../settings/setting-keys.ts";
import type { Contact } from "../store/contact-store.ts";
import { buildMessengerSettings, type IntercomSettings } from "./build-messenger-settings.ts";
import { userHash } from "./identity.ts";
import { renderCacheSafeScript, renderInlineScript } from "./render-messenger-script.ts";

const GUID = "6f1c2a4e-8b7d-4c3e-9f10-1a2b3c4d5e6f";
const SECRET = "identity-verification-secret-123";

function contact(over: Partial<Contact> = {}): Contact {
	return {
		guid: GUID,
		email: "ada@example.com",
		firstName: "Ada",
		middleName: null,
		lastName: "Lovelace",
		jobTitle: null,
		address1: null,
		city: null,
		zip: null,
		mobilePhone: null,
		businessPhone: null,
		notes: null,
		companyName: "Analytical Engines",
		customFields: { plan: "pro" },
		createdAt: new Date(0),
		updatedAt: new Date(0),
		...over,
	};
}

function settings(over: Partial<SiteSettings> = {}): SiteSettings {
	return {
		...toSiteSettings(new Map()),
		enabled: true,
		appId: "abc123",
		identityVerificationSecret: SECRET,
		sendContactData: "always",
		...over,
	};
}

const decide = (s: SiteSettings, c: Contact | null, agreed: Record<string, boolean> = {}, options = {}) =>
	buildMessengerSettings({
		settings: s,
		visitor: { contact: c, agreed },
		options,
		endpoints: intercomEndpoints(s.region),
		now: () => 1_700_000_000_000,
	});

/** Runs the rendered script in a sandbox and returns what it put in window.intercomSettings. */
function evaluate(html: string): { settings: unknown; scripts: number } {
	const doc = parse(html);
	const scripts: string[] = [];
	const walk = (node: { nodeName: string; childNodes?: unknown[] }) => {
		if (node.nodeName === "script") {
			const text = (node.childNodes ?? []).map((n) => (n as { value?: string }).value ?? "").join("");
			scripts.push(text);
		}
		for (const child of node.childNodes ?? []) walk(child as { nodeName: string; childNodes?: unknown[] });
	};
	walk(doc as unknown as { nodeName: string; childNodes?: unknown[] });
	const window: Record<string, unknown> = { addEventListener: () => {} };
	const document = {
		readyState: "loading",
		createElement: () => ({ setAttribute() {} }),
		head: { appendChild() {} },
	};
	for (const s of scripts) runInNewContext(s, { window, document, setTimeout });
	return { settings: window.intercomSettings, scripts: scripts.length };
}

describe("Messenger settings (reference rules)", () => {
	it("renders nothing for a disabled site, a missing or invalid app id", () => {
		expect(decide(settings({ enabled: false }), contact())).toMatchObject({
			enabled: false,
			reason: "disabled",
		});
		expect(decide(settings({ appId: null }), contact())).toMatchObject({
			enabled: false,
			reason: "no-app-id",
		});
		expect(decide(settings({ appId: "x'+alert(1)+'" }), contact())).toMatchObject({ enabled: false });
	});

	it("sends user_id always, name and email as the policy allows, and a lowercase user_hash", () => {
		const d = decide(settings(), contact());
		if (!d.enabled) throw new Error("expected enabled");
		expect(d.settings).toMatchObject({
			app_id: "abc123",
			user_id: GUID,
			name: "Ada Lovelace",
			email: "ada@example.com",
		});
		expect(d.settings.user_hash).toBe(nodeHmac("sha256", SECRET).update(GUID).digest("hex"));
		expect(d.settings.user_hash).toMatch(/^[0-9a-f]{64}$/);
		// The Messenger's default (US) is left out: the Messenger uses it when none is given.
		expect("api_base" in d.settings).toBe(false);
		expect(d.widgetUrl).toBe("https://widget.intercom.io/widget/abc123");
		expect(JSON.stringify(d)).not.toContain(SECRET);
	});

	it("matches a user_hash computed independently with WebCrypto", async () => {
		const key = await crypto.subtle.importKey(
			"raw",
			new TextEncoder().encode(SECRET),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		const mac = Buffer.from(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(GUID))).toString(
			"hex",
		);
		expect(userHash(SECRET, GUID)).toBe(mac);
	});

	const policies = ["always", "never", "consent"] as const;
	const consentStates = { agreed: { data: true }, revoked: { data: false }, none: {} } as const;
	for (const policy of policies) {
		for (const [stateName, agreed] of Object.entries(consentStates)) {
			for (const anonymous of [false, true]) {
				it(`policy ${policy} × consent ${stateName} × ${anonymous ? "anonymous" : "known"}`, () => {
					const c = anonymous ? contact({ email: null, firstName: null, lastName: null }) : contact();
					const d = decide(settings({ sendContactData: policy, sendContactDataConsent: "data" }), c, agreed);
					if (!d.enabled) throw new Error("expected enabled");
					const allowed = policy === "always" || (policy === "consent" && stateName === "agreed");
					expect(d.settings.user_id).toBe(GUID);
					expect(d.dataAllowed).toBe(allowed);
					const expectPersonal = allowed && !anonymous;
					expect("name" in d.settings).toBe(expectPersonal);
					expect("email" in d.settings).toBe(expectPersonal);
				});
			}
		}
	}

	it('treats a last name starting with "Anonymous" as anonymous, as the reference does', () => {
		const d = decide(settings(), contact({ lastName: "Anonymous - 2026-11-25" }));
		expect(d.enabled && "email" in d.settings).toBe(false);
	});

	it("omits user_hash without a secret and sends no user data for a visitor without contact", () => {
		const noSecret = decide(settings({ identityVerificationSecret: null }), contact());
		expect(noSecret.enabled && "user_hash" in noSecret.settings).toBe(false);
		const visitor = decide(settings(), null);
		expect(visitor.enabled && Object.keys(visitor.settings).sort()).toEqual(["app_id"]);
	});

	it("uses the region's Messenger host", () => {
		const d = decide(settings({ region: "eu" }), contact());
		expect(d.enabled && d.settings.api_base).toBe("https://api-iam.eu.intercom.io");
	});

	it("in jwt mode signs user_id and the allowed fields, and keeps them out of the plain settings", async () => {
		const d = decide(
			settings({ identityMode: "jwt", sendContactData: "consent", sendContactDataConsent: "data" }),
			contact(),
			{ data: true },
		);
		if (!d.enabled) throw new Error("expected enabled");
		expect(Object.keys(d.settings).sort()).toEqual(["app_id", "intercom_user_jwt"]);
		const { payload, protectedHeader } = await jwtVerify(
			String(d.settings.intercom_user_jwt),
			new TextEncoder().encode(SECRET),
			{
				currentDate: new Date(1_700_000_000_000),
			},
		);
		expect(protectedHeader.alg).toBe("HS256");
		expect(Object.keys(payload).sort()).toEqual(["email", "exp", "iat", "name", "user_id"]);
		expect(payload).toMatchObject({
			user_id: GUID,
			email: "ada@example.com",
			name: "Ada Lovelace",
			exp: 1_700_000_000 + 7200,
		});

		const withheld = decide(
			settings({ identityMode: "jwt", sendContactData: "consent", sendContactDataConsent: "data" }),
			contact(),
			{ data: false },
		);
		if (!withheld.enabled) throw new Error("expected enabled");
		const { payload: p2 } = await jwtVerify(
			String(withheld.settings.intercom_user_jwt),
			new TextEncoder().encode(SECRET),
			{
				currentDate: new Date(1_700_000_000_000),
			},
		);
		expect(Object.keys(p2).sort()).toEqual(["exp", "iat", "user_id"]);
		await expect(
			jwtVerify(String(d.settings.intercom_user_jwt), new TextEncoder().encode("wrong-secret-123")),
		).rejects.toThrow();
	});

	it("adds mapped custom attributes and company only when data may be sent", () => {
		const options = {
			customAttributes: { plan: "customFields.plan", company_name: "companyName" },
			company: (c: Contact) => ({ id: "c1", name: c.companyName ?? "" }),
		};
		const yes = decide(settings(), contact(), {}, options);
		expect(yes.enabled && yes.settings).toMatchObject({
			plan: "pro",
			company_name: "Analytical Engines",
			company: { id: "c1" },
		});
		const no = decide(settings({ sendContactData: "never" }), contact(), {}, options);
		expect(no.enabled && ("plan" in no.settings || "company" in no.settings)).toBe(false);
	});

	it("gates loading on a consent", () => {
		expect(decide(settings(), contact(), {}, { loadAfterConsent: "cookies" })).toMatchObject({
			enabled: false,
			reason: "consent-required",
		});
		expect(decide(settings(), contact(), { cookies: true }, { loadAfterConsent: "cookies" }).enabled).toBe(
			true,
		);
	});
});

describe("Messenger script (safe for an inline script)", () => {
	const hostile = [
		"</script><script>alert(1)</script>",
		"</SCRIPT >",
		"<!--<script>",
		"\u2028\u2029",
		// biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile value on purpose
		"\"'\\`${x}",
		"\uD800",
		"😀 Zoë",
		"&amp;<b>",
	];

	it.each(hostile)("keeps %j inside one script and round-trips it", (name) => {
		const s: IntercomSettings = {
			app_id: "abc123",
			api_base: "https://api-iam.intercom.io",
			name,
			email: name,
		};
		const html = renderInlineScript(s, "https://widget.intercom.io/widget/abc123", { nonce: 'n"0<' });
		expect(html).not.toMatch(/<\/script>[\s\S]*<\/script>/i); // exactly one closing tag
		expect(html).toContain('nonce="n&#34;0&#60;"');
		expect(html).toContain('data-cfasync="false"');
		const run = evaluate(html);
		expect(run.scripts).toBe(1);
		expect(run.settings).toEqual(JSON.parse(JSON.stringify(s)));
	});

	it("round-trips any string (property)", () => {
		fc.assert(
			fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (name, email) => {
				const s = { app_id: "abc123", api_base: "x", name, email };
				const run = evaluate(`<!doctype html><html><body>${renderInlineScript(s, "u")}</body></html>`);
				expect(run.scripts).toBe(1);
				expect(run.settings).toEqual(JSON.parse(JSON.stringify(s)));
			}),
			{ numRuns: 300 },
		);
	});

	it("cache-safe script holds no visitor data", () => {
		const html = renderCacheSafeScript("/intercom/messenger/settings", { nonce: "abc" });
		expect(html).toContain('"/intercom/messenger/settings"');
		expect(html).not.toMatch(/user_id|user_hash|email/);
		expect(evaluate(html).scripts).toBe(1);
	});
});
