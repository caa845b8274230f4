/**
 * Long-open pages and single-page apps in Chromium, with the browser module
 * (src/browser/intercom-bridge-browser.js) against the emulator's widget: a JWT-mode page that
 * stays open past its token's expiry gets a fresh token before it expires; signing out re-boots
 * the Messenger (shutdown, then boot as a new anonymous visitor) without a reload; `Intercom(...)`
 * calls made before the widget has loaded are delivered once it has; and the page's inline
 * loader still loads the widget when injected after the page's `load` event.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IntercomHonoVariables, intercomHono } from "../../src/adapters/hono.ts";
import type { IntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import {
	createIntercomEmulator,
	type EmulatorServer,
	type IntercomEmulator,
} from "../../src/testing/index.ts";
import { launchChromium, waitFor } from "../harness/browser.ts";
import { BROWSER_UA, createTestBridge, IDENTITY_SECRET } from "../harness/test-bridge.ts";

let browser: Browser;
let emulator: IntercomEmulator;
let emulatorServer: EmulatorServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
	emulator = createIntercomEmulator({ apps: [{ appId: "abc123", identitySecret: IDENTITY_SECRET }] });
	emulatorServer = await emulator.listen();
	browser = await launchChromium();
});

afterAll(async () => {
	for (const c of cleanups.reverse()) await c().catch(() => {});
	await browser?.close();
	await emulatorServer?.close();
});

type PageWindow = {
	intercomSettings: Record<string, unknown>;
	Intercom: ((...args: unknown[]) => unknown) & { q?: unknown[] };
	IntercomBridge: { start(o?: object): Promise<unknown>; refresh(): Promise<unknown> };
	__calls: string[];
	__shown: boolean;
	__readyStateAtInjection: string;
};

async function bridgeFixture(
	options: Parameters<typeof createTestBridge>[0] = {},
	settings: Record<string, string> = {},
) {
	const fixture = await createTestBridge(
		{ endpoints: (region) => emulator.endpoints(region), ...options },
		{ sendContactData: "always", ...settings },
	);
	cleanups.push(() => fixture.store.close());
	return fixture;
}

/** A single-page app on the bridge: the browser module, sign-in and sign-out without navigation. */
async function serveApp(bridge: IntercomBridge): Promise<string> {
	const app = new Hono<{ Variables: IntercomHonoVariables }>();
	app.use(intercomHono(bridge));
	app.get("/spa", (c) =>
		c.html(
			'<!doctype html><html><head><title>SPA</title></head><body><h1>Single-page app</h1><script src="/intercom/browser.js"></script><script>IntercomBridge.start({ basePath: "/intercom" });</script></body></html>',
		),
	);
	app.post("/signin", async (c) => {
		const { setCookie } = await bridge.contacts.identify(
			c.req.raw,
			{ email: "ada@example.com" },
			{ verified: true },
		);
		if (setCookie) c.header("Set-Cookie", setCookie);
		return c.json({ ok: true });
	});
	app.post("/signout", async (c) => {
		c.header("Set-Cookie", await bridge.contacts.forget(c.req.raw));
		return c.json({ ok: true });
	});
	// A page that adds the Messenger's inline script only after its `load` event, as a tag manager
	// or a client-side router does.
	app.get("/late", (c) =>
		c.html(`<!doctype html><html><head><title>Late</title></head><body><h1>Late loader</h1><script>
addEventListener("load", () => setTimeout(async () => {
	const html = await (await fetch("/snippet")).text();
	window.__readyStateAtInjection = document.readyState;
	const script = document.createElement("script");
	script.textContent = /<script[^>]*>([\\s\\S]*)<\\/script>/.exec(html)[1];
	document.body.appendChild(script);
}, 0));
</script></body></html>`),
	);
	app.get("/snippet", async (c) => c.text(await c.get("intercomScripts")()));
	const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
	await new Promise((r) => server.once("listening", r));
	cleanups.push(() => new Promise((r) => server.close(r)));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ userAgent: BROWSER_UA });
	cleanups.push(() => context.close());
	return { context, page: await context.newPage() };
}

async function visitorGuid(context: BrowserContext, not?: string): Promise<string> {
	const cookie = await waitFor(
		async () =>
			(await context.cookies()).find((c) => c.name === "ib_contact" && !c.value.startsWith(`${not}.`)),
		10_000,
		"the visitor cookie",
	);
	return cookie.value.split(".")[0] ?? "";
}

const bootsOf = (userId: string, kind: "boot" | "update" = "boot") =>
	emulator.messengerBoots.filter((b) => b.kind === kind && b.userId === userId);

const bootOf = (userId: string) => waitFor(() => bootsOf(userId)[0], 10_000, `a boot of ${userId}`);

const settingsOf = (page: Page) => page.evaluate(() => (window as unknown as PageWindow).intercomSettings);

/** The claims of a JWT, read as the browser module reads them. */
const claimsOf = (jwt: unknown) =>
	JSON.parse(Buffer.from(String(jwt).split(".")[1] ?? "", "base64url").toString()) as {
		user_id: string;
		exp: number;
		iat: number;
	};

