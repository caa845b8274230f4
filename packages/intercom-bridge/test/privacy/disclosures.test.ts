/**
 * The disclosure log (docs/reliability.md P5), on PGlite and PostgreSQL: what of a contact the Messenger
 * sends to Intercom is recorded before it is sent, by field name only, with the data policy and
 * consent that allowed it, once per distinct disclosure; the table refuses UPDATE, DELETE and
 * TRUNCATE; and the record outlives an erasure without the GUID.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIntercomBridge, type IntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import { eraseContact } from "../../src/privacy/erase-contact.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { guidHash } from "../../src/store/guid-hash.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { cookieOf, pageView } from "../harness/test-bridge.ts";

const page = pageView;
const silent = createLogger({ level: "silent" });

describe.each([pgliteFactory, postgresFactory])("the disclosure log on $kind", (factory) => {
	let store: Store;
	let bridge: IntercomBridge;
	let siteId: number;

	beforeEach(async () => {
		store = await factory.ready();
		siteId = (await store.requireSite("default")).id;
		await store.addConsent({ codeName: "data", displayName: "Share my data" });
		const settings = {
			enabled: "true",
			appId: "abc123",
			identityVerificationSecret: "iv-secret-0123456789",
			sendContactData: "consent",
			sendContactDataConsent: "data",
		};
		for (const [k, v] of Object.entries(settings)) await store.setSetting(siteId, k, v);
		bridge = createIntercomBridge({ store, logger: silent });
	});

	afterEach(async () => {
		await store.close();
	});

	const rows = async () =>
		rowsOf<Record<string, unknown>>(
			await storeInternals(store).db.execute(sql`select * from disclosures order by id`),
		);

	/** A visitor who told the site their name and email; returns their cookie and GUID. */
	async function ada() {
		const first = await bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		await bridge.contacts.identify(page(cookie), { email: "ada@example.com", firstName: "Ada" });
		return { cookie, guid: first.contact?.guid ?? "" };
	}

	it("records field names and the basis, never values, before the script goes out; once", async () => {
		const { cookie, guid } = await ada();
		// No consent yet: the Messenger gets only the identifier, and the log says so.
		expect(await bridge.messenger.script(page(cookie))).not.toContain("ada@example.com");
		await bridge.consents.agree(page(cookie), "data");
		const html = await bridge.messenger.script(page(cookie));
		expect(html).toContain("ada@example.com");
		for (let i = 0; i < 3; i++) await bridge.messenger.script(page(cookie));
		// Another process that has not seen the visitor renders the same script: no second row.
		await createIntercomBridge({ store, logger: silent }).messenger.script(page(cookie));

		const log = await rows();
		expect(log.map((r) => [r.fields, r.policy, r.consent_code, r.channel, r.recipient])).toEqual([
			["user_hash,user_id", "consent", "", "page", "intercom"],
			["email,name,user_hash,user_id", "consent", "data", "page", "intercom"],
		]);
		expect(log.every((r) => r.guid_hash === guidHash(guid) && r.site_id === siteId)).toBe(true);
		const text = JSON.stringify(log);
		for (const value of ["ada@example.com", "Ada", guid]) expect(text).not.toContain(value);
		expect((await store.listDisclosures(guid)).map((d) => d.fields)).toEqual([
			"email,name,user_hash,user_id",
			"user_hash,user_id",
		]);
	});

	it("logs the settings endpoint and API as their own channel, and nothing for anonymous visitors", async () => {
		const anonymous = cookieOf((await bridge.visit(page())).setCookie);
		await bridge.messenger.script(page(anonymous));
		await bridge.handler(new Request("https://shop.example/intercom/messenger/settings", page(anonymous)));
		expect(await rows()).toEqual([]);

		const { cookie } = await ada();
		const res = await bridge.handler(
			new Request("https://shop.example/intercom/messenger/settings", page(cookie)),
		);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.enabled).toBe(true);
		expect(body).not.toHaveProperty("disclosure");
		await bridge.messenger.settings(page(cookie));
		expect((await rows()).map((r) => [r.channel, r.fields])).toEqual([["settings", "user_hash,user_id"]]);
	});

	it("refuses UPDATE, DELETE and TRUNCATE on the log", async () => {
		const { cookie } = await ada();
		await bridge.messenger.script(page(cookie));
		expect(await rows()).toHaveLength(1);
		for (const statement of [
			sql`update disclosures set fields = 'x'`,
			sql`delete from disclosures`,
			sql`truncate disclosures`,
		]) {
			const err = await storeInternals(store)
				.db.execute(statement)
				.then(
					() => null,
					(e: Error & { cause?: Error }) => e,
				);
			// drizzle wraps the database's error; the trigger's message is in its cause.
			expect(err?.cause?.message ?? err?.message).toMatch(/disclosures is append-only: \w+ refused/);
		}
		expect((await rows())[0]?.fields).toBe("user_hash,user_id");
	});

	it("keeps the record after the contact is erased, under the GUID's hash only", async () => {
		const { cookie, guid } = await ada();
		await bridge.consents.agree(page(cookie), "data");
		await bridge.messenger.script(page(cookie));
		await eraseContact(store, guid, { actor: "test", logger: silent });
		expect(await store.getContact(guid)).toBeNull();
		expect((await store.listDisclosures(guid)).map((d) => d.fields)).toEqual([
			"email,name,user_hash,user_id",
		]);
	});

	it("does not send the script when the log cannot take the record", async () => {
		const { cookie } = await ada();
		await storeInternals(store).db.execute(sql`alter table disclosures rename to disclosures_gone`);
		await expect(bridge.messenger.script(page(cookie))).rejects.toThrow();
		await storeInternals(store).db.execute(sql`alter table disclosures_gone rename to disclosures`);
		expect(await bridge.messenger.script(page(cookie))).toContain("user_hash");
	});

	it("refuses a GUID that is not one with a validation error", async () => {
		await expect(store.listDisclosures("not-a-guid")).rejects.toThrow(/not a contact GUID/);
	});
});
