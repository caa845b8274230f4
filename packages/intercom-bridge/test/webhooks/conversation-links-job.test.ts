/** The conversation-links job through pg-boss on PGlite and PostgreSQL, against a fake Intercom client. */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createJobRunner, type JobRunner } from "../../src/jobs/create-job-runner.ts";
import { getJobBacklog, listDeadJobs, redriveDeadJobs } from "../../src/jobs/job-backlog.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";
import { type FakeLinksClient, fakeLinksClient } from "./fake-links-client.ts";
import { mountRoutes, requestBuilder, seedSite, webhookStore } from "./webhook-testbed.ts";

interface JobRow {
	id: string;
	state: string;
	retry_count: number;
	start_after: string;
	data: { authWaits?: number };
}

describe.each([pgliteFactory, postgresFactory])("conversation-links job on $kind", (factory) => {
	let store: Store;
	let runner: JobRunner;
	let client: FakeLinksClient;
	let logActivity: (guid: string) => Promise<number>;
	let clientsMade = 0;
	const guid = randomUUID();

	// Builds the PGlite template (with pg-boss's schema) once, outside the tests' time limit.
	beforeAll(async () => {
		if (factory.kind === "pglite") await (await webhookStore(factory)).close();
	});

	beforeEach(async () => {
		store = await webhookStore(factory);
		const { site, apiKey } = await seedSite(store);
		await store.setSetting(site.id, "accessToken", "test-access-token");
		await store.setSetting(site.id, "region", "eu");
		await store.createContact({ guid });
		client = fakeLinksClient({ [guid]: { id: "ic_ada", conversations: 320 } });
		const request = await mountRoutes({
			store,
			basePath: "/intercom",
			webhooks: { dedupWindowMs: 0, linkJobMaxAttempts: 3 },
		});
		const build = requestBuilder("/intercom", apiKey);
		logActivity = async (contactGuid) => {
			const res = await request(
				build("/logactivity", { body: { ContactGuid: contactGuid, ActivityType: "pagevisit" } }),
			);
			expect(res.status).toBe(200);
			return ((await res.json()) as { activityId: number }).activityId;
		};
	});

	afterEach(async () => {
		await runner?.stop();
		await store.close();
	});

	const start = async (options: { storeTranscripts?: boolean; batchSize?: number } = {}) => {
		runner = createJobRunner({
			store,
			logger: createLogger({ level: "silent" }),
			createClient: () => {
				clientsMade++;
				return client;
			},
			retryDelaySeconds: 0,
			retryBackoff: false,
			pollingIntervalSeconds: 0.5,
			concurrency: 1,
			...options,
		});
		await runner.start();
	};
	const jobs = async (activityId: number) =>
		rowsOf<JobRow>(
			await storeInternals(store).db.execute(
				sql`select id, state, retry_count, start_after, data from pgboss.job where data->>'activityId' = ${String(activityId)} order by created_on`,
			),
		);
	// Within the default 30 s a test has, so that a failure says what it waited for.
	const until = (check: () => Promise<boolean>, deadlineMs = 25_000) =>
		waitFor(check, { deadlineMs, describe: "the job" });
	const comment = async (activityId: number) =>
		(await store.listActivities(guid)).find((a) => a.activity.id === activityId)?.activity.comment ?? null;
	const stateIs = (activityId: number, state: string) => async () =>
		(await jobs(activityId))[0]?.state === state;

	it("links every conversation of every page, on the region's app host", async () => {
		await start();
		const id = await logActivity(guid);
		await until(stateIs(id, "completed"));
		const lines = (await comment(id))?.split("\n") ?? [];
		expect(lines).toHaveLength(320);
		expect(lines[0]).toBe("https://app.eu.intercom.com/a/apps/abc123/inbox/inbox/conversation/1000");
		expect(lines[319]).toBe("https://app.eu.intercom.com/a/apps/abc123/inbox/inbox/conversation/1319");
		expect(client.calls.filter((c) => c.startsWith("conversations.search"))).toEqual([
			"conversations.search 150 after=0",
			"conversations.search 150 after=150",
			"conversations.search 150 after=300",
		]);
	});

	it("shares one client, and so its view of the rate limit, among the jobs of a workspace (O7)", async () => {
		clientsMade = 0;
		await start({ batchSize: 3 });
		const ids = await Promise.all([logActivity(guid), logActivity(guid), logActivity(guid)]);
		for (const id of ids) await until(stateIs(id, "completed"));
		expect(clientsMade).toBe(1);
		// A new token (the site reconnected) gets a client of its own.
		await store.setSetting((await store.requireSite("default")).id, "accessToken", "another-token");
		const later = await logActivity(guid);
		await until(stateIs(later, "completed"));
		expect(clientsMade).toBe(2);
	});

	it("retries after a 429 and then succeeds", async () => {
		client.failures.push(429);
		await start();
		const id = await logActivity(guid);
		await until(stateIs(id, "completed"));
		expect((await jobs(id))[0]?.retry_count).toBe(1);
		expect((await comment(id))?.split("\n")).toHaveLength(320);
	});

	it("fails only the job that failed when a worker takes several at once", async () => {
		client.failures.push(503);
		// Started first, so the jobs get the runner's retry policy (no delay); the three are logged
		// within the polling interval, so one look takes all three.
		await start({ batchSize: 3 });
		const ids = await Promise.all([logActivity(guid), logActivity(guid), logActivity(guid)]);
		for (const id of ids) await until(stateIs(id, "completed"));
		const retries = await Promise.all(ids.map(async (id) => (await jobs(id))[0]?.retry_count));
		// The first job taken met the 503 and was retried; its batch neighbours completed first time.
		expect(retries.sort()).toEqual([0, 0, 1]);
		for (const id of ids) expect((await comment(id))?.split("\n")).toHaveLength(320);
	});

	it("gives up after the configured attempts and keeps the activity", async () => {
		client.failures.push(503, 503, 503, 503);
		await start();
		const id = await logActivity(guid);
		await until(stateIs(id, "failed"));
		expect((await jobs(id))[0]?.retry_count).toBe(2);
		expect(client.calls.filter((c) => c.startsWith("conversations.search"))).toHaveLength(3);
		expect(await comment(id)).toBeNull();
		expect(await store.listActivities(guid)).toHaveLength(1);
	});

	it("shows a job out of attempts as dead with its error, and runs it again on request (O14)", async () => {
		client.failures.push(503, 503, 503);
		await start();
		const id = await logActivity(guid);
		const siteId = (await store.requireSite("default")).id;
		await until(stateIs(id, "failed"));
		expect(await getJobBacklog(store, { siteId })).toEqual({
			pending: 0,
			retrying: 0,
			waitingForToken: 0,
			active: 0,
			dead: 1,
			oldestPendingSeconds: null,
		});
		const [dead] = await listDeadJobs(store, { siteId });
		expect(dead).toMatchObject({ activityId: id, siteId, contactGuid: guid, attempts: 3 });
		expect(dead?.error).toMatch(/503/);
		expect(await getJobBacklog(store, { siteId: siteId + 1 })).toMatchObject({ dead: 0 });
		expect(await redriveDeadJobs(store, { siteId: siteId + 1 })).toBe(0); // another site's: untouched
		// Intercom is back: run it again; it gets its attempts anew and links the conversations.
		expect(await redriveDeadJobs(store, { siteId, ids: [dead?.id ?? ""] })).toBe(1);
		await until(stateIs(id, "completed"));
		expect((await comment(id))?.split("\n")).toHaveLength(320);
		expect(await getJobBacklog(store)).toMatchObject({ pending: 0, dead: 0 });
	});

	it("ends a job at once on a permanent error, dead with its reason, and a re-run gets every attempt (O5)", async () => {
		client.failures.push(404);
		await start();
		const id = await logActivity(guid);
		const siteId = (await store.requireSite("default")).id;
		await until(stateIs(id, "failed"));
		// One call, no retry: Intercom would answer the same.
		expect(client.calls.filter((c) => c.startsWith("conversations.search"))).toHaveLength(1);
		const [dead] = await listDeadJobs(store, { siteId });
		expect(dead).toMatchObject({ activityId: id, attempts: 1 });
		expect(dead?.error).toMatch(/^PermanentJobError: Permanent error \(HTTP 404\)/);
		// Run again: it has its three attempts (two 503s are retried), then links.
		client.failures.push(503, 503);
		expect(await redriveDeadJobs(store, { siteId })).toBe(1);
		await until(stateIs(id, "completed"));
		expect((await jobs(id))[0]?.retry_count).toBe(2);
		expect((await comment(id))?.split("\n")).toHaveLength(320);
	});

	it("puts the job off without spending attempts when Intercom refuses the token", async () => {
		client.failures.push("auth");
		await start();
		const id = await logActivity(guid);
		await until(async () => (await jobs(id)).length === 2);
		const [first, second] = await jobs(id);
		expect(first?.state).toBe("completed");
		expect(second).toMatchObject({ state: "created", retry_count: 0, data: { authWaits: 1 } });
		expect(new Date(second?.start_after ?? 0).getTime()).toBeGreaterThan(Date.now() + 800_000);
		expect(await getJobBacklog(store)).toMatchObject({ pending: 1, waitingForToken: 1, dead: 0 });
	});

	it("stores transcripts when asked, HTML stripped", async () => {
		client = fakeLinksClient({ [guid]: { id: "ic_ada", conversations: 2 } });
		await start({ storeTranscripts: true });
		const id = await logActivity(guid);
		await until(stateIs(id, "completed"));
		const text = (await comment(id)) ?? "";
		expect(text).toContain("2023-11-14 22:13 UTC — Ada (ada@example.com):\nHello & welcome\nagain");
		expect(text).toContain("— Support:\nHi Ada");
		expect(text).not.toContain("<");
	});

	it("notes on the activity that there are no conversations yet when the person is not in Intercom", async () => {
		await start();
		const other = randomUUID();
		await store.createContact({ guid: other });
		const id = await logActivity(other);
		await until(stateIs(id, "completed"));
		expect((await store.listActivities(other))[0]?.activity.comment).toMatch(
			/^No conversations yet: Intercom did not know this contact at \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
		);
		expect(client.calls).toContain(`contacts.search ${other}`);
	});

	it("enqueues in the caller's transaction: a rollback leaves no job", async () => {
		const queue = getJobQueue(store);
		await queue.ensure();
		await expect(
			store.transaction(async (tx) => {
				await queue.enqueueConversationLinks(
					tx,
					{ activityId: 999_999, siteId: 1, externalIds: [guid] },
					{ maxAttempts: 2 },
				);
				throw new Error("rolled back");
			}),
		).rejects.toThrow("rolled back");
		expect(await jobs(999_999)).toHaveLength(0);
	});
});
