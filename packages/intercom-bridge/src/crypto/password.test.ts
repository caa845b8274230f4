import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password.ts";

describe("password hashing", () => {
	it("hashes with scrypt N=2^17 and verifies", async () => {
		const hash = await hashPassword("correct horse battery");
		expect(hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
		expect(await verifyPassword("correct horse battery", hash)).toBe(true);
		expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
		expect(needsRehash(hash)).toBe(false);
	});

	it("never matches a malformed or tampered hash, and flags old parameters", async () => {
		const hash = await hashPassword("pw", { ln: 10, r: 8, p: 1 });
		expect(needsRehash(hash)).toBe(true);
		expect(await verifyPassword("pw", hash)).toBe(true);
		expect(await verifyPassword("pw", hash.replace(/.\$/, "A$"))).toBe(false);
		expect(await verifyPassword("pw", "plain")).toBe(false);
		expect(await verifyPassword("pw", "$scrypt$ln=99,r=8,p=1$AA==$AA==")).toBe(false);
	});
});
