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
import { type Conversation, type ConversationPart, toPlainText } from "./conversation-shape.ts";
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

/**
 * A topic notification whose `data.item` the emulator builds from its workspace, as Intercom
 * renders it: a stored conversation (with its parts; the source's subject and body as plain text,
 * as webhook payloads carry them from 2.15 on) for `conversation.*` topics, or a stored contact.
 */
export interface TopicDelivery extends Omit<NotificationDelivery, "data"> {
	/** A stored conversation's id: the item is that conversation. */
	conversation?: string;
	/** A stored contact (id or external id): the item is that contact, or with `tag` a contact-tag item. */
	contact?: string;
	/**
	 * With `contact`: the item is `{type:"contact_tag", tag, contact, created_at}`, a tag added to the
	 * contact. That shape (and any tag topic's name) is not verified against Intercom's documentation
	 * (docs/decisions/0027); the bridge reads the `contact` inside it.
	 */
	tag?: { id?: string; name: string };
}

export interface WebhookSender {
	sendSeries(webhook: SeriesWebhook): Promise<Response>;
	sendNotification(delivery: NotificationDelivery): Promise<Response>;
	/** Sends a topic notification about a stored conversation or contact (see {@link TopicDelivery}). */
	sendTopic(delivery: TopicDelivery): Promise<Response>;
	/**
	 * Adds a reply to a stored conversation, as a contact (`user`) or a teammate (`admin`) would, and
	 * returns the new part's id; send `conversation.user.replied` / `conversation.admin.replied` after.
	 */
	reply(conversationId: string, from: "user" | "admin", body: string): string;
	/** Closes a stored conversation (as a teammate); send `conversation.admin.closed` after. */
	close(conversationId: string): void;
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

/** A conversation as a webhook payload renders it: source subject and body in plain text (2.15+). */
function conversationItem(conversation: Conversation): Conversation {
	const item = structuredClone(conversation);
	item.source.subject = toPlainText(item.source.subject);
	item.source.body = toPlainText(item.source.body);
	return item;
}

export function createWebhookSender(ctx: EmulatorContext): WebhookSender {
	const sent = new Map<string, { attempts: number; createdAt: number; firstSentAt: number }>();
	const conversationOf = (id: string) => {
		const conversation = ctx.state.conversations.get(id);
		if (!conversation) throw new Error(`[intercom-bridge] emulator: no conversation ${id}`);
		return conversation;
	};
	const contactOf = (idOrExternalId: string) => {
		const record = findContact(ctx, idOrExternalId);
		if (!record) throw new Error(`[intercom-bridge] emulator: no contact ${idOrExternalId}`);
		return record.contact;
	};
	const sender: WebhookSender = {
		sendTopic(delivery) {
			const { conversation, contact, tag, ...rest } = delivery;
			let item: unknown;
			if (conversation !== undefined) item = conversationItem(conversationOf(conversation));
			else if (contact !== undefined) {
				const found = structuredClone(contactOf(contact));
				item = tag
					? {
							type: "contact_tag",
							created_at: unixSeconds(ctx.options.now()),
							tag: { type: "tag", id: tag.id ?? randomToken("").slice(0, 8), name: tag.name },
							contact: found,
						}
					: found;
			} else throw new Error("[intercom-bridge] emulator: sendTopic needs a conversation or a contact");
			return sender.sendNotification({ ...rest, data: item });
		},
		reply(conversationId, from, body) {
			const conversation = conversationOf(conversationId);
			const contact = conversation.contacts.contacts[0];
			const at = unixSeconds(ctx.options.now());
			const author: ConversationPart["author"] =
				from === "admin"
					? {
							type: "admin",
							id: "991267",
							name: "Emulator Admin",
							email: "admin@example.com",
							from_ai_agent: false,
							is_ai_answer: false,
						}
					: {
							type: "user",
							id: contact?.id ?? "",
							name: null,
							email: "",
							from_ai_agent: false,
							is_ai_answer: false,
						};
			const parts = conversation.conversation_parts;
			const id = `${conversation.id}${String(parts.total_count + 1).padStart(4, "0")}`;
			parts.conversation_parts.push({
				type: "conversation_part",
				id,
				part_type: "comment",
				body,
				created_at: at,
				updated_at: at,
				notified_at: at,
				assigned_to: null,
				author,
				attachments: [],
				external_id: null,
				redacted: false,
				state: conversation.state,
				tags: [],
				event_details: null,
				app_package_code: null,
			});
			parts.total_count++;
			conversation.updated_at = at;
			return id;
		},
		close(conversationId) {
			const conversation = conversationOf(conversationId);
			conversation.state = "closed";
			conversation.open = false;
			conversation.updated_at = unixSeconds(ctx.options.now());
		},
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
	return sender;
}
