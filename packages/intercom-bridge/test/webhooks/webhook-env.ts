/**
 * The shared set-up of the webhook case groups: one store per group (a PGlite clone or a fresh
 * PostgreSQL database), the seeded site, and a way to mount the routes with given options.
 */
import { afterAll, beforeAll } from "vitest";
import type { Store } from "../../src/store/create-store.ts";
import type { Site } from "../../src/store/site-store.ts";
import type { WebhookOptions } from "../../src/webhooks/webhook-options.ts";
import type { StoreFactory } from "../harness/databases.ts";
import {
	type MountFn,
	type RequestFn,
	requestBuilder,
	type SendOptions,
	seedSite,
	webhookStore,
} from "./webhook-testbed.ts";

/** Where the suite runs: a database and a way to mount the bridge. */
export interface WebhookSuiteTarget {
	/** Shown in test names, e.g. `pglite` or `express on postgres`. */
	label: string;
	factory: StoreFactory;
	/** Default: the Hono routes called with `app.request()`. */
	mount?: MountFn;
	/** Default `/intercom`. */
	basePath?: string;
	/**
	 * How much of a 10 MB streamed body may be pulled before the 413 arrives. Default 1 MiB (in
	 * process); over a real socket the kernel's buffers take a few MiB before backpressure.
	 */
	maxPulledBytes?: number;
	/**
	 * False where the mount passes no client address (Next.js route handlers get only a Request):
	 * then the per-address limits must not apply. Default true.
	 */
	knowsClientAddress?: boolean;
}

export interface WebhookEnv {
	/** The target this environment runs for. */
	target: WebhookSuiteTarget;
	store: Store;
	site: Site;
	apiKey: string;
	basePath: string;
	/** Sends a prepared request through the routes mounted with default options. */
	request: RequestFn;
	/** Sends through routes mounted with default options (dedup off so cases can repeat bodies). */
	send(path: string, options?: SendOptions): Promise<Response>;
	/** Mounts routes with these options and returns a sender for them. */
	with(
		webhooks: WebhookOptions,
		extra?: { now?: () => number; clientAddress?: string },
	): Promise<(path: string, options?: SendOptions) => Promise<Response>>;
	/** Builds a request without sending it. */
	build(path: string, options?: SendOptions): Request;
}

/** Registers beforeAll/afterAll for a group and returns a getter of its environment. */
export function useWebhookEnv(target: WebhookSuiteTarget, mount: MountFn): () => WebhookEnv {
	let env: WebhookEnv | undefined;
	beforeAll(async () => {
		const store = await webhookStore(target.factory);
		const { site, apiKey } = await seedSite(store);
		const basePath = target.basePath ?? "/intercom";
		const build = requestBuilder(basePath, apiKey);
		const sender = (request: RequestFn) => (path: string, options?: SendOptions) =>
			request(build(path, options));
		const defaults = await mount({ store, basePath, webhooks: { dedupWindowMs: 0 } });
		env = {
			target,
			store,
			site,
			apiKey,
			basePath,
			request: defaults,
			send: sender(defaults),
			async with(webhooks, extra) {
				return sender(await mount({ store, basePath, webhooks, ...extra }));
			},
			build,
		};
	});
	afterAll(async () => {
		await env?.store.close();
	});
	return () => {
		if (!env) throw new Error("webhook environment not ready");
		return env;
	};
}
