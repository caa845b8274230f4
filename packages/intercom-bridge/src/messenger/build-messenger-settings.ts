/**
 * Decides what the Messenger gets for one visitor: the reference's rules (docs/reference-behaviour.md,
 * "Snippet") with its fixes, plus JWT identity, region and consent-gated loading.
 *
 * - nothing when the site is disabled or has no valid app id, or (loadAfterConsent) before consent;
 * - `user_id` = the contact's GUID whenever there is a contact, whatever the data policy;
 * - `name`, `email`, custom attributes and company only when the policy allows (always; never;
 *   consent = the contact's latest action on that consent is "agree") and the contact is not anonymous;
 * - identity: `user_hash` (lowercase hex) or, in jwt mode, `intercom_user_jwt` holding `user_id` and
 *   the allowed fields, which are then left out of the plain settings (docs/intercom.md §6.2).
 */
import { type IntercomEndpoints, intercomEndpoints } from "../intercom/endpoints.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Contact } from "../store/contact-store.ts";
import { userHash, userJwt } from "./identity.ts";
import type { MessengerOptions } from "./messenger-options.ts";

/** `window.intercomSettings` as we send it. */
export type IntercomSettings = { app_id: string; api_base?: string } & Record<string, unknown>;

/**
 * The Messenger's own default `api_base` (US): left out of the settings, since every page view
 * carries them and the Messenger uses it when none is given (docs/decisions/0045).
 */
const DEFAULT_API_BASE = intercomEndpoints("us").messenger;

export type MessengerDecision =
	| { enabled: false; reason: "disabled" | "no-app-id" | "consent-required" }
	| {
			enabled: true;
			settings: IntercomSettings;
			/** URL of the widget script (`{widget}/{app_id}`). */
			widgetUrl: string;
			/** True when name and email may be sent (the data policy allows it for this contact). */
			dataAllowed: boolean;
			/**
			 * What of the contact these settings disclose to Intercom, for the disclosure log
			 * (docs/reliability.md P5): field names, never values, and the basis. Null without a contact or
			 * for an anonymous one.
			 */
			disclosure: MessengerDisclosure | null;
	  };

/** The personal data a decision sends: field names and the data policy (with its consent) that allowed them. */
export interface MessengerDisclosure {
	fields: string[];
	policy: "always" | "consent" | "never";
	/** With the `consent` policy and data sent: the consent the contact agreed to. */
	consentCode?: string;
}

/** The visitor as the Messenger sees it: a contact (or none) and its consent states. */
export interface MessengerVisitor {
	contact: Contact | null;
	agreed: Readonly<Record<string, boolean>>;
}

const APP_ID_RE = /^[a-z0-9]{1,32}$/;

/** The reference treats contacts without name or email, or whose last name starts with "Anonymous", as anonymous. */
export function isAnonymousContact(contact: Contact): boolean {
	if (contact.lastName?.startsWith("Anonymous")) return true;
	return !contact.email && !contact.firstName && !contact.lastName;
}

/** Full name from first, middle and last name, or null. */
export function fullName(contact: Contact): string | null {
	const name = [contact.firstName, contact.middleName, contact.lastName].filter((p) => p?.trim()).join(" ");
	return name || null;
}

/**
 * The site's data policy for one contact, shared by the Messenger and contact sync (decision
 * 0025): name, email and custom attributes may go to Intercom with `always`, or with `consent`
 * when the contact's latest action on the site's consent is "agree"; never with `never`.
 */
export function isDataSharingAllowed(
	settings: Pick<SiteSettings, "sendContactData" | "sendContactDataConsent">,
	agreed: Readonly<Record<string, boolean>>,
): boolean {
	return (
		settings.sendContactData === "always" ||
		(settings.sendContactData === "consent" &&
			!!settings.sendContactDataConsent &&
			agreed[settings.sendContactDataConsent] === true)
	);
}

/** The personal fields a contact has for Intercom (`name`, `email`); none for an anonymous one. */
export function personalFields(contact: Contact): { name?: string; email?: string } {
	const personal: { name?: string; email?: string } = {};
	if (isAnonymousContact(contact)) return personal;
	const name = fullName(contact);
	if (name) personal.name = name;
	if (contact.email) personal.email = contact.email;
	return personal;
}

