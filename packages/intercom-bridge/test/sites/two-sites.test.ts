/**
 * Two sites in one process, end to end over real sockets: one listening server (the service's
 * own composition: console, bridge routes, and a page with the Messenger), reached with different
 * Host headers. Each site has its own App ID, region, identity secret, client secret, data policy,
 * webhook API key and accepted activity types; a page gets its own site's Messenger, a webhook key
 * of site A is refused on site B's host, site A's activity type is refused on site B once B accepts
 * only its own, and an administrator of site A alone can neither see nor change site B.
 */
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { PGlite } from "@electric-sql/pglite";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { pgliteStore } from "../../src/db/pglite.ts";
import { connectionOf } from "../../src/http/client-address.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import { type RunningServer, startServer } from "../../src/server/start-server.ts";
import type { Store } from "../../src/store/create-store.ts";
import { migratedPglite, TEST_SECRET_KEY } from "../harness/databases.ts";
import { BROWSER_UA } from "../harness/test-bridge.ts";

const PASSWORD = "correct horse battery staple";
const SITES = {
	a: {
		codeName: "shopa",
		host: "shop-a.test",
		settings: {
			enabled: "true",
			appId: "appaaa1",
			region: "us",
			identityVerificationSecret: "identity-secret-of-site-a",
			clientSecret: "client-secret-of-site-a",
			sendContactData: "always",
			webhookApiKey: "webhook-key-of-site-a-0123456789",
		},
	},
	b: {
		codeName: "shopb",
		host: "shop-b.test",
		settings: {
			enabled: "true",
			appId: "appbbb2",
			region: "eu",
			identityVerificationSecret: "identity-secret-of-site-b",
			clientSecret: "client-secret-of-site-b",
			sendContactData: "never",
			webhookApiKey: "webhook-key-of-site-b-9876543210",
		},
	},
} as const;

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

let store: Store;
let server: RunningServer;
const siteIds: Record<"a" | "b", number> = { a: 0, b: 0 };

/** One HTTP request over a socket to the server, with the Host header given (fetch cannot set it). */
function send(
	host: string,
	path: string,
	options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: "127.0.0.1",
				port: server.port,
				path,
				method: options.method ?? "GET",
				headers: { host, ...options.headers },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text: Buffer.concat(chunks).toString(),
					}),
				);
				res.on("error", reject);
			},
		);
		req.on("error", reject);
		req.end(options.body);
	});
}

/** A visitor's browser on one host: keeps that host's cookies, as a browser does. */
function visitor(host: string) {
	const jar = new Map<string, string>();
	const keep = (answer: Answer) => {
		const lines = answer.headers["set-cookie"] ?? [];
		for (const line of Array.isArray(lines) ? lines : [lines]) {
			const [pair = ""] = line.split(";");
			const at = pair.indexOf("=");
			if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1));
		}
		return answer;
	};
	const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
	return {
		jar,
		async page(path = "/") {
			return keep(
				await send(host, path, {
					headers: { "user-agent": BROWSER_UA, "sec-fetch-dest": "document", cookie: cookie() },
				}),
			);
		},
		async get(path: string) {
			return keep(await send(host, path, { headers: { cookie: cookie() } }));
		},
		async post(path: string, fields: Record<string, string>) {
			return keep(
				await send(host, path, {
					method: "POST",
					body: new URLSearchParams(fields).toString(),
					headers: {
						"content-type": "application/x-www-form-urlencoded",
						"sec-fetch-site": "same-origin",
						cookie: cookie(),
					},
				}),
			);
		},
	};
}

/** A webhook as a Series sends it: JSON with the key in X-Api-Key, to the host given. */
const webhook = (host: string, path: string, apiKey: string, body: unknown) =>
	send(host, `/intercom${path}`, {
		method: "POST",
		body: JSON.stringify(body),
		headers: { "content-type": "application/json", "x-api-key": apiKey },
	});

const hidden = (page: string, name: string) =>
	new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? "";

