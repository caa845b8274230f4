/**
 * The "Intercom setup" form of one site. Secrets are never put in the page: the field is empty,
 * its hint says "set, ends with …4f2a", an empty field keeps the value and "Clear" removes it.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { IDENTITY_MODES, ON_WITHDRAWAL, REGIONS, SEND_CONTACT_DATA } from "../settings/setting-keys.ts";
import type { Consent } from "../store/consent-store.ts";
import type { SettingView } from "../store/settings-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import type { SiteAccess } from "./admin-routing.ts";
import { durationText } from "./duration-text.ts";
import { checkboxRow, fieldRow, radioRow, selectRow, textRow } from "./form-controls.ts";
import { csrfField, type Markup, page, sitePath } from "./layout.ts";

/** Values of the non-secret fields as shown (stored, or as submitted when re-shown with errors). */
export interface SetupValues {
	enabled: boolean;
	appId: string;
	clientId: string;
	region: string;
	identityMode: string;
	sendContactData: string;
	sendContactDataConsent: string;
	onWithdrawal: string;
	syncContacts: boolean;
}

export interface SetupPageInput {
	access: SiteAccess;
	values: SetupValues;
	/** Masked views of the stored settings (secrets' "set, ends with …"). */
	views: SettingView[];
	consents: Consent[];
	errors: Record<string, string>;
	notices: Markup[];
}

const REGION_LABELS: Record<string, string> = {
	us: "United States (app.intercom.com)",
	eu: "Europe (app.eu.intercom.com)",
	au: "Australia (app.au.intercom.com)",
};
const WITHDRAWAL_LABELS: Record<string, string> = {
	stop: "Stop sending: Intercom keeps what it already has",
	scrub: "Scrub: remove name, email and mapped attributes from the person in Intercom (the user_id stays)",
	delete: "Delete the person in this site's Intercom workspace",
};
const POLICY_LABELS: Record<string, string> = {
	always: "Always",
	never: "Never",
	consent: "Only when the contact agreed to a consent",
};

function secretRow(
	deps: AdminDeps,
	input: SetupPageInput,
	key: "clientSecret" | "identityVerificationSecret",
	label: string,
	hint: string,
): Markup {
	const view = input.views.find((v) => v.key === key);
	const disabled = !input.access.canModify;
	const error = input.errors[key];
	return fieldRow({
		id: key,
		label,
		error,
		hint: html`<span class="badge${view?.isSet ? " ok" : view?.undecryptable ? " off" : ""}">${view?.display ?? "not set"}</span> ${hint}${
			error ? " The value you typed was not kept; type it again." : ""
		}`,
		control: (aria) => html`<div class="inline">
			<input type="password" id="${key}" name="${key}" value="" autocomplete="new-password" spellcheck="false"
				placeholder="${disabled ? "" : view?.isSet ? "Leave blank to keep the current value" : "Not set"}"${disabled ? html` disabled` : ""}${aria}>
			${
				view?.isSet && !disabled
					? html`<button class="btn small danger" type="submit" name="clear" value="${key}" formaction="${sitePath(deps, input.access.site, "setup/clear")}" formnovalidate data-confirm="Remove the stored ${label.toLowerCase()}?">Clear</button>`
					: ""
			}
		</div>`,
	});
}

