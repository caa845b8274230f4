/**
 * Contact sync and privacy in Intercom (decisions 0025 and 0026), on PGlite and PostgreSQL against
 * the Intercom emulator: local changes (identify, consent, code) upsert the person by
 * `external_id`; many changes become one call; a Series update is never sent back; a lagging
 * lookup's 409 updates instead of duplicating; the data policy `never` sends nothing; a
 * withdrawal's `scrub` clears name, email and mapped attributes but keeps the `user_id`; each
 * privacy action is an audit row.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createIntercomClient } from "../../src/intercom/create-intercom-client.ts";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import { redriveDeadContactSyncs } from "../../src/jobs/job-backlog.ts";
import { CONTACT_SYNC_QUEUE, getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { CONTACT_SYNC_DELAY_SECONDS } from "../../src/store/job-store.ts";
import { storeBossOptions } from "../../src/store/pg-boss-db.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { syncContactToIntercom } from "../../src/sync/sync-contact.ts";
import type { IntercomEmulator } from "../../src/testing/index.ts";
import { TOKEN } from "../faults/fault-env.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import {
	EMULATOR_APP_ID,
	emulatorBridge,
	emulatorSite,
	syncingSite as syncingSiteOf,
} from "../harness/emulator-site.ts";
import { cookieOf, pageView } from "../harness/test-bridge.ts";
import { waitFor } from "../harness/wait-for.ts";

const page = pageView;

describe.each([pgliteFactory, postgresFactory])("contact sync on $kind", (factory) => {
	let emulator: IntercomEmulator;
	let store: Store;
	let bridge: IntercomBridge;
	let runner: JobRunner | undefined;

	/** The default site, syncing contacts, with `settings` over the harness's defaults. */
	async function syncingSite(settings: Record<string, string> = {}) {
		const site = await syncingSiteOf(store, settings);
		// The queue exists before the first change (the service creates it at start).
		await getJobQueue(store).ensure();
		return site;
	}

	beforeEach(async () => {
		({ emulator, store } = await emulatorSite(factory, { consents: { data: "Share my data" } }));
		bridge = emulatorBridge(store, emulator);
	});

	afterEach(async () => {
		await runner?.stop();
		runner = undefined;
		await store.close();
	});

	const syncJobs = async () =>
		rowsOf<{ state: string; data: { guid: string; mergedFrom?: string }; key: string }>(
			await storeInternals(store).db.execute(
				sql`select state::text as state, data, singleton_key as key from pgboss.job
					where name = ${CONTACT_SYNC_QUEUE} order by created_on`,
			),
		);
	const erasureJobStates = async () =>
		rowsOf<{ state: string }>(
			await storeInternals(store).db.execute(
				sql`select state::text as state from pgboss.job where name = 'intercom-bridge-contact-erasure'`,
			),
		).map((r) => r.state);

	/** Waits until every sync job has run (none waiting, retrying or running), at least `done` of them. */
	async function syncDone(done = 1) {
		await waitFor(
			async () => {
				const jobs = await syncJobs();
				return (
					jobs.filter((j) => j.state === "completed").length >= done &&
					jobs.every((j) => j.state === "completed" || j.state === "failed")
				);
			},
			{
				deadlineMs: 30_000,
				intervalMs: 200,
				describe: async () =>
					`${done} sync job(s) done; they are ${JSON.stringify((await syncJobs()).map((j) => j.state))}`,
			},
		);
	}

	/** The emulator's writes of contacts: creates and updates. */
	const contactWrites = () =>
		emulator.requests.filter(
			(r) =>
				(r.method === "POST" && r.path === "/contacts") ||
				(r.method === "PUT" && r.path.startsWith("/contacts/")),
		);
	const inIntercom = (guid: string) => emulator.contacts().filter((c) => c.external_id === guid);

	function startRunner(options: Parameters<typeof emulatorJobRunner>[2] = {}) {
		runner = emulatorJobRunner(store, emulator, options);
		return runner.start();
	}

	it("syncs on identify, on the consent that allows it and on a change from code, with a disclosure first", async () => {
		const site = await syncingSite({ sendContactData: "consent", sendContactDataConsent: "data" });
		await startRunner();
		const first = await bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		const guid = first.contact?.guid ?? "";
		expect(await syncJobs()).toEqual([]); // an anonymous visitor is nothing to sync

		await bridge.contacts.identify(page(cookie), { email: "ada@example.com", firstName: "Ada" });
		await syncDone(1);
		// Identified, but the policy needs the consent: nothing went to Intercom.
		expect(contactWrites()).toEqual([]);

		await bridge.consents.agree(page(cookie), "data");
		await syncDone(2);
		expect(inIntercom(guid)).toMatchObject([{ role: "user", email: "ada@example.com", name: "Ada" }]);
		const disclosures = await store.listDisclosures(guid);
		expect(disclosures.find((d) => d.channel === "api")).toMatchObject({
			siteId: site.id,
			fields: "email,external_id,name",
			policy: "consent",
			consentCode: "data",
		});

		await store.updateContact(guid, { lastName: "Lovelace" });
		await syncDone(3);
		expect(inIntercom(guid)).toMatchObject([{ name: "Ada Lovelace", email: "ada@example.com" }]);
		expect(emulator.contacts()).toHaveLength(1);
	});

	it("writes the sync job's row as pg-boss's own send would", async () => {
		await syncingSite();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		// The same job through pg-boss's send(), for another GUID.
		const other = "00000000-0000-4000-8000-000000000001";
		const { PgBoss } = await import("pg-boss");
		const boss = new PgBoss({
			...(await storeBossOptions(store)),
			supervise: false,
			schedule: false,
			migrate: false,
			registerInstance: false,
		});
		await boss.start();
		try {
			await boss.send(
				CONTACT_SYNC_QUEUE,
				{ guid: other },
				{ singletonKey: other, startAfter: CONTACT_SYNC_DELAY_SECONDS },
			);
		} finally {
			await boss.stop({ graceful: false });
		}
		const row = async (key: string) => {
			const [r] = rowsOf<Record<string, unknown>>(
				// Every column but those that differ by nature (id, data, key, the times of writing).
				await storeInternals(store).db.execute(sql`select to_jsonb(j) - 'id' - 'data' - 'singleton_key'
						- 'created_on' - 'start_after' - 'keep_until' as row,
					round(extract(epoch from keep_until - start_after)) as keep_s,
					round(extract(epoch from start_after - created_on)) as delay_s
					from pgboss.job j where name = ${CONTACT_SYNC_QUEUE} and singleton_key = ${key}`),
			);
			return r;
		};
		const ours = await row(ada.guid);
		expect(ours).toMatchObject({ delay_s: String(CONTACT_SYNC_DELAY_SECONDS) });
		expect(ours).toEqual(await row(other));
	});

	it("coalesces many changes of one contact into one call carrying the latest state", async () => {
		await syncingSite();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		for (let i = 1; i <= 10; i++) await store.updateContact(ada.guid, { lastName: `Version ${i}` });
		await store.updateContact(ada.guid, { customFields: { plan: "pro" } });
		expect((await syncJobs()).filter((j) => j.state === "created")).toHaveLength(1);

		await startRunner();
		await syncDone(1);
		expect(contactWrites()).toHaveLength(1);
		expect(inIntercom(ada.guid)).toMatchObject([{ name: "Ada Version 10", email: "ada@example.com" }]);
	});

	it("never sends a Series update back to Intercom", async () => {
		const site = await syncingSite();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		await startRunner();
		await syncDone(1);
		expect(contactWrites()).toHaveLength(1);

		// The Series webhook (updatecontact) changes Ada here…
		const { webhookApiKey } = await store.getSettings(site.id);
		const res = await bridge.handler(
			new Request(`https://shop.example${bridge.options.basePath}/updatecontact`, {
				method: "POST",
				headers: { "content-type": "application/json", "x-api-key": webhookApiKey ?? "" },
				body: JSON.stringify({ ContactGUID: ada.guid, ContactFirstName: "Series" }),
			}),
		);
		expect(res.status).toBe(200);
		expect((await store.getContact(ada.guid))?.firstName).toBe("Series");
		// …then a local change of another contact is synced: the runner has had its turn after it.
		await store.createContact({ email: "grace@example.com", firstName: "Grace" });
		await syncDone(2);
		expect(contactWrites()).toHaveLength(2);
		expect(inIntercom(ada.guid)).toMatchObject([{ name: "Ada" }]);
		expect((await syncJobs()).filter((j) => j.data.guid === ada.guid)).toHaveLength(1);

		// A later local change is sent, with the contact's state as it is now.
		await store.updateContact(ada.guid, { lastName: "Lovelace" });
		await syncDone(3);
		expect(inIntercom(ada.guid)).toMatchObject([{ name: "Series Lovelace" }]);
	});

	it("updates the existing person after a 409 from a lagging look-up: never a duplicate", async () => {
		await syncingSite();
		// Intercom knows Grace by email only (the Messenger made her), and Ada by her GUID, which the
		// look-up does not see yet (its index lags behind writes).
		const grace = emulator.seedContact({ role: "user", email: "grace@example.com", name: "G" });
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		emulator.seedContact({ role: "user", external_id: ada.guid, email: "old@example.com" });
		emulator.inject({ kind: "status", status: 404, path: "/contacts/find_by_external_id", times: 2 });
		const g = await store.createContact({ email: "grace@example.com", firstName: "Grace" });
		await startRunner();
		await syncDone(2);
		expect(inIntercom(ada.guid)).toMatchObject([{ email: "ada@example.com", name: "Ada" }]);
		expect(emulator.contacts().filter((c) => c.email === "grace@example.com")).toMatchObject([
			{ id: grace.id, external_id: g.guid, name: "Grace" },
		]);
		expect(emulator.contacts()).toHaveLength(2);
		expect(emulator.requests.filter((r) => r.method === "POST" && r.path === "/contacts").length).toBe(2);
	});

	it("sends nothing for a site whose policy is never, nor for a site that does not sync", async () => {
		await syncingSite({ sendContactData: "never" });
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		await startRunner();
		await syncDone(1);
		expect(contactWrites()).toEqual([]);
		expect((await store.listDisclosures(ada.guid)).filter((d) => d.channel === "api")).toEqual([]);

		await store.setSetting((await store.requireSite("default")).id, "syncContacts", "false");
		await store.updateContact(ada.guid, { lastName: "Lovelace" });
		expect(await syncJobs()).toHaveLength(1); // no site syncs: nothing queued
	});

	it("marks a change as soon as a site syncs, even one turned on by another process", async () => {
		const site = await store.requireSite("default");
		await getJobQueue(store).ensure();
		const ada = await store.createContact({ email: "ada@example.com" });
		expect(await syncJobs()).toEqual([]); // no site syncs yet: nothing queued
		// Another process where there can be one (PostgreSQL), else this one.
		const other = (await factory.second(store)) ?? store;
		try {
			await other.setSetting(site.id, "syncContacts", "true");
			await store.updateContact(ada.guid, { firstName: "Ada" });
			expect((await syncJobs()).map((j) => j.key)).toEqual([ada.guid]);
		} finally {
			if (other !== store) await other.close();
		}
	});

	it("sends a contact to the sites it is on, or to every syncing site when it is on none", async () => {
		const first = await syncingSite();
		const second = await store.createSite({ codeName: "second", displayName: "Second" });
		for (const [k, v] of Object.entries({
			appId: EMULATOR_APP_ID,
			sendContactData: "always",
			accessToken: TOKEN,
			syncContacts: "true",
		}))
			await store.setSetting(second.id, k, v);
		const deps = {
			store,
			logger: createLogger({ level: "silent" }),
			endpoints: (r?: "us" | "eu" | "au") => emulator.endpoints(r),
			fetch: emulator.fetch,
			createClient: () =>
				createIntercomClient({ token: TOKEN, endpoints: emulator.endpoints(), fetch: emulator.fetch }),
		};
		const onSecond = await store.createContact({ email: "grace@example.com" });
		await storeInternals(store).db.execute(
			sql`insert into activities (contact_guid, site_id, type_id, title, origin) values (${onSecond.guid}::uuid, ${second.id}, 1, 'Seen', 'api')`,
		);
		expect(await syncContactToIntercom(deps, { guid: onSecond.guid })).toEqual({
			sent: [second.id],
			skipped: [{ siteId: first.id, reason: "not-on-site" }],
		});
		const onNone = await store.createContact({ email: "alan@example.com" });
		expect((await syncContactToIntercom(deps, { guid: onNone.guid })).sent.sort()).toEqual(
			[first.id, second.id].sort(),
		);
	});

	it("puts a permanent refusal in the failed state at once, where the console counts it", async () => {
		await syncingSite();
		emulator.inject({ kind: "status", status: 400, path: "/contacts", times: 1 });
		await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		await startRunner();
		await waitFor(async () => (await store.contactSyncBacklog()).dead === 1, {
			deadlineMs: 30_000,
			intervalMs: 200,
			describe: async () => `a dead sync job; jobs are ${JSON.stringify(await syncJobs())}`,
		});
		expect((await syncJobs())[0]?.state).toBe("failed");
		expect(emulator.contacts()).toEqual([]);
		expect(emulator.requests.filter((r) => r.status === 400)).toHaveLength(1); // no retry

		// Once the cause is gone, "run the failed syncs again" sends it.
		expect(await redriveDeadContactSyncs(store)).toBe(1);
		await waitFor(() => emulator.contacts().length === 1, {
			deadlineMs: 30_000,
			describe: async () => `Ada in Intercom after the re-run; jobs are ${JSON.stringify(await syncJobs())}`,
		});
		expect((await store.contactSyncBacklog()).dead).toBe(0);
	});

	it("a merge on the site upserts the survivor and merges the merged GUID's lead into it", async () => {
		await syncingSite();
		const old = await store.createContact({ email: "old@example.com", firstName: "Old" });
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		// Intercom knows the old GUID as a lead (the Messenger made it before the visitor identified).
		const lead = emulator.seedContact({ role: "lead", external_id: old.guid });
		await store.mergeContacts(old.guid, ada.guid);
		const jobs = await syncJobs();
		expect(jobs.map((j) => j.key).sort()).toEqual([ada.guid, `merge:${old.guid}`, old.guid].sort());
		// The client's real merge (POST /contacts/merge) against the emulator's route.
		await startRunner();
		await syncDone(3);
		const [survivor] = inIntercom(ada.guid);
		expect(survivor).toMatchObject({ email: "ada@example.com", role: "user" });
		const merges = emulator.requests.filter((r) => r.method === "POST" && r.path === "/contacts/merge");
		expect(merges).toHaveLength(1);
		// The lead is gone into the survivor: one person left, no lead with the old GUID.
		expect(emulator.contacts().some((c) => c.id === lead.id)).toBe(false);
		expect(inIntercom(old.guid)).toEqual([]);
	});

	it("sends the mapped custom attributes Intercom can take: missing ones created, a mismatch left out and recorded", async () => {
		const site = await syncingSite();
		// The workspace has "seats" as a string already; the mapping says integer.
		emulator.seedDataAttribute({ name: "seats", dataType: "string" });
		const mapping = {
			"customFields.plan": { attribute: "plan", type: "string" },
			"customFields.seats": { attribute: "seats", type: "integer" },
			jobTitle: { attribute: "job_title_here", type: "string" },
		} as const;
		const ada = await store.createContact({
			email: "ada@example.com",
			firstName: "Ada",
			jobTitle: "Engineer",
			customFields: { plan: "pro", seats: 5 },
		});
		await startRunner({ dataAttributes: mapping });
		await syncDone(1);
		const [person] = inIntercom(ada.guid);
		expect(person?.custom_attributes).toEqual({ plan: "pro", job_title_here: "Engineer" });
		const checks = await store.listDataAttributeChecks(site.id);
		expect(Object.fromEntries(checks.map((c) => [c.attribute, c.status]))).toEqual({
			plan: "created",
			seats: "mismatch",
			job_title_here: "created",
		});
		const lists = () => emulator.requests.filter((r) => r.method === "GET" && r.path === "/data_attributes");
		expect(lists()).toHaveLength(1);
		// The next sync answers from the record: Intercom is not asked again.
		await store.updateContact(ada.guid, { customFields: { plan: "team", seats: 6 } });
		await syncDone(2);
		expect(inIntercom(ada.guid)[0]?.custom_attributes).toMatchObject({ plan: "team" });
		expect(inIntercom(ada.guid)[0]?.custom_attributes.seats).toBeUndefined();
		expect(lists()).toHaveLength(1);
		// The disclosure names what went, and only that.
		const [disclosure] = await store.listDisclosures(ada.guid);
		expect(disclosure?.fields).toContain("plan");
		expect(disclosure?.fields).not.toContain("seats");
	});

	describe("privacy in Intercom", () => {
		/** Ada, synced with a mapped attribute, who then withdraws the consent that allowed it. */
		async function adaWithdraws(onWithdrawal: "stop" | "scrub" | "delete") {
			const site = await syncingSite({
				sendContactData: "consent",
				sendContactDataConsent: "data",
				onWithdrawal,
			});
			// ensureDataAttributes creates "plan" in the workspace before the first send.
			await startRunner({ dataAttributes: { "customFields.plan": { attribute: "plan", type: "string" } } });
			const first = await bridge.visit(page());
			const cookie = cookieOf(first.setCookie);
			const guid = first.contact?.guid ?? "";
			await bridge.contacts.identify(page(cookie), {
				email: "ada@example.com",
				firstName: "Ada",
				customFields: { plan: "pro" },
			});
			await bridge.consents.agree(page(cookie), "data");
			await waitFor(() => inIntercom(guid)[0]?.custom_attributes.plan === "pro", {
				deadlineMs: 30_000,
				describe: () => `Ada in Intercom with plan pro: ${JSON.stringify(inIntercom(guid))}`,
			});
			await syncDone((await syncJobs()).length);
			const writes = contactWrites().length;
			await bridge.consents.revoke(page(cookie), "data");
			const jobs = (await syncJobs()).length;
			return { site, guid, writes, jobs };
		}
		const actions = async (guid: string) => (await store.listIntercomActions(guid)).map((r) => r.action);

		it("scrub clears name, email and mapped attributes and keeps the user_id", async () => {
			const { site, guid, jobs } = await adaWithdraws("scrub");
			await waitFor(async () => (await erasureJobStates())[0] === "completed", {
				deadlineMs: 30_000,
				describe: async () => `the scrub job done: ${await erasureJobStates()}`,
			});
			await syncDone(jobs); // the withdrawal's own sync job decided to send nothing
			const [person] = inIntercom(guid);
			expect(person).toMatchObject({ external_id: guid, name: null, email: "" });
			expect(person?.custom_attributes.plan).toBeNull();
			expect(await actions(guid)).toEqual(["scrub-done", "scrub-queued"]);
			expect((await store.listAudit(site.id)).some((r) => r.kind === "intercom")).toBe(true);
			// The contact here keeps its data: withdrawing is not erasure.
			expect((await store.getContact(guid))?.email).toBe("ada@example.com");
		});

		it("stop sends nothing more and records it", async () => {
			const { guid, writes, jobs } = await adaWithdraws("stop");
			await syncDone(jobs);
			await store.updateContact(guid, { lastName: "Lovelace" });
			await syncDone(jobs + 1);
			expect(contactWrites()).toHaveLength(writes);
			expect(await erasureJobStates()).toEqual([]);
			expect(await actions(guid)).toEqual(["stop"]);
		});

		it("delete deletes as before, with its audit rows", async () => {
			const { guid } = await adaWithdraws("delete");
			await waitFor(async () => (await erasureJobStates())[0] === "completed", {
				deadlineMs: 30_000,
				describe: async () => `the deletion job done: ${await erasureJobStates()}`,
			});
			expect(inIntercom(guid)).toEqual([]);
			expect(await actions(guid)).toEqual(["delete-done", "delete-queued"]);
		});
	});
});
