/** What every part of the store shares: the database, the secret box and the clock. */
import type { SecretBox } from "../crypto/secret-box.ts";
import type { Database, Db } from "./database.ts";
import { translateDbError } from "./db-errors.ts";

export interface StoreContext {
	readonly db: Db;
	/** The open database, for fixed statements on the driver's own client (prepared-statement.ts). */
	readonly database: Database;
	readonly secretBox: SecretBox;
	/** Milliseconds since the epoch; injectable so cache expiry can be tested without sleeping. */
	readonly now: () => number;
	/** How long cached settings and host names may be served before re-reading (ms). */
	readonly cacheMaxAgeMs: number;
}

/**
 * Runs a store operation and translates driver errors (503 for a lost database, 409 for a unique
 * violation with `conflictMessage`).
 */
export async function guard<T>(operation: () => Promise<T>, conflictMessage?: string): Promise<T> {
	try {
		return await operation();
	} catch (err) {
		throw translateDbError(err, conflictMessage);
	}
}
