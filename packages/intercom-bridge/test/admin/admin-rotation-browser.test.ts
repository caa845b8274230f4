/**
 * "Generate new" for the webhook API key in Chromium, with the webhooks served beside the console:
 * the new key is shown once, a reload neither rotates again nor shows it again, one audit row is
 * written, and both the key a live Series still sends and the new one are accepted afterwards.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { launchChromium, screenshotDir } from "../harness/browser.ts";
import { testStoreFactory } from "../harness/databases.ts";
import { PASSWORD } from "./admin-harness.ts";

let browser: Browser;
let store: Store;
let server: ReturnType<typeof serve>;
let base: string;
let contactGuid: string;

beforeAll(async () => {
	store = await testStoreFactory.ready();
	await store.addAdminUser({ email: "admin@example.com", password: PASSWORD, role: "modify" });
	await store.setSetting(1, "enabled", "true");
	contactGuid = (await store.createContact({ email: "series@example.com" })).guid;
	const logger = createLogger({ level: "silent" });
	const admin = createAdminApp({ store, logger });
	const bridge = createIntercomBridge({ store, logger, webhooks: { dedupWindowMs: 0 } });
	server = await new Promise((resolve) => {
		const s = serve(
			{
				fetch: (request) =>
					bridge.ownsPath(new URL(request.url).pathname) ? bridge.handler(request) : admin.fetch(request),
				port: 0,
				hostname: "127.0.0.1",
			},
			() => resolve(s),
		);
	});
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	browser = await launchChromium();
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => server?.close(resolve));
	await store?.close();
});

/** What a Series webhook block sends: the contact's id, a name, and the key in X-Api-Key. */
const callWebhook = (key: string) =>
	fetch(`${base}/intercom/updatecontact`, {
		method: "POST",
		headers: { "content-type": "application/json", "x-api-key": key },
		body: JSON.stringify({ ContactGUID: contactGuid, ContactFirstName: "Ada" }),
	});

async function signIn(page: Page) {
	await page.goto(`${base}/admin/login`);
	await page.getByLabel("Email").fill("admin@example.com");
	await page.getByLabel("Password").fill(PASSWORD);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.waitForURL(/\/admin\/sites\/default\/overview/);
}

describe("webhook API key rotation in Chromium", { timeout: 60_000 }, () => {
	it("rotates once, shows the key once, and keeps the key in use working", async () => {
		const shots = await screenshotDir("admin-rotation");
		const context = await browser.newContext();
		const page = await context.newPage();
		page.setDefaultTimeout(15_000);
		page.on("dialog", (dialog) => void dialog.accept());
		const seriesKey = (await store.getSettings(1)).webhookApiKey ?? "";
		expect((await callWebhook(seriesKey)).status).toBe(200);
		const rotationsBefore = (await store.listSettingsAudit(1)).filter((r) => r.action === "rotate").length;

		await signIn(page);
		await page.getByRole("link", { name: "Webhook security" }).click();
		await page.getByRole("button", { name: "Generate new" }).click();
		const shown = page.locator("#api-key");
		await expect.poll(() => shown.count()).toBe(1);
		const newKey = (await shown.textContent()) ?? "";
		expect(newKey).toBe((await store.getSettings(1)).webhookApiKey);
		expect(page.url()).not.toContain(newKey);
		await page.screenshot({ path: `${shots}/01-new-key.png`, fullPage: true });

		await page.reload({ waitUntil: "load" });
		await page.screenshot({ path: `${shots}/02-after-reload.png`, fullPage: true });
		// One rotation: one audit row, and the key is still the one shown.
		const rotations = (await store.listSettingsAudit(1)).filter((r) => r.action === "rotate");
		expect(rotations.length - rotationsBefore).toBe(1);
		expect((await store.getSettings(1)).webhookApiKey).toBe(newKey);
		// The reloaded page says the key was shown once, and does not show it again.
		expect(await page.locator("main").textContent()).toContain("was shown once");
		expect(await shown.count()).toBe(0);
		expect(await page.content()).not.toContain(newKey);
		// The Series that still sends the old key keeps working, and the new key works too.
		expect((await callWebhook(seriesKey)).status).toBe(200);
		expect((await callWebhook(newKey)).status).toBe(200);
		await context.close();
	});
});
