/**
 * The store conformance suite: the same cases on every database the store runs on (PGlite and
 * PostgreSQL). Each `*.test.ts` beside it calls {@link storeSuite} with a factory.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
	CONVERSATION_LINKS_QUEUE,
	getJobQueue,
	INTERCOM_EVENT_RETRY_LIMIT,
	INTERCOM_EVENTS_QUEUE,
} from "../../src/jobs/job-queue.ts";
import type { ActivityLogInput } from "../../src/store/activity-log.ts";
import { cameFromIntercom } from "../../src/store/activity-origin.ts";
import { findContactQuery, resolveContactGuidText } from "../../src/store/contact-store.ts";
import { type ContactUpdate, saveContactUpdateIn } from "../../src/store/contact-update.ts";
import { createStore, type Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { claimDelivery, noteDelivery } from "../../src/store/delivery-store.ts";
import { migrate, readMigrations } from "../../src/store/migrate.ts";
import { runInTransaction } from "../../src/store/prepared-statement.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { logNotificationActivity } from "../../src/store/topic-activity-store.ts";
import { verifyApiKey } from "../../src/webhooks/verify-webhook-auth.ts";
import type { StoreFactory } from "../harness/databases.ts";
import { seedActivity } from "../harness/seed-activity.ts";

/** Logs an activity as the log-activity webhook does: no value, URL or claim, no retries, unless given. */
const logActivity = (
	store: Store,
	input: Pick<ActivityLogInput, "typeCodeName" | "guid" | "siteId"> & Partial<ActivityLogInput>,
) => store.logActivity({ value: null, url: null, retryLimit: 0, claim: null, ...input });

