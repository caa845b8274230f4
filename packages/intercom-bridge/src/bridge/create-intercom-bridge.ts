/**
 * `createIntercomBridge(options)`: the library's entry point. One Fetch-API `handler` for every
 * route under `basePath` (live-site endpoints, webhooks from Intercom), and the APIs a page needs:
 * the current visitor, the Messenger script, identify, consents.
 *
 * @example
 * const bridge = createIntercomBridge({ store: await pgliteStore({ dataDir: "./.data" }) });
 * // in a route: let the bridge answer its own paths, and put the Messenger on pages
 * if (url.pathname.startsWith("/intercom/")) return bridge.handler(request);
 * const html = page.replace("</body>", `${await bridge.messenger.script(request)}</body>`);
 * return bridge.applyCookies(request, new Response(html, { headers: { "content-type": "text/html" } }));
 */
import { Hono } from "hono";
import type { ConnectionInfo } from "../http/client-address.ts";
import { errorToResponse, jsonErrorResponse } from "../http/error-response.ts";
import type { VisitorRequest } from "../http/request-info.ts";
import { consentsNeeded, type MessengerDecision } from "../messenger/build-messenger-settings.ts";
import { renderShutdownScript } from "../messenger/render-messenger-script.ts";
import type { ContactFields } from "../store/contact-fields.ts";
import { createWebhookRoutes } from "../webhooks/create-webhook-routes.ts";
import { createWebhookCounts, type WebhookCounts } from "../webhooks/webhook-counts.ts";
import { createWebhookDayTally } from "../webhooks/webhook-day-tally.ts";
import { type IntercomBridgeOptions, resolveBridgeOptions } from "./bridge-options.ts";
import { createBridgeCore } from "./create-bridge-core.ts";
import { createPageView, type MessengerPage, type ScriptOptions } from "./create-page-view.ts";
import { createVisitorTracker, type Visit } from "./create-visitor-tracker.ts";
import { createLiveSiteRoutes } from "./live-site-routes.ts";

export {
	type MessengerPage,
	PERSONAL_PAGE_CACHE_CONTROL,
	type ScriptOptions,
} from "./create-page-view.ts";

