/**
 * The data every benchmark works on: the default site with the Messenger and webhooks enabled,
 * an activity type, and a pool of contacts (so concurrent updates do not queue on one row lock).
 */
import { sql } from "drizzle-orm";
import { getJobQueue } from "../src/jobs/job-queue.ts";
import type { Store } from "../src/store/create-store.ts";
import { rowsOf } from "../src/store/database.ts";
import { storeInternals } from "../src/store/store-internals.ts";

/** A browser's User-Agent: the bridge creates no contacts for bots. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0 Safari/537.36";

/** The sizes of page the bench serves: a minimal page (about 2 KB) and a median-sized one. */
export const PAGE_TEXT = {
	/** The worst case for the helper: little else on the page, so its bytes weigh most. */
	small: "Products. ".repeat(200),
	/**
	 * About 18 KB: the median HTML document's transfer size in the HTTP Archive's Web Almanac 2024
	 * (Page Weight chapter). Served uncompressed here, so real pages of that weight are larger still.
	 */
	median: "Products. ".repeat(1800),
} as const;

/** The page every variant serves; only what goes before `</body>` differs. */
export const pageHtml = (scripts: string, text: string = PAGE_TEXT.small) =>
	`<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1><p>${text}</p>${scripts}</body></html>`;

/** Number of contacts the webhook load is spread over. */
export const CONTACT_POOL = 500;

/** What the load generator needs to address a seeded database. */
export interface Seeded {
	apiKey: string;
	siteId: number;
	typeId: number;
	guids: string[];
}

/** Seeds a prepared store (idempotent for the site and type; adds the contacts once). */
export async function seedBenchStore(store: Store): Promise<Seeded> {
	const site = await store.requireSite("default");
	const settings: Record<string, string> = {
		enabled: "true",
		appId: "abc123",
		identityVerificationSecret: "bench-identity-secret-0123456789",
		sendContactData: "always",
	};
	for (const [key, value] of Object.entries(settings)) await store.setSetting(site.id, key, value);
	const type =
		(await store.getActivityType("pagevisit")) ??
		(await store.addActivityType({ codeName: "pagevisit", displayName: "Page visit" }));
	// One statement instead of 500 round trips: seeding is not what is measured.
	await storeInternals(store).db.execute(
		sql`insert into contacts (guid, first_name) select gen_random_uuid(), 'Bench' from generate_series(1, ${CONTACT_POOL})`,
	);
	const guids = rowsOf<{ guid: string }>(
		await storeInternals(store).db.execute(
			sql`select guid from contacts order by guid limit ${CONTACT_POOL}`,
		),
	).map((r) => r.guid);
	// The queue's schema is created on first use; do it now so no measured request pays for it.
	await getJobQueue(store).ensure();
	const apiKey = (await store.getSettings(site.id)).webhookApiKey;
	if (!apiKey) throw new Error("prepare() made no webhook API key");
	return { apiKey, siteId: site.id, typeId: type.id, guids };
}