/** Consent codes a decision needs (to read them in the same query as the contact). */
export function consentsNeeded(settings: SiteSettings, options: MessengerOptions): string[] {
	const codes: string[] = [];
	if (settings.sendContactData === "consent" && settings.sendContactDataConsent)
		codes.push(settings.sendContactDataConsent);
	if (options.loadAfterConsent) codes.push(options.loadAfterConsent);
	return codes;
}

function readPath(contact: Contact, path: string): unknown {
	if (path.startsWith("customFields.")) return contact.customFields[path.slice("customFields.".length)];
	return (contact as Record<string, unknown>)[path];
}

function customAttributes(contact: Contact, options: MessengerOptions): Record<string, unknown> {
	const mapping = options.customAttributes;
	if (!mapping) return {};
	const raw =
		typeof mapping === "function"
			? mapping(contact)
			: Object.fromEntries(Object.entries(mapping).map(([k, p]) => [k, readPath(contact, p)]));
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		// Only plain values: the Messenger stores custom attributes as strings, numbers or booleans.
		if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
			out[key] = value;
	}
	return out;
}

/** Builds the Messenger decision for a visitor. Pure: no I/O. */
export function buildMessengerSettings(input: {
	settings: SiteSettings;
	visitor: MessengerVisitor;
	options: MessengerOptions;
	endpoints: IntercomEndpoints;
	now: () => number;
}): MessengerDecision {
	const { settings, visitor, options, endpoints } = input;
	if (!settings.enabled) return { enabled: false, reason: "disabled" };
	if (!settings.appId || !APP_ID_RE.test(settings.appId)) return { enabled: false, reason: "no-app-id" };
	if (options.loadAfterConsent && !visitor.agreed[options.loadAfterConsent]) {
		return { enabled: false, reason: "consent-required" };
	}
	const result: IntercomSettings = { app_id: settings.appId };
	if (endpoints.messenger !== DEFAULT_API_BASE) result.api_base = endpoints.messenger;
	Object.assign(result, options.appearance);
	const contact = visitor.contact;
	let dataAllowed = false;
	let disclosure: MessengerDisclosure | null = null;
	if (contact) {
		dataAllowed = isDataSharingAllowed(settings, visitor.agreed);
		const personal: Record<string, unknown> = dataAllowed ? personalFields(contact) : {};
		const secret = settings.identityVerificationSecret;
		if (settings.identityMode === "jwt" && secret) {
			// Signed fields travel only inside the token (docs/intercom.md §6.2).
			result.intercom_user_jwt = userJwt(
				secret,
				{ user_id: contact.guid, ...personal },
				{
					expiresInSeconds: options.jwtExpiresInSeconds,
					now: input.now,
				},
			);
		} else {
			result.user_id = contact.guid;
			Object.assign(result, personal);
			if (secret) result.user_hash = userHash(secret, contact.guid);
		}
		const fields = ["user_id", ...Object.keys(personal)];
		if (settings.identityMode === "jwt" && secret) fields.push("intercom_user_jwt");
		else if (secret) fields.push("user_hash");
		if (dataAllowed) {
			const custom = customAttributes(contact, options);
			Object.assign(result, custom);
			fields.push(...Object.keys(custom));
			const company = options.company?.(contact);
			if (company) {
				result.company = company;
				fields.push("company");
			}
		}
		// An anonymous visitor's record holds nothing about a person but the random GUID the Messenger
		// gets: logging it would add a write to every new visitor's first page view (decision 0010).
		disclosure = isAnonymousContact(contact)
			? null
			: {
					fields,
					policy: settings.sendContactData,
					...(dataAllowed && settings.sendContactData === "consent" && settings.sendContactDataConsent
						? { consentCode: settings.sendContactDataConsent }
						: {}),
				};
	}
	return {
		enabled: true,
		settings: result,
		widgetUrl: `${endpoints.widget}/${settings.appId}`,
		dataAllowed,
		disclosure,
	};
}
