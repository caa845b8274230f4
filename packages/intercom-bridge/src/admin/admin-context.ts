/** Types shared by the console's routes: resolved options and the per-request variables. */
import type { EndpointsResolver } from "../intercom/endpoints.ts";
import type { Logger } from "../logger.ts";
import type { AdminUser } from "../store/admin-user-store.ts";
import type { Store } from "../store/create-store.ts";
import type { AdminSession, SessionStore } from "../store/session-store.ts";
import type { DataAttributeMapping } from "../sync/ensure-data-attributes.ts";
import type { ContactAttributesHook } from "../sync/sync-contact.ts";
import type { LoginThrottle } from "./login-throttle.ts";

/** Which API host serves the OAuth token endpoint (see AdminAppOptions.oauthTokenHost). */
export type OAuthTokenHost = "global" | "regional";

/** {@link AdminAppOptions} with defaults filled in, plus the services built from them. */
export interface AdminDeps {
	store: Store;
	logger: Logger;
	basePath: string;
	/** Paths outside the console that sign-in may return to (createAdminGate). */
	returnPaths: readonly string[];
	/** Where the webhook routes live, for the URLs shown to paste into Intercom. */
	webhookBasePath: string;
	/** How long the previous webhook API key stays valid after "Generate new" (shown to the user). */
	apiKeyGracePeriodMs: number;
	endpoints: EndpointsResolver;
	trustProxy: boolean;
	now: () => number;
	publicUrl: string | undefined;
	/** The fetch used to call Intercom (OAuth token exchange, `GET /me`). */
	fetch: typeof fetch | undefined;
	/** Where "Get token" trades the code: Intercom's documented global host, or the site's region's. */
	oauthTokenHost: OAuthTokenHost;
	sessions: SessionStore;
	throttle: LoginThrottle;
	/** What the Sync page's backfill and fix send as custom attributes: live sync's mapping and hook. */
	dataAttributes: DataAttributeMapping | undefined;
	contactAttributes: ContactAttributesHook | undefined;
}

/** What middleware puts on the context for the routes. */
export interface AdminVariables {
	/** Per-response CSP nonce. */
	nonce: string;
	/** Set by the auth middleware on every route but sign-in. */
	session: AdminSession;
	user: AdminUser;
	/** This session's form token. */
	csrf: string;
}

/** The Hono environment of the console. */
export interface AdminEnv {
	Variables: AdminVariables;
}
