/**
 * The site overview (counts behind its charts, roles, landing page), the contacts list's filters,
 * the audit rows of shared changes, and the HTTPS warning on loopback hosts, through HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import type { Site } from "../../src/store/site-store.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

let f: AdminFixture;
let admin: ReturnType<typeof browser>;
let shop: Site;
let bridge: ReturnType<typeof createIntercomBridge>;
let apiKey = "";
const OVERVIEW = "/admin/sites/default/overview";
const guids = { ana: "", anon: "", bob: "" };

/** The cells of the row of `label` in the table that follows the element with id `id`. */
function row(page: string, id: string, label: string): string[] {
	const start = page.indexOf(`id="${id}"`);
	expect(start, `no ${id} on the page`).toBeGreaterThan(-1);
	const figure = page.slice(start, page.indexOf("</figure>", start));
	const tr = new RegExp(`<tr><th scope="row">(?:<time[^>]*>)?${label}(?:</time>)?</th>(.*?)</tr>`).exec(
		figure,
	);
	expect(tr, `no row ${label} in ${id}`).not.toBeNull();
	return [...(tr?.[1] ?? "").matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => m[1] ?? "");
}

const today = () => new Date().toISOString().slice(0, 10);
const dayLabel = (day: string) =>
	`${Number(day.slice(8))} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(day.slice(5, 7)) - 1]}`;

const send = (path: string, body: unknown, key = apiKey) =>
	bridge.handler(
		new Request(`http://shop.example.com/intercom${path}`, {
			method: "POST",
			headers: { "content-type": "application/json", "x-api-key": key },
			body: JSON.stringify(body),
		}),
	);

beforeAll(async () => {
	f = await adminFixture();
	// The overview counts UTC days up to the store's today; the database stamps rows with its own
	// clock, so the fixture's clock follows real time here.
	f.clock.now = Date.now();
	shop = await f.store.createSite({ codeName: "shop", displayName: "Shop" });
	await f.store.setSetting(1, "enabled", "true");
	apiKey = (await f.store.getSettings(1)).webhookApiKey ?? "";
	await f.store.addActivityType({ codeName: "pagevisit", displayName: "Page visit" });
	await f.store.addActivityType({ codeName: "download", displayName: "Download" });
	await f.store.addConsent({ codeName: "news", displayName: "Newsletter" });
	const ana = await f.store.createContact({ email: "ana@example.com", firstName: "Ana" });
	const anon = await f.store.createContact();
	const bob = await f.store.createContact({ firstName: "Bob" });
	Object.assign(guids, { ana: ana.guid, anon: anon.guid, bob: bob.guid });
	await f.store.agree(ana.guid, "news");
	await f.store.recordActivity({ contactGuid: bob.guid, siteId: shop.id, typeCodeName: "download" });
	await f.store.recordDisclosure({
		siteId: 1,
		guid: anon.guid,
		recipient: "intercom",
		channel: "page",
		fields: ["user_id", "user_hash"],
		policy: "always",
	});
	bridge = createIntercomBridge({ store: f.store, logger: createLogger({ level: "silent" }) });
	admin = browser(f.app);
	await admin.signIn();
});
afterAll(() => f.close());

