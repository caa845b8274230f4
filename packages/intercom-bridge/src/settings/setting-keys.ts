/**
 * The per-site settings: their names (shared by the CLI, the admin console and the store), how a
 * text value is checked and normalised, and which ones are secrets (encrypted at rest, masked
 * when shown, never logged).
 */

import { ValidationError } from "../errors.ts";
import { hasControlCharacters } from "../text/has-control-characters.ts";

export const SEND_CONTACT_DATA = ["always", "never", "consent"] as const;
export const REGIONS = ["us", "eu", "au"] as const;
export const IDENTITY_MODES = ["hash", "jwt"] as const;
export const ON_WITHDRAWAL = ["stop", "scrub", "delete"] as const;

export type SendContactData = (typeof SEND_CONTACT_DATA)[number];
export type Region = (typeof REGIONS)[number];
export type IdentityMode = (typeof IDENTITY_MODES)[number];
export type OnWithdrawal = (typeof ON_WITHDRAWAL)[number];

interface SettingDefinition {
	readonly secret: boolean;
	readonly description: string;
	/** Allowed values, for enumerations; named in error messages. */
	readonly allowed?: readonly string[];
	/** Returns the normalised value or throws a ValidationError that says what is allowed. */
	readonly parse: (raw: string) => string;
}

const text =
	(label: string, max: number, min = 1) =>
	(raw: string) => {
		const value = raw.trim();
		if (value.length < min || value.length > max) {
			throw new ValidationError(`${label} must be ${min} to ${max} characters long.`);
		}
		if (hasControlCharacters(value)) {
			throw new ValidationError(`${label} must not contain control characters.`);
		}
		return value;
	};

const oneOf =
	(key: string, allowed: readonly string[]) =>
	(raw: string): string => {
		const value = raw.trim().toLowerCase();
		if (!allowed.includes(value)) {
			throw new ValidationError(
				`"${raw}" is not a valid value for ${key}. Allowed values: ${allowed.join(", ")}.`,
				key,
			);
		}
		return value;
	};

const BOOLEAN_WORDS: Record<string, string> = {
	true: "true",
	false: "false",
	yes: "true",
	no: "false",
	on: "true",
	off: "false",
	"1": "true",
	"0": "false",
};

/** Every setting a site has. */
export const SETTING_DEFINITIONS = {
	enabled: {
		secret: false,
		description: "Master switch: when false the Messenger script is empty and the webhooks answer 404.",
		allowed: ["true", "false"],
		parse: (raw: string) => {
			const value = BOOLEAN_WORDS[raw.trim().toLowerCase()];
			if (!value) {
				throw new ValidationError(
					`"${raw}" is not a valid value for enabled. Allowed values: true, false.`,
					"enabled",
				);
			}
			return value;
		},
	},
	appId: {
		secret: false,
		description:
			"Intercom workspace (app) id, as in the Messenger install code: lowercase letters and digits.",
		parse: (raw: string) => {
			const value = raw.trim();
			// The app id is interpolated into the widget URL, so it is allow-listed (docs/reliability.md S2).
			if (!/^[a-z0-9]{1,32}$/.test(value)) {
				throw new ValidationError(
					`"${raw}" is not a valid appId: use the 1 to 32 lowercase letters and digits of your Intercom workspace id.`,
					"appId",
				);
			}
			return value;
		},
	},
	clientId: {
		secret: false,
		description: "Client id of your Intercom app (Developer Hub > Basic information), for OAuth.",
		parse: text("clientId", 200),
	},
	clientSecret: {
		secret: true,
		description: "Client secret of your Intercom app: OAuth and the X-Hub-Signature of signed webhooks.",
		parse: text("clientSecret", 500),
	},
	identityVerificationSecret: {
		secret: true,
		description: "Messenger identity verification secret: keys user_hash and the Messenger JWT.",
		parse: text("identityVerificationSecret", 500, 8),
	},
	sendContactData: {
		secret: false,
		description: "When the visitor's name and email go to Intercom: always, never, or consent.",
		allowed: SEND_CONTACT_DATA,
		parse: oneOf("sendContactData", SEND_CONTACT_DATA),
	},
	sendContactDataConsent: {
		secret: false,
		description: "Code name of the consent that allows sending contact data (with sendContactData=consent).",
		parse: text("sendContactDataConsent", 100),
	},
	onWithdrawal: {
		secret: false,
		description:
			"What happens in Intercom when a contact withdraws the consent of sendContactDataConsent: stop (send nothing more), scrub (remove name, email and mapped attributes from the Intercom contact, keep its user_id) or delete (delete the person in this site's workspace).",
		allowed: ON_WITHDRAWAL,
		parse: oneOf("onWithdrawal", ON_WITHDRAWAL),
	},
	syncContacts: {
		secret: false,
		description:
			"Sync contacts to Intercom: a local change of a contact (identify, contact form, consent, code, CLI) creates or updates the person in this site's workspace, within what sendContactData allows. Off by default.",
		allowed: ["true", "false"],
		parse: (raw: string) => {
			const value = BOOLEAN_WORDS[raw.trim().toLowerCase()];
			if (!value) {
				throw new ValidationError(
					`"${raw}" is not a valid value for syncContacts. Allowed values: true, false.`,
					"syncContacts",
				);
			}
			return value;
		},
	},
	region: {
		secret: false,
		description: "Where your Intercom workspace is hosted: us, eu or au.",
		allowed: REGIONS,
		parse: oneOf("region", REGIONS),
	},
	identityMode: {
		secret: false,
		description:
			"How the Messenger proves the visitor's identity: hash (user_hash) or jwt (intercom_user_jwt).",
		allowed: IDENTITY_MODES,
		parse: oneOf("identityMode", IDENTITY_MODES),
	},
	accessToken: {
		secret: true,
		description: 'Intercom REST API access token (from OAuth "Get token", or a private app\'s token).',
		parse: text("accessToken", 2000, 8),
	},
	webhookDedupField: {
		secret: false,
		description:
			"A body field that identifies a Series delivery (e.g. EventId): a webhook whose body has it is processed once per value. Without one, identical bodies within the dedup window count as one.",
		parse: (raw: string) => {
			const value = raw.trim();
			if (!/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(value)) {
				throw new ValidationError(
					"webhookDedupField must be a body field name: a letter, then up to 99 letters, digits, '_', '.' or '-'.",
				);
			}
			return value;
		},
	},
	webhookApiKey: {
		secret: true,
		description: "Key that Intercom Series webhooks send in X-Api-Key; generated at start-up when missing.",
		parse: text("webhookApiKey", 200, 16),
	},
} as const satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTING_DEFINITIONS;
export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];

