/**
 * A store whose SQL statements are counted at the driver (every statement sent, whether through
 * Drizzle, a prepared statement or a transaction's BEGIN/COMMIT), on PGlite in memory or on a
 * PostgreSQL pool of the store's default size, so "statements per request" is measured, not guessed.
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

/**
 * Opens a counted store. `url` null: a fresh PGlite, in memory or on `pgliteDir` (opened with the
 * default store's options: only the data directory).
 */
export async function openCountedStore(
	url: string | null,
	secretKey: Uint8Array,
	pgliteDir: string | null = null,
): Promise<CountedStore> {
	let count = 0;
	const recent: string[] = [];
	const counted = (text: string) => {
		count++;
		recent.push(text);
		if (recent.length > (process.env.BENCH_DEBUG ? 500 : 10)) recent.shift();
	};
	const textOf = (query: unknown) =>
		typeof query === "string" ? query : String((query as { text?: unknown })?.text ?? "");
	let database: Database;
	if (url === null) {
		const pglite = pgliteDir ? await PGlite.create({ dataDir: pgliteDir }) : await PGlite.create();
		// What goes through query() is counted; statements inside PGlite's transaction() are not (it
		// sends them through private methods), so PGlite's counts are a lower bound, for information.
		const query = pglite.query.bind(pglite);
		pglite.query = ((text: string, ...rest: unknown[]) => {
			counted(text);
			return (query as (...a: unknown[]) => unknown)(text, ...rest);
		}) as typeof pglite.query;
		// Named prepared statements (store/prepared-statement.ts) go through execProtocol: a message
		// that starts with Bind ('B') runs one; query() uses other methods, so nothing counts twice.
		const execProtocol = pglite.execProtocol.bind(pglite);
		pglite.execProtocol = ((message: Uint8Array, ...rest: unknown[]) => {
			if (message[0] === 0x42) counted("(named prepared statement)");
			return (execProtocol as (...a: unknown[]) => unknown)(message, ...rest);
		}) as typeof pglite.execProtocol;
		database = {
			db: drizzlePglite(pglite, { schema }) as unknown as Db,
			kind: "pglite",
			location: pgliteDir ?? "memory",
			client: pglite,
			close: () => pglite.close(),
		};
	} else {
		// A client class that counts what it sends; the same pool settings as postgresStore.
		class CountingClient extends pg.Client {
			override query(...args: unknown[]): never {
				counted(textOf(args[0]));
				return (super.query as (...a: unknown[]) => never)(...args);
			}
		}
		const pool = new pg.Pool({
			connectionString: url,
			max: 10,
			connectionTimeoutMillis: 5000,
			Client: CountingClient,
		});
		pool.on("error", () => {});
		database = {
			db: drizzlePg(pool, { schema }) as unknown as Db,
			kind: "postgres",
			location: "bench",
			client: pool,
			close: () => pool.end(),
		};
	}
	return { store: createStore({ database, secretKey }), queries: () => count, recent: () => [...recent] };
}
