import { describe, expect, it } from "vitest";
import { createIntercomClient } from "../../src/intercom/create-intercom-client.ts";
import type { DataAttributeCheck } from "../../src/store/data-attribute-store.ts";
import {
	checkDataAttributeMapping,
	coerceAttributeValue,
	type DataAttributeMapping,
	dataAttributeMappingHash,
	ensureDataAttributes,
	mappedCustomAttributes,
} from "../../src/sync/ensure-data-attributes.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";

const TOKEN = "tok-attrs";

/** The two store methods, in memory, as the store keeps them (a conformance case covers the real ones). */
function memoryStore() {
	const rows = new Map<number, DataAttributeCheck[]>();
	return {
		rows,
		async listDataAttributeChecks(siteId: number) {
			return [...(rows.get(siteId) ?? [])].sort((a, b) => a.attribute.localeCompare(b.attribute));
		},
		async saveDataAttributeChecks(
			siteId: number,
			mappingHash: string,
			checks: ReadonlyArray<Omit<DataAttributeCheck, "mappingHash" | "checkedAt">>,
		) {
			rows.set(
				siteId,
				checks.map((c) => ({ ...c, mappingHash, checkedAt: new Date(0) })),
			);
		},
	};
}

function setup(seed: { name: string; dataType: "string" | "integer" | "float" | "boolean" | "date" }[] = []) {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], dataAttributes: seed });
	const client = createIntercomClient({
		token: TOKEN,
		endpoints: emulator.endpoints(),
		fetch: emulator.fetch,
		maxRetries: 0,
	});
	const store = memoryStore();
	const calls = () => emulator.requests.filter((r) => r.path.startsWith("/data_attributes"));
	return { emulator, client, store, calls };
}

const mapping: DataAttributeMapping = {
	"customFields.plan": { attribute: "plan", type: "string", description: "Plan" },
	"customFields.seats": { attribute: "seats", type: "integer" },
	"customFields.since": { attribute: "customer_since", type: "date" },
};

describe("ensureDataAttributes against the emulator", () => {
	it("lists once, creates the missing ones once, records a mismatch, then answers from the record", async () => {
		const { emulator, client, store, calls } = setup([
			{ name: "plan", dataType: "string" },
			{ name: "seats", dataType: "string" },
		]);
		const first = await ensureDataAttributes({ store, siteId: 1, client, mapping });
		expect(first.checkedNow).toBe(true);
		expect(first.usable.map((u) => u.field).sort()).toEqual(["customFields.plan", "customFields.since"]);
		expect(first.checks.map((c) => [c.attribute, c.status, c.intercomType])).toEqual([
			["customer_since", "created", "date"],
			["plan", "ok", "string"],
			["seats", "mismatch", "string"],
		]);
		expect(first.checks.find((c) => c.attribute === "seats")?.message).toMatch(
			/Intercom has "seats" as string, the mapping says integer/,
		);
		expect(calls().map((r) => r.method)).toEqual(["GET", "POST"]);
		expect(emulator.dataAttributes().map((a) => [a.name, a.data_type])).toContainEqual([
			"customer_since",
			"date",
		]);

		// Unchanged mapping: no Intercom call at all, the mismatch is not retried.
		const again = await ensureDataAttributes({ store, siteId: 1, client, mapping });
		expect(again.checkedNow).toBe(false);
		expect(again.usable).toEqual(first.usable);
		expect(calls()).toHaveLength(2);

		// The mapping changes (the type fixed): checked again, now usable.
		const fixed = { ...mapping, "customFields.seats": { attribute: "seats", type: "string" as const } };
		const third = await ensureDataAttributes({ store, siteId: 1, client, mapping: fixed });
		expect(third.checkedNow).toBe(true);
		expect(third.usable).toHaveLength(3);
		expect(calls().map((r) => r.method)).toEqual(["GET", "POST", "GET"]);

		// "Check again" (the record cleared) asks Intercom again.
		store.rows.clear();
		expect((await ensureDataAttributes({ store, siteId: 1, client, mapping: fixed })).checkedNow).toBe(true);
	});

	it("records Intercom's refusal (a standard attribute's name, a name taken in company data) without retrying", async () => {
		const { emulator, client, store } = setup();
		emulator.seedDataAttribute({ name: "tier", dataType: "string", model: "company" });
		const result = await ensureDataAttributes({
			store,
			siteId: 2,
			client,
			mapping: {
				email: { attribute: "email", type: "string" },
				"customFields.tier": { attribute: "tier", type: "string" },
			},
		});
		expect(result.usable).toEqual([]);
		expect(result.checks.map((c) => [c.attribute, c.status])).toEqual([
			["email", "failed"],
			["tier", "failed"],
		]);
		expect(result.checks[1]?.message).toContain("You already have 'tier' in your company data");
	});

	it("takes an attribute another instance created meanwhile as ok", async () => {
		const { emulator, client, store } = setup();
		const racing = {
			...client,
			dataAttributes: {
				list: client.dataAttributes.list,
				create: async (input: Parameters<typeof client.dataAttributes.create>[0]) => {
					emulator.seedDataAttribute({ name: input.name, dataType: input.dataType });
					return client.dataAttributes.create(input);
				},
			},
		};
		const result = await ensureDataAttributes({
			store,
			siteId: 3,
			client: racing,
			mapping: { "customFields.plan": { attribute: "plan", type: "string" } },
		});
		expect(result.checks.map((c) => c.status)).toEqual(["ok"]);
	});

	it("records nothing when Intercom cannot be asked now (the caller retries)", async () => {
		const { emulator, client, store } = setup();
		emulator.inject({ kind: "status", status: 503, path: "/data_attributes" });
		await expect(ensureDataAttributes({ store, siteId: 4, client, mapping })).rejects.toMatchObject({
			httpStatus: 503,
		});
		expect(store.rows.size).toBe(0);
	});
});

