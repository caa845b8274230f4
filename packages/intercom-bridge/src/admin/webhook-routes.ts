/**
 * "Webhook security": what to paste into an Intercom Series webhook (URLs, header, body keys), the
 * API key, and the body key that identifies a delivery (docs/reliability.md W12). The stored key is a
 * secret like any other, so pages show only its mask. "Generate new" is post/redirect/get: the
 * POST rotates and redirects; the page it redirects to shows the new key once, from a reveal held
 * in the admin session (the key's hash, taken on first view), never from the URL. A reload shows
 * that the key was shown once, and rotates nothing. Every replaced key keeps working until the
 * grace period after its own replacement, and the page lists the keys accepted and until when.
 * "Activity types" chooses which of the shared catalog's types this site's log-activity webhook
 * accepts (docs/decisions/0020), post/redirect/get like the key. "Developer Hub topics" chooses the
 * activity type each signed notification topic logs on this site, or none (docs/decisions/0027).
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { ConflictError, publicMessage, ValidationError } from "../errors.ts";
import { checkTopicName, KNOWN_TOPICS } from "../settings/notification-topics.ts";
import { maskSecret, type SiteSettings } from "../settings/setting-keys.ts";
import { isRevealedKey } from "../store/session-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute, requireModify, type SiteAccess, siteAccess } from "./admin-routing.ts";
import { copyable } from "./copyable.ts";
import { durationText } from "./duration-text.ts";
import { fieldRow, radioRow, selectRow, textRow } from "./form-controls.ts";
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
	["ActivityType", "code name of an enabled activity type this site accepts (below); required"],
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

/** The activity-types form as submitted, when it comes back with an error. */
interface TypesForm {
	/** Code names ticked. */
	chosen: string[];
	error: string;
}

/** Form field of a type's checkbox; code names have no colon, so the prefix cannot be ambiguous. */
const TYPE_FIELD = "type:";

/** The card choosing the activity types the site accepts: all enabled ones, or those ticked. */
async function activityTypesCard(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	access: SiteAccess,
	form: TypesForm | null,
): Promise<Markup> {
	const [types, accepted] = await Promise.all([
		deps.store.listActivityTypes(),
		deps.store.listSiteActivityTypes(access.site.id),
	]);
	const only = form !== null || accepted !== null;
	const chosen = new Set(form?.chosen ?? accepted ?? []);
	const disabled = !access.canModify;
	return html`<section class="card" aria-labelledby="types-h">
	<h2 id="types-h">Activity types</h2>
	<p>The activity types are shared by all sites (<a href="${deps.basePath}/activity-types">Activity types</a>); here you choose which of them the log-activity webhook accepts on <strong>${access.site.displayName}</strong>. Any other type is refused like a disabled one.</p>
	${
		types.length === 0
			? html`<p class="muted" id="no-types">No activity types yet.</p>`
			: html`<form method="post" action="${sitePath(deps, access.site, "webhooks/activity-types")}">${csrfField(c)}
		${radioRow({
			name: "accept",
			label: "Accepted on this site",
			value: only ? "chosen" : "all",
			options: [
				{ value: "all", label: "Every enabled type, including types added later" },
				{ value: "chosen", label: "Only the types ticked below" },
			],
			disabled,
		})}
		${fieldRow({
			id: "accepted-types",
			label: "Types",
			group: true,
			error: form?.error,
			control: () =>
				html`<div class="choices">${types.map(
					(t) =>
						html`<label><input type="checkbox" name="${TYPE_FIELD}${t.codeName}" id="type-${t.codeName}" value="on"${
							only && chosen.has(t.codeName) ? html` checked` : ""
						}${disabled ? html` disabled` : ""}> ${t.displayName} <code>${t.codeName}</code>${
							t.enabled ? "" : html` <span class="badge off">disabled everywhere</span>`
						}</label>`,
				)}</div>`,
		})}
		${access.canModify ? html`<div class="actions"><button class="btn" type="submit" id="save-activity-types">Save</button></div>` : ""}
	</form>`
	}
</section>`;
}

/** Form field of a topic's type; topic names have no colon, so the prefix cannot be ambiguous. */
const TOPIC_FIELD = "topic:";
/** Most topic fields one form post may carry (the known topics, those the site added, one new). */
const MAX_TOPIC_FIELDS = 100;

/** The topics form as submitted, when it comes back with an error. */
interface TopicsForm {
	chosen: Record<string, string>;
	newTopic: string;
	newTopicType: string;
	error: string;
}

