import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { secretFromEnv } from "./open-store-from-env.ts";

describe("secretFromEnv", () => {
	const dir = mkdtempSync(join(tmpdir(), "ib-secret-"));
	const file = join(dir, "key");
	writeFileSync(file, "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0xMjM0NTY3ODk=\n");

	it("reads the variable, or the file its _FILE names (trimmed)", () => {
		expect(secretFromEnv({ INTERCOM_BRIDGE_SECRET_KEY: " abc " }, "INTERCOM_BRIDGE_SECRET_KEY")).toBe("abc");
		expect(secretFromEnv({ INTERCOM_BRIDGE_SECRET_KEY_FILE: file }, "INTERCOM_BRIDGE_SECRET_KEY")).toBe(
			"c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0xMjM0NTY3ODk=",
		);
		expect(secretFromEnv({}, "DATABASE_URL")).toBeUndefined();
	});

	it("refuses both at once, and a file it cannot read, naming the variable", () => {
		expect(() =>
			secretFromEnv({ DATABASE_URL: "postgres://x", DATABASE_URL_FILE: file }, "DATABASE_URL"),
		).toThrow(new ConfigError("Set DATABASE_URL or DATABASE_URL_FILE, not both."));
		expect(() => secretFromEnv({ DATABASE_URL_FILE: join(dir, "missing") }, "DATABASE_URL")).toThrow(
			/DATABASE_URL_FILE: cannot read .*missing \(ENOENT\)/,
		);
	});
});
