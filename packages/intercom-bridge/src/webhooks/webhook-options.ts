/** Options of the webhook endpoints (issue #5). */
import type { Contact } from "../store/contact-store.ts";

/** Maps an extra body key of the update-contact webhook to a custom field. */
export interface CustomFieldMapping {
	/** Name of the custom field on the contact. */
	field: string;
	/** Longer text is truncated to this many characters. */
	maxLength?: number;
}

/** What an `onUpdateContact` hook receives. */
export interface UpdateContactEvent {
	/** The parsed JSON body (an object; keys as sent). */
	body: Readonly<Record<string, unknown>>;
	/** The value of a body key matched case-insensitively, as the built-in keys are (`undefined` when absent). */
	field(key: string): unknown;
	/** The contact as it is before this update is saved. */
	contact: Readonly<Contact>;
	/** The site the request came for. */
	site: { id: number; codeName: string };
	/** Custom fields to merge into the contact; the hook may add to it. */
	customFields: Record<string, unknown>;
	/** Rejects the request with a 4xx and this reason (nothing is saved). */
	reject(reason: string, status?: 400 | 403 | 409 | 422): never;
}

/** A signed Developer Hub notification (`notification_event`), as `onNotification` receives it. */
export interface NotificationEvent {
	/** The notification id (`notif_…`); each id is handled once. */
	id: string;
	/** The topic, e.g. `contact.user.created`. */
	topic: string;
	/** `created_at` of the notification, in Unix seconds (0 when absent). */
	createdAt: number;
	/** `data.item` of the notification (the object the topic is about). */
	item: unknown;
	/** The site the request came for. */
	site: { id: number; codeName: string };
}

/** Limits per client address on the webhook routes (see the README's "Abuse limits"). */
export interface WebhookRateLimit {
	/**
	 * Failed authentications (401) an address may make per minute, in bursts of as many. Past
	 * them, every request from the address is answered 429 before its body is read, until the
	 * budget refills. Default 20; 0 turns it off.
	 */
	failuresPerMinute?: number;
	/**
	 * Requests of any kind an address may make per second, in bursts of twice as many. Default 0,
	 * no limit: a 429 makes Intercom hold back deliveries for 1 minute to 2 hours, so set it only
	 * well above the rate your Series send at.
	 */
	requestsPerSecond?: number;
}

export interface WebhookOptions {
	/** Limits per client address (failed authentications, and optionally all requests). */
	rateLimit?: WebhookRateLimit;
	/** How long the previous webhook API key stays valid after "Generate new" (ms). Default 24 h. */
	apiKeyGracePeriodMs?: number;
	/** Largest accepted body in bytes. Default 64 KiB. */
	bodyLimitBytes?: number;
	/** Identical Series bodies within this window are processed once (ms). Default 60 s; 0 turns it off. */
	dedupWindowMs?: number;
	/** Extra body keys copied into custom fields, e.g. `{ ContactCoffeePreference: { field: "coffeePreference", maxLength: 50 } }`. */
	customFields?: Record<string, CustomFieldMapping>;
	/** Called inside the update's transaction, before saving; may set custom fields or reject. */
	onUpdateContact?: (event: UpdateContactEvent) => void | Promise<void>;
	/** Signed notifications older than this (by their `created_at`) are acknowledged but ignored (ms). Default 24 h. */
	notificationMaxAgeMs?: number;
	/**
	 * Called once per signed notification id (not for `ping`), inside the transaction that records
	 * the delivery: a throw rolls both back and answers 500, so Intercom retries.
	 */
	onNotification?: (event: NotificationEvent) => void | Promise<void>;
	/** Conversation-link job: attempts before giving up. Default 8. */
	linkJobMaxAttempts?: number;
}
