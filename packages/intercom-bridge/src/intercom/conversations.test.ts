import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import { fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

function page(ids: string[], total: number, next?: string) {
	return {
		type: "conversation.list",
		conversations: ids.map((id) => ({ type: "conversation", id })),
		total_count: total,
		pages: { type: "pages", ...(next && { next: { starting_after: next } }) },
	};
}

const byContact = { field: "contact_ids", operator: "=", value: "c1" } as const;

describe("conversations", () => {
	it("searches every page, reading the `conversations` key", async () => {
		const { fetch, calls } = scriptedFetch((call) => {
			const cursor = (call.body as { pagination?: { starting_after?: string } }).pagination?.starting_after;
			return json(200, cursor === "p2" ? page(["3"], 3) : page(["1", "2"], 3, "p2"));
		});
		const client = createIntercomClient({ token: "t", fetch, ...fakeClock() });
		const result = await client.conversations.search(byContact, { all: true });
		expect(result.conversations.map((c) => c.id)).toEqual(["1", "2", "3"]);
		expect(result).toMatchObject({ totalCount: 3, next: null });
		expect(calls.map((c) => c.route)).toEqual(["POST /conversations/search", "POST /conversations/search"]);
		expect(calls[1]?.body).toEqual({ query: byContact, pagination: { per_page: 150, starting_after: "p2" } });
	});

	it("returns one page and its cursor without `all`", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, page(["1"], 9, "p2")));
		const client = createIntercomClient({ token: "t", fetch, ...fakeClock() });
		expect(await client.conversations.search(byContact)).toMatchObject({ totalCount: 9, next: "p2" });
		expect(calls[0]?.body).toEqual({ query: byContact });
	});

	it("gets a conversation, as plain text on request", async () => {
		const { fetch, calls } = scriptedFetch(() =>
			json(200, { type: "conversation", id: "1000000001", conversation_parts: { total_count: 0 } }),
		);
		const client = createIntercomClient({ token: "t", fetch, ...fakeClock() });
		await client.conversations.get("1000000001");
		await client.conversations.get("1000000001", { plaintext: true });
		expect(calls.map((c) => c.url.pathname + c.url.search)).toEqual([
			"/conversations/1000000001",
			"/conversations/1000000001?display_as=plaintext",
		]);
	});

	it("refuses an id that is not a conversation id before any request", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, {}));
		const client = createIntercomClient({ token: "t", fetch, ...fakeClock() });
		await expect(client.conversations.get("64f0c0ffee")).rejects.toBeInstanceOf(ValidationError);
		expect(calls).toHaveLength(0);
	});
});
