/** Bad input and faults: content type, size, JSON, prototype poisoning, duplicates, a lost database. */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { bodyDeliveryKey } from "../../src/webhooks/claim-webhook-delivery.ts";
import type { WebhookEnv } from "./webhook-env.ts";
import type { SendOptions } from "./webhook-testbed.ts";

const GUID = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

export function ingressCases(env: () => WebhookEnv) {
	describe("bad input", () => {
		const table: Array<[string, SendOptions, number, RegExp]> = [
			["text/plain", { body: "{}", headers: { "content-type": "text/plain" } }, 415, /application\/json/],
			["no content type", { body: "{}", headers: { "content-type": "" } }, 415, /application\/json/],
			[
				"a body over 64 KiB",
				{ body: { ContactGUID: GUID, ContactNotes: "x".repeat(70_000) } },
				413,
				/larger than 65536/,
			],
			["an empty body", { body: "" }, 400, /empty/],
			["invalid JSON", { body: '{"ContactGUID": ' }, 400, /not valid JSON/],
			["an array", { body: [1, 2] }, 400, /must be a JSON object, not an array/],
			["a string", { body: '"hello"' }, 400, /not a string/],
			["null", { body: "null" }, 400, /not null/],
			["a __proto__ key", { body: `{"ContactGUID":"${GUID}","__proto__":{"polluted":1}}` }, 400, /__proto__/],
			[
				"a constructor.prototype key",
				{ body: `{"a":{"constructor":{"prototype":{"polluted":1}}}}` },
				400,
				/constructor/,
			],
			["deep nesting", { body: `${"[".repeat(40)}${"]".repeat(40)}` }, 400, /array/],
			[
				"deep nesting in an object",
				{ body: `{"a":${"[".repeat(40)}${"]".repeat(40)}}` },
				400,
				/nested deeper/,
			],
			[
				"more than 5000 keys",
				{ body: `{${Array.from({ length: 5001 }, (_, i) => `"k${i}":0`).join(",")}}` },
				400,
				/more than 5000 keys and array items/,
			],
			[
				"more than 5000 array items in a field",
				{ body: `{"ContactGUID":"${GUID}","list":[${Array(5001).fill(0).join(",")}]}` },
				400,
				/more than 5000 keys and array items/,
			],
			[
				"charset parameter",
				{ body: { ContactGUID: GUID }, headers: { "content-type": "Application/JSON; charset=utf-8" } },
				404,
				/Contact not found/,
			],
		];
		it.each(table)("answers %s with %i", async (_name, options, status, message) => {
			const res = await env().send("/updatecontact", options);
			expect(res.status).toBe(status);
			const json = (await res.json()) as { error: { message: string } };
			expect(json.error.message).toMatch(message);
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		});

		it("answers invalid UTF-8 with 400", async () => {
			const { build, request } = env();
			const encode = (text: string) => [...new TextEncoder().encode(text)];
			const bytes = new Uint8Array([...encode('{"a":"'), 0xc3, 0x28, ...encode('"}')]);
			const base = build("/updatecontact", { body: "{}" });
			const res = await request(
				new Request(base.url, { method: "POST", headers: base.headers, body: bytes }),
			);
			expect(res.status).toBe(400);
			expect(await res.json()).toMatchObject({ error: { message: "Request body is not valid UTF-8." } });
		});
	});

	describe("size limit while streaming", () => {
		it("stops reading a 10 MB chunked body at the limit and answers 413", async () => {
			const { build, request, target } = env();
			let pulled = 0;
			const chunk = new Uint8Array(64 * 1024).fill(0x20);
			const body = new ReadableStream<Uint8Array>({
				pull(controller) {
					pulled += chunk.byteLength;
					if (pulled > 10 * 1024 * 1024) controller.close();
					else controller.enqueue(chunk);
				},
			});
			const base = build("/updatecontact", { body: "{}" });
			const headers = new Headers(base.headers);
			headers.delete("content-length");
			const started = Date.now();
			const res = await request(
				new Request(base.url, { method: "POST", headers, body, duplex: "half" } as RequestInit),
			);
			expect(res.status).toBe(413);
			expect(Date.now() - started).toBeLessThan(1000);
			expect(pulled).toBeLessThan(target.maxPulledBytes ?? 1024 * 1024);
		});
	});

	describe("duplicates", () => {
		it("processes 20 concurrent copies of a Series body once", async () => {
			const { store } = env();
			const send = await env().with({ dedupWindowMs: 60_000 });
			const contact = await store.createContact();
			const body = { ContactGuid: contact.guid, ActivityType: "pagevisit", ActivityValue: randomUUID() };
			const responses = await Promise.all(Array.from({ length: 20 }, () => send("/logactivity", { body })));
			const statuses = await Promise.all(
				responses.map(async (r) => [r.status, ((await r.json()) as { status: string }).status]),
			);
			expect(statuses.filter(([code]) => code === 200)).toHaveLength(20);
			expect(statuses.filter(([, s]) => s === "logged")).toHaveLength(1);
			expect(await store.listActivities(contact.guid)).toHaveLength(1);
		});

		it("updates a contact once for 20 concurrent copies of an update", async () => {
			const { store, site } = env();
			const send = await env().with({ dedupWindowMs: 60_000 });
			const contact = await store.createContact();
			const body = { ContactGuid: contact.guid, ContactNotes: randomUUID() };
			const responses = await Promise.all(Array.from({ length: 20 }, () => send("/updatecontact", { body })));
			const statuses = await Promise.all(
				responses.map(async (r) => ((await r.json()) as { status: string }).status),
			);
			expect(statuses.filter((s) => s === "updated")).toHaveLength(1);
			expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
			const key = bodyDeliveryKey(new TextEncoder().encode(JSON.stringify(body)));
			expect(await store.getDelivery(site.id, "updatecontact", key)).toMatchObject({ status: "updated" });
			expect((await store.getContact(contact.guid))?.notes).toBe(body.ContactNotes);
		});

		it("processes the same body again once the window has passed", async () => {
			const { store } = env();
			const send = await env().with({ dedupWindowMs: 300 });
			const contact = await store.createContact();
			const body = { ContactGuid: contact.guid, ActivityType: "pagevisit" };
			expect(await (await send("/logactivity", { body })).json()).toMatchObject({ status: "logged" });
			expect(await (await send("/logactivity", { body })).json()).toMatchObject({ status: "duplicate" });
			await new Promise((r) => setTimeout(r, 1_100));
			expect(await (await send("/logactivity", { body })).json()).toMatchObject({ status: "logged" });
			expect(await store.listActivities(contact.guid)).toHaveLength(2);
			// The same for an update (its claim is renewed in the update's own statement).
			const update = { ContactGuid: contact.guid, ContactNotes: "again" };
			expect(await (await send("/updatecontact", { body: update })).json()).toMatchObject({
				status: "updated",
			});
			expect(await (await send("/updatecontact", { body: update })).json()).toMatchObject({
				status: "duplicate",
			});
			await new Promise((r) => setTimeout(r, 1_100));
			expect(await (await send("/updatecontact", { body: update })).json()).toMatchObject({
				status: "updated",
			});
		});

		it("recognises a delivery by the site's dedup field, whatever else differs, even with the window off", async () => {
			const { store, site } = env();
			await store.setSetting(site.id, "webhookDedupField", "EventId");
			try {
				const send = await env().with({ dedupWindowMs: 0 });
				const contact = await store.createContact();
				const event = randomUUID();
				const base = { ContactGuid: contact.guid, ActivityType: "pagevisit", EventId: event };
				const copies = await Promise.all(
					Array.from({ length: 5 }, (_, i) =>
						send("/logactivity", { body: { ...base, ActivityValue: `copy ${i}` } }),
					),
				);
				const statuses = await Promise.all(
					copies.map(async (r) => ((await r.json()) as { status: string }).status),
				);
				expect(statuses.sort()).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "logged"]);
				// The key's case does not matter, as for every body key.
				const { EventId: _, ...rest } = base;
				expect(
					await (await send("/logactivity", { body: { ...rest, eventid: event } })).json(),
				).toMatchObject({
					status: "duplicate",
				});
				// Another id is another delivery; without one, bodies are not compared (the window is off).
				expect(
					await (await send("/logactivity", { body: { ...base, EventId: randomUUID() } })).json(),
				).toMatchObject({ status: "logged" });
				for (let i = 0; i < 2; i++) {
					expect(await (await send("/logactivity", { body: rest })).json()).toMatchObject({
						status: "logged",
					});
				}
				expect(await store.listActivities(contact.guid)).toHaveLength(4);

				// Updates too, with a numeric id: the first one's values stay.
				const update = { ContactGuid: contact.guid, EventId: 42 };
				expect(
					await (await send("/updatecontact", { body: { ...update, ContactNotes: "first" } })).json(),
				).toMatchObject({ status: "updated" });
				expect(
					await (await send("/updatecontact", { body: { ...update, ContactNotes: "second" } })).json(),
				).toMatchObject({ status: "duplicate" });
				expect((await store.getContact(contact.guid))?.notes).toBe("first");

				const bad = await send("/updatecontact", { body: { ContactGuid: contact.guid, EventId: { id: 1 } } });
				expect(bad.status).toBe(400);
				expect(await bad.json()).toMatchObject({
					error: { message: "EventId (this site's dedup field) must be a string or a number." },
				});
				// The delivery records hold a hash of the id, not the id.
				const keys = rowsOf<{ delivery_key: string }>(
					await storeInternals(store).db.execute(
						sql`select delivery_key from webhook_deliveries where site_id = ${site.id}`,
					),
				).map((r) => r.delivery_key);
				expect(keys.filter((k) => k.startsWith("field:"))).toHaveLength(3);
				expect(keys.join(" ")).not.toContain(event);
			} finally {
				await store.clearSetting(site.id, "webhookDedupField");
			}
		});

		it("retries a failed delivery: a refused body does not claim its key", async () => {
			const { store } = env();
			const send = await env().with({ dedupWindowMs: 60_000 });
			const guid = randomUUID();
			const body = { ContactGUID: guid, ContactFirstName: "Late" };
			expect((await send("/updatecontact", { body })).status).toBe(404);
			await store.createContact({ guid });
			expect((await send("/updatecontact", { body })).status).toBe(200);
			expect((await store.getContact(guid))?.firstName).toBe("Late");
		});
	});
}
