/**
 * Contacts (shared by all sites): a searchable, paged list and a page per contact with its fields,
 * custom fields, consents with their history, and activities. Everything shown here may have come
 * from a webhook, so it is only ever rendered escaped.
 *
 * An administrator with roles on some sites only sees the contacts of those sites (roles.ts
 * contactScope), and of those only the activities and disclosures of those sites; another contact
 * answers 404, as an unknown one does. Erasing needs modify on every site.
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { NotFoundError } from "../errors.ts";
import { getErasureBacklog, redriveDeadErasures } from "../jobs/job-backlog.ts";
import { eraseContact } from "../privacy/erase-contact.ts";
import { REGIONS } from "../settings/setting-keys.ts";
import { CONTACT_FIELD_NAMES } from "../store/contact-fields.ts";
import { isGuid } from "../store/contact-store.ts";
import type { Site } from "../store/site-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { postRoute, requireModify } from "./admin-routing.ts";
import { contactPage } from "./contact-page.ts";
import { csrfField, notice, page } from "./layout.ts";
import { canModifyShared, contactScope, hasGlobalRole, visibleSites } from "./roles.ts";

const PAGE_SIZE = 25;

const fullName = (c: { firstName: string | null; lastName: string | null }) =>
	[c.firstName, c.lastName].filter(Boolean).join(" ");

/** The list's filters, from the query. */
interface ContactFilters {
	site: Site | null;
	consent: string;
	named: boolean;
	activities: boolean;
}

/**
 * The filters of the contacts list from its query parameters: `site` (a code name the user may
 * see), `consent` (a consent's code name), `named=1` (hide anonymous visitors), `activities=1`.
 * @throws HTTPException 400 saying which parameter is wrong.
 */
export function contactFilters(
	query: Record<string, string>,
	sites: readonly Site[],
	consents: readonly { codeName: string }[],
): ContactFilters {
	const bad = (message: string) => new HTTPException(400, { message });
	const flag = (name: string) => {
		const value = query[name];
		if (value === undefined || value === "") return false;
		if (value === "1" || value === "on") return true;
		throw bad(`The filter "${name}" takes 1 or nothing (got "${value.slice(0, 20)}").`);
	};
	const code = query.site ?? "";
	const site = code === "" ? null : (sites.find((s) => s.codeName === code) ?? null);
	// A site the user has no role on is refused like an unknown one, so its existence is not told.
	if (code !== "" && !site)
		throw bad(`No site "${code.slice(0, 100)}" among yours: choose one from the list.`);
	const consent = query.consent ?? "";
	if (consent !== "" && !consents.some((k) => k.codeName === consent)) {
		throw bad(`No consent "${consent.slice(0, 100)}": choose one from the list.`);
	}
	return { site, consent, named: flag("named"), activities: flag("activities") };
}

