/**
 * One contact: fields, custom fields, consents with history, what was shared with Intercom,
 * activities with conversation links.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { Activity, ActivityType } from "../store/activity-store.ts";
import type { AuditEntry } from "../store/audit-store.ts";
import type { ConsentHistoryEntry, ConsentState } from "../store/consent-store.ts";
import type { ContactFieldName } from "../store/contact-fields.ts";
import type { Contact } from "../store/contact-store.ts";
import type { Disclosure } from "../store/disclosure-store.ts";
import type { Site } from "../store/site-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { ACTIONS } from "./audit-routes.ts";
import { csrfField, type Markup, page } from "./layout.ts";

/** How a disclosure went out, in words (disclosure channels). */
const CHANNELS: Record<string, string> = {
	page: "script in a page",
	settings: "settings for a single-page app",
	event: "activity as an Intercom data event",
	api: "contact sync (REST API)",
};

import { linkifyComment } from "./linkify-comment.ts";

export interface ContactPageInput {
	contact: Contact;
	fieldNames: readonly ContactFieldName[];
	states: ConsentState[];
	history: ConsentHistoryEntry[];
	activities: { activity: Activity; type: ActivityType }[];
	/** What of the contact went to Intercom, from the disclosure log (newest first). */
	disclosures: Disclosure[];
	/** Privacy actions in Intercom (stop, scrub, delete; the audit log, newest first). */
	intercomActions: AuditEntry[];
	siteNames: ReadonlyMap<number, string>;
	/** Intercom app hosts whose links in comments are made clickable. */
	appHosts: ReadonlySet<string>;
	sites: Site[];
	/** The user may erase contacts (a modify role on every site). */
	canErase: boolean;
}

const LABELS: Record<ContactFieldName, string> = {
	email: "Email",
	firstName: "First name",
	middleName: "Middle name",
	lastName: "Last name",
	jobTitle: "Job title",
	address1: "Address",
	city: "City",
	zip: "Postal code",
	mobilePhone: "Mobile phone",
	businessPhone: "Business phone",
	notes: "Notes",
	companyName: "Company",
};

const when = (d: Date) =>
	html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Where an activity came from, in words (docs/decisions/0027); nothing for rows older than origins. */
const ORIGIN_TEXT: Record<Activity["origin"], string> = {
	site: "from this site",
	"intercom-series": "from an Intercom Series",
	"intercom-notification": "from an Intercom notification",
	unknown: "",
};

/** A link for an activity's URL, only for http(s); anything else is shown as text. */
function activityUrl(url: string | null): Markup | string {
	if (!url) return "";
	const ok = URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
	return ok
		? html`<a href="${url}" target="_blank" rel="noopener noreferrer">${url}</a>`
		: html`<span class="mono">${url}</span>`;
}

/** The legal basis of a disclosure, in words. */
function basis(d: Disclosure): string {
	if (d.policy === "consent")
		return d.consentCode ? `consent "${d.consentCode}"` : "identifier only (no consent yet)";
	return d.policy === "always" ? "data policy: always" : "identifier only (data policy: never)";
}

