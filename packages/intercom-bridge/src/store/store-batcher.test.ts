import { describe, expect, it } from "vitest";
import { batchConcurrency, storeBatcher } from "./store-batcher.ts";

describe("storeBatcher", () => {
	it("gives webhook statements two slots on PostgreSQL (never more than half the pool), and one on PGlite", () => {
		expect(batchConcurrency({ kind: "postgres", client: { options: { max: 10 } } })).toBe(2);
		expect(batchConcurrency({ kind: "postgres", client: { options: { max: 3 } } })).toBe(1);
		expect(batchConcurrency({ kind: "postgres", client: { options: { max: 1 } } })).toBe(1);
		expect(batchConcurrency({ kind: "postgres", client: {} })).toBe(2);
		expect(batchConcurrency({ kind: "pglite", client: {} })).toBe(1);
	});

	it("keeps one batcher per store and key, and all of a store's batchers within its slots", async () => {
		const store = { kind: "postgres" as const, client: { options: { max: 2 } } };
		let running = 0;
		let most = 0;
		const options = () => ({
			async runOne(i: number) {
				running++;
				most = Math.max(most, running);
				await new Promise((r) => setTimeout(r, 5));
				running--;
				return i;
			},
			runBatch: async (items: readonly number[]) => items.map((i) => i),
			failsAll: () => false,
		});
		const a = storeBatcher(store, "a", options);
		expect(storeBatcher(store, "a", options)).toBe(a);
		const b = storeBatcher(store, "b", options);
		expect(b).not.toBe(a);
		// One slot (half of 2): a's and b's lone requests run one after the other.
		expect(await Promise.all([a.run(1), b.run(2)])).toEqual([1, 2]);
		expect(most).toBe(1);
	});
});
