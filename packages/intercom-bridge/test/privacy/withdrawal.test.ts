/**
 * Withdrawing the data-sharing consent (docs/reliability.md P2), on PGlite and PostgreSQL against the
 * Intercom emulator: the next render has no name or email; with the site's `onWithdrawal=delete`
 * the person is deleted in that site's workspace only, by a job queued with the withdrawal, unless
 * the contact agreed again before it ran (P1); with `stop` nothing more happens in Intercom.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIntercomBridge, type IntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import type { IntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import { connectSite, emulatorBridge, emulatorSite } from "../harness/emulator-site.ts";
import { cookieOf, pageView } from "../harness/test-bridge.ts";
import { waitFor } from "../harness/wait-for.ts";

const page = pageView;

describe.each([pgliteFactory, postgresFactory])("withdrawing the data consent on $kind", (factory) => {
	let emulator: IntercomEmulator;
	let store: Store;
	let bridge: IntercomBridge;
	let runner: JobRunner | undefined;

	/** Connects the default site (this shop), sharing data on the "data" consent. */
	const sites = (onWithdrawal: "stop" | "delete") =>
		connectSite(store, {
			identityVerificationSecret: "iv-secret-0123456789",
			sendContactData: "consent",
			sendContactDataConsent: "data",
			onWithdrawal,
		});

	beforeEach(async () => {
		({ emulator, store } = await emulatorSite(factory, {
			consents: { data: "Share my data", news: "Newsletter" },
		}));
		bridge = emulatorBridge(store, emulator);
	});

	afterEach(async () => {
		await runner?.stop();
		runner = undefined;
		await store.close();
	});

	const erasureJobs = async () =>
		rowsOf<{ state: string; data: { externalIds: string[]; withdrawal?: { siteId: number } } }>(
			await storeInternals(store).db.execute(
				sql`select state::text, data from pgboss.job where name = 'intercom-bridge-contact-erasure' order by created_on`,
			),
		);

	/** Ada, who agreed to share her data, with an old GUID merged into her, known to Intercom. */
	async function ada() {
		const first = await bridge.visit(page());
		const cookie = cookieOf(first.setCookie);
		await bridge.contacts.identify(page(cookie), { email: "ada@example.com", firstName: "Ada" });
		await bridge.consents.agree(page(cookie), "data");
		const guid = first.contact?.guid ?? "";
		const old = await store.createContact({ firstName: "Old" });
		await store.mergeContacts(old.guid, guid);
		const person = emulator.seedContact({ role: "user", external_id: guid, email: "ada@example.com" });
		return { cookie, guid, oldGuid: old.guid, person };
	}

	async function waitForJob(state: string) {
		await waitFor(async () => (await erasureJobs())[0]?.state === state, {
			deadlineMs: 25_000,
			intervalMs: 200,
			describe: async () => `the deletion job ${state}; it is ${(await erasureJobs())[0]?.state}`,
		});
	}

	it("with onWithdrawal=delete, deletes the person in the site's workspace, and stops sending data", async () => {
		const site = await sites("delete");
		const { cookie, guid, oldGuid, person } = await ada();
		expect(await bridge.messenger.script(page(cookie))).toContain("ada@example.com");

		await bridge.consents.revoke(page(cookie), "data");
		const html = await bridge.messenger.script(page(cookie));
		expect(html).not.toContain("ada@example.com");
		expect(html).toContain(guid); // the identifier is still sent; the data is not
		const [queued] = await erasureJobs();
		expect(queued?.data.externalIds.sort()).toEqual([guid, oldGuid].sort());
		expect(queued?.data.withdrawal?.siteId).toBe(site.id);
		// The contact stays here: withdrawing a consent is not erasure.
		expect((await store.getContact(guid))?.email).toBe("ada@example.com");

		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		await waitForJob("completed");
		expect(emulator.contacts().some((c) => c.id === person.id)).toBe(false);
	});

	it("skips the deletion when the contact agreed again before the job ran", async () => {
		await sites("delete");
		const { cookie, person } = await ada();
		await bridge.consents.revoke(page(cookie), "data");
		await bridge.consents.agree(page(cookie), "data");
		runner = emulatorJobRunner(store, emulator);
		await runner.start();
		await waitForJob("completed");
		expect(emulator.contacts().some((c) => c.id === person.id)).toBe(true);
		expect(emulator.requests.filter((r) => r.method === "DELETE")).toEqual([]);
	});

	it("queues nothing with onWithdrawal=stop, for another consent, or when nothing was withdrawn", async () => {
		await sites("stop");
		await getJobQueue(store).ensure(); // so that "no job" is read from the table, not its absence
		const { cookie } = await ada();
		await bridge.consents.revoke(page(cookie), "data");
		expect(await erasureJobs()).toEqual([]);

		await store.setSetting((await store.requireSite("default")).id, "onWithdrawal", "delete");
		bridge = createIntercomBridge({ store, logger: createLogger({ level: "silent" }) });
		await bridge.consents.agree(page(cookie), "news");
		await bridge.consents.revoke(page(cookie), "news");
		// Revoking what is already revoked changes nothing, so it deletes nothing either.
		await bridge.consents.revoke(page(cookie), "data");
		expect(await erasureJobs()).toEqual([]);
	});

	it("records neither the withdrawal nor the job when the job cannot be queued", async () => {
		await sites("delete");
		const { cookie, guid } = await ada();
		await getJobQueue(store).ensure(); // the queue's schema exists from here on
		// pg-boss 12 writes a queue's jobs to its table (job_common for an unpartitioned queue).
		await storeInternals(store).db.execute(sql`alter table pgboss.job_common rename to job_gone`);
		await expect(bridge.consents.revoke(page(cookie), "data")).rejects.toThrow();
		await storeInternals(store).db.execute(sql`alter table pgboss.job_gone rename to job_common`);
		expect(await store.isAgreed(guid, "data")).toBe(true);
		expect(await erasureJobs()).toEqual([]);
	});
});
