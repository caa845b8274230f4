/**
 * The REST client and the OAuth helpers against the Intercom emulator over loopback HTTP, in the
 * EU region. Every request the client sends is checked against the 2.16 request schemas, and every
 * answer it reads against the response schemas, so client and emulator are held to one contract.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IntercomAuthError } from "../../src/errors.ts";
import {
	authorizationUrl,
	createIntercomClient,
	exchangeCode,
	type IntercomClient,
} from "../../src/intercom/index.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { validateRequest, validateResponse, validateSchema } from "./openapi-validator.ts";

const TOKEN = "tok_contract_client";
const OAUTH = {
	clientId: "client-1",
	clientSecret: "secret-1",
	redirectUris: ["https://site.example/oauth/callback"],
};

let t = Date.UTC(2026, 10, 25, 12);
const clock = {
	now: () => t,
	sleep: async (ms: number) => {
		t += ms;
	},
};
const emulator = createIntercomEmulator({ tokens: [TOKEN], oauthClients: [OAUTH], now: clock.now });
let server: EmulatorServer;
const violations: string[] = [];

/** Real fetch over loopback, checking each REST exchange against the spec. */
const checkedFetch: typeof fetch = async (input, init) => {
	const request = new Request(input, init);
	const url = new URL(request.url);
	const path = url.pathname.replace(/^\/(us|eu|au)(?=\/)/, "");
	const isRest = /^\/(contacts|conversations|me|data_attributes|events)(\/|$)/.test(path);
	if (isRest) {
		const text = await request.clone().text();
		const body: unknown = text ? JSON.parse(text) : undefined;
		const req = validateRequest({ method: request.method, path }, body, { headers: request.headers });
		violations.push(...req.errors.map((e) => `request ${request.method} ${path}: ${e}`));
	}
	const response = await fetch(request);
	// The spec types GET /events' answer as the summary; the plain listing is `data_event_list`.
	const eventList = request.method === "GET" && path === "/events" && !url.searchParams.has("summary");
	if (eventList && response.ok) {
		const res = validateSchema("data_event_list", await response.clone().json());
		violations.push(...res.errors.map((e) => `response GET /events: ${e}`));
	} else if (isRest && response.headers.get("content-type")?.includes("json")) {
		const res = validateResponse(
			{ method: request.method, path },
			response.status,
			await response.clone().json(),
		);
		violations.push(...res.errors.map((e) => `response ${response.status} ${request.method} ${path}: ${e}`));
	}
	return response;
};

function client(token = TOKEN): IntercomClient {
	return createIntercomClient({
		token,
		region: "eu",
		endpoints: emulator.endpoints("eu"),
		fetch: checkedFetch,
		...clock,
	});
}

const posts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/contacts");

beforeAll(async () => {
	server = await emulator.listen();
});
afterAll(async () => {
	await server?.close();
});
beforeEach(() => {
	emulator.reset();
	violations.length = 0;
	t += 20_000; // a fresh rate-limit window
});