/** Adds GET `/contacts` and `/contacts/:guid`. */
export function registerContactRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	const appHosts = new Set(REGIONS.map((r) => new URL(deps.endpoints(r).app).host));

	app.get("/contacts", async (c) => {
		const search = (c.req.query("q") ?? "").slice(0, 200);
		const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
		const user = c.get("user");
		const allSites = await deps.store.listSites();
		const sites = visibleSites(user, allSites);
		const consents = await deps.store.listConsents();
		const filters = contactFilters(c.req.query(), sites, consents);
		const list = await deps.store.listContacts({
			search,
			limit: PAGE_SIZE,
			offset: (pageNo - 1) * PAGE_SIZE,
			siteIds: contactScope(user, allSites),
			named: filters.named,
			siteId: filters.site?.id,
			consent: filters.consent || undefined,
			hasActivities: filters.activities,
		});
		const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
		const state = {
			...(search ? { q: search } : {}),
			...(filters.site ? { site: filters.site.codeName } : {}),
			...(filters.consent ? { consent: filters.consent } : {}),
			...(filters.named ? { named: "1" } : {}),
			...(filters.activities ? { activities: "1" } : {}),
		};
		const filtered = Object.keys(state).length > 0;
		const link = (p: number) =>
			`${deps.basePath}/contacts?${new URLSearchParams({ ...state, page: String(p) })}`;
		const erased =
			c.req.query("erased") === "1"
				? notice(
						"ok",
						"The contact was erased here. Its deletion in Intercom runs in the background; a failure shows here.",
					)
				: "";
		const asked = c.req.query("erasures") ?? "";
		const redriven = /^\d{1,6}$/.test(asked) ? asked : null;
		// Erasures concern every site's contacts: only those with a role on every site hear of them.
		const erasures = hasGlobalRole(user) ? await getErasureBacklog(deps.store) : { dead: 0, lastError: null };
		const erasureNotice =
			erasures.dead > 0
				? notice(
						"error",
						html`${erasures.dead} erasure${erasures.dead === 1 ? "" : "s"} in Intercom failed for good, so the person may still be there (last error: ${erasures.lastError}). Fix the cause (a site's token, usually), then ${
							canModifyShared(c.get("user"))
								? html`<form class="inline" method="post" action="${deps.basePath}/contacts/erasures/redrive">${csrfField(c)}<button class="btn small" type="submit">run them again</button></form>`
								: "ask an administrator who may modify every site to run them again"
						}, or delete the people in Intercom by hand.`,
					)
				: redriven
					? notice("ok", `${redriven} erasure${redriven === "1" ? "" : "s"} queued again.`)
					: "";
		const body = html`${erased}${erasureNotice}<h1>Contacts</h1>
<p class="lead" id="contacts-count">${list.total} contact${list.total === 1 ? "" : "s"}${search ? html` matching “${search}”` : ""}${filtered ? " with the filters below" : ""}, newest first.</p>
<form class="card filters" method="get" action="${deps.basePath}/contacts" role="search" aria-label="Search and filter contacts">
	<div class="filter"><label for="q">Search</label>
	<input type="search" id="q" name="q" value="${search}" placeholder="Email, name, company or GUID"></div>
	<div class="filter"><label for="site">Site</label>
	<select id="site" name="site"><option value="">All your sites</option>${sites.map(
		(s) =>
			html`<option value="${s.codeName}"${s.id === filters.site?.id ? html` selected` : ""}>${s.displayName}</option>`,
	)}</select></div>
	<div class="filter"><label for="consent">Agreed to</label>
	<select id="consent" name="consent"><option value="">Any consent or none</option>${consents.map(
		(k) =>
			html`<option value="${k.codeName}"${k.codeName === filters.consent ? html` selected` : ""}>${k.displayName}</option>`,
	)}</select></div>
	<label class="check"><input type="checkbox" name="named" value="1"${filters.named ? html` checked` : ""}> Hide anonymous visitors</label>
	<label class="check"><input type="checkbox" name="activities" value="1"${filters.activities ? html` checked` : ""}> Only with activities</label>
	<div class="actions"><button class="btn" type="submit">Search</button>
	${filtered ? html`<a href="${deps.basePath}/contacts">Clear</a>` : ""}</div>
</form>
<div class="card">
${
	list.items.length === 0
		? html`<p class="muted">No contacts${filtered ? " match this search" : " yet"}.</p>`
		: html`<table>
	<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Company</th><th scope="col">Created</th></tr></thead>
	<tbody>${list.items.map(
		(k) => html`<tr>
		<td><a href="${deps.basePath}/contacts/${k.guid}">${fullName(k) || "(no name)"}</a></td>
		<td>${k.email ?? ""}</td><td>${k.companyName ?? ""}</td>
		<td><time datetime="${k.createdAt.toISOString()}">${k.createdAt.toISOString().slice(0, 10)}</time></td></tr>`,
	)}</tbody></table>`
}
<nav class="pager" aria-label="Pages">
	${pageNo > 1 ? html`<a class="btn small" href="${link(pageNo - 1)}" rel="prev">Previous</a>` : ""}
	<span>Page ${pageNo} of ${pages}</span>
	${pageNo < pages ? html`<a class="btn small" href="${link(pageNo + 1)}" rel="next">Next</a>` : ""}
</nav>
</div>`;
		return c.html(page(c, deps, { title: "Contacts", sites, nav: "contacts", body }));
	});

	app.get("/contacts/:guid", async (c) => {
		const user = c.get("user");
		const allSites = await deps.store.listSites();
		const scope = contactScope(user, allSites);
		const guid = c.req.param("guid");
		// Another site's contact answers exactly as an unknown one: its existence is not told either.
		const contact = (await deps.store.isContactOnSites(guid, scope))
			? await deps.store.getContact(guid)
			: null;
		if (!contact) throw new HTTPException(404, { message: "No such contact." });
		const [states, history, activities, disclosures, intercomActions] = await Promise.all([
			deps.store.consentStates(contact.guid),
			deps.store.consentHistory(contact.guid),
			deps.store.listActivities(contact.guid, { limit: 200, siteIds: scope }),
			deps.store.listDisclosures(contact.guid, 200, scope),
			deps.store.listIntercomActions(contact.guid, scope),
		]);
		const sites = visibleSites(user, allSites);
		const siteNames = new Map(allSites.map((s) => [s.id, s.displayName]));
		return c.html(
			contactPage(c, deps, {
				contact,
				fieldNames: CONTACT_FIELD_NAMES,
				states,
				history,
				activities,
				disclosures,
				intercomActions,
				siteNames,
				appHosts,
				sites,
				canErase: canModifyShared(user),
			}),
		);
	});

	postRoute(app, "/contacts/erasures/redrive", async (c) => {
		requireModify(canModifyShared(c.get("user")));
		const count = await redriveDeadErasures(deps.store);
		deps.logger.info({ count, actor: c.get("user").id }, "admin queued failed erasures again");
		return c.redirect(`${deps.basePath}/contacts?erasures=${count}`, 303);
	});

	postRoute(app, "/contacts/:guid/erase", async (c) => {
		requireModify(canModifyShared(c.get("user")));
		const guid = c.req.param("guid");
		if (!isGuid(guid)) throw new HTTPException(404, { message: "No such contact." });
		try {
			await eraseContact(deps.store, guid, { actor: c.get("user").email, logger: deps.logger });
		} catch (err) {
			if (err instanceof NotFoundError) throw new HTTPException(404, { message: "No such contact." });
			throw err;
		}
		return c.redirect(`${deps.basePath}/contacts?erased=1`, 303);
	});
}
