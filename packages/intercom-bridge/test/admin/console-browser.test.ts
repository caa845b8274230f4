/**
 * Every console page in Chromium at desktop (1280×800) and phone (390×844) widths, with
 * screenshots to test-results/screenshots/console-<page>-<desktop|phone>.png: the overview's
 * charts (drawn, described, no sideways scrolling on a phone), the contacts filters keeping their
 * state, and no CSP violation anywhere.
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { overviewDays } from "../../src/store/overview-store.ts";
import { launchChromium, screenshotDir } from "../harness/browser.ts";
import { testStoreFactory } from "../harness/databases.ts";
import { PASSWORD } from "./admin-harness.ts";

const VIEWPORTS = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 390, height: 844 },
} as const;

let browser: Browser;
let store: Store;
let server: ReturnType<typeof serve>;
let base: string;
let shots: string;
let contactGuid = "";
const cspViolations: string[] = [];

beforeAll(async () => {
	shots = await screenshotDir("screenshots");
	store = await testStoreFactory.ready();
	await store.addAdminUser({ email: "admin@example.com", password: PASSWORD, role: "modify" });
	await store.createSite({ codeName: "shop", displayName: "Shop" });
	await store.setSetting(1, "enabled", "true");
	await store.setSetting(1, "appId", "abc123");
	await store.addActivityType({ codeName: "pagevisit", displayName: "Page visit" });
	await store.addActivityType({ codeName: "demo", displayName: "Demo booked" });
	await store.addActivityType({ codeName: "download", displayName: "Whitepaper download" });
	await store.addConsent({ codeName: "marketing", displayName: "Marketing emails" });
	const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
	contactGuid = ada.guid;
	await store.agree(ada.guid, "marketing");
	const anon = await store.createContact();
	await store.createContact({ email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
	await store.recordDisclosure({
		siteId: 1,
		guid: anon.guid,
		recipient: "intercom",
		channel: "page",
		fields: ["user_id", "user_hash"],
		policy: "always",
	});
	await store.recordDisclosure({
		siteId: 1,
		guid: ada.guid,
		recipient: "intercom",
		channel: "settings",
		fields: ["email", "name", "user_id", "user_hash"],
		policy: "consent",
		consentCode: "marketing",
	});
	// Earlier days' webhook counts, as the routes would have written them; today's come from real requests.
	const days = overviewDays(Date.now(), 14).slice(0, -1);
	await store.addWebhookDayCounts(
		days.map((day, i) => ({
			siteId: 1,
			day,
			accepted: (i * 7) % 23,
			duplicates: i % 4 === 0 ? 2 : 0,
			refused: i % 5 === 1 ? 3 : 0,
		})),
	);
	const bridge = createIntercomBridge({ store, logger: createLogger({ level: "silent" }) });
	const apiKey = (await store.getSettings(1)).webhookApiKey ?? "";
	const send = (body: object, key = apiKey) =>
		bridge.handler(
			new Request("http://shop.example.com/intercom/logactivity", {
				method: "POST",
				headers: { "content-type": "application/json", "x-api-key": key },
				body: JSON.stringify(body),
			}),
		);
	for (const [type, value] of [
		["pagevisit", "Pricing"],
		["pagevisit", "Docs"],
		["pagevisit", "Blog"],
		["demo", "Tuesday"],
		["download", "Guide"],
	]) {
		expect((await send({ ContactGUID: ada.guid, ActivityType: type, ActivityValue: value })).status).toBe(
			200,
		);
	}
	await send({ ContactGUID: ada.guid, ActivityType: "demo", ActivityValue: "Tuesday" }); // a duplicate
	await send({ ContactGUID: ada.guid, ActivityType: "demo" }, "wrong-key-wrong-key-wrong"); // refused
	await bridge.flushWebhookCounts();

	const app = createAdminApp({ store, logger: createLogger({ level: "silent" }) });
	server = await new Promise((resolve) => {
		const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
	});
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	browser = await launchChromium();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => server?.close(resolve));
	await store?.close();
});

async function signedIn(viewport: keyof typeof VIEWPORTS): Promise<Page> {
	const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	page.on("console", (msg) => {
		if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
	});
	await page.goto(`${base}/admin/login`);
	await page.screenshot({ path: join(shots, `console-login-${viewport}.png`), fullPage: true });
	await page.getByLabel("Email").fill("admin@example.com");
	await page.getByLabel("Password").fill(PASSWORD);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.waitForURL(/\/admin\/sites\/default\/overview/);
	return page;
}

/** Elements that make the page scroll sideways (none on a well-behaved page), for the message. */
const overflowing = (page: Page) =>
	page.evaluate(() => {
		if (document.documentElement.scrollWidth <= window.innerWidth) return [];
		return [...document.querySelectorAll("body *")]
			.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
			.map(
				(e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`,
			)
			.slice(0, 5);
	});

const PAGES: [name: string, path: () => string][] = [
	["overview", () => "/admin/sites/default/overview"],
	["setup", () => "/admin/sites/default/setup"],
	["data-access", () => "/admin/sites/default/data-access"],
	["webhooks", () => "/admin/sites/default/webhooks"],
	["jobs", () => "/admin/sites/default/jobs"],
	["audit", () => "/admin/sites/default/audit"],
	["contacts", () => "/admin/contacts"],
	["contact", () => `/admin/contacts/${contactGuid}`],
	["activity-types", () => "/admin/activity-types"],
	["consents", () => "/admin/consents"],
	["account", () => "/admin/account"],
];

describe("console pages in Chromium", { timeout: 120_000 }, () => {
	for (const viewport of ["desktop", "phone"] as const) {
		it(`draws the overview's charts with their text at ${viewport} width`, async () => {
			const page = await signedIn(viewport);
			const charts = page.locator("figure.chart");
			expect(await charts.count()).toBe(5);
			for (const id of [
				"chart-webhooks",
				"chart-activities",
				"chart-contacts",
				"chart-disclosures",
				"chart-jobs",
			]) {
				const svg = page.locator(`#${id} svg[role=img]`).first();
				expect(await svg.isVisible()).toBe(true);
				const box = await svg.boundingBox();
				expect(box?.width ?? 0).toBeGreaterThan(200);
				expect(await page.locator(`#${id} figcaption`).textContent()).toMatch(/\d/);
			}
			// Today's bar says its total (5 accepted + 1 duplicate + 1 refused) in text.
			expect(await page.locator("#chart-webhooks text.value").last().textContent()).toBe("7");
			expect(
				(await page.locator("#chart-webhooks .legend li").allTextContents()).map((t) => t.trim()),
			).toEqual(["Accepted", "Duplicates", "Refused"]);
			// The numbers open under the chart.
			await page.locator("#chart-activities summary").click();
			expect(await page.locator("#chart-activities table").isVisible()).toBe(true);
			expect(await page.locator("#chart-activities tbody tr").first().textContent()).toBe("Page visit3");
			// Nothing makes the page scroll sideways.
			expect(await overflowing(page)).toEqual([]);
			await page.screenshot({ path: join(shots, `console-overview-${viewport}.png`), fullPage: true });
			await page.context().close();
		});

		it(`shows every console page at ${viewport} width`, async () => {
			const page = await signedIn(viewport);
			for (const [name, path] of PAGES) {
				const res = await page.goto(`${base}${path()}`);
				expect(res?.status(), name).toBe(200);
				expect(await page.locator("h1").count(), name).toBe(1);
				expect(await overflowing(page), `${name} is wider than the screen`).toEqual([]);
				await page.screenshot({ path: join(shots, `console-${name}-${viewport}.png`), fullPage: true });
			}
			await page.context().close();
		});
	}

	it("filters contacts with a form that keeps its state", async () => {
		const page = await signedIn("desktop");
		await page.goto(`${base}/admin/contacts`);
		expect(await page.getByRole("link", { name: "(no name)" }).count()).toBe(1);
		await page.getByLabel("Hide anonymous visitors").check();
		await page.getByLabel("Agreed to").selectOption("marketing");
		await page.getByRole("button", { name: "Search" }).click();
		await page.waitForURL(/named=1/);
		expect(page.url()).toContain("consent=marketing");
		expect(await page.getByLabel("Hide anonymous visitors").isChecked()).toBe(true);
		expect(await page.getByLabel("Agreed to").inputValue()).toBe("marketing");
		expect(await page.getByRole("link", { name: "(no name)" }).count()).toBe(0);
		expect(await page.locator("main tbody tr").count()).toBe(1);
		expect(await page.locator("#contacts-count").textContent()).toContain("1 contact with the filters below");
		await page.screenshot({ path: join(shots, "console-contacts-filtered-desktop.png"), fullPage: true });
		await page.context().close();
	});

	it("raised no CSP violation on any page", () => {
		expect(cspViolations).toEqual([]);
	});
});
