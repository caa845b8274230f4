/**
 * Every operation the emulator covers answers bodies that validate against Intercom's 2.16
 * schemas (and its errors against `error`); the validator itself accepts the spec's own examples.
 */
import { describe, expect, it } from "vitest";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { at, caller } from "./call.ts";
import { listOperations, validateRequest, validateResponse, validateSchema } from "./openapi-validator.ts";

describe("openapi-validator", () => {
	it("accepts every response example in the spec but one known defect", () => {
		let checked = 0;
		const failures: string[] = [];
		for (const op of listOperations()) {
			for (const [status, response] of Object.entries(
				op.raw.responses as Record<string, Record<string, unknown>>,
			)) {
				const media = (response.content as Record<string, Record<string, unknown>> | undefined)?.[
					"application/json"
				];
				for (const example of Object.values((media?.examples ?? {}) as Record<string, { value: unknown }>)) {
					const result = validateResponse(op.operationId, Number(status), example.value);
					if (!result.valid) failures.push(`${op.operationId} ${status}: ${result.errors[0]}`);
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThan(15);
		// The spec's own example gives part ids as integers where its schema says string; the emulator sends strings.
		expect(failures).toEqual([
			'retrieveConversation 200: /conversation_parts/conversation_parts/0/id must be string {"type":"string"}',
		]);
	});

	it("rejects bodies that break the schema", () => {
		expect(validateResponse("ShowContact", 200, { type: "contact", created_at: "yesterday" }).valid).toBe(
			false,
		);
		expect(validateSchema("error", { type: "error.list" }).valid).toBe(false);
		expect(validateRequest("SearchContacts", { pagination: {} }).valid).toBe(false);
		expect(validateRequest("CreateContact", { name: "no identifier" }).valid).toBe(false);
		expect(
			validateRequest("CreateContact", { email: "a@b.c" }, { headers: { "Intercom-Version": "9.9" } }).valid,
		).toBe(false);
	});

	it("finds operations by id, by method and template, and by concrete path", () => {
		expect(
			validateResponse({ method: "POST", path: "/contacts/search" }, 401, {
				type: "error.list",
				errors: [{ code: "unauthorized" }],
			}).valid,
		).toBe(true);
		expect(
			validateResponse("GET /contacts/{contact_id}", 409, {
				type: "error.list",
				errors: [{ code: "conflict" }],
			}).documented,
		).toBe(false);
	});
});

describe("emulator responses validate against the 2.16 schemas", () => {
	const token = "contract-token";
	const emulator = createIntercomEmulator({
		tokens: [token],
		apps: [{ appId: "abc12345", region: "eu", timezone: "Europe/Prague", identitySecret: "s" }],
	});
	const call = caller(emulator, token);

	const expectValid = (op: string | { method: string; path: string }, status: number, body: unknown) => {
		const result = validateResponse(op, status, body);
		expect(result.errors, JSON.stringify(op)).toEqual([]);
		expect(result.documented).toBe(true);
	};

	it("covers every operation of the subset, success and errors", async () => {
		const createBody = {
			role: "user",
			external_id: "guid-1",
			email: "ann@example.com",
			name: "Ann",
			avatar: "https://example.com/a.png",
			custom_attributes: { plan: "pro" },
		};
		expect(validateRequest("CreateContact", createBody).errors).toEqual([]);
		const created = await call("POST", "/contacts", createBody);
		expectValid("CreateContact", created.status, created.body);
		const id = at(created.body, "id") as string;
		expect(id).toMatch(/^[0-9a-f]{24}$/);
		expect(at(created.body, "avatar")).toEqual({ type: "avatar", image_url: "https://example.com/a.png" });

		const lead = await call("POST", "/contacts", { role: "lead" });
		expectValid("CreateContact", lead.status, lead.body);

		const shown = await call("GET", `/contacts/${id}`);
		expectValid({ method: "GET", path: `/contacts/${id}` }, shown.status, shown.body);
		const updated = await call("PUT", `/contacts/${id}`, { custom_attributes: { seats: 3 } });
		expectValid("UpdateContact", updated.status, updated.body);
		expect(at(updated.body, "custom_attributes")).toEqual({ plan: "pro", seats: 3 });
		const byExt = await call("GET", "/contacts/find_by_external_id/guid-1");
		expectValid("ShowContactByExternalId", byExt.status, byExt.body);

		const searchBody = {
			query: { field: "external_id", operator: "=", value: "guid-1" },
			pagination: { per_page: 5 },
		};
		expect(validateRequest("SearchContacts", searchBody).errors).toEqual([]);
		const search = await call("POST", "/contacts/search", searchBody);
		expectValid("SearchContacts", search.status, search.body);
		expect(at(search.body, "total_count")).toBe(1);

		emulator.seedConversations("guid-1", 3, { parts: 4 });
		const convSearchBody = { query: { field: "contact_ids", operator: "=", value: id } };
		expect(validateRequest("searchConversations", convSearchBody).errors).toEqual([]);
		const convs = await call("POST", "/conversations/search", convSearchBody);
		expectValid("searchConversations", convs.status, convs.body);
		const convId = at(convs.body, "conversations", 0, "id") as string;
		const conv = await call("GET", `/conversations/${convId}?display_as=plaintext`);
		expectValid("retrieveConversation", conv.status, conv.body);

		const me = await call("GET", "/me");
		expectValid("identifyAdmin", me.status, me.body);
		expect(at(me.body, "app", "id_code")).toBe("abc12345");
		expect(at(me.body, "app", "region")).toBe("EU");

		const archived = await call("POST", `/contacts/${id}/archive`);
		expectValid("ArchiveContact", archived.status, archived.body);
		const unarchived = await call("POST", `/contacts/${id}/unarchive`);
		expectValid("UnarchiveContact", unarchived.status, unarchived.body);
		const deleted = await call("DELETE", `/contacts/${id}`);
		expectValid("DeleteContact", deleted.status, deleted.body);
		expect(deleted.body).toEqual({ type: "contact", id, external_id: "guid-1", deleted: true });

		// Documented errors.
		const missing = await call("GET", "/conversations/999");
		expectValid("retrieveConversation", 404, missing.body);
		const unauthorized = await caller(emulator, "wrong")("POST", "/contacts/search", searchBody);
		expect(unauthorized.status).toBe(401);
		expectValid("SearchContacts", 401, unauthorized.body);
		const badSort = await call("POST", "/contacts/search", {
			...searchBody,
			sort: { field: "created_at", order: "up" },
		});
		expect(badSort.status).toBe(400);
		expectValid("SearchContacts", 400, badSort.body);
		expect(at(badSort.body, "errors", 0, "code")).toBe("invalid_sort_order");
	});

	it("answers undocumented errors (404, 409, 400) with the error schema", async () => {
		await call("POST", "/contacts", { external_id: "dup" });
		const bodies = [
			(await call("GET", "/contacts/000000000000000000000000")).body,
			(await call("POST", "/contacts", { external_id: "dup" })).body,
			(await call("POST", "/contacts/search", { query: { field: "nope", operator: "=", value: 1 } })).body,
		];
		for (const body of bodies) expect(validateSchema("error", body).errors).toEqual([]);
	});
});

describe("OAuth and /me of a US and an EU workspace", () => {
	const oauth = createIntercomEmulator({
		oauthClients: [{ clientId: "client-1", clientSecret: "secret-1" }],
		apps: [
			{ appId: "usapp111", region: "us" },
			{ appId: "euapp222", region: "eu" },
		],
	});
	const PLACEHOLDER = "http://intercom-emulator.invalid";
	const expectValid = (op: string, status: number, body: unknown) => {
		expect(validateResponse(op, status, body).errors).toEqual([]);
	};

	/** Authorizes `appId` on the app host and trades the code at the documented global token URL. */
	async function tokenFor(appId: string): Promise<string> {
		const page = await (
			await oauth.fetch(
				`${oauth.endpoints("us").app}/oauth?client_id=client-1&state=s1&redirect_uri=https://site.test/cb`,
			)
		).text();
		expect(page).toContain(`<option value="${appId}">`);
		const authorized = await oauth.fetch(`${oauth.endpoints("us").app}/oauth/authorize`, {
			method: "POST",
			body: new URLSearchParams({
				client_id: "client-1",
				state: "s1",
				redirect_uri: "https://site.test/cb",
				app_id: appId,
				decision: "authorize",
			}),
			headers: { "content-type": "application/x-www-form-urlencoded" },
		});
		const code = new URL(authorized.headers.get("location") ?? "").searchParams.get("code") ?? "";
		// `https://api.intercom.io/auth/eagle/token`: the emulator's root is the global API host.
		const res = await oauth.fetch(`${PLACEHOLDER}/auth/eagle/token`, {
			method: "POST",
			body: new URLSearchParams({ code, client_id: "client-1", client_secret: "secret-1" }),
			headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as { token: string; access_token: string; token_type: string };
		expect(body.token_type).toBe("Bearer");
		expect(body.access_token).toBe(body.token);
		return body.access_token;
	}

	it("issues tokens whose /me names the authorized workspace and its region", async () => {
		const us = await tokenFor("usapp111");
		const eu = await tokenFor("euapp222");
		const usMe = await caller(oauth, us)("GET", "/me");
		expectValid("identifyAdmin", usMe.status, usMe.body);
		expect(at(usMe.body, "app", "id_code")).toBe("usapp111");
		expect(at(usMe.body, "app", "region")).toBe("US");
		const euMe = await caller(oauth, eu, oauth.endpoints("eu").api)("GET", "/me");
		expectValid("identifyAdmin", euMe.status, euMe.body);
		expect(at(euMe.body, "app", "id_code")).toBe("euapp222");
		expect(at(euMe.body, "app", "region")).toBe("EU");
	});

	it("refuses a code presented twice, with the error schema", async () => {
		const authorized = await oauth.fetch(`${oauth.endpoints("us").app}/oauth/authorize`, {
			method: "POST",
			body: new URLSearchParams({
				client_id: "client-1",
				redirect_uri: "https://site.test/cb",
				decision: "authorize",
			}),
			headers: { "content-type": "application/x-www-form-urlencoded" },
		});
		const code = new URL(authorized.headers.get("location") ?? "").searchParams.get("code") ?? "";
		const exchange = () =>
			oauth.fetch(`${PLACEHOLDER}/auth/eagle/token`, {
				method: "POST",
				body: JSON.stringify({ code, client_id: "client-1", client_secret: "secret-1" }),
				headers: { "content-type": "application/json" },
			});
		expect((await exchange()).status).toBe(200);
		const again = await exchange();
		expect(again.status).toBe(401);
		expect(validateSchema("error", await again.json()).errors).toEqual([]);
	});
});
