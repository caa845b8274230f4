/**
 * The Messenger in a real browser (Debian Chromium via playwright-core) against the emulator's
 * widget stand-in: every adapter's page boots a verified Messenger; a hostile name runs no script;
 * cache-safe pages behind a shared cache boot each visitor as themselves; the browser module
 * re-boots after sign-in; the loader works under a strict nonce CSP.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
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
import { ADAPTERS, type AdapterName, type MountedApp } from "../adapters/mount-adapters.ts";
import { launchChromium, screenshotDir, waitFor } from "../harness/browser.ts";
import { BROWSER_UA, createTestBridge, IDENTITY_SECRET } from "../harness/test-bridge.ts";

let browser: Browser;
let emulator: IntercomEmulator;
let emulatorServer: EmulatorServer;
let shots: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
	emulator = createIntercomEmulator({ apps: [{ appId: "abc123", identitySecret: IDENTITY_SECRET }] });
	emulatorServer = await emulator.listen();
	browser = await launchChromium();
	shots = await screenshotDir("messenger");
});

afterAll(async () => {
	for (const c of cleanups.reverse()) await c().catch(() => {});
	await browser?.close();
	await emulatorServer?.close();
});

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

/** Serves a Hono app on a free loopback port until the suite ends; returns its URL. */
async function serveApp(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<string> {
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

async function visitorGuid(context: BrowserContext): Promise<string> {
	const cookie = await waitFor(
		async () => (await context.cookies()).find((c) => c.name === "ib_contact"),
		10_000,
		"the visitor cookie",
	);
	return cookie.value.split(".")[0] ?? "";
}

const bootOf = (userId: string) =>
	waitFor(
		() => emulator.messengerBoots.find((b) => b.kind === "boot" && b.userId === userId),
		10_000,
		`a boot of ${userId}`,
	);

describe("Messenger in Chromium, through every adapter", () => {
	for (const name of ["node", "express", "fastify", "hono", "next"] as AdapterName[]) {
		it(`${name}: boots the emulator's widget with the contact's verified identity`, async () => {
			const { bridge, store } = await bridgeFixture();
			const app = await ADAPTERS[name](bridge);
			cleanups.push(() => app.close());
			const { context, page } = await newPage();
			await page.goto(`${app.url}/`);
			const guid = await visitorGuid(context);
			const boot = await bootOf(guid);
			expect(boot).toMatchObject({ appId: "abc123", verified: true, accepted: true, method: "hash" });
			const settings = await page.evaluate(
				() => (window as unknown as { intercomSettings: Record<string, unknown> }).intercomSettings,
			);
			expect(settings).toMatchObject({
				app_id: "abc123",
				user_id: guid,
				api_base: emulator.endpoints("us").messenger,
			});
			expect(settings.user_hash).toMatch(/^[0-9a-f]{64}$/);
			await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
			expect(await store.getContact(guid)).not.toBeNull();
			await page.screenshot({ path: join(shots, `adapter-${name}.png`) });
		});
	}
});

describe("Messenger in Chromium: safety", () => {
	it("a hostile name reaches intercomSettings as text and runs no script", async () => {
		const { bridge, store } = await bridgeFixture();
		const app = await ADAPTERS.express(bridge);
		cleanups.push(() => app.close());
		const { context, page } = await newPage();
		await page.goto(`${app.url}/`);
		const guid = await visitorGuid(context);
		const hostile = "</script><script>window.__pwned=1</script><!--\u2028<script>alert(1)</script> Zoë";
		await store.updateContact(guid, { firstName: hostile, email: "x@example.com" });
		const dialogs: string[] = [];
		page.on("dialog", (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		await page.reload();
		await waitFor(
			() => emulator.messengerBoots.find((b) => b.userId === guid && b.name === hostile),
			10_000,
			"boot with hostile name",
		);
		const state = await page.evaluate(() => ({
			pwned: (window as unknown as { __pwned?: number }).__pwned,
			name: (window as unknown as { intercomSettings: { name: string } }).intercomSettings.name,
			scripts: document.querySelectorAll("body > script").length,
		}));
		expect(state).toEqual({ pwned: undefined, name: hostile, scripts: 1 });
		expect(dialogs).toEqual([]);
	});

	it("works under a strict nonce CSP, with and without 'strict-dynamic', and is blocked without the nonce (control)", async () => {
		const { bridge } = await bridgeFixture();
		const app = new Hono<{ Variables: IntercomHonoVariables }>();
		app.use(intercomHono(bridge));
		app.get("/page", async (c) => {
			const nonce = c.req.query("nonce") ?? "";
			const html = await c.get("intercomScripts")({ nonce: nonce || undefined });
			// Without 'strict-dynamic' only the nonce the loader puts on the widget script admits it.
			const dynamic = c.req.query("strict") === "0" ? "" : " 'strict-dynamic'";
			c.header(
				"Content-Security-Policy",
				`script-src 'nonce-Tr1ckyN0nce'${dynamic}; object-src 'none'; base-uri 'none'`,
			);
			return c.html(`<!doctype html><html><body><h1>CSP</h1>${html}</body></html>`);
		});
		const url = await serveApp(app);

		const blocked = await newPage();
		const violations: string[] = [];
		blocked.page.on("console", (m) => {
			if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
		});
		await blocked.page.goto(`${url}/page`);
		const blockedGuid = await visitorGuid(blocked.context);
		await waitFor(() => violations.length > 0, 5000, "a CSP violation");
		expect(emulator.messengerBoots.some((b) => b.userId === blockedGuid)).toBe(false);

		const allowed = await newPage();
		const allowedViolations: string[] = [];
		allowed.page.on("console", (m) => {
			if (/Content Security Policy/i.test(m.text())) allowedViolations.push(m.text());
		});
		await allowed.page.goto(`${url}/page?nonce=Tr1ckyN0nce`);
		const guid = await visitorGuid(allowed.context);
		expect(await bootOf(guid)).toMatchObject({ verified: true });
		expect(allowedViolations).toEqual([]);

		const nonceOnly = await newPage();
		const nonceOnlyViolations: string[] = [];
		nonceOnly.page.on("console", (m) => {
			if (/Content Security Policy/i.test(m.text())) nonceOnlyViolations.push(m.text());
		});
		await nonceOnly.page.goto(`${url}/page?nonce=Tr1ckyN0nce&strict=0`);
		expect(await bootOf(await visitorGuid(nonceOnly.context))).toMatchObject({ verified: true });
		expect(nonceOnlyViolations).toEqual([]);
	});
});

/** A shared cache in front of an app, as a CDN would be: caches GET pages for everyone, ignoring cookies. */
async function sharedCache(origin: string): Promise<MountedApp & { hits: () => number }> {
	const cache = new Map<string, { status: number; type: string; body: Buffer }>();
	let hits = 0;
	const server = createServer(async (req, res) => {
		const path = req.url ?? "/";
		const cached = req.method === "GET" && cache.get(path);
		if (cached) {
			hits++;
			res.writeHead(cached.status, { "content-type": cached.type, "x-cache": "HIT" }).end(cached.body);
			return;
		}
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const upstream = await fetch(`${origin}${path}`, {
			method: req.method,
			headers: Object.fromEntries(
				Object.entries(req.headers).filter(([k]) => k !== "host") as [string, string][],
			),
			body: chunks.length ? Buffer.concat(chunks) : undefined,
			redirect: "manual",
		});
		const body = Buffer.from(await upstream.arrayBuffer());
		const type = upstream.headers.get("content-type") ?? "";
		if (req.method === "GET" && type.includes("text/html"))
			cache.set(path, { status: upstream.status, type, body });
		const headers: Record<string, string | string[]> = { "content-type": type };
		const cookies = upstream.headers.getSetCookie();
		if (cookies.length) headers["set-cookie"] = cookies;
		const cc = upstream.headers.get("cache-control");
		if (cc) headers["cache-control"] = cc;
		res.writeHead(upstream.status, headers).end(body);
	});
	await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, hits: () => hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("Messenger in Chromium: cache-safe mode and the browser module", () => {
	it("two visitors of one cached page each boot as themselves", async () => {
		const { bridge } = await bridgeFixture({ messenger: { cacheSafe: true } });
		const app = await ADAPTERS.hono(bridge);
		cleanups.push(() => app.close());
		const cdn = await sharedCache(app.url);
		cleanups.push(() => cdn.close());
		const a = await newPage();
		const b = await newPage();
		await a.page.goto(`${cdn.url}/`);
		await b.page.goto(`${cdn.url}/`);
		expect(cdn.hits()).toBe(1); // the second visitor got the first visitor's cached page
		const guidA = await visitorGuid(a.context);
		const guidB = await visitorGuid(b.context);
		expect(guidA).not.toBe(guidB);
		expect(await bootOf(guidA)).toMatchObject({ verified: true });
		expect(await bootOf(guidB)).toMatchObject({ verified: true });
		const userA = await a.page.evaluate(
			() => (window as unknown as { intercomSettings: { user_id: string } }).intercomSettings.user_id,
		);
		const userB = await b.page.evaluate(
			() => (window as unknown as { intercomSettings: { user_id: string } }).intercomSettings.user_id,
		);
		expect([userA, userB]).toEqual([guidA, guidB]);
	});

	it("the browser module re-boots as the signed-in contact without a page reload", async () => {
		const { bridge, store } = await bridgeFixture();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const app = spaApp(bridge);
		const url = await serveApp(app);
		const { context, page } = await newPage();
		await page.goto(`${url}/spa`);
		const visitor = await visitorGuid(context);
		expect(await bootOf(visitor)).toMatchObject({ verified: true, email: undefined });
		await page.evaluate(async () => {
			await fetch("/signin", { method: "POST" });
			await (
				window as unknown as { IntercomBridge: { refresh(): Promise<unknown> } }
			).IntercomBridge.refresh();
		});
		const boot = await bootOf(ada.guid);
		expect(boot).toMatchObject({ verified: true, email: "ada@example.com", name: "Ada" });
		expect(
			await page.evaluate(
				() => (window as unknown as { intercomSettings: { user_id: string } }).intercomSettings.user_id,
			),
		).toBe(ada.guid);
		expect(await page.evaluate(() => document.title)).toBe("SPA"); // no reload happened
		await page.screenshot({ path: join(shots, "spa-after-sign-in.png") });
	});
});

function spaApp(bridge: IntercomBridge) {
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
	// Sign-out as the README shows it: forget the visitor, and end the Messenger session.
	app.post("/signout", async (c) => {
		c.header("Set-Cookie", await bridge.contacts.forget(c.req.raw));
		return c.html(
			`<!doctype html><html><body><h1>Signed out</h1>${bridge.messenger.shutdownScript()}</body></html>`,
		);
	});
	return app;
}

describe("Messenger in Chromium: consent gate and lazy loading", () => {
	it("loads nothing before the consent, boots after agree, shuts down after revoke", async () => {
		const { bridge } = await bridgeFixture({ messenger: { loadAfterConsent: "data" } });
		const app = spaApp(bridge);
		const url = await serveApp(app);
		const { context, page } = await newPage();
		const widgetRequests: string[] = [];
		page.on("request", (r) => {
			if (r.url().includes("/widget/")) widgetRequests.push(r.url());
		});
		await page.goto(`${url}/spa`);
		await page.waitForTimeout(500);
		expect(widgetRequests).toEqual([]);
		expect((await context.cookies()).filter((c) => c.name.startsWith("intercom"))).toEqual([]);

		await page.evaluate(() =>
			(window as unknown as { IntercomBridge: { agree(c: string): Promise<unknown> } }).IntercomBridge.agree(
				"data",
			),
		);
		const guid = await visitorGuid(context);
		expect(await bootOf(guid)).toMatchObject({ verified: true });
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });

		const answer = await page.evaluate(() =>
			(
				window as unknown as { IntercomBridge: { revoke(c: string): Promise<unknown> } }
			).IntercomBridge.revoke("data"),
		);
		expect(answer).toMatchObject({ agreed: false, shutdown: true });
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "detached" });
	});

	it("ends the Messenger session on sign-out: the intercom-session cookie and the visitor cookie go (S6)", async () => {
		const { bridge } = await bridgeFixture();
		const url = await serveApp(spaApp(bridge));
		const { context, page } = await newPage();
		await page.goto(`${url}/spa`);
		await page.locator("#intercom-emulator-launcher").waitFor({ state: "visible" });
		const names = async () => (await context.cookies()).map((c) => c.name).sort();
		expect(await names()).toEqual(["ib_contact", "intercom-session-abc123"]);
		// The sign-out page: a form post, as a site's sign-out button would send it.
		await page.evaluate(() => {
			const form = document.createElement("form");
			form.method = "post";
			form.action = "/signout";
			document.body.appendChild(form);
			form.submit();
		});
		await page.waitForURL(`${url}/signout`);
		await expect.poll(names).toEqual([]);
	});

	it("lazy mode loads the widget only on the first interaction", async () => {
		const { bridge } = await bridgeFixture({ messenger: { lazy: { idleTimeoutMs: 60_000 } } });
		const app = await ADAPTERS.hono(bridge);
		cleanups.push(() => app.close());
		const { context, page } = await newPage();
		await page.goto(`${app.url}/`);
		await page.waitForTimeout(700);
		expect(await page.locator('script[src*="/widget/"]').count()).toBe(0);
		await page.click("#cta");
		const guid = await visitorGuid(context);
		expect(await bootOf(guid)).toMatchObject({ verified: true });
	});
});