describe("client against the emulator", () => {
	it("identifies the workspace with /me in the EU region, sending Intercom-Version 2.16", async () => {
		const me = await client().me();
		expect(me.app?.id_code).toBeTruthy();
		expect(emulator.requests.at(-1)).toMatchObject({ region: "eu", version: "2.16", path: "/me" });
		expect(violations).toEqual([]);
	});

	it("upserts: creates, then finds and updates, never a second contact", async () => {
		const c = client();
		const created = await c.contacts.upsertByExternalId("guid-1", { role: "user", email: "ada@example.com" });
		const updated = await c.contacts.upsertByExternalId("guid-1", { name: "Ada", custom_attributes: {} });
		expect(updated.id).toBe(created.id);
		expect(updated.name).toBe("Ada");
		expect(emulator.contacts()).toHaveLength(1);
		expect(posts()).toHaveLength(1);
		expect(violations).toEqual([]);
	});

	it("takes the 409 path when the lookup misses an existing contact (a lead)", async () => {
		const lead = emulator.seedContact({ role: "lead", external_id: "guid-lead" });
		const result = await client().contacts.upsertByExternalId("guid-lead", { name: "Lee" });
		expect(result.id).toBe(lead.id);
		expect(emulator.contacts()).toHaveLength(1);
		expect(posts()).toHaveLength(1);
		expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
			"GET 404",
			"POST 409",
			"PUT 200",
		]);
	});

	it("searches every page through the body cursor, with a nested query", async () => {
		for (let i = 0; i < 7; i++)
			emulator.seedContact({ role: "user", external_id: `g${i}`, email: `u${i}@example.com` });
		emulator.seedContact({ role: "lead", email: "other@elsewhere.test" });
		const result = await client().contacts.search(
			{
				// (A OR B) AND (C OR D): one kind per group, as the 2.16 request schema requires.
				operator: "AND",
				value: [
					{
						operator: "OR",
						value: [
							{ field: "email_domain", operator: "=", value: "example.com" },
							{ field: "email", operator: "$", value: "@example.com" },
						],
					},
					{
						operator: "OR",
						value: [
							{ field: "role", operator: "=", value: "user" },
							{ field: "external_id", operator: "^", value: "g" },
						],
					},
				],
			},
			{ perPage: 3, all: true },
		);
		expect(result.data.map((c) => c.external_id).sort()).toEqual(["g0", "g1", "g2", "g3", "g4", "g5", "g6"]);
		expect(result.totalCount).toBe(7);
		expect(emulator.requests.filter((r) => r.path === "/contacts/search")).toHaveLength(3);
		expect(violations).toEqual([]);
	});

	it("searches a contact's conversations and reads one as plain text", async () => {
		const contact = emulator.seedContact({ role: "user", external_id: "guid-c", email: "cy@example.com" });
		emulator.seedConversations(contact.id, 5);
		const c = client();
		const { conversations } = await c.conversations.search(
			{ field: "contact_ids", operator: "=", value: contact.id },
			{ perPage: 2, all: true },
		);
		expect(conversations).toHaveLength(5);
		const one = await c.conversations.get(conversations[0]?.id ?? "", { plaintext: true });
		expect(one.conversation_parts?.conversation_parts?.length).toBeGreaterThan(0);
		expect(violations).toEqual([]);
	});

	it("deletes and archives", async () => {
		const a = emulator.seedContact({ role: "user", external_id: "del" });
		const b = emulator.seedContact({ role: "user", external_id: "arc" });
		const c = client();
		expect(await c.contacts.delete(a.id)).toMatchObject({ id: a.id, deleted: true });
		expect(await c.contacts.archive(b.id)).toMatchObject({ id: b.id, archived: true });
		expect(await c.contacts.findByExternalId("arc")).toBeNull();
		expect(violations).toEqual([]);
	});

	it("retries a GET through an injected 503 but sends a create once", async () => {
		const seeded = emulator.seedContact({ role: "user", external_id: "r1" });
		emulator.inject({ kind: "status", status: 503, path: "/contacts" });
		expect((await client().contacts.get(seeded.id)).id).toBe(seeded.id);
		emulator.inject({ kind: "status", status: 503, path: "/contacts" });
		await expect(client().contacts.create({ email: "x@example.com" })).rejects.toMatchObject({
			httpStatus: 503,
		});
		expect(posts()).toHaveLength(1);
	});

	it("waits out the emulator's rate-limit window instead of failing", async () => {
		const limited = createIntercomEmulator({ tokens: [TOKEN], rateLimitPer10s: 2, now: clock.now });
		const c = createIntercomClient({
			token: TOKEN,
			endpoints: limited.endpoints("eu"),
			fetch: limited.fetch,
			...clock,
		});
		const started = clock.now();
		for (let i = 0; i < 5; i++) await c.me();
		// X-RateLimit-Remaining reaches 0 after two calls: the client holds back until the reset
		// instead of spending a request on a 429, so every answer is a 200, two windows later.
		expect(limited.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		expect(clock.now() - started).toBeGreaterThanOrEqual(10_000);
	});

	it("after a 429 from the emulator, retries only once its window has reset", async () => {
		const limited = createIntercomEmulator({ tokens: [TOKEN], rateLimitPer10s: 1, now: clock.now });
		const c = createIntercomClient({
			token: TOKEN,
			endpoints: limited.endpoints(),
			fetch: limited.fetch,
			...clock,
		});
		await c.me();
		// A second client on the same token knows nothing of the used-up window, so it meets the 429.
		const other = createIntercomClient({
			token: TOKEN,
			endpoints: limited.endpoints(),
			fetch: limited.fetch,
			...clock,
		});
		await other.me();
		const [first, throttled, retried] = limited.requests;
		expect([first?.status, throttled?.status, retried?.status]).toEqual([200, 429, 200]);
		expect(Math.floor((retried?.at ?? 0) / 10_000)).toBeGreaterThan(
			Math.floor((throttled?.at ?? 0) / 10_000),
		);
	});

	it("reports a revoked token as IntercomAuthError", async () => {
		emulator.revokeToken(TOKEN);
		await expect(client().me()).rejects.toBeInstanceOf(IntercomAuthError);
	});
});

