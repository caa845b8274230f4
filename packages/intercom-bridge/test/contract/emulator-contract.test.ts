/**
 * Every operation the emulator covers answers bodies that validate against Intercom's 2.16
 * schemas (and its errors against `error`); the validator itself accepts the spec's own examples.
 */
import { describe, expect, it } from "vitest";
import { scrubBody } from "../../src/jobs/contact-erasure-job.ts";
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
		dataAttributes: [
			{ name: "plan", dataType: "string" },
			{ name: "seats", dataType: "integer" },
		],
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

	it("clears a contact the way a withdrawal's scrub does: email empty (not nullable), name and attributes null", async () => {
		const made = await call("POST", "/contacts", {
			role: "user",
			external_id: "scrub-1",
			email: "sam@example.com",
			name: "Sam",
			custom_attributes: { plan: "pro" },
		});
		const id = at(made.body, "id") as string;
		// The 2.16 schema types update_contact_request.email a string without `nullable`.
		expect(validateRequest("UpdateContact", { email: null }).valid).toBe(false);
		const refused = await call("PUT", `/contacts/${id}`, { email: null });
		expect(refused.status).toBe(400);
		const body = scrubBody(["plan"]);
		expect(validateRequest("UpdateContact", body).errors).toEqual([]);
		const scrubbed = await call("PUT", `/contacts/${id}`, body);
		expectValid("UpdateContact", scrubbed.status, scrubbed.body);
		expect(scrubbed.body).toMatchObject({ external_id: "scrub-1", email: "", email_domain: "", name: null });
		expect(at(scrubbed.body, "custom_attributes", "plan")).toBeNull();
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

describe("data attributes, data events and merging, against the 2.16 schemas", () => {
	const token = "contract-token-2";
	const emulator = createIntercomEmulator({
		tokens: [token],
		dataAttributes: [{ name: "plan", dataType: "string" }],
	});
	const call = caller(emulator, token);
	const expectValid = (op: string | { method: string; path: string }, status: number, body: unknown) => {
		const result = validateResponse(op, status, body);
		expect(result.errors, JSON.stringify(op)).toEqual([]);
		expect(result.documented, `${JSON.stringify(op)} ${status}`).toBe(true);
	};

	it("lists contact attributes (standard and custom) and creates custom ones", async () => {
		const list = await call("GET", "/data_attributes?model=contact");
		expectValid("lisDataAttributes", list.status, list.body);
		const names = (at(list.body, "data") as { name: string; custom: boolean }[]).map(
			(a) => `${a.name}:${a.custom}`,
		);
		expect(names).toContain("email:false");
		expect(names).toContain("plan:true");

		const body = { name: "seats", model: "contact", data_type: "integer", description: "Licensed seats" };
		expect(validateRequest("createDataAttribute", body).errors).toEqual([]);
		const created = await call("POST", "/data_attributes", body);
		expectValid("createDataAttribute", created.status, created.body);
		expect(created.body).toMatchObject({
			name: "seats",
			full_name: "custom_attributes.seats",
			data_type: "integer",
			custom: true,
		});

		// The spec's documented 400s: a taken name, a bad name, an unknown type, a bad model.
		const again = await call("POST", "/data_attributes", body);
		expectValid("createDataAttribute", again.status, again.body);
		expect(at(again.body, "errors", 0)).toEqual({
			code: "parameter_invalid",
			message:
				"You already have 'seats' in your people data. To save this as new people data, use a different name.",
		});
		const badName = await call("POST", "/data_attributes", { ...body, name: "!nv@l!d n@me" });
		expect(badName.status).toBe(400);
		expect(at(badName.body, "errors", 0, "message")).toMatch(/alphanumeric/);
		const badType = await call("POST", "/data_attributes", { ...body, name: "x", data_type: "mithril" });
		expect(at(badType.body, "errors", 0, "message")).toBe("Data Type isn't an option");
		const badModel = await call("POST", "/data_attributes", { ...body, name: "y", model: "conversation" });
		expect(badModel.status).toBe(400);
		const conversationModel = await call("GET", "/data_attributes?model=conversation");
		expectValid("lisDataAttributes", conversationModel.status, conversationModel.body);
		expect(conversationModel.status).toBe(422);

		const id = at(created.body, "id") as number;
		const archived = await call("PUT", `/data_attributes/${id}`, { archived: true });
		expectValid("updateDataAttribute", archived.status, archived.body);
		expect(at(archived.body, "archived")).toBe(true);
		const gone = await call("PUT", "/data_attributes/99999", { archived: true });
		expectValid("updateDataAttribute", gone.status, gone.body);
		expect(gone.status).toBe(404);
		const withArchived = await call("GET", "/data_attributes?model=contact&include_archived=true");
		expect((at(withArchived.body, "data") as { name: string }[]).some((a) => a.name === "seats")).toBe(true);
		const withoutArchived = await call("GET", "/data_attributes?model=contact");
		expect((at(withoutArchived.body, "data") as { name: string }[]).some((a) => a.name === "seats")).toBe(
			false,
		);
	});

	it("accepts custom_attributes on contacts only for existing attributes of the right type", async () => {
		const ok = await call("POST", "/contacts", { external_id: "ca-1", custom_attributes: { plan: "pro" } });
		expect(ok.status).toBe(200);
		const unknown = await call("POST", "/contacts", {
			external_id: "ca-2",
			custom_attributes: { colour: "red" },
		});
		expect(unknown.status).toBe(400);
		expect(validateSchema("error", unknown.body).errors).toEqual([]);
		expect(at(unknown.body, "errors", 0)).toEqual({
			code: "parameter_invalid",
			message: "Custom attribute 'colour' does not exist",
		});
		const id = at(ok.body, "id") as string;
		const mistyped = await call("PUT", `/contacts/${id}`, { custom_attributes: { plan: 3 } });
		expect(mistyped.status).toBe(400);
		expect(at(mistyped.body, "errors", 0, "message")).toMatch(/'plan' expects a value of type string/);
		// Nothing of a refused write was kept.
		expect(emulator.contacts().some((c) => c.external_id === "ca-2")).toBe(false);
		expect(emulator.contacts().find((c) => c.id === id)?.custom_attributes).toEqual({ plan: "pro" });
	});

	it("takes data events (202, empty body), keeps 10 metadata keys, ignores duplicates, lists them", async () => {
		const user = await call("POST", "/contacts", {
			role: "user",
			external_id: "ev-1",
			email: "ev@example.com",
		});
		const userId = at(user.body, "id") as string;
		const event = {
			event_name: "ordered-coffee",
			created_at: 1_767_225_600,
			user_id: "ev-1",
			metadata: { size: "large", url: "https://example.com/order/1" },
		};
		expect(validateRequest("createDataEvent", event).errors).toEqual([]);
		const sent = await call("POST", "/events", event);
		expect(sent.status).toBe(202);
		expect(sent.body).toBeUndefined();
		expect((await call("POST", "/events", event)).status).toBe(202);
		const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
		expect(
			(
				await call("POST", "/events", {
					event_name: "big",
					created_at: 1_767_225_601,
					id: userId,
					metadata: many,
				})
			).status,
		).toBe(202);
		expect(emulator.events().map((e) => e.eventName)).toEqual(["ordered-coffee", "big"]);
		expect(Object.keys(emulator.events()[1]?.metadata ?? {})).toEqual(
			Array.from({ length: 10 }, (_, i) => `k${i}`),
		);

		const nobody = await call("POST", "/events", { ...event, user_id: "nobody" });
		expect(nobody.status).toBe(404);
		expect(validateSchema("error", nobody.body).errors).toEqual([]);
		const nested = await call("POST", "/events", { ...event, metadata: { a: { b: 1 } } });
		expect(nested.status).toBe(400);
		const rich = await call("POST", "/events", {
			...event,
			created_at: 1_767_225_700,
			metadata: {
				article: { url: "https://example.com/a", value: "A" },
				price: { amount: 34999, currency: "eur" },
			},
		});
		expect(rich.status).toBe(202);
		const anonymous = await call("POST", "/events", { event_name: "x", created_at: 1 });
		expect(anonymous.status).toBe(400);

		const unauthorized = await caller(emulator, "wrong")("POST", "/events", event);
		expectValid("createDataEvent", unauthorized.status, unauthorized.body);

		const listed = await call("GET", "/events?type=user&user_id=ev-1");
		expect(listed.status).toBe(200);
		// The spec types GET /events' 200 as the summary; without summary=true Intercom lists events.
		// Its `data_event.metadata` says string values only, while createDataEvent's description
		// documents numbers, rich links and money too: those are the only departures allowed.
		const listErrors = validateSchema("data_event_list", listed.body).errors;
		expect(listErrors.filter((e) => !/^\/events\/\d+\/metadata\/\w+ must be string/.test(e))).toEqual([]);
		expect(listErrors).toHaveLength(12); // k0…k9 numbers, the rich link and the money
		expect((at(listed.body, "events") as { event_name: string }[]).map((e) => e.event_name)).toEqual([
			"ordered-coffee",
			"big",
			"ordered-coffee",
		]);
		const byId = await call("GET", `/events?type=user&intercom_user_id=${userId}&per_page=1`);
		expect((at(byId.body, "events") as unknown[]).length).toBe(1);
		const summary = await call("GET", "/events?type=user&email=ev%40example.com&summary=true");
		expectValid("lisDataEvents", summary.status, summary.body);
		expect(at(summary.body, "events")).toContainEqual(
			expect.objectContaining({ name: "ordered-coffee", count: 2 }),
		);
		expect((await call("GET", "/events?user_id=ev-1")).status).toBe(400);
	});

	it("merges a lead into a user, and only that way round", async () => {
		const user = await call("POST", "/contacts", {
			role: "user",
			external_id: "m-user",
			email: "m@example.com",
		});
		const lead = await call("POST", "/contacts", {
			role: "lead",
			email: "m@example.com",
			custom_attributes: { plan: "trial" },
		});
		const stranger = await call("POST", "/contacts", { role: "lead", email: "other@example.com" });
		const [userId, leadId, strangerId] = [user, lead, stranger].map((r) => at(r.body, "id") as string);
		await call("POST", "/events", { event_name: "visited", created_at: 1_767_000_000, id: leadId });

		const wrongWay = await call("POST", "/contacts/merge", { from: userId, into: leadId });
		expectValid("MergeContact", wrongWay.status, wrongWay.body);
		expect(at(wrongWay.body, "errors", 0, "code")).toBe("invalid_merge");
		const notDuplicate = await call("POST", "/contacts/merge", { from: strangerId, into: userId });
		expectValid("MergeContact", notDuplicate.status, notDuplicate.body);
		expect(at(notDuplicate.body, "errors", 0, "message")).toMatch(/skip_duplicate_validation/);
		const missing = await call("POST", "/contacts/merge", { from: "000000000000000000000000", into: userId });
		expect(missing.status).toBe(404);

		const body = { from: leadId, into: userId };
		expect(validateRequest("MergeContact", body).errors).toEqual([]);
		const merged = await call("POST", "/contacts/merge", body);
		expectValid("MergeContact", merged.status, merged.body);
		expect(merged.body).toMatchObject({ id: userId, role: "user", custom_attributes: { plan: "trial" } });
		const old = await call("GET", `/contacts/${leadId}`);
		expect(old.status).toBe(410);
		expect(old.headers.get("link")).toBe(`</contacts/${userId}>; rel="canonical"`);
		expect(emulator.events().find((e) => e.eventName === "visited")?.contactId).toBe(userId);

		const skipped = await call("POST", "/contacts/merge", {
			from: strangerId,
			into: userId,
			skip_duplicate_validation: true,
		});
		expectValid("MergeContact", skipped.status, skipped.body);
	});

	it("counts the new routes against the rate limit like the others", async () => {
		const limited = createIntercomEmulator({ tokens: [token], rateLimitPer10s: 2, now: () => 1_000_000 });
		const hit = caller(limited, token);
		expect((await hit("GET", "/data_attributes")).headers.get("x-ratelimit-remaining")).toBe("1");
		expect((await hit("POST", "/events", { event_name: "x", created_at: 1, user_id: "u" })).status).toBe(404);
		const refused = await hit("GET", "/data_attributes");
		expect(refused.status).toBe(429);
		expect(at(refused.body, "errors", 0, "code")).toBe("rate_limit_exceeded");
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
