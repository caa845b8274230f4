/**
 * Chooses the database from the environment, the same way for the server and the CLI:
 *
 * - `DATABASE_URL` set: PostgreSQL through node-postgres (needs `INTERCOM_BRIDGE_SECRET_KEY`);
 * - otherwise: the embedded PGlite database in `INTERCOM_BRIDGE_DATA_DIR` (default `./.data`).
 */
import { pgliteStore } from "../db/pglite.ts";
import { postgresStore } from "../db/postgres.ts";
import type { Store } from "../store/create-store.ts";

/** The environment variables the store reads. */
export interface StoreEnv {
	DATABASE_URL?: string;
	INTERCOM_BRIDGE_DATA_DIR?: string;
	INTERCOM_BRIDGE_SECRET_KEY?: string;
}

/** Default embedded data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = "./.data";

/** Opens the store that the environment names. */
export async function openStoreFromEnv(
	env: StoreEnv = process.env,
	options: { onPoolError?: (err: Error) => void } = {},
): Promise<Store> {
	const url = env.DATABASE_URL?.trim();
	if (url) {
		return postgresStore({
			connectionString: url,
			secretKey: env.INTERCOM_BRIDGE_SECRET_KEY,
			onPoolError: options.onPoolError,
		});
	}
	return pgliteStore({
		dataDir: env.INTERCOM_BRIDGE_DATA_DIR?.trim() || DEFAULT_DATA_DIR,
		secretKey: env.INTERCOM_BRIDGE_SECRET_KEY?.trim() || undefined,
	});
}