describe("a long-open JWT-mode page", () => {
	it("gets a fresh token before the first one expires, and the Messenger keeps working past that expiry", async () => {
		// The shortest lifetime the options allow: the module refetches a fifth of it (12 s) early.
		const { bridge } = await bridgeFixture(
			{ messenger: { jwtExpiresInSeconds: 60 } },
			{ identityMode: "jwt" },
		);
		const url = await serveApp(bridge);
		const { context, page } = await newPage();
		await page.goto(`${url}/spa`);
		const guid = await visitorGuid(context);
		expect(await bootOf(guid)).toMatchObject({ verified: true, accepted: true, method: "jwt" });
		const first = await settingsOf(page);
		const firstClaims = claimsOf(first.intercom_user_jwt);
		expect(firstClaims.user_id).toBe(guid);
		expect(firstClaims.exp - firstClaims.iat).toBe(60);

		const reboot = await waitFor(() => bootsOf(guid)[1], 90_000, "a second boot, with a fresh token");
		expect(reboot).toMatchObject({ verified: true, accepted: true, method: "jwt" });
		expect(reboot.at).toBeLessThan(firstClaims.exp * 1000); // before the first token expired
		const fresh = claimsOf((await settingsOf(page)).intercom_user_jwt);
		expect(fresh.user_id).toBe(guid);
		expect(fresh.exp).toBeGreaterThan(firstClaims.exp);

		// Past the first token's expiry: that token is refused now (control), the page's is not.
		await waitFor(() => Date.now() > firstClaims.exp * 1000 + 1000, 30_000, "the first token's expiry");
		const stale = await fetch(`${emulator.endpoints("us").messenger}/messenger/web/ping`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ kind: "update", app_id: "abc123", settings: first }),
		});
		expect(stale.status).toBe(403);
		await page.evaluate(() => (window as unknown as PageWindow).Intercom("update", { page_title: "Later" }));
		expect(await waitFor(() => bootsOf(guid, "update")[0], 10_000, "an update after expiry")).toMatchObject({
			verified: true,
			accepted: true,
			method: "jwt",
		});
	}, 180_000);
});

describe("a single-page app with the browser module", () => {
	it("re-boots on sign-out: shutdown, then boot as a new anonymous visitor, without a reload", async () => {
		const { bridge, store } = await bridgeFixture();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const url = await serveApp(bridge);
		const { context, page } = await newPage();
		await page.goto(`${url}/spa`);
		await bootOf(await visitorGuid(context));
		await page.evaluate(async () => {
			await fetch("/signin", { method: "POST" });
			await (window as unknown as PageWindow).IntercomBridge.refresh();
		});
		expect(await bootOf(ada.guid)).toMatchObject({ verified: true, email: "ada@example.com" });

		// Record what the module asks of the Messenger from here on.
		await page.evaluate(() => {
			const w = window as unknown as PageWindow;
			const widget = w.Intercom;
			w.__calls = [];
			w.Intercom = Object.assign((...args: unknown[]) => {
				w.__calls.push(String(args[0]));
				return widget(...args);
			}, widget);
		});
		await page.evaluate(async () => {
			await fetch("/signout", { method: "POST" });
			await (window as unknown as PageWindow).IntercomBridge.refresh();
		});
		expect(await page.evaluate(() => (window as unknown as PageWindow).__calls)).toEqual([
			"shutdown",
			"boot",
		]);
		const visitor = await visitorGuid(context, ada.guid);
		expect(visitor).not.toBe(ada.guid);
		const boot = await bootOf(visitor);
		expect(boot).toMatchObject({ verified: true, accepted: true, email: undefined, name: undefined });
		const settings = await settingsOf(page);
		expect(settings.user_id).toBe(visitor);
		expect(settings.email).toBeUndefined();
		// Ada's Messenger session ended: the session cookie now names the visitor.
		const session = (await context.cookies()).find((c) => c.name === "intercom-session-abc123");
		expect(session?.value).toBe(visitor);
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
		expect(await page.evaluate(() => document.title)).toBe("SPA"); // no reload happened
	});

	it("delivers the Intercom(...) calls made before the widget loaded, in order", async () => {
		const { bridge } = await bridgeFixture();
		const url = await serveApp(bridge);
		const { context, page } = await newPage();
		// Hold the widget script back until the page has made its calls.
		let release = () => {};
		const released = new Promise<void>((r) => {
			release = r;
		});
		let widgetRequested = false;
		await page.route("**/widget/**", async (route) => {
			widgetRequested = true;
			await released;
			await route.continue();
		});
		await page.goto(`${url}/spa`);
		await waitFor(() => widgetRequested, 10_000, "the widget request");
		const queued = await page.evaluate(() => {
			const w = window as unknown as PageWindow;
			w.Intercom("onShow", () => {
				w.__shown = true;
			});
			w.Intercom("update", { plan: "gold" });
			w.Intercom("show");
			return w.Intercom.q?.length;
		});
		expect(queued).toBe(3);
		const guid = await visitorGuid(context);
		expect(bootsOf(guid)).toEqual([]);
		release();
		const boot = await bootOf(guid);
		expect(boot).toMatchObject({ verified: true });
		const update = await waitFor(() => bootsOf(guid, "update")[0], 10_000, "the queued update");
		expect(update).toMatchObject({ verified: true, accepted: true });
		expect(update.at).toBeGreaterThanOrEqual(boot.at);
		await page.locator("#intercom-emulator-messenger").waitFor({ state: "visible" });
		expect(await page.evaluate(() => (window as unknown as PageWindow).__shown)).toBe(true);
	});
});

describe("the inline loader", () => {
	it("loads and boots the widget when injected after the page's load event", async () => {
		const { bridge } = await bridgeFixture();
		const url = await serveApp(bridge);
		const { context, page } = await newPage();
		await page.goto(`${url}/late`);
		const guid = await visitorGuid(context);
		expect(await bootOf(guid)).toMatchObject({ verified: true, accepted: true, method: "hash" });
		expect(await page.evaluate(() => (window as unknown as PageWindow).__readyStateAtInjection)).toBe(
			"complete",
		);
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
	});
});
