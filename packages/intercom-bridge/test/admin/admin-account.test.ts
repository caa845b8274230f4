/** Changing one's own password in the console, and resetting it from the CLI's store call. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

const NEW_PASSWORD = "a-brand-new-password-42";

let f: AdminFixture;
beforeEach(async () => {
	f = await adminFixture();
});
afterEach(async () => {
	await f.close();
});

describe("your account", () => {
	it("changes the password with the current one, keeps this session and ends the others", async () => {
		const here = browser(f.app);
		const elsewhere = browser(f.app);
		await here.signIn();
		await elsewhere.signIn();
		const page = await (await here.get("/admin/account")).text();
		expect(page).toContain("Change your password");
		const csrf = await here.csrf("/admin/account");
		const res = await here.post("/admin/account/password", {
			_csrf: csrf,
			current: PASSWORD,
			password: NEW_PASSWORD,
			confirm: NEW_PASSWORD,
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("Your password was changed. Your other sessions have ended.");
		expect((await here.get("/admin/account")).status).toBe(200);
		expect((await elsewhere.get("/admin/account")).status).toBe(302); // back to sign-in
		expect((await browser(f.app).signIn("admin@example.com", PASSWORD)).status).toBe(401);
		expect((await browser(f.app).signIn("admin@example.com", NEW_PASSWORD)).status).toBe(303);
	});

	it.each([
		[
			"a wrong current password",
			{ current: "not-the-password", password: NEW_PASSWORD, confirm: NEW_PASSWORD },
			"The current password is not right.",
		],
		[
			"a repetition that differs",
			{ current: PASSWORD, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` },
			"The new password and its repetition differ.",
		],
		[
			"a short password",
			{ current: PASSWORD, password: "short", confirm: "short" },
			"at least 12 characters",
		],
		[
			"the same password",
			{ current: PASSWORD, password: PASSWORD, confirm: PASSWORD },
			"the same as the current one",
		],
	])("refuses %s with 400 and changes nothing", async (_name, fields, message) => {
		const b = browser(f.app);
		await b.signIn();
		const csrf = await b.csrf("/admin/account");
		const res = await b.post("/admin/account/password", { _csrf: csrf, ...fields });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain(message);
		expect((await browser(f.app).signIn("admin@example.com", PASSWORD)).status).toBe(303);
	});

	it("needs the form token", async () => {
		const b = browser(f.app);
		await b.signIn();
		const res = await b.post("/admin/account/password", {
			current: PASSWORD,
			password: NEW_PASSWORD,
			confirm: NEW_PASSWORD,
		});
		expect(res.status).toBe(403);
	});
});

describe("resetAdminPassword", () => {
	it("sets a generated password, shown once, and ends every session", async () => {
		const b = browser(f.app);
		await b.signIn();
		const { generatedPassword } = await f.store.resetAdminPassword("Admin@Example.com");
		expect(generatedPassword?.length).toBeGreaterThanOrEqual(16);
		expect((await b.get("/admin/account")).status).toBe(302);
		expect((await browser(f.app).signIn("admin@example.com", generatedPassword ?? "")).status).toBe(303);
		await expect(f.store.resetAdminPassword("nobody@example.com")).rejects.toThrow(/No administrator/);
	});
});
