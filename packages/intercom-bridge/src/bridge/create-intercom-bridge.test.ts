import { afterEach, describe, expect, it } from "vitest";
import { BROWSER_UA, createTestBridge } from "../../test/harness/test-bridge.ts";
import type { Store } from "../store/create-store.ts";
import type { IntercomBridgeOptions } from "./bridge-options.ts";
import { createIntercomBridge } from "./create-intercom-bridge.ts";

const UA = BROWSER_UA;

const stores: Store[] = [];
afterEach(async () => {
	await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function setup(
	options: Partial<IntercomBridgeOptions> = {},
	siteSettings: Record<string, string> = {},
) {
	const fixture = await createTestBridge(options, siteSettings);
	stores.push(fixture.store);
	return fixture;
}

const page = (cookie?: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
	new Request("https://shop.example.com/products", {
		...init,
		headers: { "user-agent": UA, accept: "text/html", ...(cookie ? { cookie } : {}), ...init.headers },
	});

const cookieOf = (setCookie: string | null) => (setCookie ?? "").split(";")[0] ?? "";

describe("createIntercomBridge: visitors", () => {
	it("creates an anonymous contact on the first page view and sets a signed, HttpOnly cookie", async () => {
		const { bridge, store } = await setup();
		const visit = await bridge.visit(page());
		expect(visit.contact).not.toBeNull();
		expect(visit.setCookie).toMatch(
			/^ib_contact=[0-9a-f-]{36}\.[\w-]{22}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
		);
		const again = await bridge.visit(page(cookieOf(visit.setCookie)));
		expect(again.contact?.guid).toBe(visit.contact?.guid);
		expect(again.setCookie).toBeNull();
		expect((await store.listContacts()).total).toBe(1);
	});

	it("costs one indexed read and no write for a known contact's page view, none when seen moments ago", async () => {
		const { bridge, queries, store } = await setup();
		const first = await bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		// Another bridge on the same store stands for a process that has not seen this visitor yet.
		const other = createIntercomBridge({ store, logger: bridge.options.logger });
		await other.messenger.script(page(undefined, { headers: { "user-agent": "curl/8" } })); // warms the settings cache only
		queries.length = 0;
		const html = await other.messenger.script(page(cookie));
		expect(html).toContain(first.contact?.guid);
		expect(queries).toHaveLength(1);
		expect(queries[0]).toMatch(/^select /i);
		// By GUID or merged GUID, through the primary key (see the store conformance suite's plan check).
		expect(queries[0]).toMatch(/"contacts"\."guid" in \(select \$\d+::uuid union all/);
		queries.length = 0;
		expect(await other.messenger.script(page(cookie))).toContain(first.contact?.guid);
		expect(queries).toHaveLength(0);
	});

	it("ignores a cookie whose signature does not match (no borrowing another contact's GUID)", async () => {
		const { bridge, store } = await setup();
		const victim = await store.createContact({ email: "victim@example.com" });
		const forged = `ib_contact=${victim.guid}.AAAAAAAAAAAAAAAAAAAAAA`;
		const visit = await bridge.visit(page(forged));
		expect(visit.contact?.guid).not.toBe(victim.guid);
		expect(await bridge.messenger.script(page(forged))).not.toContain(victim.guid);
	});

	it("creates no contact for bots, prefetches, POSTs, or before the tracking consent", async () => {
		const { bridge, store } = await setup();
		await bridge.visit(
			page(undefined, { headers: { "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" } }),
		);
		await bridge.visit(page(undefined, { headers: { "sec-purpose": "prefetch" } }));
		await bridge.visit(page(undefined, { method: "POST" }));
		await bridge.visit(new Request("https://shop.example.com/", {}));
		expect((await store.listContacts()).total).toBe(0);
		const gated = await setup({ tracking: { consent: "data" } });
		expect((await gated.bridge.visit(page())).contact).toBeNull();
		expect((await gated.store.listContacts()).total).toBe(0);
	});

	it("identifies a visitor; an email owned by another contact is merged only when verified", async () => {
		const { bridge, store } = await setup();
		const owner = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const first = await bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		const unverified = await bridge.contacts.identify(page(cookie), {
			email: "ada@example.com",
			city: "London",
		});
		expect(unverified).toMatchObject({ merged: false, emailConflict: true });
		expect(unverified.contact.guid).toBe(first.contact?.guid);
		expect(unverified.contact.email).toBeNull();
		expect(unverified.contact.city).toBe("London");

		const verified = await bridge.contacts.identify(
			page(cookie),
			{ email: "ada@example.com" },
			{ verified: true },
		);
		expect(verified).toMatchObject({ merged: true, emailConflict: false });
		expect(verified.contact.guid).toBe(owner.guid);
		expect(verified.contact.city).toBe("London");
		expect(cookieOf(verified.setCookie)).toContain(owner.guid);
		// The old cookie still resolves, and the next visit moves the cookie to the survivor.
		const old = await bridge.visit(page(cookie));
		expect(old.contact?.guid).toBe(owner.guid);
		expect(cookieOf(old.setCookie)).toContain(owner.guid);

		const fresh = await bridge.contacts.identify(page(), { email: "new@example.com", firstName: "New" });
		expect(fresh.contact.email).toBe("new@example.com");
		expect(fresh.setCookie).toContain(fresh.contact.guid);
	});
});

describe("createIntercomBridge: Messenger", () => {
	it("sends name and email only after the data consent, and stops after revoke", async () => {
		const { bridge, store } = await setup();
		const first = await bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		await store.updateContact(first.contact?.guid ?? "", { email: "ada@example.com", firstName: "Ada" });
		expect(await bridge.messenger.script(page(cookie))).not.toContain("ada@example.com");
		await bridge.consents.agree(page(cookie), "data");
		expect(await bridge.messenger.script(page(cookie))).toContain("ada@example.com");
		const revoked = await bridge.consents.revoke(page(cookie), "data");
		expect(revoked?.shutdown).toBe(true);
		const after = await bridge.messenger.script(page(cookie));
		expect(after).not.toContain("ada@example.com");
		expect(after).toContain(first.contact?.guid);
	});

	it("renders nothing for a disabled site and a cache-safe page without visitor data", async () => {
		const off = await setup({}, { enabled: "false" });
		expect(await off.bridge.messenger.script(page())).toBe("");
		const safe = await setup({ messenger: { cacheSafe: true } });
		const visit = await safe.bridge.visit(page());
		const html = await safe.bridge.messenger.script(page(cookieOf(visit.setCookie)), { nonce: "r4nd0m" });
		expect(html).toContain('nonce="r4nd0m"');
		expect(html).not.toContain(visit.contact?.guid);
		const res = await safe.bridge.handler(
			new Request("https://shop.example.com/intercom/messenger/settings", {
				headers: { cookie: cookieOf(visit.setCookie), "user-agent": UA },
			}),
		);
		expect(res.headers.get("cache-control")).toContain("no-store");
		const body = await res.json();
		expect(body.settings.user_id).toBe(visit.contact?.guid);
		expect(body.settings.user_hash).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe("createIntercomBridge: live-site routes", () => {
	const post = (path: string, headers: Record<string, string>) =>
		new Request(`https://shop.example.com/intercom${path}`, {
			method: "POST",
			headers: { "user-agent": UA, ...headers },
		});

	it("refuses consent changes from other origins and unknown consents", async () => {
		const { bridge } = await setup();
		expect(
			(await bridge.handler(post("/consents/data/agree", { "sec-fetch-site": "cross-site" }))).status,
		).toBe(403);
		expect(
			(await bridge.handler(post("/consents/data/agree", { origin: "https://evil.example" }))).status,
		).toBe(403);
		expect((await bridge.handler(post("/consents/data/agree", {}))).status).toBe(403);
		const missing = await bridge.handler(
			post("/consents/nope/agree", { origin: "https://shop.example.com" }),
		);
		expect(missing.status).toBe(404);
		expect((await missing.json()).error.message).toBe('No consent "nope".');
	});

	it("agrees from the same origin, creating the contact and its cookie", async () => {
		const { bridge, store } = await setup({ tracking: { consent: "data" } });
		const res = await bridge.handler(post("/consents/data/agree", { "sec-fetch-site": "same-origin" }));
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ consent: "data", agreed: true, shutdown: false });
		const setCookie = res.headers.get("set-cookie");
		expect(setCookie).toContain("HttpOnly");
		const states = await bridge.handler(
			new Request("https://shop.example.com/intercom/consents", { headers: { cookie: cookieOf(setCookie) } }),
		);
		expect((await states.json()).consents[0]).toMatchObject({ codeName: "data", agreed: true });
		expect((await store.listContacts()).total).toBe(1);
		const revoke = await bridge.handler(
			post("/consents/data/revoke", { "sec-fetch-site": "same-origin", cookie: cookieOf(setCookie) }),
		);
		expect(await revoke.json()).toMatchObject({ agreed: false, shutdown: true });
	});

	it("serves the browser module and 404s unknown paths", async () => {
		const { bridge } = await setup();
		const js = await bridge.handler(new Request("https://shop.example.com/intercom/browser.js"));
		expect(js.headers.get("content-type")).toContain("javascript");
		expect(await js.text()).toContain("window.IntercomBridge=");
		expect((await bridge.handler(new Request("https://shop.example.com/intercom/nope"))).status).toBe(404);
	});

	it("answers 503, not 500, when the database is gone", async () => {
		const { bridge, store } = await setup();
		await store.close();
		const res = await bridge.handler(
			new Request("https://shop.example.com/intercom/consents", { headers: { cookie: "x=y" } }),
		);
		expect([200, 503]).toContain(res.status); // settings may still be cached; no contact read is needed
		const agree = await bridge.handler(post("/consents/data/agree", { "sec-fetch-site": "same-origin" }));
		expect(agree.status).toBe(503);
		expect(agree.headers.get("retry-after")).toBe("5");
	});

	it("checks its options once with messages that say the fix", () => {
		expect(() => createIntercomBridge({} as IntercomBridgeOptions)).toThrow(/options.store is required/);
		expect(() =>
			createIntercomBridge({
				store: stores[0] ?? ({ getSettings() {} } as unknown as Store),
				basePath: "intercom/x y",
			}),
		).toThrow(/basePath/);
	});
});

describe("createIntercomBridge: one visit per request", () => {
	it("still creates the contact on a page view when a read-only look-up came first", async () => {
		const { bridge } = await setup();
		const request = page();
		expect(await bridge.consents.isAgreed(request, "data")).toBe(false);
		expect(await bridge.contacts.current(request)).toBeNull();
		const html = await bridge.messenger.script(request);
		expect(html).toMatch(/"user_id":"[0-9a-f-]{36}"/);
		const res = await bridge.applyCookies(request, new Response("ok"));
		expect(res.headers.get("set-cookie")).toMatch(/^ib_contact=/);
	});
});
