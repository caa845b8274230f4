/**
 * pg-boss on the store's own database. pg-boss 10 (the version installed) takes any object with
 * `executeSql(text, values)`; these adapters give it the PGlite instance (one process owns an
 * embedded database, so pg-boss must share it), the node-postgres pool, or a Drizzle transaction
 * (so a job is inserted in the same transaction as the row it serves: an outbox for free).
 */
import type PgBoss from "pg-boss";
import type { Store } from "../store/create-store.ts";
import type { Tx } from "../store/database.ts";
import { runInTransaction } from "../store/prepared-statement.ts";
import { storeInternals } from "../store/store-internals.ts";

/** What pg-boss needs of a database. */
export type BossDb = PgBoss.Db;

interface PgliteLike {
	query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
	exec(text: string): Promise<Array<{ rows: unknown[]; fields: unknown[] }>>;
}

interface PoolLike {
	query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

function isPgliteLike(value: unknown): value is PgliteLike {
	return typeof value === "object" && value !== null && "exec" in value && "query" in value;
}

/**
 * PGlite: parameterless commands (pg-boss's schema scripts) may hold several statements, which
 * only `exec` runs; the rows of the last statement that returns any are pg-boss's result.
 */
export function pgliteBossDb(pglite: PgliteLike): BossDb {
	return {
		async executeSql(text, values) {
			if (values && values.length > 0) return pglite.query(text, values);
			const results = await pglite.exec(text);
			const last = results.filter((r) => r.fields.length > 0).at(-1);
			return { rows: last?.rows ?? [] };
		},
	};
}

/** node-postgres Pool (or Client). */
export function poolBossDb(pool: PoolLike): BossDb {
	return { executeSql: (text, values) => pool.query(text, values) };
}

/** The store's database for pg-boss: its PGlite instance or its pool. */
export function storeBossDb(store: Store): BossDb {
	const { kind, client } = storeInternals(store);
	if (kind === "pglite" && isPgliteLike(client)) return pgliteBossDb(client);
	if (kind === "postgres" && typeof (client as PoolLike | null)?.query === "function") {
		return poolBossDb(client as PoolLike);
	}
	throw new Error(`[intercom-bridge] The store's ${kind} client cannot run pg-boss.`);
}

/**
 * A Drizzle transaction for pg-boss: `$1`…`$n` placeholders become Drizzle parameters, so the
 * statement runs on the transaction's connection on either driver.
 */
export function drizzleBossDb(tx: Tx): BossDb {
	return { executeSql: async (text, values = []) => ({ rows: await runInTransaction(tx, text, values) }) };
}
