/**
 * "Get token" against the Intercom emulator, the OAuth state rules (docs/reliability.md A7), and
 * the App ID and region filled in from the token's workspace (`GET /me`), for a US and an EU one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { rateBudgetKey } from "../../src/intercom/rate-budget.ts";
import { createLogger } from "../../src/logger.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { type AdminFixture, adminFixture, browser } from "./admin-harness.ts";

const emulator = createIntercomEmulator({
	oauthClients: [{ clientId: "client-1", clientSecret: "client-secret-value-1" }],
	apps: [{ appId: "abc123" }],
});
let f: AdminFixture;
let b: ReturnType<typeof browser>;
let csrf: string;
const PAGE = "/admin/sites/default/data-access";

/**
 * Presses Get token and Authorize (in workspace `appId` when the emulator has several); returns
 * the callback path our app is sent back to.
 */
async function authorize(
	who: ReturnType<typeof browser>,
	token: string,
	options: { site?: string; appId?: string; on?: typeof emulator } = {},
): Promise<string> {
	const on = options.on ?? emulator;
	const start = await who.post(`/admin/sites/${options.site ?? "default"}/oauth/start`, { _csrf: token });
	expect(start.status).toBe(303);
	const authorizeUrl = new URL(start.headers.get("location") ?? "");
	expect(authorizeUrl.searchParams.get("redirect_uri")).toBe("http://admin.test/admin/oauth/callback");
	const page = await (await on.fetch(authorizeUrl)).text();
	const field = (n: string) => new RegExp(`name="${n}" value="([^"]*)"`).exec(page)?.[1] ?? "";
	const res = await on.fetch(new URL("oauth/authorize", authorizeUrl), {
		method: "POST",
		body: new URLSearchParams({
			client_id: field("client_id"),
			state: field("state"),
			redirect_uri: field("redirect_uri"),
			app_id: options.appId ?? field("app_id"),
			decision: "authorize",
		}),
		headers: { "content-type": "application/x-www-form-urlencoded" },
		redirect: "manual",
	});
	const back = new URL(res.headers.get("location") ?? "");
	return `${back.pathname}${back.search}`;
}

beforeAll(async () => {
	f = await adminFixture({ endpoints: (r) => emulator.endpoints(r), fetch: emulator.fetch });
	b = browser(f.app);
	await b.signIn();
	csrf = await b.csrf();
});
afterAll(async () => {
	await f.close();
});

