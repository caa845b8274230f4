/**
 * Developer Hub topics as activities (docs/decisions/0027), driven by the emulator's webhook sender
 * with the payloads Intercom sends: a mapped topic logs one activity per notification id however
 * often it is redelivered; unmapped topics and unknown contacts are acknowledged and log nothing;
 * a bad signature is 401 and a malformed body 400, never 500.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { conversationUrl, intercomEndpoints } from "../../src/intercom/endpoints.ts";
import { createIntercomEmulator, type IntercomEmulator } from "../../src/testing/index.ts";
import type { WebhookEnv } from "./webhook-env.ts";
import { APP_ID, CLIENT_SECRET } from "./webhook-testbed.ts";

type Answer = { status: string; activityId?: number; reason?: string };

export function topicCases(env: () => WebhookEnv) {
	describe("notification topics as activities", () => {
		/** An emulator whose webhook sender posts into the bridge under test, and a contact known to both. */
		async function setUp(types: Record<string, string>) {
			const { store, site, basePath, request } = env();
			const emulator: IntercomEmulator = createIntercomEmulator({
				apps: [{ appId: APP_ID }],
				fetch: (input, init) => request(new Request(input, init)),
			});
			const suffix = randomUUID().slice(0, 8);
			const codeNames: Record<string, string> = {};
			for (const [topic, displayName] of Object.entries(types)) {
				const codeName = `${topic.replaceAll(".", "_")}_${suffix}`;
				await store.addActivityType({ codeName, displayName });
				await store.setTopicActivityType(site.id, topic, codeName, { actor: "test" });
				codeNames[topic] = codeName;
			}
			const contact = await store.createContact();
			const person = emulator.seedContact({
				role: "user",
				external_id: contact.guid,
				email: `ada-${suffix}@example.com`,
				name: "Ada",
			});
			const url = `http://shop.example.com${basePath}/webhooks`;
			const send = async (delivery: Parameters<IntercomEmulator["webhooks"]["sendTopic"]>[0]) => {
				const res = await emulator.webhooks.sendTopic(delivery);
				return { status: res.status, body: (await res.json()) as Answer };
			};
			const activities = () => store.listActivities(contact.guid);
			return { emulator, contact, person, url, send, activities, codeNames, suffix };
		}

		it("logs a started conversation once, with its inbox link, even when Intercom redelivers it", async () => {
			const { store } = env();
			const { emulator, contact, url, send, activities } = await setUp({
				"conversation.user.created": "Conversation started",
			});
			const [conversation] = emulator.seedConversations(contact.guid, 1, {
				subject: "",
				body: '<p>Hello, where is <a href="https://example.com/orders/7">order 7</a>?</p>',
			});
			if (!conversation) throw new Error("no conversation seeded");
			const id = `notif_${randomUUID()}`;
			const delivery = {
				url,
				clientSecret: CLIENT_SECRET,
				topic: "conversation.user.created",
				conversation: conversation.id,
				id,
			};
			const first = await send(delivery);
			expect(first).toEqual({ status: 200, body: { status: "logged", activityId: expect.any(Number) } });
			// Redelivery (delivery_attempts 2, then 3) and concurrent copies: still one activity.
			expect((await send(delivery)).body).toEqual({ status: "duplicate" });
			const copies = await Promise.all(Array.from({ length: 5 }, () => send(delivery)));
			expect(copies.map((c) => c.body.status)).toEqual(Array(5).fill("duplicate"));
			const rows = await activities();
			expect(rows).toHaveLength(1);
			expect(rows[0]?.activity).toMatchObject({
				id: first.body.activityId,
				origin: "intercom-notification",
				title: "Conversation started - Hello, where is order 7 (https://example.com/orders/7)?",
				url: conversationUrl(intercomEndpoints("us"), APP_ID, conversation.id),
			});
			expect(rows[0]?.activity.comment).toBeNull();
			const record = await store.getDelivery(env().site.id, "webhooks", id);
			expect(record?.detail).toBe(`activity ${first.body.activityId}`);
		});

		it("logs replies by the contact and by a teammate, and a close, each as its own type", async () => {
			const { emulator, contact, url, send, activities, codeNames } = await setUp({
				"conversation.user.replied": "Contact replied",
				"conversation.admin.replied": "Teammate replied",
				"conversation.admin.closed": "Conversation closed",
			});
			const [conversation] = emulator.seedConversations(contact.guid, 1, { parts: 0 });
			if (!conversation) throw new Error("no conversation seeded");
			const common = { url, clientSecret: CLIENT_SECRET, conversation: conversation.id };
			emulator.webhooks.reply(conversation.id, "user", "<p>Is it shipped   yet?</p>");
			expect((await send({ ...common, topic: "conversation.user.replied" })).body.status).toBe("logged");
			emulator.webhooks.reply(conversation.id, "admin", "<p>Yes &amp; it arrives <b>tomorrow</b>.</p>");
			expect((await send({ ...common, topic: "conversation.admin.replied" })).body.status).toBe("logged");
			emulator.webhooks.close(conversation.id);
			expect((await send({ ...common, topic: "conversation.admin.closed" })).body.status).toBe("logged");
			const rows = (await activities()).map((r) => [r.type.codeName, r.activity.title, r.activity.value]);
			expect(rows.sort()).toEqual(
				[
					[
						codeNames["conversation.user.replied"],
						"Contact replied - Is it shipped yet?",
						"Is it shipped yet?",
					],
					[
						codeNames["conversation.admin.replied"],
						"Teammate replied - Yes & it arrives tomorrow.",
						"Yes & it arrives tomorrow.",
					],
					[codeNames["conversation.admin.closed"], "Conversation closed", null],
				].sort(),
			);
		});

		it("logs an email change and a tag added to a contact (a topic named by the site)", async () => {
			// The facts name no tag topic; a site maps whatever name its Developer Hub lists.
			const tagTopic = "contact.user.tag.created";
			const { person, url, send, activities } = await setUp({
				"contact.email.updated": "Email changed",
				[tagTopic]: "Tagged",
			});
			const email = await send({
				url,
				clientSecret: CLIENT_SECRET,
				topic: "contact.email.updated",
				contact: person.id,
			});
			expect(email.body.status).toBe("logged");
			const tag = await send({
				url,
				clientSecret: CLIENT_SECRET,
				topic: tagTopic,
				contact: person.id,
				tag: { name: "VIP" },
			});
			expect(tag.body.status).toBe("logged");
			const titles = (await activities()).map((r) => r.activity.title).sort();
			expect(titles).toEqual([`Email changed - ${person.email}`, "Tagged - VIP"]);
		});

		it("acknowledges an unmapped topic, an unknown contact and a lead without our GUID, and logs nothing", async () => {
			const { store, site } = env();
			const { emulator, contact, url, send, activities } = await setUp({
				"conversation.user.created": "Conversation started",
			});
			const [conversation] = emulator.seedConversations(contact.guid, 1);
			if (!conversation) throw new Error("no conversation seeded");
			const unmapped = await send({
				url,
				clientSecret: CLIENT_SECRET,
				topic: "conversation.admin.snoozed",
				conversation: conversation.id,
				id: `notif_${randomUUID()}`,
			});
			expect(unmapped).toEqual({ status: 200, body: { status: "ignored", reason: "unmapped topic" } });

			// A person Intercom knows by a GUID we do not have, and a lead with no external_id at all.
			const stranger = emulator.seedContact({
				role: "user",
				external_id: randomUUID(),
				email: `x-${randomUUID()}@example.com`,
			});
			const lead = emulator.seedContact({ role: "lead", email: `lead-${randomUUID()}@example.com` });
			for (const who of [stranger, lead]) {
				const [theirs] = emulator.seedConversations(who.id, 1);
				if (!theirs) throw new Error("no conversation seeded");
				const id = `notif_${randomUUID()}`;
				const res = await send({
					url,
					clientSecret: CLIENT_SECRET,
					topic: "conversation.user.created",
					conversation: theirs.id,
					id,
				});
				expect(res).toEqual({ status: 200, body: { status: "ignored", reason: "unknown contact" } });
				expect((await store.getDelivery(site.id, "webhooks", id))?.detail).toBe("ignored: unknown contact");
				// Redelivered, it is a duplicate like any other: the claim holds even when nothing was logged.
				expect(
					(
						await send({
							url,
							clientSecret: CLIENT_SECRET,
							topic: "conversation.user.created",
							conversation: theirs.id,
							id,
						})
					).body,
				).toEqual({
					status: "duplicate",
				});
			}
			expect(await activities()).toEqual([]);
		});

		it("uses the mapping of the site the notification's host names, not another site's", async () => {
			const { store } = env();
			const { emulator, contact, send, activities, suffix } = await setUp({
				"conversation.user.created": "Conversation started",
			});
			const other = await store.createSite({
				codeName: `other${suffix}`,
				displayName: "Other",
				hostNames: [`other-${suffix}.example.com`],
			});
			await store.setSetting(other.id, "enabled", "true");
			await store.setSetting(other.id, "clientSecret", "other-site-client-secret-123");
			const [conversation] = emulator.seedConversations(contact.guid, 1);
			if (!conversation) throw new Error("no conversation seeded");
			const res = await send({
				url: `http://other-${suffix}.example.com${env().basePath}/webhooks`,
				clientSecret: "other-site-client-secret-123",
				topic: "conversation.user.created",
				conversation: conversation.id,
			});
			expect(res.body).toEqual({ status: "ignored", reason: "unmapped topic" });
			expect(await activities()).toEqual([]);
		});

		it("acknowledges a mapped topic whose type was disabled, and logs nothing", async () => {
			const { store } = env();
			const { emulator, contact, url, send, activities, codeNames } = await setUp({
				"conversation.admin.closed": "Closed",
			});
			const [conversation] = emulator.seedConversations(contact.guid, 1);
			if (!conversation) throw new Error("no conversation seeded");
			await store.disableActivityType(codeNames["conversation.admin.closed"] ?? "");
			const res = await send({
				url,
				clientSecret: CLIENT_SECRET,
				topic: "conversation.admin.closed",
				conversation: conversation.id,
			});
			expect(res.body).toEqual({
				status: "ignored",
				reason: "activity type disabled or not accepted on this site",
			});
			expect(await activities()).toEqual([]);
		});

		it("refuses a bad signature with 401 and a malformed body with 400, and logs nothing", async () => {
			const { emulator, contact, url, send, activities } = await setUp({
				"conversation.user.created": "Conversation started",
			});
			const [conversation] = emulator.seedConversations(contact.guid, 1);
			if (!conversation) throw new Error("no conversation seeded");
			const base = { url, topic: "conversation.user.created", conversation: conversation.id };
			expect((await send({ ...base, clientSecret: "not-the-client-secret" })).status).toBe(401);
			const forged = await emulator.webhooks.sendTopic({
				...base,
				clientSecret: CLIENT_SECRET,
				headers: { "X-Hub-Signature": `sha1=${"0".repeat(40)}` },
			});
			expect(forged.status).toBe(401);
			const broken = await env().send("/webhooks", { body: '{"type":"notification_event",', auth: "sign" });
			expect(broken.status).toBe(400);
			expect(await broken.json()).toMatchObject({
				error: { code: "VALIDATION_FAILED", message: expect.stringContaining("not valid JSON") },
			});
			expect(await activities()).toEqual([]);
		});

		it("answers hostile payload shapes of a mapped topic with 200 ignored, never 500", async () => {
			const { contact, url, activities } = await setUp({ "conversation.user.created": "Started" });
			const emulator = createIntercomEmulator({
				apps: [{ appId: APP_ID }],
				fetch: (input, init) => env().request(new Request(input, init)),
			});
			const items: unknown[] = [
				null,
				"conversation",
				[contact.guid],
				{
					type: "conversation",
					id: { x: 1 },
					contacts: "all",
					source: 5,
					conversation_parts: { conversation_parts: "x" },
				},
				{
					type: "conversation",
					contacts: { contacts: [null, 7, { external_id: 42 }, { external_id: `${contact.guid}\u0000` }] },
				},
				{ type: "contact", external_id: ["a"], email: { a: 1 } },
				{ type: "contact_tag", contact: "nobody", tag: 5 },
			];
			for (const data of items) {
				const res = await emulator.webhooks.sendNotification({
					url,
					clientSecret: CLIENT_SECRET,
					topic: "conversation.user.created",
					data,
				});
				expect(res.status).toBe(200);
				expect(await res.json()).toEqual({ status: "ignored", reason: "unknown contact" });
			}
			// A message with a NUL and control characters still logs, cleaned.
			const dirty = {
				type: "conversation",
				id: 9,
				source: { subject: "Hi\u0000\u0007there" },
				contacts: { contacts: [{ external_id: contact.guid.toUpperCase() }] },
			};
			const ok = await emulator.webhooks.sendNotification({
				url,
				clientSecret: CLIENT_SECRET,
				topic: "conversation.user.created",
				data: dirty,
			});
			expect(await ok.json()).toMatchObject({ status: "logged" });
			expect((await activities())[0]?.activity.title).toBe("Started - Hi there");
		});
	});
}
