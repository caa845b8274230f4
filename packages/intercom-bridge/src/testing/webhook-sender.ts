/**
 * Sends what Intercom sends to a site (docs/intercom.md §7): Series webhook blocks (POST or PUT,
 * custom headers, a JSON body built from a contact's attributes, no signature) and Developer Hub
 * `notification_event` deliveries signed with `X-Hub-Signature: sha1=<hex HMAC-SHA1(client
 * secret, raw body)>`. Sending a notification again with the same `id` is a redelivery:
 * `delivery_attempts` goes up, `created_at` and `first_sent_at` stay.
 */
import { createHmac } from "node:crypto";
import { findContact } from "./contact-operations.ts";
import type { Contact } from "./contact-shape.ts";
import { type EmulatorContext, primaryApp } from "./emulator-context.ts";
import { randomToken, unixSeconds } from "./emulator-state.ts";
import { readPath } from "./search-query.ts";

/** A Series webhook block. */
export interface SeriesWebhook {
	url: string;
	method?: "POST" | "PUT";
	headers?: Record<string, string>;
	/** The JSON body as configured. Ignored when `fromContact` is given. */
	body?: unknown;
	/** Build the body from this contact (id or external id). */
	fromContact?: string;
	/**
	 * Body keys mapped to contact attribute paths, e.g. `{ ContactGUID: "external_id", plan:
	 * "custom_attributes.plan" }`. Default: every plain attribute plus the custom attributes.
	 */
	template?: Record<string, string>;
}

/** A Developer Hub topic notification. */
export interface NotificationDelivery {
	url: string;
	topic: string;
	/** The `data.item` object (a contact, a conversation…), or a full `{type:"notification_event_data", item}`. */
	data: unknown;
	clientSecret: string;
	/** Notification id; reuse it to redeliver. Default: a new `notif_…` id (`null` for `ping`). */
	id?: string | null;
	/** Overrides the attempt count that redelivery tracking would send. */
	deliveryAttempts?: number;
	createdAt?: number;
	/** Extra headers (e.g. to test a forged signature). */
	headers?: Record<string, string>;
}

export interface WebhookSender {
	sendSeries(webhook: SeriesWebhook): Promise<Response>;
	sendNotification(delivery: NotificationDelivery): Promise<Response>;
	/** The HEAD request Intercom uses to validate an endpoint URL. */
	probe(url: string): Promise<Response>;
}

/** Lowercase `sha1=` signature of a raw body, as Intercom computes it. */
export function hubSignature(clientSecret: string, rawBody: string): string {
	return `sha1=${createHmac("sha1", clientSecret).update(rawBody).digest("hex")}`;
}

function contactBody(contact: Contact, template?: Record<string, string>): Record<string, unknown> {
	if (template) {
		return Object.fromEntries(
			Object.entries(template).map(([key, path]) => [key, readPath(contact, path) ?? null]),
		);
	}
	const flat: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(contact)) {
		if (value === null || typeof value !== "object") flat[key] = value;
	}
	flat.user_id = contact.external_id;
	return { ...flat, ...contact.custom_attributes };
}

export function createWebhookSender(ctx: EmulatorContext): WebhookSender {
	const sent = new Map<string, { attempts: number; createdAt: number; firstSentAt: number }>();
	return {
		async sendSeries(webhook) {
			let body = webhook.body ?? {};
			if (webhook.fromContact) {
				const record = findContact(ctx, webhook.fromContact);
				if (!record) throw new Error(`[intercom-bridge] emulator: no contact ${webhook.fromContact}`);
				body = contactBody(record.contact, webhook.template);
			}
			return ctx.options.fetch(webhook.url, {
				method: webhook.method ?? "POST",
				headers: { "Content-Type": "application/json", ...webhook.headers },
				body: JSON.stringify(body),
			});
		},
		async sendNotification(delivery) {
			const now = unixSeconds(ctx.options.now());
			const id =
				delivery.id === undefined ? (delivery.topic === "ping" ? null : randomToken("notif_")) : delivery.id;
			const previous = id ? sent.get(id) : undefined;
			const record = {
				attempts: delivery.deliveryAttempts ?? (previous ? previous.attempts + 1 : 1),
				createdAt: delivery.createdAt ?? previous?.createdAt ?? now,
				firstSentAt: previous?.firstSentAt ?? now,
			};
			if (id) sent.set(id, record);
			const data =
				typeof delivery.data === "object" &&
				delivery.data !== null &&
				(delivery.data as { type?: unknown }).type === "notification_event_data"
					? delivery.data
					: { type: "notification_event_data", item: delivery.data };
			const raw = JSON.stringify({
				type: "notification_event",
				app_id: primaryApp(ctx).appId,
				data,
				links: {},
				id,
				topic: delivery.topic,
				delivery_status: previous ? "retry" : "pending",
				delivery_attempts: record.attempts,
				delivered_at: 0,
				first_sent_at: record.firstSentAt,
				created_at: record.createdAt,
				self: null,
			});
			return ctx.options.fetch(delivery.url, {
				method: "POST",
				headers: {
					"Content-Type": "application/json",
					"User-Agent": "intercom-parrot-service-client/1.0",
					"X-Hub-Signature": hubSignature(delivery.clientSecret, raw),
					...delivery.headers,
				},
				body: raw,
			});
		},
		probe(url) {
			return ctx.options.fetch(url, {
				method: "HEAD",
				headers: { "User-Agent": "intercom-parrot-service-client/1.0" },
			});
		},
	};
}
