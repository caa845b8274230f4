/** Fresh databases for tests: a new PostgreSQL database per call, or a clone of a migrated PGlite. */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle } from "drizzle-orm/pglite";
import pg from "pg";
import { inject } from "vitest";
import { pgliteStore } from "../../src/db/pglite.ts";
import { postgresStore } from "../../src/db/postgres.ts";
import type { Store } from "../../src/store/create-store.ts";
import type { Db } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrate.ts";

export const TEST_SECRET_KEY = randomBytes(32);

const databaseUrl = (name: string) => {
	const url = new URL(inject("postgresUrl"));
	url.pathname = `/${name}`;
	return url.toString();
};

/**
 * Creates a PostgreSQL database on the test server and returns its URL: empty, or a copy of
 * `template` (CREATE DATABASE ... TEMPLATE copies files, far faster than migrating again).
 */
export async function createPostgresDatabase(template?: string): Promise<string> {
	const name = `t_${randomBytes(6).toString("hex")}`;
	const client = new pg.Client({ connectionString: inject("postgresUrl") });
	await client.connect();
	try {
		await client.query(`create database ${name}${template ? ` template ${template}` : ""}`);
	} finally {
		await client.end();
	}
	return databaseUrl(name);
}

let postgresTemplate: Promise<string> | undefined;

/** A migrated database to copy, made once per test file (nothing may stay connected to it). */
function migratedPostgresTemplate(): Promise<string> {
	postgresTemplate ??= (async () => {
		const url = await createPostgresDatabase();
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			await migrate(drizzlePg(client) as unknown as Db);
		} finally {
			await client.end();
		}
		return new URL(url).pathname.slice(1);
	})();
	return postgresTemplate;
}

let template: PGlite | undefined;

/** A migrated PGlite instance in memory, cloned from a template migrated once per file. */
export async function migratedPglite(): Promise<PGlite> {
	// clone() is typed as the interface; it returns a full PGlite instance.
	if (!template) {
		template = new PGlite();
		await migrate(drizzle(template) as unknown as Db);
	}
	return (await template.clone()) as PGlite;
}

export interface StoreFactory {
	/** `pglite` or `postgres`. */
	kind: "pglite" | "postgres";
	/** A store on a fresh, empty (not migrated) database. */
	empty(options?: { now?: () => number }): Promise<Store>;
	/** A store on a fresh migrated database with `prepare()` done. */
	ready(options?: { now?: () => number }): Promise<Store>;
	/** A second store on the same database as `store` (another process would do the same); null where impossible. */
	second(store: Store, options?: { now?: () => number }): Promise<Store | null>;
}

const urls = new WeakMap<Store, string>();

export const pgliteFactory: StoreFactory = {
	kind: "pglite",
	async empty(options) {
		return pgliteStore({ dataDir: null, secretKey: TEST_SECRET_KEY, now: options?.now });
	},
	async ready(options) {
		const store = await pgliteStore({
			dataDir: null,
			pglite: await migratedPglite(),
			secretKey: TEST_SECRET_KEY,
			now: options?.now,
		});
		await store.prepare();
		return store;
	},
	async second() {
		return null; // PGlite allows one process per database.
	},
};

export const postgresFactory: StoreFactory = {
	kind: "postgres",
	async empty(options) {
		const url = await createPostgresDatabase();
		const store = postgresStore({ connectionString: url, secretKey: TEST_SECRET_KEY, now: options?.now });
		urls.set(store, url);
		return store;
	},
	async ready(options) {
		const url = await createPostgresDatabase(await migratedPostgresTemplate());
		const store = postgresStore({ connectionString: url, secretKey: TEST_SECRET_KEY, now: options?.now });
		urls.set(store, url);
		await store.prepare();
		return store;
	},
	async second(store, options) {
		const url = urls.get(store);
		if (!url) return null;
		const other = postgresStore({ connectionString: url, secretKey: TEST_SECRET_KEY, now: options?.now });
		urls.set(other, url);
		return other;
	},
};

/**
 * The database the request-level suites (the console, OAuth) run on: PGlite, or PostgreSQL when
 * INTERCOM_BRIDGE_TEST_DATABASE=postgres. vitest.config.ts runs those suites once each way (X1).
 */
export const testStoreFactory: StoreFactory =
	process.env.INTERCOM_BRIDGE_TEST_DATABASE === "postgres" ? postgresFactory : pgliteFactory;