describe("Get token", () => {
	it("is disabled until client id and secret are saved", async () => {
		const page = await (await b.get(PAGE)).text();
		expect(page).toContain("Access token is not configured");
		expect(page).toMatch(/id="get-token" disabled/);
		expect(page).toContain("http://admin.test/admin/oauth/callback");
		const res = await b.post("/admin/sites/default/oauth/start", { _csrf: csrf });
		expect(res.headers.get("location")).toContain("oauth_error=not_configured");
	});

	it("runs the round trip and shows the connected workspace", async () => {
		await f.store.setSetting(1, "clientId", "client-1");
		await f.store.setSetting(1, "clientSecret", "client-secret-value-1");
		const callback = await authorize(b, csrf);
		const res = await b.get(callback);
		expect(res.status).toBe(303);
		// The site had no App ID or region: both come from the token's workspace.
		expect(res.headers.get("location")).toBe(`${PAGE}?connected=1&filled=appId,region`);
		const token = (await f.store.getSettings(1)).accessToken ?? "";
		expect(token.length).toBeGreaterThan(8);
		const page = await (await b.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("Access token is configured");
		expect(page).toContain("abc123");
		expect(page).not.toContain(token);
		// Replaying the same callback is refused: the state was used.
		const replay = await b.get(callback);
		expect(replay.status).toBe(400);
	});

	it("refuses another session's state and stores nothing", async () => {
		await f.store.clearSetting(1, "accessToken");
		const other = browser(f.app);
		await other.signIn();
		const callback = await authorize(other, await other.csrf());
		await b.post("/admin/sites/default/oauth/start", { _csrf: csrf });
		expect((await b.get(callback)).status).toBe(400);
		expect((await f.store.getSettings(1)).accessToken).toBeNull();
	});

	it("refuses a state older than 10 minutes", async () => {
		const callback = await authorize(b, csrf);
		f.clock.now += 11 * 60_000;
		await b.get("/admin/contacts"); // keep the session alive
		const res = await b.get(callback);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("More than 10 minutes");
		expect((await f.store.getSettings(1)).accessToken).toBeNull();
	});

	it("hops once when the cookie did not come along (cross-site return)", async () => {
		const res = await f.app.request("http://admin.test/admin/oauth/callback?code=x&state=y");
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("hop=1");
		const again = await f.app.request("http://admin.test/admin/oauth/callback?code=x&state=y&hop=1");
		expect(again.status).toBe(401);
	});

	it("shows Intercom's refusal and disconnects", async () => {
		await f.store.setSetting(1, "clientSecret", "wrong-secret-value");
		const callback = await authorize(b, csrf);
		const res = await b.get(callback);
		expect(res.headers.get("location")).toContain("oauth_error=");
		const page = await (await b.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("Intercom refused to issue a token");
		await f.store.setSetting(1, "accessToken", "some-token-value-1");
		const out = await b.post("/admin/sites/default/oauth/disconnect", { _csrf: csrf });
		expect(out.headers.get("location")).toBe(`${PAGE}?disconnected=1`);
		expect((await f.store.getSettings(1)).accessToken).toBeNull();
	});
});

describe("the token's workspace fills in the App ID and region", () => {
	const workspaces = createIntercomEmulator({
		oauthClients: [{ clientId: "client-2", clientSecret: "client-secret-value-2" }],
		apps: [
			{ appId: "usapp111", region: "us" },
			{ appId: "euapp222", region: "eu" },
		],
	});
	let g: AdminFixture;
	let w: ReturnType<typeof browser>;
	let token: string;

	/** A new site with the OAuth client saved (no App ID, no region); its code name. */
	async function newSite(codeName: string, settings: Record<string, string> = {}): Promise<number> {
		const site = await g.store.createSite({ codeName, displayName: codeName });
		const all = { clientId: "client-2", clientSecret: "client-secret-value-2", ...settings };
		for (const [k, v] of Object.entries(all)) await g.store.setSetting(site.id, k, v);
		return site.id;
	}
	const exchanges = () => workspaces.requests.filter((r) => r.path === "/auth/eagle/token");

	beforeAll(async () => {
		g = await adminFixture({ endpoints: (r) => workspaces.endpoints(r), fetch: workspaces.fetch });
		w = browser(g.app);
		await w.signIn();
		token = await w.csrf();
	});
	afterAll(async () => {
		await g.close();
	});

	it("fills both from a US workspace, audited, trading the code at the global token host", async () => {
		const id = await newSite("usshop");
		const before = exchanges().length;
		const res = await w.get(await authorize(w, token, { site: "usshop", appId: "usapp111", on: workspaces }));
		expect(res.headers.get("location")).toBe(
			"/admin/sites/usshop/data-access?connected=1&filled=appId,region",
		);
		expect(
			exchanges()
				.slice(before)
				.map((r) => r.region),
		).toEqual(["us"]);
		const settings = await g.store.getSettings(id);
		expect([settings.appId, settings.region]).toEqual(["usapp111", "us"]);
		const audit = await g.store.listSettingsAudit(id);
		const fills = audit.filter((r) => r.action === "oauth-fill");
		expect(fills.map((r) => [r.key, r.actor]).sort()).toEqual([
			["appId", "admin@example.com"],
			["region", "admin@example.com"],
		]);
		const page = await (await w.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("Filled in the App ID and region from the token");
		expect(page).not.toContain("workspace-mismatch");
		expect(await (await w.get("/admin/sites/usshop/audit")).text()).toContain(
			"set from the OAuth token&#39;s workspace",
		);
	});

	it("fills both from an EU workspace, still at the documented global token endpoint", async () => {
		const id = await newSite("eushop");
		const before = exchanges().length;
		const res = await w.get(await authorize(w, token, { site: "eushop", appId: "euapp222", on: workspaces }));
		expect(res.headers.get("location")).toContain("filled=appId,region");
		expect(
			exchanges()
				.slice(before)
				.map((r) => r.region),
		).toEqual(["us"]);
		const settings = await g.store.getSettings(id);
		expect([settings.appId, settings.region]).toEqual(["euapp222", "eu"]);
		// From now on the site talks to the EU host.
		const meBefore = workspaces.requests.length;
		await w.get("/admin/sites/eushop/data-access");
		expect(workspaces.requests.slice(meBefore).find((r) => r.path === "/me")?.region).toBe("eu");
	});

	it("fills only what is empty, and leaves another workspace's App ID alone", async () => {
		const keep = await newSite("keepapp", { appId: "euapp222" });
		await w.get(await authorize(w, token, { site: "keepapp", appId: "euapp222", on: workspaces }));
		expect((await g.store.getSettings(keep)).region).toBe("eu");
		expect(
			(await g.store.listSettingsAudit(keep)).filter((r) => r.action === "oauth-fill").map((r) => r.key),
		).toEqual(["region"]);
		const other = await newSite("otherapp", { appId: "mine999" });
		const res = await w.get(
			await authorize(w, token, { site: "otherapp", appId: "euapp222", on: workspaces }),
		);
		expect(res.headers.get("location")).toBe("/admin/sites/otherapp/data-access?connected=1");
		const settings = await g.store.getSettings(other);
		expect([settings.appId, settings.region]).toEqual(["mine999", "us"]);
	});

	it("warns about a different workspace and offers a CSRF-protected “Use these”", async () => {
		const id = (await g.store.requireSite("otherapp")).id;
		const page = await (await w.get("/admin/sites/otherapp/data-access")).text();
		expect(page).toContain('id="workspace-mismatch"');
		expect(page).toContain("App ID euapp222 (this site: mine999)");
		expect(page).toContain("region EU (this site: US)");
		expect(page).toMatch(
			/action="\/admin\/sites\/otherapp\/oauth\/use-workspace"><input type="hidden" name="_csrf"/,
		);
		const forged = await w.post("/admin/sites/otherapp/oauth/use-workspace", { _csrf: "forged" });
		expect(forged.status).toBe(403);
		expect((await g.store.getSettings(id)).appId).toBe("mine999");
		const used = await w.post("/admin/sites/otherapp/oauth/use-workspace", { _csrf: token });
		expect(used.headers.get("location")).toBe("/admin/sites/otherapp/data-access?used=1&filled=appId,region");
		const settings = await g.store.getSettings(id);
		expect([settings.appId, settings.region]).toEqual(["euapp222", "eu"]);
		const after = await (await w.get(used.headers.get("location") ?? "")).text();
		expect(after).toContain("Saved the App ID and region of the token");
		expect(after).not.toContain("workspace-mismatch");
	});

	it("keeps the token but changes nothing when /me cannot be read, and says so", async () => {
		const id = await newSite("unread");
		const callback = await authorize(w, token, { site: "unread", appId: "usapp111", on: workspaces });
		workspaces.inject({ kind: "status", status: 503, path: "/me" });
		const res = await w.get(callback);
		expect(res.headers.get("location")).toBe(
			"/admin/sites/unread/data-access?connected=1&oauth_error=workspace_unread",
		);
		const settings = await g.store.getSettings(id);
		expect(settings.accessToken).not.toBeNull();
		expect([settings.appId, settings.region]).toEqual([null, "us"]);
		expect((await g.store.listSettingsAudit(id)).some((r) => r.action === "oauth-fill")).toBe(false);
		const page = await (await w.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("so the App ID and region were not changed");
		// "Use these" needs a stored token.
		await g.store.clearSetting(id, "accessToken");
		const used = await w.post("/admin/sites/unread/oauth/use-workspace", { _csrf: token });
		expect(used.headers.get("location")).toBe("/admin/sites/unread/data-access?oauth_error=no_token");
	});

	it("trades the code at the site's regional host when oauthTokenHost is regional", async () => {
		const app = createAdminApp({
			store: g.store,
			logger: createLogger({ level: "silent" }),
			now: () => g.clock.now,
			endpoints: (r) => workspaces.endpoints(r),
			fetch: workspaces.fetch,
			oauthTokenHost: "regional",
		});
		const r = browser(app);
		await r.signIn();
		const id = await newSite("regional", { region: "eu" });
		const before = exchanges().length;
		const res = await r.get(
			await authorize(r, await r.csrf(), { site: "regional", appId: "euapp222", on: workspaces }),
		);
		expect(res.headers.get("location")).toContain("filled=appId");
		expect(
			exchanges()
				.slice(before)
				.map((x) => x.region),
		).toEqual(["eu"]);
		expect((await g.store.getSettings(id)).appId).toBe("euapp222");
		expect(() =>
			createAdminApp({
				store: g.store,
				logger: createLogger({ level: "silent" }),
				oauthTokenHost: "eu" as "regional",
			}),
		).toThrow(/oauthTokenHost "eu" must be "global" or "regional"/);
	});
});

describe("GET /me on the workspace's shared rate budget", () => {
	const intercom = createIntercomEmulator({ tokens: ["budget-token"], apps: [{ appId: "budget1" }] });
	const key = rateBudgetKey({ appId: "budget1", region: "us", token: "budget-token" });
	let g: AdminFixture;
	let w: ReturnType<typeof browser>;
	const meCalls = () => intercom.requests.filter((r) => r.path === "/me").length;

	beforeAll(async () => {
		g = await adminFixture({ endpoints: (r) => intercom.endpoints(r), fetch: intercom.fetch });
		w = browser(g.app);
		await w.signIn();
		await g.store.setSetting(1, "accessToken", "budget-token");
		await g.store.setSetting(1, "appId", "budget1");
	});
	afterAll(async () => {
		await g.close();
	});

	it("takes a slot of the budget the sync uses (the console's clock stands still: one window)", async () => {
		const page = await (await w.get(PAGE)).text();
		expect(page).toContain("budget1");
		expect(meCalls()).toBe(1);
		// The page's call took the window's first slot; this take is the second.
		expect((await g.store.takeRateBudget(key, { priority: "live" })).used).toBe(2);
	});

	it("when the budget is used up, says so on the page and calls nothing (no 500, no wait)", async () => {
		await g.store.blockRateBudget(key, g.clock.now + 60_000);
		const before = meCalls();
		const res = await w.get(PAGE);
		expect(res.status).toBe(200);
		const page = await res.text();
		expect(page).toContain("rate limit for this workspace is used up for the moment");
		const csrf = await w.csrf();
		const used = await w.post("/admin/sites/default/oauth/use-workspace", { _csrf: csrf });
		expect(used.headers.get("location")).toBe("/admin/sites/default/data-access?oauth_error=workspace_busy");
		expect(meCalls()).toBe(before);
		expect((await g.store.getSettings(1)).appId).toBe("budget1");
	});
});
