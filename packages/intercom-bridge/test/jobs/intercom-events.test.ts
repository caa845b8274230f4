/**
 * Site activities as Intercom data events (docs/decisions/0023), on PGlite and PostgreSQL against
 * the Intercom emulator: an activity of an opted-in type is sent once its job runs, with the
 * disclosure written first; the site's data policy is checked when the job runs; activities that
 * came from Intercom (the log-activity webhook) are never queued, and the job refuses them too
 * (their origin is not `site`); a contact Intercom does not know yet
 * is retried, not given up.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIntercomClient } from "../../src/intercom/create-intercom-client.ts";
import type { LinksClientFactory } from "../../src/jobs/conversation-links-job.ts";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import {
	intercomEventMetadata,
	intercomEventName,
	sendIntercomEvent,
} from "../../src/jobs/intercom-event-job.ts";
import { getJobQueue, INTERCOM_EVENTS_QUEUE } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import type { Region } from "../../src/settings/setting-keys.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import { waitFor } from "../harness/wait-for.ts";

const TOKEN = "events-token-123";

describe("intercomEventName and metadata", () => {
	it("turns code names into Intercom's lower-case hyphenated names", () => {
		expect(intercomEventName("contact_form")).toBe("contact-form");
		expect(intercomEventName("FormSubmitted")).toBe("form-submitted");
		expect(intercomEventName("order.placed-v2")).toBe("order-placed-v2");
	});

	it("keeps title, value, an http(s) URL and the id; clips long text", () => {
		expect(
			intercomEventMetadata({ id: 7, title: "T", value: "x".repeat(300), url: "javascript:alert(1)" }),
		).toEqual({ title: "T", value: `${"x".repeat(254)}…`, activity_id: 7 });
		expect(intercomEventMetadata({ id: 1, title: "T", value: null, url: "https://e.com/a" })).toEqual({
			title: "T",
			url: "https://e.com/a",
			activity_id: 1,
		});
	});
});

describe.each([pgliteFactory, postgresFactory])("activities as Intercom events on $kind", (factory) => {
	let emulator: ReturnType<typeof createIntercomEmulator>;
	let store: Store;
	let runner: JobRunner | undefined;
	let siteId: number;

	beforeEach(async () => {
		emulator = createIntercomEmulator({ tokens: [TOKEN] });
		store = await factory.ready();
		siteId = (await store.requireSite("default")).id;
		await store.setSetting(siteId, "accessToken", TOKEN);
		await store.addActivityType({ codeName: "contact_form", displayName: "Contact form" });
		await store.setActivityTypeSendsToIntercom("contact_form", true);
		await store.addConsent({ codeName: "data", displayName: "Share my data" });
		await getJobQueue(store).ensure();
	});

	afterEach(async () => {
		await runner?.stop();
		runner = undefined;
		await store.close();
	});

	const jobs = async () =>
		rowsOf<{ state: string; data: { activityId: number }; retry_count: number; output: unknown }>(
			await storeInternals(store).db.execute(
				sql`select state::text, data, retry_count, output from pgboss.job where name = ${INTERCOM_EVENTS_QUEUE} order by created_on`,
			),
		);
	const allDone = (n: number) =>
		waitFor(async () => ((await jobs()).filter((j) => j.state === "completed").length === n ? true : null), {
			deadlineMs: 20_000,
			describe: async () => `${n} completed event jobs; saw ${JSON.stringify(await jobs())}`,
		});

	/** A contact Intercom knows (as the Messenger or the contact sync would have made it). */
	/** An activity of an opted-in type as the log-activity webhook writes it: it came from Intercom. */
	const logFromIntercom = (guid: string) =>
		store.logActivity({
			typeCodeName: "contact_form",
			guid,
			siteId,
			value: "From a Series",
			url: null,
			retryLimit: 0,
			claim: null,
		});

	async function knownContact() {
		const contact = await store.createContact({ email: "ada@example.com" });
		emulator.seedContact({ role: "user", external_id: contact.guid, email: "ada@example.com" });
		return contact;
	}

	it("sends an opted-in type's activity with the policy 'always': name, time, user_id, metadata; disclosure first", async () => {
		await store.setSetting(siteId, "sendContactData", "always");
		const contact = await knownContact();
		const activity = await store.recordActivity({
			contactGuid: contact.guid,
			siteId,
			typeCodeName: "contact_form",
			value: "Question",
			url: "https://shop.example/contact",
		});
		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		await allDone(1);
		expect(emulator.events()).toEqual([
			{
				contactId: emulator.contacts()[0]?.id,
				eventName: "contact-form",
				createdAt: Math.floor(activity.createdAt.getTime() / 1000),
				metadata: {
					title: "Contact form - Question",
					value: "Question",
					url: "https://shop.example/contact",
					activity_id: activity.id,
				},
			},
		]);
		expect(await store.listDisclosures(contact.guid)).toMatchObject([
			{
				recipient: "intercom",
				channel: "event",
				policy: "always",
				fields:
					"created_at,event_name,metadata.activity_id,metadata.title,metadata.url,metadata.value,user_id",
			},
		]);
	});

	it("checks the data policy when the job runs: nothing under 'consent' without the agreement, nor under 'never'", async () => {
		await store.setSetting(siteId, "sendContactData", "consent");
		await store.setSetting(siteId, "sendContactDataConsent", "data");
		const contact = await knownContact();
		const record = () =>
			store.recordActivity({ contactGuid: contact.guid, siteId, typeCodeName: "contact_form" });
		await record();
		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		await allDone(1);
		expect(emulator.events()).toEqual([]);
		expect(await store.listDisclosures(contact.guid)).toEqual([]);

		await store.agree(contact.guid, "data");
		await record();
		await allDone(2);
		expect(emulator.events()).toHaveLength(1);
		expect((await store.listDisclosures(contact.guid))[0]).toMatchObject({
			policy: "consent",
			consentCode: "data",
		});

		await store.setSetting(siteId, "sendContactData", "never");
		await record();
		await allDone(3);
		expect(emulator.events()).toHaveLength(1);
		// Intercom saw one POST /events in all.
		expect(emulator.requests.filter((r) => r.path === "/events")).toHaveLength(1);
	});

	it("never sends what the log-activity webhook logged, even of an opted-in type", async () => {
		await store.setSetting(siteId, "sendContactData", "always");
		const contact = await knownContact();
		const logged = await logFromIntercom(contact.guid);
		expect(logged.activityId).toEqual(expect.any(Number));
		// A site activity after it is the sign the runner has worked the queue past the logged one.
		await store.recordActivity({
			contactGuid: contact.guid,
			siteId,
			typeCodeName: "contact_form",
			value: "Site",
		});
		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		await allDone(1);
		expect((await jobs()).map((j) => j.data.activityId)).not.toContain(logged.activityId);
		expect(emulator.events().map((e) => e.metadata.value)).toEqual(["Site"]);
	});

	it("a job that names an activity from Intercom sends nothing, even when queued by mistake (the origin guard)", async () => {
		await store.setSetting(siteId, "sendContactData", "always");
		const contact = await knownContact();
		const logged = await logFromIntercom(contact.guid);
		const activityId = logged.activityId ?? 0;
		const site = await store.recordActivity({
			contactGuid: contact.guid,
			siteId,
			typeCodeName: "contact_form",
		});
		const clients: string[] = [];
		const deps = {
			store,
			logger: createLogger({ level: "silent" }),
			endpoints: (region: Region) => emulator.endpoints(region),
			fetch: emulator.fetch,
			createClient: (input: Parameters<LinksClientFactory>[0]) => {
				clients.push(input.token);
				return createIntercomClient(input);
			},
		};
		// The job the store would never queue for it: the job itself still refuses.
		expect(await sendIntercomEvent(deps, { activityId, siteId })).toEqual({
			kind: "skipped",
			reason: "from-intercom",
		});
		expect(clients).toEqual([]);
		expect(await store.listDisclosures(contact.guid)).toEqual([]);
		// The site's own activity goes through the same function.
		expect(await sendIntercomEvent(deps, { activityId: site.id, siteId })).toMatchObject({ kind: "sent" });
		expect(emulator.events().map((e) => e.metadata.activity_id)).toEqual([site.id]);
	});

	it("retries while Intercom does not know the contact yet, and sends once it does", async () => {
		await store.setSetting(siteId, "sendContactData", "always");
		const contact = await store.createContact({ email: "new@example.com" });
		await store.recordActivity({ contactGuid: contact.guid, siteId, typeCodeName: "contact_form" });
		runner = emulatorJobRunner(store, emulator, { client: { maxRetries: 0 } });
		await runner.start();
		// A failed attempt with attempts left waits in `retry` (not `failed`, which is for good).
		await waitFor(async () => (await jobs())[0]?.state === "retry" || null, {
			deadlineMs: 20_000,
			describe: async () => `a failed first attempt; saw ${JSON.stringify(await jobs())}`,
		});
		expect(emulator.requests.some((r) => r.path === "/events" && r.status === 404)).toBe(true);
		emulator.seedContact({ role: "user", external_id: contact.guid });
		// Let the retry come now instead of after the queue's delay.
		await storeInternals(store).db.execute(
			sql`update pgboss.job set start_after = now() where name = ${INTERCOM_EVENTS_QUEUE} and state = 'retry'`,
		);
		await allDone(1);
		expect(emulator.events()).toHaveLength(1);
	});

	it("skips an activity whose type was opted out before the job ran", async () => {
		await store.setSetting(siteId, "sendContactData", "always");
		const contact = await knownContact();
		await store.recordActivity({ contactGuid: contact.guid, siteId, typeCodeName: "contact_form" });
		await store.setActivityTypeSendsToIntercom("contact_form", false);
		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		await allDone(1);
		expect(emulator.events()).toEqual([]);
	});
});
