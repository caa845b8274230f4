/**
 * What a Developer Hub notification is about, read from its `data.item` (docs/decisions/0027): the
 * GUIDs of the contacts it names (our contact GUID is Intercom's `external_id`), a short value for
 * the activity, and the conversation it concerns. Every field is checked for type; anything
 * unexpected reads as absent, so a hostile or unfamiliar payload logs nothing rather than failing.
 *
 * - `conversation` items: the conversation's `contacts.contacts[].external_id`, the one who wrote
 *   the relevant message first (the newest part's author for a reply, the source's author
 *   otherwise); value: for `*.replied` the newest part's text, for `*.created` the subject or the
 *   source's text.
 * - `contact` items: the item's `external_id`; value: for a topic about the email, the email.
 * - other items holding a `contact` object (e.g. a tag added to a contact): that contact's
 *   `external_id`; value: the `tag`'s `name` when there is one.
 */
import { isGuid } from "../store/contact-store.ts";
import { MAX_NOTIFICATION_GUIDS } from "../store/topic-activity-store.ts";

export interface NotificationSubject {
	/** Contact GUIDs, most likely first (lowercased, deduplicated). */
	guids: string[];
	/** At most {@link MAX_VALUE_LENGTH} characters of plain text, or null. */
	value: string | null;
	/** The conversation's id, when the item is a conversation. */
	conversationId: string | null;
}

/** Longest value kept: enough to recognise a message, short enough for the activity's title. */
export const MAX_VALUE_LENGTH = 200;

/** Most entries of a list (contacts, parts) looked at; a real conversation has far fewer. */
const MAX_LIST = 500;

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | null =>
	value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;

const asString = (value: unknown): string | null => (typeof value === "string" ? value : null);

const asList = (value: unknown): Json[] =>
	Array.isArray(value)
		? value
				.slice(0, MAX_LIST)
				.map(asObject)
				.filter((v): v is Json => v !== null)
		: [];

/** Plain text of a body (HTML in parts; plain text in a 2.15+ source): tags dropped, spaces collapsed, cut. */
export function excerpt(raw: unknown): string | null {
	const text = asString(raw);
	if (text === null) return null;
	const plain = text
		.slice(0, 20_000)
		.replace(/<br\s*\/?>|<\/p>/gi, " ")
		.replace(/<[^>]*>/g, "")
		.replace(/&nbsp;/g, " ")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, "&")
		// PostgreSQL text cannot hold NUL; other control characters have no place in a title.
		.replace(/\p{Cc}/gu, " ")
		.replace(/\s+/g, " ")
		.trim();
	if (plain === "") return null;
	return plain.length > MAX_VALUE_LENGTH ? `${plain.slice(0, MAX_VALUE_LENGTH - 1)}…` : plain;
}

function conversationSubject(topic: string, item: Json): NotificationSubject {
	const rawId = item.id;
	const id = typeof rawId === "number" && Number.isSafeInteger(rawId) ? String(rawId) : asString(rawId);
	const conversationId = id !== null && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
	const source = asObject(item.source);
	const parts = asList(asObject(item.conversation_parts)?.conversation_parts);
	let newest: Json | null = null;
	for (const part of parts) {
		const at = typeof part.created_at === "number" ? part.created_at : 0;
		const best = newest && typeof newest.created_at === "number" ? newest.created_at : 0;
		if (newest === null || at >= best) newest = part;
	}
	const replied = topic.endsWith(".replied");
	const author = asObject((replied ? newest : source)?.author);
	const authorId = asString(author?.id);
	const contacts = asList(asObject(item.contacts)?.contacts);
	// The author first (a reply by one of several contacts goes to that contact), then the others.
	contacts.sort(
		(a, b) => Number(b.id === authorId && authorId !== null) - Number(a.id === authorId && authorId !== null),
	);
	let value: string | null = null;
	if (replied) value = excerpt(newest?.body);
	else if (topic.endsWith(".created")) value = excerpt(source?.subject) ?? excerpt(source?.body);
	return { guids: guidsOf(contacts.map((c) => c.external_id)), value, conversationId };
}

function guidsOf(values: readonly unknown[]): string[] {
	const guids: string[] = [];
	for (const value of values) {
		const text = asString(value)?.trim().toLowerCase();
		if (text && isGuid(text) && !guids.includes(text)) guids.push(text);
		if (guids.length >= MAX_NOTIFICATION_GUIDS) break;
	}
	return guids;
}

/** Reads what a notification of `topic` with `data.item` = `item` is about. */
export function notificationSubject(topic: string, item: unknown): NotificationSubject {
	const object = asObject(item);
	const none: NotificationSubject = { guids: [], value: null, conversationId: null };
	if (!object) return none;
	if (object.type === "conversation") return conversationSubject(topic, object);
	if (object.type === "contact") {
		return {
			guids: guidsOf([object.external_id]),
			value: topic.includes(".email.") ? excerpt(object.email) : null,
			conversationId: null,
		};
	}
	const contact = asObject(object.contact);
	if (contact) {
		return {
			guids: guidsOf([contact.external_id]),
			value: excerpt(asObject(object.tag)?.name),
			conversationId: null,
		};
	}
	return none;
}
