/**
 * One {@link StatementBatcher} per store and statement kind, sized to the store's connections:
 * half of a PostgreSQL pool (the rest stays free for page views, the admin and the job runner),
 * one on PGlite (a single connection that runs one statement at a time anyway).
 */
import type { Store } from "./create-store.ts";
import {
	createStatementBatcher,
	type StatementBatcher,
	type StatementBatcherOptions,
} from "./statement-batcher.ts";

/** Most requests in one statement: enough to amortise a round trip, small enough for the planner. */
export const MAX_BATCH = 16;

const batchers = new WeakMap<object, Map<string, StatementBatcher<unknown, unknown>>>();

/** Statements of one kind that may run at once on `store`. */
export function batchConcurrency(store: Pick<Store, "kind" | "client">): number {
	if (store.kind !== "postgres") return 1;
	const max = (store.client as { options?: { max?: unknown } } | null)?.options?.max;
	return Math.max(1, Math.floor((typeof max === "number" && max > 0 ? max : 10) / 2));
}

/** The store's batcher for `key`, made with `options` the first time. */
export function storeBatcher<I, R>(
	store: Pick<Store, "kind" | "client">,
	key: string,
	options: () => Omit<StatementBatcherOptions<I, R>, "maxBatch" | "maxInFlight">,
): StatementBatcher<I, R> {
	let forStore = batchers.get(store);
	if (!forStore) {
		forStore = new Map();
		batchers.set(store, forStore);
	}
	let batcher = forStore.get(key) as StatementBatcher<I, R> | undefined;
	if (!batcher) {
		batcher = createStatementBatcher<I, R>({
			...options(),
			maxBatch: MAX_BATCH,
			maxInFlight: batchConcurrency(store),
		});
		forStore.set(key, batcher as StatementBatcher<unknown, unknown>);
	}
	return batcher;
}
