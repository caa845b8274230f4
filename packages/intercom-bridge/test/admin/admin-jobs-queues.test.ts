/**
 * The contact-sync and Intercom-event queues on the "Background jobs" page and in /healthz, like the
 * links and erasure queues: a sync and an event Intercom refuses for good show as failed, with the
 * error; "Run again" queues them again and a worker then sends them. Every client the runner builds
 * for these jobs is on the workspace's shared rate budget (decision 0024, keyed by the app id) and
 * calls at priority `live`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IntercomApiError } from "../../src/errors.ts";
import { createIntercomClient } from "../../src/intercom/create-intercom-client.ts";
import type { CallPriority } from "../../src/intercom/rate-budget.ts";
import type { LinksClient, LinksClientFactory } from "../../src/jobs/conversation-links-job.ts";
import { createJobRunner, type JobRunner } from "../../src/jobs/create-job-runner.ts";
import { getContactSyncBacklog, getIntercomEventsBacklog } from "../../src/jobs/job-backlog.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import { createServiceApp } from "../../src/server/start-server.ts";
import type { Site } from "../../src/store/site-store.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { waitFor } from "../harness/wait-for.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

const TOKEN = "test-access-token";
const REFUSAL = "Intercom answered 400: email is invalid";

let f: AdminFixture;
let site: Site;
let other: Site;
let runner: JobRunner | undefined;
let guid: string;

function startRunner(createClient: LinksClientFactory) {
	runner = createJobRunner({
		store: f.store,
		logger: createLogger({ level: "silent" }),
		createClient,
		pollingIntervalSeconds: 0.5,
		retryDelaySeconds: 0,
		retryBackoff: false,
	});
	return runner.start();
}

async function stopRunner() {
	await runner?.stop();
	runner = undefined;
}

const refused = () => new IntercomApiError(REFUSAL, { httpStatus: 400, intercomCode: "parameter_invalid" });

/** A client whose contact upsert and event create Intercom refuses for good. */
const refusingClient = (): LinksClient =>
	({
		contacts: {
			upsertByExternalId: async () => {
				throw refused();
			},
		},
		events: {
			create: async () => {
				throw refused();
			},
		},
	}) as unknown as LinksClient;

const both = async () => ({
	sync: await getContactSyncBacklog(f.store),
	events: await getIntercomEventsBacklog(f.store, { siteId: site.id }),
});

beforeEach(async () => {
	f = await adminFixture();
	site = await f.store.requireSite("default");
	other = await f.store.createSite({ codeName: "shopb", displayName: "Shop B" });
	for (const [k, v] of Object.entries({
		appId: "abc123",
		accessToken: TOKEN,
		sendContactData: "always",
		syncContacts: "true",
	}))
		await f.store.setSetting(site.id, k, v);
	await f.store.addActivityType({ codeName: "contact_form", displayName: "Contact form" });
	await f.store.setActivityTypeSendsToIntercom("contact_form", true);
	await getJobQueue(f.store).ensure();
	// One change of a contact (a sync job) and one activity of a type sent to Intercom (an event job).
	guid = (await f.store.createContact({ email: "ada@example.com", firstName: "Ada" })).guid;
	await f.store.recordActivity({ contactGuid: guid, siteId: site.id, typeCodeName: "contact_form" });
});

afterEach(async () => {
	await stopRunner();
	await f.close();
});

describe("contact sync and Intercom events on the jobs page and /healthz", () => {
	it("shows failed syncs and events with their error, runs them again, and a worker sends them on the shared budget at priority live", async () => {
		const b = browser(f.app);
		await b.signIn();
		const waiting = await (await b.get("/admin/sites/default/jobs")).text();
		expect(waiting).toContain('id="sync-pending">1<');
		expect(waiting).toContain('id="events-pending">1<');

		await startRunner(() => refusingClient());
		await waitFor(
			async () => {
				const { sync, events } = await both();
				return sync.dead === 1 && events.dead === 1;
			},
			{
				deadlineMs: 25_000,
				intervalMs: 200,
				describe: async () => `one failed of each; saw ${JSON.stringify(await both())}`,
			},
		);
		await stopRunner();

		const page = await (await b.get("/admin/sites/default/jobs")).text();
		expect(page).toContain('id="sync-dead">1<');
		expect(page).toContain('id="events-dead">1<');
		expect(page.split(REFUSAL).length - 1).toBe(2);
		// Another site's page does not count this site's events.
		const otherPage = await (await b.get(`/admin/sites/${other.codeName}/jobs`)).text();
		expect(otherPage).not.toContain('id="events-dead">1<');

		const health = await createServiceApp(f.store).request("/healthz");
		expect(await health.json()).toMatchObject({
			status: "ok",
			contactSync: { pending: 0, dead: 1 },
			intercomEvents: { pending: 0, dead: 1 },
		});

		const csrf = await b.csrf("/admin/sites/default/jobs");
		const events = await (await b.post("/admin/sites/default/jobs/events-redrive", { _csrf: csrf })).text();
		expect(events).toContain("1 Intercom event queued again.");
		const syncs = await (await b.post("/admin/sites/default/jobs/sync-redrive", { _csrf: csrf })).text();
		expect(syncs).toContain("1 contact sync queued again.");
		expect(await both()).toMatchObject({ sync: { pending: 1, dead: 0 }, events: { pending: 1, dead: 0 } });

		// Now Intercom takes them: the runner's clients are on the shared budget, at priority live.
		const emulator = createIntercomEmulator({ tokens: [TOKEN] });
		emulator.seedContact({ role: "user", external_id: guid, email: "ada@example.com" });
		const built: Array<{ appId: string | null | undefined; budget: boolean }> = [];
		const priorities: CallPriority[] = [];
		await startRunner((input) => {
			built.push({ appId: input.appId, budget: input.rateBudget !== undefined });
			const budget = input.rateBudget;
			return createIntercomClient({
				...input,
				endpoints: emulator.endpoints(input.region),
				fetch: emulator.fetch,
				...(budget && {
					rateBudget: {
						...budget,
						take: (priority: CallPriority) => {
							priorities.push(priority);
							return budget.take(priority);
						},
					},
				}),
			});
		});
		await waitFor(
			async () => {
				const { sync, events } = await both();
				return sync.pending + sync.dead + events.pending + events.dead === 0;
			},
			{
				deadlineMs: 25_000,
				intervalMs: 200,
				describe: async () => `all sent; saw ${JSON.stringify(await both())}`,
			},
		);
		expect(emulator.events().map((e) => e.eventName)).toEqual(["contact-form"]);
		expect(emulator.contacts()[0]).toMatchObject({ name: "Ada", email: "ada@example.com" });
		expect(built.length).toBeGreaterThan(0);
		expect(built.every((c) => c.budget && c.appId === "abc123")).toBe(true);
		expect(priorities.length).toBeGreaterThanOrEqual(2);
		expect(new Set(priorities)).toEqual(new Set(["live"]));
	});

	it("refuses to run failed jobs again for a read-only user", async () => {
		await f.store.addAdminUser({ email: "reader@example.com", password: PASSWORD, role: "read" });
		const b = browser(f.app);
		await b.signIn("reader@example.com");
		const csrf = await b.csrf("/admin/sites/default/jobs");
		const res = await b.post("/admin/sites/default/jobs/events-redrive", { _csrf: csrf });
		expect(res.status).toBe(403);
	});
});
