/**
 * The administration console: a server-rendered Hono app to set up intercom-bridge per site.
 *
 * @example
 * import { createAdminApp } from "intercom-bridge/admin";
 * const admin = createAdminApp({ store, logger, publicUrl: "https://admin.example.com" });
 * await startServer({ store, logger, app: admin });   // the console under /admin
 *
 * Security (docs/reliability.md section C): server-side sessions with idle and absolute timeouts in a
 * SameSite=Strict, HttpOnly cookie; sign-in throttling without user enumeration; per-site roles;
 * a CSRF token on every form plus Sec-Fetch-Site/Origin checks; POST-only changes; a CSP with a
 * nonce per response; secrets never sent to the browser.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "../errors.ts";
import { errorToResponse } from "../http/error-response.ts";
import { type EndpointsResolver, realIntercom } from "../intercom/endpoints.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import { createSessionStore } from "../store/session-store.ts";
import { checkDataAttributeMapping, type DataAttributeMapping } from "../sync/ensure-data-attributes.ts";
import type { ContactAttributesHook } from "../sync/sync-contact.ts";
import { registerAccountRoutes } from "./account-routes.ts";
import { ADMIN_ASSETS, type AdminAssetName } from "./admin-assets.ts";
import type { AdminDeps, AdminEnv, OAuthTokenHost } from "./admin-context.ts";
import type { createAdminGate } from "./admin-gate.ts";
import { announceConsole } from "./announce-console.ts";
import { registerAuditRoutes } from "./audit-routes.ts";
import { registerCatalogRoutes } from "./catalog-routes.ts";
import { registerContactRoutes } from "./contact-routes.ts";
import { registerDataAccessRoutes } from "./data-access-routes.ts";
import { registerJobRoutes } from "./job-routes.ts";
import { documentShell, SITE_SECTIONS, sitePath } from "./layout.ts";
import { registerLoginRoutes, registerLogoutRoute } from "./login-routes.ts";
import { createLoginThrottle } from "./login-throttle.ts";
import { registerOverviewRoutes } from "./overview-routes.ts";
import { requireAdmin } from "./require-admin.ts";
import { visibleSites } from "./roles.ts";
import { securityHeaders } from "./security-headers.ts";
import { registerSetupRoutes } from "./setup-routes.ts";
import { registerSyncRoutes } from "./sync-routes.ts";
import { registerWebhookRoutes } from "./webhook-routes.ts";

/** Options of {@link createAdminApp}. */
export interface AdminAppOptions {
	store: Store;
	logger: Logger;
	/** Where the console lives. Default `/admin`. */
	basePath?: string;
	/** Intercom hosts per region (OAuth, `GET /me`, inbox links). Default: the real Intercom; tests pass the emulator's. */
	endpoints?: EndpointsResolver;
	/** Believe `X-Forwarded-Proto`, `-Host` and `-For` from a reverse proxy. Default false. */
	trustProxy?: boolean;
	/** Clock in epoch ms, for tests. Default `Date.now`. */
	now?: () => number;
	/** Public URL of the service (`https://admin.example.com`): the OAuth redirect URL and webhook URLs use it. Default: from the request. */
	publicUrl?: string;
	/** Where the webhook routes are mounted, for the URLs shown. Default `/intercom`. */
	webhookBasePath?: string;
	/** Grace period of a replaced webhook API key, as the webhooks enforce it (shown to users). Default 24 h. */
	apiKeyGracePeriodMs?: number;
	/** The fetch used to call Intercom. Default the global fetch; tests may pass the emulator's. */
	fetch?: typeof fetch;
	/**
	 * Where "Get token" trades the OAuth code. `"global"` (default): the token endpoint Intercom
	 * documents, `https://api.intercom.io/auth/eagle/token`, for every region. `"regional"`: the
	 * site's regional API host (e.g. `https://api.eu.intercom.io/auth/eagle/token`), which Intercom
	 * does not document; use it only if the global one refuses your EU or AU workspace.
	 */
	oauthTokenHost?: OAuthTokenHost;
	/**
	 * Failed sign-ins before delays start, per email and address (default 5) and per address across
	 * emails (default 20); failures of one email from all addresses within the hour above which an
	 * address that failed for it waits 15 min after each failure (default 20; an address without
	 * failures for the email is never held back by it); and sign-in attempts per address and minute
	 * before 429s, checked in memory first (default 10). IPv6 addresses count by their /64.
	 */
	loginLimits?: {
		perEmail?: number;
		perIp?: number;
		perEmailAllAddresses?: number;
		attemptsPerMinutePerIp?: number;
	};
	/**
	 * Paths outside the console that sign-in may send the administrator back to, for pages guarded
	 * by {@link createAdminGate} (e.g. `["/simulate-intercom"]`). Default none.
	 */
	returnPaths?: string[];
	/** Session timeouts in ms. Defaults: 30 min idle, 8 h absolute. */
	session?: { idleMs?: number; absoluteMs?: number };
	/**
	 * The data attribute mapping live contact sync uses (the job runner's `dataAttributes`,
	 * decision 0030): the Sync page's backfill and "Fix missing and changed" send the same custom
	 * attributes. `intercom-bridge serve` passes INTERCOM_BRIDGE_DATA_ATTRIBUTES. Default: none.
	 */
	dataAttributes?: DataAttributeMapping;
	/** The job runner's `contactAttributes` hook, for the same reason. Default: none. */
	contactAttributes?: ContactAttributesHook;
}

