/**
 * The audit log of a site: who changed which setting and when (never the value; the store writes
 * these rows), and, for administrators with a role on every site, the latest sign-in attempts.
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { siteAccess } from "./admin-routing.ts";
import { page } from "./layout.ts";
import { hasGlobalRole } from "./roles.ts";
import { siteWarnings } from "./site-warnings.ts";

const ACTIONS: Record<string, string> = {
	set: "changed",
	clear: "cleared",
	rotate: "generated a new key",
	generate: "generated",
	"oauth-fill": "set from the OAuth token's workspace",
};
const when = (d: Date) =>
	html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 19).replace("T", " ")} UTC</time>`;

/** Adds GET `/sites/:site/audit`. */
export function registerAuditRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/audit", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		const [rows, settings] = await Promise.all([
			deps.store.listSettingsAudit(access.site.id, 200),
			deps.store.getSettings(access.site.id),
		]);
		const showLogins = hasGlobalRole(c.get("user"));
		const logins = showLogins ? await deps.throttle.recent(50) : [];
		const body = html`<h1>Audit log</h1>
<p class="lead">Setting changes on <strong>${access.site.displayName}</strong>, newest first. Values are never recorded.</p>
<section class="card" aria-labelledby="changes-h"><h2 id="changes-h">Setting changes</h2>
${
	rows.length === 0
		? html`<p class="muted">No changes recorded.</p>`
		: html`<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Setting</th><th scope="col">Action</th></tr></thead><tbody>${rows.map(
				(r) =>
					html`<tr><td>${when(r.at)}</td><td>${r.actor}</td><td><code>${r.key.endsWith(".previous") ? `${r.key.slice(0, -".previous".length)} (previous)` : r.key}</code></td><td>${ACTIONS[r.action] ?? r.action}</td></tr>`,
			)}</tbody></table>`
}
</section>
${
	showLogins
		? html`<section class="card" aria-labelledby="logins-h"><h2 id="logins-h">Sign-in attempts</h2>
${
	logins.length === 0
		? html`<p class="muted">None recorded.</p>`
		: html`<table><thead><tr><th scope="col">When</th><th scope="col">Email</th><th scope="col">IP</th><th scope="col">Result</th></tr></thead><tbody>${logins.map(
				(l) =>
					html`<tr><td>${when(l.at)}</td><td>${l.email}</td><td>${l.ip ?? ""}</td><td>${l.success ? html`<span class="badge ok">signed in</span>` : html`<span class="badge off">failed</span>`}</td></tr>`,
			)}</tbody></table>`
}</section>`
		: ""
}`;
		return c.html(
			page(c, deps, {
				title: "Audit log",
				site: access.site,
				sites: access.sites,
				nav: "audit",
				notices: siteWarnings(c, deps, settings),
				body,
			}),
		);
	});
}
