/**
 * "Webhook security": what to paste into an Intercom Series webhook (URLs, header, body keys), the
 * API key, and the body key that identifies a delivery (reliability W12). The stored key is a secret like any other, so pages show only its mask; "Generate
 * new" shows the new key once, in the answer to that POST (not stored in any page or URL), and the
 * previous key keeps working for the grace period so live Series can be updated without a gap.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { publicMessage, ValidationError } from "../errors.ts";
import { maskSecret } from "../settings/setting-keys.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute, requireModify, type SiteAccess, siteAccess } from "./admin-routing.ts";
import { copyable } from "./copyable.ts";
import { textRow } from "./form-controls.ts";
import { csrfField, type Markup, notice, page, sitePath } from "./layout.ts";
import { publicOrigin } from "./request-info.ts";
import { siteWarnings } from "./site-warnings.ts";

const CONTACT_KEYS = [
	["ContactGUID", "the contact's id (the Messenger's user_id); required"],
	["ContactEmail", "email"],
	["ContactFirstName", "first name"],
	["ContactMiddleName", "middle name"],
	["ContactLastName", "last name"],
	["ContactJobTitle", "job title"],
	["ContactAddress1", "address"],
	["ContactCity", "city"],
	["ContactZIP", "postal code"],
	["ContactMobilePhone", "mobile phone"],
	["ContactBusinessPhone", "business phone"],
	["ContactCompanyName", "company"],
	["ContactNotes", "notes"],
] as const;
const ACTIVITY_KEYS = [
	["ContactGuid", "the contact's id; required"],
	["ActivityType", "code name of an enabled activity type; required"],
	["ActivityURL", "the page the activity is about"],
	["ActivityValue", "free text, shown in the activity title"],
] as const;

function keyTable(rows: readonly (readonly [string, string])[]): Markup {
	return html`<table><thead><tr><th scope="col">Body key</th><th scope="col">Meaning</th></tr></thead><tbody>${rows.map(
		([k, v]) => html`<tr><td><code>${k}</code></td><td>${v}</td></tr>`,
	)}</tbody></table>`;
}

/** The dedup-field form as submitted, when it comes back with an error. */
interface DedupForm {
	value: string;
	error: string;
}

