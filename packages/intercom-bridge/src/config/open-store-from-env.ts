/**
 * Chooses the database from the environment, the same way for the server and the CLI:
 *
 * - `DATABASE_URL` set: PostgreSQL through node-postgres (needs `INTERCOM_BRIDGE_SECRET_KEY`);
 * - otherwise: the embedded PGlite database in `INTERCOM_BRIDGE_DATA_DIR` (default `./.data`).
 *
 * Each of `DATABASE_URL` and `INTERCOM_BRIDGE_SECRET_KEY` may instead be given as a file with the
 * `_FILE` suffix (Docker and Kubernetes secrets), so the secret is not in the process environment.
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.ts";
import type { Store } from "../store/create-store.ts";

/** The environment variables the store reads. */
export interface StoreEnv {
	DATABASE_URL?: string;
	INTERCOM_BRIDGE_DATA_DIR?: string;
	INTERCOM_BRIDGE_SECRET_KEY?: string;
	/** A file holding DATABASE_URL. */
	DATABASE_URL_FILE?: string;
	/** A file holding INTERCOM_BRIDGE_SECRET_KEY. */
	INTERCOM_BRIDGE_SECRET_KEY_FILE?: string;
}

/**
 * The value of `name`, or of the file `name_FILE` names (trimmed, as secrets files end with a
 * newline). Both set is a mistake that would leave it unclear which one is used.
 * @throws ConfigError naming the variable and what to fix.
 */
export function secretFromEnv(
	env: StoreEnv,
	name: "DATABASE_URL" | "INTERCOM_BRIDGE_SECRET_KEY",
): string | undefined {
	const direct = env[name]?.trim();
	const file = env[`${name}_FILE`]?.trim();
	if (direct && file) throw new ConfigError(`Set ${name} or ${name}_FILE, not both.`);
	if (!file) return direct || undefined;
	try {
		return readFileSync(file, "utf8").trim() || undefined;
	} catch (err) {
		throw new ConfigError(
			`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
		);
	}
}

/** Default embedded data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = "./.data";

/**
 * Opens the store that the environment names. Only that database's driver is loaded: the other
 * one's modules need not be read at start-up (docs/decisions/0038-bundled-cli.md).
 */
export async function openStoreFromEnv(
	env: StoreEnv = process.env,
	options: { onPoolError?: (err: Error) => void } = {},
): Promise<Store> {
	const url = secretFromEnv(env, "DATABASE_URL");
	const secretKey = secretFromEnv(env, "INTERCOM_BRIDGE_SECRET_KEY");
	if (url) {
		const { postgresStore } = await import("../db/postgres.ts");
		return postgresStore({ connectionString: url, secretKey, onPoolError: options.onPoolError });
	}
	const { pgliteStore } = await import("../db/pglite.ts");
	return pgliteStore({
		dataDir: env.INTERCOM_BRIDGE_DATA_DIR?.trim() || DEFAULT_DATA_DIR,
		secretKey,
	});
}
