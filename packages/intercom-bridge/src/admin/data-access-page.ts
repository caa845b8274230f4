/** The "Intercom data access" page: token status, the connected workspace, Get token, Disconnect. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AdminWithApp } from "../intercom/intercom-types.ts";
import { workspaceOf } from "../intercom/oauth.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { DataAttributeCheck } from "../store/data-attribute-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import type { SiteAccess } from "./admin-routing.ts";
import { copyable } from "./copyable.ts";
import { csrfField, type Markup, notice, page, sitePath } from "./layout.ts";

export interface DataAccessInput {
	access: SiteAccess;
	settings: SiteSettings;
	redirectUri: string;
	/** `GET /me` of the stored token: the answer, an error message, or null without a token. */
	me: { ok: true; value: AdminWithApp } | { ok: false; message: string } | null;
	notices: Markup[];
	/** The last check of the site's custom data attribute mapping (empty: never checked, or cleared). */
	dataAttributes: DataAttributeCheck[];
}

const CHECK_LABEL: Record<DataAttributeCheck["status"], [string, string]> = {
	ok: ["ok", "exists"],
	created: ["ok", "created"],
	mismatch: ["warn", "type mismatch"],
	failed: ["off", "refused"],
};

/** The custom data attributes the contact sync found or created, and those it cannot use. */
function dataAttributesCard(c: Context<AdminEnv>, deps: AdminDeps, input: DataAccessInput): Markup {
	const checks = input.dataAttributes;
	const unusable = checks.filter((k) => k.status === "mismatch" || k.status === "failed");
	return html`<section class="card" aria-labelledby="attrs-h">
	<h2 id="attrs-h">Custom data attributes</h2>
	${
		checks.length === 0
			? html`<p class="muted">Not checked yet: the contact sync checks the mapped attributes in the workspace the first time it sends custom attributes.</p>`
			: html`${
					unusable.length > 0
						? html`<p class="notice warn" role="alert" id="attrs-unusable">${unusable.length} mapped attribute(s) cannot be used and are not sent until fixed: see below, then press “Check again”.</p>`
						: ""
				}<table><thead><tr><th scope="col">Attribute</th><th scope="col">Mapped type</th><th scope="col">In Intercom</th><th scope="col">Checked</th></tr></thead><tbody>${checks.map(
					(k) => html`<tr><td><code>${k.attribute}</code></td><td>${k.wantedType}</td>
			<td><span class="badge ${CHECK_LABEL[k.status][0]}">${CHECK_LABEL[k.status][1]}</span>${k.intercomType ? html` ${k.intercomType}` : ""}${k.message ? html`<p class="hint">${k.message}</p>` : ""}</td>
			<td>${k.checkedAt.toISOString().slice(0, 16).replace("T", " ")} UTC</td></tr>`,
				)}</tbody></table>`
	}
	${
		input.access.canModify && checks.length > 0
			? html`<form method="post" action="${sitePath(deps, input.access.site, "data-attributes/recheck")}">${csrfField(c)}
		<button class="btn" type="submit" id="recheck-attributes">Check again</button> <span class="muted">at the next sync</span></form>`
			: ""
	}
</section>`;
}

/**
 * When the token's workspace and the site's App ID or region differ: a warning that names both,
 * and for admins who may change the site a one-click "Use these" (it reads `/me` again).
 */
function mismatch(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	input: DataAccessInput,
	me: AdminWithApp,
): Markup | string {
	const workspace = workspaceOf(me);
	const { settings, access } = input;
	if (!workspace) return "";
	const differs: string[] = [];
	if (settings.appId !== workspace.appId) {
		differs.push(`App ID ${workspace.appId} (this site: ${settings.appId ?? "not set"})`);
	}
	if (settings.region !== workspace.region) {
		differs.push(`region ${workspace.region.toUpperCase()} (this site: ${settings.region.toUpperCase()})`);
	}
	if (differs.length === 0) return "";
	return html`<div class="notice warn" role="alert" id="workspace-mismatch">
	<p>This token belongs to a workspace with ${differs.join(" and ")}. The Messenger and the API calls use this site's values, so they do not reach that workspace until the two agree.</p>
	${
		access.canModify
			? html`<form method="post" action="${sitePath(deps, access.site, "oauth/use-workspace")}">${csrfField(c)}
		<button class="btn" type="submit" id="use-workspace">Use these</button> <span class="muted">(App ID ${workspace.appId}, region ${workspace.region.toUpperCase()})</span>
	</form>`
			: ""
	}
</div>`;
}

function workspace(c: Context<AdminEnv>, deps: AdminDeps, input: DataAccessInput): Markup | string {
	const { me } = input;
	if (!me) return "";
	if (!me.ok) return notice("error", me.message);
	const app = me.value.app;
	return html`<dl class="props">
		<dt>Workspace</dt><dd>${app?.name ?? "unknown"}${app?.id_code ? html` <code>${app.id_code}</code>` : ""}</dd>
		<dt>Region</dt><dd>${app?.region ?? "unknown"}</dd>
		<dt>Authorized by</dt><dd>${me.value.name ?? ""}${me.value.email ? html` &lt;${me.value.email}&gt;` : ""}</dd>
	</dl>${mismatch(c, deps, input, me.value)}`;
}

/** Renders the page. */
export function dataAccessPage(c: Context<AdminEnv>, deps: AdminDeps, input: DataAccessInput): Markup {
	const { access, settings } = input;
	const configured = settings.accessToken !== null;
	const ready = Boolean(settings.clientId && settings.clientSecret);
	const body = html`<h1>Intercom data access</h1>
<p class="lead">The REST API token intercom-bridge uses to read conversations and update contacts in Intercom.</p>
<section class="card" aria-labelledby="status-h">
	<h2 id="status-h">Access token
		${configured ? html`<span class="badge ok">configured</span>` : html`<span class="badge off">not configured</span>`}</h2>
	<p>${configured ? "Access token is configured." : "Access token is not configured."}</p>
	${workspace(c, deps, input)}
	${
		access.canModify
			? html`<div class="actions">
		<form method="post" action="${sitePath(deps, access.site, "oauth/start")}">${csrfField(c)}
			<button class="btn primary" type="submit" id="get-token"${ready ? "" : html` disabled aria-describedby="get-token-hint"`}>Get token</button>
		</form>
		${
			configured
				? html`<form method="post" action="${sitePath(deps, access.site, "oauth/disconnect")}" data-confirm="Remove the stored access token? intercom-bridge stops calling Intercom for this site until you get a new one.">${csrfField(c)}
			<button class="btn danger" type="submit">Disconnect</button></form>`
				: ""
		}
	</div>
	${
		ready
			? ""
			: html`<p class="hint muted" id="get-token-hint">Save the client ID and client secret under <a href="${sitePath(deps, access.site, "setup")}">Intercom setup</a> first.</p>`
	}`
			: html`<p class="notice info" role="status">Your role on this site is read only.</p>`
	}
</section>
${dataAttributesCard(c, deps, input)}
<section class="card" aria-labelledby="redirect-h">
	<h2 id="redirect-h">Redirect URL</h2>
	<p>Register this exact URL in the Intercom Developer Hub (your app › Authentication › Redirect URLs) before pressing “Get token”.</p>
	${copyable("redirect-url", input.redirectUri, "Copy redirect URL")}
</section>`;
	return page(c, deps, {
		title: "Intercom data access",
		site: access.site,
		sites: access.sites,
		nav: "data-access",
		notices: input.notices,
		body,
	});
}
