/**
 * "Intercom data access" and the OAuth round trip ("Get token").
 *
 * Threat model (docs/reliability.md A7): an attacker must not be able to attach their own Intercom
 * workspace to our site (login CSRF on the callback) nor replay a callback. So `state` is 256
 * random bits bound to this admin session, single use, valid 10 minutes, compared in constant time;
 * the redirect URL is fixed; the code is exchanged server-side and the token stored encrypted.
 * The callback answers errors with fixed wording (Intercom's error code at most), never with text
 * taken from the request.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { IntercomApiError, IntercomAuthError, OAuthError, ValidationError } from "../errors.ts";
import { createIntercomClient } from "../intercom/create-intercom-client.ts";
import { authorizationUrl, exchangeCode, workspaceOf } from "../intercom/oauth.ts";
import { createSharedRateBudget, rateBudgetKey } from "../intercom/rate-budget.ts";
import type { Region } from "../settings/setting-keys.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { postRoute, requireModify, siteAccess } from "./admin-routing.ts";
import { dataAccessPage } from "./data-access-page.ts";
import { type Markup, notice, page, sitePath } from "./layout.ts";
import { publicOrigin } from "./request-info.ts";
import { canModifySite, visibleSites } from "./roles.ts";
import { siteWarnings } from "./site-warnings.ts";

const OAUTH_MESSAGES: Record<string, string> = {
	access_denied: "Access was not granted on Intercom's page, so no token was saved.",
	state_mismatch:
		"This answer from Intercom does not belong to a “Get token” started in this session. Press “Get token” again.",
	no_flow:
		"No “Get token” is under way in this session (or this answer was already used). Press “Get token” again.",
	expired: "More than 10 minutes passed since “Get token” was pressed. Press it again.",
	missing_code: "Intercom sent no authorization code. Press “Get token” again.",
	not_configured: "Save the client ID and client secret first.",
	unreachable: "Intercom could not be reached to exchange the code. Try again later.",
	workspace_invalid:
		"The token's workspace reports an App ID or region this console cannot store, so neither was changed. Enter them under Intercom setup.",
	no_token: "No access token is stored: press “Get token” first.",
	workspace_unread:
		"Could not read the token's workspace from Intercom (GET /me failed), so the App ID and region were not changed. Reload this page to try again.",
	workspace_busy:
		"Intercom's rate limit for this workspace is used up for the moment (sync or a backfill is using it), so the workspace was not read and nothing was changed. Try again in a few seconds.",
};

/** The code of the client's error when the shared rate budget refused a call (src/intercom/request.ts). */
const BUDGET_EXHAUSTED = "rate_budget_exhausted";

const FILLED: Record<string, string> = { appId: "App ID", region: "region" };

const messageFor = (code: string) =>
	OAUTH_MESSAGES[code] ??
	`Intercom refused to issue a token (${/^[a-z0-9_.-]{1,40}$/i.test(code) ? code : "error"}). Check the client ID and client secret, then press “Get token” again.`;

/** The exact callback URL to register in Intercom. */
export const oauthRedirectUri = (c: Context<AdminEnv>, deps: AdminDeps) =>
	`${publicOrigin(c, deps)}${deps.basePath}/oauth/callback`;

/**
 * `GET /me` of `token`, on the workspace's shared rate budget like every other call (decision
 * 0024; the budget key is the one the job runner and sync use), as a `live` call. A person waits
 * for the page, so it does not queue for the budget: when the workspace's limit is used up (a
 * backfill, a 429 just now), it answers at once with a message saying to try again shortly.
 */
async function readMe(deps: AdminDeps, token: string, settings: { region: Region; appId: string | null }) {
	const { region } = settings;
	try {
		const client = createIntercomClient({
			token,
			region,
			endpoints: deps.endpoints(region),
			timeoutMs: 5000,
			maxRetries: 0,
			now: deps.now,
			rateBudget: createSharedRateBudget({
				store: deps.store,
				key: rateBudgetKey({ appId: settings.appId, region, token }),
				now: deps.now,
			}),
			budgetWaitCapMs: 0,
			...(deps.fetch ? { fetch: deps.fetch } : {}),
		});
		return { ok: true as const, value: await client.me() };
	} catch (err) {
		if (err instanceof IntercomAuthError) {
			return {
				ok: false as const,
				message:
					"Intercom refused the stored token (revoked or invalid). Press “Get token” to connect again.",
			};
		}
		if (err instanceof IntercomApiError && err.intercomCode === BUDGET_EXHAUSTED) {
			deps.logger.info("GET /me not sent: the workspace's rate budget is used up");
			return { ok: false as const, busy: true as const, message: OAUTH_MESSAGES.workspace_busy as string };
		}
		deps.logger.warn({ err: (err as Error).message }, "GET /me failed");
		return {
			ok: false as const,
			message: "Could not read the connected workspace from Intercom just now (GET /me failed).",
		};
	}
}

