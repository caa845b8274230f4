/**
 * The adapter conformance suite: the same cases against every framework adapter, each over a real
 * loopback server. Webhook cases join through `extraCases` (see test/webhooks).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, createTestBridge } from "../harness/test-bridge.ts";
import { ADAPTERS, type AdapterName, type MountedApp } from "./mount-adapters.ts";

/** The `window.intercomSettings` a page's inline script carries (non-Next pages). */
function inlineSettings(html: string): Record<string, unknown> {
	const match = /window\.intercomSettings=(\{.*?\});\(function/.exec(html);
	if (!match?.[1]) throw new Error(`no inline settings in ${html.slice(0, 300)}`);
	return JSON.parse(match[1]);
}

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const browser = (extra: Record<string, string> = {}) => ({
	"user-agent": BROWSER_UA,
	accept: "text/html",
	...extra,
});

export function adapterSuite(name: AdapterName) {
	describe(`adapter: ${name}`, () => {
		let app: MountedApp;
		let fixture: Awaited<ReturnType<typeof createTestBridge>>;
		beforeAll(async () => {
			fixture = await createTestBridge();
			app = await ADAPTERS[name](fixture.bridge);
		});
		afterAll(async () => {
			await app?.close();
			await fixture?.store.close();
		});

		it("serves a page with the Messenger for a tracked visitor, and keeps the visitor", async () => {
			const first = await fetch(`${app.url}/`, { headers: browser() });
			expect(first.status).toBe(200);
			const html = await first.text();
			expect(html).toContain('data-cfasync="false"');
			let cookie = cookieOf(first);
			if (name === "next") {
				// Layouts get the cache-safe script; the settings endpoint sets the cookie.
				expect(html).not.toContain("user_id");
				const settings = await fetch(`${app.url}/intercom/messenger/settings`, { headers: browser() });
				cookie = cookieOf(settings);
			} else {
				expect(html).toMatch(/"user_id":"[0-9a-f-]{36}"/);
				// The page names its visitor: no shared cache may keep it (docs/reliability.md S5).
				expect(first.headers.get("cache-control")).toBe("private, no-store");
			}
			expect(cookie).toMatch(/^ib_contact=/);
			if (name !== "next") {
				// Also when the script comes from memory for a known visitor.
				const known = await fetch(`${app.url}/`, { headers: browser({ cookie }) });
				expect(await known.text()).toMatch(/"user_id":"[0-9a-f-]{36}"/);
				expect(known.headers.get("cache-control")).toBe("private, no-store");
			}
			const again = await fetch(`${app.url}/intercom/messenger/settings`, { headers: browser({ cookie }) });
			expect(again.headers.get("set-cookie")).toBeNull();
			const body = await again.json();
			expect(body.settings.user_id).toBe(cookie.slice("ib_contact=".length, cookie.indexOf(".")));
			expect(again.headers.get("cache-control")).toContain("no-store");
		});

		it("limits new contacts per connection address (Next.js route handlers know none)", async () => {
			const limited = await createTestBridge({ newContactsPerMinute: 2 });
			const limitedApp = await ADAPTERS[name](limited.bridge);
			try {
				// Next.js pages carry the cache-safe script: the settings endpoint creates the contact.
				const path = name === "next" ? "/intercom/messenger/settings" : "/";
				const cookies = [];
				for (let i = 0; i < 3; i++) {
					const res = await fetch(`${limitedApp.url}${path}`, { headers: browser() });
					expect(res.status).toBe(200);
					cookies.push(cookieOf(res));
				}
				const created = cookies.filter((c) => c.startsWith("ib_contact=")).length;
				expect(created).toBe(name === "next" ? 3 : 2);
				expect(limited.bridge.newContactsRefused()).toBe(name === "next" ? 0 : 1);
			} finally {
				await limitedApp.close();
				await limited.store.close();
			}
		});

		it("leaves non-page requests alone: no cookie, no contact", async () => {
			const before = (await fixture.store.listContacts()).total;
			const res = await fetch(`${app.url}/api/ping`, {
				headers: { "user-agent": BROWSER_UA, accept: "application/json" },
			});
			expect(await res.json()).toEqual({ ok: true });
			expect(res.headers.get("set-cookie")).toBeNull();
			expect(res.headers.get("cache-control") ?? "").not.toContain("private");
			expect((await fixture.store.listContacts()).total).toBe(before);
		});

		it("answers the bridge's routes: consent from the same origin only, 404 JSON for unknown paths", async () => {
			const cross = await fetch(`${app.url}/intercom/consents/data/agree`, {
				method: "POST",
				headers: { "user-agent": BROWSER_UA, origin: "https://evil.example" },
			});
			expect(cross.status).toBe(403);
			expect((await cross.json()).error.code).toBe("FORBIDDEN");
			const same = await fetch(`${app.url}/intercom/consents/data/agree`, {
				method: "POST",
				headers: { "user-agent": BROWSER_UA, origin: app.url, "content-type": "application/json" },
				body: "{}",
			});
			expect(same.status).toBe(200);
			expect(await same.json()).toMatchObject({ consent: "data", agreed: true });
			expect(cookieOf(same)).toMatch(/^ib_contact=/);
			const missing = await fetch(`${app.url}/intercom/nope`, { headers: { "user-agent": BROWSER_UA } });
			expect(missing.status).toBe(404);
			expect((await missing.json()).error.code).toBe("NOT_FOUND");
		});

		it("adds a page's own Messenger settings to that page only, escaped for the script", async () => {
			const first = await fetch(`${app.url}/`, { headers: browser() });
			await first.text();
			const cookie = name === "next" ? "" : cookieOf(first);
			const help = await fetch(`${app.url}/help`, { headers: browser(cookie ? { cookie } : {}) });
			expect(help.status).toBe(200);
			const html = await help.text();
			// Hostile values never end the script element nor break a line in it.
			expect(html).not.toContain("</script><script>alert(1)");
			expect(html).not.toContain("\u2028");
			expect(html).toContain("\\u003c/script\\u003e");
			expect(html).toContain("\\u2028");
			if (name === "next") {
				// The cache-safe loader lays the page's settings over the visitor's from the endpoint.
				expect(html).toContain('Object.assign(m.settings,{"hide_default_launcher":true');
				return;
			}
			const settings = inlineSettings(html);
			expect(settings).toMatchObject({
				hide_default_launcher: true,
				language_override: "</script><script>alert(1)</script>",
				help_topic: "line\u2028break",
			});
			expect(settings.user_id).toBe(cookie.slice("ib_contact=".length, cookie.indexOf(".")));
			expect(help.headers.get("cache-control")).toBe("private, no-store");
			// The render cache keeps each page's own: the plain page (from memory) has none of them,
			// and the help page keeps its own after it.
			for (let i = 0; i < 2; i++) {
				const plain = inlineSettings(
					await (await fetch(`${app.url}/`, { headers: browser({ cookie }) })).text(),
				);
				expect(plain).not.toHaveProperty("hide_default_launcher");
				expect(plain).not.toHaveProperty("help_topic");
				const again = inlineSettings(
					await (await fetch(`${app.url}/help`, { headers: browser({ cookie }) })).text(),
				);
				expect(again).toMatchObject({ hide_default_launcher: true });
			}
		});

		it("refuses an identity field among a page's Messenger settings", async () => {
			const res = await fetch(`${app.url}/forged`, { headers: browser() });
			// The page fails (the framework answers the ValidationError: 400 where it reads its status).
			expect([400, 500]).toContain(res.status);
			expect(await res.text()).not.toContain("someone-else");
		});

		it("applies the bridge-wide messenger.settings hook to every page, under the page's own", async () => {
			const hooked = await createTestBridge({
				messenger: {
					settings: ({ request }) => ({
						language_override: "fr",
						page_path: new URL(request.url).pathname,
						hide_default_launcher: false,
					}),
				},
			});
			const hookedApp = await ADAPTERS[name](hooked.bridge);
			try {
				const plain = await (await fetch(`${hookedApp.url}/`, { headers: browser() })).text();
				const help = await (await fetch(`${hookedApp.url}/help`, { headers: browser() })).text();
				if (name === "next") {
					// A layout's request is built from headers only: the path is "/" there.
					expect(plain).toContain('Object.assign(m.settings,{"language_override":"fr","page_path":"/"');
					expect(help).toContain('"hide_default_launcher":true');
					return;
				}
				expect(inlineSettings(plain)).toMatchObject({
					language_override: "fr",
					page_path: "/",
					hide_default_launcher: false,
				});
				// The page's own settings win over the hook's.
				expect(inlineSettings(help)).toMatchObject({
					page_path: "/help",
					hide_default_launcher: true,
					language_override: "</script><script>alert(1)</script>",
				});
			} finally {
				await hookedApp.close();
				await hooked.store.close();
			}
		});

		it("serves the browser module", async () => {
			const res = await fetch(`${app.url}/intercom/browser.js`);
			expect(res.headers.get("content-type")).toContain("javascript");
			expect(await res.text()).toContain("IntercomBridge");
		});
	});
}