describe("mappings and values", () => {
	it("refuses a bad mapping, naming the field", () => {
		expect(() => checkDataAttributeMapping({ "bad field": { attribute: "x", type: "string" } })).toThrow(
			/not a contact field/,
		);
		expect(() => checkDataAttributeMapping({ a: { attribute: "a.b", type: "string" } })).toThrow(
			/not allowed/,
		);
		expect(() => checkDataAttributeMapping({ a: { attribute: "x", type: "list" as "string" } })).toThrow(
			/not one of/,
		);
		expect(() =>
			checkDataAttributeMapping({
				a: { attribute: "x", type: "string" },
				b: { attribute: "x", type: "string" },
			}),
		).toThrow(/both fill the attribute "x"/);
	});

	it("hashes a mapping independently of key order", () => {
		const a = {
			x: { attribute: "x", type: "string" as const },
			y: { attribute: "y", type: "integer" as const },
		};
		const b = { y: a.y, x: a.x };
		expect(dataAttributeMappingHash(a)).toBe(dataAttributeMappingHash(b));
		expect(dataAttributeMappingHash({ ...a, y: { attribute: "y", type: "float" } })).not.toBe(
			dataAttributeMappingHash(a),
		);
	});

	it("converts values to the attribute's type and leaves out what cannot be one", () => {
		expect(coerceAttributeValue("integer", "12")).toBe(12);
		expect(coerceAttributeValue("integer", "1.5")).toBeUndefined();
		expect(coerceAttributeValue("float", "1.5")).toBe(1.5);
		expect(coerceAttributeValue("boolean", "true")).toBe(true);
		expect(coerceAttributeValue("boolean", "yes")).toBeUndefined();
		expect(coerceAttributeValue("date", "2026-01-02T00:00:00Z")).toBe(1_767_312_000);
		expect(coerceAttributeValue("string", 3)).toBe("3");
		expect(coerceAttributeValue("string", { a: 1 })).toBeUndefined();
		expect(coerceAttributeValue("string", null)).toBeNull();
		expect(
			mappedCustomAttributes({ companyName: "Acme", customFields: { seats: "4", bad: "x" } }, [
				{ field: "companyName", attribute: "company_name", type: "string" },
				{ field: "customFields.seats", attribute: "seats", type: "integer" },
				{ field: "customFields.bad", attribute: "bad", type: "integer" },
				{ field: "customFields.none", attribute: "none", type: "string" },
			]),
		).toEqual({ company_name: "Acme", seats: 4 });
	});
});