/** Signs in to the console (on its own host) and returns the browser and its form token. */
async function signIn(email: string) {
	const b = visitor("admin.test");
	const login = await b.get("/admin/login");
	const res = await b.post("/admin/login", {
		_login: hidden(login.text, "_login"),
		next: "/admin",
		email,
		password: PASSWORD,
	});
	expect(res.status).toBe(303);
	const csrf = hidden((await b.get("/admin/contacts")).text, "_csrf");
	expect(csrf).not.toBe("");
	return { b, csrf };
}

/** The Messenger settings a page carries (the inline script's JSON). */
function messengerSettings(page: string): Record<string, unknown> {
	const json = /window\.intercomSettings\s*=\s*(\{.*?\});/s.exec(page)?.[1];
	expect(json, "the page has a Messenger").toBeDefined();
	return JSON.parse(json ?? "{}") as Record<string, unknown>;
}

const userHash = (secret: string, guid: string) => createHmac("sha256", secret).update(guid).digest("hex");

beforeAll(async () => {
	const pglite = (await migratedPglite()) as PGlite;
	store = await pgliteStore({ dataDir: null, pglite, secretKey: TEST_SECRET_KEY });
	await store.prepare();
	await getJobQueue(store).ensure();
	await store.addActivityType({ codeName: "pagevisit", displayName: "Page visit" });
	await store.addActivityType({ codeName: "order_placed", displayName: "Order placed" });
	for (const key of ["a", "b"] as const) {
		const { codeName, host, settings } = SITES[key];
		const site = await store.createSite({
			codeName,
			displayName: `Shop ${key.toUpperCase()}`,
			hostNames: [host],
		});
		siteIds[key] = site.id;
		for (const [k, v] of Object.entries(settings)) await store.setSetting(site.id, k, v);
	}
	await store.addAdminUser({ email: "owner@example.com", password: PASSWORD, role: "modify" });
	await store.addAdminUser({
		email: "a-admin@example.com",
		password: PASSWORD,
		role: "modify",
		siteId: siteIds.a,
	});
	await store.addAdminUser({
		email: "b-admin@example.com",
		password: PASSWORD,
		role: "modify",
		siteId: siteIds.b,
	});

	const logger = createLogger({ level: "silent" });
	const bridge = createIntercomBridge({ store, logger });
	const app = new Hono();
	app.route("/", createAdminApp({ store, logger }));
	app.all("/intercom/*", (c) => bridge.handler(c.req.raw, connectionOf(c.env)));
	// A shop page: the Messenger of the site the Host names, before </body>.
	app.get("/", async (c) => {
		const messenger = await bridge.messenger.page(c.req.raw);
		const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
		if (messenger.setCookie) headers["set-cookie"] = messenger.setCookie;
		if (messenger.cacheControl) headers["cache-control"] = messenger.cacheControl;
		return new Response(`<!doctype html><title>Shop</title><body><h1>Shop</h1>${messenger.html}</body>`, {
			headers,
		});
	});
	server = await startServer({ store, logger, port: 0, app });
});
afterAll(async () => {
	await server?.close();
});

