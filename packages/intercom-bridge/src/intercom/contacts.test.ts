import { describe, expect, it } from "vitest";
import { IntercomApiError } from "../errors.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import {
	contact,
	contactPage,
	errorList,
	fakeClock,
	json,
	scriptedFetch,
} from "./scripted-fetch.test-support.ts";
import { MAX_PAGES } from "./search.ts";

const TOKEN = "tok_test";
const byEmail = { field: "email_domain", operator: "=", value: "example.com" } as const;

function client(fetch: typeof globalThis.fetch) {
	return createIntercomClient({ token: TOKEN, fetch, ...fakeClock() });
}

describe("contacts.findByExternalId / get", () => {
	it("answers null on 404 and escapes the id in the path", async () => {
		const { fetch, calls } = scriptedFetch(() => errorList(404, "not_found", "Resource Not Found"));
		expect(await client(fetch).contacts.findByExternalId("a/b c")).toBeNull();
		expect(calls[0]?.url.pathname).toBe("/contacts/find_by_external_id/a%2Fb%20c");
	});

	it("follows a merged contact's canonical link", async () => {
		const { fetch, calls } = scriptedFetch((call) =>
			call.url.pathname === "/contacts/old"
				? errorList(410, "contact_merged", "merged", { Link: '</contacts/new>; rel="canonical"' })
				: json(200, contact("new")),
		);
		expect((await client(fetch).contacts.get("old")).id).toBe("new");
		expect(calls.map((c) => c.url.pathname)).toEqual(["/contacts/old", "/contacts/new"]);
	});
});

describe("contacts.search", () => {
	it("follows pages.next.starting_after in the body through every page", async () => {
		const pages: Record<string, ReturnType<typeof contactPage>> = {
			first: contactPage(["c1", "c2"], 5, "cur-2"),
			"cur-2": contactPage(["c3", "c4"], 5, "cur-3"),
			"cur-3": contactPage(["c5"], 5),
		};
		const { fetch, calls } = scriptedFetch((call) => {
			const body = call.body as { pagination?: { starting_after?: string } };
			return json(200, pages[body.pagination?.starting_after ?? "first"]);
		});
		const result = await client(fetch).contacts.search(byEmail, { all: true });
		expect(result.data.map((c) => c.id)).toEqual(["c1", "c2", "c3", "c4", "c5"]);
		expect(result).toMatchObject({ totalCount: 5, next: null });
		expect(calls.map((c) => (c.body as { pagination?: unknown }).pagination)).toEqual([
			{ per_page: 150 },
			{ per_page: 150, starting_after: "cur-2" },
			{ per_page: 150, starting_after: "cur-3" },
		]);
		// The cursor never goes in the query string: Intercom would answer page 1 again.
		expect(calls.every((c) => c.url.search === "")).toBe(true);
	});

	it("sends one page with perPage, startingAfter and sort, and returns the next cursor", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, contactPage(["c9"], 40, "cur-next")));
		const result = await client(fetch).contacts.search(byEmail, {
			perPage: 1,
			startingAfter: "cur-prev",
			sort: { field: "created_at", order: "ascending" },
		});
		expect(result).toMatchObject({ totalCount: 40, next: "cur-next" });
		expect(calls).toHaveLength(1);
		expect(calls[0]?.body).toEqual({
			query: byEmail,
			pagination: { per_page: 1, starting_after: "cur-prev" },
			sort: { field: "created_at", order: "ascending" },
		});
	});

	it("stops with an error when Intercom repeats a cursor", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, contactPage(["c1"], 99, "same")));
		await expect(client(fetch).contacts.search(byEmail, { all: true })).rejects.toThrow(/already given/);
		expect(calls).toHaveLength(2);
	});

	it(`stops with an error after ${MAX_PAGES} pages`, async () => {
		const { fetch, calls } = scriptedFetch((_, i) => json(200, contactPage([`c${i}`], 1e6, `cur-${i + 1}`)));
		await expect(client(fetch).contacts.search(byEmail, { all: true })).rejects.toThrow(
			/more than 1000 pages/,
		);
		expect(calls).toHaveLength(MAX_PAGES);
	});

	it("refuses perPage above 150 before any request", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, contactPage([], 0)));
		await expect(client(fetch).contacts.search(byEmail, { perPage: 151 })).rejects.toThrow(/perPage/);
		expect(calls).toHaveLength(0);
	});
});

