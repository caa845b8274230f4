/**
 * The contact store: one object with domain methods over one database (PGlite or PostgreSQL).
 *
 * @example
 * const store = await pgliteStore({ dataDir: "./.data" });   // or postgresStore({ connectionString })
 * await store.prepare();                                    // migrate, default site, API keys
 * const contact = await store.createContact({ email: "ada@example.com" });
 */
import { hkdfSync } from "node:crypto";
import { sql } from "drizzle-orm";
import { createSecretBox } from "../crypto/secret-box.ts";
import { createActivityLogStore } from "./activity-log.ts";
import { createActivityStore } from "./activity-store.ts";
import { createAdminUserStore } from "./admin-user-store.ts";
import { createAuditStore } from "./audit-store.ts";
import { createBackfillStore } from "./backfill-store.ts";
import { createConsentStore } from "./consent-store.ts";
import { createContactStore } from "./contact-store.ts";
import { createContactUpdateStore } from "./contact-update.ts";
import { createDataAttributeStore } from "./data-attribute-store.ts";
import type { Database, Tx } from "./database.ts";
import { createDeliveryStore } from "./delivery-store.ts";
import { createDisclosureStore } from "./disclosure-store.ts";
import { createJobStore } from "./job-store.ts";
import { createLoginAttemptStore } from "./login-attempt-store.ts";
import { migrate } from "./migrate.ts";
import { createOverviewStore } from "./overview-store.ts";
import { createPrivacyStore } from "./privacy-store.ts";
import { createRateBudgetStore } from "./rate-budget-store.ts";
import { createSettingsStore } from "./settings-store.ts";
import { createSiteStore } from "./site-store.ts";
import { guard, type StoreContext } from "./store-context.ts";
import { registerStoreInternals } from "./store-internals.ts";
import { runStoreCloseHooks } from "./store-lifecycle.ts";
import { createTopicActivityStore } from "./topic-activity-store.ts";

export interface StoreOptions {
	/** The open database (see `pgliteStore` and `postgresStore`, which build it for you). */
	database: Database;
	/** 32-byte key for secrets at rest. */
	secretKey: Uint8Array;
	/**
	 * How long settings and host names are cached before re-reading, in ms. Changes made by another
	 * process take effect within this time. Default 2000; at most 5000.
	 */
	cacheMaxAgeMs?: number;
	/** Clock, for tests. Default `Date.now`. */
	now?: () => number;
}

/** Builds the store over an open database. Call {@link Store.prepare} before use. */
export function createStore(options: StoreOptions) {
	const ctx: StoreContext = {
		db: options.database.db,
		database: options.database,
		secretBox: createSecretBox(options.secretKey),
		now: options.now ?? Date.now,
		cacheMaxAgeMs: Math.min(Math.max(options.cacheMaxAgeMs ?? 2000, 0), 5000),
	};
	const sites = createSiteStore(ctx);
	const settings = createSettingsStore(ctx);
	const store = {
		/** `pglite` or `postgres`. */
		kind: options.database.kind,
		/** Where the data lives, safe to print. */
		location: options.database.location,
		/** Id of the secret key (not secret), to tell which key encrypted the data. */
		secretKeyId: ctx.secretBox.keyId,
		/** The store's clock (ms), for caches that must expire with its own. */
		now: ctx.now,
		/** How long this store serves cached settings and sites (ms); other caches follow it. */
		cacheMaxAgeMs: ctx.cacheMaxAgeMs,

		/**
		 * A 32-byte key for `purpose` (e.g. "visitor-cookie"), derived from the secret key with HKDF:
		 * the same on every instance that shares the secret key, different per purpose.
		 */
		deriveKey(purpose: string): Uint8Array {
			return new Uint8Array(hkdfSync("sha256", options.secretKey, "intercom-bridge", purpose, 32));
		},

		/**
		 * Asks the database for a trivial answer (a health check).
		 * @throws StoreUnavailableError when the database does not answer.
		 */
		async ping(): Promise<void> {
			await guard(() => ctx.db.execute(sql`select 1`));
		},

		/**
		 * Runs `fn` in one transaction: all of it is written, or nothing. `tx` is for the store's own
		 * functions that take one (claimDelivery, findContact, JobQueue's enqueue…), not for SQL.
		 */
		transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
			return guard(() => ctx.db.transaction(fn));
		},

		/** Brings the schema up to date. Idempotent; safe when several instances start at once. */
		migrate: () => migrate(ctx.db),

		/**
		 * Start-up work: migrate, create the `default` site when missing, give every site a webhook
		 * API key. Idempotent.
		 */
		async prepare() {
			const migrations = await migrate(ctx.db);
			await sites.ensureDefaultSite();
			const webhookKeysGenerated = await settings.ensureWebhookApiKeys();
			return { migrations, webhookKeysGenerated };
		},

		...sites,
		...settings,
		...createContactStore(ctx),
		...createContactUpdateStore(ctx),
		...createConsentStore(ctx),
		...createActivityStore(ctx),
		...createActivityLogStore(ctx),
		...createTopicActivityStore(ctx),
		...createAdminUserStore(ctx),
		...createLoginAttemptStore(ctx),
		...createDeliveryStore(ctx),
		...createDisclosureStore(ctx),
		...createDataAttributeStore(ctx),
		...createAuditStore(ctx),
		...createOverviewStore(ctx),
		...createJobStore(ctx),
		...createPrivacyStore(ctx),
		...createRateBudgetStore(ctx),
		...createBackfillStore(ctx),

		/** Closes the database (and releases an embedded data directory), after what runs on it. */
		async close(): Promise<void> {
			await runStoreCloseHooks(store);
			await options.database.close();
		},
	};
	registerStoreInternals(store, options.database);
	return store;
}

/** The contact store. See {@link createStore}. */
export type Store = ReturnType<typeof createStore>;
