/**
 * Options of {@link createIntercomBridge}, validated once and resolved with defaults. Messages
 * name the option and the fix.
 */
import { ConfigError } from "../errors.ts";
import { type EndpointsResolver, realIntercom } from "../intercom/endpoints.ts";
import { createLogger, type Logger } from "../logger.ts";
import { checkMessengerOptions, type MessengerOptions } from "../messenger/messenger-options.ts";
import type { Store } from "../store/create-store.ts";
import type { WebhookOptions } from "../webhooks/webhook-options.ts";

/** When anonymous visitors get a contact (and a cookie). */
export type TrackingOption = "always" | { consent: string };

export interface IntercomBridgeOptions {
	/** The contact store (`pgliteStore(...)` or `postgresStore(...)`), prepared or not. */
	store: Store;
	/** Where the bridge's routes live. Default `/intercom`; `/kentico.xperience.intercom` keeps the reference's URLs. */
	basePath?: string;
	/** pino-compatible logger. Default: a pino logger at LOG_LEVEL. */
	logger?: Logger;
	/** Intercom hosts per region. Default: the real Intercom; tests pass the emulator's. */
	endpoints?: EndpointsResolver;
	/** Trust `X-Forwarded-Proto`/`-Host`/`-For` from a reverse proxy. Default false. */
	trustProxy?: boolean;
	/** The visitor cookie holding the contact GUID. */
	cookie?: { name?: string; maxAgeDays?: number };
	/** When anonymous contacts are created: `"always"` (default) or only after a consent. */
	tracking?: TrackingOption;
	/**
	 * New contacts one client address may create per minute through page views and the settings
	 * endpoint (IPv6 counted by /64). Past it, the page still works but the visitor gets no contact
	 * and no cookie, as a bot does, so a flood cannot fill the contact table. Applies where the
	 * address is known (the adapters pass it; X-Forwarded-For counts only with `trustProxy`).
	 * Default 60; 0 turns it off.
	 */
	newContactsPerMinute?: number;
	/** Webhook endpoint options (update contact, log activity, signed notifications). */
	webhooks?: WebhookOptions;
	/** How the Messenger loads and what it gets (appearance, consent gate, lazy, cache-safe, attributes). */
	messenger?: MessengerOptions;
	/** Clock, for tests. */
	now?: () => number;
}

export interface ResolvedBridgeOptions {
	store: Store;
	basePath: string;
	logger: Logger;
	endpoints: EndpointsResolver;
	trustProxy: boolean;
	cookie: { name: string; maxAgeDays: number };
	tracking: TrackingOption;
	newContactsPerMinute: number;
	webhooks: WebhookOptions;
	messenger: MessengerOptions;
	now: () => number;
}

/** Validates options and fills defaults. @throws ConfigError that names the option and the fix. */
export function resolveBridgeOptions(options: IntercomBridgeOptions): ResolvedBridgeOptions {
	if (!options || typeof options !== "object") {
		throw new ConfigError("createIntercomBridge needs an options object: createIntercomBridge({ store }).");
	}
	if (!options.store || typeof options.store.getSettings !== "function") {
		throw new ConfigError(
			'options.store is required: pass pgliteStore({ dataDir: "./.data" }) from "intercom-bridge/pglite" or postgresStore(...) from "intercom-bridge/postgres".',
		);
	}
	const basePath = (options.basePath ?? "/intercom").replace(/\/+$/, "");
	if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
		throw new ConfigError(
			`options.basePath "${options.basePath}" must be a path like "/intercom" (letters, digits, ".", "_", "~", "-").`,
		);
	}
	const cookieName = options.cookie?.name ?? "ib_contact";
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(cookieName)) {
		throw new ConfigError(`options.cookie.name "${cookieName}" must be 1 to 64 letters, digits, "_" or "-".`);
	}
	const maxAgeDays = options.cookie?.maxAgeDays ?? 395;
	if (!(maxAgeDays > 0 && maxAgeDays <= 400)) {
		throw new ConfigError(
			"options.cookie.maxAgeDays must be more than 0 and at most 400 (browsers cap cookies at 400 days).",
		);
	}
	const tracking = options.tracking ?? "always";
	if (
		tracking !== "always" &&
		!(typeof tracking === "object" && typeof tracking.consent === "string" && tracking.consent)
	) {
		throw new ConfigError('options.tracking must be "always" or { consent: "<consent code name>" }.');
	}
	const newContactsPerMinute = options.newContactsPerMinute ?? 60;
	if (!(Number.isInteger(newContactsPerMinute) && newContactsPerMinute >= 0)) {
		throw new ConfigError(
			`options.newContactsPerMinute must be a whole number of at least 0 (0 turns the limit off); got ${String(options.newContactsPerMinute)}.`,
		);
	}
	return {
		store: options.store,
		basePath,
		logger: options.logger ?? createLogger(),
		endpoints: options.endpoints ?? realIntercom,
		trustProxy: options.trustProxy ?? false,
		cookie: { name: cookieName, maxAgeDays },
		tracking,
		newContactsPerMinute,
		webhooks: options.webhooks ?? {},
		messenger: checkMessengerOptions(options.messenger),
		now: options.now ?? Date.now,
	};
}
