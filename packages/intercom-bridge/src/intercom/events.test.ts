import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import { validateEventMetadata } from "./events.ts";
import { errorList, fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

const client = (fetch: typeof globalThis.fetch) =>
	createIntercomClient({ token: "tok", fetch, ...fakeClock() });
const accepted = () => new Response(null, { status: 202 });

describe("events.create", () => {
	it("sends event_name, created_at in seconds, user_id and metadata; 202 with no body resolves", async () => {
		const { fetch, calls } = scriptedFetch(accepted);
		await client(fetch).events.create({
			eventName: "ordered-coffee",
			createdAt: new Date(1_767_225_600_900),
			userId: "guid-1",
			metadata: { size: "large", price: 3.5, decaf: false },
		});
		expect(calls.map((c) => c.route)).toEqual(["POST /events"]);
		expect(calls[0]?.body).toEqual({
			event_name: "ordered-coffee",
			created_at: 1_767_225_600,
			user_id: "guid-1",
			metadata: { size: "large", price: 3.5, decaf: false },
		});
	});

	it("names the contact by Intercom id or email too", async () => {
		const { fetch, calls } = scriptedFetch(accepted);
		await client(fetch).events.create({ eventName: "a", createdAt: 5, id: "abc" });
		await client(fetch).events.create({ eventName: "b", createdAt: 5, email: "a@b.c" });
		expect(calls.map((c) => c.body)).toEqual([
			{ event_name: "a", created_at: 5, id: "abc" },
			{ event_name: "b", created_at: 5, email: "a@b.c" },
		]);
	});

	it("retries a 503 (Intercom de-duplicates on contact, name and second) and a 202 with a text body is fine", async () => {
		const { fetch, calls } = scriptedFetch((_, i) =>
			i === 0 ? errorList(503, "service_unavailable", "busy") : new Response("Accepted", { status: 202 }),
		);
		await client(fetch).events.create({ eventName: "a", createdAt: 5, userId: "g" });
		expect(calls).toHaveLength(2);
		expect(calls[1]?.body).toEqual(calls[0]?.body);
	});

	it("throws Intercom's 404 for an unknown contact without retrying", async () => {
		const { fetch, calls } = scriptedFetch(() => errorList(404, "not_found", "User Not Found"));
		await expect(
			client(fetch).events.create({ eventName: "a", createdAt: 5, userId: "g" }),
		).rejects.toMatchObject({
			httpStatus: 404,
		});
		expect(calls).toHaveLength(1);
	});

	it("refuses bad input before sending, saying what is wrong", async () => {
		const { fetch, calls } = scriptedFetch(accepted);
		const events = client(fetch).events;
		const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
		await expect(
			events.create({ eventName: "a", createdAt: 5, userId: "g", metadata: eleven }),
		).rejects.toThrow(/11 keys .*only the first 10\. Drop 1\./);
		await expect(
			events.create({ eventName: "a", createdAt: 5, userId: "g", metadata: { list: [1] as never } }),
		).rejects.toThrow(/"list" is an array/);
		await expect(
			events.create({ eventName: "a", createdAt: 5, userId: "g", metadata: { n: Number.NaN } }),
		).rejects.toThrow(/"n" is NaN/);
		await expect(events.create({ eventName: "", createdAt: 5, userId: "g" })).rejects.toThrow(/eventName/);
		await expect(
			events.create({ eventName: "a", createdAt: 1_767_225_600_000, userId: "g" }),
		).rejects.toThrow(/looks like milliseconds/);
		await expect(events.create({ eventName: "a", createdAt: 1.5, userId: "g" })).rejects.toThrow(
			/whole Unix seconds/,
		);
		await expect(
			events.create({ eventName: "a", createdAt: 5, userId: "g", id: "x" } as never),
		).rejects.toThrow(/exactly one of userId, id or email/);
		await expect(events.create({ eventName: "a", createdAt: 5, userId: "" })).rejects.toBeInstanceOf(
			ValidationError,
		);
		expect(calls).toHaveLength(0);
	});
});

describe("validateEventMetadata", () => {
	it("takes ten flat keys and names the field of a nested one", () => {
		expect(() =>
			validateEventMetadata(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"]))),
		).not.toThrow();
		expect(() => validateEventMetadata({ a: { b: 1 } })).toThrow(
			expect.objectContaining({ field: "metadata.a" }),
		);
		expect(() => validateEventMetadata({ a: null })).toThrow(/"a" is null/);
		expect(() => validateEventMetadata([])).toThrow(/must be an object/);
	});
});

describe("events.list", () => {
	it("sends the filter flat with type=user and per_page, and reads event.list", async () => {
		const { fetch, calls } = scriptedFetch(() =>
			json(200, {
				type: "event.list",
				events: [{ type: "event", event_name: "a", created_at: 5, user_id: "g" }],
				pages: {},
			}),
		);
		const events = await client(fetch).events.list({ userId: "g 1" }, { perPage: 5 });
		expect(events.map((e) => e.event_name)).toEqual(["a"]);
		expect(calls[0]?.url.search).toBe("?user_id=g+1&type=user&per_page=5");
		await client(fetch).events.list({ intercomUserId: "abc" });
		expect(calls[1]?.url.search).toBe("?intercom_user_id=abc&type=user");
		await expect(client(fetch).events.list({ email: "a@b.c" }, { perPage: 0 })).rejects.toThrow(/perPage/);
	});
});
