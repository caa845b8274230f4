/**
 * Two instances (two stores on one PostgreSQL database, or two clients on one PGlite store) share
 * one workspace's rate budget against the emulator with a small limit: every call completes, the
 * emulator answers (almost) no 429, and a live call still gets through while bulk work saturates
 * the limit (decision 0024).
 *
 * Everything runs on one clock five times faster than real time (store, emulator, clients), so a
 * 10-second window lasts two real seconds; nothing asserts a duration.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createIntercomClient, type IntercomClient } from "../../src/intercom/create-intercom-client.ts";
import { createSharedRateBudget, rateBudgetKey } from "../../src/intercom/rate-budget.ts";
import type { Store } from "../../src/store/create-store.ts";
import { createIntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory, postgresFactory, type StoreFactory } from "../harness/databases.ts";

const TOKEN = "tok_shared_budget";
const LIMIT = 20; // calls per 10-second window
const SPEED = 5;

function fastClock() {
	const start = Date.now();
	return {
		now: () => start + (Date.now() - start) * SPEED,
		sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / SPEED)),
	};
}

const open: Store[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map((s) => s.close()));
});

async function twoInstances(factory: StoreFactory, now: () => number): Promise<[Store, Store]> {
	const a = await factory.ready({ now });
	open.push(a);
	const b = await factory.second(a, { now });
	if (b) open.push(b);
	return [a, b ?? a];
}

/** Runs `count` calls with `concurrency` at a time. */
async function pool(count: number, concurrency: number, call: () => Promise<unknown>): Promise<number> {
	let started = 0;
	let done = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (started < count) {
				started++;
				await call();
				done++;
			}
		}),
	);
	return done;
}

for (const factory of [postgresFactory, pgliteFactory]) {
	describe(`a rate budget shared on ${factory.kind}`, () => {
		it("keeps two instances under the limit, completes every call and lets a live call through", async () => {
			const clock = fastClock();
			const emulator = createIntercomEmulator({ tokens: [TOKEN], rateLimitPer10s: LIMIT, now: clock.now });
			const [storeA, storeB] = await twoInstances(factory, clock.now);
			const key = rateBudgetKey({ appId: "emulator", region: "us", token: TOKEN });
			const client = (store: Store): IntercomClient =>
				createIntercomClient({
					token: TOKEN,
					endpoints: emulator.endpoints(),
					fetch: emulator.fetch,
					...clock,
					rateBudget: createSharedRateBudget({ store, key }),
				});
			const a = client(storeA);
			const b = client(storeB);
			const perInstance = 2 * LIMIT;
			const bulk = Promise.all([
				pool(perInstance, 6, () => a.withCallOptions({ priority: "bulk" }).me()),
				pool(perInstance, 6, () => b.withCallOptions({ priority: "bulk" }).me()),
			]);
			// A live call once the bulk work has filled a window: it still goes through.
			const live = (async () => {
				const first = emulator.requests.length;
				while (emulator.requests.length < first + LIMIT) await clock.sleep(100);
				return b.me();
			})();
			const [done, me] = await Promise.all([bulk, live]);
			expect(done).toEqual([perInstance, perInstance]);
			expect(me.app?.id_code).toBeTruthy();
			const answered = emulator.requests.filter((r) => r.path === "/me");
			const refused = answered.filter((r) => r.status === 429).length;
			expect(answered.length - refused).toBe(2 * perInstance + 1);
			// Calls near a window's end may reach the emulator in the next one; the reserve absorbs them.
			expect(refused).toBeLessThanOrEqual(1);
		});
	});
}