describe("site overview", () => {
	it("is the landing page and the first entry of the site's navigation", async () => {
		const res = await admin.get("/admin");
		expect(res.headers.get("location")).toBe(OVERVIEW);
		const page = await (await admin.get(OVERVIEW)).text();
		expect(page).toMatch(/<a href="\/admin\/sites\/default\/overview" aria-current="page">Overview<\/a>/);
		expect(page.indexOf(">Overview</a>")).toBeLessThan(page.indexOf(">Intercom setup</a>"));
		expect((await admin.get("/admin/go?site=shop")).headers.get("location")).toBe(
			"/admin/sites/shop/overview",
		);
	});

	it("counts webhooks per day as accepted, duplicates and refused", async () => {
		const body = { ContactGUID: guids.ana, ActivityType: "pagevisit", ActivityValue: "Pricing" };
		expect((await send("/logactivity", body)).status).toBe(200);
		expect((await send("/logactivity", { ...body, ActivityValue: "Blog" })).status).toBe(200);
		// The same body again within the dedup window: acknowledged, not logged again.
		const again = await send("/logactivity", body);
		expect(await again.json()).toMatchObject({ status: "duplicate" });
		expect((await send("/logactivity", body, "wrong-key-wrong-key-wrong")).status).toBe(401);
		expect((await send("/logactivity", { ContactGUID: guids.ana, ActivityType: "nope" })).status).toBe(400);
		await bridge.flushWebhookCounts();
		const page = await (await admin.get(OVERVIEW)).text();
		expect(row(page, "chart-webhooks", dayLabel(today()))).toEqual(["2", "1", "2"]);
		expect(page).toContain("2 accepted, 1 duplicate");
		// Nothing of the default site's webhooks on the shop's overview.
		const other = await (await admin.get("/admin/sites/shop/overview")).text();
		expect(row(other, "chart-webhooks", dayLabel(today()))).toEqual(["0", "0", "0"]);
	});

	it("adds counts flushed later to the same day instead of replacing them", async () => {
		const body = { ContactGUID: guids.ana, ActivityType: "pagevisit", ActivityValue: "Docs" };
		expect((await send("/logactivity", body)).status).toBe(200);
		await bridge.flushWebhookCounts();
		const page = await (await admin.get(OVERVIEW)).text();
		expect(row(page, "chart-webhooks", dayLabel(today()))).toEqual(["3", "1", "2"]);
	});

	it("shows activities per type, contacts created and what was shared, per site", async () => {
		const page = await (await admin.get(OVERVIEW)).text();
		expect(row(page, "chart-activities", "Page visit")).toEqual(["3"]);
		expect(row(page, "chart-activities", "Download")).toEqual(["0"]);
		// Ana (activities here) and the anonymous visitor (data sent to Intercom from here); not Bob.
		expect(row(page, "chart-contacts", dayLabel(today()))).toEqual(["2"]);
		expect(row(page, "chart-disclosures", dayLabel(today()))).toEqual(["1"]);
		expect(page).toContain("user_hash, user_id");
		const shopPage = await (await admin.get("/admin/sites/shop/overview")).text();
		expect(row(shopPage, "chart-activities", "Download")).toEqual(["1"]);
		expect(row(shopPage, "chart-contacts", dayLabel(today()))).toEqual(["1"]);
	});

	it("shows the job backlog the jobs page counts", async () => {
		const page = await (await admin.get(OVERVIEW)).text();
		// Each logged activity queued a conversation-links job; no runner works them here.
		expect(row(page, "chart-jobs", "Waiting")).toEqual(["3"]);
		expect(row(page, "chart-jobs", "Dead")).toEqual(["0"]);
	});

	it("describes every chart in text for screen readers", async () => {
		const page = await (await admin.get(OVERVIEW)).text();
		for (const id of [
			"chart-webhooks",
			"chart-activities",
			"chart-contacts",
			"chart-disclosures",
			"chart-jobs",
		]) {
			expect(page).toContain(`role="img" aria-labelledby="${id}-title ${id}-desc"`);
			expect(page).toMatch(new RegExp(`id="${id}-desc">[^<]+\\d[^<]*</desc>`));
		}
		expect(page).toContain('fill="url(#chart-webhooks-hatch)"');
	});

	it("refuses a period it does not offer with a 400 that names the choices", async () => {
		const res = await admin.get(`${OVERVIEW}?days=abc`);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("choose 7, 14, 30, 90 days");
		const ok = await (await admin.get(`${OVERVIEW}?days=30`)).text();
		expect(ok).toContain('<option value="30" selected>');
		expect(ok.match(/<tr><th scope="row"><time/g)?.length).toBeGreaterThanOrEqual(30 * 2);
	});

	it("is shown to a read-only role on the site, and to nobody without a role on it", async () => {
		await f.store.addAdminUser({
			email: "shop-reader@example.com",
			password: PASSWORD,
			siteId: shop.id,
			role: "read",
		});
		const reader = browser(f.app);
		await reader.signIn("shop-reader@example.com");
		expect((await reader.get("/admin")).headers.get("location")).toBe("/admin/sites/shop/overview");
		expect((await reader.get("/admin/sites/shop/overview")).status).toBe(200);
		expect((await reader.get(OVERVIEW)).status).toBe(404);
	});
});

describe("contacts filters", () => {
	const names = async (query: string) => {
		const res = await admin.get(`/admin/contacts${query}`);
		expect(res.status).toBe(200);
		const page = await res.text();
		return {
			page,
			names: [...page.matchAll(/href="\/admin\/contacts\/[0-9a-f-]{36}">([^<]*)</g)].map((m) => m[1]),
		};
	};

	it("hides anonymous visitors on request and keeps the box ticked", async () => {
		expect((await names("")).names).toContain("(no name)");
		const { page, names: shown } = await names("?named=1");
		expect(shown.sort()).toEqual(["Ana", "Bob"]);
		expect(page).toContain('name="named" value="1" checked');
	});

	it("filters by site, by consent and by having activities, together", async () => {
		expect((await names("?site=shop")).names).toEqual(["Bob"]);
		const bySite = await names("?site=default&named=1");
		expect(bySite.names).toEqual(["Ana"]);
		expect(bySite.page).toContain('<option value="default" selected>');
		const byConsent = await names("?consent=news");
		expect(byConsent.names).toEqual(["Ana"]);
		expect(byConsent.page).toContain('<option value="news" selected>');
		expect((await names("?activities=1")).names.sort()).toEqual(["Ana", "Bob"]);
		expect((await names("?activities=1&site=shop")).names).toEqual(["Bob"]);
		expect((await names("?consent=news&site=shop")).names).toEqual([]);
	});

	it("keeps the filters in the pager's links", async () => {
		for (let i = 0; i < 26; i++) await f.store.createContact({ firstName: `Many ${i}` });
		const { page } = await names("?named=1&q=Many");
		expect(page).toContain('href="/admin/contacts?q=Many&amp;named=1&amp;page=2"');
	});

	it("answers 400 naming the parameter for a bad filter", async () => {
		for (const [query, message] of [
			["?site=nowhere", "No site &quot;nowhere&quot;"],
			["?consent=nope", "No consent &quot;nope&quot;"],
			["?named=yes", "The filter &quot;named&quot; takes 1"],
			["?activities=%3Cscript%3E", "The filter &quot;activities&quot; takes 1"],
		]) {
			const res = await admin.get(`/admin/contacts${query}`);
			expect(res.status, query).toBe(400);
			const text = await res.text();
			expect(text).toContain(message);
			expect(text).not.toContain("<script>");
		}
	});

	it("refuses a site the user has no role on as an unknown one", async () => {
		const reader = browser(f.app);
		await reader.signIn("shop-reader@example.com");
		expect((await reader.get("/admin/contacts?site=default")).status).toBe(400);
		expect((await reader.get("/admin/contacts?site=shop")).status).toBe(200);
	});
});

