/**
 * The audit log of a site: who changed which setting and when (never the value; the store writes
 * these rows), what changed in the activity types and consents all sites share, and, for
 * administrators with a role on every site, changes to administrators and the latest sign-in attempts.
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import type { AuditEntry } from "../store/audit-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { siteAccess } from "./admin-routing.ts";
import { page } from "./layout.ts";
import { hasGlobalRole } from "./roles.ts";
import { siteWarnings } from "./site-warnings.ts";

/** Labels of actions; also the contact page's, for the privacy actions in Intercom. */
export const ACTIONS: Record<string, string> = {
	set: "changed",
	clear: "cleared",
	rotate: "generated a new key",
	generate: "generated",
	"oauth-fill": "set from the OAuth token's workspace",
	add: "added",
	rename: "renamed",
	enable: "enabled",
	disable: "disabled",
	edit: "edited",
	"backfill-start": "started the backfill",
	"backfill-pause": "paused the backfill",
	"reconcile-fix": "sent the missing and changed contacts again (reconciliation)",
	password: "set a new password",
	"add read": "added (read only)",
	"add modify": "added (can modify)",
	stop: "stop sending (consent withdrawn)",
	"scrub-queued": "scrub queued (consent withdrawn)",
	"scrub-done": "scrubbed in Intercom",
	"scrub-skipped": "scrub skipped",
	"scrub-failed": "scrub failed for good",
	"delete-queued": "deletion queued (consent withdrawn)",
	"delete-done": "deleted in Intercom",
	"delete-skipped": "deletion skipped",
	"delete-failed": "deletion failed for good",
};

/** What a row is about, in words. */
const SUBJECTS: Record<string, string> = {
	setting: "Setting",
	"activity-type": "Activity type",
	consent: "Consent",
	admin: "Administrator",
	intercom: "Contact in Intercom (GUID hash)",
	sync: "Sync to Intercom",
};

const subject = (r: AuditEntry) =>
	r.kind === "setting" && r.key.endsWith(".previous")
		? `${r.key.slice(0, -".previous".length)} (previous)`
		: r.key;
const when = (d: Date) =>
	html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 19).replace("T", " ")} UTC</time>`;

/** Adds GET `/sites/:site/audit`. */
export function registerAuditRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/audit", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		// Administrators and sign-ins concern every site: only a role on every site sees them.
		const showLogins = hasGlobalRole(c.get("user"));
		const [rows, settings] = await Promise.all([
			deps.store.listAudit(access.site.id, { limit: 200, admins: showLogins }),
			deps.store.getSettings(access.site.id),
		]);
		const logins = showLogins ? await deps.throttle.recent(50) : [];
		const body = html`<h1>Audit log</h1>
<p class="lead">Changes to the settings of <strong>${access.site.displayName}</strong>, and to the activity types and consents all sites share${showLogins ? " and to administrators" : ""}, newest first. Values are never recorded.</p>
<section class="card" aria-labelledby="changes-h"><h2 id="changes-h">Changes</h2>
${
	rows.length === 0
		? html`<p class="muted">No changes recorded.</p>`
		: html`<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Action</th></tr></thead><tbody>${rows.map(
				(r) =>
					html`<tr><td>${when(r.at)}</td><td>${r.actor}</td><td>${SUBJECTS[r.kind] ?? r.kind} <code>${subject(r)}</code></td><td>${ACTIONS[r.action] ?? r.action}</td></tr>`,
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