/** The card choosing the activity type each Developer Hub topic logs on the site. */
async function topicsCard(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	access: SiteAccess,
	settings: SiteSettings,
	url: string,
	form: TopicsForm | null,
): Promise<Markup> {
	const [types, mapped] = await Promise.all([
		deps.store.listActivityTypes(),
		deps.store.listTopicActivityTypes(access.site.id),
	]);
	const current = new Map(mapped.map((m) => [m.topic, m]));
	const rows = [
		...KNOWN_TOPICS,
		...mapped
			.filter((m) => !KNOWN_TOPICS.some((k) => k.topic === m.topic))
			.map((m) => ({ topic: m.topic, label: "Added by name" })),
	];
	const options = [
		{ value: "", label: "Log nothing" },
		...types.map((t) => ({
			value: t.codeName,
			label: `${t.displayName} (${t.codeName})${t.enabled ? "" : ", disabled"}`,
		})),
	];
	const disabled = !access.canModify;
	return html`<section class="card" aria-labelledby="topics-h">
	<h2 id="topics-h">Developer Hub topics</h2>
	<p>Your Intercom app can notify this site when something happens in Intercom. In the Developer Hub, open your app, choose Webhooks, paste this URL and subscribe to the topics you want; Intercom signs each notification with the app's client secret${
		settings.clientSecret
			? ""
			: html` (<strong id="topics-no-secret">not set for this site yet</strong>: set it on <a href="${sitePath(deps, access.site, "setup")}">Setup</a>, or every notification is refused)`
	}.</p>
	${copyable("url-webhooks", url, "Copy notification URL")}
	<p>Choose the activity each topic logs on the contact it is about (the contact whose id Intercom knows as <code>external_id</code>). Each notification is logged once, however often Intercom delivers it; a topic that logs nothing, or a person this site does not know, is acknowledged and ignored. A tag added to a contact, or any other topic, can be added by its name exactly as the Developer Hub lists it.</p>
	${
		types.length === 0
			? html`<p class="muted" id="no-topic-types">Add an activity type first (<a href="${deps.basePath}/activity-types">Activity types</a>).</p>`
			: html`<form method="post" action="${sitePath(deps, access.site, "webhooks/topics")}" novalidate>${csrfField(c)}
		${rows.map((row) => {
			const mapping = current.get(row.topic);
			return selectRow({
				name: `${TOPIC_FIELD}${row.topic}`,
				label: `${row.label}: ${row.topic}`,
				value: form?.chosen[row.topic] ?? mapping?.typeCodeName ?? "",
				options,
				hint:
					mapping && !mapping.usable
						? "This type is disabled or not accepted on this site (Activity types, above): the topic logs nothing until you change that."
						: undefined,
				disabled,
			});
		})}
		${
			access.canModify
				? html`${textRow({
						name: "newTopic",
						label: "Add a topic by name",
						value: form?.newTopic ?? "",
						error: form?.error,
						disabled,
						placeholder: "e.g. the topic of a tag added to a contact",
						hint: "Lowercase, as the Developer Hub lists it; leave empty to add none.",
					})}
		${selectRow({ name: "newTopicType", label: "It logs", value: form?.newTopicType ?? "", options, disabled })}
		<div class="actions"><button class="btn" type="submit" id="save-topics">Save</button></div>`
				: ""
		}
	</form>`
	}
</section>`;
}

/** What the API key card shows besides the mask and the keys accepted. */
type KeyState =
	| { kind: "none" }
	/** The key just generated, shown this once. */
	| { kind: "reveal"; key: string }
	/** The page the POST redirected to, seen again: the key was shown already. */
	| { kind: "shown" }
	/** The key generated was replaced again before this page showed it (another tab or admin). */
	| { kind: "superseded" }
	/** "Generate new" was refused; the message says why and until when. */
	| { kind: "refused"; message: string };

/** "2026-12-02 10:00 UTC", in a time element. Rounded down: a key is never said to last longer than it does. */
const utc = (ms: number) => {
	const d = new Date(Math.floor(ms / 60_000) * 60_000);
	return html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;
};

/** The keys the webhooks accept now: the current one, and each replaced key until its grace ends. */
function acceptedKeys(deps: AdminDeps, settings: SiteSettings): Markup {
	const now = deps.now();
	const grace = deps.apiKeyGracePeriodMs;
	const previous = settings.previousWebhookApiKeys.filter((p) => now - p.replacedAt.getTime() <= grace);
	if (!settings.webhookApiKey) return html``;
	return html`<table id="accepted-keys"><caption>Keys the webhooks accept now</caption>
<thead><tr><th scope="col">Key</th><th scope="col">Accepted</th></tr></thead><tbody>
<tr><td>${maskSecret(settings.webhookApiKey)} <span class="badge ok">current</span></td><td>until it is replaced, then for ${durationText(grace)} more</td></tr>
${previous.map(
	(p) =>
		html`<tr><td>${maskSecret(p.key)}</td><td>until ${utc(p.replacedAt.getTime() + grace)} (replaced ${utc(p.replacedAt.getTime())})</td></tr>`,
)}</tbody></table>`;
}

