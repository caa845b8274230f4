import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import type { Store } from "../store/create-store.ts";
import { resolveBridgeOptions } from "./bridge-options.ts";

// Only its shape is checked here.
const store = { getSettings: async () => ({}) } as unknown as Store;

describe("resolveBridgeOptions", () => {
	it("fills the defaults", () => {
		const o = resolveBridgeOptions({ store });
		expect(o.basePath).toBe("/intercom");
		expect(o.newContactsPerMinute).toBe(60);
		expect(o.trustProxy).toBe(false);
	});

	it.each([
		[{ newContactsPerMinute: -1 }, /newContactsPerMinute must be a whole number of at least 0/],
		[{ newContactsPerMinute: 1.5 }, /newContactsPerMinute/],
		[{ newContactsPerMinute: Number.NaN }, /got NaN/],
		[{ basePath: "intercom" }, /basePath "intercom" must be a path/],
		[{ cookie: { name: "a b" } }, /cookie.name "a b"/],
		[{ cookie: { maxAgeDays: 401 } }, /at most 400/],
		[{ tracking: "sometimes" as never }, /tracking must be "always" or/],
	])("refuses %o with a message that names the option", (bad, message) => {
		expect(() => resolveBridgeOptions({ store, ...bad })).toThrow(ConfigError);
		expect(() => resolveBridgeOptions({ store, ...bad })).toThrow(message);
	});

	it("takes 0 as no limit on new contacts", () => {
		expect(resolveBridgeOptions({ store, newContactsPerMinute: 0 }).newContactsPerMinute).toBe(0);
	});
});
