/** CSRF, method and header rules of the console (docs/reliability.md A2, A9). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminFixture, adminFixture, browser } from "./admin-harness.ts";

let f: AdminFixture;
let b: ReturnType<typeof browser>;
let csrf: string;
beforeAll(async () => {
	f = await adminFixture();
	b = browser(f.app);
	await b.signIn();
	csrf = await b.csrf();
});
afterAll(async () => {
	await f.close();
});

const SAVE = "/admin/sites/default/setup";

describe("CSRF", () => {
	it("accepts a post with the session's token", async () => {
		const res = await b.post(SAVE, {
			_csrf: csrf,
			appId: "abc123",
			region: "us",
			identityMode: "hash",
			sendContactData: "never",
		});
		expect(res.status).toBe(303);
	});

	it("refuses a post without a token", async () => {
		expect((await b.post(SAVE, { appId: "zzz" })).status).toBe(403);
	});

	it("refuses a token of another session", async () => {
		const other = browser(f.app);
		await other.signIn();
		const theirs = await other.csrf();
		expect(theirs).not.toBe(csrf);
		expect((await b.post(SAVE, { _csrf: theirs, appId: "zzz" })).status).toBe(403);
		expect((await f.store.getSettings(1)).appId).not.toBe("zzz");
	});

	it("refuses cross-site and same-site (sibling host) posts even with a token", async () => {
		expect(
			(await b.post(SAVE, { _csrf: csrf, appId: "zzz" }, { "sec-fetch-site": "cross-site" })).status,
		).toBe(403);
		expect(
			(await b.post(SAVE, { _csrf: csrf, appId: "zzz" }, { "sec-fetch-site": "same-site" })).status,
		).toBe(403);
	});

	it("falls back to Origin when Sec-Fetch-Site is missing", async () => {
		const evil = await b.post(
			SAVE,
			{ _csrf: csrf, appId: "zzz" },
			{ "sec-fetch-site": "", origin: "https://evil.example" },
		);
		expect(evil.status).toBe(403);
		const ours = await b.post(
			SAVE,
			{ _csrf: csrf, appId: "ok1" },
			{ "sec-fetch-site": "", origin: "http://admin.test" },
		);
		expect(ours.status).toBe(303);
	});

	it("refuses a cross-site sign-in post", async () => {
		const res = await browser(f.app).post(
			"/admin/login",
			{ email: "a@b.c", password: "x" },
			{ "sec-fetch-site": "cross-site" },
		);
		expect(res.status).toBe(403);
	});

	it("answers 405 to GET on every save route", async () => {
		// Pages whose form posts back to the page's own address are left out: GET shows them.
		const pages = new Set([
			"/admin/login",
			"/admin/sites/:site/setup",
			"/admin/activity-types",
			"/admin/consents",
		]);
		const posts = f.app.routes.filter((r) => r.method === "POST" && !pages.has(r.path));
		expect(posts.length).toBeGreaterThan(8);
		for (const r of posts) {
			const path = r.path.replace(":site", "default").replace(":code", "x");
			const res = await b.get(path);
			expect(res.status, path).toBe(405);
			expect(res.headers.get("allow")).toBe("POST");
		}
	});
});

describe("headers", () => {
	it("sends a CSP with a fresh nonce and the security headers", async () => {
		const one = await b.get("/admin/contacts");
		const two = await b.get("/admin/contacts");
		const csp = one.headers.get("content-security-policy") ?? "";
		expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("base-uri 'none'");
		expect(csp).not.toContain("unsafe-inline");
		expect(csp).not.toBe(two.headers.get("content-security-policy"));
		const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
		const html = await one.text();
		expect(html).toContain(`nonce="${nonce}"`);
		expect(html).not.toMatch(/\son[a-z]+=/i);
		expect(html).not.toMatch(/<script(?![^>]*nonce=)/);
		expect(one.headers.get("x-content-type-options")).toBe("nosniff");
		expect(one.headers.get("referrer-policy")).toBe("no-referrer");
		expect(one.headers.get("cache-control")).toBe("no-store");
		expect(one.headers.get("cross-origin-opener-policy")).toBe("same-origin");
		expect(one.headers.get("x-frame-options")).toBe("DENY");
	});

	it("sets them on the sign-in page and errors too", async () => {
		for (const path of ["/admin/login", "/admin/nope", "/admin/sites/nope/setup"]) {
			const res = await b.get(path);
			expect(res.headers.get("content-security-policy"), path).toMatch(/frame-ancestors 'none'/);
		}
		expect((await b.get("/admin/sites/nope/setup")).status).toBe(404);
	});
});
