/**
 * Reconciliation (decision 0032) on PGlite and PostgreSQL against the emulator: each kind of
 * difference is found; and after a sync through the job runner with 429s, 5xx, timeouts and
 * search lag injected, there are none and Intercom holds no duplicate.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIntercomClient } from "../../src/intercom/create-intercom-client.ts";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { reconcileContacts } from "../../src/sync/reconcile-contacts.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { TOKEN } from "../faults/fault-env.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import { waitFor } from "../harness/wait-for.ts";

/** Retries wait at most 50 ms here (Intercom's Retry-After would make the test slow). */
const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 50)));

describe.each([pgliteFactory, postgresFactory])("contact reconciliation on $kind", (factory) => {
	let emulator: ReturnType<typeof createIntercomEmulator>;
	let store: Store;
	let runner: JobRunner | undefined;

	async function syncingSite(settings: Record<string, string> = {}) {
		const site = await store.requireSite("default");
		const all = {
			enabled: "true",
			sendContactData: "always",
			accessToken: TOKEN,
			syncContacts: "true",
			...settings,
		};
		for (const [k, v] of Object.entries(all)) await store.setSetting(site.id, k, v);
		await getJobQueue(store).ensure();
		return site;
	}
	const client = (fetch: typeof globalThis.fetch = emulator.fetch) =>
		createIntercomClient({
			token: TOKEN,
			endpoints: emulator.endpoints(),
			logger: createLogger({ level: "silent" }),
			fetch,
			maxRetries: 6,
			sleep: quickSleep,
			timeoutMs: 5_000,
		});

	beforeEach(async () => {
		emulator = createIntercomEmulator({ tokens: [TOKEN], searchIndexDelayMs: 300 });
		store = await factory.ready();
	});
	afterEach(async () => {
		await runner?.stop();
		runner = undefined;
		await store.close();
	});

	it("finds missing, mismatched, unexpected and duplicated contacts", async () => {
		const site = await syncingSite();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const grace = await store.createContact({ email: "grace@example.com", firstName: "Grace" });
		const anon = await store.createContact({});
		const ok = await store.createContact({ email: "ok@example.com", firstName: "Ok" });
		emulator.seedContact({ role: "user", external_id: ada.guid, email: "ada@example.com", name: "Old Name" });
		emulator.seedContact({ role: "user", external_id: anon.guid, email: "x@example.com" });
		const stranger = emulator.seedContact({ role: "user", external_id: "not-ours", email: "s@example.com" });
		const okThere = emulator.seedContact({
			role: "user",
			external_id: ok.guid,
			email: "ok@example.com",
			name: "Ok",
		});
		// The emulator refuses a second person with one external_id, as Intercom mostly does; a
		// search answer that repeats one with another id stands in for the duplicate Intercom can hold.
		const dupFetch: typeof fetch = async (input, init) => {
			const res = await emulator.fetch(input, init);
			if (!String(input instanceof Request ? input.url : input).endsWith("/contacts/search")) return res;
			const body = (await res.json()) as { data: Array<{ id: string; external_id: string }> };
			const twin = body.data.find((c) => c.id === okThere.id);
			if (twin) body.data.push({ ...twin, id: "twin-of-ok" });
			return Response.json(body, { status: res.status });
		};
		const report = await reconcileContacts({ store, siteId: site.id, client: client(dupFetch), perPage: 2 });
		expect(report.missing).toEqual([grace.guid]);
		expect(report.mismatched).toEqual([
			expect.objectContaining({ guid: ada.guid, field: "name", local: "Ada", intercom: "Old Name" }),
		]);
		expect(report.unexpected).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ externalId: anon.guid, reason: "not-eligible" }),
				{ externalId: "not-ours", intercomId: stranger.id, reason: "unknown" },
			]),
		);
		expect(report.unexpected).toHaveLength(2);
		expect(report.duplicates).toEqual([
			{ key: "external_id", value: ok.guid, intercomIds: [okThere.id, "twin-of-ok"] },
			{ key: "email", value: "ok@example.com", intercomIds: [okThere.id, "twin-of-ok"] },
		]);
		expect(report.differences).toBe(6);

		// The policy never: every synced person there is unexpected, nothing is missing.
		await store.setSetting(site.id, "sendContactData", "never");
		const never = await reconcileContacts({ store, siteId: site.id, client: client() });
		expect(never.missing).toEqual([]);
		expect(never.unexpected).toHaveLength(4);
	}, 30_000);

	it("after a sync through 429s, 5xx, timeouts and search lag: no difference, no duplicate", async () => {
		const site = await syncingSite();
		emulator.inject({ kind: "rate_limit", path: "/contacts", times: 3 });
		emulator.inject({ kind: "status", status: 503, path: "/contacts", times: 3 });
		emulator.inject({ kind: "status", status: 500, path: "/contacts", times: 2 });
		emulator.inject({ kind: "timeout", ms: 200, path: "/contacts", times: 2 });
		// A job whose create met a fault (a create is never retried in the call) is run again by
		// pg-boss; one second instead of the 30-second default keeps the test short.
		runner = emulatorJobRunner(store, emulator, {
			retryDelaySeconds: 1,
			retryBackoff: false,
			client: { maxRetries: 6, sleep: quickSleep, timeoutMs: 5_000 },
		});
		await runner.start();
		// Queued after the runner set the queue's retry delay: pg-boss copies it into each job.
		const guids: string[] = [];
		for (let i = 0; i < 8; i++)
			guids.push((await store.createContact({ email: `p${i}@example.com`, firstName: `P${i}` })).guid);
		await waitFor(
			async () => (await store.contactSyncBacklog()).pending === 0 && emulator.contacts().length >= 8,
			{
				deadlineMs: 80_000,
				intervalMs: 200,
				describe: async () =>
					`8 contacts in Intercom (${emulator.contacts().length}); backlog ${JSON.stringify(await store.contactSyncBacklog())}`,
			},
		);
		const faulted = emulator.requests.filter((r) => r.status === 429 || r.status >= 500 || r.status === 408);
		expect(faulted.length).toBeGreaterThan(0);
		// Search lags behind writes: reconcile once the index caught up, then faults on search too.
		await waitFor(
			async () =>
				(await reconcileContacts({ store, siteId: site.id, client: client() })).missing.length === 0,
			{
				deadlineMs: 10_000,
				intervalMs: 100,
				describe: () => "search sees every synced contact",
			},
		);
		emulator.inject({ kind: "status", status: 502, path: "/contacts/search", times: 1 });
		emulator.inject({ kind: "rate_limit", path: "/contacts/search", times: 1 });
		const report = await reconcileContacts({ store, siteId: site.id, client: client(), perPage: 3 });
		expect(report).toMatchObject({ eligible: 8, intercomUsers: 8, differences: 0 });
		const ids = emulator.contacts().map((c) => c.external_id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(guids.sort());
	}, 120_000);
});
