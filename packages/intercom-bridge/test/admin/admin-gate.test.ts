/** The demo's "simulate Intercom" page fires webhooks with the real API key: administrators only. */
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminGate } from "../../src/admin/admin-gate.ts";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createLogger } from "../../src/logger.ts";
import { createIntercomEmulator } from "../../src/testing/create-intercom-emulator.ts";
import { createSimulatorRoutes } from "../../src/testing/create-simulator-routes.ts";
import { type AdminFixture, adminFixture, browser, hidden, PASSWORD } from "./admin-harness.ts";

let f: AdminFixture;
let app: Hono;
const sent: string[] = [];

beforeAll(async () => {
	f = await adminFixture();
	const emulator = createIntercomEmulator();
	const adminOptions = {
		store: f.store,
		logger: createLogger({ level: "silent" }),
		now: () => f.clock.now,
		returnPaths: ["/simulate-intercom"],
	};
	app = new Hono();
	app.route("/", createAdminApp(adminOptions));
	app.route(
		"/simulate-intercom",
		createSimulatorRoutes({
			emulator,
			webhookBaseUrl: "http://admin.test/intercom",
			apiKey: async () => {
				sent.push("api key read");
				return "real-key";
			},
			activityTypes: async () => [],
			guard: createAdminGate(adminOptions),
		}),
	);
}, 120_000);
afterAll(async () => {
	await f.close();
});

describe("simulate Intercom", () => {
	it("sends a signed-out visitor to the console's sign-in, which brings them back", async () => {
		const b = browser(app);
		const res = await b.get("/simulate-intercom");
		expect(res.status).toBe(302);
		const location = res.headers.get("location") ?? "";
		expect(location).toBe(`/admin/login?next=${encodeURIComponent("/simulate-intercom")}`);
		const page = await (await b.get(location)).text();
		const signedIn = await b.post("/admin/login", {
			_login: hidden(page, "_login"),
			next: hidden(page, "next"),
			email: "admin@example.com",
			password: PASSWORD,
		});
		expect(signedIn.status).toBe(303);
		expect(signedIn.headers.get("location")).toBe("/simulate-intercom");
		const sim = await b.get("/simulate-intercom");
		expect(sim.status).toBe(200);
		expect(await sim.text()).toContain("Simulate Intercom");
	});

	it("refuses a webhook to fire without a session, before reading the API key", async () => {
		for (const path of [
			"/simulate-intercom/update",
			"/simulate-intercom/activity",
			"/simulate-intercom/conversation",
		]) {
			const res = await browser(app).post(path, { userId: "x" });
			expect(res.status, path).toBe(401);
		}
		expect(sent).toEqual([]);
	});

	it("does not let the sign-in return anywhere else outside the console", async () => {
		const b = browser(app);
		const page = await (await b.get(`/admin/login?next=${encodeURIComponent("/simulate-intercomX")}`)).text();
		expect(hidden(page, "next")).toBe("/admin");
	});
});