async function render(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	access: SiteAccess,
	keyState: KeyState,
	dedup: DedupForm | null = null,
	saved = false,
	typesForm: TypesForm | null = null,
	topicsForm: TopicsForm | null = null,
) {
	const settings = await deps.store.getSettings(access.site.id, { fresh: keyState.kind !== "none" });
	const origin = publicOrigin(c, deps);
	const base = `${origin}${deps.webhookBasePath}`;
	const grace = durationText(deps.apiKeyGracePeriodMs);
	const notices: Markup[] = [];
	if (keyState.kind === "reveal")
		notices.push(notice("ok", "A new API key was generated. Copy it now: it is shown only this once."));
	if (keyState.kind === "shown")
		notices.push(
			notice(
				"info",
				`The new API key was shown once, when it was generated, and is not shown again. If you did not copy it, choose “Generate new” to make another: every replaced key keeps working for ${grace} after its replacement (see the keys accepted below).`,
			),
		);
	if (keyState.kind === "superseded")
		notices.push(
			notice(
				"warn",
				`Another key was generated after this one (in another tab, or by another administrator), so this one is not shown. Choose “Generate new” to make one you can copy: every replaced key keeps working for ${grace} after its replacement.`,
			),
		);
	if (keyState.kind === "refused") notices.push(notice("error", keyState.message));
	if (saved) notices.push(notice("ok", "Saved how duplicate deliveries are recognised."));
	if (c.req.query("activityTypesSaved") !== undefined)
		notices.push(notice("ok", "Saved the activity types this site accepts."));
	if (c.req.query("topicsSaved") !== undefined)
		notices.push(notice("ok", "Saved the activities Developer Hub topics log on this site."));
	if (dedup || typesForm || topicsForm)
		notices.push(notice("error", "Nothing was saved: correct the field marked below."));
	notices.push(...siteWarnings(c, deps, settings));
	const body = html`<h1>Webhook security</h1>
<p class="lead">Intercom Series call these webhooks to update contacts and log activities on <strong>${access.site.displayName}</strong>.</p>
<section class="card" aria-labelledby="key-h">
	<h2 id="key-h">API key</h2>
	<p>Send it in the <code>X-Api-Key</code> header of every webhook request.</p>
	${
		keyState.kind === "reveal"
			? copyable("api-key", keyState.key, "Copy API key")
			: html`<p><span class="badge${settings.webhookApiKey ? " ok" : ""}" id="api-key-mask">${settings.undecryptable.includes("webhookApiKey") ? "cannot decrypt: generate a new one" : maskSecret(settings.webhookApiKey)}</span>
		<span class="muted">The key is shown only once, when it is generated. Generate a new one to copy it.</span></p>`
	}
	${acceptedKeys(deps, settings)}
	${
		access.canModify
			? html`<form method="post" action="${sitePath(deps, access.site, "webhooks/rotate")}" data-confirm="Generate a new API key? The current key stays valid for ${grace}; update your Series within that time.">${csrfField(c)}
		<div class="actions"><button class="btn primary" type="submit" id="generate-key">Generate new</button>
		<span class="muted">The current key keeps working for ${grace} after it is replaced, so you can update your Series without downtime. Keys replaced earlier keep their own ${grace}: generating again never cuts off a key a Series may still send.</span></div></form>`
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
${await activityTypesCard(c, deps, access, typesForm)}
${await topicsCard(c, deps, access, settings, `${base}/webhooks`, topicsForm)}
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

/**
 * Adds GET `/sites/:site/webhooks` and POST `/sites/:site/webhooks/rotate`, `/dedup`,
 * `/activity-types` and `/topics`.
 */
export function registerWebhookRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/webhooks", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		// A HEAD (which Hono routes here too) gets no body, so it must not use up the reveal.
		const hash =
			c.req.method === "GET"
				? await deps.sessions.takeKeyReveal(c.get("session").tokenHash, access.site.id)
				: null;
		let keyState: KeyState = { kind: "none" };
		if (hash) {
			// Read past the cache: the rotation may have been made by another instance.
			const current = (await deps.store.getSettings(access.site.id, { fresh: true })).webhookApiKey;
			keyState =
				current && isRevealedKey(hash, current) ? { kind: "reveal", key: current } : { kind: "superseded" };
		} else if (c.req.query("generated") !== undefined) {
			keyState = { kind: "shown" };
		}
		return render(c, deps, access, keyState);
	});

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
				return render(c, deps, access, { kind: "none" }, { value, error: publicMessage(err) });
			}
		}
		return render(c, deps, access, { kind: "none" }, null, true);
	});

	postRoute(app, "/sites/:site/webhooks/activity-types", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const fields = await formFields(c);
		const chosen = Object.keys(fields)
			.filter((name) => name.startsWith(TYPE_FIELD))
			.map((name) => name.slice(TYPE_FIELD.length));
		if (fields.accept !== "all" && fields.accept !== "chosen") {
			throw new HTTPException(400, { message: 'Choose "all" or "chosen" for the accepted activity types.' });
		}
		try {
			await deps.store.setSiteActivityTypes(access.site.id, fields.accept === "all" ? null : chosen, {
				actor: c.get("user").email,
			});
		} catch (err) {
			if (!(err instanceof ValidationError)) throw err;
			c.status(422);
			return render(c, deps, access, { kind: "none" }, null, false, { chosen, error: publicMessage(err) });
		}
		deps.logger.info({ site: access.site.codeName }, "admin chose the activity types the site accepts");
		return c.redirect(`${sitePath(deps, access.site, "webhooks")}?activityTypesSaved=1#types-h`, 303);
	});

	postRoute(app, "/sites/:site/webhooks/topics", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const fields = await formFields(c);
		const chosen: Record<string, string> = {};
		for (const [name, value] of Object.entries(fields)) {
			if (name.startsWith(TOPIC_FIELD)) chosen[name.slice(TOPIC_FIELD.length)] = value.trim();
		}
		const newTopic = (fields.newTopic ?? "").trim();
		const newTopicType = (fields.newTopicType ?? "").trim();
		const refuse = (error: string) => {
			c.status(422);
			return render(c, deps, access, { kind: "none" }, null, false, null, {
				chosen,
				newTopic,
				newTopicType,
				error,
			});
		};
		if (Object.keys(chosen).length > MAX_TOPIC_FIELDS) {
			throw new HTTPException(400, { message: `At most ${MAX_TOPIC_FIELDS} topics can be saved at once.` });
		}
		const wanted = new Map<string, string | null>();
		try {
			for (const [topic, type] of Object.entries(chosen)) wanted.set(checkTopicName(topic), type || null);
			if (newTopic !== "") {
				if (newTopicType === "") return refuse("Choose the activity type the new topic logs.");
				wanted.set(checkTopicName(newTopic), newTopicType);
			} else if (newTopicType !== "") {
				return refuse("Name the topic, or choose “Log nothing” for it.");
			}
			// Every type is checked before anything is saved, so a refused form changes nothing.
			const known = new Set((await deps.store.listActivityTypes()).map((t) => t.codeName));
			const unknown = [...wanted.values()].find((type) => type !== null && !known.has(type));
			if (unknown) return refuse(`No activity type "${unknown}".`);
			const actor = c.get("user").email;
			for (const [topic, type] of wanted)
				await deps.store.setTopicActivityType(access.site.id, topic, type, { actor });
		} catch (err) {
			if (!(err instanceof ValidationError)) throw err;
			return refuse(publicMessage(err));
		}
		deps.logger.info({ site: access.site.codeName }, "admin chose the activities Developer Hub topics log");
		return c.redirect(`${sitePath(deps, access.site, "webhooks")}?topicsSaved=1#topics-h`, 303);
	});

	postRoute(app, "/sites/:site/webhooks/rotate", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		let key: string;
		try {
			key = await deps.store.rotateWebhookApiKey(access.site.id, {
				actor: c.get("user").email,
				gracePeriodMs: deps.apiKeyGracePeriodMs,
			});
		} catch (err) {
			if (!(err instanceof ConflictError)) throw err;
			c.status(409);
			return render(c, deps, access, {
				kind: "refused",
				message: `No new key was generated: ${publicMessage(err)}`,
			});
		}
		await deps.sessions.offerKeyReveal(c.get("session").tokenHash, access.site.id, key);
		deps.logger.info({ site: access.site.codeName }, "admin generated a new webhook API key");
		// 303: the browser GETs the page, so a reload repeats that GET, never this POST.
		return c.redirect(`${sitePath(deps, access.site, "webhooks")}?generated=1`, 303);
	});
}
