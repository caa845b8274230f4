/**
 * Per-page Messenger settings: what a page (or the bridge-wide `messenger.settings` hook) may add
 * to or override in `window.intercomSettings` for one response: appearance and behaviour
 * (`hide_default_launcher`, `custom_launcher_selector`, `language_override`, ...) and extra custom
 * attributes. Identity fields and whatever the data policy governs can never be set this way: the
 * bridge alone decides who the visitor is and what of them Intercom gets (docs/intercom.md §6.2).
 *
 * @example
 * await bridge.messenger.script(request, { settings: { hide_default_launcher: true, plan_page: "pricing" } });
 */
import { ValidationError } from "../errors.ts";
import type { MessengerAppearance } from "./messenger-options.ts";

/** A value the Messenger keeps for a setting or custom attribute. */
export type MessengerSettingValue = string | number | boolean | null;

/** Settings a page may add or override: appearance and behaviour, and extra custom attributes. */
export type MessengerPageSettings = MessengerAppearance & Record<string, MessengerSettingValue | undefined>;

/**
 * Keys no page may set: who the visitor is (identity and its proof), the fields the data policy
 * governs, and which workspace the Messenger talks to.
 */
export const GOVERNED_SETTINGS: ReadonlySet<string> = new Set([
	"user_id",
	"user_hash",
	"intercom_user_jwt",
	"email",
	"name",
	"phone",
	"company",
	"companies",
	"avatar",
	"created_at",
	"signed_up_at",
	"app_id",
	"api_base",
]);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_ -]{0,189}$/;
const MAX_STRING = 1000;

/** The error for a page setting that is the bridge's alone. */
export const governedSettingError = (key: string, where: string) =>
	new ValidationError(
		`${where}: "${key}" cannot be set per page: identity fields and the fields the data policy governs are the bridge's alone. ` +
			"Leave it out; identify the visitor with bridge.contacts.identify(), and send contact data through the site's data policy (messenger.customAttributes, messenger.company).",
		key,
	);

/**
 * Checks page settings and returns them without undefined values (null when there are none).
 * `governed` adds the names the data policy decides for this bridge (messenger.customAttributes).
 * @throws ValidationError naming the key and the fix.
 */
export function checkPageSettings(
	settings: MessengerPageSettings | null | undefined,
	where: string,
	governed: ReadonlySet<string> = GOVERNED_SETTINGS,
): Record<string, MessengerSettingValue> | null {
	if (settings === undefined || settings === null) return null;
	if (typeof settings !== "object" || Array.isArray(settings))
		throw new ValidationError(
			`${where} must be an object of Messenger settings, e.g. { hide_default_launcher: true }.`,
		);
	let out: Record<string, MessengerSettingValue> | null = null;
	for (const key of Object.keys(settings)) {
		const value = settings[key];
		if (value === undefined) continue;
		if (GOVERNED_SETTINGS.has(key) || governed.has(key)) throw governedSettingError(key, where);
		if (!NAME_RE.test(key))
			throw new ValidationError(
				`${where}: "${key.slice(0, 40)}" is not a usable Messenger setting name (letters, digits, "_", "-", space; at most 190).`,
				key,
			);
		const ok =
			value === null ||
			typeof value === "boolean" ||
			(typeof value === "number" && Number.isFinite(value)) ||
			(typeof value === "string" && value.length <= MAX_STRING);
		if (!ok)
			throw new ValidationError(
				`${where}: "${key}" must be a string of at most ${MAX_STRING} characters, a finite number, a boolean or null.`,
				key,
			);
		out ??= {};
		out[key] = value;
	}
	return out;
}
