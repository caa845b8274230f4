/** The first administrator's password reaches a person, never a log store. */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureFirstAdmin, FIRST_ADMIN_PASSWORD_FILE } from "../../src/admin/first-admin.ts";
import type { Store } from "../../src/store/create-store.ts";
import { testStoreFactory } from "../harness/databases.ts";

let store: Store;
let dataDir: string;
beforeEach(async () => {
	store = await testStoreFactory.ready({ now: Date.now });
	dataDir = await mkdtemp(join(tmpdir(), "ib-first-admin-"));
});
afterEach(async () => {
	await store.close();
	await rm(dataDir, { recursive: true, force: true });
});

describe("ensureFirstAdmin", () => {
	it("prints the password when standard output is a terminal, and writes no file", async () => {
		const out: string[] = [];
		expect(await ensureFirstAdmin(store, (l) => out.push(l), { isTerminal: true, dataDir })).toBe(
			"admin@intercom-bridge.local",
		);
		const password = out.join("\n").match(/password: (\S+)/)?.[1] ?? "";
		expect(await store.verifyAdminPassword("admin@intercom-bridge.local", password)).not.toBeNull();
		await expect(stat(join(dataDir, FIRST_ADMIN_PASSWORD_FILE))).rejects.toThrow(/ENOENT/);
	});

	it("otherwise writes it to an owner-only file in the data directory and prints only the path", async () => {
		const out: string[] = [];
		const nested = join(dataDir, "not-yet-there");
		await ensureFirstAdmin(store, (l) => out.push(l), { isTerminal: false, dataDir: nested });
		const file = join(nested, FIRST_ADMIN_PASSWORD_FILE);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		const [email, password = ""] = (await readFile(file, "utf8")).trim().split("\n");
		expect(email).toBe("admin@intercom-bridge.local");
		expect(password.length).toBeGreaterThanOrEqual(12);
		expect(await store.verifyAdminPassword("admin@intercom-bridge.local", password)).not.toBeNull();
		const printed = out.join("\n");
		expect(printed).toContain(file);
		expect(printed).not.toContain(password);
		// A second start finds the administrator and neither prints nor rewrites anything.
		const again: string[] = [];
		expect(
			await ensureFirstAdmin(store, (l) => again.push(l), { isTerminal: false, dataDir: nested }),
		).toBeNull();
		expect(again).toEqual([]);
	});
});
