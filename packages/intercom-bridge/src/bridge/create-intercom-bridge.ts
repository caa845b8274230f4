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
import type { MessengerDecision } from "../messenger/build-messenger-settings.ts";
import {
	type RenderOptions,
	renderCacheSafeScript,
	renderInlineScript,
	renderShutdownScript,
} from "../messenger/render-messenger-script.ts";
import type { ContactFields } from "../store/contact-fields.ts";
import { createWebhookRoutes } from "../webhooks/create-webhook-routes.ts";
import { createWebhookCounts, type WebhookCounts } from "../webhooks/webhook-counts.ts";
import { type IntercomBridgeOptions, resolveBridgeOptions } from "./bridge-options.ts";
import { createBridgeCore } from "./create-bridge-core.ts";
import type { Visit } from "./create-visitor-tracker.ts";
import { createLiveSiteRoutes } from "./live-site-routes.ts";

/** What `messenger.page` gives an adapter for one page. */
export interface MessengerPage {
	/** The HTML to put before `</body>`. */
	html: string;
	/** A Set-Cookie value the response must carry, or null. */
	setCookie: string | null;
	/** The Cache-Control the response must carry (the script names the visitor), or null. */
	cacheControl: string | null;
}

/** Cache-Control of a page whose Messenger script names the visitor: no shared cache may keep it. */
export const PERSONAL_PAGE_CACHE_CONTROL = "private, no-store";

/** Options of `messenger.script`. */
export interface ScriptOptions {
	/** The page's CSP nonce. */
	nonce?: string;
	/** Override the configured cache-safe mode for this page. */
	cacheSafe?: boolean;
}

