/** A bridge on a migrated in-memory PGlite store, with a Messenger-enabled default site, for tests. */
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { IntercomBridgeOptions } from "../../src/bridge/bridge-options.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import { createStore, type Store } from "../../src/store/create-store.ts";
import type { Db } from "../../src/store/database.ts";
import * as schema from "../../src/store/schema.ts";
import { migratedPglite, TEST_SECRET_KEY } from "./databases.ts";

/** A browser's User-Agent (the bridge creates no contacts for bots). */
export const BROWSER_UA =
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

export const IDENTITY_SECRET = "iv-secret-0123456789";

/** A browser's page view of https://shop.example/products, with the visitor cookie when given. */
export const pageView = (cookie?: string) =>
	new Request("https://shop.example/products", {
		headers: { "user-agent": BROWSER_UA, "sec-fetch-dest": "document", ...(cookie ? { cookie } : {}) },
	});

/** The `name=value` part of a Set-Cookie value (what a browser sends back); "" for none. */
export const cookieOf = (setCookie: string | null) => (setCookie ?? "").split(";")[0] ?? "";

/**
 * A prepared store on a fresh in-memory PGlite whose SQL statements are recorded in `queries`.
 * `now` replaces the store's clock (its caches expire by it).
 */
export async function countedStore(
	options: { now?: () => number } = {},
): Promise<{ store: Store; queries: string[] }> {
	const pglite = (await migratedPglite()) as PGlite;
	const queries: string[] = [];
	const db = drizzle(pglite, { schema, logger: { logQuery: (q) => queries.push(q) } }) as unknown as Db;
	const store = createStore({
		database: {
			db,
			kind: "pglite",
			location: "memory",
			client: pglite,
			close: async () => {
				if (!pglite.closed) await pglite.close();
			},
		},
		secretKey: TEST_SECRET_KEY,
		now: options.now,
	});
	await store.prepare();
	return { store, queries };
}

/**
 * A bridge whose default site is enabled with app id `abc123`, an identity secret, and
 * `sendContactData=consent` with consent `data`. `siteSettings` overrides any of those;
 * `storeClock` replaces the store's clock.
 */
export async function createTestBridge(
	options: Partial<IntercomBridgeOptions> = {},
	siteSettings: Record<string, string> = {},
	storeClock?: () => number,
) {
	const { store, queries } = await countedStore({ now: storeClock });
	const site = await store.requireSite("default");
	await store.addConsent({ codeName: "data", displayName: "Share my data" });
	const all = {
		enabled: "true",
		appId: "abc123",
		identityVerificationSecret: IDENTITY_SECRET,
		sendContactData: "consent",
		sendContactDataConsent: "data",
		...siteSettings,
	};
	for (const [k, v] of Object.entries(all)) await store.setSetting(site.id, k, v);
	const bridge = createIntercomBridge({ store, logger: createLogger({ level: "silent" }), ...options });
	return { store, queries, bridge, site };
}
