/**
 * Intercom's own Node SDK (`intercom-client`, Fern-generated) against the emulator over a real
 * loopback server, unchanged: if a client written by Intercom works here, the emulator speaks
 * Intercom's contract and not just ours.
 */
import { IntercomClient } from "intercom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";

describe("official intercom-client SDK against the emulator", () => {
	const token = "sdk-token-0001";
	const emulator = createIntercomEmulator({ tokens: [token] });
	let server: EmulatorServer;
	let client: IntercomClient;

	beforeAll(async () => {
		server = await emulator.listen();
		client = new IntercomClient({
			token,
			baseUrl: emulator.endpoints("eu").api,
			maxRetries: 0,
			timeoutInSeconds: 5,
		});
	});
	afterAll(() => server.close());

	it("creates, finds by external id, searches contacts and conversations", async () => {
		const created = await client.contacts.create({
			external_id: "guid-sdk-1",
			email: "sdk@example.com",
			name: "Sdk User",
		});
		expect(created.id).toMatch(/^[0-9a-f]{24}$/);

		const found = await client.contacts.showContactByExternalId({ external_id: "guid-sdk-1" });
		expect(found.id).toBe(created.id);
		expect(found.email).toBe("sdk@example.com");

		for (let i = 0; i < 4; i++) await client.contacts.create({ external_id: `guid-page-${i}`, role: "lead" });
		const page = await client.contacts.search({
			query: { field: "external_id", operator: "^", value: "guid-page-" },
			pagination: { per_page: 3 },
		});
		const ids: string[] = [];
		for await (const contact of page) ids.push(contact.id);
		expect(ids).toHaveLength(4);

		const seeded = emulator.seedConversations("guid-sdk-1", 25);
		const conversations = await client.conversations.search({
			query: {
				operator: "AND",
				value: [
					{ field: "contact_ids", operator: "=", value: created.id },
					{ field: "open", operator: "=", value: "true" },
				],
			},
		});
		const convIds: string[] = [];
		for await (const conversation of conversations) convIds.push(conversation.id);
		expect(convIds.sort()).toEqual(seeded.map((c) => c.id).sort());

		const conversation = await client.conversations.find({
			conversation_id: seeded[0]?.id ?? "",
			display_as: "plaintext",
		});
		expect(conversation.source?.body).toContain("(https://example.com/orders/1)");

		// The SDK pins its own version; the emulator records it per request, in the region the client used.
		expect(emulator.requests.at(-1)).toMatchObject({ region: "eu", version: "2.14", tokenHint: "…0001" });
	});

	it("creates and lists data attributes, sends and lists data events, merges a lead into a user", async () => {
		// SDK 7.0.3 types this body as `{ data_type }` only (Fern loses the properties beside the
		// spec's oneOf), yet sends whatever it is given: the cast carries the required name and model.
		const created = await client.dataAttributes.create({
			name: "coffee",
			model: "contact",
			data_type: "string",
			description: "Favourite coffee",
		} as Parameters<typeof client.dataAttributes.create>[0]);
		expect(created).toMatchObject({ name: "coffee", data_type: "string", custom: true });
		const list = await client.dataAttributes.list({ model: "contact" });
		expect(list.data?.map((a) => a.name)).toContain("coffee");

		const user = await client.contacts.create({ external_id: "guid-sdk-ev", email: "ev@example.com" });
		await client.contacts.update({ contact_id: user.id, custom_attributes: { coffee: "flat white" } });
		await client.events.create({
			event_name: "ordered-coffee",
			created_at: 1_767_225_600,
			user_id: "guid-sdk-ev",
			metadata: { size: "large" },
		});
		expect(emulator.events()).toEqual([
			{
				contactId: user.id,
				eventName: "ordered-coffee",
				createdAt: 1_767_225_600,
				metadata: { size: "large" },
			},
		]);
		const summary = await client.events.list({ type: "user", user_id: "guid-sdk-ev", summary: true });
		expect(summary.events?.[0]).toMatchObject({ name: "ordered-coffee", count: 1 });

		const lead = await client.contacts.create({ role: "lead", email: "ev@example.com" });
		const merged = await client.contacts.mergeLeadInUser({ from: lead.id, into: user.id });
		expect(merged).toMatchObject({ id: user.id, custom_attributes: { coffee: "flat white" } });
	});

	it("gets the SDK's UnauthorizedError for a revoked token", async () => {
		emulator.revokeToken(token);
		await expect(
			client.contacts.showContactByExternalId({ external_id: "guid-sdk-1" }),
		).rejects.toMatchObject({ statusCode: 401 });
	});
});
