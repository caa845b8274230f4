import { describe, expect, it } from "vitest";
import { checkContactFields, isValidEmail, truncate } from "./contact-fields.ts";

describe("contact fields", () => {
	it.each(["ada@example.com", "a.b+tag@sub.example.co.uk", "x@x.io"])("accepts %s", (e) =>
		expect(isValidEmail(e)).toBe(true),
	);
	it.each([
		"",
		"ada",
		"ada@",
		"@example.com",
		"a b@example.com",
		"ada@example",
		"a@b..com",
		"a\n@example.com",
		"<a>@example.com",
	])("rejects %j", (e) => expect(isValidEmail(e)).toBe(false));

	it("trims, turns empty into null and enforces the reference's limits", () => {
		expect(checkContactFields({ firstName: "  Ada ", city: "" })).toEqual({ firstName: "Ada", city: null });
		expect(() => checkContactFields({ mobilePhone: "1".repeat(27) })).toThrow(/mobilePhone.*limit is 26/);
		expect(checkContactFields({ notes: "n".repeat(100_000) }).notes).toHaveLength(100_000);
		expect(() => checkContactFields({ customFields: [] as unknown as Record<string, unknown> })).toThrow(
			/object/,
		);
	});

	it("truncates without splitting a surrogate pair", () => {
		expect(truncate("ab😀", 3)).toBe("ab");
		expect(truncate("abc", 5)).toBe("abc");
		expect(truncate("abcdef", null)).toBe("abcdef");
	});
});
