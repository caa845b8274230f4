/**
 * Conversations as Intercom 2.16 renders them, and a builder for seeded ones. Only the fields the
 * bridge reads carry meaning; the rest hold the spec's empty values so responses validate.
 */
import type { Contact } from "./contact-shape.ts";

export interface ConversationPart {
	type: "conversation_part";
	id: string;
	part_type: string;
	body: string | null;
	created_at: number;
	updated_at: number;
	notified_at: number;
	assigned_to: { type: string; id: string | null } | null;
	author: {
		type: string;
		id: string;
		name: string | null;
		email: string;
		from_ai_agent: boolean;
		is_ai_answer: boolean;
	};
	attachments: unknown[];
	external_id: string | null;
	redacted: boolean;
	state: "open" | "closed" | "snoozed";
	tags: unknown[];
	event_details: null;
	app_package_code: string | null;
}

/** A stored conversation (the `conversation` shape; search answers it without its parts). */
export interface Conversation {
	type: "conversation";
	id: string;
	title: string | null;
	created_at: number;
	updated_at: number;
	waiting_since: number | null;
	snoozed_until: number | null;
	open: boolean;
	state: "open" | "closed" | "snoozed";
	read: boolean;
	priority: "none" | "low" | "medium" | "high" | "urgent";
	admin_assignee_id: number;
	team_assignee_id: number;
	tags: { type: "tag.list"; tags: unknown[] };
	conversation_rating: null;
	source: {
		type: string;
		id: string;
		delivered_as: string;
		subject: string;
		body: string;
		author: { type: string; id: string; name: string | null; email: string | null };
		attachments: unknown[];
		url: string | null;
		redacted: boolean;
	};
	contacts: { type: "contact.list"; contacts: { type: "contact"; id: string; external_id: string | null }[] };
	teammates: { type: "admin.list"; teammates: unknown[] };
	custom_attributes: Record<string, string | number>;
	first_contact_reply: { created_at: number; type: string; url: string | null } | null;
	sla_applied: null;
	statistics: null;
	linked_objects: { type: "list"; total_count: number; has_more: boolean; data: unknown[] };
	ai_agent_participated: boolean;
	conversation_parts: {
		type: "conversation_part.list";
		conversation_parts: ConversationPart[];
		total_count: number;
	};
}

/** Options of `seedConversations`. */
export interface SeedConversationOptions {
	/** Parts (replies) per conversation. Default 2. */
	parts?: number;
	state?: "open" | "closed" | "snoozed";
	/** Unix seconds of the first conversation; each next one is an hour later. Default: now minus count hours. */
	createdAt?: number;
	/** Source subject; `{n}` is replaced by the conversation's number. */
	subject?: string;
	/** Source body (HTML); `{n}` as above. The default contains a link, to show `display_as=plaintext`. */
	body?: string;
}

/** Builds one conversation started by `contact`. */
export function buildConversation(
	id: string,
	contact: Contact,
	n: number,
	createdAt: number,
	options: SeedConversationOptions,
): Conversation {
	const state = options.state ?? "open";
	const fill = (text: string) => text.replaceAll("{n}", String(n));
	const author = { type: contact.role, id: contact.id, name: contact.name, email: contact.email || null };
	const partCount = options.parts ?? 2;
	const parts: ConversationPart[] = [];
	for (let i = 1; i <= partCount; i++) {
		const fromAdmin = i % 2 === 1;
		const at = createdAt + i * 60;
		parts.push({
			type: "conversation_part",
			id: `${id}${String(i).padStart(4, "0")}`,
			part_type: "comment",
			body: fromAdmin
				? `<p>Reply ${i}: see <a href="https://example.com/help/${i}">our guide</a>.</p>`
				: `<p>Answer ${i} from the customer.</p>`,
			created_at: at,
			updated_at: at,
			notified_at: at,
			assigned_to: null,
			author: fromAdmin
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
						id: contact.id,
						name: contact.name,
						email: contact.email,
						from_ai_agent: false,
						is_ai_answer: false,
					},
			attachments: [],
			external_id: null,
			redacted: false,
			state,
			tags: [],
			event_details: null,
			app_package_code: null,
		});
	}
	const updatedAt = parts.at(-1)?.created_at ?? createdAt;
	return {
		type: "conversation",
		id,
		title: null,
		created_at: createdAt,
		updated_at: updatedAt,
		waiting_since: null,
		snoozed_until: null,
		open: state !== "closed",
		state,
		read: true,
		priority: "none",
		admin_assignee_id: 0,
		team_assignee_id: 0,
		tags: { type: "tag.list", tags: [] },
		conversation_rating: null,
		source: {
			type: "conversation",
			id: `${id}0000`,
			delivered_as: "customer_initiated",
			subject: fill(options.subject ?? ""),
			body: fill(
				options.body ??
					'<p>Conversation {n}: I need support with my order, see <a href="https://example.com/orders/{n}">order {n}</a>.</p>',
			),
			author,
			attachments: [],
			url: null,
			redacted: false,
		},
		contacts: {
			type: "contact.list",
			contacts: [{ type: "contact", id: contact.id, external_id: contact.external_id }],
		},
		teammates: { type: "admin.list", teammates: [] },
		custom_attributes: {},
		first_contact_reply: { created_at: createdAt, type: "conversation", url: null },
		sla_applied: null,
		statistics: null,
		linked_objects: { type: "list", total_count: 0, has_more: false, data: [] },
		ai_agent_participated: false,
		conversation_parts: {
			type: "conversation_part.list",
			conversation_parts: parts,
			total_count: parts.length,
		},
	};
}

/** Intercom's `display_as=plaintext`: tags dropped, links rendered as `label (url)`. */
export function toPlainText(html: string): string {
	return html
		.replace(
			/<a\b[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gis,
			(_m, url: string, label: string) => `${label} (${url})`,
		)
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<[^>]+>/g, "")
		.replace(/&amp;/g, "&")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.trim();
}

/** The list-item shape (no parts), as search answers it. */
export function conversationListItem(conversation: Conversation): Omit<Conversation, "conversation_parts"> {
	const { conversation_parts: _parts, ...item } = conversation;
	return item;
}
