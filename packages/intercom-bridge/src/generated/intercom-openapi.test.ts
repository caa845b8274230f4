import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
	defaultSpec as spec,
	dropRequiredOnlyCompositions,
	renderIntercomTypes,
} from "../../scripts/generate-intercom-types.ts";

describe("generated Intercom types", () => {
	it("match what the generator makes from the 2.16 subset (regenerate if not)", async () => {
		const committed = await readFile(resolve(import.meta.dirname, "intercom-openapi.ts"), "utf8");
		expect(committed === (await renderIntercomTypes(spec))).toBe(true);
	}, 30_000);

	it("drops only compositions whose branches just list required names", () => {
		const schema = {
			properties: { email: { type: "string" } },
			anyOf: [{ required: ["email"], title: "with email" }, { required: ["role"] }],
			oneOf: [{ type: "object" }],
		};
		expect(dropRequiredOnlyCompositions(schema)).toEqual(["#/anyOf"]);
		expect(schema).toEqual({ properties: { email: { type: "string" } }, oneOf: [{ type: "object" }] });
	});
});