/** Creates the bridge. Options are checked once. @throws ConfigError naming the option and the fix. */
export function createIntercomBridge(input: IntercomBridgeOptions) {
	const options = resolveBridgeOptions(input);
	const core = createBridgeCore(options);
	const { basePath, logger } = options;

	const app = new Hono();
	app.route(basePath, createLiveSiteRoutes(core));
	const webhookCounts = createWebhookCounts();
	app.route(basePath, createWebhookRoutes({ options, webhookCounts }));
	app.notFound((c) =>
		jsonErrorResponse(404, "NOT_FOUND", `No intercom-bridge route for ${c.req.method} ${c.req.path}.`),
	);
	app.onError((err, c) => errorToResponse(err, { as: "json", logger, context: { path: c.req.path } }));

	const rendered = new Map<string, { contact: object; settings: object; agreed: object; html: string }>();
	const renderOptions = (opts: ScriptOptions): RenderOptions => ({
		nonce: opts.nonce,
		lazy: options.messenger.lazy,
	});
	const settingsUrl = `${basePath}/messenger/settings`;
	// The cache-safe script is the same for every page without a nonce.
	let cacheSafeHtml: string | undefined;
	const cacheSafeScript = (opts: ScriptOptions): string => {
		if (opts.nonce) return renderCacheSafeScript(settingsUrl, renderOptions(opts));
		cacheSafeHtml ??= renderCacheSafeScript(settingsUrl, renderOptions(opts));
		return cacheSafeHtml;
	};

	/**
	 * A page view's script from memory alone, synchronously, or undefined. It is there when the
	 * request's Host was resolved moments ago (its site and the store's settings, checked again every
	 * 0.1 s), its cookie verified before, its contact was read within the cache age and was not merged
	 * away (that needs a Set-Cookie), and the script was rendered for that contact, its consents and
	 * those settings. Then the page view costs a few map look-ups: no URL parsing, no HMAC, no query,
	 * no promise, no serialisation, and it needs no Set-Cookie and no write. Otherwise
	 * {@link resolvedScript} and the visit do the work, which fills the caches.
	 */
	function cachedScript(request: VisitorRequest, opts: ScriptOptions): string | undefined {
		// A request already resolved may have been identified or merged since: its cookie is outdated.
		if (opts.nonce || core.visited(request)) return undefined;
		const known = core.cachedSite(request);
		const guid = known && core.cookie.read(request.headers.get("cookie"));
		if (!known || !guid) return undefined;
		const { settings } = known;
		const visitor = core.cachedVisitor(guid, settings);
		if (!visitor || visitor.contact.guid !== guid) return undefined;
		if (opts.cacheSafe ?? options.messenger.cacheSafe) {
			return settings.enabled && settings.appId ? cacheSafeScript(opts) : "";
		}
		const hit = rendered.get(visitor.contact.guid);
		return hit &&
			hit.contact === visitor.contact &&
			hit.settings === settings &&
			hit.agreed === visitor.agreed
			? hit.html
			: undefined;
	}

	const cacheControlOf = (html: string, opts: ScriptOptions) =>
		html === "" || (opts.cacheSafe ?? options.messenger.cacheSafe) ? null : PERSONAL_PAGE_CACHE_CONTROL;

	/** The script for `request`, resolving the visitor (see messenger.script). */
	async function resolvedScript(request: VisitorRequest, opts: ScriptOptions): Promise<string> {
		if (opts.cacheSafe ?? options.messenger.cacheSafe) {
			// The page must be the same for everyone: no visitor data and no cookie, only the
			// loader; the settings endpoint identifies (and if need be creates) the visitor.
			const site = await core.visit(request, { create: false });
			if (!site.settings?.enabled || !site.settings.appId) return "";
			return cacheSafeScript(opts);
		}
		const visit = await core.visit(request);
		// While the visitor and the settings come from cache (the same objects), so does the HTML:
		// no HMAC or serialisation per page view. A per-response nonce makes every script unique.
		const key = visit.contact && !opts.nonce ? visit.contact.guid : null;
		const hit = key ? rendered.get(key) : undefined;
		if (
			hit &&
			hit.contact === visit.contact &&
			hit.settings === visit.settings &&
			hit.agreed === visit.agreed
		) {
			return hit.html;
		}
		const decision = core.decide(visit);
		// Recorded before the script can reach the page; once per distinct disclosure.
		await core.disclose(visit, decision, "page");
		// No await from here to the cache: concurrent views of the visitor then render it only once.
		const html = decision.enabled
			? renderInlineScript(decision.settings, decision.widgetUrl, renderOptions(opts))
			: "";
		// Kept as one flat string: built from many pieces, it would be walked piece by piece each time
		// a page containing it is written.
		const flat = key ? Buffer.from(html).toString() : html;
		if (key && visit.contact && visit.settings) {
			if (rendered.size >= 10_000) rendered.delete(rendered.keys().next().value as string);
			rendered.set(key, {
				contact: visit.contact,
				settings: visit.settings,
				agreed: visit.agreed,
				html: flat,
			});
		}
		return flat;
	}

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
			async script(request: VisitorRequest, opts: ScriptOptions = {}): Promise<string> {
				return cachedScript(request, opts) ?? resolvedScript(request, opts);
			},
			/**
			 * For adapters: the script from memory when a known visitor was seen moments ago (then the
			 * page needs no Set-Cookie), synchronously; else undefined, and {@link page} does the work.
			 * @internal
			 */
			cachedScript: (request: VisitorRequest, opts: ScriptOptions = {}): string | undefined =>
				cachedScript(request, opts),
			/**
			 * For adapters: the script and the Set-Cookie value the page's response needs (or null), in
			 * one call. A known visitor seen moments ago costs map look-ups only (see `cachedScript`).
			 * A cache-safe page never needs one.
			 * @internal
			 */
			async page(request: VisitorRequest, opts: ScriptOptions = {}): Promise<MessengerPage> {
				const cached = cachedScript(request, opts);
				if (cached !== undefined)
					return { html: cached, setCookie: null, cacheControl: cacheControlOf(cached, opts) };
				const html = await resolvedScript(request, opts);
				// A cache-safe page is the same for everyone and a shared cache may keep it, Set-Cookie
				// and all: no cookie and no new contact here. The settings endpoint (no-store) identifies
				// the visitor, creates one if need be, and moves a merged visitor's cookie.
				if (opts.cacheSafe ?? options.messenger.cacheSafe)
					return { html, setCookie: null, cacheControl: null };
				return {
					html,
					setCookie: (await core.visit(request)).setCookie,
					cacheControl: cacheControlOf(html, opts),
				};
			},
			/**
			 * The Cache-Control a page carrying `html` (from {@link script}) needs: `private, no-store`
			 * when the script names the visitor (user_id, user_hash), since a shared cache that kept the
			 * page would hand one visitor's identity to others; null for a cache-safe or empty script.
			 */
			cacheControl: (html: string, opts: ScriptOptions = {}): string | null => cacheControlOf(html, opts),
			/** The visitor's Messenger decision (settings object for single-page apps). */
			async settings(request: VisitorRequest): Promise<MessengerDecision> {
				const visit = await core.visit(request);
				const decision = core.decide(visit);
				await core.disclose(visit, decision, "settings");
				return decision;
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