describe("two sites in one process", () => {
	const shopperA = visitor(SITES.a.host);
	const shopperB = visitor(SITES.b.host);
	let guidA = "";
	let guidB = "";

	it("gives each page its own site's Messenger: App ID, region, identity", async () => {
		const pageA = await shopperA.page();
		expect(pageA.status).toBe(200);
		const a = messengerSettings(pageA.text);
		guidA = String(a.user_id);
		expect(a.app_id).toBe("appaaa1");
		expect(a.api_base).toBeUndefined(); // US: the Messenger's default, left out
		expect(a.user_hash).toBe(userHash(SITES.a.settings.identityVerificationSecret, guidA));

		const pageB = await shopperB.page();
		const b = messengerSettings(pageB.text);
		guidB = String(b.user_id);
		expect(guidB).not.toBe(guidA);
		expect(b.app_id).toBe("appbbb2");
		expect(b.api_base).toBe("https://api-iam.eu.intercom.io");
		expect(b.user_hash).toBe(userHash(SITES.b.settings.identityVerificationSecret, guidB));
		expect(pageB.text).not.toContain("appaaa1");
	});

	it("takes a webhook only with the key of the site its host names", async () => {
		const update = (guid: string, email: string) => ({
			ContactGUID: guid,
			ContactEmail: email,
			ContactFirstName: "Ann",
		});
		const crossed = await webhook(
			SITES.b.host,
			"/updatecontact",
			SITES.a.settings.webhookApiKey,
			update(guidB, "b@example.com"),
		);
		expect(crossed.status, crossed.text).toBe(401);
		expect(crossed.text).not.toContain(SITES.a.settings.webhookApiKey);
		const crossedBack = await webhook(
			SITES.a.host,
			"/updatecontact",
			SITES.b.settings.webhookApiKey,
			update(guidA, "a@example.com"),
		);
		expect(crossedBack.status, crossedBack.text).toBe(401);
		expect((await store.getContact(guidA))?.email ?? null).toBeNull();
		expect((await store.getContact(guidB))?.email ?? null).toBeNull();

		expect(
			(
				await webhook(
					SITES.a.host,
					"/updatecontact",
					SITES.a.settings.webhookApiKey,
					update(guidA, "a@example.com"),
				)
			).status,
		).toBe(200);
		expect(
			(
				await webhook(
					SITES.b.host,
					"/updatecontact",
					SITES.b.settings.webhookApiKey,
					update(guidB, "b@example.com"),
				)
			).status,
		).toBe(200);
		const logged = await webhook(SITES.a.host, "/logactivity", SITES.a.settings.webhookApiKey, {
			ContactGuid: guidA,
			ActivityType: "pagevisit",
			ActivityValue: "/a",
		});
		expect(logged.status).toBe(200);
		const crossedLog = await webhook(SITES.b.host, "/logactivity", SITES.a.settings.webhookApiKey, {
			ContactGuid: guidA,
			ActivityType: "pagevisit",
			ActivityValue: "/b",
		});
		expect(crossedLog.status).toBe(401);
		const activities = await store.listActivities(guidA);
		expect(activities.map((x) => [x.activity.siteId, x.activity.title])).toEqual([
			[siteIds.a, "Page visit - /a"],
		]);
		// The same Series body on both sites is two deliveries: duplicates are told apart per site.
		const same = { ContactGuid: guidA, ActivityType: "pagevisit", ActivityValue: "/same" };
		expect((await webhook(SITES.a.host, "/logactivity", SITES.a.settings.webhookApiKey, same)).status).toBe(
			200,
		);
		expect((await webhook(SITES.b.host, "/logactivity", SITES.b.settings.webhookApiKey, same)).status).toBe(
			200,
		);
		const same2 = await store.listActivities(guidA);
		expect(
			same2
				.filter((x) => x.activity.title.endsWith("/same"))
				.map((x) => x.activity.siteId)
				.sort(),
		).toEqual([siteIds.a, siteIds.b].sort());
	});

	it("answers the cache-safe settings endpoint for the site the host names", async () => {
		const read = async (who: typeof shopperA) =>
			JSON.parse((await who.get("/intercom/messenger/settings")).text) as {
				enabled: boolean;
				settings: Record<string, unknown>;
			};
		const a = await read(shopperA);
		const b = await read(shopperB);
		expect([a.settings.app_id, a.settings.user_id]).toEqual(["appaaa1", guidA]);
		expect([b.settings.app_id, b.settings.user_id, b.settings.api_base]).toEqual([
			"appbbb2",
			guidB,
			"https://api-iam.eu.intercom.io",
		]);
		expect(b.settings.user_hash).toBe(userHash(SITES.b.settings.identityVerificationSecret, guidB));
	});

	it("applies each site's data policy: A sends name and email, B never does", async () => {
		const a = messengerSettings((await shopperA.page()).text);
		expect(a.email).toBe("a@example.com");
		expect(a.name).toBe("Ann");
		const b = messengerSettings((await shopperB.page()).text);
		expect(b.user_id).toBe(guidB);
		expect(b.email).toBeUndefined();
		expect(b.name).toBeUndefined();
	});

	it("keeps an administrator of site A to site A in the console", async () => {
		const { b: admin, csrf } = await signIn("a-admin@example.com");
		const ownSetup = await admin.get("/admin/sites/shopa/setup");
		expect(ownSetup.status).toBe(200);
		expect(ownSetup.text).toContain("appaaa1");
		expect(ownSetup.text).not.toContain("Shop B");

		for (const page of ["setup", "webhooks", "data-access", "audit"]) {
			const other = await admin.get(`/admin/sites/shopb/${page}`);
			// As if site B did not exist: a 404 reveals nothing about it.
			expect(other.status, page).toBe(404);
			expect(other.text, page).not.toContain("appbbb2");
		}
		const change = await admin.post("/admin/sites/shopb/setup", {
			_csrf: csrf,
			enabled: "true",
			appId: "stolen1",
			region: "eu",
		});
		expect(change.status).toBe(404);
		const rotate = await admin.post("/admin/sites/shopb/webhooks/rotate", { _csrf: csrf });
		expect(rotate.status).toBe(404);
		const b = await store.getSettings(siteIds.b);
		expect(b.appId).toBe("appbbb2");
		expect(b.webhookApiKey).toBe(SITES.b.settings.webhookApiKey);

		// Contacts are shared, but A's administrator sees only those that belong to site A.
		const contacts = await admin.get("/admin/contacts");
		expect(contacts.status).toBe(200);
		expect(contacts.text).toContain(guidA);
		expect(contacts.text).not.toContain(guidB);
		const contactB = await admin.get(`/admin/contacts/${guidB}`);
		expect(contactB.status).toBe(404);
		expect(contactB.text).not.toContain("b@example.com");

		// Site A's own settings are still theirs to change.
		const own = await admin.post("/admin/sites/shopa/setup", {
			_csrf: csrf,
			enabled: "true",
			appId: "appaaa9",
			clientId: "",
			region: "us",
		});
		expect(own.status).toBe(303);
		expect((await store.getSettings(siteIds.a)).appId).toBe("appaaa9");
	});

	it("accepts on each site only the activity types that site chose", async () => {
		const choice = { accept: "chosen", "type:order_placed": "on" };
		// Site A's administrator cannot choose for site B: as if it did not exist.
		const { b: adminA, csrf: csrfA } = await signIn("a-admin@example.com");
		const stolen = await adminA.post("/admin/sites/shopb/webhooks/activity-types", {
			_csrf: csrfA,
			...choice,
		});
		expect(stolen.status).toBe(404);
		expect(await store.listSiteActivityTypes(siteIds.b)).toBeNull();

		const { b: adminB, csrf: csrfB } = await signIn("b-admin@example.com");
		const saved = await adminB.post("/admin/sites/shopb/webhooks/activity-types", {
			_csrf: csrfB,
			...choice,
		});
		expect(saved.status).toBe(303);
		expect(await store.listSiteActivityTypes(siteIds.b)).toEqual(["order_placed"]);
		expect(await store.listSiteActivityTypes(siteIds.a)).toBeNull();

		const log = (site: "a" | "b", guid: string, type: string, value: string) =>
			webhook(SITES[site].host, "/logactivity", SITES[site].settings.webhookApiKey, {
				ContactGuid: guid,
				ActivityType: type,
				ActivityValue: value,
			});
		// Site A's type on B's host: refused as a disabled type is, and nothing written.
		const refused = await log("b", guidB, "pagevisit", "/refused");
		expect(refused.status).toBe(400);
		expect(JSON.parse(refused.text)).toMatchObject({
			error: { message: "Activity type is incorrect or disabled." },
		});
		// The same type on A, and B's own type on B, are logged.
		expect((await log("a", guidA, "pagevisit", "/still-a")).status).toBe(200);
		expect((await log("b", guidB, "order_placed", "42")).status).toBe(200);
		const titles = async (guid: string) =>
			(await store.listActivities(guid)).map((x) => [x.activity.siteId, x.activity.title]);
		expect(await titles(guidB)).toEqual([[siteIds.b, "Order placed - 42"]]);
		expect(await titles(guidA)).toContainEqual([siteIds.a, "Page visit - /still-a"]);
	});

	it("lets an administrator of every site see both", async () => {
		const { b: owner } = await signIn("owner@example.com");
		expect((await owner.get("/admin/sites/shopb/setup")).text).toContain("appbbb2");
		const contacts = (await owner.get("/admin/contacts")).text;
		expect(contacts).toContain(guidA);
		expect(contacts).toContain(guidB);
	});
});
