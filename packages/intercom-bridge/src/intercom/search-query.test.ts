import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import { contactPage, fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";
import { type SearchFilter, type SearchQuery, validateSearchQuery } from "./search-query.ts";

const f = (n: number): SearchFilter => ({ field: "custom_attributes.n", operator: "=", value: n });

function problem(query: unknown): ValidationError {
	try {
		validateSearchQuery(query);
	} catch (err) {
		if (err instanceof ValidationError) return err;
		throw err;
	}
	throw new Error("expected a ValidationError");
}

describe("validateSearchQuery", () => {
	it("accepts a single filter and two levels of mixed groups", () => {
		const query: SearchQuery = {
			operator: "AND",
			value: [
				{ operator: "OR", value: [f(1), f(2)] },
				{ field: "role", operator: "IN", value: ["user", "lead"] },
				{ field: "unsubscribed_from_emails", operator: "=", value: false },
			],
		};
		expect(() => validateSearchQuery(query)).not.toThrow();
		expect(() => validateSearchQuery(f(1))).not.toThrow();
	});

	it("refuses a third level of groups, naming where", () => {
		const err = problem({
			operator: "AND",
			value: [f(1), { operator: "OR", value: [{ operator: "AND", value: [f(2)] }] }],
		});
		expect(err.field).toBe("query.value[1].value[0]");
		expect(err.message).toMatch(/3 levels deep; Intercom allows at most 2/);
	});

	it("allows 15 conditions per group and refuses 16", () => {
		const group = (n: number) => ({ operator: "OR", value: Array.from({ length: n }, (_, i) => f(i)) });
		expect(() => validateSearchQuery(group(15))).not.toThrow();
		expect(problem(group(16)).message).toMatch(/16 conditions; Intercom allows at most 15/);
		expect(problem({ operator: "AND", value: [f(0), group(16)] }).field).toBe("query.value[1]");
	});

	it("checks operators and values", () => {
		expect(problem({ field: "role", operator: "IN", value: "user" }).message).toMatch(
			/IN, which needs an array/,
		);
		expect(problem({ field: "role", operator: "=", value: ["user"] }).message).toMatch(
			/arrays go with IN\/NIN/,
		);
		expect(problem({ field: "role", operator: "LIKE", value: "u" }).message).toMatch(/operator "LIKE"/);
		expect(problem({ field: "", operator: "=", value: "u" }).message).toMatch(/non-empty `field`/);
		expect(problem({ operator: "OR", value: [] }).message).toMatch(/without conditions/);
		expect(problem(null).message).toMatch(/must be an object/);
	});
});

describe("search queries on the wire", () => {
	it("sends a nested query unchanged in the body", async () => {
		const query: SearchQuery = {
			operator: "AND",
			value: [
				{ operator: "OR", value: [f(1), f(2)] },
				{ operator: "OR", value: [f(3), f(4)] },
			],
		};
		const { fetch, calls } = scriptedFetch(() => json(200, contactPage([], 0)));
		await createIntercomClient({ token: "t", fetch, ...fakeClock() }).contacts.search(query);
		expect(calls[0]?.body).toEqual({ query });
	});

	it("refuses an invalid query before any request", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, contactPage([], 0)));
		const tooMany: SearchQuery = { operator: "OR", value: Array.from({ length: 20 }, (_, i) => f(i)) };
		const client = createIntercomClient({ token: "t", fetch, ...fakeClock() });
		await expect(client.contacts.search(tooMany)).rejects.toBeInstanceOf(ValidationError);
		await expect(client.conversations.search(tooMany)).rejects.toBeInstanceOf(ValidationError);
		expect(calls).toHaveLength(0);
	});
});
