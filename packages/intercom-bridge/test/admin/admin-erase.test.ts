/** Erasing a contact from the console (reliability.md P3): who may, and what the page says. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isErased } from "../../src/privacy/erase-contact.ts";
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
});
