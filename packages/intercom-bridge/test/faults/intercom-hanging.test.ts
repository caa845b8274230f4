/**
 * Webhooks are answered from the database alone while Intercom hangs and the job runner is busy
 * waiting for it, on PGlite, whose single connection would serialise everything if a job held it
 * across an Intercom call (docs/reliability.md W10, O9). Not a timing test: the proof is the order of
 * events. Every webhook is answered before Intercom has answered anything, while jobs are running.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobRunner } from "../../src/jobs/create-job-runner.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { emulatorJobRunner } from "../harness/emulator-job-runner.ts";
import { waitFor } from "../harness/wait-for.ts";
import {
	APP_ID,
	mountRoutes,
	type RequestFn,
	requestBuilder,
	seedSite,
	webhookStore,
} from "../webhooks/webhook-testbed.ts";
import { HOOK_TIMEOUT_MS, TOKEN } from "./fault-env.ts";

/**
 * How long every Intercom call hangs: far longer than the webhooks below take on any machine (they
 * stop two waves after a job was seen waiting on Intercom).
 */
const HANG_MS = 30_000;

describe("Intercom hanging while webhooks arrive", () => {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: APP_ID }] });
	let store: Store;
	let runner: JobRunner;
	let send: RequestFn;
	let build: ReturnType<typeof requestBuilder>;

	beforeAll(async () => {
		store = await webhookStore(pgliteFactory);
		const { site, apiKey } = await seedSite(store);
		await store.setSetting(site.id, "accessToken", TOKEN);
		send = await mountRoutes({ store, basePath: "/intercom", webhooks: { dedupWindowMs: 0 } });
		build = requestBuilder("/intercom", apiKey);
		runner = emulatorJobRunner(store, emulator, { concurrency: 4, client: { timeoutMs: HANG_MS * 2 } });
		await runner.start();
	}, HOOK_TIMEOUT_MS);

	afterAll(async () => {
		await runner?.stop();
		await store?.close();
	}, HOOK_TIMEOUT_MS);

	it("answers every webhook before Intercom answers anything, with jobs waiting on it meanwhile", async () => {
		emulator.inject({ kind: "latency", ms: HANG_MS, times: 1000 });
		const contacts = await Promise.all(Array.from({ length: 20 }, () => store.createContact()));
		const jobsActive = async () =>
			rowsOf<{ n: number }>(
				await storeInternals(store).db.execute(
					sql`select count(*)::int as n from pgboss.job where name = 'intercom-bridge-conversation-links' and state = 'active'`,
				),
			)[0]?.n ?? 0;
		const statuses: number[] = [];
		let busyDuringLoad = 0;
		let wave = 0;
		let busyFrom: number | undefined;
		// In waves: the first activities' jobs are taken (and hang on Intercom) while later ones
		// arrive. Waves go on until jobs were seen waiting on Intercom, and two more after that.
		await waitFor(
			async () => {
				const answers = await Promise.all(
					contacts.slice(0, 10).map((contact, i) =>
						send(
							build("/logactivity", {
								body: {
									ContactGUID: contact.guid,
									ActivityType: "pagevisit",
									ActivityValue: `w${wave}-${i}`,
								},
							}),
						),
					),
				);
				statuses.push(...answers.map((r) => r.status));
				wave++;
				busyDuringLoad = Math.max(busyDuringLoad, await jobsActive());
				if (busyDuringLoad > 0) busyFrom ??= wave;
				return busyFrom !== undefined && wave >= Math.max(6, busyFrom + 2);
			},
			{
				deadlineMs: 90_000,
				intervalMs: 250,
				describe: () => `links jobs running while webhooks arrive; ${wave} waves sent, none saw one running`,
			},
		);
		const answeredAt = Date.now();
		expect(statuses).toEqual(statuses.map(() => 200));
		// Jobs were running, each waiting on Intercom, while the webhooks went through.
		expect(busyDuringLoad).toBeGreaterThan(0);
		// Intercom had not answered one call when the last webhook was answered.
		const firstIntercomAnswer = Math.min(...emulator.requests.filter((r) => r.path !== "/").map((r) => r.at));
		expect(firstIntercomAnswer === Number.POSITIVE_INFINITY || firstIntercomAnswer > answeredAt).toBe(true);
	}, 180_000);
});
