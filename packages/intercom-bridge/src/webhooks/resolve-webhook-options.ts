/** {@link WebhookOptions} checked once and filled with defaults. */
import { ConfigError } from "../errors.ts";
import type { EndpointsResolver } from "../intercom/endpoints.ts";
import type { Logger } from "../logger.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Store } from "../store/create-store.ts";
import type { Site } from "../store/site-store.ts";
import { DEFAULT_BODY_LIMIT_BYTES } from "./read-webhook-body.ts";
import { DEFAULT_API_KEY_GRACE_PERIOD_MS } from "./verify-webhook-auth.ts";
import type { WebhookCounts } from "./webhook-counts.ts";
import type { CustomFieldMapping, WebhookOptions, WebhookRateLimit } from "./webhook-options.ts";

export interface ResolvedWebhookOptions {
	apiKeyGracePeriodMs: number;
	bodyLimitBytes: number;
	dedupWindowMs: number;
	notificationMaxAgeMs: number;
	customFields: ReadonlyArray<readonly [bodyKey: string, mapping: CustomFieldMapping]>;
	onUpdateContact: WebhookOptions["onUpdateContact"];
	onNotification: WebhookOptions["onNotification"];
	linkJobMaxAttempts: number;
	rateLimit: Required<WebhookRateLimit>;
}

/** What every webhook handler gets. */
export interface WebhookHandlerContext {
	store: Store;
	logger: Logger;
	options: ResolvedWebhookOptions;
	now: () => number;
	/** Intercom's hosts per region, for the inbox links of notification activities. */
	endpoints: EndpointsResolver;
	/** The counters /healthz reports (notifications ignored, by reason). */
	counts: WebhookCounts;
}

/** One authenticated request, body read and parsed. */
export interface WebhookRequest {
	site: Site;
	settings: SiteSettings;
	bytes: Uint8Array;
	body: Record<string, unknown>;
	/** A JSON answer (200 unless `init` says otherwise), made the cheapest way for the caller. */
	respond(data: unknown, init?: ResponseInit): Response;
}

/** Failed authentications per minute and client address before 429s (docs/reliability.md W16). */
export const DEFAULT_FAILURES_PER_MINUTE = 20;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
	const v = value ?? fallback;
	if (!Number.isFinite(v) || v < 0) {
		throw new ConfigError(`options.webhooks.${name} must be a number of at least 0 (got ${value}).`);
	}
	return v;
}

/** @throws ConfigError naming the option and the fix. */
export function resolveWebhookOptions(options: WebhookOptions = {}): ResolvedWebhookOptions {
	const bodyLimitBytes = nonNegative("bodyLimitBytes", options.bodyLimitBytes, DEFAULT_BODY_LIMIT_BYTES);
	if (bodyLimitBytes < 1024) throw new ConfigError("options.webhooks.bodyLimitBytes must be at least 1024.");
	const customFields = Object.entries(options.customFields ?? {}).map(([bodyKey, mapping]) => {
		if (
			!mapping ||
			typeof mapping.field !== "string" ||
			!/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/.test(mapping.field)
		) {
			throw new ConfigError(
				`options.webhooks.customFields.${bodyKey}.field must be a custom field name (letters, digits, "_", "-", ".").`,
			);
		}
		if (mapping.maxLength !== undefined && !(Number.isInteger(mapping.maxLength) && mapping.maxLength > 0)) {
			throw new ConfigError(`options.webhooks.customFields.${bodyKey}.maxLength must be a positive integer.`);
		}
		return [bodyKey, mapping] as const;
	});
	const maxAttempts = options.linkJobMaxAttempts ?? 8;
	if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= 50)) {
		throw new ConfigError("options.webhooks.linkJobMaxAttempts must be an integer from 1 to 50.");
	}
	return {
		apiKeyGracePeriodMs: nonNegative(
			"apiKeyGracePeriodMs",
			options.apiKeyGracePeriodMs,
			DEFAULT_API_KEY_GRACE_PERIOD_MS,
		),
		bodyLimitBytes,
		dedupWindowMs: nonNegative("dedupWindowMs", options.dedupWindowMs, 60_000),
		notificationMaxAgeMs: nonNegative("notificationMaxAgeMs", options.notificationMaxAgeMs, 24 * 3600_000),
		customFields,
		onUpdateContact: options.onUpdateContact,
		onNotification: options.onNotification,
		linkJobMaxAttempts: maxAttempts,
		rateLimit: {
			failuresPerMinute: nonNegative(
				"rateLimit.failuresPerMinute",
				options.rateLimit?.failuresPerMinute,
				DEFAULT_FAILURES_PER_MINUTE,
			),
			requestsPerSecond: nonNegative("rateLimit.requestsPerSecond", options.rateLimit?.requestsPerSecond, 0),
		},
	};
}