/** The store's `applyWorkspace`, or null when Intercom's values are not valid settings here. */
async function applyWorkspace(
	deps: AdminDeps,
	siteId: number,
	workspace: { appId: string; region: Region },
	actor: string,
	onlyEmpty: boolean,
): Promise<string[] | null> {
	try {
		return await deps.store.applyWorkspace(siteId, workspace, { actor, onlyEmpty });
	} catch (err) {
		if (!(err instanceof ValidationError)) throw err;
		deps.logger.warn({ siteId, err: err.message }, "the token's workspace is not a valid App ID or region");
		return null;
	}
}

/** Adds the data access page, `oauth/start`, `oauth/use-workspace`, `oauth/disconnect` and the shared `/oauth/callback`. */
export function registerDataAccessRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/data-access", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		const settings = await deps.store.getSettings(access.site.id);
		const notices: Markup[] = [];
		if (c.req.query("connected") !== undefined)
			notices.push(notice("ok", "Connected: the access token was saved."));
		if (c.req.query("disconnected") !== undefined)
			notices.push(notice("ok", "Disconnected: the access token was removed."));
		if (c.req.query("rechecked") !== undefined)
			notices.push(notice("ok", "The data attributes are checked again at the next contact sync."));
		const filled = (c.req.query("filled") ?? "").split(",").flatMap((k) => FILLED[k] ?? []);
		if (filled.length > 0) {
			const what = filled.join(" and ");
			notices.push(
				notice(
					"ok",
					c.req.query("used") !== undefined
						? `Saved the ${what} of the token's workspace.`
						: `Filled in the ${what} from the token's workspace.`,
				),
			);
		}
		const error = c.req.query("oauth_error");
		if (error) notices.push(notice("error", messageFor(error)));
		notices.push(...siteWarnings(c, deps, settings));
		const me = settings.accessToken ? await readMe(deps, settings.accessToken, settings) : null;
		const dataAttributes = await deps.store.listDataAttributeChecks(access.site.id);
		return c.html(
			dataAccessPage(c, deps, {
				access,
				settings,
				redirectUri: oauthRedirectUri(c, deps),
				me,
				notices,
				dataAttributes,
			}),
		);
	});

	postRoute(app, "/sites/:site/oauth/start", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const settings = await deps.store.getSettings(access.site.id);
		if (!settings.clientId || !settings.clientSecret) {
			return c.redirect(`${sitePath(deps, access.site, "data-access")}?oauth_error=not_configured`, 303);
		}
		const state = await deps.sessions.beginOAuth(c.get("session").tokenHash, access.site.id);
		const url = authorizationUrl({
			clientId: settings.clientId,
			state,
			redirectUri: oauthRedirectUri(c, deps),
			region: settings.region,
			endpoints: deps.endpoints(settings.region),
		});
		return c.redirect(url, 303);
	});

	// "Use these": replaces the App ID and region with those of the stored token's workspace, read
	// again here (the form carries no values, so none can be slipped in).
	postRoute(app, "/sites/:site/oauth/use-workspace", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const back = (query: string) => c.redirect(`${sitePath(deps, access.site, "data-access")}?${query}`, 303);
		const settings = await deps.store.getSettings(access.site.id);
		if (!settings.accessToken) return back("oauth_error=no_token");
		const me = await readMe(deps, settings.accessToken, settings);
		const workspace = me.ok ? workspaceOf(me.value) : null;
		if (!workspace) return back(`oauth_error=${"busy" in me ? "workspace_busy" : "workspace_unread"}`);
		const written = await applyWorkspace(deps, access.site.id, workspace, c.get("user").email, false);
		if (!written) return back("oauth_error=workspace_invalid");
		deps.logger.info({ site: access.site.codeName, keys: written }, "admin used the token's workspace");
		return back(`used=1&filled=${written.join(",")}`);
	});

	// "Check again": forgets the recorded check, so the next sync lists and creates the attributes anew.
	postRoute(app, "/sites/:site/data-attributes/recheck", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const cleared = await deps.store.clearDataAttributeChecks(access.site.id);
		deps.logger.info({ site: access.site.codeName, cleared }, "admin asked to check data attributes again");
		return c.redirect(`${sitePath(deps, access.site, "data-access")}?rechecked=1`, 303);
	});

	postRoute(app, "/sites/:site/oauth/disconnect", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		await deps.store.clearSetting(access.site.id, "accessToken", { actor: c.get("user").email });
		deps.logger.info({ site: access.site.codeName }, "admin disconnected Intercom");
		return c.redirect(`${sitePath(deps, access.site, "data-access")}?disconnected=1`, 303);
	});

	// A GET by necessity (Intercom redirects the browser here); the session-bound state makes it safe.
	app.get("/oauth/callback", async (c) => {
		const result = await deps.sessions.finishOAuth(c.get("session").tokenHash, c.req.query("state") ?? "");
		const user = c.get("user");
		if (!result.ok) {
			deps.logger.warn({ reason: result.reason }, "OAuth callback refused");
			const sites = visibleSites(user, await deps.store.listSites());
			const body = html`<h1>Intercom data access</h1>${notice("error", messageFor(result.reason))}
<p><a class="btn" href="${deps.basePath}">Back to the console</a></p>`;
			return c.html(page(c, deps, { title: "Get token failed", sites, nav: "data-access", body }), 400);
		}
		const site = (await deps.store.listSites()).find((s) => s.id === result.siteId);
		if (!site || !canModifySite(user, site.id)) return c.text("Forbidden: you cannot change this site.", 403);
		const back = (query: string) => c.redirect(`${sitePath(deps, site, "data-access")}?${query}`, 303);
		const denied = c.req.query("error");
		if (denied)
			return back(`oauth_error=${encodeURIComponent(denied === "access_denied" ? denied : "denied")}`);
		const code = c.req.query("code");
		if (!code) return back("oauth_error=missing_code");
		const settings = await deps.store.getSettings(site.id);
		if (!settings.clientId || !settings.clientSecret) return back("oauth_error=not_configured");
		let token: string;
		try {
			// Intercom documents one token endpoint for every region (the US host); the regional
			// one is an option for workspaces it turns away (docs/decisions/0019).
			const tokenRegion = deps.oauthTokenHost === "regional" ? settings.region : "us";
			({ token } = await exchangeCode({
				code,
				clientId: settings.clientId,
				clientSecret: settings.clientSecret,
				region: tokenRegion,
				endpoints: deps.endpoints(tokenRegion),
				timeoutMs: 10_000,
				...(deps.fetch ? { fetch: deps.fetch } : {}),
			}));
			await deps.store.setSetting(site.id, "accessToken", token, { actor: user.email });
		} catch (err) {
			deps.logger.warn({ site: site.codeName, err: (err as Error).message }, "OAuth code exchange failed");
			const reason = err instanceof OAuthError ? err.oauthCode : "unreachable";
			return back(`oauth_error=${encodeURIComponent(reason)}`);
		}
		deps.logger.info({ site: site.codeName, userId: user.id }, "admin connected Intercom (OAuth)");
		// Fill the App ID and region the site lacks from the token's workspace; a difference is
		// left for the admin to settle on the page ("Use these").
		const me = await readMe(deps, token, settings);
		const workspace = me.ok ? workspaceOf(me.value) : null;
		if (!workspace)
			return back(`connected=1&oauth_error=${"busy" in me ? "workspace_busy" : "workspace_unread"}`);
		const filled = await applyWorkspace(deps, site.id, workspace, user.email, true);
		if (!filled) return back("connected=1&oauth_error=workspace_invalid");
		if (filled.length > 0)
			deps.logger.info({ site: site.codeName, keys: filled }, "filled from the token's workspace");
		return back(`connected=1${filled.length > 0 ? `&filled=${filled.join(",")}` : ""}`);
	});
}
