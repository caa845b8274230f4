import { afterEach, describe, expect, it, vi } from "vitest";
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
	storeClock?: () => number,
) {
	const fixture = await createTestBridge(options, siteSettings, storeClock);
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

	it("a cache-safe page carries no Set-Cookie and creates no contact (a shared cache keeps it)", async () => {
		const { bridge, store } = await setup({ messenger: { cacheSafe: true } });
		const fresh = await bridge.messenger.page(page());
		expect(fresh.html).toContain("/intercom/messenger/settings");
		expect(fresh.setCookie).toBeNull();
		expect(fresh.cacheControl).toBeNull(); // the same for everyone: the site's own caching applies
		expect((await store.listContacts()).total).toBe(0);
		// A known visitor whose contact was merged away also gets no cookie from the page itself.
		const visit = await bridge.visit(page());
		const survivor = await store.createContact({ email: "kept@example.com" });
		await store.mergeContacts(visit.contact?.guid ?? "", survivor.guid);
		const merged = await bridge.messenger.page(page(cookieOf(visit.setCookie)));
		expect(merged.setCookie).toBeNull();
		expect(merged.html).not.toContain(survivor.guid);
		// The settings endpoint (no-store) is where the visitor is identified, and created if need be.
		const res = await bridge.handler(
			new Request("https://shop.example.com/intercom/messenger/settings", { headers: { "user-agent": UA } }),
		);
		expect(res.headers.get("cache-control")).toContain("no-store");
		expect(res.headers.get("set-cookie")).toContain("ib_contact=");
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

describe("createIntercomBridge: cached page views", () => {
	/** A request as the node adapter passes it: no Fetch objects, only what the bridge reads. */
	const view = (cookie: string, headers: Record<string, string> = {}, connection?: object) => {
		const all: Record<string, string> = {
			host: "shop.example.com",
			"user-agent": UA,
			accept: "text/html",
			cookie,
			...headers,
		};
		return {
			url: "https://shop.example.com/products",
			method: "GET",
			headers: { get: (name: string) => all[name] ?? null },
			connection,
		};
	};

	/** A bridge whose store runs on `clock.now`, and a known visitor whose page was rendered once. */
	async function known(options: Partial<IntercomBridgeOptions> = {}, settings: Record<string, string> = {}) {
		const clock = { now: Date.now() };
		const fixture = await setup(options, settings, () => clock.now);
		const first = await fixture.bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		const guid = first.contact?.guid ?? "";
		// The first page view of a known visitor resolves it; the next ones come from memory.
		expect(await fixture.bridge.messenger.page(view(cookie))).toMatchObject({ setCookie: null });
		return { ...fixture, clock, cookie, guid };
	}

	it("serves a known visitor's page views from memory: the same script, no query, no Set-Cookie", async () => {
		const { bridge, store, queries, cookie, guid } = await known();
		const resolved = await bridge.messenger.script(page(cookie));
		expect(resolved).toContain(`"user_id":"${guid}"`);
		queries.length = 0;
		const resolveSite = vi.spyOn(store, "resolveSiteByHost");
		const readContact = vi.spyOn(store, "getVisitorContact");
		for (let i = 0; i < 3; i++) {
			expect(await bridge.messenger.page(view(cookie))).toEqual({
				html: resolved,
				setCookie: null,
				cacheControl: "private, no-store",
			});
			expect(await bridge.messenger.script(view(cookie))).toBe(resolved);
			expect(await bridge.messenger.script(page(cookie))).toBe(resolved);
		}
		// Not even resolved: the Host's site, the cookie, the contact and the script were remembered.
		expect(resolveSite).not.toHaveBeenCalled();
		expect(readContact).not.toHaveBeenCalled();
		expect(queries).toEqual([]);
		// A nonce makes every script unique: rendered again, with it.
		expect(await bridge.messenger.script(view(cookie), { nonce: "n0nce" })).toContain('nonce="n0nce"');
	});

	it("re-reads: the Host's site and settings after 0.1 s in the background, a contact changed elsewhere after 2 s", async () => {
		const { bridge, store, queries, clock, cookie, guid } = await known({}, { sendContactData: "always" });
		const resolveSite = vi.spyOn(store, "resolveSiteByHost");
		// Another process (or the store directly) changes the contact: the bridge hears nothing of it.
		await store.updateContact(guid, { email: "ada@example.com", firstName: "Ada" });
		clock.now += 300;
		expect((await bridge.messenger.page(view(cookie))).html).not.toContain("ada@example.com");
		expect(resolveSite).toHaveBeenCalledTimes(1);
		expect((await bridge.messenger.page(view(cookie))).html).not.toContain("ada@example.com");
		expect(resolveSite).toHaveBeenCalledTimes(1);
		clock.now += 2000;
		queries.length = 0;
		const { html } = await bridge.messenger.page(view(cookie));
		expect(html).toContain('"email":"ada@example.com"');
		expect(queries.filter((q) => q.includes('from "contacts"'))).toHaveLength(1);
		queries.length = 0;
		expect((await bridge.messenger.page(view(cookie))).html).toBe(html);
		expect(queries).toEqual([]);
	});

	it("reads an expired visitor once for all the page views waiting on it", async () => {
		const { bridge, queries, clock, cookie, guid } = await known();
		clock.now += 2001; // the contact, the site and the settings all expired
		queries.length = 0;
		const views = await Promise.all(Array.from({ length: 20 }, () => bridge.messenger.page(view(cookie))));
		expect(new Set(views.map((v) => v.html)).size).toBe(1);
		expect(views[0]?.html).toContain(guid);
		const count = (table: string) => queries.filter((q) => q.includes(`from "${table}"`)).length;
		expect({ contacts: count("contacts"), sites: count("sites"), settings: count("site_settings") }).toEqual({
			contacts: 1,
			sites: 1,
			settings: 1,
		});
	});

	it("does not remember a contact read that a change overtook", async () => {
		const { bridge, store, clock, cookie, guid } = await known();
		await store.updateContact(guid, { email: "ada@example.com", firstName: "Ada" });
		// The request that will agree, resolved now (a form post whose visit was looked up before).
		const form = view(cookie);
		await bridge.visit(form);
		clock.now += 2001;
		// A page view reads the contact (before the consent); the read is held back...
		let release = () => {};
		const held = new Promise<void>((resolve) => {
			release = resolve;
		});
		const read = store.getVisitorContact.bind(store);
		vi.spyOn(store, "getVisitorContact").mockImplementationOnce(async (...args) => {
			const found = await read(...args);
			await held;
			return found;
		});
		const slow = bridge.messenger.page(view(cookie));
		await vi.waitFor(() => expect(store.getVisitorContact).toHaveBeenCalledTimes(1));
		// ...while the visitor agrees to share data, which drops what is cached about them.
		await bridge.consents.agree(form, "data");
		release();
		expect((await slow).html).not.toContain("ada@example.com"); // it read before the agreement
		// The overtaken read was not remembered: the next view reads again and sees the consent.
		expect((await bridge.messenger.page(view(cookie))).html).toContain("ada@example.com");
	});

	it("never serves the cached script for a tampered cookie", async () => {
		const { bridge, store, cookie, guid } = await known();
		const mac = cookie.slice(cookie.indexOf(".") + 1);
		const other = await store.createContact();
		for (const forged of [
			`ib_contact=${guid}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`,
			`ib_contact=${other.guid}.${mac}`,
			`ib_contact=${guid}.${mac}A`,
		]) {
			const { html, setCookie } = await bridge.messenger.page(view(forged));
			// Not the victim: a new anonymous visitor, with a cookie of its own.
			expect(html).not.toContain(guid);
			expect(html).not.toContain(other.guid);
			expect(setCookie).toMatch(/^ib_contact=/);
			expect(setCookie).not.toContain(guid);
		}
		expect((await bridge.messenger.page(view(cookie))).html).toContain(guid);
	});

	it("shows a settings change made through the store within 0.1 s", async () => {
		const { bridge, store, site, clock, cookie, guid } = await known();
		const before = (await bridge.messenger.page(view(cookie))).html;
		await store.setSetting(site.id, "enabled", "false");
		// Until the site's settings are checked again, page views keep the script they had.
		expect((await bridge.messenger.page(view(cookie))).html).toBe(before);
		clock.now += 101;
		await vi.waitFor(async () =>
			expect(await bridge.messenger.page(view(cookie))).toEqual({
				html: "",
				setCookie: null,
				cacheControl: null,
			}),
		);
		await store.setSetting(site.id, "enabled", "true");
		await store.setSetting(site.id, "appId", "xyz789");
		clock.now += 101;
		await vi.waitFor(async () =>
			expect((await bridge.messenger.page(view(cookie))).html).toContain('"app_id":"xyz789"'),
		);
		expect((await bridge.messenger.page(view(cookie))).html).toContain(guid);
	});

	it("follows identify and merges: a request identified first, and an old cookie, get the survivor", async () => {
		const { bridge, store, cookie, guid } = await known();
		const owner = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const request = view(cookie);
		const merged = await bridge.contacts.identify(request, { email: "ada@example.com" }, { verified: true });
		expect(merged.contact.guid).toBe(owner.guid);
		// The same request now stands for the owner, although its cookie still names the old contact.
		expect(await bridge.messenger.script(request)).toContain(owner.guid);
		// The old cookie resolves to the survivor and is moved to it.
		const next = await bridge.messenger.page(view(cookie));
		expect(next.html).toContain(owner.guid);
		expect(next.html).not.toContain(guid);
		expect(cookieOf(next.setCookie)).toContain(owner.guid);
	});

	it("keeps the consent gate: a cached page view shows the data only while the consent holds", async () => {
		const { bridge, store, cookie, guid } = await known();
		await store.updateContact(guid, { email: "ada@example.com" });
		await bridge.consents.agree(view(cookie), "data");
		expect((await bridge.messenger.page(view(cookie))).html).toContain("ada@example.com");
		expect((await bridge.messenger.page(view(cookie))).html).toContain("ada@example.com");
		await bridge.consents.revoke(view(cookie), "data");
		const after = (await bridge.messenger.page(view(cookie))).html;
		expect(after).toContain(guid);
		expect(after).not.toContain("ada@example.com");
	});

	it("answers page views from the cookie's memo only while the caches it came from would", async () => {
		const { bridge, store, site, clock, cookie, guid } = await known();
		const other = await bridge.visit(page());
		const otherCookie = cookieOf(other.setCookie);
		const connection = {}; // one kept-alive connection (or a proxy's) carrying both visitors
		await bridge.messenger.page(view(otherCookie, {}, connection));
		const mine = await bridge.messenger.page(view(cookie, {}, connection));
		const theirs = await bridge.messenger.page(view(otherCookie, {}, connection));
		expect(mine.html).toContain(guid);
		expect(theirs.html).toContain(other.contact?.guid ?? "?");
		expect(theirs.html).not.toContain(guid);
		for (let i = 0; i < 3; i++) {
			expect(await bridge.messenger.page(view(cookie, {}, connection))).toBe(mine);
			expect(await bridge.messenger.page(view(otherCookie, {}, connection))).toBe(theirs);
		}
		// A consent given through this bridge: the next view shows it.
		await store.updateContact(guid, { email: "ada@example.com" });
		await bridge.consents.agree(view(cookie, {}, connection), "data");
		expect((await bridge.messenger.page(view(cookie, {}, connection))).html).toContain("ada@example.com");
		await bridge.consents.revoke(view(cookie, {}, connection), "data");
		expect((await bridge.messenger.page(view(cookie, {}, connection))).html).not.toContain("ada@example.com");
		// A settings change: shown once the site is checked again, as without the memo.
		await store.setSetting(site.id, "appId", "xyz789");
		clock.now += 101;
		await vi.waitFor(async () =>
			expect((await bridge.messenger.page(view(cookie, {}, connection))).html).toContain('"app_id":"xyz789"'),
		);
		// A contact changed elsewhere: shown after the cache age, as without the memo.
		await store.updateContact(guid, { email: "grace@example.com" });
		await bridge.consents.agree(view(cookie), "data");
		await store.updateContact(guid, { email: "ada2@example.com" });
		clock.now += 2001;
		await vi.waitFor(async () =>
			expect((await bridge.messenger.page(view(cookie, {}, connection))).html).toContain("ada2@example.com"),
		);
		// A view with a hook's or page's own settings, or cache-safe, never gets the memo's page.
		const own = await bridge.messenger.page(view(cookie, {}, connection), {
			settings: { hide_default_launcher: true },
		});
		expect(own.html).toContain('"hide_default_launcher":true');
		const safe = await bridge.messenger.page(view(cookie, {}, connection), { cacheSafe: true });
		expect(safe.html).not.toContain(guid);
	});

	it("gives cache-safe pages the same loader, and no cookie to anyone (decision 0003)", async () => {
		const { bridge, cookie, guid } = await known({ messenger: { cacheSafe: true } });
		const cached = await bridge.messenger.page(view(cookie));
		expect(cached.setCookie).toBeNull();
		expect(cached.html).toContain("/intercom/messenger/settings");
		expect(cached.html).not.toContain(guid);
		const fresh = await bridge.messenger.page(view(""));
		expect(fresh.html).toBe(cached.html);
		expect(fresh.setCookie).toBeNull();
	});
});

describe("createIntercomBridge: per-page Messenger settings", () => {
	const request = (cookie?: string) =>
		new Request("https://shop.example.com/help", {
			headers: { "user-agent": UA, accept: "text/html", ...(cookie ? { cookie } : {}) },
		});

	it("escapes a page's hostile values like every other value in the script", async () => {
		const { bridge } = await setup();
		const html = await bridge.messenger.script(request(), {
			settings: { language_override: "</script><script>alert(1)</script>", topic: "a\u2028b" },
		});
		expect(html).toContain(
			'"language_override":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"',
		);
		expect(html).toContain('"topic":"a\\u2028b"');
		expect(html).not.toContain("\u2028");
	});

	it("refuses data-policy fields: mapped custom attributes always, a function's when it sends them", async () => {
		const mapped = await setup({ messenger: { customAttributes: { plan: "customFields.plan" } } });
		await expect(mapped.bridge.messenger.script(request(), { settings: { plan: "gold" } })).rejects.toThrow(
			/"plan" cannot be set per page/,
		);
		const byFunction = await setup(
			{ messenger: { customAttributes: () => ({ plan: "silver" }) } },
			{ sendContactData: "always" },
		);
		const first = await byFunction.bridge.visit(request());
		await byFunction.bridge.contacts.identify(request(cookieOf(first.setCookie)), {
			email: "ada@example.com",
		});
		await expect(
			byFunction.bridge.messenger.script(request(cookieOf(first.setCookie)), { settings: { plan: "gold" } }),
		).rejects.toMatchObject({ code: "VALIDATION_FAILED", field: "plan" });
	});

	it("refuses an identity field from the bridge-wide hook", async () => {
		const { bridge } = await setup({ messenger: { settings: () => ({ user_id: "someone-else" }) } });
		await expect(bridge.messenger.script(request())).rejects.toThrow(
			/messenger\.settings\(ctx\): "user_id" cannot be set/,
		);
	});
});
