/**
 * The page shell: head (stylesheet, the one nonce'd script), top bar with the site picker and
 * sign-out, side navigation, warnings and the page body. Every value goes through `html`, which
 * escapes it; nothing from a request or the store is marked raw.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Site } from "../store/site-store.ts";
import { ADMIN_ASSETS } from "./admin-assets.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { roleOn } from "./roles.ts";

/** Markup built with `html`. */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Which navigation entry is current. */
export type NavKey =
	| "overview"
	| "setup"
	| "data-access"
	| "webhooks"
	| "audit"
	| "jobs"
	| "sync"
	| "contacts"
	| "activity-types"
	| "consents";

export interface PageOptions {
	title: string;
	/** The site the page is about (site sections), shown in the picker. */
	site?: Site | null;
	/** Every site the user may see. */
	sites?: readonly Site[];
	nav?: NavKey;
	/** Shown above the content (warnings, confirmations). */
	notices?: Markup[];
	body: Markup;
}

/** The sections of a site, the landing page (its overview) first. */
export const SITE_SECTIONS: readonly string[] = [
	"overview",
	"setup",
	"data-access",
	"webhooks",
	"audit",
	"jobs",
	"sync",
];

/** URL of a site section. */
export const sitePath = (deps: AdminDeps, site: Site, section: string) =>
	`${deps.basePath}/sites/${encodeURIComponent(site.codeName)}/${section}`;

const asset = (deps: AdminDeps, name: keyof typeof ADMIN_ASSETS) =>
	`${deps.basePath}/assets/${name}?v=${ADMIN_ASSETS[name].version}`;

/** The document around any page, signed in or not. */
export function documentShell(c: Context<AdminEnv>, deps: AdminDeps, title: string, body: Markup): Markup {
	return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · intercom-bridge</title>
<link rel="stylesheet" href="${asset(deps, "admin.css")}">
<script nonce="${c.get("nonce")}" src="${asset(deps, "admin.js")}" defer></script>
</head>
<body>
${body}
</body>
</html>`;
}

/** A hidden form field with the session's CSRF token. */
export const csrfField = (c: Context<AdminEnv>) =>
	html`<input type="hidden" name="_csrf" value="${c.get("csrf")}">`;

/** A message box. */
export const notice = (kind: "ok" | "warn" | "error" | "info", body: Markup | string) =>
	html`<div class="notice ${kind}" role="${kind === "error" || kind === "warn" ? "alert" : "status"}">${body}</div>`;

function navLink(href: string, label: string, current: boolean) {
	return html`<li><a href="${href}"${current ? html` aria-current="page"` : ""}>${label}</a></li>`;
}

/** A full signed-in page. */
export function page(c: Context<AdminEnv>, deps: AdminDeps, options: PageOptions): Markup {
	const user = c.get("user");
	const site = options.site ?? null;
	const sites = options.sites ?? [];
	const sectionFor = options.nav && SITE_SECTIONS.includes(options.nav) ? options.nav : "overview";
	const navSite = site ?? sites[0] ?? null;
	const role = navSite ? roleOn(user, navSite.id) : null;
	const body = html`<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
	<a class="brand" href="${deps.basePath}"><span class="brand-mark" aria-hidden="true">ib</span>intercom-bridge</a>
	${
		sites.length > 0
			? html`<form method="get" action="${deps.basePath}/go">
		<label for="site-picker">Site</label>
		<select id="site-picker" name="site">${sites.map(
			(s) =>
				html`<option value="${s.codeName}"${s.id === navSite?.id ? html` selected` : ""}>${s.displayName} (${s.codeName})</option>`,
		)}</select>
		<input type="hidden" name="section" value="${sectionFor}">
		<button class="btn small" type="submit">Open</button>
	</form>`
			: ""
	}
	<span class="user"><a href="${deps.basePath}/account" title="Your account">${user.email}</a>${role ? html` · ${role === "modify" ? "can modify" : "read only"}` : ""}</span>
	<form method="post" action="${deps.basePath}/logout">${csrfField(c)}<button class="btn small" type="submit">Sign out</button></form>
</header>
<div class="shell">
	<nav class="sidenav" aria-label="Sections">
		${
			navSite
				? html`<h2>${navSite.displayName}</h2>
		<ul>
			${navLink(sitePath(deps, navSite, "overview"), "Overview", options.nav === "overview")}
			${navLink(sitePath(deps, navSite, "setup"), "Intercom setup", options.nav === "setup")}
			${navLink(sitePath(deps, navSite, "data-access"), "Intercom data access", options.nav === "data-access")}
			${navLink(sitePath(deps, navSite, "webhooks"), "Webhook security", options.nav === "webhooks")}
			${navLink(sitePath(deps, navSite, "sync"), "Sync to Intercom", options.nav === "sync")}
			${navLink(sitePath(deps, navSite, "jobs"), "Background jobs", options.nav === "jobs")}
			${navLink(sitePath(deps, navSite, "audit"), "Audit log", options.nav === "audit")}
		</ul>`
				: ""
		}
		<h2>All sites</h2>
		<ul>
			${navLink(`${deps.basePath}/contacts`, "Contacts", options.nav === "contacts")}
			${navLink(`${deps.basePath}/activity-types`, "Activity types", options.nav === "activity-types")}
			${navLink(`${deps.basePath}/consents`, "Consents", options.nav === "consents")}
		</ul>
	</nav>
	<main id="main" tabindex="-1">
		${options.notices ?? ""}
		${options.body}
	</main>
</div>`;
	return documentShell(c, deps, options.title, body);
}
