import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, generateSecretKey, parseSecretKey } from "./secret-box.ts";

describe("secret box", () => {
	it("round-trips and binds the value to its context", () => {
		const box = createSecretBox(generateSecretKey());
		const sealed = box.seal("s3cret ✓", "site:1/clientSecret");
		expect(box.open(sealed, "site:1/clientSecret")).toBe("s3cret ✓");
		expect(Buffer.from(sealed).includes(Buffer.from("s3cret"))).toBe(false);
		expect(() => box.open(sealed, "site:2/clientSecret")).toThrow(/integrity check/);
		expect(box.seal("same", "c")).not.toEqual(box.seal("same", "c")); // fresh IV each time
	});

	it("rejects a flipped bit and a foreign key", () => {
		const box = createSecretBox(generateSecretKey());
		const sealed = box.seal("value", "c");
		const tampered = new Uint8Array(sealed);
		tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
		expect(() => box.open(tampered, "c")).toThrow(/integrity check/);
		expect(() => createSecretBox(generateSecretKey()).open(sealed, "c")).toThrow(/another key/);
		expect(() => box.open(new Uint8Array([9, 9]), "c")).toThrow(/format/);
	});

	it("parses keys as hex or base64 and explains bad ones", () => {
		const key = randomBytes(32);
		expect(Buffer.from(parseSecretKey(key.toString("hex")))).toEqual(key);
		expect(Buffer.from(parseSecretKey(key.toString("base64")))).toEqual(key);
		expect(Buffer.from(parseSecretKey(` ${key.toString("base64url")}\n`))).toEqual(key);
		expect(() => parseSecretKey("too-short")).toThrow(/32 random bytes.*randomBytes\(32\)/);
		expect(() => createSecretBox(new Uint8Array(16))).toThrow(/32 bytes/);
	});
});
