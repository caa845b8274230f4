/**
 * The emulator's contact and conversation semantics: 409 with the id, the search index delay,
 * body pagination, nested queries and their limits, operator rules and day-granular dates.
 */
import { describe, expect, it } from "vitest";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { at, caller } from "./call.ts";

const token = "search-token";

function setup(options: Parameters<typeof createIntercomEmulator>[0] = {}) {
	const emulator = createIntercomEmulator({ tokens: [token], ...options });
	return { emulator, call: caller(emulator, token) };
}

const search = (query: unknown, extra: Record<string, unknown> = {}) => ({ query, ...extra });

describe("contacts", () => {
	it("answers 409 conflict with the existing id for a duplicate external_id or user email", async () => {
		const { call } = setup();
		const first = await call("POST", "/contacts", { external_id: "g-1", email: "x@example.com" });
		const id = at(first.body, "id");
		const dupExt = await call("POST", "/contacts", { external_id: "g-1" });
		expect(dupExt.status).toBe(409);
		expect(at(dupExt.body, "errors", 0)).toEqual({
			code: "conflict",
			message: `A contact matching those details already exists with id=${id}`,
		});
		expect((await call("POST", "/contacts", { email: "x@example.com" })).status).toBe(409);
		// Leads may share an email with a user.
		expect((await call("POST", "/contacts", { email: "x@example.com", role: "lead" })).status).toBe(200);
		await call("POST", `/contacts/${id}/archive`);
		const archived = await call("POST", "/contacts", { external_id: "g-1" });
		expect(at(archived.body, "errors", 0, "message")).toBe(
			`An archived contact matching those details already exists with id=${id}`,
		);
	});

	it("keeps new contacts out of search until the index delay has passed", async () => {
		let now = Date.UTC(2026, 0, 10, 12);
		const { call } = setup({ searchIndexDelayMs: 60_000, now: () => now });
		await call("POST", "/contacts", { external_id: "late" });
		const q = search({ field: "external_id", operator: "=", value: "late" });
		expect(at((await call("POST", "/contacts/search", q)).body, "total_count")).toBe(0);
		// Direct look-ups are not indexed, so they see it at once.
		expect((await call("GET", "/contacts/find_by_external_id/late")).status).toBe(200);
		now += 60_000;
		expect(at((await call("POST", "/contacts/search", q)).body, "total_count")).toBe(1);
	});

	it("finds only users by external id, 404 for leads and unknown ids", async () => {
		const { call } = setup();
		await call("POST", "/contacts", { external_id: "lead-1", role: "lead" });
		expect((await call("GET", "/contacts/find_by_external_id/lead-1")).status).toBe(404);
		const missing = await call("GET", "/contacts/find_by_external_id/nobody");
		expect(at(missing.body, "errors", 0)).toEqual({ code: "not_found", message: "Resource Not Found" });
		expect((await call("POST", "/contacts", { name: "no identifier" })).status).toBe(400);
	});
});

