/**
 * pg-boss on the store's own database, through its public `db` option: the PGlite instance (one
 * process owns an embedded database, so pg-boss must share it; pg-boss's own `fromPglite` adapter
 * and `backend: "pglite"`), the node-postgres pool, or a store transaction (so a job is inserted
 * in the same transaction as the row it serves: an outbox for free).
 */
import type { Db as BossDb, ConstructorOptions } from "pg-boss";
import type { Store } from "./create-store.ts";
import type { Tx } from "./database.ts";
import { runInTransaction } from "./prepared-statement.ts";
import { storeInternals } from "./store-internals.ts";

export type { BossDb };

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
 * The constructor options that run pg-boss on the store's database: its PGlite instance or its
 * pool. pg-boss is loaded here, on first use, so that importing the bridge loads no database driver.
 */
export async function storeBossOptions(store: Store): Promise<Pick<ConstructorOptions, "db" | "backend">> {
	const { client, kind } = storeInternals(store);
	if (kind === "pglite" && isPgliteLike(client)) {
		const { fromPglite } = await import("pg-boss");
		return { db: fromPglite(client as Parameters<typeof fromPglite>[0]), backend: "pglite" };
	}
	if (kind === "postgres" && typeof (client as PoolLike | null)?.query === "function") {
		const pool = client as PoolLike;
		return { db: { executeSql: (text, values) => pool.query(text, values) }, backend: "postgres" };
	}
	throw new Error(`[intercom-bridge] The store's ${kind} client cannot run pg-boss.`);
}

/**
 * A store transaction for pg-boss: `$1`…`$n` placeholders become Drizzle parameters, so the
 * statement runs on the transaction's connection on either driver.
 */
export function transactionBossDb(tx: Tx): BossDb {
	return { executeSql: async (text, values = []) => ({ rows: await runInTransaction(tx, text, values) }) };
}
