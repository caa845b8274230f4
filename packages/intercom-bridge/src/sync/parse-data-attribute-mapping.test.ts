import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { parseDataAttributeMapping } from "./parse-data-attribute-mapping.ts";

describe("parseDataAttributeMapping (INTERCOM_BRIDGE_DATA_ATTRIBUTES)", () => {
	it("is no mapping when unset or blank", () => {
		expect(parseDataAttributeMapping(undefined)).toBeUndefined();
		expect(parseDataAttributeMapping("  ")).toBeUndefined();
	});

	it("reads a JSON mapping", () => {
		expect(parseDataAttributeMapping('{"customFields.plan":{"attribute":"plan","type":"string"}}')).toEqual({
			"customFields.plan": { attribute: "plan", type: "string" },
		});
	});

	it.each([
		["not JSON", "{plan", /must be JSON/],
		["an array", "[]", /JSON object/],
		["an unknown type", '{"customFields.plan":{"attribute":"plan","type":"money"}}', /type/i],
		["a bad field", '{"a b":{"attribute":"plan","type":"string"}}', /not a contact field/],
		[
			"one attribute twice",
			'{"customFields.a":{"attribute":"x","type":"string"},"customFields.b":{"attribute":"x","type":"string"}}',
			/both fill/,
		],
	])("refuses %s, naming the variable", (_what, raw, message) => {
		expect(() => parseDataAttributeMapping(raw)).toThrow(ConfigError);
		expect(() => parseDataAttributeMapping(raw)).toThrow(/INTERCOM_BRIDGE_DATA_ATTRIBUTES/);
		expect(() => parseDataAttributeMapping(raw)).toThrow(message);
	});
});
