/** Update-contact cases: every message and status of the reference, mapping, email rules, hooks. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WebhookEnv } from "./webhook-env.ts";

const GUID_ERRORS: Array<[string, unknown, number, string]> = [
	["no ContactGUID", {}, 400, "Contact identifier is not provided."],
	["an empty ContactGUID", { ContactGUID: "" }, 400, "Contact identifier is not provided."],
	["a null ContactGUID", { ContactGUID: null }, 400, "Contact identifier is not provided."],
	[
		"a ContactGUID that is not a GUID",
		{ ContactGUID: "not-a-guid" },
		400,
		"Contact identifier is in incorrect format.",
	],
	["a numeric ContactGUID", { ContactGUID: 42 }, 400, "Contact identifier is in incorrect format."],
	[
		"an unknown ContactGUID",
		{ ContactGUID: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b" },
		404,
		"Contact not found.",
	],
	[
		"a first name that is not a string",
		{ ContactGUID: "GUID", ContactFirstName: 5 },
		400,
		"ContactFirstName must be a string.",
	],
];

export function updateContactCases(env: () => WebhookEnv) {
	describe("update contact", () => {
		it.each(GUID_ERRORS)("answers %s with the reference's message", async (_name, body, status, message) => {
			const { store, send } = env();
			const contact = await store.createContact({ firstName: "Kept" });
			const json = JSON.parse(JSON.stringify(body).replace('"GUID"', `"${contact.guid}"`));
			const res = await send("/updatecontact", { body: json });
			expect(res.status).toBe(status);
			expect(await res.json()).toMatchObject({ error: { message } });
			expect((await store.getContact(contact.guid))?.firstName).toBe("Kept");
		});

		it("maps every field, truncates to the column length, ignores blanks and unknown keys", async () => {
			const { store, send } = env();
			const contact = await store.createContact({ lastName: "Lovelace", city: "London" });
			const res = await send("/updatecontact", {
				body: {
					contactguid: contact.guid.toUpperCase(),
					CONTACTFIRSTNAME: "  Ada  ",
					ContactMiddleName: "M".repeat(150),
					ContactLastName: "   ",
					ContactJobTitle: "J".repeat(60),
					ContactAddress1: "1 Street",
					ContactCity: "",
					ContactZIP: "N1",
					ContactMobilePhone: "+44 1234 567 890 123 456 789 0",
					ContactBusinessPhone: "+44 20",
					ContactNotes: "N".repeat(5000),
					ContactCompanyName: "Analytical Engines",
					ContactID: "ignored",
					guid: randomUUID(),
				},
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ status: "updated", contactGuid: contact.guid });
			const saved = await store.getContact(contact.guid);
			expect(saved).toMatchObject({
				firstName: "Ada",
				middleName: "M".repeat(100),
				lastName: "Lovelace",
				jobTitle: "J".repeat(50),
				address1: "1 Street",
				city: "London",
				zip: "N1",
				businessPhone: "+44 20",
				companyName: "Analytical Engines",
			});
			expect(saved?.mobilePhone).toHaveLength(26);
			expect(saved?.notes).toHaveLength(5000);
		});

		it("updates the surviving contact when given a merged GUID", async () => {
			const { store, send } = env();
			const visitor = await store.createContact();
			const known = await store.createContact({ firstName: "Grace" });
			await store.mergeContacts(visitor.guid, known.guid);
			const res = await send("/updatecontact", {
				body: { ContactGUID: visitor.guid, ContactLastName: "Hopper" },
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ status: "updated", contactGuid: known.guid });
			expect(await store.getContact(known.guid)).toMatchObject({ firstName: "Grace", lastName: "Hopper" });
		});

		it("sets a valid, free email and skips (and reports) an invalid or taken one", async () => {
			const { store, send } = env();
			const owner = await store.createContact({ email: `owner-${randomUUID()}@example.com` });
			const contact = await store.createContact();
			const fresh = `new-${randomUUID()}@example.com`;
			const cases: Array<[string, string | null, string | undefined]> = [
				["not an email", null, "invalid_email"],
				[(owner.email ?? "").toUpperCase(), null, "email_taken"],
				[fresh, fresh, undefined],
			];
			for (const [email, expected, reason] of cases) {
				const res = await send("/updatecontact", {
					body: { ContactGUID: contact.guid, ContactEmail: email, ContactCity: `City ${email.length}` },
				});
				expect(res.status).toBe(200);
				const json = (await res.json()) as { skipped: Array<{ key: string; reason: string }> };
				expect(json.skipped).toEqual(reason ? [{ key: "ContactEmail", reason }] : []);
				const saved = await store.getContact(contact.guid);
				expect(saved?.email ?? null).toBe(expected);
				expect(saved?.city).toBe(`City ${email.length}`);
			}
		});

		it("copies mapped custom fields and lets the hook add fields or reject", async () => {
			const { store } = env();
			const send = await env().with({
				dedupWindowMs: 0,
				customFields: { ContactCoffeePreference: { field: "coffeePreference", maxLength: 5 } },
				async onUpdateContact(event) {
					const owner = event.body.ContactCafeOwner;
					if (owner === "reject") event.reject("Cafe owners must be approved.", 422);
					event.customFields.cafeOwner = owner === "true";
				},
			});
			const contact = await store.createContact({ customFields: { kept: 1 } });
			const ok = await send("/updatecontact", {
				body: { ContactGUID: contact.guid, contactcoffeepreference: "Espresso", ContactCafeOwner: "true" },
			});
			expect(ok.status).toBe(200);
			expect((await store.getContact(contact.guid))?.customFields).toEqual({
				kept: 1,
				coffeePreference: "Espre",
				cafeOwner: true,
			});
			const rejected = await send("/updatecontact", {
				body: { ContactGUID: contact.guid, ContactFirstName: "Nope", ContactCafeOwner: "reject" },
			});
			expect(rejected.status).toBe(422);
			expect(await rejected.json()).toEqual({
				error: { code: "VALIDATION_FAILED", message: "Cafe owners must be approved." },
			});
			expect((await store.getContact(contact.guid))?.firstName).toBeNull();
		});

		// Both ways of saving: one statement (no hook) and the hook's transaction.
		const withAndWithoutHook = [
			["without a hook", {}],
			["with a hook", { onUpdateContact: () => {} }],
		] as const;

		it.each(withAndWithoutHook)("notes a skipped email on the delivery, %s", async (_name, hook) => {
			const { store, site } = env();
			const send = await env().with({ dedupWindowMs: 60_000, ...hook });
			const owner = await store.createContact({ email: `owner-${randomUUID()}@example.com` });
			const contact = await store.createContact();
			for (const [email, detail] of [
				["not an email", "ContactEmail: invalid_email"],
				[owner.email ?? "", "ContactEmail: email_taken"],
			] as const) {
				const tag = randomUUID();
				const res = await send("/updatecontact", {
					body: { ContactGUID: contact.guid, ContactEmail: email, ContactNotes: tag },
				});
				expect(await res.json()).toMatchObject({ status: "updated" });
				const [latest] = await store.listDeliveries(site.id, 1);
				expect(latest).toMatchObject({ endpoint: "updatecontact", status: "updated", detail });
				expect((await store.getContact(contact.guid))?.notes).toBe(tag);
			}
		});

		it.each(withAndWithoutHook)(
			"gives a free email to exactly one of 8 contacts asking for it at once, %s",
			async (_name, hook) => {
				const { store } = env();
				const send = await env().with({ dedupWindowMs: 60_000, ...hook });
				const email = `race-${randomUUID()}@example.com`;
				const racers = await Promise.all(Array.from({ length: 8 }, () => store.createContact()));
				const responses = await Promise.all(
					racers.map((c) =>
						send("/updatecontact", {
							body: { ContactGUID: c.guid, ContactEmail: email, ContactCity: "Race" },
						}),
					),
				);
				const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
					status: string;
					skipped: Array<{ reason: string }>;
				}>;
				expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
				expect(bodies.filter((b) => b.skipped.length === 0)).toHaveLength(1);
				expect(bodies.filter((b) => b.skipped[0]?.reason === "email_taken")).toHaveLength(7);
				const saved = await Promise.all(racers.map((c) => store.getContact(c.guid)));
				expect(saved.filter((c) => c?.email === email)).toHaveLength(1);
				expect(saved.every((c) => c?.city === "Race")).toBe(true);
			},
		);
	});
}