async function render(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	access: SiteAccess,
	newKey: string | null,
	dedup: DedupForm | null = null,
	saved = false,
) {
	const settings = await deps.store.getSettings(access.site.id);
	const origin = publicOrigin(c, deps);
	const base = `${origin}${deps.webhookBasePath}`;
	const hours = Math.round(deps.apiKeyGracePeriodMs / 3_600_000);
	const notices: Markup[] = [];
	if (newKey)
		notices.push(notice("ok", "A new API key was generated. Copy it now: it is shown only this once."));
	if (saved) notices.push(notice("ok", "Saved how duplicate deliveries are recognised."));
	if (dedup) notices.push(notice("error", "Nothing was saved: correct the field marked below."));
	notices.push(...siteWarnings(c, deps, settings));
	const body = html`<h1>Webhook security</h1>
<p class="lead">Intercom Series call these webhooks to update contacts and log activities on <strong>${access.site.displayName}</strong>.</p>
<section class="card" aria-labelledby="key-h">
	<h2 id="key-h">API key</h2>
	<p>Send it in the <code>X-Api-Key</code> header of every webhook request.</p>
	${
		newKey
			? copyable("api-key", newKey, "Copy API key")
			: html`<p><span class="badge${settings.webhookApiKey ? " ok" : ""}" id="api-key-mask">${maskSecret(settings.webhookApiKey)}</span>
		<span class="muted">The key is shown only once, when it is generated. Generate a new one to copy it.</span></p>`
	}
	${settings.previousWebhookApiKeys.map(
		(p) =>
			html`<p class="muted">A replaced key (${maskSecret(p.key)}) was replaced on ${p.replacedAt.toISOString().slice(0, 16).replace("T", " ")} UTC and stays valid for ${hours} h after that.</p>`,
	)}
	${
		access.canModify
			? html`<form method="post" action="${sitePath(deps, access.site, "webhooks/rotate")}" data-confirm="Generate a new API key? The current key stays valid for ${hours} hours; update your Series within that time.">${csrfField(c)}
		<div class="actions"><button class="btn primary" type="submit" id="generate-key">Generate new</button>
		<span class="muted">The current key keeps working for ${hours} hours, so you can update your Series without downtime.</span></div></form>`
			: html`<p class="notice info" role="status">Your role on this site is read only.</p>`
	}
</section>
<section class="card" aria-labelledby="urls-h">
	<h2 id="urls-h">Webhook URLs</h2>
	<p>In a Series, add a Webhook block with method POST, content type <code>application/json</code>, the header <code>X-Api-Key</code> set to the API key, and one of these URLs.</p>
	<h3>Update contact</h3>
	${copyable("url-updatecontact", `${base}/updatecontact`, "Copy update contact URL")}
	${keyTable(CONTACT_KEYS)}
	<h3>Log activity</h3>
	${copyable("url-logactivity", `${base}/logactivity`, "Copy log activity URL")}
	${keyTable(ACTIVITY_KEYS)}
</section>
<section class="card" aria-labelledby="dedup-h">
	<h2 id="dedup-h">Duplicate deliveries</h2>
	<p>Intercom may deliver a webhook more than once. By default, identical bodies within the dedup window (60 s unless your developer changed <code>webhooks.dedupWindowMs</code>) count as one.
	If your Series send an id of their own in the body (for example an <code>EventId</code> built from the conversation and the step), name that key here:
	a webhook whose body has it is then processed once per value, however far apart the copies arrive (for as long as delivery records are kept).</p>
	<form method="post" action="${sitePath(deps, access.site, "webhooks/dedup")}" novalidate>${csrfField(c)}
		${textRow({
			name: "webhookDedupField",
			label: "Body key that identifies a delivery",
			value: dedup?.value ?? settings.webhookDedupField ?? "",
			error: dedup?.error,
			disabled: !access.canModify,
			placeholder: "none: identical bodies within the window",
			hint: "Leave empty to recognise duplicates by identical bodies only.",
		})}
		${access.canModify ? html`<div class="actions"><button class="btn" type="submit" id="save-dedup">Save</button></div>` : ""}
	</form>
</section>`;
	return c.html(
		page(c, deps, {
			title: "Webhook security",
			site: access.site,
			sites: access.sites,
			nav: "webhooks",
			notices,
			body,
		}),
	);
}

/** Adds GET `/sites/:site/webhooks` and POST `/sites/:site/webhooks/rotate`. */
export function registerWebhookRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/webhooks", async (c) =>
		render(c, deps, await siteAccess(c, deps, c.req.param("site") ?? ""), null),
	);

	postRoute(app, "/sites/:site/webhooks/dedup", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const value = ((await formFields(c)).webhookDedupField ?? "").trim();
		const actor = c.get("user").email;
		const stored = (await deps.store.getSettings(access.site.id)).webhookDedupField ?? "";
		if (value !== stored) {
			try {
				if (value === "") await deps.store.clearSetting(access.site.id, "webhookDedupField", { actor });
				else await deps.store.setSetting(access.site.id, "webhookDedupField", value, { actor });
			} catch (err) {
				if (!(err instanceof ValidationError)) throw err;
				c.status(422);
				return render(c, deps, access, null, { value, error: publicMessage(err) });
			}
		}
		return render(c, deps, access, null, null, true);
	});

	postRoute(app, "/sites/:site/webhooks/rotate", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const key = await deps.store.rotateWebhookApiKey(access.site.id, {
			actor: c.get("user").email,
			gracePeriodMs: deps.apiKeyGracePeriodMs,
		});
		deps.logger.info({ site: access.site.codeName }, "admin generated a new webhook API key");
		return render(c, deps, access, key);
	});
}
