import { describe, expect, it } from "vitest";
import {
	createStatementBatcher,
	createStatementSlots,
	RUN_AGAIN,
	type StatementBatcherOptions,
} from "./statement-batcher.ts";

/** A batcher over numbers whose statements finish when the test says so. */
function harness(overrides: Partial<StatementBatcherOptions<number, string>> = {}) {
	const calls: Array<{ kind: "one" | "batch"; items: number[] }> = [];
	const pending: Array<() => void> = [];
	const gate = () => new Promise<void>((resolve) => pending.push(resolve));
	const batcher = createStatementBatcher<number, string>({
		async runOne(item) {
			calls.push({ kind: "one", items: [item] });
			await gate();
			return `one:${item}`;
		},
		async runBatch(items) {
			calls.push({ kind: "batch", items: [...items] });
			await gate();
			return items.map((i) => `batch:${i}`);
		},
		failsAll: (err) => err instanceof Error && err.message === "gone",
		maxBatch: 3,
		maxInFlight: 1,
		...overrides,
	});
	const releaseAll = async () => {
		for (let rounds = 0; rounds < 20 && pending.length > 0; rounds++) {
			for (const release of pending.splice(0)) release();
			await new Promise((r) => setTimeout(r, 0));
		}
	};
	return { batcher, calls, releaseAll };
}

describe("createStatementBatcher", () => {
	it("runs a lone request at once and alone", async () => {
		const { batcher, calls, releaseAll } = harness();
		const result = batcher.run(1);
		expect(calls).toEqual([{ kind: "one", items: [1] }]);
		await releaseAll();
		expect(await result).toBe("one:1");
	});

	it("puts requests that wait for a statement into the next one, at most maxBatch at a time", async () => {
		const { batcher, calls, releaseAll } = harness();
		const results = [1, 2, 3, 4, 5, 6].map((i) => batcher.run(i));
		expect(batcher.waiting).toBe(5);
		await releaseAll();
		expect(await Promise.all(results)).toEqual([
			"one:1",
			"batch:2",
			"batch:3",
			"batch:4",
			"batch:5",
			"batch:6",
		]);
		expect(calls).toEqual([
			{ kind: "one", items: [1] },
			{ kind: "batch", items: [2, 3, 4] },
			{ kind: "batch", items: [5, 6] },
		]);
	});

	it("runs up to maxInFlight statements side by side", async () => {
		const { batcher, calls, releaseAll } = harness({ maxInFlight: 2 });
		const results = [1, 2, 3].map((i) => batcher.run(i));
		expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
		await releaseAll();
		expect(await Promise.all(results)).toEqual(["one:1", "one:2", "one:3"]);
	});

	it("runs an item the batch gave back in the next statement, first in line", async () => {
		const calls: number[][] = [];
		let first = true;
		const batcher = createStatementBatcher<number, string>({
			runOne: async (i) => `one:${i}`,
			async runBatch(items) {
				calls.push([...items]);
				if (first) {
					first = false;
					return items.map((i) => (i === 3 ? RUN_AGAIN : `batch:${i}`));
				}
				return items.map((i) => `batch:${i}`);
			},
			failsAll: () => false,
			maxBatch: 10,
			maxInFlight: 1,
		});
		const blocker = batcher.run(0); // occupies the one slot, so the next ones wait together
		const results = [1, 2, 3, 4].map((i) => batcher.run(i));
		expect(await blocker).toBe("one:0");
		// 3 was given back, and ran next (alone: nothing else was waiting).
		expect(await Promise.all(results)).toEqual(["batch:1", "batch:2", "one:3", "batch:4"]);
		expect(calls).toEqual([[1, 2, 3, 4]]);
	});

	it("with gatherInput, starts a statement after the event loop's turn, with all that came in meanwhile", async () => {
		// A statement that finishes in the same turn, as PGlite's (synchronous in this thread) do.
		const calls: number[][] = [];
		const batcher = createStatementBatcher<number, string>({
			runOne: async (i) => {
				calls.push([i]);
				return `one:${i}`;
			},
			runBatch: async (items) => {
				calls.push([...items]);
				return items.map((i) => `batch:${i}`);
			},
			failsAll: () => false,
			maxBatch: 3,
			maxInFlight: 1,
			gatherInput: true,
		});
		const first = batcher.run(1);
		// Input that arrives in the same turn (other sockets' requests) waits for the same statement.
		await Promise.resolve();
		const rest = [2, 3, 4].map((i) => batcher.run(i));
		expect(calls).toEqual([]);
		expect(await Promise.all([first, ...rest])).toEqual(["batch:1", "batch:2", "batch:3", "one:4"]);
		expect(calls).toEqual([[1, 2, 3], [4]]);
		// Alone, an item still runs on the next turn, as a statement of one.
		expect(await batcher.run(5)).toBe("one:5");
	});

	it("runs each item alone when a batch fails for one item's sake, so only that item fails", async () => {
		const alone: number[] = [];
		const batcher = createStatementBatcher<number, string>({
			async runOne(i) {
				alone.push(i);
				if (i === 2) throw new Error("conflict for 2");
				return `one:${i}`;
			},
			runBatch: async () => {
				throw new Error("conflict in the batch");
			},
			failsAll: () => false,
			maxBatch: 10,
			maxInFlight: 1,
		});
		const results = [0, 1, 2, 3].map((i) => batcher.run(i).catch((err: Error) => err.message));
		expect(await Promise.all(results)).toEqual(["one:0", "one:1", "conflict for 2", "one:3"]);
		expect(alone.sort()).toEqual([0, 1, 2, 3]);
	});

	it("fails every item of a batch with an error each would meet alone (the database is gone)", async () => {
		let alone = 0;
		const batcher = createStatementBatcher<number, string>({
			runOne: async (i) => {
				alone++;
				return `one:${i}`;
			},
			runBatch: async () => {
				throw new Error("gone");
			},
			failsAll: (err) => (err as Error).message === "gone",
			maxBatch: 10,
			maxInFlight: 1,
		});
		const results = [0, 1, 2].map((i) => batcher.run(i).catch((err: Error) => err.message));
		expect(await Promise.all(results)).toEqual(["one:0", "gone", "gone"]);
		expect(alone).toBe(1);
	});

	it("treats a batch that gives the wrong number of outcomes as failed, and runs its items alone", async () => {
		const batcher = createStatementBatcher<number, string>({
			runOne: async (i) => `one:${i}`,
			runBatch: async () => ["only one"],
			failsAll: () => false,
			maxBatch: 10,
			maxInFlight: 1,
		});
		const results = [0, 1, 2].map((i) => batcher.run(i));
		expect(await Promise.all(results)).toEqual(["one:0", "one:1", "one:2"]);
	});
});