/** Renders the page. */
export function contactPage(c: Context<AdminEnv>, deps: AdminDeps, input: ContactPageInput): Markup {
	const k = input.contact;
	const custom = Object.entries(k.customFields ?? {});
	const name = [k.firstName, k.lastName].filter(Boolean).join(" ") || "(no name)";
	const body = html`<p><a href="${deps.basePath}/contacts">← Contacts</a></p>
<h1>${name}</h1>
<p class="lead mono">${k.guid}</p>
<section class="card" aria-labelledby="fields-h">
	<h2 id="fields-h">Fields</h2>
	<dl class="props">${input.fieldNames.map((f) => html`<dt>${LABELS[f]}</dt><dd>${k[f] ?? html`<span class="muted">—</span>`}</dd>`)}
		<dt>Created</dt><dd>${when(k.createdAt)}</dd><dt>Updated</dt><dd>${when(k.updatedAt)}</dd></dl>
</section>
<section class="card" aria-labelledby="custom-h">
	<h2 id="custom-h">Custom fields</h2>
	${
		custom.length === 0
			? html`<p class="muted">None.</p>`
			: html`<dl class="props">${custom.map(([key, v]) => html`<dt>${key}</dt><dd>${show(v)}</dd>`)}</dl>`
	}
</section>
<section class="card" aria-labelledby="consents-h">
	<h2 id="consents-h">Consents</h2>
	${
		input.states.length === 0
			? html`<p class="muted">No consents are defined.</p>`
			: html`<table><thead><tr><th scope="col">Consent</th><th scope="col">State</th><th scope="col">Since</th></tr></thead><tbody>${input.states.map(
					(s) => html`<tr><td>${s.consent.displayName} <span class="muted">(${s.consent.codeName})</span></td>
				<td>${s.agreed ? html`<span class="badge ok">agreed</span>` : html`<span class="badge">not agreed</span>`}</td>
				<td>${s.since ? when(s.since) : ""}</td></tr>`,
				)}</tbody></table>`
	}
	<h3>History</h3>
	${
		input.history.length === 0
			? html`<p class="muted">No agreements or revocations recorded.</p>`
			: html`<table><thead><tr><th scope="col">When</th><th scope="col">Consent</th><th scope="col">Action</th></tr></thead><tbody>${input.history.map(
					(h) =>
						html`<tr><td>${when(h.at)}</td><td>${h.consentDisplayName}</td><td>${h.action === "agree" ? "agreed" : "revoked"}</td></tr>`,
				)}</tbody></table>`
	}
</section>
<section class="card" aria-labelledby="shared-h">
	<h2 id="shared-h">Shared with Intercom</h2>
	<p class="muted">Which fields the Messenger or contact sync sent, on what basis, from when (the disclosure log; values are never recorded).</p>
	${
		input.disclosures.length === 0
			? html`<p class="muted">Nothing recorded: no data of this contact was sent to Intercom.</p>`
			: html`<table class="disclosures"><thead><tr><th scope="col">First sent</th><th scope="col">Fields</th><th scope="col">Basis</th><th scope="col">How</th></tr></thead><tbody>${input.disclosures.map(
					(
						d,
					) => html`<tr><td>${when(d.at)}<br><span class="muted">${input.siteNames.get(d.siteId) ?? ""}</span></td>
				<td class="mono">${d.fields.split(",").join(", ")}</td>
				<td>${basis(d)}</td><td>${CHANNELS[d.channel] ?? d.channel}</td></tr>`,
				)}</tbody></table>`
	}
	<h3 id="privacy-h">Privacy actions in Intercom</h3>
	${
		input.intercomActions.length === 0
			? html`<p class="muted">None: no withdrawal has stopped, scrubbed or deleted this contact in Intercom.</p>`
			: html`<table class="intercom-actions" aria-labelledby="privacy-h"><thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">By</th></tr></thead><tbody>${input.intercomActions.map(
					(a) =>
						html`<tr><td>${when(a.at)}<br><span class="muted">${a.siteId === null ? "" : (input.siteNames.get(a.siteId) ?? "")}</span></td><td>${ACTIONS[a.action] ?? a.action}</td><td>${a.actor}</td></tr>`,
				)}</tbody></table>`
	}
</section>
<section class="card" aria-labelledby="activities-h">
	<h2 id="activities-h">Activities</h2>
	${
		input.activities.length === 0
			? html`<p class="muted">No activities yet.</p>`
			: html`<table class="activities"><thead><tr><th scope="col">When</th><th scope="col">Activity</th><th scope="col">Details</th></tr></thead><tbody>${input.activities.map(
					({ activity: a, type }) => html`<tr>
				<td>${when(a.createdAt)}<br><span class="muted">${input.siteNames.get(a.siteId) ?? ""}</span></td>
				<td><strong>${a.title}</strong><br><span class="badge">${type.displayName}</span>${
					ORIGIN_TEXT[a.origin] ? html` <span class="muted origin">${ORIGIN_TEXT[a.origin]}</span>` : ""
				}</td>
				<td>${a.value ? html`<div>Value: ${a.value}</div>` : ""}${a.url ? html`<div>URL: ${activityUrl(a.url)}</div>` : ""}${
					a.comment ? html`<div class="comment">${linkifyComment(a.comment, input.appHosts)}</div>` : ""
				}</td></tr>`,
				)}</tbody></table>`
	}
</section>
${
	input.canErase
		? html`<section class="card" aria-labelledby="erase-h">
	<h2 id="erase-h">Erase this contact</h2>
	<p>On the person's request (right to erasure): deletes the contact, its activities and consent history here, and the person in every Intercom workspace a site is connected to. It cannot be undone. Webhooks that still arrive for this contact are acknowledged and ignored.</p>
	<form method="post" action="${deps.basePath}/contacts/${k.guid}/erase" data-confirm="Erase ${name} here and in Intercom? This cannot be undone.">${csrfField(c)}
		<div class="actions"><button class="btn danger" type="submit" id="erase-contact">Erase contact</button></div></form>
</section>`
		: ""
}`;
	return page(c, deps, { title: name, sites: input.sites, nav: "contacts", body });
}
