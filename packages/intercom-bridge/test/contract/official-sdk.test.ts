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

	it("gets the SDK's UnauthorizedError for a revoked token", async () => {
		emulator.revokeToken(token);
		await expect(
			client.contacts.showContactByExternalId({ external_id: "guid-sdk-1" }),
		).rejects.toMatchObject({ statusCode: 401 });
	});
});