function checkPath(name: string, value: string): string {
	const path = value.replace(/\/+$/, "");
	if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
		throw new ConfigError(
			`createAdminApp: ${name} "${value}" must be a path like "/admin" (letters, digits, ".", "_", "~", "-").`,
		);
	}
	return path;
}

function checkTokenHost(value: string | undefined): OAuthTokenHost {
	if (value === undefined || value === "global" || value === "regional") return value ?? "global";
	throw new ConfigError(`createAdminApp: oauthTokenHost "${value}" must be "global" or "regional".`);
}

/** Resolves options into the dependencies the routes share. @throws ConfigError naming the option. */
export function resolveAdminOptions(options: AdminAppOptions): AdminDeps {
	if (!options?.store || typeof options.store.verifyAdminPassword !== "function") {
		throw new ConfigError(
			"createAdminApp: options.store is required (pgliteStore(...) or postgresStore(...)).",
		);
	}
	if (options.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(options.publicUrl)) {
		throw new ConfigError(
			`createAdminApp: publicUrl "${options.publicUrl}" must be an http(s) URL such as https://admin.example.com.`,
		);
	}
	// A bad mapping stops the start-up, naming the field, as the job runner does.
	if (options.dataAttributes) checkDataAttributeMapping(options.dataAttributes);
	const now = options.now ?? Date.now;
	return {
		store: options.store,
		logger: options.logger,
		basePath: checkPath("basePath", options.basePath ?? "/admin"),
		returnPaths: (options.returnPaths ?? []).map((p) => checkPath("returnPaths", p)),
		webhookBasePath: checkPath("webhookBasePath", options.webhookBasePath ?? "/intercom"),
		apiKeyGracePeriodMs: options.apiKeyGracePeriodMs ?? 24 * 60 * 60_000,
		endpoints: options.endpoints ?? realIntercom,
		trustProxy: options.trustProxy ?? false,
		now,
		publicUrl: options.publicUrl,
		fetch: options.fetch,
		oauthTokenHost: checkTokenHost(options.oauthTokenHost),
		dataAttributes: options.dataAttributes,
		contactAttributes: options.contactAttributes,
		sessions: createSessionStore({ store: options.store, now, ...options.session }),
		throttle: createLoginThrottle({
			store: options.store,
			now,
			maxFailuresPerEmail: options.loginLimits?.perEmail,
			maxFailuresPerIp: options.loginLimits?.perIp,
			maxFailuresPerEmailAllAddresses: options.loginLimits?.perEmailAllAddresses,
			maxAttemptsPerMinutePerIp: options.loginLimits?.attemptsPerMinutePerIp,
		}),
	};
}

/** Builds the console. Mount it with `startServer({ app })` or `app.route("/", createAdminApp(...))`. */
export function createAdminApp(options: AdminAppOptions): Hono {
	const deps = resolveAdminOptions(options);
	const app = new Hono<AdminEnv>().basePath(deps.basePath);

	app.use("*", securityHeaders(deps));
	app.use("*", bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text("Payload too large.", 413) }));
	app.onError((err, c) =>
		errorToResponse(err, {
			as: "html",
			logger: deps.logger,
			context: { path: c.req.path },
			label: "admin console",
			page: async ({ status, message }) =>
				await documentShell(
					c,
					deps,
					"Error",
					html`<main class="login card" id="main"><h1>${status === 404 ? "Not found" : status === 403 ? "Not allowed" : "Error"}</h1>
<p>${message}</p><p><a class="btn" href="${deps.basePath}">Back to the console</a></p></main>`,
				),
		}),
	);

	app.get("/assets/:name", (c) => {
		const asset = ADMIN_ASSETS[c.req.param("name") as AdminAssetName];
		if (!asset || !Object.hasOwn(ADMIN_ASSETS, c.req.param("name"))) return c.text("Not found.", 404);
		return c.body(asset.body, 200, {
			"Content-Type": asset.type,
			"Cache-Control": "public, max-age=31536000, immutable",
		});
	});
	registerLoginRoutes(app, deps);

	app.use("*", requireAdmin(deps));
	app.use("*", announceConsole(deps));
	registerLogoutRoute(app, deps);
	app.get("/", async (c) => {
		const [first] = visibleSites(c.get("user"), await deps.store.listSites());
		return c.redirect(first ? sitePath(deps, first, "overview") : `${deps.basePath}/contacts`, 302);
	});
	app.get("/go", async (c) => {
		const section = SITE_SECTIONS.find((s) => s === c.req.query("section")) ?? "overview";
		const site = visibleSites(c.get("user"), await deps.store.listSites()).find(
			(s) => s.codeName === c.req.query("site"),
		);
		if (!site) throw new HTTPException(404, { message: "No such site." });
		return c.redirect(sitePath(deps, site, section), 302);
	});
	registerOverviewRoutes(app, deps);
	registerSetupRoutes(app, deps);
	registerDataAccessRoutes(app, deps);
	registerWebhookRoutes(app, deps);
	registerAuditRoutes(app, deps);
	registerJobRoutes(app, deps);
	registerSyncRoutes(app, deps);
	registerAccountRoutes(app, deps);
	registerContactRoutes(app, deps);
	registerCatalogRoutes(app, deps);
	app.notFound((c) => {
		throw new HTTPException(404, { message: `No page at ${c.req.path}.` });
	});
	return app as unknown as Hono;
}
