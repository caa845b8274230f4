/**
 * A store ready for webhook tests (a site with Intercom enabled, a client secret, an API key, an
 * activity type) and helpers to send requests the way Intercom does. On PGlite the database is a
 * clone of a template that already holds pg-boss's schema, so each test starts in milliseconds.
 */
import { createHmac } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { resolveBridgeOptions } from "../../src/bridge/bridge-options.ts";
import { pgliteStore } from "../../src/db/pglite.ts";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createWebhookRoutes } from "../../src/webhooks/create-webhook-routes.ts";
import type { WebhookOptions } from "../../src/webhooks/webhook-options.ts";
import { migratedPglite, type StoreFactory, TEST_SECRET_KEY } from "../harness/databases.ts";

export const CLIENT_SECRET = "test-client-secret-0123456789";
export const APP_ID = "abc123";

/** Sends a Fetch request to the bridge under test and returns its response. */
export type RequestFn = (request: Request) => Promise<Response>;

/** Mounts webhook routes for a store; the adapters' tests pass one that goes through their framework. */
export type MountFn = (input: {
	store: Store;
	basePath: string;
	webhooks: WebhookOptions;
	now?: () => number;
	logger?: Logger;
	/**
	 * The client address the default mount reports (none by default, as `app.request()` has
	 * none); a framework adapter reports its socket's, 127.0.0.1, whatever this says.
	 */
	clientAddress?: string;
}) => RequestFn | Promise<RequestFn>;

/** The default mount: the Hono routes at the base path, called with `app.request()`. */
export const mountRoutes: MountFn = ({ store, basePath, webhooks, now, logger, clientAddress }) => {
	const ctx = {
		options: resolveBridgeOptions({
			store,
			basePath,
			webhooks,
			now,
			logger: logger ?? createLogger({ level: "silent" }),
		}),
	};
	const app = new Hono();
	app.route(ctx.options.basePath, createWebhookRoutes(ctx));
	return (request) => Promise.resolve(app.request(request, undefined, { clientAddress }));
};

let template: PGlite | undefined;

/** A store with pg-boss installed, from a per-file template on PGlite, or a fresh PostgreSQL database. */
export async function webhookStore(factory: StoreFactory): Promise<Store> {
	if (factory.kind === "pglite") {
		if (!template) {
			const pglite = await migratedPglite();
			const seed = await pgliteStore({ dataDir: null, pglite, secretKey: TEST_SECRET_KEY });
			await seed.prepare();
			await getJobQueue(seed).ensure();
			template = pglite;
		}
		const store = await pgliteStore({
			dataDir: null,
			pglite: (await template.clone()) as PGlite,
			secretKey: TEST_SECRET_KEY,
		});
		await store.prepare();
		return store;
	}
	return factory.ready();
}

/** Site settings and an activity type every case expects. */
export async function seedSite(store: Store) {
	const site = await store.requireSite("default");
	await store.setSetting(site.id, "enabled", "true");
	await store.setSetting(site.id, "clientSecret", CLIENT_SECRET);
	await store.setSetting(site.id, "appId", APP_ID);
	if (!(await store.getActivityType("pagevisit"))) {
		await store.addActivityType({ codeName: "pagevisit", displayName: "Page visit" });
		await store.addActivityType({ codeName: "oldtype", displayName: "Old type", enabled: false });
	}
	const settings = await store.getSettings(site.id);
	if (!settings.webhookApiKey) throw new Error("prepare() made no webhook API key");
	return { site, apiKey: settings.webhookApiKey };
}

/** `sha1=` + lowercase hex HMAC-SHA1 of the bytes, as Intercom signs. */
export function sign(body: string | Uint8Array, secret = CLIENT_SECRET): string {
	return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

export interface SendOptions {
	/** A string is sent as is; anything else as JSON. */
	body?: unknown;
	headers?: Record<string, string>;
	/** How to authenticate: the API key in a header, a signature, or nothing. Default `key`. */
	auth?: "key" | "bearer" | "xperience" | "sign" | "none";
	method?: string;
	host?: string;
	query?: string;
}

/** Builds requests to `{basePath}{path}` for one site. */
export function requestBuilder(basePath: string, apiKey: string) {
	return (path: string, options: SendOptions = {}): Request => {
		const body =
			options.body === undefined
				? undefined
				: typeof options.body === "string"
					? options.body
					: JSON.stringify(options.body);
		const headers = new Headers({ "content-type": "application/json", ...options.headers });
		const auth = options.auth ?? "key";
		if (auth === "key") headers.set("x-api-key", apiKey);
		if (auth === "bearer") headers.set("authorization", `Bearer ${apiKey}`);
		if (auth === "xperience") headers.set("XperienceApiKey", apiKey);
		if (auth === "sign") headers.set("x-hub-signature", sign(body ?? ""));
		const host = options.host ?? "shop.example.com";
		return new Request(`http://${host}${basePath}${path}${options.query ?? ""}`, {
			method: options.method ?? "POST",
			headers,
			body,
		});
	};
}

/** Number of conversation-links jobs queued for an activity. */
export async function jobsFor(store: Store, activityId: number): Promise<number> {
	const rows = rowsOf<{ n: number }>(
		await storeInternals(store).db.execute(
			sql`select count(*)::int as n from pgboss.job where data->>'activityId' = ${String(activityId)}`,
		),
	);
	return rows[0]?.n ?? 0;
}
