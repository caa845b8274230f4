/**
 * The whole loop in Chromium, on the demo as `npm start` runs it (embedded database in a temp
 * directory, the emulator with its state file there, the simulate-Intercom page, the console):
 * browse → verified Messenger boot (the widget says so) → "No thanks" is remembered → contact form
 * (its message becomes an activity) → consent → name and email reach the Messenger → sign in →
 * an activity before any conversation is marked "no conversations yet" → conversations and the
 * Series webhooks (readable results) → the console shows the activity's "Conversation #id" links,
 * which open the emulator's conversation page → RESTART on the same data directory and ports → the
 * emulator still knows the visitor and the conversations → revoke. Every link met answers 200;
 * each demo page is photographed at desktop and phone widths (test-results/screenshots/demo-*.png).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIRST_ADMIN_PASSWORD_FILE } from "intercom-bridge/admin";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	launchChromium,
	screenshotDir,
	waitFor,
} from "../../../packages/intercom-bridge/test/harness/browser.ts";
import { BROWSER_UA } from "../../../packages/intercom-bridge/test/harness/test-bridge.ts";
import { EMULATOR_STATE_FILE, type RunningDemo, startDemo } from "./start-demo.ts";

let demo: RunningDemo;
let browser: Browser;
let dataDir: string;
let shots: string;
const printed: string[] = [];

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const start = (env: Record<string, string> = {}) =>
	startDemo({
		env: { PORT: "0", INTERCOM_BRIDGE_DATA_DIR: dataDir, ...env },
		print: (l) => printed.push(l),
		logLevel: "silent",
		// As under Docker: no terminal, so the first administrator's password goes to a file.
		isTerminal: false,
	});

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), "ib-demo-"));
	demo = await start();
	browser = await launchChromium();
	shots = await screenshotDir("screenshots");
}, 180_000);

afterAll(async () => {
	await browser?.close();
	await demo?.close();
	await rm(dataDir, { recursive: true, force: true });
});

type IntercomWindow = { intercomSettings?: Record<string, unknown> };
const settingsOf = (page: Page) =>
	page.evaluate(() => (window as unknown as IntercomWindow).intercomSettings ?? null);

/** Every link met, with the context whose cookies open it; all are checked for a 200 at the end. */
const linksMet = new Map<string, BrowserContext>();
async function collectLinks(page: Page): Promise<void> {
	const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
	for (const href of hrefs)
		if (/^https?:/.test(href) && !linksMet.has(href)) linksMet.set(href, page.context());
}

/** A screenshot at desktop and phone widths (demo-<name>-desktop.png, -phone.png), `focus` scrolled to the top. */
async function photograph(page: Page, name: string, focus?: string): Promise<void> {
	await collectLinks(page);
	for (const [label, size] of [
		["desktop", DESKTOP],
		["phone", PHONE],
	] as const) {
		await page.setViewportSize(size);
		if (focus) await page.locator(focus).evaluate((el) => el.scrollIntoView({ block: "start" }));
		await page.screenshot({ path: join(shots, `demo-${name}-${label}.png`) });
	}
	await page.setViewportSize(DESKTOP);
}

/** True when nothing is painted over the centre of the element (the banner, the launcher…). */
const uncovered = (page: Page, selector: string) =>
	page.$eval(selector, (el) => {
		el.scrollIntoView({ block: "center" });
		const r = el.getBoundingClientRect();
		const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return top === el || el.contains(top);
	});

