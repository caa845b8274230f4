import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { dropRequiredOnlyCompositions, renderIntercomTypes } from "../../scripts/generate-intercom-types.ts";

const spec = resolve(
	import.meta.dirname,
	"../../../../../shared/intercom-openapi/intercom-openapi-2.16-contacts-conversations-subset.json",
);

describe("generated Intercom types", () => {
	it.skipIf(!existsSync(spec))("match what the generator makes from the 2.16 subset (regenerate if not)", async () => {
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
