/** Contacts pages for an administrator with a role on one site only: that site's contacts, nothing else. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActivity } from "../harness/seed-activity.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

let f: AdminFixture;
let scoped: ReturnType<typeof browser>;
let global: ReturnType<typeof browser>;
const guids = { ana: "", bob: "", cy: "", dee: "" };

beforeAll(async () => {
	f = await adminFixture();
	const shop = await f.store.createSite({ codeName: "shop", displayName: "Shop" });
	await f.store.addActivityType({ codeName: "pageview", displayName: "Page view" });
	// Ana visited only the default site, Bob only the shop, Cy both; Dee was only shown the shop's Messenger.
	const ana = await f.store.createContact({ email: "ana@example.com", firstName: "Ana" });
	const bob = await f.store.createContact({ email: "bob@example.com", firstName: "Bob" });
	const cy = await f.store.createContact({ email: "cy@example.com", firstName: "Cy" });
	const dee = await f.store.createContact({ email: "dee@example.com", firstName: "Dee" });
	Object.assign(guids, { ana: ana.guid, bob: bob.guid, cy: cy.guid, dee: dee.guid });
	const visit = (guid: string, siteId: number, value: string) =>
		seedActivity(f.store, { contactGuid: guid, siteId, typeCodeName: "pageview", value });
	await visit(ana.guid, 1, "default-only-page");
	await visit(bob.guid, shop.id, "shop-page-bob");
	await visit(cy.guid, 1, "default-page-cy");
	await visit(cy.guid, shop.id, "shop-page-cy");
	await f.store.recordDisclosure({
		siteId: shop.id,
		guid: dee.guid,
		recipient: "intercom",
		channel: "page",
		fields: ["email", "user_id"],
		policy: "always",
	});
	await f.store.addAdminUser({
		email: "shop@example.com",
		password: PASSWORD,
		siteId: shop.id,
		role: "read",
	});
	scoped = browser(f.app);
	expect((await scoped.signIn("shop@example.com")).status).toBe(303);
	global = browser(f.app);
	expect((await global.signIn()).status).toBe(303);
}, 120_000);
afterAll(async () => {
	await f.close();
});

describe("a site-scoped administrator on the Contacts pages", () => {
	it("lists and counts only the contacts of their sites", async () => {
		const page = await (await scoped.get("/admin/contacts")).text();
		expect(page).toContain("bob@example.com");
		expect(page).toContain("cy@example.com");
		expect(page).toContain("dee@example.com");
		expect(page).not.toContain("ana@example.com");
		expect(page).toMatch(/3 contacts/);
		// A search cannot reach past the scope either.
		const search = await (await scoped.get("/admin/contacts?q=ana")).text();
		expect(search).not.toContain("ana@example.com");
		expect(search).toMatch(/0 contacts/);
		const byGuid = await (await scoped.get(`/admin/contacts?q=${guids.ana}`)).text();
		expect(byGuid).not.toContain("ana@example.com");
	});

	it("gets 404 for another site's contact, without a trace of it", async () => {
		const res = await scoped.get(`/admin/contacts/${guids.ana}`);
		expect(res.status).toBe(404);
		const body = await res.text();
		expect(body).not.toContain("ana@example.com");
		expect(body).not.toContain("default-only-page");
	});

	it("sees only their sites' activities of a contact shared with another site", async () => {
		const res = await scoped.get(`/admin/contacts/${guids.cy}`);
		expect(res.status).toBe(200);
		const page = await res.text();
		expect(page).toContain("shop-page-cy");
		expect(page).not.toContain("default-page-cy");
	});

	it("cannot erase a contact (that needs modify on every site)", async () => {
		const res = await scoped.post(`/admin/contacts/${guids.ana}/erase`, {
			_csrf: await scoped.csrf(`/admin/contacts/${guids.bob}`),
		});
		expect(res.status).toBe(403);
		expect(await f.store.getContact(guids.ana)).not.toBeNull();
	});

	it("leaves an administrator with a global role seeing everything", async () => {
		const page = await (await global.get("/admin/contacts")).text();
		for (const name of ["ana", "bob", "cy", "dee"]) expect(page).toContain(`${name}@example.com`);
		expect(page).toMatch(/4 contacts/);
		const cy = await (await global.get(`/admin/contacts/${guids.cy}`)).text();
		expect(cy).toContain("default-page-cy");
		expect(cy).toContain("shop-page-cy");
	});
});