export function storeSuite(factory: StoreFactory) {
	const open: Store[] = [];
	const track = <T extends Store | null>(s: T): T => {
		if (s) open.push(s);
		return s;
	};
	const ready = async (options?: { now?: () => number }) => track(await factory.ready(options));
	const empty = async () => track(await factory.empty());

	afterEach(async () => {
		await Promise.all(open.splice(0).map((s) => s.close()));
	});

	describe(`store on ${factory.kind}: migrations`, () => {
		it("migrates an empty database, then does nothing the second time", async () => {
			const store = await empty();
			const first = await store.migrate();
			expect(first.applied).toContain("0000_initial.sql");
			const second = await store.migrate();
			expect(second.applied).toEqual([]);
			expect(second.total).toBe(first.total);
		});

		it("survives two migrations racing on the same database", async () => {
			const a = await empty();
			const b = track(await factory.second(a)) ?? a;
			const [r1, r2, p1, p2] = await Promise.all([a.migrate(), b.migrate(), a.prepare(), b.prepare()]);
			// Every migration file was applied exactly once between the four racers.
			const applied = [r1.applied, r2.applied, p1.migrations.applied, p2.migrations.applied].flat().sort();
			expect(applied).toEqual((await readMigrations()).map((f) => f.name));
			const rows = rowsOf<{ n: number }>(
				await storeInternals(a).db.execute(sql`select count(*)::int as n from intercom_bridge_migrations`),
			);
			expect(rows[0]?.n).toBe(applied.length);
			expect((await a.listSites()).filter((s) => s.codeName === "default")).toHaveLength(1);
		});

		it("refuses to start when an applied migration file was edited", async () => {
			const store = await empty();
			await store.migrate();
			await storeInternals(store).db.execute(sql`update intercom_bridge_migrations set checksum = 'edited'`);
			await expect(migrate(storeInternals(store).db)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
		});
	});

	describe(`store on ${factory.kind}: sites and settings`, () => {
		it("creates the default site and a webhook API key at start-up", async () => {
			const store = await ready();
			const site = await store.requireSite("default");
			const settings = await store.getSettings(site.id);
			expect(settings.webhookApiKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
			expect(settings.enabled).toBe(false);
			expect(settings.region).toBe("us");
			expect((await store.prepare()).webhookKeysGenerated).toBe(0);
		});

		it("resolves sites by Host, falling back to the default site", async () => {
			const store = await ready();
			const shop = await store.createSite({
				codeName: "shop",
				displayName: "Shop",
				hostNames: ["Shop.Example.com"],
			});
			expect(shop.hostNames).toEqual(["shop.example.com"]);
			expect((await store.resolveSiteByHost("shop.example.com:8443"))?.codeName).toBe("shop");
			expect((await store.resolveSiteByHost("SHOP.EXAMPLE.COM."))?.codeName).toBe("shop");
			expect((await store.resolveSiteByHost("other.example.com"))?.codeName).toBe("default");
			expect((await store.resolveSiteByHost("bad host\n"))?.codeName).toBe("default");
			expect((await store.resolveSiteByHost(null))?.codeName).toBe("default");
			await expect(
				store.createSite({ codeName: "shop2", displayName: "Shop 2", hostNames: ["shop.example.com"] }),
			).rejects.toMatchObject({ code: "CONFLICT" });
			await expect(store.createSite({ codeName: "shop", displayName: "Again" })).rejects.toMatchObject({
				code: "CONFLICT",
			});
			await expect(store.createSite({ codeName: "1bad", displayName: "x" })).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
		});

		it("validates settings and names the allowed values", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			await expect(store.setSetting(id, "colour", "red")).rejects.toThrow(
				/Unknown setting "colour".*enabled, appId/,
			);
			await expect(store.setSetting(id, "region", "mars")).rejects.toThrow(/Allowed values: us, eu, au/);
			await expect(store.setSetting(id, "sendContactData", "sometimes")).rejects.toThrow(
				/always, never, consent/,
			);
			await expect(store.setSetting(id, "appId", "x'+alert(1)+'")).rejects.toMatchObject({ field: "appId" });
			await expect(store.setSetting(id, "sendContactDataConsent", "nope")).rejects.toThrow(
				/No consent "nope"/,
			);
			await store.setSetting(id, "region", " EU ");
			await store.setSetting(id, "enabled", "yes");
			await store.setSetting(id, "appId", "abc123");
			const settings = await store.getSettings(id);
			expect(settings).toMatchObject({ region: "eu", enabled: true, appId: "abc123" });
			await store.clearSetting(id, "region");
			expect((await store.getSettings(id)).region).toBe("us");
		});

		it("masks secrets when described and audits changes without values", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			const secret = `cs_${randomBytes(12).toString("hex")}`;
			await store.setSetting(id, "clientSecret", secret, { actor: "ada@example.com" });
			const view = (await store.describeSettings(id)).find((v) => v.key === "clientSecret");
			expect(view?.display).toBe(`set, ends with …${secret.slice(-4)}`);
			expect(JSON.stringify(await store.describeSettings(id))).not.toContain(secret);
			const audit = await store.listSettingsAudit(id);
			expect(audit[0]).toMatchObject({ key: "clientSecret", action: "set", actor: "ada@example.com" });
			expect(JSON.stringify(audit)).not.toContain(secret);
		});

		it("keeps a replaced client secret, encrypted, as the previous one; clearing drops both", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			await store.setSetting(id, "clientSecret", "first-client-secret-0123");
			expect((await store.getSettings(id)).previousClientSecret).toBeNull();
			await store.setSetting(id, "clientSecret", "first-client-secret-0123"); // unchanged: not replaced
			expect((await store.getSettings(id)).previousClientSecret).toBeNull();
			await store.setSetting(id, "clientSecret", "second-client-secret-456", { actor: "ada@example.com" });
			const settings = await store.getSettings(id);
			expect(settings.clientSecret).toBe("second-client-secret-456");
			expect(settings.previousClientSecret?.secret).toBe("first-client-secret-0123");
			expect(settings.previousClientSecret?.replacedAt).toBeInstanceOf(Date);
			const stored = rowsOf<{ value: string | null }>(
				await storeInternals(store).db.execute(
					sql`select value from site_settings where key = 'clientSecret.previous'`,
				),
			);
			expect(stored).toEqual([{ value: null }]); // kept sealed, like the secret itself
			expect((await store.listSettingsAudit(id))[1]).toMatchObject({
				key: "clientSecret.previous",
				action: "rotate",
			});
			await store.clearSetting(id, "clientSecret");
			expect(await store.getSettings(id)).toMatchObject({ clientSecret: null, previousClientSecret: null });
		});

		it("shares one read among concurrent callers once the cache has expired", async () => {
			let now = 1_000_000;
			const store = await ready({ now: () => now });
			const { id } = await store.requireSite("default");
			const first = await store.getSettings(id);
			const firstSite = await store.resolveSiteByHost("shop.example.com");
			now += 2001;
			const settings = await Promise.all(Array.from({ length: 20 }, () => store.getSettings(id)));
			const sites = await Promise.all(
				Array.from({ length: 20 }, () => store.resolveSiteByHost("shop.example.com")),
			);
			// Each read builds new objects: one object for all 20 means one read, and a new one means it did read.
			expect(new Set(settings).size).toBe(1);
			expect(settings[0]).not.toBe(first);
			expect(new Set(sites).size).toBe(1);
			expect(sites[0]).not.toBe(firstSite);
		});

		it("a write during a read is neither hidden by it nor overwritten in the cache", async () => {
			let now = 1_000_000;
			const store = await ready({ now: () => now });
			const { id } = await store.requireSite("default");
			expect((await store.getSettings(id)).region).toBe("us");
			now += 2001;
			const before = store.getSettings(id); // a read in flight when the write lands
			await store.setSetting(id, "region", "eu");
			expect((await store.getSettings(id)).region).toBe("eu");
			await before;
			expect((await store.getSettings(id)).region).toBe("eu");
			const sitesBefore = store.resolveSiteByHost("late.example.com");
			await store.createSite({ codeName: "late", displayName: "Late", hostNames: ["late.example.com"] });
			expect((await store.resolveSiteByHost("late.example.com"))?.codeName).toBe("late");
			await sitesBefore;
			expect((await store.resolveSiteByHost("late.example.com"))?.codeName).toBe("late");
		});

		it("rotates the webhook API key and keeps the previous one for the grace period", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			const before = (await store.getSettings(id)).webhookApiKey;
			const next = await store.rotateWebhookApiKey(id, { actor: "cli" });
			const after = await store.getSettings(id);
			expect(after.webhookApiKey).toBe(next);
			expect(next).not.toBe(before);
			expect(after.previousWebhookApiKeys.map((p) => p.key)).toEqual([before]);
			expect(after.previousWebhookApiKeys[0]?.replacedAt).toBeInstanceOf(Date);
		});

		it("keeps every key replaced within the grace period until its own grace ends, one audit row per rotation", async () => {
			const HOUR = 3_600_000;
			const start = Date.parse("2026-12-01T10:00:00Z");
			let now = start;
			const store = await ready({ now: () => now });
			const { id } = await store.requireSite("default");
			const first = (await store.getSettings(id)).webhookApiKey ?? "";
			const auditBefore = (await store.listSettingsAudit(id)).length;
			const second = await store.rotateWebhookApiKey(id, { actor: "ada@example.com" });
			now = start + HOUR;
			const third = await store.rotateWebhookApiKey(id, { actor: "ada@example.com" });
			const settings = await store.getSettings(id);
			const accepted = (key: string, at: number) =>
				verifyApiKey(key, settings, { now: at, gracePeriodMs: 24 * HOUR }).ok;
			// The first key was replaced at `start`, the second an hour later: each has its own 24 h.
			expect(accepted(first, start + 24 * HOUR)).toBe(true);
			expect(accepted(first, start + 24 * HOUR + 1)).toBe(false);
			expect(accepted(second, start + 25 * HOUR)).toBe(true);
			expect(accepted(second, start + 25 * HOUR + 1)).toBe(false);
			expect(accepted(third, start + 1000 * HOUR)).toBe(true);
			const audit = await store.listSettingsAudit(id);
			expect(audit.slice(0, audit.length - auditBefore).map((r) => [r.key, r.action, r.actor])).toEqual([
				["webhookApiKey", "rotate", "ada@example.com"],
				["webhookApiKey", "rotate", "ada@example.com"],
			]);
			// Keys are sealed at rest: no stored value holds any of them in clear text.
			const rows = rowsOf<{ value: string | null; secret: Uint8Array | null }>(
				await storeInternals(store).db.execute(
					sql`select value, secret from site_settings where site_id = ${id}`,
				),
			);
			const stored = rows
				.map((r) => `${r.value ?? ""}${Buffer.from(r.secret ?? []).toString("latin1")}`)
				.join("");
			for (const key of [first, second, third]) expect(stored).not.toContain(key);
		});

		it("forgets keys whose grace is over and refuses a rotation past the limit of keys in grace", async () => {
			const HOUR = 3_600_000;
			const start = Date.parse("2026-12-01T10:00:00Z");
			let now = start;
			const store = await ready({ now: () => now });
			const { id } = await store.requireSite("default");
			const first = (await store.getSettings(id)).webhookApiKey ?? "";
			for (let i = 0; i < 10; i++) {
				await store.rotateWebhookApiKey(id, { gracePeriodMs: 24 * HOUR });
				now += 60_000;
			}
			const current = (await store.getSettings(id)).webhookApiKey;
			await expect(store.rotateWebhookApiKey(id, { gracePeriodMs: 24 * HOUR })).rejects.toMatchObject({
				code: "CONFLICT",
				message: expect.stringContaining("2026-12-02 10:00 UTC"),
			});
			// Nothing changed: the same key is current, the first is still accepted.
			const refused = await store.getSettings(id);
			expect(refused.webhookApiKey).toBe(current);
			expect(verifyApiKey(first, refused, { now, gracePeriodMs: 24 * HOUR }).ok).toBe(true);
			// Once the first key's grace is over, it is dropped and a rotation is allowed again.
			now = start + 24 * HOUR + 1;
			await store.rotateWebhookApiKey(id, { gracePeriodMs: 24 * HOUR });
			const after = await store.getSettings(id);
			expect(after.previousWebhookApiKeys).toHaveLength(10);
			expect(after.previousWebhookApiKeys.map((p) => p.key)).not.toContain(first);
			expect(after.previousWebhookApiKeys[0]?.key).toBe(current);
		});

		it("keeps the grace of a key replaced by hand, and drops every replaced key when the key is cleared", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			const first = (await store.getSettings(id)).webhookApiKey ?? "";
			const auditBefore = (await store.listSettingsAudit(id)).length;
			await store.setSetting(id, "webhookApiKey", "typed-by-hand-0123456789", { actor: "cli" });
			await store.setSetting(id, "webhookApiKey", "typed-by-hand-0123456789", { actor: "cli" });
			const settings = await store.getSettings(id);
			expect(settings.webhookApiKey).toBe("typed-by-hand-0123456789");
			expect(settings.previousWebhookApiKeys.map((p) => p.key)).toEqual([first]);
			const audit = await store.listSettingsAudit(id);
			expect(audit.slice(0, audit.length - auditBefore).map((r) => [r.key, r.action])).toEqual([
				["webhookApiKey", "set"],
				["webhookApiKey", "set"],
			]);
			await store.clearSetting(id, "webhookApiKey");
			await store.ensureWebhookApiKeys();
			const after = await store.getSettings(id);
			expect(after.previousWebhookApiKeys).toEqual([]);
			expect(verifyApiKey(first, after, { now: Date.now(), gracePeriodMs: 3_600_000 }).ok).toBe(false);
		});

		// PGlite allows one process per database, so there is no other process to see.
		it.skipIf(factory.kind === "pglite")(
			"sees a change made by another process within the cache time",
			async () => {
				let now = 1_000_000;
				const a = await ready();
				const b = track(await factory.second(a, { now: () => now }));
				if (!b) throw new Error("this factory cannot open a second store");
				const { id } = await a.requireSite("default");
				expect((await b.getSettings(id)).region).toBe("us");
				await a.setSetting(id, "region", "au");
				expect((await b.getSettings(id)).region).toBe("us"); // still cached
				now += 2001;
				expect((await b.getSettings(id)).region).toBe("au");
				await a.createSite({ codeName: "late", displayName: "Late", hostNames: ["late.example.com"] });
				now += 2001;
				expect((await b.resolveSiteByHost("late.example.com"))?.codeName).toBe("late");
			},
		);
	});

	describe(`store on ${factory.kind}: secrets at rest`, () => {
		it("round-trips secrets and never stores their plain bytes", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			const values = {
				clientSecret: `client-${randomBytes(10).toString("hex")}`,
				identityVerificationSecret: `ivs-${randomBytes(10).toString("hex")}`,
				accessToken: `tok-${randomBytes(10).toString("hex")}`,
			};
			for (const [key, value] of Object.entries(values)) await store.setSetting(id, key, value);
			const settings = await store.getSettings(id);
			expect(settings).toMatchObject(values);
			const rows = rowsOf<{ key: string; value: string | null; secret: Uint8Array | null }>(
				await storeInternals(store).db.execute(
					sql`select key, value, secret from site_settings where site_id = ${id}`,
				),
			);
			const dump =
				JSON.stringify(rows) + rows.map((r) => Buffer.from(r.secret ?? []).toString("latin1")).join("");
			for (const value of [...Object.values(values), settings.webhookApiKey ?? "none"]) {
				expect(dump).not.toContain(value);
			}
			for (const key of [...Object.keys(values), "webhookApiKey"]) {
				const row = rows.find((r) => r.key === key);
				expect(row?.value).toBeNull();
				expect(row?.secret?.length).toBeGreaterThan(28);
			}
		});

		it("says so when the secret key is not the one the data was encrypted with", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			await store.setSetting(id, "clientSecret", "a-long-enough-client-secret");
			const other = createStore({
				database: {
					db: storeInternals(store).db,
					kind: store.kind,
					location: store.location,
					client: storeInternals(store).client,
					close: async () => {},
				},
				secretKey: randomBytes(32),
			});
			// The settings still read, the secret as null and named: nothing answers 500 for it.
			const settings = await other.getSettings(id);
			expect(settings.clientSecret).toBeNull();
			expect(settings.undecryptable).toEqual(expect.arrayContaining(["clientSecret", "webhookApiKey"]));
			expect((await other.describeSettings(id)).find((v) => v.key === "clientSecret")).toMatchObject({
				isSet: false,
				undecryptable: true,
				display: "cannot decrypt: set it again",
			});
			expect(await other.checkSecretKey()).toMatchObject({
				keyId: other.secretKeyId,
				otherKey: 2,
				otherKeyIds: [store.secretKeyId],
			});
			expect((await store.checkSecretKey()).otherKey).toBe(0);
			// Setting it again under the new key works, and keeps no "previous" secret it cannot read.
			await other.setSetting(id, "clientSecret", "another-long-client-secret");
			expect((await other.getSettings(id)).previousClientSecret).toBeNull();
			expect(await other.rotateWebhookApiKey(id)).toMatch(/^[A-Za-z0-9_-]{32}$/);
			expect((await other.checkSecretKey()).otherKey).toBe(0);
		});

		it("detects a secret copied from another row", async () => {
			const store = await ready();
			const { id } = await store.requireSite("default");
			await store.setSetting(id, "clientSecret", "a-long-enough-client-secret");
			await store.setSetting(id, "accessToken", "a-long-enough-access-token");
			await storeInternals(store).db.execute(
				sql`update site_settings set secret = (select secret from site_settings where site_id = ${id} and key = 'accessToken') where site_id = ${id} and key = 'clientSecret'`,
			);
			const fresh = createStore({
				database: {
					db: storeInternals(store).db,
					kind: store.kind,
					location: store.location,
					client: storeInternals(store).client,
					close: async () => {},
				},
				secretKey: (await import("../harness/databases.ts")).TEST_SECRET_KEY,
			});
			expect((await fresh.getSettings(id)).undecryptable).toEqual(["clientSecret"]);
		});
	});

	describe(`store on ${factory.kind}: contacts`, () => {
		it("keeps emails unique case-insensitively", async () => {
			const store = await ready();
			const ada = await store.createContact({ email: "Ada@Example.com", firstName: "Ada" });
			await expect(store.createContact({ email: "ada@example.COM" })).rejects.toMatchObject({
				code: "CONFLICT",
			});
			const bob = await store.createContact({ firstName: "Bob" });
			await expect(store.updateContact(bob.guid, { email: "ADA@example.com" })).rejects.toThrow(
				/already used/,
			);
			expect(await store.isEmailTaken("ada@EXAMPLE.com")).toBe(true);
			expect(await store.isEmailTaken("ada@example.com", ada.guid)).toBe(false);
			expect((await store.findContactByEmail("ADA@EXAMPLE.COM"))?.guid).toBe(ada.guid);
		});

		it("validates fields, updates them and merges custom fields", async () => {
			const store = await ready();
			const c = await store.createContact({ firstName: "Ada", customFields: { a: 1 } });
			await expect(store.updateContact(c.guid, { jobTitle: "x".repeat(51) })).rejects.toThrow(/limit is 50/);
			await expect(store.updateContact(c.guid, { email: "not-an-email" })).rejects.toMatchObject({
				field: "email",
			});
			const updated = await store.updateContact(c.guid, { lastName: "Lovelace", customFields: { b: "two" } });
			expect(updated).toMatchObject({
				firstName: "Ada",
				lastName: "Lovelace",
				customFields: { a: 1, b: "two" },
			});
			const cleared = await store.updateContact(c.guid, { firstName: null });
			expect(cleared.firstName).toBeNull();
			await expect(
				store.updateContact("00000000-0000-4000-8000-000000000000", { city: "x" }),
			).rejects.toMatchObject({
				code: "NOT_FOUND",
			});
			await expect(store.updateContact("not-a-guid", { city: "x" })).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
			expect(await store.getContact("not-a-guid")).toBeNull();
		});

		it("lists, searches and exports contacts", async () => {
			const store = await ready();
			for (let i = 0; i < 7; i++)
				await store.createContact({ email: `p${i}@example.com`, companyName: i % 2 ? "Odd_Co" : "Even" });
			const page = await store.listContacts({ limit: 3 });
			expect(page.items).toHaveLength(3);
			expect(page.total).toBe(7);
			expect((await store.listContacts({ search: "odd_" })).total).toBe(3);
			expect((await store.listContacts({ search: "%" })).total).toBe(0);
			const all = [];
			for await (const c of store.exportContacts(2)) all.push(c);
			expect(all).toHaveLength(7);
		});

		it("looks a GUID or merged GUID up through the primary key, never by scanning contacts", async () => {
			const store = await ready();
			const visitor = await store.createContact();
			const known = await store.createContact();
			await store.mergeContacts(visitor.guid, known.guid);
			const plans = await store.transaction(async (tx) => {
				// Without seq scans allowed, the planner takes an index wherever the query lets it.
				await tx.execute(sql`set local enable_seqscan = off`);
				const query = findContactQuery(tx, visitor.guid).toSQL();
				const explain = (text: string, params: unknown[]) =>
					runInTransaction<{ "QUERY PLAN": string }>(tx, `explain ${text}`, params);
				return [
					await explain(query.sql, query.params),
					await explain(resolveContactGuidText("$1::uuid"), [visitor.guid]),
				].map((rows) => rows.map((r) => r["QUERY PLAN"]).join("\n"));
			});
			for (const plan of plans) {
				expect(plan).toContain("contacts_pkey");
				expect(plan).not.toMatch(/Seq Scan on contacts/);
			}
			expect((await store.getContact(visitor.guid))?.guid).toBe(known.guid);
		});

		it("merges contacts: activities and agreements move, the old GUID keeps resolving", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "chat", displayName: "Chat" });
			await store.addConsent({ codeName: "data", displayName: "Data sharing" });
			const visitor = await store.createContact({ city: "Leeds", customFields: { seen: true } });
			const known = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
			await seedActivity(store, { contactGuid: visitor.guid, siteId, typeCodeName: "chat", value: "hi" });
			await seedActivity(store, { contactGuid: known.guid, siteId, typeCodeName: "chat" });
			await store.agree(visitor.guid, "data");

			const survivor = await store.mergeContacts(visitor.guid, known.guid);
			expect(survivor).toMatchObject({
				guid: known.guid,
				email: "ada@example.com",
				city: "Leeds",
				customFields: { seen: true },
			});
			expect((await store.getContact(visitor.guid))?.guid).toBe(known.guid);
			expect(await store.resolveContactGuid(visitor.guid.toUpperCase())).toBe(known.guid);
			expect(await store.listActivities(known.guid)).toHaveLength(2);
			expect(await store.listActivities(visitor.guid)).toHaveLength(2);
			expect(await store.isAgreed(known.guid, "data")).toBe(true);
			expect(await store.isAgreed(visitor.guid, "data")).toBe(true);

			// A chain: the survivor is merged again; both older GUIDs follow.
			const third = await store.createContact({ firstName: "Third" });
			await store.mergeContacts(known.guid, third.guid);
			expect((await store.getContact(visitor.guid))?.guid).toBe(third.guid);
			expect((await store.getContact(known.guid))?.guid).toBe(third.guid);
			await expect(store.mergeContacts(visitor.guid, third.guid)).rejects.toThrow(/already the same contact/);
		});

		it("says which of the given sites a contact belongs to: by an activity or a disclosure there", async () => {
			const store = await ready();
			const { id: home } = await store.requireSite("default");
			const shop = (
				await store.createSite({ codeName: "shop", displayName: "Shop", hostNames: ["shop.example.com"] })
			).id;
			const blog = (
				await store.createSite({ codeName: "blog", displayName: "Blog", hostNames: ["blog.example.com"] })
			).id;
			const all = [home, shop, blog];
			const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
			await store.addActivityType({ codeName: "chat", displayName: "Chat" });
			const ada = await store.createContact({ firstName: "Ada" });
			const bob = await store.createContact({ firstName: "Bob" });
			// A new contact belongs to no site yet (contact sync then offers it to every syncing site).
			expect(await store.contactSiteIds(ada.guid, all)).toEqual([]);

			await seedActivity(store, { contactGuid: ada.guid, siteId: home, typeCodeName: "chat" });
			// The disclosure log names the contact by the hash of its lowercase GUID: any case matches.
			await store.recordDisclosure({
				siteId: shop,
				guid: ada.guid.toUpperCase(),
				recipient: "intercom",
				channel: "api",
				fields: ["email"],
				policy: "always",
			});
			expect(sorted(await store.contactSiteIds(ada.guid, all))).toEqual(sorted([home, shop]));
			expect(sorted(await store.contactSiteIds(ada.guid.toUpperCase(), all))).toEqual(sorted([home, shop]));
			// Only among the sites asked about; unknown ids and other contacts' rows count for nothing.
			expect(await store.contactSiteIds(ada.guid, [blog, shop])).toEqual([shop]);
			expect(await store.contactSiteIds(ada.guid, [blog, 2_000_000_000])).toEqual([]);
			expect(await store.contactSiteIds(bob.guid, all)).toEqual([]);
			// Bad input answers nothing rather than failing the sync job that asks.
			expect(await store.contactSiteIds(ada.guid, [])).toEqual([]);
			expect(await store.contactSiteIds("not-a-guid", all)).toEqual([]);
			expect(await store.contactSiteIds("00000000-0000-4000-8000-000000000000", all)).toEqual([]);

			// Merged into Bob, Ada's activities move with her, and their site with them.
			const survivor = await store.mergeContacts(ada.guid, bob.guid);
			expect(await store.contactSiteIds(survivor.guid, all)).toContain(home);
		});
	});

	describe(`store on ${factory.kind}: consents, activities, admin users, deliveries`, () => {
		it("keeps consent history; agreed is the latest action", async () => {
			const store = await ready();
			await store.addConsent({ codeName: "data", displayName: "Data sharing", text: "We share your name." });
			await store.addConsent({ codeName: "other", displayName: "Other" });
			await expect(store.addConsent({ codeName: "data", displayName: "Again" })).rejects.toMatchObject({
				code: "CONFLICT",
			});
			const c = await store.createContact();
			expect(await store.isAgreed(c.guid, "data")).toBe(false);
			expect((await store.agree(c.guid, "data")).changed).toBe(true);
			expect((await store.agree(c.guid, "data")).changed).toBe(false);
			expect(await store.isAgreed(c.guid, "data")).toBe(true);
			await store.revoke(c.guid, "data");
			expect(await store.isAgreed(c.guid, "data")).toBe(false);
			await store.agree(c.guid, "data");
			const history = await store.consentHistory(c.guid);
			expect(history.map((h) => h.action)).toEqual(["agree", "revoke", "agree"]);
			const states = await store.consentStates(c.guid);
			expect(states.map((s) => [s.consent.codeName, s.agreed])).toEqual([
				["data", true],
				["other", false],
			]);
			await expect(store.agree(c.guid, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
			// A disabled consent can no longer be agreed to, but withdrawing still works.
			await store.disableConsent("data");
			expect((await store.getConsent("data"))?.enabled).toBe(false);
			expect(await store.isAgreed(c.guid, "data")).toBe(true);
			await store.revoke(c.guid, "data");
			await expect(store.agree(c.guid, "data")).rejects.toThrow(/is disabled/);
			await store.enableConsent("data");
			expect((await store.agree(c.guid, "data")).changed).toBe(true);
			await expect(store.disableConsent("missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
			expect(await store.isAgreed("garbage", "data")).toBe(false);
		});

		it("reads a visitor's contact and consent states in one query, following merges", async () => {
			const store = await ready();
			await store.addConsent({ codeName: "data", displayName: "Data" });
			await store.addConsent({ codeName: "cookies", displayName: "Cookies" });
			const old = await store.createContact();
			const known = await store.createContact({ email: "v@example.com" });
			await store.agree(known.guid, "data");
			await store.agree(known.guid, "cookies");
			await store.revoke(known.guid, "cookies");
			await store.mergeContacts(old.guid, known.guid);
			const visit = await store.getVisitorContact(old.guid.toUpperCase(), ["data", "cookies", "missing"]);
			expect(visit?.contact.guid).toBe(known.guid);
			expect(visit?.agreed).toEqual({ data: true, cookies: false, missing: false });
			expect((await store.getVisitorContact(known.guid, []))?.agreed).toEqual({});
			expect(await store.getVisitorContact("00000000-0000-4000-8000-000000000000", ["data"])).toBeNull();
			expect(await store.getVisitorContact("x", ["data"])).toBeNull();
		});

		it("logs activities of enabled types only, with value and URL in their own columns and a links job", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "demo_booked", displayName: "Demo booked" });
			const c = await store.createContact();
			const visitor = await store.createContact();
			await store.mergeContacts(visitor.guid, c.guid);
			await getJobQueue(store).ensure();
			const log = (input: Partial<ActivityLogInput>) =>
				logActivity(store, { typeCodeName: "demo_booked", guid: c.guid, siteId, retryLimit: 2, ...input });
			// By the merged GUID: the activity goes to the survivor, the job knows both GUIDs.
			const logged = await log({ guid: visitor.guid, value: "Tuesday", url: "https://example.com/book" });
			expect(logged).toMatchObject({ typeOk: true, guid: c.guid, activityId: expect.any(Number) });
			const [a] = await store.listActivities(c.guid);
			expect(a?.activity).toMatchObject({
				id: logged.activityId,
				title: "Demo booked - Tuesday",
				value: "Tuesday",
				url: "https://example.com/book",
			});
			expect(a?.activity.urlHash).toMatch(/^[0-9a-f]{64}$/);
			const jobs = rowsOf<{ data: { activityId: number; externalIds: string[] }; retry_limit: number }>(
				await storeInternals(store).db.execute(
					sql`select data, retry_limit from pgboss.job where name = ${CONVERSATION_LINKS_QUEUE}`,
				),
			);
			expect(jobs).toEqual([
				{
					data: { activityId: logged.activityId, siteId, externalIds: [visitor.guid, c.guid] },
					retry_limit: 2,
				},
			]);
			await store.setActivityComment(
				logged.activityId ?? 0,
				"https://app.intercom.com/a/apps/x/inbox/inbox/conversation/1",
			);
			expect((await store.listActivities(c.guid))[0]?.activity.comment).toContain("conversation/1");

			// A delivery claim goes with the activity: the same key again writes nothing.
			const claim = { deliveryKey: "sha256:abc", windowMs: 60_000 };
			expect((await log({ claim })).activityId).toEqual(expect.any(Number));
			expect(await log({ claim })).toEqual({ typeOk: true, guid: c.guid, activityId: null });
			expect(await store.getDelivery(siteId, "logactivity", "sha256:abc")).toMatchObject({
				status: "logged",
			});

			expect(await log({ guid: "00000000-0000-4000-8000-000000000000" })).toMatchObject({
				typeOk: true,
				guid: null,
				activityId: null,
			});
			await store.disableActivityType("demo_booked");
			expect(await log({})).toMatchObject({ typeOk: false, activityId: null });
			expect(await log({ typeCodeName: "nope" })).toMatchObject({ typeOk: false, activityId: null });
			expect(await store.listActivities(c.guid)).toHaveLength(2);
			await store.enableActivityType("demo_booked");
			expect((await store.listActivityTypes())[0]?.enabled).toBe(true);
			await expect(store.enableActivityType("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
			await store.renameActivityType("demo_booked", "Demo");
			expect((await store.getActivityType("demo_booked"))?.displayName).toBe("Demo");
			await expect(store.renameActivityType("nope", "Nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
		});

		it("lets each site choose the activity types it accepts; the others are refused like a disabled type", async () => {
			const store = await ready();
			const { id: a } = await store.requireSite("default");
			const { id: b } = await store.createSite({ codeName: "shop", displayName: "Shop" });
			await store.addActivityType({ codeName: "demo_booked", displayName: "Demo booked" });
			await store.addActivityType({ codeName: "order_placed", displayName: "Order placed" });
			const c = await store.createContact();
			await getJobQueue(store).ensure();
			const log = (siteId: number, typeCodeName: string) =>
				logActivity(store, { typeCodeName, guid: c.guid, siteId });
			const record = (siteId: number, typeCodeName: string) =>
				store.recordActivity({ contactGuid: c.guid, siteId, typeCodeName });

			// No choice: every enabled type, on every site.
			expect(await store.listSiteActivityTypes(b)).toBeNull();
			expect((await log(b, "demo_booked")).typeOk).toBe(true);

			await store.setSiteActivityTypes(b, ["order_placed", "order_placed"], { actor: "ada@example.com" });
			expect(await store.listSiteActivityTypes(b)).toEqual(["order_placed"]);
			expect(await store.listSettingsAudit(b)).toMatchObject([
				{ key: "activityTypes", action: "set", actor: "ada@example.com" },
			]);
			expect(await store.listSiteActivityTypes(a)).toBeNull();
			expect(await log(b, "demo_booked")).toMatchObject({ typeOk: false, activityId: null });
			await expect(record(b, "demo_booked")).rejects.toThrow("Activity type is incorrect or disabled.");
			expect((await log(b, "order_placed")).activityId).toEqual(expect.any(Number));
			expect((await record(b, "order_placed")).siteId).toBe(b);
			// The other site is untouched.
			expect((await log(a, "demo_booked")).typeOk).toBe(true);
			expect((await record(a, "demo_booked")).siteId).toBe(a);
			// Several logs in one statement, each judged by its own site.
			const both = await Promise.all([log(a, "demo_booked"), log(b, "demo_booked"), log(b, "order_placed")]);
			expect(both.map((r) => r.typeOk)).toEqual([true, false, true]);

			// A chosen type that is disabled is still refused, and stays chosen.
			await store.disableActivityType("order_placed");
			expect((await log(b, "order_placed")).typeOk).toBe(false);
			expect(await store.listSiteActivityTypes(b)).toEqual(["order_placed"]);
			await store.enableActivityType("order_placed");

			await expect(store.setSiteActivityTypes(b, [])).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
			await expect(store.setSiteActivityTypes(b, ["order_placed", "nope"])).rejects.toThrow('"nope"');
			expect(await store.listSiteActivityTypes(b)).toEqual(["order_placed"]);
			expect(await store.listSettingsAudit(b)).toHaveLength(1);
			await expect(store.setSiteActivityTypes(999_999, null)).rejects.toMatchObject({ code: "NOT_FOUND" });

			// Null accepts every enabled type again.
			await store.setSiteActivityTypes(b, null);
			expect(await store.listSiteActivityTypes(b)).toBeNull();
			expect((await log(b, "demo_booked")).typeOk).toBe(true);
			expect(await store.listActivities(c.guid, { siteIds: [b] })).toHaveLength(5);
		});

		it("records an activity from site code with its comment, by merged GUID, and no links job", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "contact_form", displayName: "Contact form" });
			const c = await store.createContact();
			const visitor = await store.createContact();
			await store.mergeContacts(visitor.guid, c.guid);
			await getJobQueue(store).ensure();
			const a = await store.recordActivity({
				contactGuid: visitor.guid.toUpperCase(),
				siteId,
				typeCodeName: "contact_form",
				value: "Question",
				comment: "Do you ship </script> to Leeds?",
			});
			expect(a).toMatchObject({
				contactGuid: c.guid,
				siteId,
				title: "Contact form - Question",
				comment: "Do you ship </script> to Leeds?",
			});
			const jobs = rowsOf<{ n: number }>(
				await storeInternals(store).db.execute(
					sql`select count(*)::int as n from pgboss.job where name = ${CONVERSATION_LINKS_QUEUE}`,
				),
			);
			expect(jobs[0]?.n).toBe(0);
			await expect(
				store.recordActivity({ contactGuid: "not-a-guid", siteId, typeCodeName: "contact_form" }),
			).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
			await expect(
				store.recordActivity({
					contactGuid: "00000000-0000-4000-8000-000000000000",
					siteId,
					typeCodeName: "contact_form",
				}),
			).rejects.toMatchObject({ code: "NOT_FOUND" });
			await store.disableActivityType("contact_form");
			await expect(
				store.recordActivity({ contactGuid: c.guid, siteId, typeCodeName: "contact_form" }),
			).rejects.toThrow("Activity type is incorrect or disabled.");
			expect(await store.listActivities(c.guid)).toHaveLength(1);
		});

		it("queues an Intercom event job with a site activity of an opted-in type, never with a logged one", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "contact_form", displayName: "Contact form" });
			const c = await store.createContact();
			const eventJobs = async () =>
				rowsOf<{ data: unknown; retry_limit: number; retry_delay: number; retry_backoff: boolean }>(
					await storeInternals(store).db.execute(
						sql`select data, retry_limit, retry_delay, retry_backoff from pgboss.job where name = ${INTERCOM_EVENTS_QUEUE} order by created_on`,
					),
				);
			const record = () =>
				store.recordActivity({ contactGuid: c.guid, siteId, typeCodeName: "contact_form" });

			expect((await store.getActivityType("contact_form"))?.sendToIntercom).toBe(false);
			expect((await store.setActivityTypeSendsToIntercom("contact_form", true)).sendToIntercom).toBe(true);
			// No queue yet (no runner ever started): the activity is not recorded without its event.
			await expect(record()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
			expect(await store.listActivities(c.guid)).toHaveLength(0);

			await getJobQueue(store).ensure();
			const sent = await record();
			expect(await eventJobs()).toEqual([
				{
					data: { activityId: sent.id, siteId },
					retry_limit: INTERCOM_EVENT_RETRY_LIMIT,
					retry_delay: 60,
					retry_backoff: true,
				},
			]);
			expect(await store.getActivityForIntercomEvent(sent.id)).toMatchObject({
				activity: { id: sent.id, contactGuid: c.guid, siteId },
				typeCodeName: "contact_form",
				sendToIntercom: true,
			});
			expect(await store.getActivityForIntercomEvent(999_999)).toBeNull();

			// The log-activity webhook's activities came from Intercom: never sent back, whatever the type says.
			const logged = await logActivity(store, { typeCodeName: "contact_form", guid: c.guid, siteId });
			expect(logged.activityId).toEqual(expect.any(Number));
			expect(await eventJobs()).toHaveLength(1);

			// Opted out again: site activities queue nothing more.
			await store.setActivityTypeSendsToIntercom("contact_form", false);
			await record();
			expect(await eventJobs()).toHaveLength(1);
			expect(await store.listActivities(c.guid)).toHaveLength(3);
			await expect(store.setActivityTypeSendsToIntercom("nope", true)).rejects.toMatchObject({
				code: "NOT_FOUND",
			});
		});

		it("keeps each site's data attribute checks, replaced whole, cleared by 'Check again', per site", async () => {
			const store = await ready();
			const { id: a } = await store.requireSite("default");
			const { id: b } = await store.createSite({ codeName: "shop", displayName: "Shop" });
			expect(await store.listDataAttributeChecks(a)).toEqual([]);
			await store.saveDataAttributeChecks(a, "h1", [
				{
					attribute: "seats",
					wantedType: "integer",
					status: "mismatch",
					intercomType: "string",
					message: "types differ",
				},
				{ attribute: "plan", wantedType: "string", status: "created", intercomType: "string", message: null },
			]);
			await store.saveDataAttributeChecks(b, "h9", [
				{ attribute: "plan", wantedType: "string", status: "ok", intercomType: "string", message: null },
			]);
			expect(await store.listDataAttributeChecks(a)).toMatchObject([
				{ attribute: "plan", status: "created", mappingHash: "h1", checkedAt: expect.any(Date) },
				{ attribute: "seats", status: "mismatch", intercomType: "string", message: "types differ" },
			]);
			// A new run replaces the site's rows whole.
			await store.saveDataAttributeChecks(a, "h2", [
				{ attribute: "plan", wantedType: "string", status: "ok", intercomType: "string", message: null },
			]);
			expect((await store.listDataAttributeChecks(a)).map((c) => [c.attribute, c.mappingHash])).toEqual([
				["plan", "h2"],
			]);
			await expect(
				store.saveDataAttributeChecks(a, "h3", [
					{
						attribute: "x",
						wantedType: "string",
						status: "weird" as "ok",
						intercomType: null,
						message: null,
					},
				]),
			).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
			expect(await store.listDataAttributeChecks(a)).toHaveLength(1);
			expect(await store.clearDataAttributeChecks(a)).toBe(1);
			expect(await store.listDataAttributeChecks(a)).toEqual([]);
			expect(await store.listDataAttributeChecks(b)).toHaveLength(1);
		});

		it("updates a contact from a webhook in one statement: fields, free email, delivery claim", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			const c = await store.createContact({ firstName: "Ada", city: "Leeds", customFields: { a: 1 } });
			const other = await store.createContact({ email: "taken@example.com" });
			const visitor = await store.createContact();
			await store.mergeContacts(visitor.guid, c.guid);
			const update = (input: Partial<ContactUpdate>) =>
				store.saveContactUpdate({
					guid: c.guid,
					set: {},
					custom: undefined,
					email: null,
					claim: null,
					...input,
				});

			// By the merged GUID; null keeps a value; custom fields merge.
			expect(
				await update({ guid: visitor.guid, set: { lastName: "Lovelace", city: null }, custom: { b: 2 } }),
			).toEqual({ guid: c.guid, claimed: true, emailTaken: false });
			expect(await store.getContact(c.guid)).toMatchObject({
				firstName: "Ada",
				lastName: "Lovelace",
				city: "Leeds",
				customFields: { a: 1, b: 2 },
			});
			// Another contact's email is left alone and said so.
			expect(await update({ email: "TAKEN@example.com" })).toMatchObject({ emailTaken: true });
			expect((await store.getContact(c.guid))?.email).toBeNull();
			expect(await update({ email: "ada@example.com" })).toMatchObject({ emailTaken: false });
			expect((await store.getContact(c.guid))?.email).toBe("ada@example.com");
			expect((await store.getContact(other.guid))?.email).toBe("taken@example.com");

			// With a claim: the first delivery updates, a copy updates nothing.
			const claim = { siteId, deliveryKey: "sha256:def", windowMs: 60_000, detail: null };
			expect(await update({ set: { jobTitle: "Countess" }, claim })).toMatchObject({ claimed: true });
			expect(await update({ set: { jobTitle: "Copy" }, claim })).toMatchObject({ claimed: false });
			expect((await store.getContact(c.guid))?.jobTitle).toBe("Countess");
			expect(await store.getDelivery(siteId, "updatecontact", "sha256:def")).toMatchObject({
				status: "updated",
			});

			// Concurrent updates of one contact (in one statement or several) each keep their field.
			const fields = { zip: "LS1", address1: "1 Street", mobilePhone: "+44 1", businessPhone: "+44 2" };
			const many = await Promise.all(Object.entries(fields).map(([k, v]) => update({ set: { [k]: v } })));
			expect(many.every((r) => r.guid === c.guid)).toBe(true);
			expect(await store.getContact(c.guid)).toMatchObject({ ...fields, jobTitle: "Countess" });

			expect(await update({ guid: "00000000-0000-4000-8000-000000000000" })).toMatchObject({ guid: null });

			// Inside a transaction (a webhook hook's): claim, update and note go together.
			await store.transaction(async (tx) => {
				const key = { siteId, endpoint: "updatecontact", deliveryKey: "sha256:hook" };
				expect(await claimDelivery(tx, { ...key, status: "updated", windowMs: 60_000 })).toBe(true);
				expect(
					await saveContactUpdateIn(tx, {
						guid: c.guid,
						set: { notes: "hooked" },
						custom: undefined,
						email: null,
						claim: null,
					}),
				).toMatchObject({ guid: c.guid });
				await noteDelivery(tx, key, "ContactEmail: invalid_email");
			});
			expect((await store.getContact(c.guid))?.notes).toBe("hooked");
			expect(await store.getDelivery(siteId, "updatecontact", "sha256:hook")).toMatchObject({
				detail: "ContactEmail: invalid_email",
			});
		});

		it("adds admin users with scrypt hashes and per-site roles", async () => {
			const store = await ready();
			const shop = await store.createSite({ codeName: "shop", displayName: "Shop" });
			const { user, generatedPassword } = await store.addAdminUser({ email: "admin@example.com" });
			expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
			expect(user.roles).toEqual([{ siteId: null, role: "modify" }]);
			expect(await store.verifyAdminPassword("ADMIN@example.com", generatedPassword ?? "")).not.toBeNull();
			expect(await store.verifyAdminPassword("admin@example.com", "wrong password!")).toBeNull();
			expect(await store.verifyAdminPassword("nobody@example.com", "wrong password!")).toBeNull();
			const reader = await store.addAdminUser({
				email: "reader@example.com",
				password: "long enough pw",
				siteId: shop.id,
				role: "read",
			});
			expect(reader.generatedPassword).toBeNull();
			expect(reader.user.roles).toEqual([{ siteId: shop.id, role: "read" }]);
			await expect(store.addAdminUser({ email: "Admin@Example.com" })).rejects.toMatchObject({
				code: "CONFLICT",
			});
			await expect(store.addAdminUser({ email: "x@example.com", password: "short" })).rejects.toMatchObject({
				field: "password",
			});
			const rows = rowsOf<{ password_hash: string }>(
				await storeInternals(store).db.execute(sql`select password_hash from admin_users`),
			);
			for (const r of rows) expect(r.password_hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
			expect(await store.countAdminUsers()).toBe(2);
		});

		it("claims a delivery key once, even with 20 concurrent claims", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			const claim = (input: { deliveryKey: string; status: string; windowMs?: number }) =>
				store.transaction((tx) => claimDelivery(tx, { siteId, endpoint: "webhooks", ...input }));
			const claims = await Promise.all(
				Array.from({ length: 20 }, () => claim({ deliveryKey: "notif_1", status: "received" })),
			);
			expect(claims.filter(Boolean)).toHaveLength(1);
			expect(await store.getDelivery(siteId, "webhooks", "notif_1")).toMatchObject({ status: "received" });
			expect(await store.listDeliveries(siteId)).toHaveLength(1);
			// With a window, a key seen longer ago than the window counts as new again.
			expect(await claim({ deliveryKey: "sha256:x", status: "updated", windowMs: 60_000 })).toBe(true);
			expect(await claim({ deliveryKey: "sha256:x", status: "updated", windowMs: 60_000 })).toBe(false);
			expect(await claim({ deliveryKey: "sha256:x", status: "again", windowMs: 0 })).toBe(true);
			expect(await store.getDelivery(siteId, "webhooks", "sha256:x")).toMatchObject({ status: "again" });
		});
	});

	describe(`store on ${factory.kind}: notification topics as activities`, () => {
		it("maps topics to activity types per site, with an audit row per change, and refuses bad input", async () => {
			const store = await ready();
			const { id: a } = await store.requireSite("default");
			const { id: b } = await store.createSite({ codeName: "shop", displayName: "Shop" });
			await store.addActivityType({ codeName: "chat_started", displayName: "Chat started" });
			await store.addActivityType({ codeName: "chat_closed", displayName: "Chat closed" });
			expect(await store.listTopicActivityTypes(a)).toEqual([]);

			expect(
				await store.setTopicActivityType(a, " Conversation.User.Created ", "chat_started", {
					actor: "ada@example.com",
				}),
			).toEqual({ changed: true });
			await store.setTopicActivityType(a, "conversation.admin.closed", "chat_closed");
			// The same choice again changes nothing and audits nothing.
			expect(await store.setTopicActivityType(a, "conversation.user.created", "chat_started")).toEqual({
				changed: false,
			});
			expect(await store.listTopicActivityTypes(a)).toEqual([
				{
					topic: "conversation.admin.closed",
					typeCodeName: "chat_closed",
					typeDisplayName: "Chat closed",
					usable: true,
				},
				{
					topic: "conversation.user.created",
					typeCodeName: "chat_started",
					typeDisplayName: "Chat started",
					usable: true,
				},
			]);
			expect(await store.listTopicActivityTypes(b)).toEqual([]);
			// Another type replaces the choice; null removes it.
			await store.setTopicActivityType(a, "conversation.admin.closed", "chat_started");
			expect((await store.listTopicActivityTypes(a))[0]?.typeCodeName).toBe("chat_started");
			await store.setTopicActivityType(a, "conversation.admin.closed", null, { actor: "ada@example.com" });
			expect((await store.listTopicActivityTypes(a)).map((m) => m.topic)).toEqual([
				"conversation.user.created",
			]);
			const audit = await store.listSettingsAudit(a);
			expect(
				audit
					.filter((r) => r.key.startsWith("topic:"))
					.map((r) => [r.key, r.action])
					.sort(),
			).toEqual(
				[
					["topic:conversation.user.created", "set"],
					["topic:conversation.admin.closed", "set"],
					["topic:conversation.admin.closed", "set"],
					["topic:conversation.admin.closed", "clear"],
				].sort(),
			);

			// A type the site does not accept, or a disabled one, stays chosen but is marked unusable.
			await store.setSiteActivityTypes(a, ["chat_closed"]);
			expect((await store.listTopicActivityTypes(a))[0]?.usable).toBe(false);
			await store.setSiteActivityTypes(a, null);
			await store.disableActivityType("chat_started");
			expect((await store.listTopicActivityTypes(a))[0]?.usable).toBe(false);

			await expect(store.setTopicActivityType(a, "not a topic", "chat_started")).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
			await expect(store.setTopicActivityType(a, "ping", "chat_started")).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
			await expect(
				store.setTopicActivityType(a, `a.${"b".repeat(100)}`, "chat_started"),
			).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
			await expect(store.setTopicActivityType(a, "conversation.user.replied", "nope")).rejects.toThrow(
				'"nope"',
			);
			await expect(
				store.setTopicActivityType(999_999, "conversation.user.replied", "chat_started"),
			).rejects.toMatchObject({
				code: "NOT_FOUND",
			});
			expect(await store.listTopicActivityTypes(a)).toHaveLength(1);
		});

		it("logs a notification's activity once per claim, origin intercom-notification, for the first known GUID", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "chat_started", displayName: "Chat started" });
			const c = await store.createContact();
			const old = await store.createContact();
			await store.mergeContacts(old.guid, c.guid);
			const stranger = "7d1d0a52-4a6c-4a58-9c8e-0b4f6f0f5a11";
			const topic = "conversation.user.created";
			const log = (deliveryKey: string, guids: string[], t = topic) =>
				store.transaction(async (tx) => {
					if (!(await claimDelivery(tx, { siteId, endpoint: "webhooks", deliveryKey, status: "received" })))
						return "duplicate";
					return logNotificationActivity(tx, {
						siteId,
						topic: t,
						guids,
						value: "Where is my order?",
						url: "https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/1",
					});
				});

			expect(await log("notif_1", [c.guid])).toEqual({ kind: "unmapped" });
			await store.setTopicActivityType(siteId, topic, "chat_started");
			// An unknown GUID, then a merged one: the activity goes to the survivor of the merge.
			const logged = await log("notif_2", ["not-a-guid", stranger, old.guid.toUpperCase()]);
			expect(logged).toEqual({
				kind: "logged",
				activityId: expect.any(Number),
				typeCodeName: "chat_started",
			});
			expect(await log("notif_2", [c.guid])).toBe("duplicate");
			const [row] = await store.listActivities(c.guid);
			expect(row?.activity).toMatchObject({
				origin: "intercom-notification",
				siteId,
				title: "Chat started - Where is my order?",
				value: "Where is my order?",
				url: "https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/1",
				urlHash: expect.stringMatching(/^[0-9a-f]{64}$/),
			});
			expect(await store.listActivities(c.guid)).toHaveLength(1);
			expect(await log("notif_3", [stranger])).toEqual({ kind: "unknown-contact" });
			expect(await log("notif_4", [])).toEqual({ kind: "unknown-contact" });
			await store.disableActivityType("chat_started");
			expect(await log("notif_5", [c.guid])).toEqual({ kind: "type-refused" });
			expect(await store.listActivities(c.guid)).toHaveLength(1);
			// A failure after the log rolls back the claim and the activity together: a retry logs it.
			await store.enableActivityType("chat_started");
			await expect(
				store.transaction(async (tx) => {
					await claimDelivery(tx, {
						siteId,
						endpoint: "webhooks",
						deliveryKey: "notif_6",
						status: "received",
					});
					await logNotificationActivity(tx, { siteId, topic, guids: [c.guid], value: null, url: null });
					throw new Error("hook failed");
				}),
			).rejects.toThrow("hook failed");
			expect(await store.listActivities(c.guid)).toHaveLength(1);
			expect(await log("notif_6", [c.guid])).toMatchObject({ kind: "logged" });
			expect(await store.listActivities(c.guid)).toHaveLength(2);
		});

		it("records where each activity came from: site code, a Series webhook, a notification", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "visit", displayName: "Visit" });
			const c = await store.createContact();
			await getJobQueue(store).ensure();
			await store.recordActivity({ contactGuid: c.guid, siteId, typeCodeName: "visit" });
			await logActivity(store, { typeCodeName: "visit", guid: c.guid, siteId });
			await store.setTopicActivityType(siteId, "contact.email.updated", "visit");
			await store.transaction((tx) =>
				logNotificationActivity(tx, {
					siteId,
					topic: "contact.email.updated",
					guids: [c.guid],
					value: null,
					url: null,
				}),
			);
			const origins = (await store.listActivities(c.guid)).map((r) => r.activity.origin).sort();
			expect(origins).toEqual(["intercom-notification", "intercom-series", "site"]);
			// Only the site's own may go to Intercom; rows from before origins were kept may not either.
			expect([...origins, "unknown" as const].map(cameFromIntercom)).toEqual([true, true, false, true]);
		});
	});

	describe(`store on ${factory.kind}: Intercom rate budget`, () => {
		const clock = (start: number) => {
			let t = start;
			return { now: () => t, set: (v: number) => (t = v) };
		};
		// 12:00:00 UTC: a window start (multiple of 10 s).
		const T0 = Date.UTC(2026, 0, 1, 12);

		it("grants up to the unknown limit, then learns the real limit from the headers", async () => {
			const c = clock(T0 + 1000);
			const store = await ready({ now: c.now });
			for (let i = 0; i < 3; i++)
				expect((await store.takeRateBudget("app:us:a", { unknownLimit: 3 })).granted).toBe(true);
			const refused = await store.takeRateBudget("app:us:a", { unknownLimit: 3 });
			expect(refused).toMatchObject({ granted: false, retryAt: T0 + 10_000, used: 3, windowLimit: null });
			// Intercom says 100 a window, 97 left: the same window now allows more.
			await store.observeRateBudget("app:us:a", { limit: 100, remaining: 97, resetAt: T0 + 10_000 });
			expect(await store.takeRateBudget("app:us:a", { unknownLimit: 3 })).toMatchObject({
				granted: true,
				used: 4,
				windowLimit: 100,
			});
			// Other budgets are untouched.
			expect(await store.readRateBudget("app:us:b")).toBeNull();
		});

		it("keeps a reserve for live calls: bulk stops at limit − reserve, live goes on to the limit", async () => {
			const c = clock(T0);
			const store = await ready({ now: c.now });
			await store.takeRateBudget("k", { n: 1 });
			await store.observeRateBudget("k", { limit: 20, remaining: 19, resetAt: T0 + 10_000 });
			let bulk = 1;
			while ((await store.takeRateBudget("k", { priority: "bulk", reserveShare: 0.1 })).granted) bulk++;
			expect(bulk).toBe(18); // 20 − ceil(20 × 0.1)
			let live = bulk;
			while ((await store.takeRateBudget("k", { priority: "live" })).granted) live++;
			expect(live).toBe(20);
			// The next window starts from zero.
			c.set(T0 + 10_000);
			expect(await store.takeRateBudget("k", { priority: "bulk", n: 5 })).toMatchObject({
				granted: true,
				used: 5,
			});
		});

		it("raises the count to what Intercom saw, and ignores answers of another window", async () => {
			const c = clock(T0 + 2000);
			const store = await ready({ now: c.now });
			await store.takeRateBudget("k");
			await store.observeRateBudget("k", { limit: 50, remaining: 10, resetAt: T0 + 10_000 });
			expect((await store.readRateBudget("k"))?.used).toBe(40);
			// A late answer of the previous window changes the limit only.
			await store.observeRateBudget("k", { limit: 60, remaining: 0, resetAt: T0 });
			expect(await store.readRateBudget("k")).toMatchObject({ used: 40, windowLimit: 60 });
			// Fewer calls seen by Intercom never lowers the count.
			await store.observeRateBudget("k", { limit: 60, remaining: 59, resetAt: T0 + 10_000 });
			expect((await store.readRateBudget("k"))?.used).toBe(40);
		});

		it("after a 429 refuses every class until the reset, for at most a minute", async () => {
			const c = clock(T0 + 3000);
			const store = await ready({ now: c.now });
			await store.blockRateBudget("k", T0 + 10_000);
			expect(await store.takeRateBudget("k")).toMatchObject({ granted: false, retryAt: T0 + 10_000 });
			// A shorter block does not shorten it; a reset an hour away is capped at a minute.
			await store.blockRateBudget("k", T0 + 5000);
			await store.blockRateBudget("k", T0 + 3_600_000);
			expect((await store.readRateBudget("k"))?.blockedUntil).toBe(T0 + 63_000);
			c.set(T0 + 63_000);
			expect((await store.takeRateBudget("k")).granted).toBe(true);
		});

		it("refuses bad input with a ValidationError", async () => {
			const store = await ready();
			await expect(store.takeRateBudget("", {})).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
			await expect(store.takeRateBudget("k", { n: 0 })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
			await expect(store.takeRateBudget("k", { reserveShare: 0.9 })).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
			await expect(store.takeRateBudget("x".repeat(161))).rejects.toMatchObject({
				code: "VALIDATION_FAILED",
			});
		});

		it("loses no take when many callers (two instances where possible) race for one window", async () => {
			const c = clock(T0 + 500);
			const a = await ready({ now: c.now });
			const b = track(await factory.second(a, { now: c.now })) ?? a;
			await a.takeRateBudget("k");
			await a.observeRateBudget("k", { limit: 40, remaining: 39, resetAt: T0 + 10_000 });
			const takes = await Promise.all(
				Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).takeRateBudget("k", { priority: "live" })),
			);
			// 39 slots were left: exactly 39 of the 60 racers got one.
			expect(takes.filter((t) => t.granted)).toHaveLength(39);
			expect((await a.readRateBudget("k"))?.used).toBe(40);
		});
	});

	describe(`store on ${factory.kind}: backfill runs`, () => {
		it("claims a run once; the cursor and counts move together, only under the lease; a dead run is taken over from its cursor", async () => {
			let t = Date.UTC(2026, 0, 1, 12);
			const store = await ready({ now: () => t });
			const site = await store.requireSite("default");
			expect(await store.getBackfill(site.id)).toBeNull();
			const a = await store.claimBackfill(site.id, {
				owner: "a",
				leaseMs: 1000,
				total: 3,
				startedBy: "cli:ada",
			});
			expect(a).toMatchObject({
				claimed: true,
				run: { state: "running", cursorGuid: null, sent: 0, total: 3 },
			});
			// Another owner while a's lease lasts: not taken.
			expect(await store.claimBackfill(site.id, { owner: "b", leaseMs: 1000, total: 3 })).toMatchObject({
				claimed: false,
				run: { leaseOwner: "a" },
			});
			const g1 = "00000000-0000-4000-8000-000000000001";
			expect(
				await store.advanceBackfill(site.id, {
					owner: "a",
					leaseMs: 1000,
					cursorGuid: g1,
					sent: 1,
					skipped: 1,
				}),
			).toBe(true);
			expect(await store.advanceBackfill(site.id, { owner: "b", leaseMs: 1000, sent: 5 })).toBe(false);
			// a dies: after its lease b takes the run over from the cursor, and a can no longer write.
			t += 1500;
			const b = await store.claimBackfill(site.id, { owner: "b", leaseMs: 1000, total: 3 });
			expect(b).toMatchObject({
				claimed: true,
				run: { cursorGuid: g1, sent: 1, skipped: 1, startedBy: "cli:ada" },
			});
			expect(await store.advanceBackfill(site.id, { owner: "a", leaseMs: 1000, sent: 1 })).toBe(false);
			expect(await store.endBackfill(site.id, { owner: "a", state: "done" })).toBe(false);
			expect(await store.endBackfill(site.id, { owner: "b", state: "paused" })).toBe(true);
			// Paused resumes from the cursor; done starts over.
			const c = await store.claimBackfill(site.id, { owner: "c", leaseMs: 1000, total: 3 });
			expect(c.run).toMatchObject({ cursorGuid: g1, sent: 1, state: "running" });
			expect(await store.endBackfill(site.id, { owner: "c", state: "done" })).toBe(true);
			expect((await store.getBackfill(site.id))?.finishedAt).toBeInstanceOf(Date);
			const d = await store.claimBackfill(site.id, { owner: "d", leaseMs: 1000, total: 3 });
			expect(d.run).toMatchObject({
				cursorGuid: null,
				sent: 0,
				skipped: 0,
				state: "running",
				finishedAt: null,
			});
			await expect(store.claimBackfill(site.id, { owner: "", leaseMs: 1000, total: 3 })).rejects.toThrow(
				/owner/,
			);
			await expect(store.claimBackfill(site.id, { owner: "e", leaseMs: 5, total: 3 })).rejects.toThrow(
				/lease/,
			);
		});

		it("lists named contacts in GUID order after a cursor, leaving anonymous ones out", async () => {
			const store = await ready();
			const named = [];
			for (let i = 0; i < 5; i++) named.push(await store.createContact({ email: `b${i}@example.com` }));
			await store.createContact({});
			expect(await store.countBackfillContacts()).toBe(5);
			const sorted = named.map((c) => c.guid).sort();
			const first = await store.listBackfillContacts(null, 2);
			expect(first.map((c) => c.guid)).toEqual(sorted.slice(0, 2));
			const rest = await store.listBackfillContacts(first[1]?.guid ?? null, 100);
			expect(rest.map((c) => c.guid)).toEqual(sorted.slice(2));
		});
	});

	describe(`store on ${factory.kind}: failures`, () => {
		it("answers a closed database with StoreUnavailableError and writes nothing", async () => {
			const store = await factory.ready();
			await store.close();
			await expect(store.createContact({ email: "late@example.com" })).rejects.toMatchObject({
				code: "STORE_UNAVAILABLE",
				status: 503,
			});
		});

		it("rolls back a transaction that fails half-way", async () => {
			const store = await ready();
			const { id: siteId } = await store.requireSite("default");
			await store.addActivityType({ codeName: "t", displayName: "T" });
			const c = await store.createContact();
			await expect(
				store.transaction(async (tx) => {
					await tx.execute(sql`update contacts set city = 'Half' where guid = ${c.guid}`);
					throw new Error("boom");
				}),
			).rejects.toThrow("boom");
			expect((await store.getContact(c.guid))?.city).toBeNull();
			expect(await store.listActivities(c.guid)).toHaveLength(0);
			expect(siteId).toBeGreaterThan(0);
		});
	});
}
