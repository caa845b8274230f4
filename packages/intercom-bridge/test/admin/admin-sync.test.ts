/**
 * The console's "Sync to Intercom" page (decision 0031): the backfill's state, Start (CSRF,
 * POST-redirect-GET, an audit row) running it in the server process against the emulator until
 * every named contact is in Intercom, with the service's data attribute mapping; a read-only user
 * without the button, a site that does not sync contacts told what to set. The Reconcile card
 * (decision 0032): counts and bounded lists, "Fix missing and changed" down to no difference, an
 * unexpected person left alone, a missing token and a failing Intercom told in words.
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
	f = await adminFixture({
		endpoints: (r) => emulator.endpoints(r),
		fetch: emulator.fetch,
		// As `serve` passes INTERCOM_BRIDGE_DATA_ATTRIBUTES: the console's backfill sends the same.
		dataAttributes: { "customFields.plan": { attribute: "plan", type: "string" } },
	});
	// The real clock: the run's lease and the rate budget's windows move with time.
	Object.defineProperty(f.clock, "now", { get: () => Date.now() });
	site = await f.store.requireSite("default");
	for (const [k, v] of Object.entries({ appId: APP_ID, accessToken: TOKEN, sendContactData: "always" }))
		await f.store.setSetting(site.id, k, v);
	await f.store.createContact({ email: "s0@example.com", customFields: { plan: "pro" } });
	for (let i = 1; i < 6; i++) await f.store.createContact({ email: `s${i}@example.com` });
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
		// The mapped attribute arrived, as live sync would send it.
		expect(emulator.contacts().find((c) => c.email === "s0@example.com")?.custom_attributes).toEqual({
			plan: "pro",
		});
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
		expect(shown).not.toContain("Compare with Intercom");
		const csrf = await b.csrf("/admin/sites/default/sync");
		expect((await b.post("/admin/sites/default/sync/backfill", { _csrf: csrf })).status).toBe(403);
		expect((await b.post("/admin/sites/default/sync/reconcile", { _csrf: csrf })).status).toBe(403);
		expect((await b.post("/admin/sites/default/sync/reconcile/fix", { _csrf: csrf })).status).toBe(403);
		expect((await b.get("/admin/sites/nope/sync")).status).toBe(404);
	});

	describe("Reconcile", () => {
		it("compares with Intercom: counts and the first 50 of each list; the fix leaves no difference but the unexpected", async () => {
			await f.store.setSetting(site.id, "syncContacts", "true");
			const ada = await f.store.createContact({ email: "ada@example.com", firstName: "Ada" });
			emulator.seedContact({ role: "user", external_id: ada.guid, email: "ada@example.com", name: "Old" });
			emulator.seedContact({ role: "user", external_id: "not-ours", email: "stranger@example.com" });
			for (let i = 0; i < 50; i++) await f.store.createContact({ email: `m${i}@example.com` });
			const b = browser(f.app);
			await b.signIn();
			const idle = await (await b.get("/admin/sites/default/sync")).text();
			expect(idle).toContain("Compare with Intercom");
			expect(idle).not.toContain("Fix missing and changed</button>");
			const csrf = await b.csrf("/admin/sites/default/sync");
			expect((await b.post("/admin/sites/default/sync/reconcile", {})).status).toBe(403);
			const compared = await b.post("/admin/sites/default/sync/reconcile", { _csrf: csrf });
			expect(compared.status).toBe(200);
			const shown = await compared.text();
			expect(shown).toContain("<dt>Missing in Intercom</dt><dd>56</dd>");
			expect(shown).toContain("Missing in Intercom (56)");
			expect(shown).toContain("… and 6 more");
			expect(shown).toContain("Name or email differs (1)");
			expect(shown).toContain("here <q>Ada</q>, in Intercom <q>Old</q>");
			expect(shown).toContain("Unexpected in Intercom (1)");
			expect(shown).toContain("never deleted or merged automatically");
			expect(shown).toContain("Fix missing and changed</button>");
			// Comparing changes nothing in Intercom.
			expect(emulator.contacts()).toHaveLength(2);

			const fixed = await b.post("/admin/sites/default/sync/reconcile/fix", { _csrf: csrf });
			expect(fixed.status).toBe(200);
			const after = await fixed.text();
			expect(after).toContain("Sent 57 contact(s) again");
			expect(after).toContain("<dt>Missing in Intercom</dt><dd>0</dd>");
			expect(after).toContain("<dt>Name or email differs</dt><dd>0</dd>");
			expect(after).toContain(
				"<dt>Unexpected in Intercom (unknown here, or not to be shared)</dt><dd>1</dd>",
			);
			expect(after).not.toContain("Fix missing and changed</button>");
			expect(emulator.contacts()).toHaveLength(58);
			expect(emulator.contacts().find((c) => c.external_id === ada.guid)?.name).toBe("Ada");
			const audit = await (await b.get("/admin/sites/default/audit")).text();
			expect(audit).toContain("sent the missing and changed contacts again");
			expect((await b.get("/admin/sites/default/sync/reconcile")).status).toBe(405);
		});

		it("says what to set without a token, and what happened when Intercom fails, never a 500", async () => {
			await f.store.setSetting(site.id, "syncContacts", "true");
			const b = browser(f.app);
			await b.signIn();
			const csrf = await b.csrf("/admin/sites/default/sync");
			// Every attempt of the search fails (the first and the client's 3 retries).
			emulator.inject({ kind: "status", status: 503, path: "/contacts/search", times: 4 });
			const down = await b.post("/admin/sites/default/sync/reconcile", { _csrf: csrf });
			expect(down.status).toBe(502);
			expect(await down.text()).toContain("Intercom could not be reached or failed");
			emulator.revokeToken(TOKEN);
			const refused = await b.post("/admin/sites/default/sync/reconcile", { _csrf: csrf });
			expect(refused.status).toBe(502);
			expect(await refused.text()).toContain("Intercom refused this site&#39;s access token");

			await f.store.clearSetting(site.id, "accessToken");
			const noToken = await b.post("/admin/sites/default/sync/reconcile", { _csrf: csrf });
			expect(noToken.status).toBe(303);
			expect(noToken.headers.get("location")).toMatch(/sync\?m=no-token$/);
			expect(await (await b.get("/admin/sites/default/sync?m=no-token")).text()).toContain(
				"has no Intercom access token",
			);
		});
	});
});