/** Internal keys the store keeps beside the public ones (the grace periods of replaced secrets). */
export const INTERNAL_KEYS = {
	/** Every webhook API key replaced within its grace period, with when: JSON, sealed as one secret. */
	previousWebhookApiKeys: "webhookApiKey.previousKeys",
	/** The single previous key older versions kept; read until the next rotation folds it in. */
	legacyPreviousWebhookApiKey: "webhookApiKey.previous",
	previousClientSecret: "clientSecret.previous",
} as const;

/** True for the internal keys, which hold secrets. */
export const isInternalSecretKey = (key: string) => (Object.values(INTERNAL_KEYS) as string[]).includes(key);

/** Default grace period of a replaced webhook API key or client secret: 24 hours. */
export const DEFAULT_API_KEY_GRACE_PERIOD_MS = 24 * 60 * 60 * 1000;

/**
 * How many replaced webhook API keys may be within their grace period at once. A rotation past it
 * is refused rather than cutting off a key a Series may still send; it bounds what every webhook
 * request compares.
 */
export const MAX_PREVIOUS_WEBHOOK_API_KEYS = 10;

/** A webhook API key replaced by a rotation, and when: accepted until the grace period after that. */
export interface PreviousWebhookApiKey {
	key: string;
	replacedAt: Date;
}

/** The stored form of the replaced keys (sealed as one secret): newest first. */
export function encodePreviousWebhookApiKeys(keys: readonly PreviousWebhookApiKey[]): string {
	return JSON.stringify(keys.map((k) => ({ key: k.key, replacedAt: k.replacedAt.getTime() })));
}

/** Reads {@link encodePreviousWebhookApiKeys}'s form; anything malformed counts as no key (fails closed). */
export function decodePreviousWebhookApiKeys(stored: string | null | undefined): PreviousWebhookApiKey[] {
	if (!stored) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(stored);
	} catch {
		return [];
	}
	if (!Array.isArray(parsed)) return [];
	const keys: PreviousWebhookApiKey[] = [];
	for (const item of parsed) {
		const { key, replacedAt } = (item ?? {}) as { key?: unknown; replacedAt?: unknown };
		if (
			typeof key === "string" &&
			key !== "" &&
			typeof replacedAt === "number" &&
			Number.isFinite(replacedAt)
		) {
			keys.push({ key, replacedAt: new Date(replacedAt) });
		}
	}
	return keys;
}

/** True when `key` names a setting. */
export function isSettingKey(key: string): key is SettingKey {
	return Object.hasOwn(SETTING_DEFINITIONS, key);
}

/**
 * Checks that `key` names a setting.
 * @throws ValidationError listing the settings.
 */