/** Creates the bridge. Options are checked once. @throws ConfigError naming the option and the fix. */
export function createIntercomBridge(input: IntercomBridgeOptions) {
	const options = resolveBridgeOptions(input);
	const tracker = createVisitorTracker(options, (settings) => consentsNeeded(settings, options.messenger));
	const core = createBridgeCore(options, tracker);
	const pages = createPageView(options, tracker);
	const { basePath, logger } = options;

	const app = new Hono();
	app.route(basePath, createLiveSiteRoutes(core, pages));
	const webhookCounts = createWebhookCounts();
	const webhookTally = createWebhookDayTally({ store: options.store, logger, now: options.now });
	app.route(basePath, createWebhookRoutes({ options, webhookCounts, webhookTally }));
	app.notFound((c) =>
		jsonErrorResponse(404, "NOT_FOUND", `No intercom-bridge route for ${c.req.method} ${c.req.path}.`),
	);
	app.onError((err, c) => errorToResponse(err, { as: "json", logger, context: { path: c.req.path } }));

	return {
		/** The resolved options (read-only use). */
		options,
		/** The store the bridge works on. */
		store: options.store,

		/**
		 * Answers every request under `basePath` (Fetch API). Other paths get a 404 JSON. Pass the
		 * connection's address (`{ clientAddress: req.socket.remoteAddress }`) where you have it:
		 * the webhook routes limit failed authentications per address (the adapters do this).
		 */
		handler: (request: Request, connection?: ConnectionInfo): Promise<Response> =>
			Promise.resolve(app.fetch(request, connection)),

		/** Page views and consent calls that got no new contact because their address was over `newContactsPerMinute`. */
		newContactsRefused: (): number => core.newContactsRefused(),

		/** What the webhook routes refused since the bridge was created: 401s and 429s (for monitoring). */
		webhookCounts: (): WebhookCounts => ({ ...webhookCounts }),

		/**
		 * Writes the webhook counts per site and day (the console's overview) that are still in
		 * memory: they are written a few seconds after they happen; call this before closing the store.
		 */
		flushWebhookCounts: (): Promise<void> => webhookTally.flush(),

		/** True when `pathname` belongs to the bridge (adapters pass other requests on). */
		ownsPath: (pathname: string) => pathname === basePath || pathname.startsWith(`${basePath}/`),

		/**
		 * The current visitor: site, settings, contact, consent states and a pending Set-Cookie.
		 * Resolved once per request object. Creates an anonymous contact for a page view when tracking
		 * allows. Like every method below that takes a request, it accepts a Fetch `Request` or any
		 * {@link VisitorRequest} (`url`, `method`, `headers.get`), such as a view of a Node request.
		 */
		visit: (request: VisitorRequest, opts?: { create?: boolean }): Promise<Visit> =>
			core.visit(request, opts),

		/** Adds the visitor's pending Set-Cookie (new contact, merged GUID) to `response`. */
		async applyCookies(request: VisitorRequest, response: Response): Promise<Response> {
			const visit = await core.visit(request, { create: false });
			if (visit.setCookie) response.headers.append("Set-Cookie", visit.setCookie);
			return response;
		},

		messenger: {
			/**
			 * The HTML to put before `</body>`: empty when the site is disabled, has no app id, or the
			 * consent gate is closed. Remember {@link applyCookies} for a visitor seen for the first time.
			 * For a known visitor seen moments ago the script comes from memory, without a query.
			 */
			async script(request: VisitorRequest, opts?: ScriptOptions): Promise<string> {
				return (await pages.page(request, opts)).html;
			},
			/**
			 * For adapters: the script, the Set-Cookie value (or null) and the Cache-Control the page's
			 * response needs, in one call. Synchronous for a known visitor seen moments ago (map
			 * look-ups only), else a promise. A cache-safe page never needs a cookie.
			 * @internal
			 */
			page: (request: VisitorRequest, opts?: ScriptOptions): MessengerPage | Promise<MessengerPage> =>
				pages.page(request, opts),
			/**
			 * The Cache-Control a page carrying `html` (from {@link script}) needs: `private, no-store`
			 * when the script names the visitor (user_id, user_hash), since a shared cache that kept the
			 * page would hand one visitor's identity to others; null for a cache-safe or empty script.
			 */
			cacheControl: (html: string, opts: ScriptOptions = {}): string | null => pages.cacheControl(html, opts),
			/** The visitor's Messenger decision (settings object for single-page apps). */
			async settings(request: VisitorRequest): Promise<MessengerDecision> {
				return (await pages.settings(request)).decision;
			},
			/** A script that ends the Messenger session; render it on the page after sign-out or revoke. */
			shutdownScript: (opts: { nonce?: string } = {}) => renderShutdownScript(opts),
		},

		contacts: {
			/** The current visitor's contact, or null (never creates one). */
			async current(request: VisitorRequest) {
				return (await core.visit(request, { create: false })).contact;
			},
			/**
			 * Updates the visitor's contact with what they told you (a form, a sign-in). See
			 * BridgeCore.identify for the `verified` rule on emails owned by another contact.
			 */
			identify: (request: VisitorRequest, fields: ContactFields, opts?: { verified?: boolean }) =>
				core.identify(request, fields, opts),
			/** The Set-Cookie value that forgets the visitor (sign-out); pair it with `messenger.shutdownScript()`. */
			async forget(request: VisitorRequest): Promise<string> {
				return core.cookie.clear((await core.visit(request, { create: false })).secure);
			},
		},

		consents: {
			/** Agrees to a consent for the current visitor (creates the contact if needed). */
			agree: (request: VisitorRequest, code: string) => core.setConsent(request, code, "agree"),
			/** Revokes a consent for the current visitor. */
			revoke: (request: VisitorRequest, code: string) => core.setConsent(request, code, "revoke"),
			/** True when the current visitor's latest action on the consent is "agree". */
			async isAgreed(request: VisitorRequest, code: string): Promise<boolean> {
				const contact = (await core.visit(request, { create: false })).contact;
				return contact ? options.store.isAgreed(contact.guid, code) : false;
			},
			/** The current visitor's consents with their states and full history. */
			async list(request: VisitorRequest) {
				const contact = (await core.visit(request, { create: false })).contact;
				if (!contact) return { states: [], history: [] };
				const [states, history] = await Promise.all([
					options.store.consentStates(contact.guid),
					options.store.consentHistory(contact.guid),
				]);
				return { states, history };
			},
		},
	};
}

/** The bridge. See {@link createIntercomBridge}. */
export type IntercomBridge = ReturnType<typeof createIntercomBridge>;
