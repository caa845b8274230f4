/** "Get token" against the Intercom emulator, and the OAuth state rules (docs/reliability.md A7). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** Presses Get token and Authorize; returns the callback path our app is sent back to. */
async function authorize(who: ReturnType<typeof browser>, token: string): Promise<string> {
	const start = await who.post("/admin/sites/default/oauth/start", { _csrf: token });
	expect(start.status).toBe(303);
	const authorizeUrl = new URL(start.headers.get("location") ?? "");
	expect(authorizeUrl.searchParams.get("redirect_uri")).toBe("http://admin.test/admin/oauth/callback");
	const page = await (await emulator.fetch(authorizeUrl)).text();
	const field = (n: string) => new RegExp(`name="${n}" value="([^"]*)"`).exec(page)?.[1] ?? "";
	const res = await emulator.fetch(new URL("oauth/authorize", authorizeUrl), {
		method: "POST",
		body: new URLSearchParams({
			client_id: field("client_id"),
			state: field("state"),
			redirect_uri: field("redirect_uri"),
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
		expect(res.headers.get("location")).toBe(`${PAGE}?connected=1`);
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
