/**
 * Conversation transcripts for an activity's comment (optional; off by default): each message as
 * "time — Name (email):" and its text with HTML stripped, as the reference's unused transcript code
 * did. Text only: the comment is never rendered as HTML.
 */
import type { Conversation } from "../intercom/intercom-types.ts";

/** Longest text kept of one message, so one pasted log cannot swell the comment. */
const MAX_PART_CHARS = 10_000;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Plain text of a message body: line breaks for `<br>` and block ends, no tags, entities decoded. */
export function stripHtml(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<\/(p|div|li|h[1-6]|blockquote|pre)>/gi, "\n")
		.replace(/<[^>]*>/g, "")
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
			if (name[0] === "#") {
				const code =
					name[1]?.toLowerCase() === "x" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
				return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
			}
			return ENTITIES[name.toLowerCase()] ?? whole;
		})
		.replace(/[ \t]+\n/g, "\n")
		.replace(/\n{3,}/g, "\n\n")
		.trim();
}

interface Author {
	name?: string | null;
	email?: string | null;
}

function authorLabel(author: Author | undefined): string {
	const name = author?.name?.trim() || "Unknown";
	return author?.email ? `${name} (${author.email})` : name;
}

function timeLabel(unixSeconds: number | undefined): string {
	return unixSeconds
		? `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`
		: "";
}

/** The transcript of one conversation (fetched with its parts), headed by its link. */
export function conversationTranscript(conversation: Conversation, link: string): string {
	const messages: Array<{
		at: number | undefined;
		author: Author | undefined;
		body: string | null | undefined;
	}> = [];
	const source = conversation.source;
	if (source) messages.push({ at: conversation.created_at, author: source.author, body: source.body });
	for (const part of conversation.conversation_parts?.conversation_parts ?? []) {
		messages.push({ at: part.created_at, author: part.author, body: part.body });
	}
	const lines = [`Conversation ${link}`];
	for (const message of messages) {
		const text = message.body ? stripHtml(message.body).slice(0, MAX_PART_CHARS) : "";
		if (text === "") continue;
		lines.push(`${timeLabel(message.at)} — ${authorLabel(message.author)}:`, text);
	}
	return lines.join("\n");
}