describe("runOne by default", () => {
	it("runs a lone item as a batch of one, and refuses a batch of one that gives it back", async () => {
		const seen: number[][] = [];
		const batcher = createStatementBatcher<number, string>({
			async runBatch(items) {
				seen.push([...items]);
				return items.map((i) => (i < 0 ? RUN_AGAIN : `batch:${i}`));
			},
			failsAll: () => false,
			maxBatch: 10,
			maxInFlight: 1,
		});
		expect(await batcher.run(7)).toBe("batch:7");
		await expect(batcher.run(-1)).rejects.toThrow(/a batch of one gave 1 outcomes/);
		expect(seen).toEqual([[7], [-1]]);
	});
});

describe("shared statement slots", () => {
	it("keeps several batchers together within the slots, and lets each take its turn", async () => {
		const slots = createStatementSlots(1);
		const order: string[] = [];
		const make = (name: string) =>
			createStatementBatcher<number, string>({
				async runOne(i) {
					order.push(`${name}${i}`);
					await new Promise((r) => setTimeout(r, 5));
					return `${name}${i}`;
				},
				async runBatch(items) {
					order.push(`${name}[${items.join(",")}]`);
					await new Promise((r) => setTimeout(r, 5));
					return items.map((i) => `${name}${i}`);
				},
				failsAll: () => false,
				maxBatch: 10,
				maxInFlight: slots,
			});
		const [a, b] = [make("a"), make("b")];
		const results = [a.run(1), a.run(2), a.run(3), b.run(1), b.run(2)];
		expect(slots.inUse).toBe(1);
		expect(await Promise.all(results)).toEqual(["a1", "a2", "a3", "b1", "b2"]);
		// a1 ran alone; then b's waiting requests went before a's next batch.
		expect(order).toEqual(["a1", "b[1,2]", "a[2,3]"]);
		expect(slots.inUse).toBe(0);
	});
});
