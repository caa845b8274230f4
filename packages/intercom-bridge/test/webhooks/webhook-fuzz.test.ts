/**
 * Fuzzing of webhook bodies with fast-check, on PGlite and PostgreSQL: whatever arrives, the answer
 * is a 2xx or a 4xx (never a 5xx), and a refused request changes nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/create-store.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { mountRoutes, type RequestFn, requestBuilder, seedSite, webhookStore } from "./webhook-testbed.ts";

const text = fc.string({ unit: "binary", maxLength: 120 });
const anyValue = fc.oneof(
	text,
	fc.jsonValue({ maxDepth: 3 }),
	fc.constantFrom("", null, "pagevisit", "oldtype"),
);
const caseOf = (key: string) => fc.constantFrom(key, key.toLowerCase(), key.toUpperCase());
const KEYS = [
	"ContactFirstName",
	"ContactLastName",
	"ContactEmail",
	"ContactZIP",
	"ContactNotes",
	"ContactCoffeePreference",
	"ActivityType",
	"ActivityValue",
	"ActivityURL",
	"__proto__",
	"constructor",
];

describe.each([pgliteFactory, postgresFactory])("webhook bodies fuzzed on $kind", (factory) => {
	let store: Store;
	let request: RequestFn;
	let build: ReturnType<typeof requestBuilder>;
	let guid: string;

	beforeAll(async () => {
		store = await webhookStore(factory);
		const { apiKey } = await seedSite(store);
		request = await mountRoutes({
			store,
			basePath: "/intercom",
			webhooks: {
				dedupWindowMs: 0,
				customFields: { ContactCoffeePreference: { field: "coffee", maxLength: 20 } },
			},
		});
		build = requestBuilder("/intercom", apiKey);
		guid = (await store.createContact({ firstName: "Seed" })).guid;
	});
	afterAll(async () => {
		await store.close();
	});

	const body = fc.oneof(
		{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null") },
		{ weight: 1, arbitrary: text },
		{
			weight: 4,
			arbitrary: fc
				.tuple(
					caseOf("ContactGUID"),
					fc.oneof(fc.constant("GUID"), anyValue),
					fc.array(fc.tuple(fc.constantFrom(...KEYS).chain(caseOf), anyValue), { maxLength: 6 }),
				)
				.map(
					([key, value, rest]) =>
						`{${[[key, value] as const, ...rest].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`,
				),
		},
	);

	it("never answers 5xx, and a refused request writes nothing", async () => {
		await fc.assert(
			fc.asyncProperty(body, fc.constantFrom("/updatecontact", "/logactivity"), async (raw, path) => {
				const payload = raw.replaceAll('"GUID"', JSON.stringify(guid));
				const before = await store.getContact(guid);
				const activitiesBefore = (await store.listActivities(guid)).length;
				const res = await request(build(path, { body: payload }));
				expect(res.status).toBeLessThan(500);
				expect([200, 400, 404, 413, 415, 422]).toContain(res.status);
				await res.arrayBuffer();
				if (res.status !== 200) {
					expect(await store.getContact(guid)).toEqual(before);
					expect(await store.listActivities(guid)).toHaveLength(activitiesBefore);
				}
				expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			}),
			{ numRuns: factory.kind === "pglite" ? 200 : 150, interruptAfterTimeLimit: 20_000 },
		);
	}, 60_000);
});