describe("search", () => {
	it("paginates in the body with opaque cursors and next only when more exist", async () => {
		const { call } = setup();
		for (let i = 0; i < 7; i++) await call("POST", "/contacts", { external_id: `p-${i}` });
		const q = search({ field: "external_id", operator: "^", value: "p-" }, { pagination: { per_page: 3 } });
		const seen: string[] = [];
		let body = (await call("POST", "/contacts/search", q)).body;
		expect(at(body, "pages")).toMatchObject({ type: "pages", page: 1, per_page: 3, total_pages: 3 });
		for (;;) {
			seen.push(...(at(body, "data") as { external_id: string }[]).map((c) => c.external_id));
			const next = at(body, "pages", "next", "starting_after") as string | undefined;
			if (!next) break;
			expect(() => JSON.parse(Buffer.from(next, "base64").toString())).not.toThrow();
			body = (
				await call("POST", "/contacts/search", { ...q, pagination: { per_page: 3, starting_after: next } })
			).body;
		}
		expect(seen).toEqual(["p-0", "p-1", "p-2", "p-3", "p-4", "p-5", "p-6"]);
		expect(at(body, "pages", "page")).toBe(3);
		// The default page size is 50; more than 150 is refused; a query-string cursor is ignored.
		expect(at((await call("POST", "/contacts/search", search(q.query))).body, "pages", "per_page")).toBe(50);
		expect((await call("POST", "/contacts/search", { ...q, pagination: { per_page: 151 } })).status).toBe(
			400,
		);
		const viaQuery = await call("POST", "/contacts/search?starting_after=abc", q);
		expect(at(viaQuery.body, "pages", "page")).toBe(1);
	});

	it("evaluates nested AND/OR, custom attributes and dotted fields", async () => {
		const { emulator, call } = setup();
		emulator.seedContact({
			external_id: "a",
			email: "ann@acme.com",
			name: "Ann",
			custom_attributes: { plan: "pro", seats: 5 },
		});
		emulator.seedContact({
			external_id: "b",
			email: "bob@acme.com",
			name: "Bob",
			custom_attributes: { plan: "free", seats: 1 },
		});
		emulator.seedContact({
			external_id: "c",
			email: "cy@other.org",
			role: "lead",
			custom_attributes: { plan: "pro", seats: 9 },
		});
		const ids = async (query: unknown) =>
			(
				(at((await call("POST", "/contacts/search", search(query))).body, "data") ?? []) as {
					external_id: string;
				}[]
			).map((c) => c.external_id);
		expect(
			await ids({
				operator: "AND",
				value: [
					{
						operator: "OR",
						value: [
							{ field: "email_domain", operator: "=", value: "acme.com" },
							{ field: "role", operator: "=", value: "lead" },
						],
					},
					{ field: "custom_attributes.plan", operator: "=", value: "pro" },
				],
			}),
		).toEqual(["a", "c"]);
		expect(await ids({ field: "custom_attributes.seats", operator: ">=", value: 5 })).toEqual(["a", "c"]);
		expect(await ids({ field: "external_id", operator: "NIN", value: ["a", "c"] })).toEqual(["b"]);
		expect(await ids({ field: "name", operator: "~", value: "o" })).toEqual(["b"]);
		expect(await ids({ field: "name", operator: "=", value: null })).toEqual(["c"]);
		expect(await ids({ field: "location.country", operator: "=", value: null })).toEqual(["a", "b", "c"]);
		const sorted = await call(
			"POST",
			"/contacts/search",
			search({ field: "role", operator: "IN", value: ["user", "lead"] }, { sort: { field: "email" } }),
		);
		expect((at(sorted.body, "data") as { external_id: string }[]).map((c) => c.external_id)).toEqual([
			"c",
			"b",
			"a",
		]);
	});

	it("refuses deeper nesting, groups over 15, and operators a field type does not allow", async () => {
		const { call } = setup();
		const leaf = { field: "external_id", operator: "=", value: "x" };
		const status = async (query: unknown) => (await call("POST", "/contacts/search", search(query))).status;
		expect(await status({ operator: "AND", value: [{ operator: "OR", value: [leaf, leaf] }] })).toBe(200);
		expect(
			await status({
				operator: "AND",
				value: [{ operator: "OR", value: [{ operator: "AND", value: [leaf] }] }],
			}),
		).toBe(400);
		expect(await status({ operator: "OR", value: Array(15).fill(leaf) })).toBe(200);
		expect(await status({ operator: "OR", value: Array(16).fill(leaf) })).toBe(400);
		expect(await status({ field: "created_at", operator: ">=", value: 1 })).toBe(400);
		expect(await status({ field: "unsubscribed_from_emails", operator: "~", value: "t" })).toBe(400);
		expect(await status({ field: "tag_id", operator: "IN", value: ["1"] })).toBe(400);
		expect(await status({ field: "external_id", operator: "IN", value: "x" })).toBe(400);
		expect(await status({ field: "no_such_field", operator: "=", value: "x" })).toBe(400);
	});

	it("matches dates by calendar day in the workspace timezone", async () => {
		// 2020-01-01 09:00 UTC is 2020-01-01 01:00 in Los Angeles.
		const { emulator, call } = setup({ apps: [{ appId: "tz", timezone: "America/Los_Angeles" }] });
		emulator.seedContact({ external_id: "d1", signed_up_at: Date.UTC(2020, 0, 1, 20) / 1000 }); // Jan 1, 12:00 LA
		emulator.seedContact({ external_id: "d2", signed_up_at: Date.UTC(2020, 0, 2, 9) / 1000 }); // Jan 2, 01:00 LA
		const ids = async (operator: string) =>
			(
				(at(
					(
						await call(
							"POST",
							"/contacts/search",
							search({ field: "signed_up_at", operator, value: 1577869200 }),
						)
					).body,
					"data",
				) ?? []) as { external_id: string }[]
			).map((c) => c.external_id);
		expect(await ids("=")).toEqual(["d1"]);
		expect(await ids(">")).toEqual(["d2"]);
		expect(await ids("<")).toEqual([]);
	});
});

describe("conversations", () => {
	it("searches by contact_ids and source.body word by word, caps parts at 500, renders plaintext", async () => {
		const { emulator, call } = setup();
		const contact = emulator.seedContact({ external_id: "conv-owner" });
		const [first] = emulator.seedConversations("conv-owner", 22, { parts: 510 });
		const byContact = await call(
			"POST",
			"/conversations/search",
			search({ field: "contact_ids", operator: "=", value: contact.id }),
		);
		expect(at(byContact.body, "total_count")).toBe(22);
		expect(at(byContact.body, "pages", "per_page")).toBe(20);
		expect(at(byContact.body, "pages", "next", "page")).toBe(2);
		const word = async (value: string) =>
			at(
				(await call("POST", "/conversations/search", search({ field: "source.body", operator: "=", value })))
					.body,
				"total_count",
			);
		expect(await word("support")).toBe(22);
		expect(await word("need support")).toBe(0);
		const full = await call("GET", `/conversations/${first?.id}?display_as=plaintext`);
		const parts = at(full.body, "conversation_parts", "conversation_parts") as { id: string; body: string }[];
		expect(parts).toHaveLength(500);
		expect(parts.at(-1)?.id).toBe(first?.conversation_parts.conversation_parts.at(-1)?.id);
		expect(at(full.body, "source", "body")).toBe(
			"Conversation 1: I need support with my order, see order 1 (https://example.com/orders/1).",
		);
		expect((await call("GET", "/conversations/1")).status).toBe(404);
	});
});