/** Renders the page. */
export function setupPage(c: Context<AdminEnv>, deps: AdminDeps, input: SetupPageInput): Markup {
	const { access, values, errors } = input;
	const disabled = !access.canModify;
	const noConsents = input.consents.length === 0;
	const body = html`<h1>Intercom setup</h1>
<p class="lead">Settings of <strong>${access.site.displayName}</strong> (${access.site.codeName}).</p>
<form method="post" action="${sitePath(deps, access.site, "setup")}" novalidate>
	${csrfField(c)}
	<section class="card" aria-labelledby="general-h">
		<h2 id="general-h">General</h2>
		${checkboxRow({
			name: "enabled",
			label: "Enabled",
			hint: "Master switch: when off, the Messenger script renders nothing and both webhooks answer 404.",
			checked: values.enabled,
			disabled,
			text: "Intercom is enabled on this site",
		})}
		${textRow({ name: "appId", label: "App ID", value: values.appId, error: errors.appId, disabled, hint: "Your workspace id, as in the Messenger install code (lowercase letters and digits)." })}
		${selectRow({
			name: "region",
			label: "Region",
			value: values.region,
			error: errors.region,
			disabled,
			hint: "Where your Intercom workspace is hosted.",
			options: REGIONS.map((r) => ({ value: r, label: REGION_LABELS[r] ?? r })),
		})}
		${radioRow({
			name: "identityMode",
			label: "Identity verification",
			value: values.identityMode,
			error: errors.identityMode,
			disabled,
			hint: "How the Messenger proves who the visitor is: an HMAC user_hash, or a signed JWT.",
			options: IDENTITY_MODES.map((m) => ({ value: m, label: m === "hash" ? "user_hash (HMAC)" : "JWT" })),
		})}
		${secretRow(deps, input, "identityVerificationSecret", "Identity verification secret", "From Intercom: Settings › Messenger › Security.")}
	</section>
	<section class="card" aria-labelledby="app-h">
		<h2 id="app-h">Intercom app</h2>
		${textRow({ name: "clientId", label: "Client ID", value: values.clientId, error: errors.clientId, disabled, hint: "Developer Hub › your app › Basic information." })}
		${secretRow(
			deps,
			input,
			"clientSecret",
			"Client secret",
			`Used for “Get token” and to check signed webhooks. ${
				deps.apiKeyGracePeriodMs > 0
					? `When you replace it, signatures made with the old one are still accepted for ${durationText(deps.apiKeyGracePeriodMs)}.`
					: "When you replace it, signatures made with the old one are refused at once."
			}`,
		)}
	</section>
	<section class="card" aria-labelledby="data-h">
		<h2 id="data-h">Contact data sent to Intercom</h2>
		${radioRow({
			name: "sendContactData",
			label: "Send name and email",
			value: values.sendContactData,
			error: errors.sendContactData,
			disabled,
			hint: "The contact's id is always sent; name and email only as this policy allows.",
			options: SEND_CONTACT_DATA.map((p) => ({ value: p, label: POLICY_LABELS[p] ?? p })),
		})}
		${selectRow({
			name: "sendContactDataConsent",
			label: "Consent",
			value: values.sendContactDataConsent,
			error: errors.sendContactDataConsent,
			disabled: disabled || noConsents,
			hint: noConsents
				? html`No consent exists yet. <a href="${deps.basePath}/consents">Add a consent</a> to use this policy.`
				: "The consent a contact must have agreed to when the policy is “Only when the contact agreed”.",
			options: [
				{ value: "", label: "— choose a consent —" },
				...input.consents.map((k) => ({ value: k.codeName, label: `${k.displayName} (${k.codeName})` })),
			],
		})}
		${radioRow({
			name: "onWithdrawal",
			label: "When a contact withdraws that consent",
			value: values.onWithdrawal,
			error: errors.onWithdrawal,
			disabled,
			hint: "Name and email stop going to Intercom at once either way. Deleting is permanent in Intercom (conversations included); it runs in the background and is skipped if the contact agreed again meanwhile.",
			options: ON_WITHDRAWAL.map((o) => ({ value: o, label: WITHDRAWAL_LABELS[o] ?? o })),
		})}
		${checkboxRow({
			name: "syncContacts",
			label: "Sync contacts to Intercom",
			hint: "When on, a contact's changes here (identify, the contact form, a consent, your code, the CLI) create or update the person in this site's workspace by user_id, a few seconds later, with only what the policy above allows. Changes that came from Intercom are not sent back. Needs the access token (Data access page).",
			checked: values.syncContacts,
			disabled,
			text: "Send contacts' changes to Intercom",
		})}
	</section>
	${
		disabled
			? ""
			: html`<div class="actions"><button class="btn primary" type="submit">Save settings</button></div>`
	}
</form>`;
	return page(c, deps, {
		title: "Intercom setup",
		site: access.site,
		sites: access.sites,
		nav: "setup",
		notices: input.notices,
		body,
	});
}
