/**
 * Activity types and consents, shared by every site: the webhooks log only enabled activity types,
 * and the data-sharing policy names a consent. Add, rename, enable and disable; changes need
 * `modify` on every site (roles.ts).
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { ConflictError, NotFoundError, publicMessage, ValidationError } from "../errors.ts";
import { intercomEventName } from "../jobs/intercom-event-job.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute, requireModify } from "./admin-routing.ts";
import { textRow } from "./form-controls.ts";
import { csrfField, type Markup, notice, page } from "./layout.ts";
import { canModifyShared, visibleSites } from "./roles.ts";

type Errors = Record<string, string>;
const clean = (err: unknown) => {
	if (err instanceof ValidationError || err instanceof ConflictError || err instanceof NotFoundError) {
		return publicMessage(err);
	}
	throw err;
};

async function activityTypesPage(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	errors: Errors,
	values: Record<string, string>,
	status: 200 | 422 = 200,
) {
	const can = canModifyShared(c.get("user"));
	const types = await deps.store.listActivityTypes();
	const base = `${deps.basePath}/activity-types`;
	const body = html`<h1>Activity types</h1>
<p class="lead">What the log-activity webhook may record. Its <code>ActivityType</code> must be the code name of an enabled type.
A type sent to Intercom turns each activity the site itself records (<code>recordActivity</code>) into an Intercom data event, when the site's data policy allows the contact's data; activities that came from Intercom are never sent back.</p>
${can ? "" : notice("info", "Changing activity types needs the modify role on every site; you can only look.")}
<section class="card" aria-labelledby="types-h"><h2 id="types-h">Types</h2>
${
	types.length === 0
		? html`<p class="muted">No activity types yet.</p>`
		: html`<table><thead><tr><th scope="col">Code name</th><th scope="col">Display name</th><th scope="col">State</th><th scope="col">Sent to Intercom</th></tr></thead><tbody>${types.map(
				(t) => html`<tr>
		<td><code>${t.codeName}</code></td>
		<td>${
			can
				? html`<form class="inline" method="post" action="${base}/${encodeURIComponent(t.codeName)}/rename">${csrfField(c)}
			<label class="visually-hidden" for="name-${t.codeName}">Display name of ${t.codeName}</label>
			<input type="text" id="name-${t.codeName}" name="displayName" value="${t.displayName}">
			<button class="btn small" type="submit">Rename</button></form>${
				errors[`row:${t.codeName}`]
					? html`<p class="error" role="alert">${errors[`row:${t.codeName}`]}</p>`
					: ""
			}`
				: t.displayName
		}</td>
		<td><span class="badge${t.enabled ? " ok" : " off"}">${t.enabled ? "enabled" : "disabled"}</span>${
			can
				? html` <form class="inline" method="post" action="${base}/${encodeURIComponent(t.codeName)}/${t.enabled ? "disable" : "enable"}">${csrfField(c)}
			<button class="btn small" type="submit">${t.enabled ? "Disable" : "Enable"}</button></form>`
				: ""
		}</td>
		<td>${
			can
				? html`<form class="inline" method="post" action="${base}/${encodeURIComponent(t.codeName)}/intercom-events">${csrfField(c)}
			<input type="checkbox" id="events-${t.codeName}" name="send" value="on"${t.sendToIntercom ? " checked" : ""}>
			<label for="events-${t.codeName}">as data event <code>${intercomEventName(t.codeName)}</code></label>
			<button class="btn small" type="submit">Save</button></form>`
				: html`<span class="badge${t.sendToIntercom ? " ok" : " off"}">${t.sendToIntercom ? "sent" : "not sent"}</span>`
		}</td></tr>`,
			)}</tbody></table>`
}
</section>
${
	can
		? html`<section class="card" aria-labelledby="add-h"><h2 id="add-h">Add an activity type</h2>
<form method="post" action="${base}">${csrfField(c)}
	${textRow({ name: "codeName", label: "Code name", value: values.codeName ?? "", error: errors.codeName, disabled: false, hint: "Sent by Intercom as ActivityType; letters, digits, _ - . (cannot be changed later)." })}
	${textRow({ name: "displayName", label: "Display name", value: values.displayName ?? "", error: errors.displayName, disabled: false })}
	<div class="actions"><button class="btn primary" type="submit">Add activity type</button></div>
</form></section>`
		: ""
}`;
	const sites = visibleSites(c.get("user"), await deps.store.listSites());
	const notices: Markup[] = [];
	if (c.req.query("saved") !== undefined) notices.push(notice("ok", "Saved."));
	if (status === 422) notices.push(notice("error", "Nothing was saved: see the message below."));
	return c.html(
		page(c, deps, { title: "Activity types", sites, nav: "activity-types", notices, body }),
		status,
	);
}

async function consentsPage(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	errors: Errors,
	values: Record<string, string>,
	status: 200 | 422 = 200,
) {
	const can = canModifyShared(c.get("user"));
	const list = await deps.store.listConsents();
	const base = `${deps.basePath}/consents`;
	const body = html`<h1>Consents</h1>
<p class="lead">Consents a contact can agree to. One of them can gate sending name and email to Intercom.</p>
${can ? "" : notice("info", "Changing consents needs the modify role on every site; you can only look.")}
${list.map(
	(k) => html`<section class="card" aria-label="Consent ${k.codeName}">
	<h2><code>${k.codeName}</code> <span class="badge${k.enabled ? " ok" : " off"}">${k.enabled ? "enabled" : "disabled"}</span></h2>
	${
		can
			? html`<form class="inline" method="post" action="${base}/${encodeURIComponent(k.codeName)}/${k.enabled ? "disable" : "enable"}">${csrfField(c)}
		<button class="btn small" type="submit">${k.enabled ? "Disable" : "Enable"}</button></form>
		<p class="muted">${k.enabled ? "Disabling stops offering it: nobody can newly agree; existing agreements stay and can be withdrawn." : "Disabled: visitors cannot agree to it."}</p>`
			: ""
	}
	<form method="post" action="${base}/${encodeURIComponent(k.codeName)}/edit">${csrfField(c)}
		${textRow({ name: `displayName-${k.codeName}`, label: "Display name", value: k.displayName, disabled: !can, error: errors[`row:${k.codeName}`] })}
		<div class="field"><label class="label" for="text-${k.codeName}">Text</label><div>
			<textarea id="text-${k.codeName}" name="text" rows="3"${can ? "" : html` disabled`}>${k.text}</textarea></div></div>
		${can ? html`<div class="actions"><button class="btn" type="submit">Save consent</button></div>` : ""}
	</form></section>`,
)}
${list.length === 0 ? html`<p class="card muted">No consents yet.</p>` : ""}
${
	can
		? html`<section class="card" aria-labelledby="add-h"><h2 id="add-h">Add a consent</h2>
<form method="post" action="${base}">${csrfField(c)}
	${textRow({ name: "codeName", label: "Code name", value: values.codeName ?? "", error: errors.codeName, disabled: false, hint: "Letters, digits, _ - . (cannot be changed later)." })}
	${textRow({ name: "displayName", label: "Display name", value: values.displayName ?? "", error: errors.displayName, disabled: false })}
	<div class="field"><label class="label" for="text">Text</label><div><textarea id="text" name="text" rows="3">${values.text ?? ""}</textarea></div></div>
	<div class="actions"><button class="btn primary" type="submit">Add consent</button></div>
</form></section>`
		: ""
}`;
	const sites = visibleSites(c.get("user"), await deps.store.listSites());
	const notices: Markup[] = [];
	if (c.req.query("saved") !== undefined) notices.push(notice("ok", "Saved."));
	if (status === 422) notices.push(notice("error", "Nothing was saved: see the message below."));
	return c.html(page(c, deps, { title: "Consents", sites, nav: "consents", notices, body }), status);
}

/** Adds the activity type and consent pages and their forms. Each change is recorded in the audit log. */
export function registerCatalogRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	const done = (c: Context<AdminEnv>, path: string) => c.redirect(`${deps.basePath}/${path}?saved=1`, 303);
	const audit = (c: Context<AdminEnv>, kind: "activity-type" | "consent", key: string, action: string) =>
		deps.store.recordAudit({ kind, key, action, actor: c.get("user").email });
	const guard = (c: Context<AdminEnv>) => requireModify(canModifyShared(c.get("user")));

	app.get("/activity-types", (c) => activityTypesPage(c, deps, {}, {}));
	postRoute(app, "/activity-types", async (c) => {
		guard(c);
		const f = await formFields(c);
		try {
			const added = await deps.store.addActivityType({
				codeName: f.codeName ?? "",
				displayName: f.displayName ?? "",
			});
			await audit(c, "activity-type", added.codeName, "add");
		} catch (err) {
			const message = clean(err);
			const field =
				err instanceof ValidationError && err.field === "displayName" ? "displayName" : "codeName";
			return activityTypesPage(c, deps, { [field]: message }, f, 422);
		}
		return done(c, "activity-types");
	});
	postRoute(app, "/activity-types/:code/rename", async (c) => {
		guard(c);
		const code = c.req.param("code") ?? "";
		try {
			await deps.store.renameActivityType(code, (await formFields(c)).displayName ?? "");
			await audit(c, "activity-type", code, "rename");
		} catch (err) {
			return activityTypesPage(c, deps, { [`row:${code}`]: clean(err) }, {}, 422);
		}
		return done(c, "activity-types");
	});
	for (const action of ["enable", "disable"] as const) {
		postRoute(app, `/activity-types/:code/${action}`, async (c) => {
			guard(c);
			const code = c.req.param("code") ?? "";
			try {
				if (action === "enable") await deps.store.enableActivityType(code);
				else await deps.store.disableActivityType(code);
				await audit(c, "activity-type", code, action);
			} catch (err) {
				return activityTypesPage(c, deps, { [`row:${code}`]: clean(err) }, {}, 422);
			}
			return done(c, "activity-types");
		});
	}

	postRoute(app, "/activity-types/:code/intercom-events", async (c) => {
		guard(c);
		const code = c.req.param("code") ?? "";
		const on = (await formFields(c)).send === "on";
		try {
			await deps.store.setActivityTypeSendsToIntercom(code, on);
			await audit(c, "activity-type", code, on ? "intercom-events-on" : "intercom-events-off");
		} catch (err) {
			return activityTypesPage(c, deps, { [`row:${code}`]: clean(err) }, {}, 422);
		}
		return done(c, "activity-types");
	});

	app.get("/consents", (c) => consentsPage(c, deps, {}, {}));
	postRoute(app, "/consents", async (c) => {
		guard(c);
		const f = await formFields(c);
		try {
			const added = await deps.store.addConsent({
				codeName: f.codeName ?? "",
				displayName: f.displayName ?? "",
				text: f.text ?? "",
			});
			await audit(c, "consent", added.codeName, "add");
		} catch (err) {
			const message = clean(err);
			const field =
				err instanceof ValidationError && err.field === "displayName" ? "displayName" : "codeName";
			return consentsPage(c, deps, { [field]: message }, f, 422);
		}
		return done(c, "consents");
	});
	for (const action of ["enable", "disable"] as const) {
		postRoute(app, `/consents/:code/${action}`, async (c) => {
			guard(c);
			const code = c.req.param("code") ?? "";
			try {
				if (action === "enable") await deps.store.enableConsent(code);
				else await deps.store.disableConsent(code);
				await audit(c, "consent", code, action);
			} catch (err) {
				return consentsPage(c, deps, { [`row:${code}`]: clean(err) }, {}, 422);
			}
			return done(c, "consents");
		});
	}
	postRoute(app, "/consents/:code/edit", async (c) => {
		guard(c);
		const code = c.req.param("code") ?? "";
		const f = await formFields(c);
		try {
			await deps.store.editConsent(code, {
				displayName: f[`displayName-${code}`] ?? "",
				text: f.text ?? "",
			});
			await audit(c, "consent", code, "edit");
		} catch (err) {
			return consentsPage(c, deps, { [`row:${code}`]: clean(err) }, {}, 422);
		}
		return done(c, "consents");
	});
}