describe("OAuth against the emulator", () => {
	it("authorizes, exchanges the code once, and the token works", async () => {
		const endpoints = emulator.endpoints("eu");
		const url = authorizationUrl({
			clientId: OAUTH.clientId,
			state: "st-1",
			redirectUri: OAUTH.redirectUris[0] ?? "",
			endpoints,
		});
		expect((await fetch(url)).status).toBe(200); // the page with the Authorize button
		const form = new URLSearchParams(new URL(url).searchParams);
		form.set("decision", "authorize");
		const answer = await fetch(`${endpoints.app}/oauth/authorize`, {
			method: "POST",
			body: form,
			redirect: "manual",
		});
		const callback = new URL(answer.headers.get("location") ?? "");
		expect(callback.searchParams.get("state")).toBe("st-1");
		const code = callback.searchParams.get("code") ?? "";

		const { token, tokenType } = await exchangeCode({ code, ...OAUTH, endpoints });
		expect(tokenType).toBe("Bearer");
		expect((await client(token).me()).app?.id_code).toBeTruthy();
		await expect(exchangeCode({ code, ...OAUTH, endpoints })).rejects.toMatchObject({
			oauthCode: "unauthorized",
		});
		await expect(exchangeCode({ code: "nope", ...OAUTH, clientSecret: "wrong", endpoints })).rejects.toThrow(
			/client secret/,
		);
	});
});

describe("data attributes, events and merge against the emulator", () => {
	it("lists contact attributes and creates a custom one once; a taken name is Intercom's 400", async () => {
		const c = client();
		const before = await c.dataAttributes.list();
		expect(before.map((a) => a.name)).toContain("email");
		expect(before.some((a) => a.custom)).toBe(false);
		const created = await c.dataAttributes.create({
			name: "coffee",
			dataType: "string",
			description: "Order",
		});
		expect(created).toMatchObject({ name: "coffee", data_type: "string", custom: true, model: "contact" });
		expect((await c.dataAttributes.list()).filter((a) => a.custom).map((a) => a.name)).toEqual(["coffee"]);
		await expect(c.dataAttributes.create({ name: "coffee", dataType: "integer" })).rejects.toMatchObject({
			httpStatus: 400,
			intercomCode: "parameter_invalid",
		});
		expect(
			emulator.requests.filter((r) => r.path === "/data_attributes" && r.method === "POST"),
		).toHaveLength(2);
		// Now the contact may carry it.
		const contact = await c.contacts.create({
			external_id: "g-ca",
			custom_attributes: { coffee: "flat white" },
		});
		expect(contact.custom_attributes).toEqual({ coffee: "flat white" });
		expect(violations).toEqual([]);
	});

	it("sends a data event by user_id (202), lists it, and refuses bad metadata before sending", async () => {
		const c = client();
		await c.contacts.create({ role: "user", external_id: "g-ev", email: "ev@example.com" });
		await c.events.create({
			eventName: "ordered-coffee",
			createdAt: new Date(Date.UTC(2026, 10, 1, 8, 30, 15, 999)),
			userId: "g-ev",
			metadata: { size: "large", url: "https://example.com/o/1" },
		});
		expect(emulator.events()).toEqual([
			expect.objectContaining({
				eventName: "ordered-coffee",
				createdAt: Date.UTC(2026, 10, 1, 8, 30, 15) / 1000,
				metadata: { size: "large", url: "https://example.com/o/1" },
			}),
		]);
		const listed = await c.events.list({ userId: "g-ev" });
		expect(listed.map((e) => e.event_name)).toEqual(["ordered-coffee"]);
		const sent = emulator.requests.length;
		await expect(
			c.events.create({
				eventName: "x",
				createdAt: 1,
				userId: "g-ev",
				metadata: { deep: { a: 1 } as never },
			}),
		).rejects.toThrow(/"deep" is an object/);
		expect(emulator.requests.length).toBe(sent);
		// An unknown contact is Intercom's 404, thrown (not retried: 404 is no transient failure).
		await expect(c.events.create({ eventName: "x", createdAt: 1, userId: "nobody" })).rejects.toMatchObject({
			httpStatus: 404,
		});
		expect(violations).toEqual([]);
	});

	it("merges a lead into a user; the lead's id then leads to the user", async () => {
		const c = client();
		const user = await c.contacts.create({ role: "user", external_id: "g-m", email: "m@example.com" });
		const lead = await c.contacts.create({ role: "lead", email: "m@example.com" });
		await expect(c.contacts.merge(user.id ?? "", lead.id ?? "")).rejects.toMatchObject({
			httpStatus: 400,
			intercomCode: "invalid_merge",
		});
		const merged = await c.contacts.merge(lead.id ?? "", user.id ?? "");
		expect(merged.id).toBe(user.id);
		expect((await c.contacts.get(lead.id ?? "")).id).toBe(user.id);
		const stranger = await c.contacts.create({ role: "lead", email: "s@example.com" });
		await expect(c.contacts.merge(stranger.id ?? "", user.id ?? "")).rejects.toThrow(
			/skip_duplicate_validation/,
		);
		expect(
			(await c.contacts.merge(stranger.id ?? "", user.id ?? "", { skipDuplicateValidation: true })).id,
		).toBe(user.id);
		expect(violations).toEqual([]);
	});
});
