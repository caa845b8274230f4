/**
 * Concurrent webhooks, which the store runs together in shared statements (group commit,
 * docs/decisions/0006): every request must get the outcome it would get alone, whatever else
 * shares its statement: the same contact, the same body, the same email, a merged GUID.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CONVERSATION_LINKS_QUEUE } from "../../src/jobs/job-queue.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import type { WebhookEnv } from "./webhook-env.ts";

const DEDUP = [
	["with dedup", 60_000],
	["without dedup", 0],
] as const;

export function batchCases(env: () => WebhookEnv) {
	/** The store, a sender with the given dedup window, and `count` new contacts. */
	const setUp = async (dedupWindowMs: number, count = 0) => {
		const { store } = env();
		const send = await env().with({ dedupWindowMs });
		const contacts = await Promise.all(Array.from({ length: count }, () => store.createContact()));
		return { store, send, contacts };
	};
	describe("concurrent requests in shared statements", () => {
		it.each(DEDUP)(
			"updates 40 contacts at once, each with its own values (%s)",
			async (_name, dedupWindowMs) => {
				const { store, send, contacts } = await setUp(dedupWindowMs, 40);
				const responses = await Promise.all(
					contacts.map((c, i) =>
						send("/updatecontact", {
							body: {
								ContactGUID: c.guid,
								ContactCity: `City ${i}`,
								ContactEmail: `p${i}-${c.guid}@example.com`,
							},
						}),
					),
				);
				const bodies = await Promise.all(responses.map((r) => r.json()));
				expect(responses.map((r) => r.status)).toEqual(contacts.map(() => 200));
				bodies.forEach((body, i) => {
					expect(body).toMatchObject({ status: "updated", contactGuid: contacts[i]?.guid, skipped: [] });
				});
				for (const [i, c] of contacts.entries()) {
					expect(await store.getContact(c.guid)).toMatchObject({
						city: `City ${i}`,
						email: `p${i}-${c.guid}@example.com`,
					});
				}
			},
		);

		it.each(DEDUP)(
			"applies 12 concurrent updates of one contact, losing none (%s)",
			async (_name, dedupWindowMs) => {
				const { store, send } = await setUp(dedupWindowMs);
				const contact = await store.createContact();
				// Each request sets a different field, so a lost update shows as a missing value.
				const fields = [
					"ContactFirstName",
					"ContactMiddleName",
					"ContactLastName",
					"ContactJobTitle",
					"ContactAddress1",
					"ContactCity",
					"ContactZIP",
					"ContactMobilePhone",
					"ContactBusinessPhone",
					"ContactNotes",
					"ContactCompanyName",
				];
				const responses = await Promise.all([
					...fields.map((key) =>
						send("/updatecontact", { body: { ContactGUID: contact.guid, [key]: `v ${key}` } }),
					),
					send("/logactivity", { body: { ContactGUID: contact.guid, ActivityType: "pagevisit" } }),
				]);
				expect(responses.map((r) => r.status)).toEqual([...fields.map(() => 200), 200]);
				const saved = (await store.getContact(contact.guid)) as unknown as Record<string, unknown>;
				expect(saved).toMatchObject({
					firstName: "v ContactFirstName",
					middleName: "v ContactMiddleName",
					lastName: "v ContactLastName",
					jobTitle: "v ContactJobTitle",
					address1: "v ContactAddress1",
					city: "v ContactCity",
					zip: "v ContactZIP",
					mobilePhone: "v ContactMobilePhone",
					businessPhone: "v ContactBusinessPhone",
					notes: "v ContactNotes",
					companyName: "v ContactCompanyName",
				});
			},
		);

		it.each(DEDUP)(
			"gives one free email to only one of 10 contacts that ask for it at once (%s)",
			async (_name, dedupWindowMs) => {
				const { store, send, contacts } = await setUp(dedupWindowMs, 10);
				const email = `shared-${randomUUID()}@example.com`;
				const responses = await Promise.all(
					contacts.map((c) =>
						send("/updatecontact", { body: { ContactGUID: c.guid, ContactEmail: email, ContactZIP: "Z" } }),
					),
				);
				expect(responses.map((r) => r.status)).toEqual(contacts.map(() => 200));
				const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
					updated: string[];
					skipped: Array<{ key: string; reason: string }>;
				}>;
				expect(bodies.filter((b) => b.updated.includes("ContactEmail"))).toHaveLength(1);
				expect(bodies.filter((b) => b.skipped.some((s) => s.reason === "email_taken"))).toHaveLength(9);
				const saved = await Promise.all(contacts.map((c) => store.getContact(c.guid)));
				expect(saved.filter((c) => c?.email === email)).toHaveLength(1);
				expect(saved.every((c) => c?.zip === "Z")).toBe(true);
			},
		);

		it.each(DEDUP)(
			"updates a contact through its own and a merged GUID at once, losing neither (%s)",
			async (_name, dedupWindowMs) => {
				const { store, send } = await setUp(dedupWindowMs);
				const [survivor, merged] = [await store.createContact(), await store.createContact()];
				await store.mergeContacts(merged.guid, survivor.guid);
				const others = await Promise.all(Array.from({ length: 6 }, () => store.createContact()));
				const responses = await Promise.all([
					...others.map((c) => send("/updatecontact", { body: { ContactGUID: c.guid, ContactZIP: "O" } })),
					send("/updatecontact", { body: { ContactGUID: survivor.guid, ContactCity: "Own" } }),
					send("/updatecontact", { body: { ContactGUID: merged.guid, ContactNotes: "Merged" } }),
					send("/logactivity", { body: { ContactGUID: merged.guid, ActivityType: "pagevisit" } }),
				]);
				expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
				expect(await store.getContact(survivor.guid)).toMatchObject({ city: "Own", notes: "Merged" });
				expect(await store.listActivities(survivor.guid)).toHaveLength(1);
			},
		);

		it("logs 40 activities at once, one each, with one links job each", async () => {
			const { store, send, contacts } = await setUp(60_000, 8);
			const responses = await Promise.all(
				Array.from({ length: 40 }, (_, i) =>
					send("/logactivity", {
						body: { ContactGUID: contacts[i % 8]?.guid, ActivityType: "pagevisit", ActivityValue: `v${i}` },
					}),
				),
			);
			const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
				status: string;
				activityId: number;
			}>;
			expect(bodies.every((b) => b.status === "logged")).toBe(true);
			const ids = bodies.map((b) => b.activityId);
			expect(new Set(ids).size).toBe(40);
			for (const [i, id] of ids.entries()) {
				const listed = await store.listActivities(contacts[i % 8]?.guid ?? "");
				expect(listed.find((a) => a.activity.id === id)?.activity).toMatchObject({
					value: `v${i}`,
					title: `Page visit - v${i}`,
				});
			}
			const jobs = rowsOf<{ activity_id: string; n: number }>(
				await storeInternals(
					store,
				).db.execute(sql`select data->>'activityId' as activity_id, count(*)::int as n
					from pgboss.job where name = ${CONVERSATION_LINKS_QUEUE}
					and (data->>'activityId')::bigint = any(${`{${ids.join(",")}}`}::bigint[])
					group by 1`),
			);
			expect(jobs).toHaveLength(40);
			expect(jobs.every((j) => j.n === 1)).toBe(true);
		});

		it("answers unknown contacts and refused types among good ones with their own errors", async () => {
			const { store, send } = await setUp(60_000);
			const contact = await store.createContact();
			const unknown = randomUUID();
			const responses = await Promise.all([
				send("/updatecontact", { body: { ContactGUID: contact.guid, ContactCity: "Kept" } }),
				send("/updatecontact", { body: { ContactGUID: unknown, ContactCity: "Lost" } }),
				send("/logactivity", { body: { ContactGUID: unknown, ActivityType: "pagevisit" } }),
				send("/logactivity", { body: { ContactGUID: contact.guid, ActivityType: "no-such-type" } }),
				send("/logactivity", { body: { ContactGUID: contact.guid, ActivityType: "pagevisit" } }),
				send("/updatecontact", { body: { ContactGUID: contact.guid, ContactZIP: "Z1" } }),
			]);
			expect(responses.map((r) => r.status)).toEqual([200, 404, 404, 400, 200, 200]);
			expect(await store.getContact(contact.guid)).toMatchObject({ city: "Kept", zip: "Z1" });
			expect(await store.listActivities(contact.guid)).toHaveLength(1);
		});
	});
}
