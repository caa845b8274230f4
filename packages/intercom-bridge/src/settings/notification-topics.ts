/**
 * Developer Hub notification topics a site can turn into activities (docs/decisions/0027): the
 * topics the console offers by name, and the check every topic name passes (console, CLI, store).
 * Only names found verbatim in Intercom's webhook-model pages are listed. A tag topic is not: its
 * exact name is unverified here, so a site adds it (or any other topic) by the name its Developer
 * Hub shows.
 */
import { ValidationError } from "../errors.ts";

/** A topic the console lists by name, with what it means to a marketer. */
export interface KnownTopic {
	readonly topic: string;
	readonly label: string;
}

/** The topics offered by name, in the order the console shows them. */
export const KNOWN_TOPICS: readonly KnownTopic[] = [
	{ topic: "conversation.user.created", label: "A contact started a conversation" },
	{ topic: "conversation.user.replied", label: "A contact replied in a conversation" },
	{ topic: "conversation.admin.replied", label: "A teammate replied in a conversation" },
	{ topic: "conversation.admin.closed", label: "A teammate closed a conversation" },
	{ topic: "contact.email.updated", label: "A contact's email address changed" },
];

/** The form of a topic name: lowercase letters, digits, `_` and `.`, as the notification endpoint accepts. */
export const TOPIC_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

/**
 * Checks and normalises (trims, lowercases) a topic name.
 * @throws ValidationError saying what a topic name looks like.
 */
export function checkTopicName(raw: string): string {
	const topic = raw.trim().toLowerCase();
	if (topic.length > 100 || !TOPIC_PATTERN.test(topic)) {
		throw new ValidationError(
			`"${raw.slice(0, 100)}" is not a topic name: use the name exactly as your Developer Hub lists it, e.g. "conversation.user.created" (lowercase letters, digits, "_", parts separated by ".").`,
			"topic",
		);
	}
	if (topic === "ping")
		throw new ValidationError('"ping" is Intercom\'s set-up check, not a topic.', "topic");
	return topic;
}
