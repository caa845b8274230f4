/**
 * Intercom answering 429, 5xx and timing out: every activity is stored and acknowledged at once
 * (no Intercom call in the request), and the links are filled in once Intercom recovers
 * (docs/reliability.md W10, O5, X3 d).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import type { Store } from "../../src/store/create-store.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import { APP_ID, mountRoutes, type RequestFn, seedSite, webhookStore } from "../webhooks/webhook-testbed.ts";
import { HOOK_TIMEOUT_MS, TOKEN } from "./fault-env.ts";
import { activityJobs, waitForLinks } from "./jobs-state.ts";

const ACTIVITIES = 12;

describe("Intercom failing while activities arrive", () => {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: APP_ID }] });
	let store: Store;
	let runner: JobRunner;
	let send: RequestFn;
	let apiKey: string;

	beforeAll(async () => {
		store = await webhookStore(pgliteFactory);
		const seeded = await seedSite(store);
		apiKey = seeded.apiKey;
		await store.setSetting(seeded.site.id, "accessToken", TOKEN);
		send = await mountRoutes({ store, basePath: "/intercom", webhooks: {} });
		// Short deadlines and few client retries, so the faults reach the job's own retries quickly.
		runner = emulatorJobRunner(store, emulator, {
			client: { timeoutMs: 300, maxRetries: 1 },
			retryDelaySeconds: 1,
			retryBackoff: false,
		});
		// Before any job is queued: a job takes its retry policy from the queue when it is inserted.
		await runner.start();
	}, HOOK_TIMEOUT_MS);

	afterAll(async () => {
		await runner?.stop();
		await store?.close();
	}, HOOK_TIMEOUT_MS);

	it("stores every activity at once and fills the links after recovery", async () => {
		emulator.inject({ kind: "status", status: 429, times: 6 });
		emulator.inject({ kind: "status", status: 503, times: 6 });
		emulator.inject({ kind: "status", status: 500, times: 4 });
		emulator.inject({ kind: "timeout", ms: 1000, times: 4 });
		const guids: string[] = [];
		for (let i = 0; i < ACTIVITIES; i++) {
			const contact = await store.createContact();
			emulator.seedContact({ role: "user", external_id: contact.guid });
			emulator.seedConversations(contact.guid, 2);
			guids.push(contact.guid);
		}
		const statuses = await Promise.all(
			guids.map(async (guid, i) => {
				const res = await send(
					new Request("http://shop.example.com/intercom/logactivity", {
						method: "POST",
						headers: { "content-type": "application/json", "x-api-key": apiKey },
						body: JSON.stringify({ ContactGUID: guid, ActivityType: "pagevisit", ActivityValue: `p${i}` }),
					}),
				);
				return res.status;
			}),
		);
		expect(statuses).toEqual(guids.map(() => 200));
		// Every activity is stored with its one job when the answer goes out, whatever Intercom does.
		const stored = await activityJobs(store);
		expect(stored.activities).toHaveLength(ACTIVITIES);
		expect(stored.activities.every((a) => a.states?.length === 1)).toBe(true);
		await waitForLinks(store, 120_000);
		const failures = emulator.requests.filter((r) => r.status === 429 || r.status >= 500 || r.status === 408);
		const retried = (await activityJobs(store)).activities.filter((a) => a.retries > 0).length;
		console.info("intercom faults:", JSON.stringify({ failures: failures.length, retriedJobs: retried }));
		expect(failures.length).toBeGreaterThanOrEqual(16);
		// What the runner counted (for /healthz) is what the emulator answered.
		const calls = runner.intercomCalls();
		expect(calls).toMatchObject({ rateLimited: 6, serverErrors: 10, unauthorized: 0 });
		expect(calls.requests).toBe(emulator.requests.length);
		for (const a of (await activityJobs(store)).activities) expect(a.comment?.split("\n")).toHaveLength(2);
	}, 240_000);
});