describe("contacts.upsertByExternalId", () => {
	it("updates the id named by a 409 after a create; creates once", async () => {
		const { fetch, calls } = scriptedFetch((call) => {
			if (call.route === "GET /contacts/find_by_external_id/g1")
				return errorList(404, "not_found", "Resource Not Found");
			if (call.route === "POST /contacts") {
				return errorList(
					409,
					"conflict",
					"A contact matching those details already exists with id=64f0c0ffee",
				);
			}
			if (call.route === "PUT /contacts/64f0c0ffee") return json(200, contact("64f0c0ffee", { name: "Ada" }));
			return errorList(500, "server_error", "unexpected");
		});
		const result = await client(fetch).contacts.upsertByExternalId("g1", {
			email: "ada@example.com",
			name: "Ada",
		});
		expect(result.id).toBe("64f0c0ffee");
		expect(calls.map((c) => c.route)).toEqual([
			"GET /contacts/find_by_external_id/g1",
			"POST /contacts",
			"PUT /contacts/64f0c0ffee",
		]);
		expect(calls[1]?.body).toEqual({ email: "ada@example.com", name: "Ada", external_id: "g1" });
		expect(calls[2]?.body).toMatchObject({ external_id: "g1", name: "Ada" });
	});

	it("updates a found contact without creating", async () => {
		const { fetch, calls } = scriptedFetch((call) =>
			call.method === "GET" ? json(200, contact("c7", { external_id: "g1" })) : json(200, contact("c7")),
		);
		await client(fetch).contacts.upsertByExternalId("g1", { name: "Ada" });
		expect(calls.map((c) => c.route)).toEqual(["GET /contacts/find_by_external_id/g1", "PUT /contacts/c7"]);
	});

	it("creates when nothing exists and returns the new contact", async () => {
		const { fetch, calls } = scriptedFetch((call) =>
			call.method === "GET" ? errorList(404, "not_found", "x") : json(200, contact("new1")),
		);
		expect((await client(fetch).contacts.upsertByExternalId("g2", { role: "user" })).id).toBe("new1");
		expect(calls.filter((c) => c.route === "POST /contacts")).toHaveLength(1);
	});

	it("unarchives an archived duplicate before updating it", async () => {
		const { fetch, calls } = scriptedFetch((call) => {
			if (call.method === "GET") return errorList(404, "not_found", "x");
			if (call.route === "POST /contacts") {
				return errorList(
					409,
					"conflict",
					"An archived contact matching those details already exists with id=arch1",
				);
			}
			return json(200, contact("arch1"));
		});
		await client(fetch).contacts.upsertByExternalId("g3", { name: "Bo" });
		expect(calls.map((c) => c.route).slice(2)).toEqual([
			"POST /contacts/arch1/unarchive",
			"PUT /contacts/arch1",
		]);
	});

	it("does not repeat the create when it fails with a 5xx", async () => {
		const { fetch, calls } = scriptedFetch((call) =>
			call.method === "GET"
				? errorList(404, "not_found", "x")
				: errorList(503, "service_unavailable", "down"),
		);
		await expect(client(fetch).contacts.upsertByExternalId("g4", { name: "Cy" })).rejects.toBeInstanceOf(
			IntercomApiError,
		);
		expect(calls.filter((c) => c.route === "POST /contacts")).toHaveLength(1);
	});
});

describe("contacts.delete / archive", () => {
	it("deletes and archives by id with the right methods", async () => {
		const { fetch, calls } = scriptedFetch((call) =>
			json(200, { type: "contact", id: "c1", [call.method === "DELETE" ? "deleted" : "archived"]: true }),
		);
		const c = client(fetch);
		expect(await c.contacts.delete("c1")).toMatchObject({ deleted: true });
		expect(await c.contacts.archive("c1")).toMatchObject({ archived: true });
		expect(calls.map((x) => x.route)).toEqual(["DELETE /contacts/c1", "POST /contacts/c1/archive"]);
	});
});

describe("contacts.merge", () => {
	it("posts from and into, once, and answers the user", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, contact("user-1")));
		const merged = await client(fetch).contacts.merge("lead-1", "user-1");
		expect(merged.id).toBe("user-1");
		expect(calls.map((c) => [c.route, c.body])).toEqual([
			["POST /contacts/merge", { from: "lead-1", into: "user-1" }],
		]);
	});

	it("passes skip_duplicate_validation, and never retries (a repeat would hide a merge that went through)", async () => {
		const { fetch, calls } = scriptedFetch(() => errorList(503, "service_unavailable", "busy"));
		await expect(
			client(fetch).contacts.merge("lead-1", "user-1", { skipDuplicateValidation: true }),
		).rejects.toBeInstanceOf(IntercomApiError);
		expect(calls).toHaveLength(1);
		expect(calls[0]?.body).toEqual({ from: "lead-1", into: "user-1", skip_duplicate_validation: true });
	});

	it("surfaces invalid_merge and refuses the same id twice before sending", async () => {
		const { fetch, calls } = scriptedFetch(() =>
			errorList(400, "invalid_merge", "Contacts can only be merged when…"),
		);
		await expect(client(fetch).contacts.merge("a", "b")).rejects.toMatchObject({
			intercomCode: "invalid_merge",
		});
		await expect(client(fetch).contacts.merge("a", "a")).rejects.toThrow(/two different contact ids/);
		expect(calls).toHaveLength(1);
	});
});
