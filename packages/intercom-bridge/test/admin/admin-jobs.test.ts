/**
 * Backlog visibility and manual replay (docs/reliability.md O14): three jobs that fail for good show as
 * dead, with their reason, on the site's "Background jobs" page and in /healthz; "Run again" and
 * "Run all again" queue them again, and a worker then takes them.
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJobRunner, type JobRunner } from "../../src/jobs/create-job-runner.ts";
import { getJobBacklog } from "../../src/jobs/job-backlog.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import { createServiceApp } from "../../src/server/start-server.ts";
import type { Site } from "../../src/store/site-store.ts";
import { seedActivity } from "../harness/seed-activity.ts";
import { waitFor } from "../harness/wait-for.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

const REASON = "Intercom answered 503 four times";

let f: AdminFixture;
let site: Site;
let runner: JobRunner | undefined;
const activityIds: number[] = [];

/** Works the queue with a client that always fails, until `dead` jobs are dead. */
async function failJobs(dead: number) {
	runner = createJobRunner({
		store: f.store,
		logger: createLogger({ level: "silent" }),
		createClient: () => {
			throw new Error(REASON);
		},
		pollingIntervalSeconds: 0.5,
		retryDelaySeconds: 0,
		retryBackoff: false,
	});
	await runner.start();
	await waitFor(async () => (await getJobBacklog(f.store)).dead === dead, {
		deadlineMs: 25_000,
		intervalMs: 200,
		describe: async () => `${dead} dead jobs; the backlog is ${JSON.stringify(await getJobBacklog(f.store))}`,
	});
	await runner.stop();
	runner = undefined;
}

beforeEach(async () => {
	f = await adminFixture();
	site = await f.store.requireSite("default");
	await f.store.setSetting(site.id, "appId", "abc123");
	await f.store.setSetting(site.id, "accessToken", "test-access-token");
	await f.store.addActivityType({ codeName: "pagevisit", displayName: "Page visit" });
	const guid = randomUUID();
	await f.store.createContact({ guid });
	const queue = getJobQueue(f.store);
	await queue.ensure();
	activityIds.length = 0;
	for (let i = 0; i < 3; i++) {
		// Each activity comes with its conversation-links job (one attempt), as from the webhook.
		activityIds.push(
			await seedActivity(f.store, { contactGuid: guid, siteId: site.id, typeCodeName: "pagevisit" }),
		);
	}
});

afterEach(async () => {
	await runner?.stop();
	await f.close();
});

describe("background jobs", () => {
	it("shows waiting jobs, then dead ones with their reason, on the page and in /healthz", async () => {
		const b = browser(f.app);
		await b.signIn();
		const waiting = await (await b.get("/admin/sites/default/jobs")).text();
		expect(waiting).toContain('id="jobs-pending">3<');
		expect(waiting).toContain('id="jobs-dead">0<');
		expect(waiting).toMatch(/id="jobs-oldest">\d+ s</);

		await failJobs(3);
		const res = await b.get("/admin/sites/default/jobs");
		expect(res.status).toBe(200);
		const page = await res.text();
		expect(page).toContain('id="jobs-pending">0<');
		expect(page).toContain('id="jobs-dead">3<');
		expect(page.split(REASON)).toHaveLength(4);
		for (const id of activityIds) expect(page).toContain(`#${id} Page visit`);
		expect(page).toContain("Run all 3 again");

		const health = await createServiceApp(f.store).request("/healthz");
		expect(await health.json()).toMatchObject({
			status: "ok",
			jobs: { pending: 0, retrying: 0, active: 0, dead: 3, oldestPendingSeconds: null },
		});
	});

	it("counts jobs put off for a refused token, and says to connect the site again", async () => {
		const queue = getJobQueue(f.store);
		await f.store.transaction((tx) =>
			queue.enqueueConversationLinks(
				tx,
				{ activityId: activityIds[0] ?? 0, siteId: site.id, externalIds: [], authWaits: 2 },
				{ maxAttempts: 1 },
			),
		);
		const b = browser(f.app);
		await b.signIn();
		const page = await (await b.get("/admin/sites/default/jobs")).text();
		expect(page).toContain('id="jobs-token">1<');
		expect(page).toContain('id="jobs-pending">4<');
		expect(page).toContain("Intercom refused this site's access token, so 1 job waits");
		expect(page).toContain('href="/admin/sites/default/data-access">Connect the site again</a>');
		// /healthz reads every queue in one statement: the links backlog it reports is the page's.
		const health = await createServiceApp(f.store).request("/healthz");
		expect((await health.json()).jobs).toEqual(await getJobBacklog(f.store));
		expect(await getJobBacklog(f.store)).toMatchObject({ pending: 4, waitingForToken: 1 });
	});

	it("runs one dead job again, then all, and a worker takes them", async () => {
		await failJobs(3);
		const b = browser(f.app);
		await b.signIn();
		const page = await (await b.get("/admin/sites/default/jobs")).text();
		const jobId = /name="job" value="([0-9a-f-]{36})"/.exec(page)?.[1] ?? "";
		const csrf = await b.csrf("/admin/sites/default/jobs");

		const one = await (await b.post("/admin/sites/default/jobs/redrive", { _csrf: csrf, job: jobId })).text();
		expect(one).toContain("1 job queued again");
		// A fresh copy with all its attempts replaces the dead job.
		expect(await getJobBacklog(f.store, { siteId: site.id })).toMatchObject({
			pending: 1,
			retrying: 0,
			dead: 2,
		});
		// The same job again: it is no longer dead, so nothing happens.
		const again = await (
			await b.post("/admin/sites/default/jobs/redrive", { _csrf: csrf, job: jobId })
		).text();
		expect(again).toContain("No dead job was queued");

		const all = await (await b.post("/admin/sites/default/jobs/redrive", { _csrf: csrf, all: "1" })).text();
		expect(all).toContain("2 jobs queued again");
		expect(await getJobBacklog(f.store)).toMatchObject({ pending: 3, dead: 0 });

		// They are real jobs again: a worker takes each, and (Intercom still failing) they die again.
		await failJobs(3);
	});

	it("lets a read-only user see the jobs but not run them", async () => {
		await failJobs(3);
		await f.store.addAdminUser({ email: "reader@example.com", password: PASSWORD, role: "read" });
		const b = browser(f.app);
		await b.signIn("reader@example.com");
		const page = await (await b.get("/admin/sites/default/jobs")).text();
		expect(page).toContain('id="jobs-dead">3<');
		expect(page).not.toContain("Run again");
		expect(page).toContain("read only");
		const csrf = await b.csrf("/admin/sites/default/jobs");
		const res = await b.post("/admin/sites/default/jobs/redrive", { _csrf: csrf, all: "1" });
		expect(res.status).toBe(403);
		expect((await getJobBacklog(f.store)).dead).toBe(3);
	});

	it("answers a form without a job with a message, and ignores ids that are not jobs", async () => {
		await failJobs(3);
		const b = browser(f.app);
		await b.signIn();
		const csrf = await b.csrf("/admin/sites/default/jobs");
		expect(await (await b.post("/admin/sites/default/jobs/redrive", { _csrf: csrf })).text()).toContain(
			"Choose a job to run again",
		);
		const bogus = await b.post("/admin/sites/default/jobs/redrive", {
			_csrf: csrf,
			job: "'; drop table x; --",
		});
		expect(bogus.status).toBe(200);
		expect(await bogus.text()).toContain("No dead job was queued");
		expect((await getJobBacklog(f.store)).dead).toBe(3);
	});
});
