/**
 * The console's sign-in, required in front of routes that live outside the console (the demo's
 * "simulate Intercom" page, which fires webhooks with the site's real API key).
 *
 * @example
 * const adminOptions = { store, logger, returnPaths: ["/simulate-intercom"] };
 * app.route("/", createAdminApp(adminOptions));
 * app.use("/simulate-intercom/*", createAdminGate(adminOptions));
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AdminEnv } from "./admin-context.ts";
import { type AdminAppOptions, resolveAdminOptions } from "./create-admin-app.ts";
import { loadAdminUser } from "./require-admin.ts";
import { readSessionCookie } from "./session-cookie.ts";

/**
 * A middleware that lets through only requests with a live console session. Without one, a page
 * request is sent to the console's sign-in, which brings the administrator back afterwards (list
 * the path in `returnPaths` of the same options); anything else gets 401.
 */
export function createAdminGate(options: AdminAppOptions): MiddlewareHandler {
	const deps = resolveAdminOptions(options);
	return async (c, next) => {
		const ac = c as unknown as Context<AdminEnv>;
		const session = await deps.sessions.load(readSessionCookie(ac, deps));
		const user = session ? await loadAdminUser(deps.store, session.userId) : null;
		if (!user) {
			if (c.req.method !== "GET" && c.req.method !== "HEAD")
				return c.text("Unauthorized: sign in to the admin console first.", 401);
			const back = `${c.req.path}${new URL(c.req.url).search}`;
			return c.redirect(`${deps.basePath}/login?next=${encodeURIComponent(back)}`, 302);
		}
		await next();
	};
}
