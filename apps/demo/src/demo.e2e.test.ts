/**
 * The whole loop in Chromium, on the demo as `npm start` runs it (embedded database in a temp
 * directory, the emulator, the simulate-Intercom page, the admin console):
 * browse → verified Messenger boot → contact form → consent → name and email reach the Messenger →
 * sign in (the simulator is for administrators) → Series webhooks update the contact and log an activity → the admin shows the fields and the
 * activity's conversation links → revoke → name and email are no longer sent.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIRST_ADMIN_PASSWORD_FILE } from "intercom-bridge/admin";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	launchChromium,
	screenshotDir,
	waitFor,
} from "../../../packages/intercom-bridge/test/harness/browser.ts";
import { BROWSER_UA } from "../../../packages/intercom-bridge/test/harness/test-bridge.ts";
import { type RunningDemo, startDemo } from "./start-demo.ts";

let demo: RunningDemo;
let browser: Browser;
let dataDir: string;
let shots: string;
const printed: string[] = [];

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), "ib-demo-"));
	demo = await startDemo({
		env: { PORT: "0", INTERCOM_BRIDGE_DATA_DIR: dataDir },
		print: (l) => printed.push(l),
		logLevel: "silent",
		// As under Docker: no terminal, so the first administrator's password goes to a file.
		isTerminal: false,
	});
	browser = await launchChromium();
	shots = await screenshotDir("demo");
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await demo?.close();
	await rm(dataDir, { recursive: true, force: true });
});

type IntercomWindow = { intercomSettings?: Record<string, unknown> };
const settingsOf = (page: Page) =>
	page.evaluate(() => (window as unknown as IntercomWindow).intercomSettings ?? null);

describe("demo: the whole loop in Chromium", () => {
	it("tracks, identifies, shares with consent, takes Intercom's updates, shows them in the admin, and stops sharing on revoke", async () => {
		const visitor = await browser.newContext({ userAgent: BROWSER_UA });
		const page = await visitor.newPage();

		// 1. Browsing creates a contact; the Messenger boots with user_id and a verified hash.
		await page.goto(`${demo.url}/`);
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
		const cookie = (await visitor.cookies()).find((c) => c.name === "ib_contact");
		const guid = cookie?.value.split(".")[0] ?? "";
		expect(guid).toMatch(/^[0-9a-f-]{36}$/);
		const booted = await settingsOf(page);
		expect(booted).toMatchObject({ app_id: "coffeedemo", user_id: guid });
		expect(booted?.user_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(booted).not.toHaveProperty("email");
		await page.screenshot({ path: join(shots, "1-home.png") });

		// 2. The contact form identifies the visitor; without consent nothing personal is sent.
		await page.goto(`${demo.url}/contact`);
		await page.fill("#firstName", "Ada");
		await page.fill("#lastName", "Lovelace");
		await page.fill("#email", "ada@example.com");
		await page.click("#contact-send");
		await page.waitForURL(/thanks=1/);
		expect(await settingsOf(page)).not.toHaveProperty("email");

		// 3. Agreeing in the banner: name and email reach the Messenger.
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
		await page.screenshot({ path: join(shots, "2-after-consent.png") });

		// 4. "Simulate Intercom" (administrators only: sign-in first, which leads back to it):
		// conversations, then the Series webhooks, as a marketer would.
		const passwordFile = join(dataDir, FIRST_ADMIN_PASSWORD_FILE);
		expect(printed.join("\n")).toContain(passwordFile);
		const password = (await readFile(passwordFile, "utf8")).split("\n")[1] ?? "";
		expect(printed.join("\n")).not.toContain(password);
		const marketer = await browser.newContext({ userAgent: BROWSER_UA });
		const sim = await marketer.newPage();
		await sim.goto(`${demo.url}/simulate-intercom`);
		await sim.waitForURL(/\/admin\/login\?next=/);
		await sim.fill('input[name="email"]', "admin@intercom-bridge.local");
		await sim.fill('input[name="password"]', password);
		await sim.locator('button[type="submit"]').click();
		await sim.waitForURL((url) => url.pathname === "/simulate-intercom");
		const section = sim.locator("section", { hasText: guid });
		for (let i = 0; i < 2; i++) {
			await section.getByRole("button", { name: "Start a conversation" }).click();
			await sim.waitForURL(/message=/);
		}
		await sim
			.locator("section", { hasText: guid })
			.locator('input[name="ContactCompanyName"]')
			.fill("Analytical Engines");
		await sim
			.locator("section", { hasText: guid })
			.locator('input[name="ContactCoffeePreference"]')
			.fill("Flat white");
		await sim
			.locator("section", { hasText: guid })
			.getByRole("button", { name: /update contact/ })
			.click();
		await sim.waitForURL(/message=updatecontact/);
		expect(await sim.getByRole("status").textContent()).toContain("HTTP 200");
		const activity = sim.locator("section", { hasText: guid });
		await activity.locator('select[name="ActivityType"]').selectOption("intercom_demo_booked");
		await activity.locator('input[name="ActivityValue"]').fill("Tuesday 10:00");
		await activity.getByRole("button", { name: /log activity/ }).click();
		await sim.waitForURL(/message=logactivity/);
		expect(await sim.getByRole("status").textContent()).toContain("HTTP 200");
		await sim.screenshot({ path: join(shots, "3-simulate-intercom.png") });

		const stored = await demo.store.getContact(guid);
		expect(stored).toMatchObject({
			companyName: "Analytical Engines",
			customFields: { coffeePreference: "Flat white" },
		});
		// The links job fills the activity's comment with both conversations, in the background.
		const links = await waitFor(
			async () => {
				const [row] = await demo.store.listActivities(guid);
				return row?.activity.comment?.split("\n").filter((l) => l.includes("/inbox/inbox/conversation/"))
					.length === 2
					? row
					: null;
			},
			30_000,
			"conversation links on the activity",
		);
		expect(links.activity.title).toBe("Intercom demo booked - Tuesday 10:00");

		// 5. The admin console (same session) shows the new fields and the activity with clickable links.
		const admin = await marketer.newPage();
		await admin.goto(`${demo.url}/admin/contacts/${guid}`);
		await expect.poll(() => admin.textContent("body")).toContain("Analytical Engines");
		expect(await admin.textContent("body")).toContain("Tuesday 10:00");
		expect(await admin.locator('a[href*="/inbox/inbox/conversation/"]').count()).toBe(2);
		await admin.screenshot({ path: join(shots, "4-admin-contact.png"), fullPage: true });

		// 6. Revoking on the privacy page: the Messenger session ends and no name or email is sent.
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
		await page.screenshot({ path: join(shots, "5-after-revoke.png") });
		await visitor.close();
		await marketer.close();
	}, 120_000);
});