describe("demo: the whole loop in Chromium", () => {
	it("tracks, verifies, identifies, shares with consent, takes Intercom's updates, links conversations that survive a restart, and stops sharing on revoke", async () => {
		const visitor = await browser.newContext({ userAgent: BROWSER_UA, viewport: DESKTOP });
		const page = await visitor.newPage();

		// 1. Browsing creates a contact; the Messenger boots with user_id and a verified hash, and
		// the emulator's widget says so (badge and panel), listing the fields Intercom received.
		await page.goto(`${demo.url}/`);
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
		const cookie = (await visitor.cookies()).find((c) => c.name === "ib_contact");
		const guid = cookie?.value.split(".")[0] ?? "";
		expect(guid).toMatch(/^[0-9a-f-]{36}$/);
		const booted = await settingsOf(page);
		expect(booted).toMatchObject({ app_id: "coffeedemo", user_id: guid });
		expect(booted?.user_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(booted).not.toHaveProperty("email");
		await expect.poll(() => page.textContent("#intercom-emulator-identity-badge")).toBe("✓");
		await page.click("#intercom-emulator-launcher");
		const verdict = page.locator("#intercom-emulator-identity");
		expect(await verdict.getAttribute("data-status")).toBe("verified");
		expect(await verdict.textContent()).toContain("Verified with user_hash");
		const fields = await page.textContent("#intercom-emulator-fields");
		expect(fields).toContain("user_id");
		expect(fields).toContain(guid);
		expect(fields).toContain("(present)"); // the hash, never its value
		expect(fields).not.toContain(String(booted?.user_hash));
		expect(fields).not.toContain("email");
		await page.screenshot({ path: join(shots, "demo-messenger-panel-desktop.png") });
		await page.setViewportSize(PHONE);
		await page.screenshot({ path: join(shots, "demo-messenger-panel-phone.png") });
		await page.setViewportSize(DESKTOP);
		await page.click("#intercom-emulator-launcher");
		await photograph(page, "home");
		for (const path of ["products", "contact", "privacy"]) {
			await page.goto(`${demo.url}/${path}`);
			await photograph(page, path);
		}

		// 2. On a phone the banner covers no button (it sits under the header there), nor does the launcher.
		await page.setViewportSize(PHONE);
		await page.goto(`${demo.url}/contact`);
		for (const selector of [
			"#contact-send",
			"#consent-agree",
			"#consent-decline",
			"#intercom-emulator-launcher",
		])
			expect(await uncovered(page, selector), `${selector} is covered on a phone`).toBe(true);
		await page.setViewportSize(DESKTOP);
		for (const selector of ["#contact-send", "#consent-agree", "#consent-decline"])
			expect(await uncovered(page, selector), `${selector} is covered on a desktop`).toBe(true);

		// 3. "No thanks" is remembered: the banner does not come back on the next pages.
		const shy = await browser.newContext({ userAgent: BROWSER_UA, viewport: PHONE });
		const shyPage = await shy.newPage();
		await shyPage.goto(`${demo.url}/products`);
		await shyPage.click("#consent-decline");
		await shyPage.locator("aside.banner").waitFor({ state: "detached" });
		expect(new URL(shyPage.url()).pathname).toBe("/products");
		await shyPage.goto(`${demo.url}/`);
		expect(await shyPage.locator("aside.banner").count()).toBe(0);
		await shyPage.goto(`${demo.url}/privacy`);
		expect(await shyPage.textContent("#consent-state")).toBe("not agreed");
		await shy.close();

		// 4. The contact form identifies the visitor and keeps the message as a "Contact form"
		// activity; without consent nothing personal is sent.
		await page.goto(`${demo.url}/contact`);
		await page.fill("#firstName", "Ada");
		await page.fill("#lastName", "Lovelace");
		await page.fill("#email", "ada@example.com");
		await page.fill("#message", "Do you ship <b>beans</b> to London?\nThanks!");
		await page.click("#contact-send");
		await page.waitForURL(/thanks=1/);
		expect(await settingsOf(page)).not.toHaveProperty("email");
		const [formActivity] = await demo.store.listActivities(guid);
		expect(formActivity?.type.codeName).toBe("contact_form");
		expect(formActivity?.activity.comment).toBe("Do you ship <b>beans</b> to London?\nThanks!");

		// 5. Agreeing in the banner: name and email reach the Messenger.
		await page.click("#consent-agree");
		await page.waitForLoadState("load");
		await waitFor(
			async () => (await settingsOf(page))?.email === "ada@example.com",
			10_000,
			"email in intercomSettings",
		);
		expect(await settingsOf(page)).toMatchObject({
			name: "Ada Lovelace",
			email: "ada@example.com",
			user_id: guid,
		});
		await page.goto(`${demo.url}/privacy`);
		// Dates as a person reads them ("2 December 2026 at 19:40 UTC"), not ISO timestamps.
		const history = (await page.textContent("main ul")) ?? "";
		expect(history).toMatch(/Agreed on \d{1,2} [A-Z][a-z]+ \d{4}( at|,) \d\d:\d\d UTC/);
		expect(history).not.toMatch(/\d{4}-\d\d-\d\dT/);
		await photograph(page, "privacy-agreed");

		// 6. "Simulate Intercom" (administrators only: sign-in first, which leads back to it).
		const passwordFile = join(dataDir, FIRST_ADMIN_PASSWORD_FILE);
		expect(printed.join("\n")).toContain(passwordFile);
		const password = (await readFile(passwordFile, "utf8")).split("\n")[1] ?? "";
		expect(printed.join("\n")).not.toContain(password);
		const marketer = await browser.newContext({ userAgent: BROWSER_UA, viewport: DESKTOP });
		const sim = await marketer.newPage();
		await sim.goto(`${demo.url}/simulate-intercom`);
		await sim.waitForURL(/\/admin\/login\?next=/);
		await sim.fill('input[name="email"]', "admin@intercom-bridge.local");
		await sim.fill('input[name="password"]', password);
		await sim.locator('button[type="submit"]').click();
		await sim.waitForURL((url) => url.pathname === "/simulate-intercom");
		const section = () => sim.locator("section", { hasText: guid });
		// The contact's current name; links back to the site and the console.
		expect(await section().locator("h2").textContent()).toContain("Ada Lovelace");
		expect(await sim.getByRole("link", { name: "← Brew & Byte site" }).getAttribute("href")).toBe("/");
		expect(await sim.getByRole("link", { name: "Admin console" }).getAttribute("href")).toBe("/admin");
		await photograph(sim, "simulate");

		const logActivity = async (type: string, value: string) => {
			await section().locator('select[name="ActivityType"]').selectOption(type);
			await section().locator('input[name="ActivityValue"]').fill(value);
			await section()
				.getByRole("button", { name: /log activity/ })
				.click();
			await sim.waitForURL(/result=/);
			const status = (await sim.getByRole("status").textContent()) ?? "";
			expect(status).toContain("HTTP 200");
			expect(status).toMatch(/Activity #\d+ logged/);
			expect(status).not.toContain("{");
		};
		const activityNamed = (title: string) =>
			demo.store.listActivities(guid).then((rows) => rows.find((r) => r.activity.title === title));

		// 7. An activity before any conversation: the job says so on the activity, in the console.
		await logActivity("intercom_chat_started", "Before any chat");
		const lonely = await waitFor(
			async () => (await activityNamed("Intercom chat started - Before any chat"))?.activity.comment,
			30_000,
			"the no-conversations note",
		);
		expect(lonely).toMatch(/^No conversations yet/);

		// 8. Conversations, then the Series webhooks, as a marketer would; results read as sentences.
		for (let i = 0; i < 2; i++) {
			await section().getByRole("button", { name: "Start a conversation" }).click();
			await sim.waitForURL(/result=/);
			expect(await sim.getByRole("status").textContent()).toMatch(/Started conversation #\d+/);
		}
		expect(sim.url()).not.toMatch(/message=|%7B|\{/);
		await section().locator('input[name="ContactCompanyName"]').fill("Analytical Engines");
		await section().locator('input[name="ContactCoffeePreference"]').fill("Flat white");
		await section()
			.getByRole("button", { name: /update contact/ })
			.click();
		await sim.waitForURL(/result=/);
		const updated = (await sim.getByRole("status").textContent()) ?? "";
		expect(updated).toContain("HTTP 200");
		expect(updated).toMatch(/Updated: .*Company/);
		await logActivity("intercom_demo_booked", "Tuesday 10:00");
		await photograph(sim, "simulate-result");

		const stored = await demo.store.getContact(guid);
		expect(stored).toMatchObject({
			companyName: "Analytical Engines",
			customFields: { coffeePreference: "Flat white" },
		});
		// The links job fills the activity's comment with both conversations, in the background.
		const linkLines = (comment: string | null | undefined) =>
			(comment ?? "").split("\n").filter((l) => l.includes("/inbox/inbox/conversation/"));
		await waitFor(
			async () =>
				linkLines((await activityNamed("Intercom demo booked - Tuesday 10:00"))?.activity.comment).length ===
				2,
			30_000,
			"conversation links on the activity",
		);

		// 9. The console (same session) shows the fields, the contact-form message, the note, and
		// the links as "Conversation #id" opening the emulator's conversation page in a new tab.
		const admin = await marketer.newPage();
		await admin.goto(`${demo.url}/admin/contacts/${guid}`);
		await expect.poll(() => admin.textContent("body")).toContain("Analytical Engines");
		const body = (await admin.textContent("body")) ?? "";
		expect(body).toContain("Tuesday 10:00");
		expect(body).toContain("Contact form");
		expect(body).toContain("Do you ship <b>beans</b> to London?");
		expect(body).toContain("No conversations yet");
		const links = admin.locator('a[href*="/inbox/inbox/conversation/"]');
		expect(await links.count()).toBe(2);
		for (const link of await links.all()) {
			expect(await link.textContent()).toMatch(/^Conversation #\d+$/);
			expect(await link.getAttribute("target")).toBe("_blank");
			expect(await link.getAttribute("rel")).toContain("noopener");
		}
		await admin.screenshot({ path: join(shots, "demo-admin-contact-full.png"), fullPage: true });
		await photograph(admin, "admin-contact", "#activities-h");
		expect(await sim.locator('select[name="ActivityType"] option[value="contact_form"]').count()).toBe(0);
		const [tab] = await Promise.all([marketer.waitForEvent("page"), links.first().click()]);
		await tab.waitForLoadState("load");
		expect(await tab.title()).toMatch(/^Conversation #\d+ · Intercom emulator$/);
		const conversationText = (await tab.textContent("body")) ?? "";
		expect(conversationText).toContain("Intercom emulator");
		expect(conversationText).toContain("Ada Lovelace");
		expect(conversationText).toContain(guid);
		expect(conversationText).toContain("Conversation 1: I need support with my order");
		await photograph(tab, "emulator-conversation");
		const conversationUrls = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
		await tab.close();

		// 10. The demo's /healthz carries serve's counters.
		const health = (await (await fetch(`${demo.url}/healthz`)).json()) as Record<string, unknown>;
		expect(health).toMatchObject({ status: "ok", database: "pglite" });
		expect(health).toHaveProperty("jobs.pending");
		expect(health).toHaveProperty("webhooks.unauthorized");
		expect(health).toHaveProperty("visitors.newContactsRefused");
		expect((health.intercom as { requests: number }).requests).toBeGreaterThan(0);

		// 11. RESTART on the same data directory and ports (as `npm start` after Ctrl-C would): the
		// emulator's state file brings back the visitor and the conversations.
		const port = new URL(demo.url).port;
		const emulatorPort = new URL(demo.emulatorUrl ?? "").port;
		await demo.close();
		expect(existsSync(join(dataDir, EMULATOR_STATE_FILE))).toBe(true);
		demo = await start({ PORT: port, EMULATOR_PORT: emulatorPort });
		expect(demo.url).toBe(`http://127.0.0.1:${port}`);
		for (const url of conversationUrls) {
			const res = await fetch(url);
			expect(res.status, url).toBe(200);
			expect(await res.text()).toContain("Ada Lovelace");
		}
		await sim.goto(`${demo.url}/simulate-intercom`);
		expect(await section().locator("h2").textContent()).toContain("Ada Lovelace");
		await section().getByRole("button", { name: "Start a conversation" }).click();
		await sim.waitForURL(/result=/);
		await logActivity("intercom_tasting_requested", "After the restart");
		await waitFor(
			async () =>
				linkLines((await activityNamed("Coffee tasting requested - After the restart"))?.activity.comment)
					.length === 3,
			30_000,
			"three conversation links after the restart",
		);
		await admin.goto(`${demo.url}/admin/contacts/${guid}`);
		expect(await admin.locator('a[href*="/inbox/inbox/conversation/"]').count()).toBe(5);
		await collectLinks(admin);
		await collectLinks(sim);

		// 12. Revoking on the privacy page: the Messenger session ends and no name or email is sent.
		await page.goto(`${demo.url}/privacy`);
		await page.click("#consent-revoke");
		await page.waitForURL(/revoked=1/);
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
		const after = await settingsOf(page);
		expect(after).toMatchObject({ user_id: guid });
		expect(after).not.toHaveProperty("email");
		expect(after).not.toHaveProperty("name");
		await page.goto(`${demo.url}/products`);
		expect(await settingsOf(page)).not.toHaveProperty("email");
		expect(await page.locator("aside.banner").count()).toBe(0);
		await photograph(page, "after-revoke");

		// 13. Every link met (on the restarted demo: same ports) answers 200, signed in where it was met.
		expect(linksMet.size).toBeGreaterThan(10);
		for (const [href, context] of linksMet) {
			const res = await context.request.get(href);
			expect(res.status(), href).toBe(200);
		}
		await visitor.close();
		await marketer.close();
	}, 300_000);
});
