/**
 * The console in Chromium (playwright-core driving Debian's /usr/bin/chromium; never downloaded):
 * sign in, save settings, a rejected value with its message beside the field, a read-only user,
 * "Get token" against the Intercom emulator, a new webhook API key, a contact with an activity.
 * Every page is also checked for CSP violations and for injected script running. Screenshots go
 * to test-results/admin/.
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { testStoreFactory } from "../harness/databases.ts";
import { seedActivity } from "../harness/seed-activity.ts";
import { PASSWORD } from "./admin-harness.ts";

const SHOTS = fileURLToPath(new URL("../../test-results/admin/", import.meta.url));
const ARGS = [
	"--no-sandbox",
	"--headless",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--no-first-run",
];

let browser: Browser;
let store: Store;
let server: ReturnType<typeof serve>;
let emulatorServer: EmulatorServer;
let base: string;
const cspViolations: string[] = [];
const emulator = createIntercomEmulator({
	oauthClients: [{ clientId: "client-browser", clientSecret: "client-browser-secret-1" }],
	apps: [{ appId: "abc123", region: "eu" }],
});

async function newPage(): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	page.setDefaultTimeout(10_000);
	page.on("console", (msg) => {
		if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
	});
	return page;
}

async function signIn(page: Page, email = "admin@example.com") {
	await page.goto(`${base}/admin`);
	await expect.poll(() => page.url()).toContain("/admin/login");
	await page.getByLabel("Email").fill(email);
	await page.getByLabel("Password").fill(PASSWORD);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.waitForURL(/\/admin\/sites\/default\/overview/);
	// The overview is the landing page; these tests start on the setup form.
	await page.getByRole("link", { name: "Intercom setup" }).click();
	await page.waitForURL(/\/admin\/sites\/default\/setup/);
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	emulatorServer = await emulator.listen();
	store = await testStoreFactory.ready();
	await store.addAdminUser({ email: "admin@example.com", password: PASSWORD, role: "modify" });
	await store.addAdminUser({ email: "reader@example.com", password: PASSWORD, role: "read" });
	const app = createAdminApp({
		store,
		logger: createLogger({ level: "silent" }),
		endpoints: (region) => emulator.endpoints(region),
	});
	server = await new Promise((resolve) => {
		const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
	});
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS, timeout: 30_000 });
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => server?.close(resolve));
	await emulatorServer?.close();
	await store?.close();
});

describe("admin console in Chromium", { timeout: 60_000 }, () => {
	it("signs in and saves settings with a confirmation", async () => {
		const page = await newPage();
		await page.goto(`${base}/admin/login`);
		await shot(page, "01-sign-in");
		await signIn(page);
		await page.getByLabel("Intercom is enabled on this site").check();
		await page.getByLabel("App ID").fill("abc123");
		await page.getByLabel("Region").selectOption("eu");
		await page.getByLabel("Identity verification secret").fill("browser-identity-secret-1");
		await page.getByLabel("Client ID").fill("client-browser");
		await page.getByLabel("Client secret").fill("client-browser-secret-1");
		await page.getByRole("button", { name: "Save settings" }).click();
		await expect.poll(() => page.locator(".notice.ok").textContent()).toContain("Settings saved");
		const s = await store.getSettings(1);
		expect(s).toMatchObject({ enabled: true, appId: "abc123", region: "eu", clientId: "client-browser" });
		expect(s.clientSecret).toBe("client-browser-secret-1");
		// The secret field is empty again; only its mask is shown.
		expect(await page.getByLabel("Client secret").inputValue()).toBe("");
		expect(await page.content()).not.toContain("client-browser-secret-1");
		await shot(page, "02-setup-saved");
		await page.context().close();
	});

	it("rejects bad input with the message beside the field", async () => {
		const page = await newPage();
		await signIn(page);
		await page.getByLabel("App ID").fill("Not An Id!");
		await page.getByRole("button", { name: "Save settings" }).click();
		const error = page.locator("#appId-error");
		await expect.poll(() => error.textContent()).toContain("not a valid appId");
		expect(await page.getByLabel("App ID").getAttribute("aria-invalid")).toBe("true");
		expect(await page.getByLabel("App ID").getAttribute("aria-describedby")).toContain("appId-error");
		expect((await store.getSettings(1)).appId).toBe("abc123");
		await error.scrollIntoViewIfNeeded();
		await shot(page, "03-setup-invalid");
		await page.context().close();
	});

	it("lets a read-only user see but change nothing", async () => {
		const page = await newPage();
		await signIn(page, "reader@example.com");
		expect(await page.getByRole("button", { name: "Save settings" }).count()).toBe(0);
		expect(await page.locator("main form input:not([type=hidden]):not([disabled])").count()).toBe(0);
		expect(await page.locator("main select:not([disabled])").count()).toBe(0);
		await shot(page, "04-read-only");
		// Even a crafted post from the page is refused.
		const status = await page.evaluate(async () => {
			const form = document.querySelector<HTMLFormElement>("main form");
			const data = new FormData(form ?? undefined);
			data.set("appId", "hacked1");
			return (
				await fetch(form?.action ?? "", {
					method: "POST",
					body: new URLSearchParams(data as unknown as Record<string, string>),
				})
			).status;
		});
		expect(status).toBe(403);
		expect((await store.getSettings(1)).appId).toBe("abc123");
		await page.goto(`${base}/admin/sites/default/webhooks`);
		expect(await page.getByRole("button", { name: "Generate new" }).count()).toBe(0);
		await page.context().close();
	});

	it("gets a token from the emulator and shows the workspace", async () => {
		const page = await newPage();
		await signIn(page);
		await page.getByRole("link", { name: "Intercom data access" }).click();
		await expect.poll(() => page.locator("main").textContent()).toContain("Access token is not configured");
		expect(await page.locator("#redirect-url").textContent()).toBe(`${base}/admin/oauth/callback`);
		await shot(page, "05-data-access-before");
		await page.getByRole("button", { name: "Get token" }).click();
		await page.waitForURL(/\/oauth\?/);
		await page.locator("#authorize").click();
		await page.waitForURL(/data-access\?connected=1/);
		const main = page.locator("main");
		await expect.poll(() => main.textContent()).toContain("Access token is configured");
		expect(await main.textContent()).toContain("abc123");
		const token = (await store.getSettings(1)).accessToken ?? "";
		expect(token.length).toBeGreaterThan(8);
		expect(await page.content()).not.toContain(token);
		await shot(page, "06-data-access-connected");
		await page.context().close();
	});

	it("generates a new webhook API key after a confirmation", async () => {
		const page = await newPage();
		await signIn(page);
		await page.getByRole("link", { name: "Webhook security" }).click();
		const before = (await store.getSettings(1)).webhookApiKey;
		let asked = "";
		page.once("dialog", (dialog) => {
			asked = dialog.message();
			void dialog.accept();
		});
		await page.getByRole("button", { name: "Generate new" }).click();
		await expect.poll(() => page.locator("#api-key").count()).toBe(1);
		expect(asked).toContain("stays valid for 24 hours");
		const after = (await store.getSettings(1)).webhookApiKey;
		expect(after).not.toBe(before);
		expect(await page.locator("#api-key").textContent()).toBe(after);
		await shot(page, "07-webhook-new-key");
		await page.context().close();
	});

	it("shows a contact with an activity, escaped, with a clickable conversation link", async () => {
		await store.addActivityType({ codeName: "demo", displayName: "Demo booked" });
		await store.addConsent({ codeName: "marketing", displayName: "Marketing emails" });
		const contact = await store.createContact({
			email: "ada@example.com",
			firstName: "Ada",
			lastName: "Lovelace",
			companyName: "Analytical Engines",
			customFields: { coffeePreference: "flat white" },
		});
		await store.agree(contact.guid, "marketing");
		const appHost = emulator.endpoints("eu").app;
		await seedActivity(store, {
			contactGuid: contact.guid,
			siteId: 1,
			typeCodeName: "demo",
			value: "<img src=x onerror=window.__x=1>",
			url: "javascript:window.__x=2",
			comment: `${appHost}/a/apps/abc123/inbox/inbox/conversation/42`,
		});
		const page = await newPage();
		await signIn(page);
		await page.getByRole("link", { name: "Contacts" }).click();
		await page.getByRole("link", { name: "Ada Lovelace" }).click();
		await expect.poll(() => page.locator("main").textContent()).toContain("Demo booked");
		expect(await page.evaluate(() => (window as { __x?: unknown }).__x)).toBeUndefined();
		expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
		const link = page.getByRole("link", { name: "Conversation #42" });
		expect(await link.getAttribute("href")).toBe(`${appHost}/a/apps/abc123/inbox/inbox/conversation/42`);
		await shot(page, "08-contact");
		await page.goto(`${base}/admin/contacts`);
		await shot(page, "09-contacts");
		await page.goto(`${base}/admin/activity-types`);
		await shot(page, "10-activity-types");
		await page.goto(`${base}/admin/sites/default/audit`);
		await shot(page, "11-audit");
		await page.getByRole("link", { name: "Background jobs" }).click();
		await expect.poll(() => page.locator("h1").textContent()).toBe("Background jobs");
		await shot(page, "12-jobs");
		await page.context().close();
	});

	it("is usable from the keyboard with a visible focus", async () => {
		const page = await newPage();
		await signIn(page);
		await page.keyboard.press("Tab");
		const skip = await page.evaluate(() => document.activeElement?.textContent);
		expect(skip).toBe("Skip to content");
		await page.keyboard.press("Tab");
		const outline = await page.evaluate(
			() => getComputedStyle(document.activeElement as Element).outlineStyle,
		);
		expect(outline).not.toBe("none");
		await page.context().close();
	});

	it("raised no CSP violation on any page", () => {
		expect(cspViolations).toEqual([]);
	});
});
