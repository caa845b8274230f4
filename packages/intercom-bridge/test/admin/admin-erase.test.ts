/** Erasing a contact from the console (docs/reliability.md P3): who may, and what the page says. */

import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getErasureBacklog } from "../../src/jobs/job-backlog.ts";
import { eraseContact, isErased } from "../../src/privacy/erase-contact.ts";
import { createServiceApp } from "../../src/server/start-server.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

let f: AdminFixture;
beforeEach(async () => {
	f = await adminFixture();
});
afterEach(async () => {
	await f.close();
});

describe("erasing a contact", () => {
	it("erases it for an administrator who may modify every site, then says so on the list", async () => {
		const contact = await f.store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const b = browser(f.app);
		await b.signIn();
		const page = await (await b.get(`/admin/contacts/${contact.guid}`)).text();
		expect(page).toContain("Erase contact");
		expect(page).toContain('data-confirm="Erase Ada here and in Intercom? This cannot be undone."');
		const csrf = await b.csrf(`/admin/contacts/${contact.guid}`);
		const res = await b.post(`/admin/contacts/${contact.guid}/erase`, { _csrf: csrf });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/contacts?erased=1");
		expect(await (await b.get("/admin/contacts?erased=1")).text()).toContain("The contact was erased here.");
		expect(await f.store.getContact(contact.guid)).toBeNull();
		expect(await isErased(f.store, contact.guid)).toBe(true);
		// Gone: its page and a second erasure are 404s.
		expect((await b.get(`/admin/contacts/${contact.guid}`)).status).toBe(404);
		expect((await b.post(`/admin/contacts/${contact.guid}/erase`, { _csrf: csrf })).status).toBe(404);
	});

	it("offers nothing to a read-only user and refuses the post", async () => {
		const contact = await f.store.createContact({ email: "ada@example.com" });
		await f.store.addAdminUser({ email: "reader@example.com", password: PASSWORD, role: "read" });
		const b = browser(f.app);
		await b.signIn("reader@example.com");
		expect(await (await b.get(`/admin/contacts/${contact.guid}`)).text()).not.toContain("Erase contact");
		const csrf = await b.csrf(`/admin/contacts/${contact.guid}`);
		expect((await b.post(`/admin/contacts/${contact.guid}/erase`, { _csrf: csrf })).status).toBe(403);
		expect(await f.store.getContact(contact.guid)).not.toBeNull();
	});

	it("changes nothing on a GET, a missing token or a malformed GUID", async () => {
		const contact = await f.store.createContact({ email: "ada@example.com" });
		const b = browser(f.app);
		await b.signIn();
		expect((await b.get(`/admin/contacts/${contact.guid}/erase`)).status).toBe(405);
		expect((await b.post(`/admin/contacts/${contact.guid}/erase`, {})).status).toBe(403);
		const csrf = await b.csrf(`/admin/contacts/${contact.guid}`);
		expect((await b.post("/admin/contacts/not-a-guid/erase", { _csrf: csrf })).status).toBe(404);
		expect(await f.store.getContact(contact.guid)).not.toBeNull();
	});

	it("shows erasures that failed in Intercom for good, and runs them again", async () => {
		const contact = await f.store.createContact({ email: "ada@example.com" });
		await eraseContact(f.store, contact.guid, { actor: "dpo@example.com" });
		// As pg-boss leaves a job whose attempts are used up (two days of them, in production).
		await storeInternals(f.store).db.execute(sql`
			update pgboss.job set state = 'failed', completed_on = now(),
				output = '{"name":"IntercomAuthError","message":"Intercom refused the token."}'::jsonb
			where name = 'intercom-bridge-contact-erasure'`);
		const b = browser(f.app);
		await b.signIn();
		const list = await (await b.get("/admin/contacts")).text();
		expect(list).toContain("1 erasure in Intercom failed for good");
		expect(list).toContain("IntercomAuthError: Intercom refused the token.");
		const csrf = await b.csrf("/admin/contacts");
		const res = await b.post("/admin/contacts/erasures/redrive", { _csrf: csrf });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/contacts?erasures=1");
		expect(await (await b.get("/admin/contacts?erasures=1")).text()).toContain("1 erasure queued again.");
		expect(await getErasureBacklog(f.store)).toEqual({ pending: 1, dead: 0, lastError: null });
		const health = await createServiceApp(f.store).request("/healthz");
		expect(await health.json()).toMatchObject({ erasures: { pending: 1, dead: 0 } });
	});
});
