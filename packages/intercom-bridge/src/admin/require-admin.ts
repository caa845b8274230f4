/**
 * Default-deny: every console route except sign-in and the static files passes through here. It
 * loads the session and its user, and for anything but GET/HEAD checks where the request came
 * from and the form's CSRF token (csrf.ts). No session: a page request goes to sign-in (with a
 * safe `next`), anything else gets 401.
 */
import type { MiddlewareHandler } from "hono";
import type { AdminUser } from "../store/admin-user-store.ts";
import type { Store } from "../store/create-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { csrfToken, isSameSiteRequest, verifyCsrfToken } from "./csrf.ts";
import { oauthReturnHop } from "./oauth-return-hop.ts";
import { publicOrigin } from "./request-info.ts";
import { readSessionCookie } from "./session-cookie.ts";

/** An administrator by id with roles, or null when deleted. */
export function loadAdminUser(store: Store, userId: number): Promise<AdminUser | null> {
	return store.getAdminUser(userId);
}

/** Origins a form may legitimately be posted from. */
export function allowedOrigins(c: Parameters<MiddlewareHandler<AdminEnv>>[0], deps: AdminDeps): string[] {
	return [...new Set([publicOrigin(c, deps), new URL(c.req.url).origin])];
}

/** The middleware. */
export function requireAdmin(deps: AdminDeps): MiddlewareHandler<AdminEnv> {
	return async (c, next) => {
		const method = c.req.method;
		const safe = method === "GET" || method === "HEAD";
		if (!safe && !isSameSiteRequest(c, allowedOrigins(c, deps))) {
			return c.text("Forbidden: cross-site request.", 403);
		}
		const session = await deps.sessions.load(readSessionCookie(c, deps));
		const user = session ? await loadAdminUser(deps.store, session.userId) : null;
		if (!session || !user) {
			if (c.req.path === `${deps.basePath}/oauth/callback`) return oauthReturnHop(c, deps);
			if (!safe) return c.text("Unauthorized: sign in again.", 401);
			const next = `${c.req.path}${new URL(c.req.url).search}`;
			return c.redirect(`${deps.basePath}/login?next=${encodeURIComponent(next)}`, 302);
		}
		c.set("session", session);
		c.set("user", user);
		c.set("csrf", csrfToken(session.csrfSecret));
		if (!safe) {
			const body = await c.req.parseBody();
			if (!verifyCsrfToken(session.csrfSecret, body._csrf)) {
				return c.text(
					"Forbidden: the form expired or did not come from this console. Reload the page and try again.",
					403,
				);
			}
		}
		await next();
	};
}
