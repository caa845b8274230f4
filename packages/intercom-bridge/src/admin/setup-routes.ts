/**
 * "Intercom setup": show and save a site's settings. Every field is validated first with the same
 * rules as the CLI (`parseSetting`); with any error nothing is saved and the form comes back with
 * the message beside the field (422). Only changed values are written, so the audit log shows
 * real changes. Secrets typed into a form that fails are not echoed back.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { publicMessage, ValidationError } from "../errors.ts";
import { parseSetting, type SettingKey, type SiteSettings } from "../settings/setting-keys.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute, requireModify, type SiteAccess, siteAccess } from "./admin-routing.ts";
import { type Markup, notice, sitePath } from "./layout.ts";
import { type SetupValues, setupPage } from "./setup-page.ts";
import { siteWarnings } from "./site-warnings.ts";

const SECRET_FIELDS = ["clientSecret", "identityVerificationSecret"] as const;
const CLEARABLE: readonly string[] = SECRET_FIELDS;

const storedValues = (s: SiteSettings): SetupValues => ({
	enabled: s.enabled,
	appId: s.appId ?? "",
	clientId: s.clientId ?? "",
	region: s.region,
	identityMode: s.identityMode,
	sendContactData: s.sendContactData,
	sendContactDataConsent: s.sendContactDataConsent ?? "",
	onWithdrawal: s.onWithdrawal,
	syncContacts: s.syncContacts,
});

/** Where each secret is set again. */
const SET_AGAIN: Record<string, string> = {
	clientSecret: "type it again below",
	identityVerificationSecret: "type it again below",
	accessToken: "press “Get token” on the Data access page",
	webhookApiKey: "generate a new one on the Webhooks page (and give it to your Series)",
	"webhookApiKey.previous": "nothing to do: it is dropped at the next rotation",
	"clientSecret.previous": "nothing to do: it is dropped when the client secret is set again",
};

/**
 * Names the stored secrets the server's secret key cannot decrypt (it was lost or changed), and
 * where each is set again; the fields below say "cannot decrypt: set it again".
 */
function undecryptableNotice(settings: SiteSettings): Markup[] {
	if (settings.undecryptable.length === 0) return [];
	return [
		notice(
			"error",
			html`These stored secrets cannot be decrypted with this server's secret key (restore the key it had, or set them again):
			<ul>${settings.undecryptable.map((key) => html`<li><code>${key}</code>: ${SET_AGAIN[key] ?? "set it again"}</li>`)}</ul>`,
		),
	];
}

async function render(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	access: SiteAccess,
	values: SetupValues | null,
	errors: Record<string, string>,
	extra: Markup[],
	status: 200 | 422 = 200,
) {
	const [settings, views, consents] = await Promise.all([
		deps.store.getSettings(access.site.id),
		deps.store.describeSettings(access.site.id),
		deps.store.listConsents(),
	]);
	const readOnly = access.canModify
		? []
		: [notice("info", "Your role on this site is read only: you can see the settings but not change them.")];
	const notices = [
		...readOnly,
		...extra,
		...undecryptableNotice(settings),
		...siteWarnings(c, deps, settings),
	];
	return c.html(
		setupPage(c, deps, {
			access,
			values: values ?? storedValues(settings),
			views,
			consents,
			errors,
			notices,
		}),
		status,
	);
}

/** Adds GET/POST `/sites/:site/setup` and POST `/sites/:site/setup/clear`. */
export function registerSetupRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/setup", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		const saved = c.req.query("saved");
		const cleared = c.req.query("cleared");
		const extra: Markup[] = [];
		if (saved !== undefined) {
			extra.push(
				notice("ok", saved === "0" ? "Nothing changed." : `Settings saved (${Number(saved) || 0} changed).`),
			);
		}
		if (cleared && CLEARABLE.includes(cleared)) extra.push(notice("ok", `Removed the stored ${cleared}.`));
		return render(c, deps, access, null, {}, extra);
	});

	postRoute(app, "/sites/:site/setup", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const form = await formFields(c);
		const current = await deps.store.getSettings(access.site.id);
		const stored = storedValues(current);
		const submitted: SetupValues = {
			enabled: form.enabled === "true",
			appId: (form.appId ?? "").trim(),
			clientId: (form.clientId ?? "").trim(),
			region: form.region ?? stored.region,
			identityMode: form.identityMode ?? stored.identityMode,
			sendContactData: form.sendContactData ?? stored.sendContactData,
			// A disabled select (no consents) is not submitted: keep what is stored.
			sendContactDataConsent: form.sendContactDataConsent ?? stored.sendContactDataConsent,
			onWithdrawal: form.onWithdrawal ?? stored.onWithdrawal,
			syncContacts: form.syncContacts === "true",
		};
		const errors: Record<string, string> = {};
		const sets: { key: SettingKey; value: string }[] = [];
		const clears: SettingKey[] = [];
		const want = (key: SettingKey, value: string, before: string) => {
			if (value === "" && before !== "") return void clears.push(key);
			if (value === "" || value === before) return;
			try {
				sets.push(parseSetting(key, value));
			} catch (err) {
				if (!(err instanceof ValidationError)) throw err;
				errors[key] = publicMessage(err);
			}
		};
		want("enabled", String(submitted.enabled), String(stored.enabled));
		want("syncContacts", String(submitted.syncContacts), String(stored.syncContacts));
		for (const key of [
			"appId",
			"clientId",
			"region",
			"identityMode",
			"sendContactData",
			"onWithdrawal",
		] as const) {
			want(key, submitted[key], stored[key]);
		}
		if (submitted.sendContactData === "consent" && submitted.sendContactDataConsent === "") {
			errors.sendContactDataConsent = "Choose the consent a contact must have agreed to.";
		} else {
			want("sendContactDataConsent", submitted.sendContactDataConsent, stored.sendContactDataConsent);
		}
		for (const key of SECRET_FIELDS) {
			const value = form[key] ?? "";
			if (value.trim() !== "") want(key, value, "");
		}
		const actor = c.get("user").email;
		if (Object.keys(errors).length === 0) {
			try {
				for (const s of sets) await deps.store.setSetting(access.site.id, s.key, s.value, { actor });
				for (const key of clears) await deps.store.clearSetting(access.site.id, key, { actor });
			} catch (err) {
				// The store re-checks (e.g. a consent deleted meanwhile); its message names the field.
				if (!(err instanceof ValidationError)) throw err;
				errors[err.field ?? "form"] = publicMessage(err);
			}
		}
		if (Object.keys(errors).length > 0) {
			const extra = [notice("error", "Nothing was saved: correct the fields marked below.")];
			if (errors.form) extra.push(notice("error", errors.form));
			return render(c, deps, access, submitted, errors, extra, 422);
		}
		deps.logger.info(
			{ site: access.site.codeName, keys: [...sets.map((s) => s.key), ...clears] },
			"admin saved settings",
		);
		return c.redirect(`${sitePath(deps, access.site, "setup")}?saved=${sets.length + clears.length}`, 303);
	});

	postRoute(app, "/sites/:site/setup/clear", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const key = (await formFields(c)).clear ?? "";
		if (!CLEARABLE.includes(key)) return c.text("Bad request: nothing to clear.", 400);
		await deps.store.clearSetting(access.site.id, key, { actor: c.get("user").email });
		return c.redirect(`${sitePath(deps, access.site, "setup")}?cleared=${key}`, 303);
	});
}
