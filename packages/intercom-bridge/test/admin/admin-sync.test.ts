/**
 * The console's "Sync to Intercom" page (decision 0031): the backfill's state, Start (CSRF,
 * POST-redirect-GET, an audit row) running it in the server process against the emulator until
 * every named contact is in Intercom, a read-only user without the button, a site that does not
 * sync contacts told what to set.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Site } from "../../src/store/site-store.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { TOKEN } from "../faults/fault-env.ts";
import { waitFor } from "../harness/wait-for.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

const APP_ID = "abc123";
let f: AdminFixture;
let site: Site;
let emulator: ReturnType<typeof createIntercomEmulator>;

beforeEach(async () => {
	emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: APP_ID }] });
	f = await adminFixture({ endpoints: (r) => emulator.endpoints(r), fetch: emulator.fetch });
	// The real clock: the run's lease and the rate budget's windows move with time.
	Object.defineProperty(f.clock, "now", { get: () => Date.now() });
	site = await f.store.requireSite("default");
	for (const [k, v] of Object.entries({ appId: APP_ID, accessToken: TOKEN, sendContactData: "always" }))
		await f.store.setSetting(site.id, k, v);
	for (let i = 0; i < 6; i++) await f.store.createContact({ email: `s${i}@example.com` });
	await f.store.createContact({});
});
afterEach(async () => {
	await f.close();
});

describe("console sync page", () => {
	it("starts the backfill with a CSRF-checked post, shows its progress, audits it", async () => {
		const b = browser(f.app);
		await b.signIn();
		const empty = await (await b.get("/admin/sites/default/sync")).text();
		expect(empty).toContain("No backfill yet");
		expect(empty).toContain("Start backfill");
		// Not syncing contacts yet: told what to set, nothing runs.
		const csrf = await b.csrf("/admin/sites/default/sync");
		const refused = await b.post("/admin/sites/default/sync/backfill", { _csrf: csrf });
		expect(refused.status).toBe(303);
		expect(refused.headers.get("location")).toMatch(/sync\?m=not-syncing$/);
		await f.store.setSetting(site.id, "syncContacts", "true");
		// Without the form token: refused, nothing runs.
		expect((await b.post("/admin/sites/default/sync/backfill", {})).status).toBe(403);
		expect(await f.store.getBackfill(site.id)).toBeNull();
		const started = await b.post("/admin/sites/default/sync/backfill", { _csrf: csrf });
		expect(started.status).toBe(303);
		expect(started.headers.get("location")).toMatch(/sync\?m=started$/);
		const run = await waitFor(
			async () => {
				const r = await f.store.getBackfill(site.id);
				return r?.state === "done" ? r : null;
			},
			{
				deadlineMs: 20_000,
				describe: async () =>
					`the backfill to be done: ${JSON.stringify(await f.store.getBackfill(site.id))}`,
			},
		);
		expect(run).toMatchObject({ total: 6, sent: 6, startedBy: "admin:admin@example.com" });
		expect(emulator.contacts()).toHaveLength(6);
		const shown = await (await b.get("/admin/sites/default/sync")).text();
		expect(shown).toContain("Done");
		expect(shown).toContain('<progress max="6" value="6">');
		const audit = await (await b.get("/admin/sites/default/audit")).text();
		expect(audit).toContain("started the backfill");
		// GET on the action changes nothing.
		expect((await b.get("/admin/sites/default/sync/backfill")).status).toBe(405);
	});

	it("shows no button to a read-only user, and refuses their post", async () => {
		await f.store.addAdminUser({ email: "ro@example.com", password: PASSWORD, role: "read" });
		const b = browser(f.app);
		await b.signIn("ro@example.com");
		const shown = await (await b.get("/admin/sites/default/sync")).text();
		expect(shown).not.toContain("Start backfill");
		const csrf = await b.csrf("/admin/sites/default/sync");
		expect((await b.post("/admin/sites/default/sync/backfill", { _csrf: csrf })).status).toBe(403);
		expect((await b.get("/admin/sites/nope/sync")).status).toBe(404);
	});
});