describe("audit log of shared changes", () => {
	const auditRows = async (b: ReturnType<typeof browser>, site = "default") =>
		(await (await b.get(`/admin/sites/${site}/audit`)).text()).replace(/\s+/g, " ");

	it("records added, renamed and disabled activity types and consents, with who did it", async () => {
		const csrf = await admin.csrf();
		expect(
			(await admin.post("/admin/activity-types", { _csrf: csrf, codeName: "signup", displayName: "Sign-up" }))
				.status,
		).toBe(303);
		await admin.post("/admin/activity-types/signup/rename", { _csrf: csrf, displayName: "Sign up" });
		await admin.post("/admin/activity-types/signup/disable", { _csrf: csrf });
		await admin.post("/admin/consents", { _csrf: csrf, codeName: "calls", displayName: "Calls", text: "" });
		await admin.post("/admin/consents/calls/edit", {
			_csrf: csrf,
			"displayName-calls": "Phone calls",
			text: "We call",
		});
		await admin.post("/admin/consents/calls/disable", { _csrf: csrf });
		const page = await auditRows(admin);
		for (const [what, action] of [
			["Activity type <code>signup</code>", "added"],
			["Activity type <code>signup</code>", "renamed"],
			["Activity type <code>signup</code>", "disabled"],
			["Consent <code>calls</code>", "added"],
			["Consent <code>calls</code>", "edited"],
			["Consent <code>calls</code>", "disabled"],
		]) {
			expect(page).toContain(`<td>admin@example.com</td><td>${what}</td><td>${action}</td>`);
		}
		// Shared by every site: the shop's log shows them too.
		expect(await auditRows(admin, "shop")).toContain("Consent <code>calls</code>");
	});

	it("records nothing for a refused change", async () => {
		const csrf = await admin.csrf();
		const res = await admin.post("/admin/activity-types", {
			_csrf: csrf,
			codeName: "signup",
			displayName: "Again",
		});
		expect(res.status).toBe(422);
		expect((await auditRows(admin)).match(/Activity type <code>signup<\/code><\/td><td>added/g)).toHaveLength(
			1,
		);
	});

	it("records an administrator's password change, shown only to roles on every site", async () => {
		const user = browser(f.app);
		await f.store.addAdminUser({ email: "changer@example.com", password: PASSWORD, role: "modify" });
		await user.signIn("changer@example.com");
		const res = await user.post("/admin/account/password", {
			_csrf: await user.csrf(),
			current: PASSWORD,
			password: "another long password 42",
			confirm: "another long password 42",
		});
		expect(res.status).toBe(200);
		expect(await auditRows(admin)).toContain(
			"<td>changer@example.com</td><td>Administrator <code>changer@example.com</code></td><td>set a new password</td>",
		);
		const reader = browser(f.app);
		await reader.signIn("shop-reader@example.com");
		const scoped = await auditRows(reader, "shop");
		expect(scoped).toContain("Consent <code>calls</code>");
		expect(scoped).not.toContain("Administrator <code>");
	});
});

describe("HTTPS warning", () => {
	const warned = async (origin: string) => {
		// The signed-in session, reached under another host name.
		const b = browser(f.app, origin);
		for (const [name, value] of admin.jar) b.jar.set(name, value);
		return (await (await b.get(OVERVIEW)).text()).includes("not reached over HTTPS");
	};

	it("is not shown on loopback addresses and stays for every other host", async () => {
		expect(await warned("http://127.0.0.1:8080")).toBe(false);
		expect(await warned("http://127.3.2.1")).toBe(false);
		expect(await warned("http://localhost:3000")).toBe(false);
		expect(await warned("http://[::1]:3000")).toBe(false);
		expect(await warned("http://admin.test")).toBe(true);
		expect(await warned("http://10.0.0.5:3000")).toBe(true);
		expect(await warned("http://127.0.0.1.example.com")).toBe(true);
	});
});
