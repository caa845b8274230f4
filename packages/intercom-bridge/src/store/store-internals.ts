/**
 * The raw database behind a store, for the modules of this package that still speak SQL outside
 * src/store/ while they move in (src/jobs and src/privacy, issue #19). Not exported from the
 * package index: the public Store has domain methods only (docs/decisions/0015).
 */
import type { Database, Db } from "./database.ts";

/** What a store keeps private: its Drizzle database and the driver's client (PGlite or pg Pool). */
export interface StoreInternals {
	readonly db: Db;
	/** See Database.client: the PGlite instance or the node-postgres Pool (pg-boss shares it). */
	readonly client: unknown;
	readonly kind: Database["kind"];
}

const internals = new WeakMap<object, StoreInternals>();

/** Registers a store's internals (createStore does this). */
export function registerStoreInternals(store: object, database: Database): void {
	internals.set(store, { db: database.db, client: database.client, kind: database.kind });
}

/**
 * The database of a store made by createStore (or of a view made by {@link storeViewWith}).
 * @throws Error for an object that createStore did not make.
 */
export function storeInternals(store: object): StoreInternals {
	// A view (Object.create(store)) finds its store's internals up the prototype chain.
	for (let at: object | null = store; at; at = Object.getPrototypeOf(at)) {
		const found = internals.get(at);
		if (found) return found;
	}
	throw new Error("storeInternals: not a store made by createStore().");
}

/**
 * A view of `store` (same methods, same data) whose internals differ, e.g. a client that fails
 * one statement: for fault tests of modules that use the internals.
 */
export function storeViewWith<S extends object>(store: S, overrides: Partial<StoreInternals>): S {
	const view = Object.create(store) as S;
	internals.set(view, { ...storeInternals(store), ...overrides });
	return view;
}
