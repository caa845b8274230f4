import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { checkPageSettings, GOVERNED_SETTINGS } from "./page-settings.ts";

describe("checkPageSettings", () => {
	it("keeps appearance, behaviour and extra custom attributes, dropping undefined values", () => {
		expect(
			checkPageSettings(
				{
					hide_default_launcher: true,
					custom_launcher_selector: "#help",
					language_override: "de",
					plan: null,
					seats: 3,
					x: undefined,
				},
				"page",
			),
		).toEqual({
			hide_default_launcher: true,
			custom_launcher_selector: "#help",
			language_override: "de",
			plan: null,
			seats: 3,
		});
		expect(checkPageSettings(undefined, "page")).toBeNull();
		expect(checkPageSettings({ x: undefined }, "page")).toBeNull();
	});

	it.each(["user_id", "user_hash", "intercom_user_jwt", "email", "name", "company", "app_id"])(
		"refuses %s with a ValidationError that says the fix",
		(key) => {
			const attempt = () => checkPageSettings({ [key]: "someone-else" }, "The page's Messenger settings");
			expect(attempt).toThrow(ValidationError);
			try {
				attempt();
			} catch (err) {
				expect(err).toMatchObject({ code: "VALIDATION_FAILED", field: key });
				expect((err as Error).message).toContain(`"${key}" cannot be set per page`);
				expect((err as Error).message).toContain("bridge.contacts.identify()");
				expect((err as Error).message).not.toContain("someone-else");
			}
		},
	);

	it("refuses the names the data policy governs for this bridge, and values the Messenger cannot keep", () => {
		const governed = new Set([...GOVERNED_SETTINGS, "plan"]);
		expect(() => checkPageSettings({ plan: "gold" }, "page", governed)).toThrow(
			/"plan" cannot be set per page/,
		);
		expect(() => checkPageSettings({ nested: { a: 1 } as never }, "page")).toThrow(/must be a string/);
		expect(() => checkPageSettings({ big: "x".repeat(1001) }, "page")).toThrow(/at most 1000/);
		expect(() => checkPageSettings({ "<bad>": 1 }, "page")).toThrow(/not a usable Messenger setting name/);
		expect(() => checkPageSettings("hide" as never, "page")).toThrow(/must be an object/);
	});
});
