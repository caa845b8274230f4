/**
 * A store whose SQL statements are counted (a Drizzle logger), on PGlite in memory or on a
 * PostgreSQL pool of the store's default size, so "queries per page view" is measured, not guessed.
 */
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { createStore, type Store } from "../src/store/create-store.ts";
import type { Database, Db } from "../src/store/database.ts";
import * as schema from "../src/store/schema.ts";

/** A store and the number of statements it has sent so far. */
export interface CountedStore {
	store: Store;
	queries(): number;
	/** The latest statements (at most 10), oldest first. */
	recent(): string[];
}

/** Opens a counted store. `url` null: a fresh in-memory PGlite. */
export async function openCountedStore(url: string | null, secretKey: Uint8Array): Promise<CountedStore> {
	let count = 0;
	const recent: string[] = [];
	const logger = {
		logQuery(query: string) {
			count++;
			recent.push(query);
			if (recent.length > 10) recent.shift();
		},
	};
	let database: Database;
	if (url === null) {
		const pglite = await PGlite.create();
		database = {
			db: drizzlePglite(pglite, { schema, logger }) as unknown as Db,
			kind: "pglite",
			location: "memory",
			client: pglite,
			close: () => pglite.close(),
		};
	} else {
		// The same pool settings as postgresStore, so the numbers are those of the shipped store.
		const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
		pool.on("error", () => {});
		database = {
			db: drizzlePg(pool, { schema, logger }) as unknown as Db,
			kind: "postgres",
			location: "bench",
			client: pool,
			close: () => pool.end(),
		};
	}
	return { store: createStore({ database, secretKey }), queries: () => count, recent: () => [...recent] };
}