export function checkSettingKey(key: string): SettingKey {
	if (!isSettingKey(key)) {
		throw new ValidationError(`Unknown setting "${key}". Settings: ${SETTING_KEYS.join(", ")}.`, "key");
	}
	return key;
}

/**
 * Checks a key and a value typed by a person and returns the normalised value.
 * @throws ValidationError naming the allowed keys or values.
 */
export function parseSetting(key: string, raw: string): { key: SettingKey; value: string } {
	checkSettingKey(key);
	const definition: SettingDefinition = SETTING_DEFINITIONS[key as SettingKey];
	try {
		return { key: key as SettingKey, value: definition.parse(raw) };
	} catch (err) {
		if (err instanceof ValidationError && !err.field) throw new ValidationError(err.message, key);
		throw err;
	}
}

/** True for settings kept encrypted and never shown. */
export function isSecretSetting(key: string): boolean {
	return isSettingKey(key) && SETTING_DEFINITIONS[key].secret;
}

/** The settings of one site, typed, with defaults applied and secrets decrypted. */
export interface SiteSettings {
	enabled: boolean;
	appId: string | null;
	clientId: string | null;
	clientSecret: string | null;
	identityVerificationSecret: string | null;
	sendContactData: SendContactData;
	sendContactDataConsent: string | null;
	/**
	 * What happens in Intercom when that consent is withdrawn: nothing more is sent, the person's
	 * name, email and mapped attributes are removed (their `user_id` stays), or the person is deleted.
	 */
	onWithdrawal: OnWithdrawal;
	/** Local changes of contacts are sent to this site's workspace (decision 0025). */
	syncContacts: boolean;
	region: Region;
	identityMode: IdentityMode;
	accessToken: string | null;
	webhookApiKey: string | null;
	/** The body field that identifies a Series delivery, when the site set one (docs/reliability.md W12). */
	webhookDedupField: string | null;
	/**
	 * The keys replaced by rotations, newest first, each with when it was replaced: each is accepted
	 * for the grace period after its own replacement, so rotating again does not cut off the key a
	 * Series still sends.
	 */
	previousWebhookApiKeys: readonly PreviousWebhookApiKey[];
	/**
	 * The client secret replaced by the last change, and when: signatures made with it are accepted
	 * for the same grace period, since Intercom and this site never switch at the same moment.
	 */
	previousClientSecret: { secret: string; replacedAt: Date } | null;
	/**
	 * Stored secrets (setting or internal keys) this server's secret key cannot decrypt: they read
	 * as null above. Empty when all is well.
	 */
	undecryptable: readonly string[];
}

/** Builds {@link SiteSettings} from stored text values (already decrypted). Unknown values fall back to defaults. */
export function toSiteSettings(
	values: ReadonlyMap<string, { value: string; updatedAt: Date }>,
	undecryptable: readonly string[] = [],
): SiteSettings {
	const get = (key: string) => values.get(key)?.value ?? null;
	const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
		const v = get(key);
		return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
	};
	const previousKeys = decodePreviousWebhookApiKeys(get(INTERNAL_KEYS.previousWebhookApiKeys));
	const legacy = values.get(INTERNAL_KEYS.legacyPreviousWebhookApiKey);
	if (legacy && !previousKeys.some((k) => k.key === legacy.value)) {
		previousKeys.push({ key: legacy.value, replacedAt: legacy.updatedAt });
	}
	previousKeys.sort((a, b) => b.replacedAt.getTime() - a.replacedAt.getTime());
	const previousSecret = values.get(INTERNAL_KEYS.previousClientSecret);
	return {
		enabled: get("enabled") === "true",
		appId: get("appId"),
		clientId: get("clientId"),
		clientSecret: get("clientSecret"),
		identityVerificationSecret: get("identityVerificationSecret"),
		sendContactData: pick("sendContactData", SEND_CONTACT_DATA, "never"),
		sendContactDataConsent: get("sendContactDataConsent"),
		onWithdrawal: pick("onWithdrawal", ON_WITHDRAWAL, "stop"),
		syncContacts: get("syncContacts") === "true",
		region: pick("region", REGIONS, "us"),
		identityMode: pick("identityMode", IDENTITY_MODES, "hash"),
		accessToken: get("accessToken"),
		webhookApiKey: get("webhookApiKey"),
		webhookDedupField: get("webhookDedupField"),
		previousWebhookApiKeys: previousKeys,
		previousClientSecret: previousSecret
			? { secret: previousSecret.value, replacedAt: previousSecret.updatedAt }
			: null,
		undecryptable,
	};
}

/** Shows a secret without revealing it: "set, ends with …4f2a" (only the end of long values). */
export function maskSecret(value: string | null): string {
	if (value === null || value === "") return "not set";
	return value.length >= 16 ? `set, ends with …${value.slice(-4)}` : "set";
}
