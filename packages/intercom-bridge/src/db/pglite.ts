/**
 * The embedded store on PGlite (PostgreSQL compiled to WebAssembly), the default. Data lives in a
 * directory on disk (`./.data` unless `INTERCOM_BRIDGE_DATA_DIR` says otherwise):
 *
 * The directory is made 0700 and the files in it owner-only at every start, however it was found.
 *
 *   .data/pglite/              the database
 *   .data/secret.key           the key for secrets at rest (mode 0600), unless
 *                              INTERCOM_BRIDGE_SECRET_KEY is set. Made when missing, but never
 *                              while the database holds secrets (they would be unreadable)
 *   .data/intercom-bridge.lock the pid of the one process that may open it
 *   .data/intercom-bridge.console.json  where that process serves the admin console, for the CLI
 *                              (db/console-url-file.ts)
 *
 * @example
 * import { pgliteStore } from "intercom-bridge/pglite";
 * const store = await pgliteStore({ dataDir: "./.data" });
 * await store.prepare();
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { generateSecretKey, parseSecretKey } from "../crypto/secret-box.ts";
import { ConfigError, StoreUnavailableError } from "../errors.ts";
import { createStore, type Store } from "../store/create-store.ts";
import type { Database, Db } from "../store/database.ts";
import * as schema from "../store/schema.ts";
import { storedSecretKeyIds } from "../store/settings-store.ts";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import { restrictDataDir, restrictTree } from "./restrict-data-dir.ts";

/** The key file's name inside the data directory. */
const KEY_FILE = "secret.key";

export interface PgliteStoreOptions {
	/** Directory for the database, its key file and lock; `null` keeps everything in memory (tests). */
	dataDir: string | null;
	/** Key for secrets at rest (32 bytes, or base64/hex text). Default: `<dataDir>/secret.key`, made once. */
	secretKey?: Uint8Array | string;
	/** See StoreOptions.cacheMaxAgeMs. */
	cacheMaxAgeMs?: number;
	/** Clock, for tests. */
	now?: () => number;
	/** Use this PGlite instance instead of opening one (e.g. a clone of a migrated template). */
	pglite?: PGlite;
}

/**
 * The key in `<dataDir>/secret.key`, made when missing, but only while the database holds no
 * secret: a new key could not read them, and every webhook and the console would fail instead.
 * @throws ConfigError when the file is damaged, or missing while secrets are stored, saying how to
 *   restore it.
 */
async function loadOrCreateKey(dataDir: string, database: Database): Promise<Uint8Array> {
	const path = join(dataDir, KEY_FILE);
	try {
		return parseSecretKey(await readFile(path, "utf8"));
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
			throw new ConfigError(
				`The key file ${path} is unreadable or damaged. Restore it from a backup: without it the stored secrets cannot be read.`,
				{
					cause: err,
				},
			);
		}
	}
	const sealedWith = await storedSecretKeyIds(database.db);
	if (sealedWith.length > 0) throw missingKeyError(path, sealedWith);
	const key = generateSecretKey();
	// "wx": never overwrite a key that appeared meanwhile.
	await writeFile(path, `${Buffer.from(key).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
	return key;
}

/** Says how to get back to a working key when the key file is gone but secrets are stored. */
function missingKeyError(path: string, keyIds: string[]): ConfigError {
	const ids = [...new Set(keyIds)].sort().join(", ");
	return new ConfigError(
		`The key file ${path} is missing, but the database holds ${keyIds.length} secret(s) encrypted with it (key id ${ids}); ` +
			"a new key could not read them, so none was made. Restore it: put the file back from a backup, " +
			"or set INTERCOM_BRIDGE_SECRET_KEY (or INTERCOM_BRIDGE_SECRET_KEY_FILE) to that key. " +
			"As a last resort, if the key is lost for good: start with a new key in INTERCOM_BRIDGE_SECRET_KEY (or in that file), " +
			'then set each secret again in the console\'s Intercom setup (marked "cannot decrypt: set it again") and rotate the webhook API key ' +
			"(intercom-bridge api-key rotate <site>); /healthz reports how many are left.",
	);
}

/** Opens (creating when missing) an embedded database as a {@link Database}. */
export async function openPglite(options: { dataDir: string | null; pglite?: PGlite }): Promise<Database> {
	if (options.pglite) return wrap(options.pglite, "memory (provided instance)", async () => {});
	if (options.dataDir === null) return wrap(new PGlite(), "memory", async () => {});
	const dataDir = resolve(options.dataDir);
	await mkdir(dataDir, { recursive: true, mode: 0o700 });
	// mkdir's mode does not apply to a directory that exists (a Docker volume is often 0777).
	await restrictDataDir(dataDir);
	const lock = await acquireDataDirLock(dataDir);
	try {
		const pglite = await PGlite.create({ dataDir: join(dataDir, "pglite") });
		try {
			// PGlite lays a new database out world-readable (0666) whatever the umask: close it.
			await restrictTree(dataDir);
		} catch (err) {
			await pglite.close();
			throw err;
		}
		return wrap(pglite, dataDir, () => lock.release());
	} catch (err) {
		await lock.release();
		throw new StoreUnavailableError(
			`Could not open the embedded database in ${dataDir}: ${(err as Error).message}`,
			{
				cause: err,
			},
		);
	}
}

function wrap(pglite: PGlite, location: string, release: () => Promise<void>): Database {
	const db = drizzle(pglite, { schema }) as unknown as Db;
	let closed = false;
	return {
		db,
		kind: "pglite",
		location,
		client: pglite,
		async close() {
			if (closed) return;
			closed = true;
			try {
				if (!pglite.closed) await pglite.close();
			} finally {
				await release();
			}
		},
	};
}

/**
 * Opens the embedded store.
 * @throws DataDirLockedError when another process holds the data directory.
 */
export async function pgliteStore(options: PgliteStoreOptions): Promise<Store> {
	const database = await openPglite(options);
	try {
		let secretKey: Uint8Array;
		if (options.secretKey !== undefined) {
			secretKey =
				typeof options.secretKey === "string" ? parseSecretKey(options.secretKey) : options.secretKey;
		} else if (options.dataDir === null || options.pglite) {
			secretKey = generateSecretKey();
		} else {
			secretKey = await loadOrCreateKey(resolve(options.dataDir), database);
		}
		return createStore({ database, secretKey, cacheMaxAgeMs: options.cacheMaxAgeMs, now: options.now });
	} catch (err) {
		await database.close();
		throw err;
	}
}
