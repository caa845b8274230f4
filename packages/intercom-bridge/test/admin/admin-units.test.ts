/** Small pure parts of the console: redirect targets, comment links, role resolution, rehash on sign-in. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { splitLinks } from "../../src/admin/linkify-comment.ts";
import { safeNextPath } from "../../src/admin/request-info.ts";
import { canModifyShared, roleOn } from "../../src/admin/roles.ts";
import { hashPassword, needsRehash } from "../../src/crypto/password.ts";
import { adminUsers } from "../../src/store/schema.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { adminFixture, browser, PASSWORD } from "./admin-harness.ts";

describe("safeNextPath", () => {
	it.each([
		["//evil.com", "/admin"],
		["/\\evil.com", "/admin"],
		["https://evil.com", "/admin"],
		["%2F%2Fevil.com", "/admin"],
		["/%2F%2Fevil.com", "/admin"],
		["javascript:alert(1)", "/admin"],
		["/admin/../etc", "/admin"],
		["/administrator", "/admin"],
		["/admin/contacts?q=x", "/admin/contacts?q=x"],
		["/admin", "/admin"],
	])("%s → %s", (input, expected) => {
		expect(safeNextPath(input, "/admin", "/admin")).toBe(expected);
	});

	it.each([
		["/simulate-intercom", "/simulate-intercom"],
		["/simulate-intercom?message=x", "/simulate-intercom?message=x"],
		["/simulate-intercom/../etc", "/admin"],
		["/simulate-intercomX", "/admin"],
		["//simulate-intercom", "/admin"],
		["/admin/contacts", "/admin/contacts"],
	])("with return path /simulate-intercom: %s → %s", (input, expected) => {
		expect(safeNextPath(input, "/admin", "/admin", ["/simulate-intercom"])).toBe(expected);
	});
});

describe("splitLinks", () => {
	const hosts = new Set(["app.intercom.com", "app.eu.intercom.com"]);
	it("links only http(s) URLs on Intercom app hosts", () => {
		const parts = splitLinks(
			"see https://app.eu.intercom.com/a/apps/x/inbox/inbox/conversation/1 and https://app.intercom.com.evil.io/x https://u:p@app.intercom.com/y javascript:alert(1)",
			hosts,
		);
		expect(parts.filter((p) => "href" in p)).toEqual([
			{ href: "https://app.eu.intercom.com/a/apps/x/inbox/inbox/conversation/1" },
		]);
	});
});

describe("roles", () => {
	const user = (roles: { siteId: number | null; role: "read" | "modify" }[]) => ({
		id: 1,
		email: "a@b.co",
		createdAt: new Date(),
		roles,
	});
	it("lets a site role override the role on every site", () => {
		const u = user([
			{ siteId: null, role: "modify" },
			{ siteId: 2, role: "read" },
		]);
		expect(roleOn(u, 1)).toBe("modify");
		expect(roleOn(u, 2)).toBe("read");
		expect(canModifyShared(u)).toBe(false);
		expect(roleOn(user([{ siteId: 3, role: "modify" }]), 1)).toBeNull();
	});
});

describe("sign-in rehash", () => {
	it("upgrades a hash made with older scrypt parameters", async () => {
		const f = await adminFixture();
		try {
			const old = await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 });
			await storeInternals(f.store).db.update(adminUsers).set({ passwordHash: old });
			expect((await browser(f.app).signIn()).status).toBe(303);
			const [row] = await storeInternals(f.store)
				.db.select({ hash: adminUsers.passwordHash })
				.from(adminUsers)
				.where(eq(adminUsers.email, "admin@example.com"));
			expect(needsRehash(row?.hash ?? "")).toBe(false);
		} finally {
			await f.close();
		}
	});
});
