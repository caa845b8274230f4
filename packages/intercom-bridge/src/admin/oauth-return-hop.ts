/**
 * Intercom sends the browser back to the OAuth callback from its own site, and a SameSite=Strict
 * cookie is not sent on such a cross-site navigation. Rather than weaken the session cookie to Lax
 * for every page, the callback without a cookie answers a tiny page that navigates to the same URL
 * again (adding `hop=1`): that navigation starts on our own page, so it is same-site and carries
 * the cookie. A second miss means the session really is gone.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { documentShell, notice } from "./layout.ts";

/** Answers a callback request that arrived without a session. */
export function oauthReturnHop(c: Context<AdminEnv>, deps: AdminDeps) {
	const url = new URL(c.req.url);
	if (url.searchParams.get("hop") === "1") {
		const body = html`<main class="login card" id="main">
	<h1>Session ended</h1>
	${notice("error", "Your console session ended before Intercom sent you back, so the token was not saved.")}
	<p><a class="btn primary" href="${deps.basePath}/login">Sign in</a> and press “Get token” again.</p>
</main>`;
		return c.html(documentShell(c, deps, "Session ended", body), 401);
	}
	url.searchParams.set("hop", "1");
	const target = `${url.pathname}${url.search}`;
	const body = html`<main class="login card" id="main">
	<h1>Finishing the connection…</h1>
	<p><a data-auto-continue href="${target}">Continue</a> if nothing happens.</p>
</main>`;
	return c.html(documentShell(c, deps, "Connecting", body), 200);
}
