/** Options of the Messenger script helper: how the widget loads and looks, and which attributes it gets. */
import { ConfigError } from "../errors.ts";
import type { VisitorRequest } from "../http/request-info.ts";
import type { Contact } from "../store/contact-store.ts";
import type { MessengerPageSettings } from "./page-settings.ts";

/** What the bridge-wide `messenger.settings` hook is told about a page view. */
export interface MessengerSettingsContext {
	/** The page's request (a Fetch `Request` or an adapter's view of it: `url`, `method`, `headers.get`). */
	request: VisitorRequest;
	/**
	 * The visitor's contact, or null (a new or anonymous visitor without a contact yet, and always
	 * for a cache-safe page, which is the same for everyone).
	 */
	contact: Contact | null;
}

/** Messenger attributes that change behaviour, not user data (docs/intercom.md §5.2). */
export interface MessengerAppearance {
	alignment?: "left" | "right";
	horizontal_padding?: number;
	vertical_padding?: number;
	hide_default_launcher?: boolean;
	custom_launcher_selector?: string;
	language_override?: string;
	z_index?: number;
	action_color?: string;
	background_color?: string;
}

export interface MessengerOptions {
	/** Look and behaviour attributes passed to the Messenger as they are. */
	appearance?: MessengerAppearance;
	/**
	 * Load the Messenger only after the visitor agreed to this consent (no Intercom cookies before).
	 * Without it, the Messenger loads for every visitor of an enabled site.
	 */
	loadAfterConsent?: string;
	/**
	 * Load the widget on the first interaction (pointer, key, touch, scroll), or once the browser is idle
	 * after `idleTimeoutMs` (default 4000), whichever comes first: keeps it off the page's critical path.
	 */
	lazy?: boolean | { idleTimeoutMs?: number };
	/**
	 * Cache-safe mode: the page carries only what is the same for every visitor (app id, loader); the
	 * visitor's settings come from `{basePath}/messenger/settings` (Cache-Control: no-store) before boot.
	 * Use it behind a full-page cache or CDN. Default false.
	 */
	cacheSafe?: boolean;
	/** Lifetime of `intercom_user_jwt` in seconds (identityMode "jwt"). Default 7200. */
	jwtExpiresInSeconds?: number;
	/**
	 * Custom data attributes from a contact, sent only when the data policy allows sending contact
	 * data. Either a map of attribute name → contact field (`"companyName"`, `"customFields.plan"`)
	 * or a function.
	 */
	customAttributes?:
		| Record<string, string>
		| ((contact: Contact) => Record<string, string | number | boolean | null>);
	/** The visitor's company (`{ id, name, ... }`), sent only when the data policy allows. */
	company?: (contact: Contact) => { id: string; name: string; [key: string]: unknown } | null;
	/**
	 * Settings for every page's script, decided per page view: appearance and behaviour
	 * (`hide_default_launcher`, `language_override`, ...) and extra custom attributes. A page's own
	 * `settings` (ScriptOptions) override these. Synchronous: it runs on the cached path of a page
	 * view too. Identity fields and data-policy fields are refused (ValidationError).
	 */
	settings?: (ctx: MessengerSettingsContext) => MessengerPageSettings | null | undefined;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_ -]{0,189}$/;

/** Checks Messenger options once. @throws ConfigError naming the option. */
export function checkMessengerOptions(options: MessengerOptions = {}): MessengerOptions {
	const a = options.appearance ?? {};
	for (const key of ["horizontal_padding", "vertical_padding", "z_index"] as const) {
		const v = a[key];
		if (v !== undefined && !Number.isInteger(v))
			throw new ConfigError(`messenger.appearance.${key} must be a whole number.`);
	}
	if (a.alignment !== undefined && a.alignment !== "left" && a.alignment !== "right") {
		throw new ConfigError('messenger.appearance.alignment must be "left" or "right".');
	}
	if (
		options.jwtExpiresInSeconds !== undefined &&
		!(options.jwtExpiresInSeconds >= 60 && options.jwtExpiresInSeconds <= 86400 * 30)
	) {
		throw new ConfigError("messenger.jwtExpiresInSeconds must be between 60 and 2592000 (30 days).");
	}
	if (options.customAttributes && typeof options.customAttributes === "object") {
		for (const name of Object.keys(options.customAttributes)) {
			if (!NAME_RE.test(name))
				throw new ConfigError(`messenger.customAttributes: "${name}" is not a usable attribute name.`);
		}
	}
	if (options.settings !== undefined && typeof options.settings !== "function") {
		throw new ConfigError(
			"messenger.settings must be a function (ctx) => ({ hide_default_launcher: true, ... }) returning a page's Messenger settings.",
		);
	}
	return options;
}
