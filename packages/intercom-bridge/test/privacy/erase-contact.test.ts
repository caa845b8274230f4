/**
 * Erasure on request (docs/reliability.md P3), on PGlite and PostgreSQL against the Intercom emulator:
 * the contact, the GUIDs merged into it, its activities, consent history and pending link jobs go;
 * only hashes remain; the person is deleted in Intercom by a background job; and a later webhook
 * for any of its GUIDs is acknowledged, ignored, and recreates nothing.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/errors.ts";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import { eraseContact, isErased } from "../../src/privacy/erase-contact.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { guidHash } from "../../src/store/guid-hash.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { TOKEN } from "../faults/fault-env.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import { waitFor } from "../harness/wait-for.ts";
import {
	APP_ID,
	mountRoutes,
	type RequestFn,
	requestBuilder,
	seedSite,
	webhookStore,
} from "../webhooks/webhook-testbed.ts";

describe.each([pgliteFactory, postgresFactory])("erasing a contact on $kind", (factory) => {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: APP_ID }] });
	let store: Store;
	let runner: JobRunner | undefined;
	let send: RequestFn;
	let build: ReturnType<typeof requestBuilder>;

	beforeAll(async () => {
		if (factory.kind === "pglite") await (await webhookStore(factory)).close(); // the template, once
	});

	beforeEach(async () => {
		store = await webhookStore(factory);
		const { site, apiKey } = await seedSite(store);
		await store.setSetting(site.id, "accessToken", TOKEN);
		send = await mountRoutes({ store, basePath: "/intercom", webhooks: { dedupWindowMs: 0 } });
		build = requestBuilder("/intercom", apiKey);
	});

	afterEach(async () => {
		await runner?.stop();
		runner = undefined;
		await store.close();
	});

	const count = async (query: ReturnType<typeof sql>) =>
		rowsOf<{ n: number }>(await storeInternals(store).db.execute(query))[0]?.n ?? -1;

	/** Ada, with Bob's earlier GUID merged into her, a consent, and two activities with their link jobs. */
	async function ada() {
		const contact = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const bob = await store.createContact({ firstName: "Bob" });
		await store.mergeContacts(bob.guid, contact.guid);
		const consent = await store.addConsent({ codeName: "data", displayName: "Share my data" });
		await store.agree(contact.guid, consent.codeName);
		for (const value of ["pricing", "docs"]) {
			const res = await send(
				build("/logactivity", {
					body: { ContactGUID: contact.guid, ActivityType: "pagevisit", ActivityValue: value },
				}),
			);
			expect(res.status).toBe(200);
		}
		const inIntercom = [
			emulator.seedContact({ role: "user", external_id: contact.guid }),
			emulator.seedContact({ role: "lead", external_id: bob.guid }),
		];
		return { guid: contact.guid, bobGuid: bob.guid, inIntercom };
	}

	it("deletes everything kept about the contact here, leaving only hashes, and queues the Intercom side", async () => {
		const { guid, bobGuid } = await ada();
		expect(
			await count(
				sql`select count(*)::int as n from pgboss.job where name = 'intercom-bridge-conversation-links'`,
			),
		).toBe(2);

		// By the merged GUID: the contact it was merged into is the one erased.
		const result = await eraseContact(store, bobGuid.toUpperCase(), { actor: "dpo@example.com" });
		expect(result.guids.sort()).toEqual([guid, bobGuid].sort());
		expect(result.activities).toBe(2);

		expect(await store.getContact(guid)).toBeNull();
		expect(await store.resolveContactGuid(bobGuid)).toBeNull();
		expect(await count(sql`select count(*)::int as n from contacts`)).toBe(0);
		expect(await count(sql`select count(*)::int as n from activities`)).toBe(0);
		expect(await count(sql`select count(*)::int as n from consent_agreements`)).toBe(0);
		expect(await count(sql`select count(*)::int as n from contact_merges`)).toBe(0);
		expect(
			await count(
				sql`select count(*)::int as n from pgboss.job where name = 'intercom-bridge-conversation-links'`,
			),
		).toBe(0);
		// The tombstones: hashes, no GUID, no name or email anywhere.
		const tombstones = rowsOf<{ guid_hash: string }>(
			await storeInternals(store).db.execute(sql`select guid_hash from erased_contacts`),
		);
		expect(tombstones.map((t) => t.guid_hash).sort()).toEqual([guidHash(guid), guidHash(bobGuid)].sort());
		expect(await isErased(store, guid.toUpperCase())).toBe(true);
		const erasure = rowsOf<{ data: { externalIds: string[] } }>(
			await storeInternals(store).db.execute(
				sql`select data from pgboss.job where name = 'intercom-bridge-contact-erasure'`,
			),
		);
		expect(erasure).toHaveLength(1);
		expect(erasure[0]?.data.externalIds.sort()).toEqual([guid, bobGuid].sort());

		// Nothing left to erase: a second request says so.
		await expect(eraseContact(store, guid, { actor: "dpo@example.com" })).rejects.toBeInstanceOf(
			NotFoundError,
		);
	});

	it("deletes the person in Intercom, user and lead, from the background job", async () => {
		const { guid, inIntercom } = await ada();
		await eraseContact(store, guid, { actor: "dpo@example.com" });
		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		const ids = new Set(inIntercom.map((c) => c.id));
		await waitFor(() => !emulator.contacts().some((c) => ids.has(c.id)), {
			deadlineMs: 25_000,
			intervalMs: 200,
			describe: "the people deleted in Intercom",
		});
		const deletes = emulator.requests.filter((r) => r.method === "DELETE" && r.path.startsWith("/contacts/"));
		expect(deletes.map((r) => r.path).sort()).toEqual([...ids].map((id) => `/contacts/${id}`).sort());
		const erasureState = async () =>
			rowsOf<{ state: string }>(
				await storeInternals(store).db.execute(
					sql`select state::text from pgboss.job where name = 'intercom-bridge-contact-erasure'`,
				),
			)[0]?.state;
		await waitFor(async () => (await erasureState()) === "completed", {
			deadlineMs: 25_000,
			intervalMs: 200,
			describe: async () => `the erasure job completed; it is ${await erasureState()}`,
		});
	});

	it("acknowledges and ignores later webhooks for any of its GUIDs, recreating nothing", async () => {
		const { guid, bobGuid } = await ada();
		await eraseContact(store, guid, { actor: "dpo@example.com" });
		const update = await send(
			build("/updatecontact", { body: { ContactGUID: guid, ContactFirstName: "Ada" } }),
		);
		expect(update.status).toBe(200);
		expect(await update.json()).toEqual({ status: "ignored", reason: "erased" });
		const log = await send(
			build("/logactivity", { body: { ContactGuid: bobGuid, ActivityType: "pagevisit" } }),
		);
		expect(log.status).toBe(200);
		expect(await log.json()).toEqual({ status: "ignored", reason: "erased" });
		expect(await count(sql`select count(*)::int as n from contacts`)).toBe(0);
		expect(await count(sql`select count(*)::int as n from activities`)).toBe(0);
		// A GUID that never existed is still an error for the Series' author to see.
		const unknown = await send(
			build("/updatecontact", { body: { ContactGUID: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b" } }),
		);
		expect(unknown.status).toBe(404);
	});

	it("refuses a malformed GUID and an unknown one, changing nothing", async () => {
		await ada();
		await expect(eraseContact(store, "not-a-guid", { actor: "x" })).rejects.toThrow(
			/not a valid contact GUID/,
		);
		await expect(
			eraseContact(store, "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", { actor: "x" }),
		).rejects.toBeInstanceOf(NotFoundError);
		expect(await count(sql`select count(*)::int as n from contacts`)).toBe(1);
		expect(await count(sql`select count(*)::int as n from erased_contacts`)).toBe(0);
	});
});
