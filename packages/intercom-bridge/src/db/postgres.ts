/**
 * The store on a PostgreSQL server through node-postgres (a pool), for production and for several
 * instances sharing one database. Secrets at rest need `INTERCOM_BRIDGE_SECRET_KEY` (the same on
 * every instance): there is no key file here, since instances do not share a disk.
 *
 * @example
 * import { postgresStore } from "intercom-bridge/postgres";
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL, secretKey: process.env.INTERCOM_BRIDGE_SECRET_KEY });
 * await store.prepare();
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { parseSecretKey } from "../crypto/secret-box.ts";
import { ConfigError } from "../errors.ts";
import { createStore, type Store } from "../store/create-store.ts";
import type { Database, Db } from "../store/database.ts";
import * as schema from "../store/schema.ts";

export interface PostgresStoreOptions {
	/** `postgres://user:password@host:5432/db`. Either this or `pool`. */
	connectionString?: string;
	/** An existing pool (the store will not end it on close unless `ownPool`). */
	pool?: pg.Pool;
	/** Maximum pool size. Default 10. */
	max?: number;
	/** Key for secrets at rest: 32 bytes, or base64/hex text (INTERCOM_BRIDGE_SECRET_KEY). Required. */
	secretKey: Uint8Array | string | undefined;
	/** See StoreOptions.cacheMaxAgeMs. */
	cacheMaxAgeMs?: number;
	now?: () => number;
	/** Log pool errors (idle clients that lost their connection). */
	onPoolError?: (err: Error) => void;
	/**
	 * How long `close()` waits for connections still in use (a query stuck on a lock, a transaction
	 * left open) before it cuts them (ms). Default 5000.
	 */
	closeTimeoutMs?: number;
}

/** A connection URL with its password replaced by `***`, safe to print. */
export function redactConnectionString(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = "***";
		return parsed.toString();
	} catch {
		return "postgres://(unparsable URL)";
	}
}

/** Opens a pool as a {@link Database}. */
export function openPostgres(
	options: Pick<PostgresStoreOptions, "connectionString" | "pool" | "max" | "onPoolError" | "closeTimeoutMs">,
): Database {
	if (!options.pool && !options.connectionString) {
		throw new ConfigError("postgresStore needs connectionString (DATABASE_URL) or pool.");
	}
	const ownPool = !options.pool;
	const pool =
		options.pool ??
		new pg.Pool({
			connectionString: options.connectionString,
			max: options.max ?? 10,
			connectionTimeoutMillis: 5000,
			idleTimeoutMillis: 30_000,
		});
	// Without a listener an idle client's lost connection crashes the process.
	pool.on("error", (err) => options.onPoolError?.(err));
	// pg-pool drops its own listener while a client is checked out (a transaction between two
	// statements), so a database restart then would crash the process: the query errors tell the caller.
	pool.on("connect", (client) => client.on("error", () => {}));
	const db = drizzle(pool, { schema }) as unknown as Db;
	let closed = false;
	return {
		db,
		kind: "postgres",
		client: pool,
		location: options.connectionString
			? redactConnectionString(options.connectionString)
			: "postgres (provided pool)",
		async close() {
			if (closed || !ownPool) return;
			closed = true;
			// pool.end() waits for every checked-out connection to come back, which a stuck query
			// never does: shutting down would then hang. Past the bound, the sockets are cut; their
			// queries fail and PostgreSQL rolls their transactions back.
			const ended = pool.end();
			let timer: ReturnType<typeof setTimeout> | undefined;
			const late = new Promise<"late">((resolve) => {
				timer = setTimeout(() => resolve("late"), options.closeTimeoutMs ?? 5000);
			});
			const outcome = await Promise.race([ended.then(() => "ended" as const), late]);
			clearTimeout(timer);
			if (outcome === "ended") return;
			// pg's Pool has no public way to cut its clients; its client list is the one handle.
			const clients = (
				pool as unknown as { _clients?: Array<{ connection?: { stream?: { destroy(): void } } }> }
			)._clients;
			for (const client of clients ?? []) client.connection?.stream?.destroy();
			// A client cut while checked out is never given back, so pool.end() would still wait for
			// it: the pool is left behind, with no socket to keep the process alive.
			ended.catch(() => {});
		},
	};
}

/**
 * Opens the store on PostgreSQL. Does not connect until the first query.
 * @throws ConfigError when the connection string or the secret key is missing or malformed.
 */
export function postgresStore(options: PostgresStoreOptions): Store {
	if (options.secretKey === undefined || options.secretKey === "") {
		throw new ConfigError(
			"INTERCOM_BRIDGE_SECRET_KEY is required with PostgreSQL (DATABASE_URL): every instance needs the same key to read stored secrets. " +
				"Make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
		);
	}
	const secretKey =
		typeof options.secretKey === "string" ? parseSecretKey(options.secretKey) : options.secretKey;
	const database = openPostgres(options);
	return createStore({ database, secretKey, cacheMaxAgeMs: options.cacheMaxAgeMs, now: options.now });
}
