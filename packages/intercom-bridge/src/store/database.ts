/**
 * What the store needs of a database: a Drizzle `pg-core` database over either driver (PGlite or
 * node-postgres), so there is one implementation of every query.
 */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.ts";

/** A Drizzle PostgreSQL database with our schema, over PGlite or node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A Drizzle transaction (the same query surface as {@link Db}). */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Either a database or a transaction: the store's internal queries accept both. */
export type Queryable = Db | Tx;

/** An open database connection (pool or embedded instance) that the store was built on. */
export interface Database {
	readonly db: Db;
	/** `pglite` for the embedded database, `postgres` for a server reached through node-postgres. */
	readonly kind: "pglite" | "postgres";
	/** Where it lives, safe to print (a data directory, or a connection URL without its password). */
	readonly location: string;
	/**
	 * The driver's own client: the PGlite instance, or the node-postgres Pool. For components that
	 * must share the connection (pg-boss on PGlite needs the same instance). Typed `unknown` so the
	 * core imports no driver.
	 */
	readonly client: unknown;
	/** Closes the pool or the embedded instance and releases its data-directory lock. */
	close(): Promise<void>;
}

/** The rows of a raw `db.execute(sql)` result, on either driver. */
export function rowsOf<T>(result: unknown): T[] {
	if (result && typeof result === "object" && "rows" in result && Array.isArray(result.rows)) {
		return result.rows as T[];
	}
	return [];
}
