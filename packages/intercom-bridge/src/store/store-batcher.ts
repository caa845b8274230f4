/**
 * One {@link StatementBatcher} per store and statement kind; all of a store's batchers share its
 * statement slots: {@link WEBHOOK_STATEMENT_SLOTS} on PostgreSQL (never more than half the pool, so
 * the rest stays free for page views, the admin and the job runner), one on PGlite (a single
 * connection that runs one statement at a time anyway). On PGlite a statement starts only after
 * the event loop's turn (`gatherInput`): its statements run synchronously in this thread, so
 * otherwise no request could ever wait for one and every batch would be of one
 * (docs/decisions/0039-pglite-batches-gather-a-turn.md).
 */
import type { Database } from "./database.ts";
import {
	createStatementBatcher,
	createStatementSlots,
	type StatementBatcher,
	type StatementBatcherOptions,
	type StatementSlots,
} from "./statement-batcher.ts";

/** Most requests in one statement: enough to amortise a round trip, small enough for the planner. */
export const MAX_BATCH = 16;

const batchers = new WeakMap<
	object,
	{ slots: StatementSlots; byKey: Map<string, StatementBatcher<unknown, unknown>> }
>();

/**
 * Webhook statements that may run at once on PostgreSQL. Two, not half the pool (five of the default
 * ten, as first chosen): with fewer statements in flight, the requests waiting meanwhile fill larger
 * batches, and what both sides pay per statement (a round trip, a backend wake-up, a commit) is
 * paid less often. Measured in one bench session, same machine and load: update-contact 77% → 92%
 * of the baseline's throughput, p99 1.46× → 1.21×; log-activity 80% → 103%, p99 1.40× → 1.15×
 * (docs/decisions/0028-two-webhook-statement-slots.md). One statement still runs the moment a
 * request arrives alone, so light load waits for nothing.
 */
export const WEBHOOK_STATEMENT_SLOTS = 2;

/** Webhook statements that may run at once on the database of `store`. */
export function batchConcurrency(store: Pick<Database, "kind" | "client">): number {
	if (store.kind !== "postgres") return 1;
	const max = (store.client as { options?: { max?: unknown } } | null)?.options?.max;
	const halfPool = Math.floor((typeof max === "number" && max > 0 ? max : 10) / 2);
	return Math.max(1, Math.min(WEBHOOK_STATEMENT_SLOTS, halfPool));
}

/** The store's batcher for `key`, made with `options` the first time. */
export function storeBatcher<I, R>(
	store: Pick<Database, "kind" | "client">,
	key: string,
	options: () => Omit<StatementBatcherOptions<I, R>, "maxBatch" | "maxInFlight">,
): StatementBatcher<I, R> {
	let forStore = batchers.get(store);
	if (!forStore) {
		forStore = { slots: createStatementSlots(batchConcurrency(store)), byKey: new Map() };
		batchers.set(store, forStore);
	}
	let batcher = forStore.byKey.get(key) as StatementBatcher<I, R> | undefined;
	if (!batcher) {
		batcher = createStatementBatcher<I, R>({
			...options(),
			maxBatch: MAX_BATCH,
			maxInFlight: forStore.slots,
			gatherInput: store.kind !== "postgres",
		});
		forStore.byKey.set(key, batcher as StatementBatcher<unknown, unknown>);
	}
	return batcher;
}
