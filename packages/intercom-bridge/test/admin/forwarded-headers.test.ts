/**
 * With trustProxy, X-Forwarded-Host and X-Forwarded-Proto are read by their last (nearest) entry:
 * a proxy that appends keeps the client's own value in front, so the first entry is the client's
 * to choose. Checked where it matters: the console's OAuth redirect URI and webhook URLs, the
 * session cookie's Secure flag, and which site a webhook is for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import { type AdminFixture, adminFixture, browser, hidden, PASSWORD } from "./admin-harness.ts";

/** What a client sends ("evil", "http") followed by what an appending proxy adds. */
const PROXIED = {
	"x-forwarded-host": "evil.example, real.example",
	"x-forwarded-proto": "http, https",
};

let f: AdminFixture;
beforeAll(async () => {
	f = await adminFixture({ trustProxy: true });
});
afterAll(async () => {
	await f.close();
});

describe("forwarded host and scheme behind a trusted proxy", () => {
	it("sets the __Host- Secure session cookie and uses the nearest host for the OAuth redirect URI", async () => {
		const b = browser(f.app);
		const login = await (await b.get("/admin/login", PROXIED)).text();
		const signedIn = await b.post(
			"/admin/login",
			{ _login: hidden(login, "_login"), next: "/admin", email: "admin@example.com", password: PASSWORD },
			PROXIED,
		);
		expect(signedIn.status).toBe(303);
		const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith("__Host-ib_admin="));
		expect(cookie).toMatch(/Secure/);

		const site = await f.store.requireSite("default");
		await f.store.setSetting(site.id, "clientId", "client-1");
		await f.store.setSetting(site.id, "clientSecret", "client-secret-value-1");
		const page = await (await b.get("/admin/sites/default/data-access", PROXIED)).text();
		expect(page).toContain("https://real.example/admin/oauth/callback");
		expect(page).not.toContain("evil.example");

		const csrf = hidden(page, "_csrf");
		const start = await b.post("/admin/sites/default/oauth/start", { _csrf: csrf }, PROXIED);
		expect(start.status).toBe(303);
		const authorize = new URL(start.headers.get("location") ?? "");
		expect(authorize.searchParams.get("redirect_uri")).toBe("https://real.example/admin/oauth/callback");

		const webhooks = await (await b.get("/admin/sites/default/webhooks", PROXIED)).text();
		expect(webhooks).toContain("https://real.example/intercom/updatecontact");
		expect(webhooks).not.toContain("evil.example");
	});

	it("resolves a webhook's site by the nearest X-Forwarded-Host", async () => {
		const real = await f.store.createSite({
			codeName: "real",
			displayName: "Real",
			hostNames: ["real.example"],
		});
		await f.store.createSite({ codeName: "evil", displayName: "Evil", hostNames: ["evil.example"] });
		await f.store.setSetting(real.id, "enabled", "true");
		await f.store.ensureWebhookApiKeys();
		const apiKey = (await f.store.getSettings(real.id)).webhookApiKey ?? "";
		const bridge = createIntercomBridge({
			store: f.store,
			logger: createLogger({ level: "silent" }),
			trustProxy: true,
		});
		const res = await bridge.handler(
			new Request("http://internal:8080/intercom/updatecontact", {
				method: "POST",
				headers: { ...PROXIED, "content-type": "application/json", "x-api-key": apiKey },
				body: JSON.stringify({ ContactGUID: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b" }),
			}),
		);
		// The real site's key is accepted (the contact does not exist): the site was real.example's.
		expect(res.status).toBe(404);
		expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
			/^Contact not found/,
		);
	});
});
